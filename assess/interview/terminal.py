"""The terminal front end: the io objects (questionary on a TTY, one line per question on a pipe,
an --answers file), the dialogue (status line, question, why, review, back) and the summary."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

from ..citations import cite_label, pid_of
from ..errors import AssessError
from ..wrapping import wrap
from .parsing import NO_INPUT, YES_INPUT
from .session import Session
from .slots import _MISSING, Slot
from .wording import BAND_LABEL, COMMANDS, SHORT_TRACK, TRACK_LABEL, TRACKS


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

    from ..yamlio import load

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



class Interview(Session):
    """The dialogue in a terminal (or a pipe, or an answers file) over the session."""

    def say(self, text: str = "", indent: str = "  ", first: str | None = None) -> None:
        for line in wrap(text, columns(), indent, first):
            self.io.say(line)

    def status(self, remaining: int) -> None:
        w = self.w
        tracks = self.possible_tracks()
        possible = " / ".join(SHORT_TRACK[self.lang][t] for t in (
            TRACKS if tracks is None else tracks)) or SHORT_TRACK[self.lang]["none"]
        label = w["not_ruled_out" if self.tracks_unfinished() else "possible"]
        line = (f"{label}：{possible}   " if self.lang == "zh" else
                f"{label}: {possible}   ") + w["remaining"].format(n=remaining) + \
            "   " + w["answered"].format(n=len(self.asked))
        self.io.say("─" * min(columns(), 78))
        self.io.say(line)

    def show_options(self, q) -> None:
        """The numbered choices of a choice question, or the yes/no hint."""
        if q.type == "choice":
            options = [v for v in (q.values or {}) if v != "unknown"]
            self.say("  ".join(f"{i}) {self.choice_label(q, v)}"
                               for i, v in enumerate(options, 1)), indent="    ", first="  ")
        elif q.type == "yesno":
            self.io.say("  " + self.w["yesno"] + self.w["unknown_hint"])

    def show_question(self, slot: Slot) -> None:
        w = self.w
        self.say(self.slot_title(slot), indent="  ", first="")
        if slot.kind == "field":
            self.show_options(self.question(slot))
        else:
            self.io.say("  " + w["yesno"] + (w["unknown_hint"] if slot.kind == "gate" else ""))
        self.io.say("  " + w["commands"])

    def why(self, slot: Slot, detail: bool = False) -> None:
        """`?`: in plain words, what to answer and what the answer can change.  `??` (detail):
        also the facts it feeds, the rules that read them (with their ids) and the provisions."""
        from ..model import facts_used

        w = self.w
        lang = self.lang
        self.io.say(w["why_detail_title"] if detail else w["why_title"])
        if slot.kind in ("gate", "more"):
            item = self.qs.by_id(slot.qid)
        else:
            item = self.question(slot)
            if item.group is not None and not item.about:
                item = item.group
        if item.help:
            self.say(item.text("help", lang))
        if not detail:
            self.why_outcomes(slot)
            self.say(w["why_more"])
            return
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
        self.why_outcomes(slot)

    def why_outcomes(self, slot: Slot) -> None:
        w = self.w
        kind, answers = self.why_answers(slot)
        heading = {"change": "why_change", "consequence": "why_consequence",
                   "together": "why_together", "settled": "why_settled"}[kind]
        if not answers:
            self.say(w[heading])
            return
        self.io.say("  " + w[heading])
        for label, outcome in answers:
            self.say(w["answer"].format(value=label, outcome=outcome),
                     indent="        ", first="    ")
        if self.why_unfinished(slot):
            self.say(w["why_unfinished"])

    def help(self, slot: Slot) -> None:
        item = self.qs.by_id(slot.qid)
        if getattr(item, "help", None):
            self.say(item.text("help", self.lang))
        self.io.say("  " + self.w["commands"])

    def refuse(self, slot: Slot, text: str) -> None:
        """An answer not taken: say why; the question is asked again.  An answers file would
        give the same answer again, so there it is an error naming the question."""
        self.say(text, first="  ")
        if isinstance(self.io, AnswersIO):
            raise AssessError(text.strip(), file=self.io.file, field=slot.answer_id,
                              hint=self.w["answers_fix"].format(key=slot.answer_id))

    def confirm(self, prompt: str, key: str, *, empty: bool) -> bool:
        """A yes/no confirmation: `empty` is what Enter means; anything but yes or no is asked
        again (a "?" or a typo is no answer); an answers file without one confirms."""
        while True:
            try:
                ok = self.io.ask(prompt, key=key, default=None).strip().lower()
            except _NoAnswer:
                return True         # an answers file: the answer as written
            if ok in YES_INPUT or ok in NO_INPUT or not ok or isinstance(self.io, AnswersIO):
                return ok in YES_INPUT or (not ok and empty)
            self.io.say("  " + self.w["confirm_again"])

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
            if command in ("why", "detail"):
                self.why(slot, detail=command == "detail")
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
                self.refuse(slot, w["invalid"].format(why=exc))
                continue
            if q is not None and q.type == "place":
                place = echo
                if getattr(self.io, "interactive", False):
                    if not self.confirm(w["place_ok"].format(label=place.label()),
                                        slot.key + ".confirm", empty=True):
                        continue
                else:
                    self.io.say("  " + w["echo"].format(value=place.label()))
                if place.note:
                    self.say(w["place_note"].format(note=place.note))
            elif echo:
                self.io.say("  " + w["echo"].format(value=echo))
            doubt = self.date_doubt(slot, value)
            if doubt is not None:
                refuse, text = doubt
                if refuse:
                    self.refuse(slot, text)
                    continue
                self.say(text, first="  ")
                if not self.confirm("  " + w["confirm_date"].format(date=value),
                                    slot.key + ".confirm", empty=False):
                    self.refuse(slot, w["again"])
                    continue
            try:
                self.record(slot, value)
            except ValueError as exc:
                self.refuse(slot, w["invalid"].format(why=exc))
                continue
            return "answered"
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
    def loop(self) -> bool:
        """Ask until the conclusions are settled; False when the lawyer quits."""
        forced: Slot | None = None
        while True:
            # first what the conclusions depend on, then what the consequences depend on
            relevant = self.relevant() or self.consequence_slots()
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
                previous = self.previous(slot)
                if previous is None:
                    self.io.say("  " + self.w["no_back"])
                    forced = slot if slot not in relevant else None
                    continue
                forced = previous
                self.io.say("  " + self.w["back_to"].format(value=self.current_label(forced)))
                continue
            if outcome == "review":
                picked = self.review()
                forced = picked if picked is not None else (slot if slot not in relevant else None)
                continue

    # ------------------------------------------------------------------ the end

    def summary(self) -> dict:
        """Evaluate the saved case as `assess evaluate` does and print the conclusions."""
        from ..assessment import evaluate_file, fact_names

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
                    fact_names(info["conditional_on"], result, lang))
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
                    names = ("、" if lang == "zh" else ", ").join(fact_names(on, result, lang))
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
            from ..explain import _money
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
            for d in sorted(result["deadlines"], key=lambda d: (d["date"] is None, d["date"] or "")):
                mark = "" if d["status"] == "definite" else f"（{w['conditional']}）"
                passed = f" [{d['met']['label']} {d['met']['date']}]" if d.get("met") else \
                    f" [{w['passed']}]" if d.get("passed") else ""
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
        while True:         # an empty answer is no; anything but yes or no is asked again
            try:
                raw = self.io.ask(w["offer_docs"], key="documents", qid="documents",
                                  optional=True).strip().lower()
            except (EOFError, _NoAnswer):
                raw = ""
            if raw in YES_INPUT or raw in NO_INPUT or not raw or isinstance(self.io, AnswersIO):
                break
            self.io.say("  " + w["offer_docs_again"])
        want = raw in YES_INPUT
        commands = [f"assess {kind} {self.path} --as-of {self.as_of.isoformat()} "
                    f"-o {self.path.with_name(self.path.stem + '-' + kind + '.pdf')}"
                    + (" --lang en" if self.lang == "en" else "")
                    for kind in ("opinion", "report")]
        if not want:
            self.io.say(w["doc_cmd"])
            for c in commands:
                self.io.say("  " + c)
            return
        groups = self.document_groups()
        if self.document_slots() or groups:
            self.io.say(w["docs_details"])
        offered: set[str] = set()
        try:
            while True:     # one at a time: an answer can open or close the next question
                slot = next((s for s in self.document_slots() if s.key not in offered), None)
                if slot is None:
                    break
                offered.add(slot.key)
                self.ask_for_documents(slot)
            for g in groups:
                self.ask_list_for_documents(g)
            self.photos()
        except (EOFError, _NoAnswer):
            pass
        self.save()
        try:
            from ..documents import write_document
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


    def photos(self) -> None:
        """The photo files (buyer photos per refund request, listing photos), their analysis,
        and what it means for the assessment; the findings go into the case file only when the
        lawyer confirms.  Every question can be skipped with an empty answer."""
        w = self.w
        targets = self.photo_targets()
        if targets:
            self.say(w["photos_intro"], indent="  ", first="")
        for target, i in targets:
            if target == "incident":
                inc = self.data["incidents"][i]
                about = "，".join(str(x) for x in (inc.get("date"), inc.get("goods")) if x) \
                    if self.lang == "zh" else ", ".join(str(x) for x in (inc.get("date"),
                                                                          inc.get("goods")) if x)
                prompt = w["photos_incident"].format(n=i + 1, about=about)
                key = f"photos.incident.{i + 1}"
            else:
                prompt, key = w["photos_listing"], "photos.listing"
            self.say(prompt, indent="    ", first="  ")
            while True:
                raw = self.io.ask("  >", key=key, qid=key, optional=True)
                if not raw.strip():
                    break
                try:
                    names = self.add_photos(target, i, raw)
                except ValueError as exc:
                    self.say(w["invalid"].format(why=exc), first="  ")
                    if isinstance(self.io, AnswersIO):
                        break
                    continue
                self.say(w["echo"].format(value="、".join(names) if self.lang == "zh"
                                          else ", ".join(names)), first="  ")
                break
        self.io.say("  " + w["photos_running"])
        result = self.analyse_photos()
        if result is None:
            self.io.say("  " + w["photos_none"])
            return
        self.show_findings(result)
        outcomes = self.evidence_outcomes(result["evidence_analysis"])
        if outcomes:
            self.io.say(w["photos_outcomes"])
            for o in outcomes:
                mark = "" if o["status"] == "definite" else w["photos_conditional"]
                self.say(f"{o['title']}{mark}", indent="      ", first="  • ")
        while True:
            raw = self.io.ask(w["photos_accept"], key="photos.accept", qid="photos.accept",
                              optional=True).strip().lower()
            if raw in YES_INPUT:
                try:
                    self.accept_analysis(result)
                except ValueError as exc:
                    self.say(w["invalid"].format(why=exc), first="  ")
                    return
                self.io.say("  " + w["photos_saved"].format(path=self.path))
                return
            if raw in NO_INPUT or not raw or isinstance(self.io, AnswersIO):
                self.io.say("  " + w["photos_not_saved"])
                return
            self.io.say("  " + w["not_yesno"])

    def show_findings(self, result: dict) -> None:
        """The analysis of each buyer photo, in short: its findings with their strength."""
        w = self.w
        self.io.say(w["photos_findings"])
        for entry in result["files"]:
            if entry["role"] != "photo":
                continue
            self.say(f"{entry['file']}  SHA-256 {(entry.get('sha256') or '—')[:16]}…",
                     indent="    ", first="  ")
            found = list(entry["findings"]) + [f for c in result["comparisons"]
                                              if c["photo"] == entry["file"]
                                              for f in c["findings"] if f["code"] != "no_match"]
            for f in found:
                self.say(f"[{f['strength_text']}] {f['text']}", indent="        ", first="    - ")

    def ask_for_documents(self, slot: Slot, stop_on_empty: bool = False) -> bool:
        """One question for the documents, asked until the answer is valid; an empty answer
        skips it.  False when it was skipped."""
        w = self.w
        self.say(self.slot_title(slot), indent="  ", first="")
        q = self.question(slot)
        self.show_options(q)
        while True:
            raw = self.io.ask("  >", key=slot.key, qid=slot.answer_id, index=slot.index,
                              optional=True)
            low = raw.strip().lower()
            if not low:
                return False
            if low in COMMANDS["why"] + COMMANDS["detail"] + COMMANDS["help"]:
                if q.help:
                    self.say(q.text("help", self.lang))
                continue
            try:
                value, echo = self.parse(slot, raw)
                if q.type == "place":
                    echo = echo.label()
                self.apply(slot, value)
            except ValueError as exc:
                self.say(w["invalid"].format(why=exc), first="  ")
                if isinstance(self.io, AnswersIO):
                    return False
                continue
            if echo:
                self.say(w["echo"].format(value=echo), first="  ")
            self.save()
            return True

    def ask_list_for_documents(self, g) -> None:
        """A list asked only for the documents (the evidence files): entry after entry, until
        the first question of an entry is left empty."""
        while True:
            i = self.new_entry(g)
            try:
                for n, q in enumerate(g.questions):
                    if not self.ask_for_documents(Slot("field", q.id, i)) and n == 0:
                        return
            finally:
                self.drop_empty_entries(g)
                self.save()


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
    try:
        iv.start(resume)
        if iv.kept is not None:
            iv.say(iv.w["kept_original"].format(path=path, copy=iv.kept), indent="", first="")
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
    finally:
        iv.unlock()
