"""The questionnaire as data: rules/questions.yaml, loaded and checked.

`load_questions(path=None, pack=None, lib=None)` returns a `Questionnaire`.  Every problem is an
`AssessError` with file:line: unknown keys, a field the case file format (assess/case.py FIELDS)
does not have, a type that does not fit the field, a fact rules/facts.yaml does not declare, a
provision statutes/ does not hold, duplicate ids.  All problems of the file are reported together.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssessError, AssessErrors
from .yamlio import Node, NodeList, load

TYPES = ("yesno", "amount", "date", "integer", "choice", "place", "text", "file", "group")
# question type -> the case-file field kinds (assess.case.F.kind) it can set
KIND_OF = {"yesno": ("tri",), "amount": ("amount",), "date": ("date",), "integer": ("age",),
           "choice": ("enum",), "place": ("place",), "text": ("text",), "file": ("text",),
           "group": ("list",)}
ASK = ("relevant", "documents")
KEYS = {"id", "field", "type", "prompt", "help", "priority", "about", "provisions", "unknown",
        "validation", "try", "assume", "date_field", "ask", "heading", "more", "gate", "min", "questions",
        "synonyms", "documents", "only_if", "consequences", "after", "birthday_of"}
GROUP_ONLY = {"heading", "more", "gate", "min", "questions"}
REQUIRED = {"id", "field", "type"}


@dataclass
class Question:
    id: str
    field: str                       # full path: "place", "buyer.age"; in a group: "amount"
    type: str
    prompt: dict
    help: dict
    priority: int = 0
    about: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    unknown: bool = True
    validation: dict = field(default_factory=dict)
    tries: tuple = ()
    assume: object = None            # the answer assumed for the other questions' relevance test
    date_field: str | None = None
    ask: str = "relevant"
    values: dict | None = None       # choice: value -> Chinese label (from assess.case)
    group: "Group | None" = None     # the group this question belongs to
    order: int = 0                   # position in the file
    line: int | None = None
    file: str | None = None
    synonyms: dict = field(default_factory=dict)   # choice: everyday word -> value
    documents: bool = False          # also asked, when still open, before writing the documents
    only_if: dict = field(default_factory=dict)    # documents phase: asked only when these
    #                                                fields have these answers
    consequences: bool = False       # also asked when a penalty of a track that may apply
    #                                  depends on it (the tier, an age boundary)
    after: str | None = None         # a group whose "are there any?" is asked first, while it
    #                                  is open and can change a conclusion (its answer says
    #                                  which answers this question can take)
    birthday_of: str | None = None   # a date question for the date of birth, asked after a bare
    #                                  age (this age field): it tries the dates of birth that put
    #                                  a request on that birthday, and the day before

    def text(self, key: str, lang: str) -> str:
        d = getattr(self, key) or {}
        return d.get(lang) or d.get("zh") or ""


@dataclass
class Group:
    id: str
    field: str                       # "incidents", "buyer.prior_penalties"
    priority: int
    heading: dict
    more: dict
    gate: dict | None
    help: dict
    minimum: int
    questions: list[Question]
    about: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    order: int = 0
    line: int | None = None
    file: str | None = None
    prompt: dict = field(default_factory=dict)
    consequences: bool = False       # see Question.consequences

    @property
    def for_documents(self) -> bool:
        """Every question of the group is asked only for the documents (the evidence list)."""
        return all(q.ask == "documents" for q in self.questions)

    def text(self, key: str, lang: str) -> str:
        d = getattr(self, key) or {}
        return d.get(lang) or d.get("zh") or ""


@dataclass
class Questionnaire:
    items: list                      # Question | Group, in file order
    file: str

    @property
    def questions(self) -> list[Question]:
        """Every question, group members included."""
        out = []
        for item in self.items:
            out += item.questions if isinstance(item, Group) else [item]
        return out

    @property
    def groups(self) -> list[Group]:
        return [i for i in self.items if isinstance(i, Group)]

    def by_id(self, qid: str):
        for item in self.items:
            if item.id == qid:
                return item
            if isinstance(item, Group):
                for q in item.questions:
                    if q.id == qid:
                        return q
        raise KeyError(qid)

    def fields(self) -> set[str]:
        """The case fields the questions set ("incidents[].amount" for group members)."""
        out = set()
        for q in self.questions:
            out.add(f"{q.group.field}[].{q.field}" if q.group else q.field)
            if q.date_field:
                out.add(q.date_field)
        for g in self.groups:
            out.add(g.field)
        return out


def default_path(base=None) -> Path:
    from . import paths
    return paths.rules_dir(base) / "questions.yaml"


def case_field(path: str, fields=None):
    """The assess.case.F for a dotted path ("buyer.age"), or None."""
    from .case import FIELDS

    fields = FIELDS if fields is None else fields
    f = None
    for part in path.split("."):
        f = next((x for x in fields if x.name == part), None)
        if f is None:
            return None
        fields = f.fields
    return f


class _Loader:
    def __init__(self, file: str, pack=None, lib=None):
        self.file = file
        self.pack = pack
        self.lib = lib
        self.errors: list[AssessError] = []
        self.ids: dict[str, int | None] = {}
        self.afters: list = []                  # (node, question) with an `after` key

    def err(self, node, key, message, **kw):
        if isinstance(node, Node):
            _, line, col = node.pos(key)
        else:
            line = col = None
        self.errors.append(AssessError(message, file=self.file, line=line, col=col, **kw))

    def text(self, node: Node, key: str, what: str, required=True) -> dict:
        value = node.get(key)
        if value is None:
            if required:
                self.err(node, None, f"{what} lacks '{key}' (a mapping with zh and en)",
                         field=key, expected="{zh: 中文, en: English}")
            return {}
        if not isinstance(value, dict) or set(value) != {"zh", "en"} or not all(
                isinstance(v, str) and v.strip() for v in value.values()):
            self.err(node, key, f"'{key}' of {what} must give both a Chinese and an English text",
                     field=key, expected="{zh: 中文, en: English}")
            return {}
        return dict(value)

    def keys(self, node: Node, what: str, group: bool) -> bool:
        ok = True
        allowed = KEYS if group else KEYS - GROUP_ONLY
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                self.err(node, key, f"unknown key '{key}' in {what}", field=str(key),
                         expected="one of: " + ", ".join(sorted(allowed)),
                         hint=f"did you mean '{close[0]}'?" if close else None)
                ok = False
        for key in sorted(REQUIRED):
            if key not in node:
                self.err(node, None, f"{what} lacks the required key '{key}'", field=key)
                ok = False
        return ok

    def strings(self, node: Node, key: str) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(node, key, f"'{key}' must be a list of ids", field=key)
            return ()
        return tuple(value)

    def check_refs(self, node: Node, about, provisions) -> None:
        if self.pack is not None:
            for fid in about:
                if fid not in self.pack.facts:
                    close = difflib.get_close_matches(fid, list(self.pack.facts), n=1)
                    self.err(node, "about", f"unknown fact '{fid}' in about", field="about",
                             hint=f"did you mean '{close[0]}'?" if close else
                             "facts are declared in rules/facts.yaml")
        if self.lib is not None:
            for pid in provisions:
                if pid not in self.lib.provisions:
                    close = difflib.get_close_matches(pid, list(self.lib.provisions), n=1)
                    self.err(node, "provisions", f"unknown provision '{pid}'",
                             field="provisions",
                             hint=f"did you mean '{close[0]}'?" if close else
                             "provision ids look like criminal-law/266")

    def question(self, node, order: int, group: Group | None = None) -> Question | Group | None:
        what = "question" if group is None else f"question of group '{group.id}'"
        if not isinstance(node, Node):
            self.err(None, None, f"a {what} must be a mapping of keys to values")
            return None
        qid = node.get("id")
        if not self.keys(node, f"{what} '{qid or '?'}'", group is None):
            return None
        if not isinstance(qid, str) or not qid.strip():
            self.err(node, "id", "a question id must be text", field="id")
            return None
        if qid in self.ids:
            self.err(node, "id", f"question id '{qid}' is used twice (first at line "
                                 f"{self.ids[qid]})", field="id")
        self.ids[qid] = node.line
        qtype = node.get("type")
        if qtype not in TYPES:
            close = difflib.get_close_matches(str(qtype), TYPES, n=1)
            self.err(node, "type", f"unknown question type '{qtype}'", field="type",
                     expected=", ".join(TYPES),
                     hint=f"did you mean '{close[0]}'?" if close else None)
            return None
        path = node.get("field")
        if not isinstance(path, str):
            self.err(node, "field", "'field' must name a case-file field", field="field")
            return None
        from .case import FIELDS

        f = case_field(path, FIELDS if group is None else group_fields(group.field))
        if f is None:
            scope = "the case file" if group is None else f"an entry of {group.field}"
            names = _all_paths(FIELDS if group is None else group_fields(group.field))
            close = difflib.get_close_matches(path, names, n=1)
            self.err(node, "field", f"'{path}' is not a field of {scope}", field="field",
                     expected="a field of docs/case-format.md",
                     hint=f"did you mean '{close[0]}'?" if close else None)
            return None
        if f.kind not in KIND_OF[qtype]:
            self.err(node, "type", f"a {qtype} question cannot set '{path}' (a {f.kind} field)",
                     field="type",
                     expected=next((t for t, k in KIND_OF.items() if f.kind in k), "?"))
            return None
        priority = node.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool):
            self.err(node, "priority", "'priority' must be a whole number", field="priority")
            priority = 0
        about = self.strings(node, "about")
        provisions = self.strings(node, "provisions")
        self.check_refs(node, about, provisions)
        helptext = self.text(node, "help", f"question '{qid}'", required=False)
        if qtype == "group":
            if group is not None:
                self.err(node, "type", "a group cannot be inside a group", field="type")
                return None
            for key in ("prompt", "try", "assume", "date_field", "validation", "unknown",
                        "synonyms", "documents", "only_if", "after"):
                if key in node:
                    self.err(node, key, f"a group has no '{key}'", field=key,
                             hint="heading, more, gate, min and questions describe a group")
            minimum = node.get("min", 0)
            if minimum not in (0, 1):
                self.err(node, "min", "'min' is 0 or 1", field="min")
                minimum = 0
            g = Group(qid, path, priority, self.text(node, "heading", f"group '{qid}'"),
                      self.text(node, "more", f"group '{qid}'"),
                      self.text(node, "gate", f"group '{qid}'", required=False) or None,
                      helptext, minimum, [], about, provisions, order, node.line, self.file)
            g.consequences = self.flag(node, "consequences")
            if g.gate and minimum:
                self.err(node, "gate", "a group with a gate question has min: 0", field="gate")
            items = node.get("questions")
            if not isinstance(items, NodeList) or not items:
                self.err(node, "questions", f"group '{qid}' needs a list of questions",
                         field="questions")
                return g
            for i, item in enumerate(items):
                q = self.question(item, i, g)
                if q is not None:
                    g.questions.append(q)
            return g
        for key in GROUP_ONLY:
            if key in node:
                self.err(node, key, f"'{key}' belongs to a group (type: group)", field=key)
        prompt = self.text(node, "prompt", f"question '{qid}'")
        unknown = node.get("unknown", True)
        if not isinstance(unknown, bool):
            self.err(node, "unknown", "'unknown' is true or false", field="unknown")
            unknown = True
        validation = node.get("validation") or {}
        if not isinstance(validation, dict) or set(validation) - {"min", "max"}:
            self.err(node, "validation", "'validation' takes min and max", field="validation",
                     expected="{min: 0, max: 120}")
            validation = {}
        elif qtype not in ("integer", "amount") and validation:
            self.err(node, "validation", f"a {qtype} question has no min/max", field="validation")
        tries = node.get("try")
        tries = [] if tries is None else tries
        if not isinstance(tries, list):
            self.err(node, "try", "'try' must be a list of answers", field="try")
            tries = ()
        assume = node.get("assume")
        if isinstance(assume, bool):
            assume = "yes" if assume else "no"
        if assume is not None:
            ok = {"yesno": lambda v: v in ("yes", "no"),
                  "choice": lambda v: v in (f.values or {}),
                  "integer": lambda v: isinstance(v, int),
                  "amount": lambda v: isinstance(v, (int, float)),
                  "date": lambda v: isinstance(v, str)}.get(qtype, lambda v: False)(assume)
            if not ok:
                self.err(node, "assume", f"'{assume}' is not an answer to this {qtype} question",
                         field="assume")
                assume = None
        date_field = node.get("date_field")
        if date_field is not None:
            df = case_field(date_field) if group is None else None
            if qtype != "integer" or df is None or df.kind != "date":
                self.err(node, "date_field", "'date_field' names a date field of the case file "
                                             "and belongs to an integer question",
                         field="date_field")
                date_field = None
        ask = node.get("ask", "relevant")
        if ask not in ASK:
            self.err(node, "ask", f"unknown value '{ask}' for ask", field="ask",
                     expected=" or ".join(ASK))
            ask = "relevant"
        if ask == "relevant" and qtype in ("text", "file"):
            self.err(node, "ask", "a text answer cannot change a conclusion", field="ask",
                     hint="write ask: documents")
        synonyms = self.synonyms(node, qtype, f.values)
        documents = node.get("documents", False)
        if not isinstance(documents, bool) or (documents and ask == "documents"):
            self.err(node, "documents", "'documents' is true or false, for a question asked "
                     "when relevant (it is then also asked before writing the documents)",
                     field="documents")
            documents = False
        only_if = node.get("only_if") or {}
        if not isinstance(only_if, dict) or (only_if and group is not None) or any(
                case_field(k) is None or isinstance(v, (dict, list)) for k, v in only_if.items()):
            self.err(node, "only_if", "'only_if' maps case-file fields to the answer they must "
                     "have (top-level questions only)", field="only_if",
                     expected="{police_reported: yes}")
            only_if = {}
        only_if = {k: ("yes" if v is True else "no" if v is False else v)
                   for k, v in only_if.items()}
        after = node.get("after")
        if after is not None and not (isinstance(after, str) and after.strip()):
            self.err(node, "after", "'after' names a group with a gate question", field="after",
                     expected="after: prior_penalty")
            after = None
        birthday_of = node.get("birthday_of")
        if birthday_of is not None:
            bf = case_field(birthday_of) if isinstance(birthday_of, str) else None
            if qtype != "date" or group is not None or bf is None or bf.kind != "age":
                self.err(node, "birthday_of", "'birthday_of' names the age field of the case "
                         "file and belongs to a date question outside a list",
                         field="birthday_of", expected="birthday_of: buyer.age")
                birthday_of = None
        q = Question(qid, path, qtype, prompt, helptext, priority, about, provisions, unknown,
                     dict(validation), tuple(tries), assume, date_field, ask,
                     dict(f.values) if f.values else None, group, order, node.line,
                     self.file, synonyms, documents, only_if, self.flag(node, "consequences"),
                     after, birthday_of)
        if after is not None:
            self.afters.append((node, q))
        return q

    def check_afters(self, items: list) -> None:
        """`after` names a group of the questionnaire that has a gate question."""
        gates = {i.id for i in items if isinstance(i, Group) and i.gate}
        for node, q in self.afters:
            if q.after not in gates:
                close = difflib.get_close_matches(q.after, sorted(gates), n=1)
                self.err(node, "after", f"'after: {q.after}' does not name a group with a gate "
                         f"question", field="after", expected="one of: " + ", ".join(sorted(gates)),
                         hint=f"did you mean '{close[0]}'?" if close else None)
                q.after = None

    def flag(self, node: Node, key: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.err(node, key, f"'{key}' is true or false", field=key)
            return False
        return value

    def synonyms(self, node: Node, qtype: str, values) -> dict:
        """`synonyms: {value: [word, ...]}` of a choice question -> {word (lower case): value}."""
        raw = node.get("synonyms")
        if raw is None:
            return {}
        if qtype != "choice" or not isinstance(raw, dict):
            self.err(node, "synonyms", "'synonyms' belongs to a choice question and maps a choice "
                     "to a list of words", field="synonyms",
                     expected="{ai_generated: [AI生成的, AI做的]}")
            return {}
        out: dict[str, str] = {}
        for value, words in raw.items():
            if value not in (values or {}):
                self.err(node, "synonyms", f"'{value}' is not a choice of this question",
                         field="synonyms", expected="one of: " + ", ".join(values or {}))
                continue
            if isinstance(words, str):
                words = [words]
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                      for w in words):
                self.err(node, "synonyms", f"the synonyms of '{value}' must be a list of words",
                         field="synonyms")
                continue
            for w in words:
                key = w.strip().lower()
                if out.get(key, value) != value:
                    self.err(node, "synonyms", f"'{w}' is given for both '{out[key]}' and "
                             f"'{value}'", field="synonyms")
                out[key] = value
        return out


def group_fields(path: str):
    f = case_field(path)
    return f.fields if f is not None else ()


def _all_paths(fields, prefix="") -> list[str]:
    out = []
    for f in fields:
        out.append(prefix + f.name)
        if f.kind == "object":
            out += _all_paths(f.fields, prefix + f.name + ".")
    return out


def load_questions(path=None, pack=None, lib=None) -> Questionnaire:
    """Read and check rules/questions.yaml (or `path`); AssessErrors lists every problem."""
    path = Path(path) if path else default_path()
    data = load(path)
    file = str(path)
    loader = _Loader(file, pack, lib)
    if not isinstance(data, Node):
        raise AssessError("the questionnaire must be a mapping with a 'questions' list",
                          file=file, line=1, col=1, expected="version: 1\nquestions:\n  - id: ...")
    for key in data:
        if key not in ("version", "questions"):
            loader.err(data, key, f"unknown key '{key}' in the questionnaire", field=str(key),
                       expected="version, questions")
    if data.get("version", 1) != 1:
        loader.err(data, "version", f"unsupported questionnaire version {data.get('version')}",
                   field="version", expected="1")
    items = data.get("questions")
    if not isinstance(items, NodeList) or not items:
        raise AssessError("'questions' must be a non-empty list", file=file,
                          line=data.line, col=data.col)
    out = []
    for i, item in enumerate(items):
        q = loader.question(item, i)
        if q is not None:
            out.append(q)
    loader.check_afters(out)
    if loader.errors:
        loader.errors.sort(key=lambda e: (e.line is None, e.line or 0, e.col or 0))
        raise AssessErrors(loader.errors)
    return Questionnaire(out, file)
