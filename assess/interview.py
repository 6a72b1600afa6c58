"""The lawyer's questionnaire: one question at a time, only the questions that still matter.

`run_interview(case_path, *, lang, resume, answers, io)` runs the interview and returns the case
file's path.  The questions are data (rules/questions.yaml, read by assess/questions.py).

Relevance by sensitivity: after each answer the partial case is evaluated (unanswered fields are
unknown) with the plain engine, and for every unanswered question its possible answers are tried
(yes/no; amounts around the amount standards in force; dates around 2026-01-01 and the
limitation dates; the choices; a few places and ages).  A question is still relevant when two of
its answers lead to different conclusions: the primary track, whether each track applies, the
amount band, the PSAPL text applied, or a deadline.  The relevant question with the highest
priority is asked next; the interview ends when none is left.

Every answer is written at once to the case file (assess.case.dump_case, atomic); the position
(open lists, the order of the answers for `back`) goes to a small sidecar `<case>.interview.json`,
so that the case file keeps exactly the format `assess evaluate` reads.

Input/output goes through an `io` object (`ask(...) -> str`, `say(text)`): `TerminalIO`
(questionary, for a TTY), `LineIO` (one line per question: pipes, lists of answers) and
`AnswersIO` (a mapping question id -> answer).
"""
from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .citations import cite_label, pid_of
from .errors import AssessError, AssessErrors
from .wrapping import wrap

SIDECAR_FORMAT = "assess-interview/1"
TRACKS = ("criminal", "administrative", "civil")
SHORT_TRACK = {"zh": {"criminal": "刑事", "administrative": "行政", "civil": "民事",
                      "platform": "平台", "none": "无"},
               "en": {"criminal": "criminal", "administrative": "administrative",
                      "civil": "civil", "platform": "platform", "none": "none"}}
COMMANDS = {
    "why": ("?", "？", "why", "为什么"),
    "help": ("help", "帮助"),
    "back": ("back", "返回"),
    "review": ("review", "查看"),
    "save": ("save", "保存"),
    "quit": ("quit", "exit", "退出"),
}
UNKNOWN_INPUT = ("unknown", "不确定", "不知道", "未知")
YES_INPUT = ("yes", "y", "是", "有", "对", "是的", "1", "true")
NO_INPUT = ("no", "n", "否", "无", "没有", "不是", "2", "false")
EN_LABELS = {
    "ai_generated": "AI-generated", "edited": "edited real photo", "staged": "staged photo",
    "genuine": "genuine photo", "automatic": "refunded automatically by the system",
    "reviewed_without_merchant": "reviewed by the platform without hearing the merchant",
    "reviewed_with_merchant": "reviewed by the platform after hearing the merchant",
    "full": "paid back in full", "partial": "paid back in part", "none": "not paid back",
    "administrative": "administrative penalty", "criminal": "criminal penalty",
}
W = {
    "zh": {
        "possible": "仍可能", "remaining": "约剩 {n} 题", "answered": "已答 {n} 题",
        "commands": "[? 为什么 · 返回 · 查看 · 不确定 · 保存 · 退出]",
        "yesno": "1) 是  2) 否", "unknown_hint": "（不知道请答“不确定”）",
        "invalid": "无法接受：{why}", "again": "请重新输入。",
        "no_unknown": "此题不能回答“不确定”", "empty": "请输入回答（或“不确定”）",
        "not_yesno": "请回答 是 / 否 / 不确定", "not_choice": "请输入选项编号或名称：{opts}",
        "not_int": "请输入 {lo}–{hi} 之间的整数", "place_ok": "{label}，对吗？（是/否）",
        "place_note": "注意：{note}", "echo": "→ {value}",
        "saved": "已保存：{path}", "no_back": "这是第一题，没有上一题。",
        "back_to": "返回上一题（当前回答：{value}）",
        "review_title": "已回答的问题：", "review_pick": "输入编号修改，直接回车返回：",
        "review_none": "还没有回答。", "review_bad": "没有这个编号。",
        "why_title": "为什么问这个？", "why_facts": "这个回答用于：",
        "why_rules": "读取它的规则：", "why_change": "可能改变的结论：",
        "why_settled": "就目前的回答而言，这一题已不能改变结论。",
        "why_provisions": "相关条文：",
        "answer": "答 {value} → {outcome}", "deadline_changes": "期限不同",
        "psapl": "治安管理处罚法 {ed} 年文本", "band": "（{band}）",
        "maybe": "尚可能：{tracks}",
        "quit": "已保存。继续回答：assess interview {path} --resume",
        "interrupted": "已中断；所有回答已保存到 {path}。继续：assess interview {path} --resume",
        "eof": "输入已结束，问卷尚未完成；已保存 {n} 个回答",
        "eof_hint": "继续：assess interview {path} --resume",
        "exists": "案件文件已存在",
        "exists_hint": "继续回答请加 --resume，或换一个文件名",
        "done": "结论已确定，问卷结束（共回答 {n} 题）。",
        "summary": "评估结论", "primary": "主要处理途径", "definite": "确定",
        "conditional": "有条件", "applies": "适用", "not": "不适用",
        "penalty": "后果", "band_title": "数额档次", "amount": "诈骗数额",
        "standard": "当地标准", "law": "适用的治安管理处罚法文本", "deadlines": "期限",
        "passed": "已届满", "how": "理由（HOW）", "cites": "依据", "depends": "取决于",
        "full_report": "完整报告：assess evaluate {path} --as-of {as_of}",
        "offer_docs": "现在生成法律意见书和报案材料吗？（是/否）",
        "docs_details": "补充文书所需的信息（不需要的直接回车跳过）：",
        "doc_written": "已生成：{path}", "doc_failed": "未能生成{kind}：{why}",
        "doc_cmd": "生成文书：", "kinds": {"opinion": "法律意见书", "report": "报案材料"},
        "none": "—", "no_answer": "回答文件中没有问题“{key}”的答案",
        "no_answer_hint": "在 {file} 中加上 {key}: …（不知道可写 unknown）",
        "versions": {"2012": "2012年", "2025": "2025年"},
        "more_conditional": "……另有 {n} 项有条件的后果，见完整报告",
        "skipped": "另有 {n} 条规则的结论取决于未回答或不确定的事实，见完整报告。",
    },
    "en": {
        "possible": "Still possible", "remaining": "about {n} left", "answered": "{n} answered",
        "commands": "[? why · back · review · unknown · save · quit]",
        "yesno": "1) yes  2) no", "unknown_hint": " (answer 'unknown' if not known)",
        "invalid": "Not accepted: {why}", "again": "Please answer again.",
        "no_unknown": "this question cannot be answered 'unknown'",
        "empty": "please type an answer (or 'unknown')",
        "not_yesno": "answer yes / no / unknown", "not_choice": "type an option's number or name: {opts}",
        "not_int": "type a whole number from {lo} to {hi}", "place_ok": "{label} — correct? (yes/no)",
        "place_note": "Note: {note}", "echo": "→ {value}",
        "saved": "Saved: {path}", "no_back": "This is the first question; there is nothing before it.",
        "back_to": "Back to the previous question (current answer: {value})",
        "review_title": "Answers so far:", "review_pick": "Number to change, Enter to go back: ",
        "review_none": "No answers yet.", "review_bad": "No such number.",
        "why_title": "Why is this asked?", "why_facts": "The answer feeds:",
        "why_rules": "Rules that read it:", "why_change": "What it could change:",
        "why_settled": "With the answers so far this question can no longer change the outcome.",
        "why_provisions": "Provisions:",
        "answer": "answer {value} → {outcome}", "deadline_changes": "deadlines differ",
        "psapl": "PSAPL {ed} text", "band": " ({band})", "maybe": "still possible: {tracks}",
        "quit": "Saved. To continue: assess interview {path} --resume",
        "interrupted": "Interrupted; every answer is saved in {path}. To continue: "
                       "assess interview {path} --resume",
        "eof": "input ended before the interview was finished; {n} answers saved",
        "eof_hint": "continue with: assess interview {path} --resume",
        "exists": "the case file already exists",
        "exists_hint": "add --resume to continue with its answers, or choose another file name",
        "done": "The conclusions are settled; the interview is over ({n} questions answered).",
        "summary": "Assessment", "primary": "Primary track", "definite": "definite",
        "conditional": "conditional", "applies": "applies", "not": "does not apply",
        "penalty": "consequence", "band_title": "Amount band", "amount": "fraud amount",
        "standard": "local standard", "law": "PSAPL text applied", "deadlines": "Deadlines",
        "passed": "passed", "how": "How (reasons)", "cites": "cites", "depends": "depends on",
        "full_report": "Full report: assess evaluate {path} --as-of {as_of} --lang en",
        "offer_docs": "Write the legal opinion and the police-report draft now? (yes/no)",
        "docs_details": "Details for the documents (press Enter to skip any):",
        "doc_written": "Written: {path}", "doc_failed": "Could not write the {kind}: {why}",
        "doc_cmd": "To write the documents:", "kinds": {"opinion": "opinion", "report": "police report"},
        "none": "—", "no_answer": "the answers file has no answer for question '{key}'",
        "no_answer_hint": "add {key}: … to {file} (write unknown if it is not known)",
        "versions": {"2012": "2012", "2025": "2025"},
        "more_conditional": "… {n} more conditional consequences in the full report",
        "skipped": "{n} more rules depend on facts not answered or not known; see the full report.",
    },
}
TRACK_LABEL = {"zh": {"criminal": "刑事（诈骗罪）", "administrative": "行政（治安管理处罚）",
                      "civil": "民事", "platform": "平台责任", "none": "无"},
               "en": {"criminal": "criminal (fraud)", "administrative": "administrative (PSAPL)",
                      "civil": "civil", "platform": "platform liability", "none": "none"}}
BAND_LABEL = {"zh": {"large": "数额较大", "huge": "数额巨大", "especially_huge": "数额特别巨大"},
              "en": {"large": "large amount", "huge": "huge amount",
                     "especially_huge": "especially huge amount"}}


# =========================================================================== display helpers

def columns() -> int:
    import shutil
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100)) - 2


# =========================================================================== input/output

class Incomplete(Exception):
    """The input ended before the interview was finished."""


class LineIO:
    """One line per question: piped stdin, or a list of answer lines."""

    interactive = False

    def __init__(self, lines=None, out=None, echo: bool = True):
        self.stream = sys.stdin if lines is None else None
        self.lines = None if lines is None else iter(lines)
        self.out = out or sys.stdout
        self.echo = echo

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str, *, key: str = "", qid: str = "", index=None, default=None,
            optional: bool = False) -> str:
        self.out.write(prompt + (f" [{default}]" if default else "") + " ")
        self.out.flush()
        if self.lines is not None:
            try:
                line = next(self.lines)
            except StopIteration:
                self.out.write("\n")
                raise EOFError from None
            line = "" if line is None else str(line)
        else:
            line = self.stream.readline()
            if not line:
                self.out.write("\n")
                raise EOFError
        line = line.rstrip("\r\n").strip()
        if self.echo:
            self.out.write(line + "\n")
        else:
            self.out.write("\n")
        self.out.flush()
        if not line and default is not None:
            return default
        return line


class AnswersIO(LineIO):
    """Answers from a mapping question id -> answer (a list answers a group's entries in turn)."""

    def __init__(self, answers: dict, out=None, file: str = "<answers>"):
        super().__init__([], out)
        self.answers = answers
        self.file = file

    def ask(self, prompt: str, *, key: str = "", qid: str = "", index=None, default=None,
            optional: bool = False) -> str:
        value = _MISSING
        for k in (key, qid):
            if k in self.answers:
                value = self.answers[k]
                break
        if isinstance(value, list) and not isinstance(value, str):
            i = index or 0
            value = value[i] if i < len(value) else _MISSING
        if value is _MISSING:
            if optional:
                self.out.write(prompt + "\n")
                return ""
            raise _NoAnswer(key or qid)
        text = _answer_text(value)
        self.out.write(f"{prompt} {text}\n")
        self.out.flush()
        return text


class _NoAnswer(Exception):
    pass


_MISSING = object()


def _answer_text(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)


class TerminalIO:
    """The interactive terminal: questionary prompts (imported lazily), CJK-aware."""

    interactive = True

    def __init__(self, input=None, output=None):
        self.input = input
        self.output = output

    def say(self, text: str = "") -> None:
        print(text, flush=True)

    def ask(self, prompt: str, *, key: str = "", qid: str = "", index=None, default=None,
            optional: bool = False) -> str:
        import questionary

        kw = {}
        if self.input is not None:
            kw = {"input": self.input, "output": self.output}
        answer = questionary.text(prompt.strip(), default=default or "", qmark="", **kw).unsafe_ask()
        if answer is None:
            raise EOFError
        return answer.strip()


def load_answers(path) -> LineIO:
    """An io object for an --answers file: a YAML mapping (question id -> answer) or a list."""
    import yaml

    from .yamlio import load

    path = Path(path)
    data = load(path)
    if isinstance(data, dict):
        return AnswersIO(_plain(data), file=str(path))
    if isinstance(data, list):
        return LineIO([_answer_text(x) for x in data])
    if isinstance(data, str):
        return LineIO(data.splitlines())
    raise AssessError("an answers file is a YAML mapping (question id: answer) or a list of "
                      "answer lines", file=str(path), line=1, col=1,
                      expected="place: 江苏省南京市鼓楼区\nincident.amount: [1200]")
    del yaml


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# =========================================================================== slots

@dataclass(frozen=True)
class Slot:
    kind: str                 # "field" | "gate" | "more"
    qid: str                  # the question id (field) or the group id (gate, more)
    index: int | None = None  # the entry of a group

    @property
    def key(self) -> str:
        if self.kind == "gate":
            return self.qid
        if self.kind == "more":
            return f"{self.qid}.more[{self.index}]"
        return self.qid if self.index is None else f"{self.qid}[{self.index}]"

    @property
    def answer_id(self) -> str:
        """The id an answers file uses (without the entry number)."""
        return f"{self.qid}.more" if self.kind == "more" else self.qid

    @staticmethod
    def parse(key: str) -> "Slot":
        if ".more[" in key:
            qid, _, rest = key.partition(".more[")
            return Slot("more", qid, int(rest.rstrip("]")))
        if key.endswith("]") and "[" in key:
            qid, _, rest = key.partition("[")
            return Slot("field", qid, int(rest.rstrip("]")))
        return Slot("field", key)


def _get(data: dict, path: str, default=_MISSING):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _set(data: dict, path: str, value) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _del(data: dict, path: str) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)
    # an emptied mapping (buyer: {}) is left out
    if len(parts) > 1 and isinstance(data.get(parts[0]), dict) and not data[parts[0]]:
        del data[parts[0]]


def _minus_months(d: date, months: int) -> date:
    import calendar
    y, m = divmod(d.month - 1 - months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# =========================================================================== the interview

class Interview:
    """The state machine: the case data, the open lists, the order of the answers."""

    def __init__(self, path: Path, *, lang: str = "zh", as_of: date | None = None, base=None,
                 io=None):
        from .assessment import load
        from .facts import earliest_conduct_date
        from .questions import load_questions

        if lang not in W:
            raise AssessError(f"unknown language '{lang}'", field="--lang", expected="zh or en")
        self.path = Path(path)
        self.sidecar = self.path.with_name(self.path.name + ".interview.json")
        self.lang = lang
        self.w = W[lang]
        self.base = base
        self.lib, self.pack = load(base)
        self.earliest = earliest_conduct_date(self.lib, self.pack)
        from .questions import default_path
        self.qs = load_questions(default_path(base), self.pack, self.lib)
        self.as_of = as_of or date.today()
        self.io = io
        self.data: dict = {"format": "assess-case/1"}
        self.groups: dict[str, dict] = {g.id: {"open": True, "gate": None} for g in self.qs.groups}
        self.history: list[str] = []
        self.asked: list[str] = []
        self.finished = False
        self._cache: dict[str, tuple] = {}
        self.outcomes: dict[str, list] = {}
        self.result = None

    # ------------------------------------------------------------------ files

    def start(self, resume: bool) -> None:
        from .case import load_case

        if self.path.exists():
            if not resume:
                raise AssessError(self.w["exists"], file=str(self.path), hint=self.w["exists_hint"])
            case = load_case(self.path, as_of=self.as_of)
            self.data = copy.deepcopy(case.data)
            meta = None
            if self.sidecar.exists():
                try:
                    meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    meta = None
            if meta and meta.get("format") == SIDECAR_FORMAT:
                for gid, st in (meta.get("groups") or {}).items():
                    if gid in self.groups:
                        self.groups[gid].update(st)
                self.history = [k for k in meta.get("history", []) if isinstance(k, str)]
                self.asked = [k for k in meta.get("asked", []) if isinstance(k, str)]
            for g in self.qs.groups:
                entries = _get(self.data, g.field, None)
                if g.gate:
                    if isinstance(entries, list):
                        self.groups[g.id]["gate"] = "yes" if entries else "no"
                    elif self.groups[g.id]["gate"] == "yes":
                        self.groups[g.id]["gate"] = None
        for g in self.qs.groups:
            if g.minimum and not _get(self.data, g.field, None):
                _set(self.data, g.field, [{}])
        self.save()

    def save(self) -> None:
        from .case import dump_case

        dump_case(self.data, self.path)
        meta = {"format": SIDECAR_FORMAT, "case": self.path.name, "lang": self.lang,
                "as_of": self.as_of.isoformat(), "groups": self.groups,
                "history": self.history, "asked": self.asked, "finished": self.finished}
        fd, tmp = tempfile.mkstemp(prefix=f".{self.sidecar.name}.", suffix=".tmp",
                                   dir=self.sidecar.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(meta, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.sidecar)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # ------------------------------------------------------------------ slots

    def entries(self, g) -> list:
        value = _get(self.data, g.field, None)
        return value if isinstance(value, list) else []

    def active(self, g) -> bool:
        return not g.gate or self.groups[g.id]["gate"] == "yes"

    def question(self, slot: Slot):
        return self.qs.by_id(slot.qid)

    def value(self, slot: Slot):
        """The current answer of a field slot (_MISSING when not answered)."""
        q = self.question(slot)
        if slot.kind != "field":
            return _MISSING
        if q.group is None:
            v = _get(self.data, q.field)
            if v is _MISSING and q.date_field:
                v = _get(self.data, q.date_field)
            return v
        entries = self.entries(q.group)
        if slot.index is None or slot.index >= len(entries):
            return _MISSING
        return entries[slot.index].get(q.field, _MISSING)

    def open_slots(self, phase: str = "relevant") -> list[Slot]:
        """Unanswered slots, in the order they would be asked."""
        out = []
        for item in self.qs.items:
            if hasattr(item, "questions"):
                g = item
                st = self.groups[g.id]
                if phase == "relevant" and g.gate and st["gate"] is None:
                    out.append((( -g.priority, -1, 0, 0), Slot("gate", g.id)))
                if not self.active(g):
                    continue
                entries = self.entries(g)
                for i, entry in enumerate(entries):
                    for q in g.questions:
                        if q.ask == phase and q.field not in entry:
                            out.append(((-g.priority, i, -q.priority, q.order),
                                        Slot("field", q.id, i)))
                if phase == "relevant" and st["open"] and entries:
                    out.append(((-g.priority, len(entries), 0, 0),
                                Slot("more", g.id, len(entries) - 1)))
            elif item.ask == phase:
                slot = Slot("field", item.id)
                if self.value(slot) is _MISSING:
                    out.append(((-item.priority, 0, 0, item.order), slot))
        out.sort(key=lambda x: x[0])
        return [s for _, s in out]

    # ------------------------------------------------------------------ evaluation

    def eval_data(self, data=None, groups=None, placeholders: bool = True) -> dict:
        """The data evaluated: an open list gets one more entry whose facts are all unknown
        (with placeholders=False the lists are taken as complete)."""
        d = copy.deepcopy(self.data if data is None else data)
        groups = self.groups if groups is None else groups
        if placeholders:
            for g in self.qs.groups:
                if not g.gate and groups[g.id]["open"]:
                    self._add_entry(d, g, {})
        return d

    @staticmethod
    def _add_entry(d: dict, g, entry: dict) -> None:
        entries = _get(d, g.field, None)
        entries = list(entries) if isinstance(entries, list) else []
        entries.append(entry)
        _set(d, g.field, entries)

    def _assumed(self, g) -> dict:
        return {q.field: q.assume for q in g.questions if q.assume is not None}

    def contexts(self, exclude: Slot) -> list[tuple[dict, bool]]:
        """The partial cases a slot's answers are tried on: (data, assumed).

        First the answers so far with everything else unknown; then the same with the typical
        answer (`assume` in questions.yaml) to every other open question, because some facts
        matter only together (a faked photo and goods that were not defective)."""
        closed = self.eval_data(placeholders=False)
        assumed = copy.deepcopy(closed)
        for slot in self.open_slots():
            if slot == exclude or slot.kind != "field":
                continue
            q = self.question(slot)
            if q.assume is None:
                continue
            if q.group is None:
                _set(assumed, q.field, q.assume)
            else:
                entries = _get(assumed, q.group.field, None)
                if isinstance(entries, list) and slot.index < len(entries):
                    entries[slot.index][q.field] = q.assume
        out = [(closed, False)]
        if assumed != closed:
            out.append((assumed, True))
        return out

    def evaluate(self, data: dict, engine: str = "plain", completions: int | None = None):
        """(conclusions, result) of a data set; None when the data is not a valid case.

        `completions=1` is the plain three-valued evaluation: enough to see whether an answer
        can change a conclusion, and fast; the outcome shown to the user is the full one."""
        from .assessment import evaluate_case
        from .case import parse_case

        key = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str) + engine + \
            str(completions)
        if key in self._cache:
            return self._cache[key]
        try:
            case = parse_case(copy.deepcopy(data), filename=str(self.path), as_of=self.as_of)
            result = evaluate_case(case, as_of=self.as_of, engine=engine, lang=self.lang,
                                   base=self.base, explain=False, completions=completions,
                                   brief=completions == 1)
            out = (conclusions(result), result)
        except AssessError:
            out = None
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def candidates(self, slot: Slot, ctx: dict, assumed: bool, result: dict) -> list[tuple[str, dict]]:
        """(label, data to evaluate) for each answer tried for a slot in one context."""
        out = []
        if slot.kind == "more":
            g = self.qs.by_id(slot.qid)
            more = copy.deepcopy(ctx)
            self._add_entry(more, g, self._assumed(g) if assumed else {})
            return [(self.yesno_label("no"), ctx), (self.yesno_label("yes"), more)]
        if slot.kind == "gate":
            g = self.qs.by_id(slot.qid)
            first = self._first_date()
            recent = (first or self.as_of) - timedelta(days=30)
            options = [("no", [])]
            kind_q = next((q for q in g.questions if q.field == "kind"), None)
            values = [v for v in (kind_q.values or {}) if v != "unknown"] if kind_q else []
            for v in values:
                options.append(("yes", [{"kind": v}]))
                options.append(("yes", [{"kind": v, "date": recent.isoformat()}]))
            for label, value in options:
                d = copy.deepcopy(ctx)
                _set(d, g.field, value)
                out.append((self.yesno_label(label), d))
            return out
        q = self.question(slot)
        for value in self.try_values(q, slot, result):
            d = copy.deepcopy(ctx)
            if q.group is None:
                _set(d, q.field, value)
            else:
                entries = _get(d, q.group.field, None)
                if not isinstance(entries, list) or slot.index >= len(entries):
                    continue
                entries[slot.index][q.field] = value
            out.append((self.value_label(q, value), d))
        return out

    def _first_date(self) -> date | None:
        ds = []
        for e in _get(self.data, "incidents", None) or []:
            v = e.get("date")
            if isinstance(v, str) and v != "unknown":
                ds.append(date.fromisoformat(v))
        return min(ds) if ds else None

    def try_values(self, q, slot: Slot, result: dict) -> list:
        if q.type == "yesno":
            return ["yes", "no"]
        if q.type == "choice":
            return [v for v in (q.values or {}) if v != "unknown"]
        if q.type == "place":
            return list(q.tries)
        if q.type == "integer":
            values = set(int(v) for v in q.tries if isinstance(v, int))
            from .model import leaves
            for rule in self.pack.rules:
                for atom in leaves(rule.when):
                    if atom.fact in q.about and atom.ref in self.lib.parameters:
                        pv = self.lib.parameters[atom.ref].value_at(self.as_of)
                        if pv is not None:
                            values |= {int(pv.value) - 1, int(pv.value)}
            lo, hi = q.validation.get("min", 0), q.validation.get("max", 10 ** 9)
            return sorted(v for v in values if lo <= v <= hi)
        if q.type == "amount":
            marks: set[float] = set()
            for v in (result.get("thresholds") or {}).get("used", {}).values():
                if isinstance(v, (int, float)):
                    marks.add(float(v))
                elif isinstance(v, dict):
                    marks |= {float(x) for x in (v.get("min"), v.get("max")) if x is not None}
            others = 0.0
            if q.group is not None:
                for i, e in enumerate(self.entries(q.group)):
                    a = e.get(q.field)
                    if i != slot.index and isinstance(a, (int, float)):
                        others += float(a)
            values = {0.0}
            for t in marks:
                for x in (t - others - 1, t - others):
                    if x >= 0:
                        values.add(x)
            if marks:
                values.add(max(marks) * 2)
            return [int(v) if float(v).is_integer() else v for v in sorted(values)]
        if q.type == "date":
            a = self.as_of
            days = {date(2025, 12, 31), date(2026, 1, 1), a, a - timedelta(days=1),
                    _minus_months(a, 6), _minus_months(a, 6) - timedelta(days=1),
                    _minus_months(a, 12), _minus_months(a, 12) - timedelta(days=1),
                    _minus_months(a, 36) - timedelta(days=1),
                    _minus_months(a, 60) - timedelta(days=1)}
            first = self._first_date()
            if first:
                days |= {first, _minus_months(first, 12), _minus_months(first, 12) - timedelta(days=1)}
            return [d.isoformat() for d in sorted(days) if date(2000, 1, 1) <= d <= a]
        return []

    def relevant(self) -> list[Slot]:
        """The unanswered slots whose answers can still change a conclusion, in asking order.

        A field is relevant when a conclusion (a track, the band, the PSAPL text, a deadline)
        depends on it: the assessment reasons by cases over the unknowns and says which ones
        its conclusions depend on (result["analysis"]["depends_on"]).  The "another one?" and
        "any earlier penalty?" slots change the shape of the case, and a number, date or place
        is one of many values, so their answers are tried (three-valued, which is fast)."""
        base = self.evaluate(self.eval_data(), completions=RELEVANCE_COMPLETIONS)
        self.result = base[1] if base else None
        self.outcomes = {}
        analysis = (self.result or {}).get("analysis") or {}
        exact = base is not None and not analysis.get("stopped_early")
        # what the conclusions depend on; when the analysis stopped early (many facts still
        # open) that list is partial, and the answers of the other questions are also tried
        # three-valued
        depends = {d["var"] for d in analysis.get("depends_on", [])}
        depends_facts = {d["fact"] for d in analysis.get("depends_on", []) if d["fact"]}
        depends_fields = {k.rsplit(".", 1)[-1] for k in depends}   # incidents[2].handled -> handled
        out = []
        for slot in self.open_slots():
            q = self.question(slot) if slot.kind == "field" else None
            if q is not None and q.type in ("yesno", "choice"):
                key = q.field if q.group is None else \
                    f"{q.group.field}[{slot.index + 1}].{q.field}"
                if key in depends or depends_facts & set(q.about):
                    self.outcomes[slot.key] = None          # tried when "why" asks for them
                    out.append(slot)
                    continue
                if exact:
                    continue
            elif q is not None and exact and depends_facts & set(q.about):
                # a number, date or place a conclusion depends on (through a fact it settles)
                out.append(slot)
                continue
            elif slot.kind == "gate" and self.qs.by_id(slot.qid).field == "buyer.prior_penalties" \
                    and (depends_facts & set(self.qs.by_id(slot.qid).about)
                         or "handled" in depends_fields):
                # the earlier penalties also settle whether an incident was already dealt with
                out.append(slot)
                continue
            for ctx, assumed in self.contexts(slot):
                here = self.evaluate(ctx, completions=1)
                if here is None:
                    continue
                seen: dict = {}
                for label, data in self.candidates(slot, ctx, assumed, here[1]):
                    r = self.evaluate(data, completions=1)
                    if r is not None and r[0] not in seen:
                        seen[r[0]] = (label, r[1])
                if len(seen) > 1:
                    self.outcomes[slot.key] = list(seen.values())
                    out.append(slot)
                    break
        return out

    def answer_outcomes(self, slot: Slot) -> list:
        """(answer, result) for the answers of a slot that lead to different conclusions."""
        if self.outcomes.get(slot.key) is None and slot.key in self.outcomes:
            ctx = self.eval_data(placeholders=False)
            seen: dict = {}
            for label, data in self.candidates(slot, ctx, False, self.result or {}):
                r = self.evaluate(data)
                if r is not None and r[0] not in seen:
                    seen[r[0]] = (label, r[1])
            self.outcomes[slot.key] = list(seen.values())
        return self.outcomes.get(slot.key) or []

    # ------------------------------------------------------------------ labels

    def yesno_label(self, v: str) -> str:
        if self.lang == "zh":
            return {"yes": "是", "no": "否", "unknown": "不确定"}.get(v, v)
        return v

    def value_label(self, q, v) -> str:
        from .amounts import format_amount
        from decimal import Decimal

        if v is _MISSING or v is None:
            return self.w["none"]
        if v == "unknown":
            return self.yesno_label("unknown")
        if q.type == "yesno":
            return self.yesno_label(v)
        if q.type == "choice":
            return self.choice_label(q, v)
        if q.type == "amount" and isinstance(v, (int, float)):
            return format_amount(Decimal(str(v)), self.lang)
        return str(v)

    def choice_label(self, q, v) -> str:
        if self.lang == "zh":
            return (q.values or {}).get(v, v)
        return EN_LABELS.get(v, v.replace("_", " "))

    def slot_title(self, slot: Slot) -> str:
        if slot.kind in ("gate", "more"):
            g = self.qs.by_id(slot.qid)
            return g.text("gate" if slot.kind == "gate" else "more", self.lang)
        q = self.question(slot)
        text = q.text("prompt", self.lang)
        if q.group is not None:
            head = q.group.text("heading", self.lang).replace("{n}", str((slot.index or 0) + 1))
            text = f"{head} · {text}"
        return text

    def current_label(self, slot: Slot) -> str:
        if slot.kind == "gate":
            return self.yesno_label(self.groups[slot.qid]["gate"] or "unknown")
        if slot.kind == "more":
            g = self.qs.by_id(slot.qid)
            more = len(self.entries(g)) > (slot.index or 0) + 1 or self.groups[g.id]["open"]
            return self.yesno_label("yes" if more else "no")
        q = self.question(slot)
        v = self.value(slot)
        if v is not _MISSING and q.date_field and _get(self.data, q.field) is _MISSING:
            return str(v)
        return self.value_label(q, v)

    def outcome_text(self, result: dict) -> str:
        w = self.w
        zh = self.lang == "zh"
        primary = result["primary_track"]
        text = TRACK_LABEL[self.lang][primary] if primary != "none" else \
            ("尚未确定" if zh else "not settled")
        crim = result["tracks"]["criminal"]
        band = crim.get("band")
        if band:
            text += w["band"].format(band=BAND_LABEL[self.lang][band])
        more = []
        for t in result["possible_tracks"]:
            if t == primary:
                continue
            label = SHORT_TRACK[self.lang][t]
            if t == "criminal" and not band:
                bands = [BAND_LABEL[self.lang][b] for b in crim.get("possible_bands") or [] if b]
                if bands:
                    label += ("（" + "/".join(bands) + "）") if zh else f" ({'/'.join(bands)})"
            more.append(label)
        if more:
            text += ("；" if zh else "; ") + w["maybe"].format(tracks=" / ".join(more))
        ed = result["law_applied"]["psapl_edition"]
        if isinstance(ed, str) and "administrative" in result["possible_tracks"]:
            text += ("；" if zh else "; ") + w["psapl"].format(ed=ed)
        return text

    # ------------------------------------------------------------------ parsing answers

    def parse(self, slot: Slot, raw: str):
        """(value, echo) for a typed answer; raises ValueError with the reason."""
        w = self.w
        low = raw.strip().lower()
        if slot.kind in ("gate", "more"):
            if low in YES_INPUT:
                return "yes", None
            if low in NO_INPUT:
                return "no", None
            if slot.kind == "gate" and low in UNKNOWN_INPUT:
                return "unknown", None
            raise ValueError(w["not_yesno"] if slot.kind == "gate" else
                             w["not_yesno"].replace(" / 不确定", "").replace(" / unknown", ""))
        q = self.question(slot)
        if not low:
            if q.type == "text":
                return None, None
            raise ValueError(w["empty"])
        if low in UNKNOWN_INPUT:
            if not q.unknown:
                raise ValueError(w["no_unknown"])
            return "unknown", None
        if q.type == "yesno":
            if low in YES_INPUT:
                return "yes", None
            if low in NO_INPUT:
                return "no", None
            raise ValueError(w["not_yesno"])
        if q.type == "choice":
            options = [v for v in (q.values or {}) if v != "unknown"]
            if low.isdigit() and 1 <= int(low) <= len(options):
                return options[int(low) - 1], None
            for v in options:
                if low in (v, (q.values or {}).get(v, "").lower(), EN_LABELS.get(v, "").lower()):
                    return v, None
            raise ValueError(w["not_choice"].format(
                opts=", ".join(f"{i}) {self.choice_label(q, v)}" for i, v in enumerate(options, 1))))
        if q.type == "amount":
            from .amounts import format_amount, parse_amount, to_json_number
            try:
                a = parse_amount(raw)
            except ValueError as exc:
                if self.lang != "zh":
                    raise
                why = str(exc)
                if "negative" in why:
                    raise ValueError("金额不能为负数") from None
                if "decimal places" in why:
                    raise ValueError("金额最多两位小数（分）") from None
                raise ValueError(f"“{raw}”不是可识别的金额；可以写成 3500、3,500、¥3,500、"
                                 f"人民币3500元、三千五百元、3.5万") from None
            if a is None:
                return "unknown", None
            return to_json_number(a), format_amount(a, self.lang)
        if q.type == "date":
            d = self.parse_date(raw)
            return d.isoformat(), d.isoformat()
        if q.type == "integer":
            from .case import to_age
            lo, hi = q.validation.get("min", 0), q.validation.get("max", 120)
            n = to_age(raw)
            if n is None and q.date_field:
                try:
                    d = self.parse_date(raw)
                except ValueError:
                    d = None
                if d is not None:
                    return ("date", d.isoformat()), d.isoformat()
            if n is None or not lo <= n <= hi:
                raise ValueError(w["not_int"].format(lo=lo, hi=hi))
            return n, None
        if q.type == "place":
            from .places import resolve_place
            try:
                place = resolve_place(raw.strip())
            except ValueError:
                if self.lang != "zh":
                    raise
                raise ValueError(f"找不到“{raw.strip()}”；请写完整：省+市+区/县，"
                                 f"例如 广东省深圳市南山区") from None
            return raw.strip(), place
        return raw.strip(), None

    def parse_date(self, raw: str) -> date:
        """A date as typed; "11月17日" (no year) is the last such day on or before the as-of date."""
        from .dates import parse_date

        try:
            d = parse_date(raw)
        except ValueError as exc:
            if "has no year" not in str(exc):
                if self.lang == "zh":
                    raise ValueError(f"“{raw}”不是有效日期；可以写成 2025-11-17、"
                                     f"2025年11月17日 或 11月17日") from None
                raise
            d = parse_date(raw, default_year=self.as_of.year)
            if d is not None and d > self.as_of:
                d = parse_date(raw, default_year=self.as_of.year - 1)
        if d is None:
            raise ValueError(self.w["empty"])
        if d > self.as_of:
            raise ValueError((f"{d.isoformat()} 晚于评估日 {self.as_of.isoformat()}"
                              if self.lang == "zh" else
                              f"{d.isoformat()} is after the as-of date {self.as_of.isoformat()}"))
        return d

    # ------------------------------------------------------------------ applying answers

    def apply(self, slot: Slot, value) -> None:
        """Set the answer, check the whole case, or undo and raise ValueError."""
        from .case import parse_case

        before = (copy.deepcopy(self.data), copy.deepcopy(self.groups))
        if slot.kind == "gate":
            g = self.qs.by_id(slot.qid)
            self.groups[g.id]["gate"] = value
            if value == "yes":
                if not self.entries(g):
                    _set(self.data, g.field, [{}])
                self.groups[g.id]["open"] = True
            elif value == "no":
                _set(self.data, g.field, [])
            else:
                _del(self.data, g.field)
        elif slot.kind == "more":
            g = self.qs.by_id(slot.qid)
            entries = self.entries(g)
            if value == "yes":
                if len(entries) <= slot.index + 1:
                    entries.append({})
                    _set(self.data, g.field, entries)
                self.groups[g.id]["open"] = True
            else:
                self.groups[g.id]["open"] = False
                n = slot.index + 1
                keep = entries[:n] + [e for e in entries[n:] if e]
                _set(self.data, g.field, keep or entries[:1])
        else:
            q = self.question(slot)
            if q.group is not None:
                entry = self.entries(q.group)[slot.index]
                if value is None:
                    entry.pop(q.field, None)
                else:
                    entry[q.field] = value
            elif isinstance(value, tuple) and value[0] == "date":
                _del(self.data, q.field)
                _set(self.data, q.date_field, value[1])
            else:
                if q.date_field:
                    _del(self.data, q.date_field)
                if value is None:
                    _del(self.data, q.field)
                else:
                    _set(self.data, q.field, value)
        try:
            case = parse_case(copy.deepcopy(self.data), filename=str(self.path), as_of=self.as_of)
        except AssessErrors as exc:
            self.data, self.groups = before
            raise ValueError("; ".join(e.message for e in exc.errors)) from None
        except AssessError as exc:
            self.data, self.groups = before
            raise ValueError(exc.message) from None
        early = [i.date for i in case.incidents if i.date and i.date < self.earliest] \
            if self.earliest else []
        if early:
            self.data, self.groups = before
            first = self.earliest.isoformat()
            raise ValueError(f"本系统只评估 {first} 以后的行为（更早的法律文本未收录）"
                             if self.lang == "zh" else
                             f"conduct before {first} is not covered (earlier texts of the law "
                             f"are not in statutes/)")

    # ------------------------------------------------------------------ the dialogue

    def say(self, text: str = "", indent: str = "  ", first: str | None = None) -> None:
        for line in wrap(text, columns(), indent, first):
            self.io.say(line)

    def status(self, remaining: int) -> None:
        w = self.w
        r = self.result
        possible = " / ".join(SHORT_TRACK[self.lang][t] for t in (r or {}).get(
            "possible_tracks", TRACKS)) or SHORT_TRACK[self.lang]["none"]
        line = (f"{w['possible']}：{possible}   " if self.lang == "zh" else
                f"{w['possible']}: {possible}   ") + w["remaining"].format(n=remaining) + \
            "   " + w["answered"].format(n=len(self.asked))
        self.io.say("─" * min(columns(), 78))
        self.io.say(line)

    def show_question(self, slot: Slot) -> None:
        w = self.w
        self.say(self.slot_title(slot), indent="  ", first="")
        if slot.kind == "field":
            q = self.question(slot)
            if q.type == "choice":
                options = [v for v in (q.values or {}) if v != "unknown"]
                self.say("  ".join(f"{i}) {self.choice_label(q, v)}"
                                   for i, v in enumerate(options, 1)), indent="    ", first="  ")
            elif q.type == "yesno":
                self.io.say("  " + w["yesno"] + w["unknown_hint"])
        else:
            self.io.say("  " + w["yesno"] + (w["unknown_hint"] if slot.kind == "gate" else ""))
        self.io.say("  " + w["commands"])

    def why(self, slot: Slot) -> None:
        from .model import facts_used

        w = self.w
        lang = self.lang
        self.io.say(w["why_title"])
        if slot.kind in ("gate", "more"):
            item = self.qs.by_id(slot.qid)
        else:
            item = self.question(slot)
            if item.group is not None and not item.about:
                item = item.group
        if item.help:
            self.say(item.text("help", lang))
        about = list(item.about)
        if not about and hasattr(item, "group") and item.group is not None:
            about = list(item.group.about)
        if about:
            labels = ("、" if lang == "zh" else ", ").join(
                self.pack.facts[f].label[lang] for f in about if f in self.pack.facts)
            self.say(f"{w['why_facts']}{labels}" if lang == "zh" else f"{w['why_facts']} {labels}")
        rules = [r for r in self.pack.rules if set(facts_used(r.when)) & set(about)]
        provisions: list[str] = []
        if rules:
            self.io.say("  " + w["why_rules"])
            for r in rules[:8]:
                cites = [self.provision_label(pid_of(c)) for c in r.cites]
                provisions += [pid_of(c) for c in r.cites]
                sep = "；" if lang == "zh" else "; "
                self.say(f"{r.id} {r.title[lang]} — {sep.join(cites)}", indent="        ",
                         first="    ")
            if len(rules) > 8:
                self.io.say(f"    … (+{len(rules) - 8})")
        extra = [p for p in item.provisions if p not in provisions]
        if extra:
            self.say(w["why_provisions"] + ("；" if lang == "zh" else "; ").join(
                self.provision_label(p) for p in extra))
        outcomes = self.answer_outcomes(slot)
        if len(outcomes) > 1:
            self.io.say("  " + w["why_change"])
            for label, result in outcomes[:6]:
                self.say(w["answer"].format(value=label, outcome=self.outcome_text(result)),
                         indent="        ", first="    ")
        else:
            self.say(w["why_settled"])

    def provision_label(self, pid: str) -> str:
        prov = self.lib.provisions.get(pid)
        if prov is None:
            return pid
        law = self.lib.laws.get(prov.law_id)
        short = (law.short.get(self.lang) or law.short.get("zh")) if law else prov.law_id
        if self.lang == "zh":
            return f"{short}{prov.article}"
        return f"{short} art. {pid.split('/', 1)[1]}"

    def help(self, slot: Slot) -> None:
        item = self.qs.by_id(slot.qid)
        if getattr(item, "help", None):
            self.say(item.text("help", self.lang))
        self.io.say("  " + self.w["commands"])

    def ask_slot(self, slot: Slot, default: str | None = None) -> str:
        """Ask until a valid answer or a command that leaves the question; returns
        "answered", "back", "review" or "quit"."""
        w = self.w
        while True:
            q = None if slot.kind != "field" else self.question(slot)
            try:
                raw = self.io.ask("> " if getattr(self.io, "interactive", False) else "  >",
                                  key=slot.key, qid=slot.answer_id, index=slot.index,
                                  default=default)
            except _NoAnswer as exc:
                raise AssessError(w["no_answer"].format(key=exc.args[0]),
                                  file=getattr(self.io, "file", None),
                                  hint=w["no_answer_hint"].format(
                                      key=exc.args[0], file=getattr(self.io, "file", "")))
            low = raw.strip().lower()
            command = next((c for c, words in COMMANDS.items() if low in words), None)
            if command == "why":
                self.why(slot)
                continue
            if command == "help":
                self.help(slot)
                continue
            if command == "save":
                self.save()
                self.io.say("  " + w["saved"].format(path=self.path))
                continue
            if command in ("back", "review", "quit"):
                return command
            try:
                value, echo = self.parse(slot, raw)
            except ValueError as exc:
                self.say(w["invalid"].format(why=exc), first="  ")
                continue
            if q is not None and q.type == "place":
                place = echo
                if getattr(self.io, "interactive", False):
                    try:
                        ok = self.io.ask(w["place_ok"].format(label=place.label()),
                                         key=slot.key + ".confirm", default=None)
                    except _NoAnswer:
                        ok = "yes"
                    if ok.strip().lower() in NO_INPUT:
                        continue
                else:
                    self.io.say("  " + w["echo"].format(value=place.label()))
                if place.note:
                    self.say(w["place_note"].format(note=place.note))
            elif echo:
                self.io.say("  " + w["echo"].format(value=echo))
            try:
                self.apply(slot, value)
            except ValueError as exc:
                self.say(w["invalid"].format(why=exc), first="  ")
                continue
            if slot.key in self.history:
                self.history.remove(slot.key)
            self.history.append(slot.key)
            if slot.key not in self.asked:
                self.asked.append(slot.key)
            self.save()
            return "answered"

    def answered_slots(self) -> list[Slot]:
        """Every answered slot: the ones answered here first, then any other field with a value."""
        slots = [Slot.parse(k) for k in self.history]
        seen = {s.key for s in slots}
        for item in self.qs.items:
            if hasattr(item, "questions"):
                if item.gate and self.groups[item.id]["gate"] is not None:
                    s = Slot("gate", item.id)
                    if s.key not in seen:
                        slots.append(s)
                        seen.add(s.key)
                for i, entry in enumerate(self.entries(item) if self.active(item) else []):
                    for q in item.questions:
                        s = Slot("field", q.id, i)
                        if q.field in entry and s.key not in seen:
                            slots.append(s)
                            seen.add(s.key)
            else:
                s = Slot("field", item.id)
                if self.value(s) is not _MISSING and s.key not in seen:
                    slots.append(s)
                    seen.add(s.key)
        return [s for s in slots if self._exists(s)]

    def _exists(self, slot: Slot) -> bool:
        try:
            item = self.qs.by_id(slot.qid)
        except KeyError:
            return False
        if slot.kind == "field" and getattr(item, "group", None) is not None:
            return self.active(item.group) and (slot.index or 0) < len(self.entries(item.group))
        return True

    def review(self) -> Slot | None:
        w = self.w
        slots = self.answered_slots()
        if not slots:
            self.io.say("  " + w["review_none"])
            return None
        self.io.say(w["review_title"])
        for i, s in enumerate(slots, 1):
            self.say(f"{self.slot_title(s)}  【{self.current_label(s)}】" if self.lang == "zh" else
                     f"{self.slot_title(s)}  [{self.current_label(s)}]",
                     indent="      ", first=f"  {i:>2}. ")
        while True:
            raw = self.io.ask(w["review_pick"], key="review", default=None, optional=True)
            raw = raw.strip()
            if not raw:
                return None
            if raw.isdigit() and 1 <= int(raw) <= len(slots):
                return slots[int(raw) - 1]
            self.io.say("  " + w["review_bad"])

    def default_for(self, slot: Slot) -> str | None:
        if slot.kind == "field":
            q = self.question(slot)
            v = self.value(slot)
            if v is _MISSING:
                return None
            if q.type == "choice" and v != "unknown":
                return self.choice_label(q, v) if self.lang == "zh" else v
            if q.type == "yesno":
                return self.yesno_label(v)
            return str(v)
        return self.current_label(slot)

    def loop(self) -> bool:
        """Ask until the conclusions are settled; False when the lawyer quits."""
        forced: Slot | None = None
        while True:
            relevant = self.relevant()
            if forced is not None:
                slot, default = forced, self.default_for(forced)
                forced = None
            elif relevant:
                slot, default = relevant[0], None
            else:
                return True
            self.status(len(relevant))
            self.show_question(slot)
            outcome = self.ask_slot(slot, default)
            if outcome == "quit":
                self.save()
                self.io.say(self.w["quit"].format(path=self.path))
                return False
            if outcome == "back":
                previous = [k for k in self.history if k != slot.key]
                previous = [k for k in previous if self._exists(Slot.parse(k))]
                if not previous:
                    self.io.say("  " + self.w["no_back"])
                    forced = slot if slot not in relevant else None
                    continue
                forced = Slot.parse(previous[-1])
                self.io.say("  " + self.w["back_to"].format(value=self.current_label(forced)))
                continue
            if outcome == "review":
                picked = self.review()
                forced = picked if picked is not None else (slot if slot not in relevant else None)
                continue

    # ------------------------------------------------------------------ the end

    def summary(self) -> dict:
        """Evaluate the saved case as `assess evaluate` does and print the conclusions."""
        from .assessment import evaluate_file

        result = evaluate_file(self.path, as_of=self.as_of, lang=self.lang, base=self.base)
        w = self.w
        lang = self.lang
        io = self.io
        c = "：" if lang == "zh" else ": "               # after a label
        colon = "：" if lang == "zh" else ":"           # at the end of a heading line
        io.say("═" * min(columns(), 78))
        self.say(w["summary"] + "  " + w["done"].format(n=len(self.asked)), indent="", first="")
        status = w[result["primary_track_status"]]
        io.say(f"{w['primary']}：{TRACK_LABEL[lang][result['primary_track']]}（{status}）"
               if lang == "zh" else
               f"{w['primary']}: {TRACK_LABEL[lang][result['primary_track']]} ({status})")
        labels = result.get("fact_labels", {})
        for track in ("criminal", "administrative", "civil", "platform"):
            info = result["tracks"][track]
            a = info["applies"]
            flag = w["applies"] if a is True else w["not"] if a is False else w["conditional"]
            line = f"• {TRACK_LABEL[lang][track]}：{flag}" if lang == "zh" else \
                f"• {TRACK_LABEL[lang][track]}: {flag}"
            if track == "criminal" and (info.get("band") or info.get("band_status") == "conditional"):
                bands = [BAND_LABEL[lang][b] for b in info.get("possible_bands") or [] if b]
                band = BAND_LABEL[lang].get(info.get("band") or "", " / ".join(bands))
                line += f" — {w['band_title']}{c}{band or w['none']}"
            self.say(line, indent="    ", first="")
            if info.get("conditional_on"):
                names = ("、" if lang == "zh" else ", ").join(
                    labels.get(f, f) for f in info["conditional_on"])
                self.say(f"[{w['depends']}{c}{names}]", indent="      ", first="    ")
            if a is not False:
                conditional = []
                for p in info.get("penalties", []):
                    if p["status"] == "definite":
                        self.say(f"{w['penalty']}{c}{p['text']}", indent="      ", first="    ")
                    else:
                        conditional.append(p)
                for p in conditional[:4]:
                    on = next((t.get("conditional_on") for t in result["trace"]
                               if t["rule"] == p["rule"]), None) or []
                    names = ("、" if lang == "zh" else ", ").join(labels.get(f, f) for f in on)
                    mark = f"（{w['conditional']}" + (f"，{w['depends']}：{names}）" if names
                                                       else "）")
                    if lang != "zh":
                        mark = f" ({w['conditional']}" + (f"; {w['depends']}: {names})"
                                                          if names else ")")
                    self.say(f"{w['penalty']}{c}{p['text']}{mark}", indent="      ", first="    ")
                if len(conditional) > 4:
                    self.io.say("    " + w["more_conditional"].format(n=len(conditional) - 4))
        amounts = result["amounts"]
        used = result["thresholds"]["used"]

        def money(v):
            from .explain import _money
            return _money(v, lang)
        self.say(f"{w['amount']}{c}{money(amounts['fraud_amount'])}   {w['standard']}{c}"
                 + ("，" if lang == "zh" else ", ").join(f"{BAND_LABEL[lang][b]} {money(v)}" for b, v in used.items()),
                 indent="    ", first="")
        ed = result["law_applied"]["psapl_edition"]
        if "administrative" in result["possible_tracks"]:
            ed_text = w["versions"].get(ed, ed) if isinstance(ed, str) else \
                " / ".join(w["versions"].get(e, e) for e in (ed or {}).get("unknown", []))
            self.say(f"{w['law']}{c}{ed_text or w['none']}", indent="    ", first="")
        if result["deadlines"]:
            io.say(w["deadlines"] + colon)
            for d in result["deadlines"]:
                mark = "" if d["status"] == "definite" else f"（{w['conditional']}）"
                passed = f" [{w['passed']}]" if d.get("passed") else ""
                self.say(f"{d['date'] or '?'}  {d['label']}{mark}{passed}", indent="      ",
                         first="  ")
        io.say(w["how"] + colon)
        skipped = 0
        for t in result["trace"]:
            if t["track"] == "advice":
                continue
            if t["status"] != "definite":
                skipped += 1
                continue
            self.say(f"[{t['rule']}] {t['title']} — {t['explanation']}", indent="      ",
                     first="  ")
            cites = ("；" if lang == "zh" else "; ").join(cite_label(c, lang) for c in t["cites"])
            self.say(f"{w['cites']}{c}{cites}", indent="        ", first="      ")
        if skipped:
            self.say(w["skipped"].format(n=skipped), first="  ")
        io.say(w["full_report"].format(path=self.path, as_of=self.as_of.isoformat()))
        return result

    def documents(self) -> None:
        w = self.w
        try:
            raw = self.io.ask(w["offer_docs"], key="documents", qid="documents", optional=True)
        except (EOFError, _NoAnswer):
            raw = ""
        want = raw.strip().lower() in YES_INPUT
        commands = [f"assess {kind} {self.path} --as-of {self.as_of.isoformat()} "
                    f"-o {self.path.with_name(self.path.stem + '-' + kind + '.pdf')}"
                    + (" --lang en" if self.lang == "en" else "")
                    for kind in ("opinion", "report")]
        if not want:
            self.io.say(w["doc_cmd"])
            for c in commands:
                self.io.say("  " + c)
            return
        slots = [s for s in self.open_slots() if s.kind == "field"
                 and self.question(s).type == "place"] + self.open_slots("documents")
        if slots:
            self.io.say(w["docs_details"])
        for slot in slots:
            self.say(self.slot_title(slot), indent="  ", first="")
            try:
                raw = self.io.ask("  >", key=slot.key, qid=slot.answer_id, index=slot.index,
                                  optional=True)
            except (EOFError, _NoAnswer):
                break
            if raw.strip():
                try:
                    value, _ = self.parse(slot, raw)
                    self.apply(slot, value)
                    self.save()
                except ValueError as exc:
                    self.say(w["invalid"].format(why=exc), first="  ")
        try:
            from .documents import write_document
        except ImportError:
            self.io.say(w["doc_cmd"])
            for c in commands:
                self.io.say("  " + c)
            return
        for kind, command in zip(("opinion", "report"), commands):
            out = self.path.with_name(f"{self.path.stem}-{kind}.pdf")
            try:
                write_document(kind, self.path, out, as_of=self.as_of, lang=self.lang,
                               base=self.base)
                self.io.say(w["doc_written"].format(path=out))
            except AssessError as exc:
                self.say(w["doc_failed"].format(kind=w["kinds"][kind], why=exc.message),
                         first="")
                self.io.say("  " + command)


# Completions the questionnaire's own assessment tries before a question (assess/cases.py):
# while many facts are open it stops early and the answers are tried instead (three-valued).
RELEVANCE_COMPLETIONS = 48


def conclusions(result: dict) -> tuple:
    """What the interview tries to settle: primary track, each track's applies flag, the band,
    the PSAPL text applied (only while the administrative track can still apply) and the
    deadlines."""
    t = result["tracks"]
    psapl = result["law_applied"]["psapl_edition"] if t["administrative"]["applies"] is not False \
        else None
    return (
        result["primary_track"],
        tuple((k, str(t[k]["applies"])) for k in ("criminal", "administrative", "civil",
                                                   "platform")),
        t["criminal"].get("band"), tuple(str(b) for b in t["criminal"].get("possible_bands") or ()),
        json.dumps(psapl, sort_keys=True),
        tuple((d["id"], d["date"], d["status"], d["passed"]) for d in result["deadlines"]),
    )


def default_io(answers=None):
    """The io for the situation: an --answers file, piped stdin, or the terminal."""
    if answers is not None:
        if isinstance(answers, (str, Path)):
            return load_answers(answers)
        if isinstance(answers, dict):
            return AnswersIO(_plain(answers))
        return LineIO(list(answers))
    if not sys.stdin.isatty():
        return LineIO()
    return TerminalIO()


def run_interview(case_path, *, lang: str = "zh", resume: bool = False, answers=None, io=None,
                  as_of: date | None = None, base=None, summary: bool = True) -> Path:
    """Run the questionnaire on `case_path` (created, or continued with resume=True).

    `answers`: a path to an --answers file (YAML mapping question id -> answer, or a list of
    lines), a mapping or a list; otherwise `io` (default: questionary on a TTY, else one line of
    stdin per question).  Every answer is saved at once.  Returns the case file's path.
    Raises AssessError when the input ends before the interview is finished (the answers so far
    are saved) and KeyboardInterrupt on Ctrl-C (likewise).
    """
    path = Path(case_path)
    io = io or default_io(answers)
    if as_of is None and resume:
        sidecar = path.with_name(path.name + ".interview.json")
        try:
            as_of = date.fromisoformat(json.loads(sidecar.read_text(encoding="utf-8"))["as_of"])
        except (OSError, ValueError, KeyError, TypeError):
            as_of = None
    iv = Interview(path, lang=lang, as_of=as_of, base=base, io=io)
    iv.start(resume)
    try:
        if not iv.loop():
            return path
    except EOFError:
        iv.save()
        raise AssessError(iv.w["eof"].format(n=len(iv.asked)), file=str(path),
                          hint=iv.w["eof_hint"].format(path=path)) from None
    except KeyboardInterrupt:
        iv.save()
        io.say("")
        iv.say(iv.w["interrupted"].format(path=path), indent="", first="")
        raise
    iv.finished = True
    iv.save()
    if summary:
        iv.summary()
        iv.documents()
    return path


def interview_stats(case_path) -> dict:
    """The sidecar of a case file: answers asked, in order; finished or not."""
    path = Path(case_path)
    sidecar = path.with_name(path.name + ".interview.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))
