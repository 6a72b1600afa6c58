"""The UI-free interview state: the case data, relevance, applying answers, autosave/resume."""
from __future__ import annotations

import copy
import hashlib
import json
import os
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from ..errors import AssessError, AssessErrors
from .keys import ConclusionsKey, case_key, data_key, facts_key, text_of
from .parsing import Parsing
from .slots import _MISSING, Slot, _del, _get, _minus_months, _set
from .wording import W, Wording

SIDECAR_FORMAT = "assess-interview/1"


# Dates that normally come after the first refund request: one earlier is questioned, then
# kept when confirmed ("confirm"), or refused because the case file cannot hold it ("refuse",
# assess/case.py checks the report date).
DATE_ORDER = {"merchant_learned_date": "confirm", "police_report_date": "refuse"}


def _list_limit(g) -> int | None:
    """How many entries a list may hold in a case file (assess/case.py refuses more): a full
    list is not offered "another one?" and gets no placeholder entry when evaluated."""
    from ..case import MAX_INCIDENTS

    return MAX_INCIDENTS if g.field == "incidents" else None


class Session(Wording, Parsing):
    """The state machine: the case data, the open lists, the order of the answers.

    Photo evidence, for any front end (terminal, web page); UI-free, every text in the
    session's language:
        photo_targets()            what to ask: ("incident", i) for each refund request without
                                   photos, ("listing", None) while no listing photo is named
        add_photos(target, i, raw) the files typed (relative to the case folder; commas or
                                   spaces between them) added with their SHA-256 and saved;
                                   ValueError naming a file not found (nothing is changed)
        analyse_photos()           assess.evidence.analyse_files on every buyer and listing
                                   photo the case names, or None without a buyer photo; its
                                   "files"/"comparisons" hold the findings, its
                                   "evidence_analysis" the block the rules read
        evidence_outcomes(block)   what the assessment would say of the analysis once it is
                                   recorded: [{title, explanation, status}] of the rules that
                                   read it
        accept_analysis(result)    records result["evidence_analysis"] in the case file (only
                                   when the user has confirmed it) and saves
    """

    def __init__(self, path: Path, *, lang: str = "zh", as_of: date | None = None, base=None,
                 io=None):
        from ..assessment import load
        from ..facts import earliest_conduct_date
        from ..questions import load_questions

        if lang not in W:
            raise AssessError(f"unknown language '{lang}'", field="--lang", expected="zh or en")
        self.path = Path(path)
        self.sidecar = self.path.with_name(self.path.name + ".interview.json")
        self.lang = lang
        self.w = W[lang]
        self.base = base
        self.lib, self.pack = load(base)
        self.earliest = earliest_conduct_date(self.lib, self.pack)
        from ..questions import default_path
        self.qs = load_questions(default_path(base), self.pack, self.lib)
        self.as_of = as_of or date.today()
        self.io = io
        self.data: dict = {"format": "assess-case/1"}
        self.groups: dict[str, dict] = {g.id: {"open": True, "gate": None} for g in self.qs.groups}
        self.history: list[str] = []
        self.asked: list[str] = []
        self.finished = False
        self._cache: dict = {}
        self._conclusions_key: ConclusionsKey | None = None     # made at the first pass
        self._entries: dict | None = None       # parse_case's memo, during a relevance pass
        self._passed: dict | None = None        # the last relevance pass: {"key", "slots",
        #                                         "possible", "unfinished"}
        # why the last pass asks each slot: the first answer of each different outcome of the
        # quick (three-valued) assessments, or None where the reasoning by cases said so (a
        # record of the pass, never shown: see answer_outcomes)
        self.outcomes: dict[str, list[str] | None] = {}
        self.shown: dict[str, list] = {}        # what `?` shows, per slot (answer_outcomes)
        self.for_consequences: set[str] = set()     # slots asked for a consequence
        self._result = None
        self._result_due: dict | None = None    # the answers whose assessment is not made yet
        self._written: str | None = None        # the case file's text as last read or written
        self._texts: tuple | None = None        # (repr of the data, its case file text)
        self.kept: Path | None = None           # the copy of a hand-written case file (start)

    # ------------------------------------------------------------------ the assessment so far

    @property
    def result(self) -> dict | None:
        """The assessment of the answers so far (the base of the last relevance pass).  A pass
        taken from the sidecar does not make it: it is made when something first reads it."""
        if self._result_due is not None:
            data, self._result_due = self._result_due, None
            base = self.evaluate(data, completions=RELEVANCE_COMPLETIONS)
            self._result = base[1] if base else None
        return self._result

    @result.setter
    def result(self, value: dict | None) -> None:
        self._result, self._result_due = value, None

    def possible_tracks(self) -> list[str] | None:
        """The tracks still possible (the status line); None when the answers are not a valid
        case.  Taken from the sidecar with its relevance pass, so that a resume of an unchanged
        case does not assess it before the first question."""
        if self._result_due is not None and self._passed and \
                isinstance(self._passed.get("possible"), list):
            return self._passed["possible"]
        return (self.result or {}).get("possible_tracks")

    def tracks_unfinished(self) -> bool:
        """Whether the analysis behind the status line stopped at its cap before every case was
        decided: its tracks are then the ones not ruled out, not all shown to be possible."""
        if self._result_due is not None and self._passed and "unfinished" in self._passed:
            return self._passed["unfinished"]
        return bool(((self.result or {}).get("analysis") or {}).get("stopped_early"))

    # ------------------------------------------------------------------ files

    def lock(self) -> None:
        """One interview per case file at a time (fcntl lock on CASE.lock, held until the
        process ends); a second one is told who holds it instead of saving over its answers."""
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fh = open(lock_path, "a+")
        except OSError as exc:
            raise AssessError(f"cannot lock the case file: {exc.strerror}", file=str(lock_path))
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            fh.close()
            raise AssessError(f"another interview (process {holder}) is answering this case file",
                              file=str(self.path), hint="finish or stop that interview first, "
                              "then continue with --resume") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock = fh                       # kept open: the lock lasts as long as the process

    def unlock(self) -> None:
        """Release the case file (closing the lock file releases the lock)."""
        fh = getattr(self, "_lock", None)
        if fh is not None:
            fh.close()
            self._lock = None

    def _read_sidecar(self) -> dict | None:
        """The saved state of an interview, checked: a sidecar that is not a regular file or
        does not hold what an interview writes is bad input (the case file is kept)."""
        if not self.sidecar.exists() and not self.sidecar.is_symlink():
            return None
        bad = dict(file=str(self.sidecar),
                   hint=f"move {self.sidecar.name} away to restart the questions from the case "
                        f"file (its answers are kept)")
        if not self.sidecar.is_file():
            raise AssessError("the interview's state file is not a regular file", **bad)
        try:
            meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            raise AssessError("the interview's state file cannot be read as JSON", **bad) from None
        ok = isinstance(meta, dict) and isinstance(meta.get("groups", {}), dict) and \
            all(isinstance(v, dict) for v in meta.get("groups", {}).values()) and \
            all(isinstance(meta.get(k, []), list) for k in ("history", "asked"))
        if not ok:
            raise AssessError("the interview's state file is malformed (groups, history or asked "
                              "have the wrong type)", **bad)
        return meta

    def start(self, resume: bool) -> None:
        from ..case import load_case

        self.lock()
        if self.path.exists():
            if not resume:
                raise AssessError(self.w["exists"], file=str(self.path), hint=self.w["exists_hint"])
            case = load_case(self.path, as_of=self.as_of)
            self.data = copy.deepcopy(case.data)
            self._keep_original()
            meta = self._read_sidecar()
            if meta and meta.get("format") == SIDECAR_FORMAT:
                for gid, st in (meta.get("groups") or {}).items():
                    if gid in self.groups:
                        self.groups[gid].update({k: v for k, v in st.items()
                                                 if k in ("open", "gate")})
                self.history = [k for k in meta.get("history", []) if isinstance(k, str)]
                self.asked = [k for k in meta.get("asked", []) if isinstance(k, str)]
                self.finished = meta.get("finished") is True
                passed = meta.get("relevance")
                if isinstance(passed, dict) and isinstance(passed.get("key"), str) and \
                        isinstance(passed.get("slots"), list) and \
                        all(isinstance(k, str) for k in passed["slots"]):
                    possible = passed.get("possible")
                    self._passed = {"key": passed["key"], "slots": list(passed["slots"]),
                                    "possible": possible if isinstance(possible, list) and all(
                                        isinstance(t, str) for t in possible) else None,
                                    "unfinished": passed.get("unfinished") is True}
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

    def _keep_original(self) -> None:
        """A case file written or edited by hand (comments, its own layout) is copied once to
        CASE.orig (CASE.orig.2, … if that holds another text) before the interview writes its
        own layout over it: nothing the user wrote is lost.  `self.kept` names the copy."""
        from ..case import write_atomic

        text = self.path.read_text(encoding="utf-8")
        self._written = text
        if text == self._case_text():
            return
        n = 1
        while True:
            copy_path = self.path.with_name(self.path.name + (".orig" if n == 1 else f".orig.{n}"))
            if not copy_path.exists():
                break
            if copy_path.is_file() and copy_path.read_text(encoding="utf-8",
                                                           errors="replace") == text:
                self.kept = copy_path
                return
            n += 1
        write_atomic(copy_path, text, "the copy of the case file")
        self.kept = copy_path

    def _case_text(self) -> str:
        """The case file's text of the answers (case.case_text), made again only when they
        changed: a YAML text of 200 refund requests takes about 50 ms, and the start compares
        and saves it more than once.  The data are plain YAML values (mappings, lists, strings,
        numbers, dates), whose repr tells apart whatever YAML writes differently."""
        from ..case import case_text

        key = repr(self.data)
        if self._texts is None or self._texts[0] != key:
            self._texts = (key, case_text(self.data))
        return self._texts[1]

    def save(self) -> None:
        from ..case import write_atomic

        text = self._case_text()
        if text != self._written or not self.path.exists():    # unchanged: not written again
            write_atomic(self.path, text, "the case file")
            self._written = text
        self._save_sidecar()

    def _save_sidecar(self) -> None:
        from ..case import write_atomic

        meta = {"format": SIDECAR_FORMAT, "case": self.path.name, "lang": self.lang,
                "as_of": self.as_of.isoformat(), "groups": self.groups,
                "history": self.history, "asked": self.asked, "finished": self.finished,
                "relevance": self._passed}
        write_atomic(self.sidecar, json.dumps(meta, ensure_ascii=False, indent=1),
                     "the interview's state file")

    # ------------------------------------------------------------------ slots

    def entries(self, g) -> list:
        value = _get(self.data, g.field, None)
        return value if isinstance(value, list) else []

    def full(self, g) -> bool:
        """The list holds as many entries as a case file may (no "another one?")."""
        limit = _list_limit(g)
        return limit is not None and len(self.entries(g)) >= limit

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
                if phase == "relevant" and g.for_documents:
                    continue
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
                if phase == "relevant" and st["open"] and entries and not self.full(g):
                    out.append(((-g.priority, len(entries), 0, 0),
                                Slot("more", g.id, len(entries) - 1)))
            elif item.ask == phase:
                slot = Slot("field", item.id)
                if self.value(slot) is _MISSING:
                    out.append(((-item.priority, 0, 0, item.order), slot))
        out.sort(key=lambda x: x[0])
        return [s for _, s in out]

    def date_doubt(self, slot: Slot, value) -> tuple[bool, str] | None:
        """(refuse, message) when a date answer lies before the first refund request and
        should not (DATE_ORDER); None when it is in order."""
        if slot.kind != "field" or slot.qid not in DATE_ORDER or not isinstance(value, str) \
                or value == "unknown":
            return None
        first = self._first_date()
        if first is None or date.fromisoformat(value) >= first:
            return None
        refuse = DATE_ORDER[slot.qid] == "refuse"
        text = self.w["report_before_claim" if refuse else "learned_before_claim"]
        return refuse, text.format(date=value, first=first.isoformat())

    def document_slots(self) -> list[Slot]:
        """What the documents still need, in asking order: the questions marked `documents:
        true` that are still open (the place, the police report), then the questions asked
        only for the documents (goods, order number, parties, contact details)."""
        early = [s for s in self.open_slots() if s.kind == "field"
                 and self.question(s).group is None and self.question(s).documents]
        return [s for s in early + self.open_slots("documents")
                if all(_get(self.data, f, None) == v
                       for f, v in self.question(s).only_if.items())]

    def document_groups(self) -> list:
        """Lists asked only for the documents, one entry after another (the evidence files)."""
        return [g for g in self.qs.groups if g.for_documents]

    def new_entry(self, g) -> int:
        """Add an empty entry to a list; its index."""
        entries = self.entries(g)
        entries.append({})
        _set(self.data, g.field, entries)
        return len(entries) - 1

    def drop_empty_entries(self, g) -> None:
        entries = [e for e in self.entries(g) if e]
        if entries:
            _set(self.data, g.field, entries)
        else:
            _del(self.data, g.field)

    def resolve_file(self, raw: str) -> Path:
        """A file named in an answer: absolute, or relative to the case file's folder."""
        p = Path(raw.strip().strip('"').strip("'")).expanduser()
        return p if p.is_absolute() else self.path.parent / p

    def set_file_hash(self, entry: dict, value) -> None:
        """Next to a file's name, the SHA-256 of its content (it identifies the evidence)."""
        import hashlib

        if not value:
            entry.pop("sha256", None)
            return
        path = self.resolve_file(value)
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()

    # ------------------------------------------------------------------ photo evidence
    # (see the class docstring)

    def photo_targets(self) -> list[tuple[str, int | None]]:
        out = [("incident", i) for i, inc in enumerate(self.data.get("incidents") or [])
               if isinstance(inc, dict) and not inc.get("photos")]
        if not any(e.get("kind") == "listing_photo" for e in self.data.get("evidence") or []
                   if isinstance(e, dict)):
            out.append(("listing", None))
        return out

    def add_photos(self, target: str, index: int | None, raw: str) -> list[str]:
        import hashlib
        import re

        names = [n for n in re.split(r"[,，、;；\s]+", raw.strip()) if n]
        missing = [n for n in names if not self.resolve_file(n).is_file()]
        if missing:
            raise ValueError(self.w["no_file"].format(path="、".join(missing)
                                                      if self.lang == "zh" else
                                                      ", ".join(missing)))
        entries = [{"file": n, "sha256": hashlib.sha256(self.resolve_file(n).read_bytes())
                    .hexdigest()} for n in names]
        before = copy.deepcopy(self.data)
        if target == "incident":
            self.data["incidents"][index].setdefault("photos", []).extend(entries)
        else:
            self.data.setdefault("evidence", []).extend(
                {"kind": "listing_photo", **e} for e in entries)
        self._check_or_undo(before)
        self.save()
        return names

    def _photo_names(self) -> tuple[list[str], list[str]]:
        photos = [ph["file"] for inc in self.data.get("incidents") or [] if isinstance(inc, dict)
                  for ph in inc.get("photos") or [] if isinstance(ph, dict) and ph.get("file")]
        listing = []
        for e in self.data.get("evidence") or []:
            if isinstance(e, dict) and e.get("file"):
                if e.get("kind") == "buyer_photo" and e["file"] not in photos:
                    photos.append(e["file"])
                elif e.get("kind") == "listing_photo":
                    listing.append(e["file"])
        return photos, listing

    def analyse_photos(self) -> dict | None:
        photos, listing = self._photo_names()
        if not photos:
            return None
        from ..evidence.analyse import analyse_files
        return analyse_files(photos, listing, lang=self.lang, base=self.path.parent)

    def evidence_outcomes(self, block: dict) -> list[dict]:
        data = copy.deepcopy(self.data)
        data["evidence_analysis"] = block
        out = self.evaluate(data)
        if out is None:
            return []
        return [{"title": t["title"], "explanation": t["explanation"], "status": t["status"]}
                for t in out[1]["trace"] if "evidence_analysed" in t["facts_used"]]

    def accept_analysis(self, result: dict) -> None:
        before = copy.deepcopy(self.data)
        self.data["evidence_analysis"] = dict(result["evidence_analysis"])
        self._check_or_undo(before)
        self.save()

    def _check_or_undo(self, before: dict) -> None:
        from ..case import parse_case
        try:
            parse_case(copy.deepcopy(self.data), filename=str(self.path), as_of=self.as_of)
        except (AssessError, AssessErrors) as exc:
            self.data = before
            errors = getattr(exc, "errors", [exc])
            raise ValueError("; ".join(e.text(self.lang)["message"] for e in errors)) from None

    # ------------------------------------------------------------------ evaluation

    def eval_data(self, data=None, groups=None, placeholders: bool = True) -> dict:
        """The data evaluated: an open list gets one more entry whose facts are all unknown
        (with placeholders=False the lists are taken as complete)."""
        d = copy.deepcopy(self.data if data is None else data)
        groups = self.groups if groups is None else groups
        if placeholders:
            for g in self.qs.groups:
                entries = _get(d, g.field, None)
                limit = _list_limit(g)
                if limit is not None and isinstance(entries, list) and len(entries) >= limit:
                    continue                    # full: no entry can follow
                if not g.gate and groups[g.id]["open"] and not g.for_documents:
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

    def contexts(self, exclude: Slot, base: tuple | None = None) -> list[tuple[dict, bool]]:
        """The partial cases a slot's answers are tried on: (data, assumed).

        First the answers so far with everything else unknown; then the same with the typical
        answer (`assume` in questions.yaml) to every other open question, because some facts
        matter only together (a faked photo and goods that were not defective).
        `base` (from context_base) is shared by the slots of one relevance pass."""
        closed, everything, where = base or self.context_base()
        own = where.get(exclude.key)
        if own is None:
            assumed = everything
        elif own[1] is not None and [w[:3] for w in where.values()].count(own[:3]) == 1:
            # an entry's answer: the typical answers less this slot's own (shared otherwise)
            path, index, key, _ = own
            assumed = _fork(everything, path, index)
            _get(assumed, path)[index].pop(key)
        else:
            assumed = copy.deepcopy(closed)
            for k, (path, index, key, value) in where.items():
                if k == exclude.key:
                    continue
                if index is None:
                    _set(assumed, path, value)
                else:
                    _get(assumed, path)[index][key] = value
        out = [(closed, False)]
        if assumed != closed:
            out.append((assumed, True))
        return out

    def context_base(self) -> tuple[dict, dict, dict]:
        """(the answers so far, the same with every open question's typical answer, slot key ->
        where that answer was put and what it is: (path, entry index or None, key, answer))."""
        closed = self.eval_data(placeholders=False)
        everything = copy.deepcopy(closed)
        where: dict = {}
        for slot in self.open_slots():
            if slot.kind != "field":
                continue
            q = self.question(slot)
            if q.assume is None:
                continue
            if q.group is None:
                _set(everything, q.field, q.assume)
                where[slot.key] = (q.field, None, None, q.assume)
            else:
                entries = _get(everything, q.group.field, None)
                if isinstance(entries, list) and slot.index < len(entries):
                    entries[slot.index][q.field] = q.assume
                    where[slot.key] = (q.group.field, slot.index, q.field, q.assume)
        return closed, everything, where

    def evaluate(self, data: dict, engine: str = "plain", completions: int | None = None):
        """(conclusions, result) of a data set; None when the data is not a valid case.

        `completions=1` is the plain three-valued evaluation: enough to see whether an answer
        can change a conclusion, and fast; the outcome shown to the user is the full one."""
        from ..case import parse_case

        key = data_key(data, self._entries) + engine + str(completions)
        if key in self._cache:
            return self._cache[key]
        try:
            # parse_case does not change its input (the relevance pass shares the unchanged
            # parts of the data between the answers it tries: see _fork)
            case = parse_case(data, filename=str(self.path), as_of=self.as_of,
                              entries=self._entries)
            out = self._assess(case, engine, completions)
        except AssessError:
            out = None
        self._remember(key, out)
        return out

    def _assess(self, case, engine: str = "plain", completions: int | None = None):
        """evaluate() of a parsed case (AssessError when it is not one).  Answers that make the
        same case (an incident's "dealt with?" answered "no" where the earlier penalties already
        settle it, say) are assessed once; three-valued, answers that give the same case facts
        are (keys.facts_key)."""
        from ..assessment import evaluate_case

        same = (facts_key(case, self.lib, self.pack, self.as_of) if completions == 1
                else case_key(case, self._entries), engine, completions)
        out = self._cache.get(same)
        if out is None:
            result = evaluate_case(case, as_of=self.as_of, engine=engine, lang=self.lang,
                                   base=self.base, explain=False, completions=completions,
                                   brief=completions == 1)
            out = (conclusions(result), result)
            self._cache[same] = out
        return out

    def _remember(self, key: str, out) -> None:
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[key] = out

    def _evaluate_answer(self, slot: Slot, ctx: dict, data: dict) -> tuple | None:
        """The conclusions of a three-valued assessment of `data`, an answer of one refund
        request tried in the context `ctx` (relevant(): the answers the case file takes,
        _taken); None when it is not a case.

        An answer to "already dealt with?" (SET_FIELDS) is set on the context's parsed case
        instead of parsing the whole case again (about 1 ms at 200 requests, for each answer
        of each request): parse_case reads that answer only for the request's Incident (the
        answer given, case.py _handled) and for the one check it can fail, a penalty that can
        be for the request (_check_handled), which _taken has applied already (entry_refused).
        So the case parses when the context does (the context lacks only this answer), and the
        Incident set is the one parsing makes; of the data as written the facts read only the
        buyer, which the answer does not change (tests/test_interview_relevance.py compares
        the two ways on every request and answer)."""
        from ..cases import _set

        q = self.question(slot)
        try:
            if q.group is not None and q.group.field == "incidents" and q.field in SET_FIELDS:
                parsed = self._parsed(ctx)
                case = None if parsed is None else _set(
                    parsed, ("incidents", slot.index, q.field),
                    data["incidents"][slot.index][q.field])
            else:
                case = self._parsed(data)
            return None if case is None else self._conclusions(case)
        except AssessError:
            return None

    def _conclusions(self, case) -> tuple:
        """conclusions() of the three-valued assessment of a parsed case (AssessError when it
        is not one), assessed once per ConclusionsKey: the relevance pass compares the answers
        of a question by them alone."""
        from ..assessment import evaluate_case
        from ..facts import case_facts

        if self._conclusions_key is None:
            self._conclusions_key = ConclusionsKey(self.pack)
        key = ("conclusions", self._conclusions_key(
            case, case_facts(case, self.lib, self.pack, self.as_of)))
        out = self._cache.get(key)
        if out is None:
            out = conclusions(evaluate_case(case, as_of=self.as_of, engine="plain",
                                            lang=self.lang, base=self.base, explain=False,
                                            completions=1, brief=True))
            self._remember(key, out)
        return out

    def _parsed(self, ctx: dict):
        """parse_case(ctx) with the pass's memo, None when it is not a case; made once per
        context object during a pass (nothing changes a context in place then)."""
        from ..case import parse_case

        def parse(data):
            try:
                return parse_case(data, filename=str(self.path), as_of=self.as_of,
                                  entries=self._entries)
            except AssessError:
                return None
        return text_of(self._entries, ("parsed", ctx), parse)

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
                text = self.yesno_label(label)
                if value:                       # 是（行政处罚，2025-10-30）
                    detail = [self.choice_label(kind_q, value[0]["kind"]),
                              value[0].get("date")]
                    detail = [x for x in detail if x]
                    text += ("（" + "，".join(detail) + "）") if self.lang == "zh" else \
                        f" ({', '.join(detail)})"
                out.append((text, d))
            return out
        q = self.question(slot)
        for value in self.try_values(q, slot, result):
            d = _fork(ctx, q.field if q.group is None else q.group.field, None if q.group is None
                      else slot.index)
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

    def _compared_values(self, q) -> set[int]:
        """The whole numbers of the parameters that a rule compares a fact of `q.about` with
        (the age limits: age.criminal_full …), at the as-of date."""
        from ..model import leaves
        values = set()
        for rule in self.pack.rules:
            for atom in leaves(rule.when):
                if atom.fact in q.about and atom.ref in self.lib.parameters:
                    pv = self.lib.parameters[atom.ref].value_at(self.as_of)
                    if pv is not None:
                        values.add(int(pv.value))
        return values

    def try_values(self, q, slot: Slot, result: dict) -> list:
        if q.type == "yesno":
            return ["yes", "no"]
        if q.type == "choice":
            return [v for v in (q.values or {}) if v != "unknown"]
        if q.type == "place":
            return list(q.tries)
        if q.type == "integer":
            values = set(int(v) for v in q.tries if isinstance(v, int))
            for v in self._compared_values(q):
                values |= {v - 1, v}
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
        if q.type == "date" and q.birthday_of:
            # the dates of birth that put the first or the last request on the birthday of the
            # age given, and the day before (the criminal law counts a year from the day after
            # the birthday): the birthday on the last request's day leaves every request under
            # that age, the day before the first leaves none, and a birthday in between counts
            # an amount between the two; only for an age that a rule compares these facts with
            # (a year less changes nothing otherwise)
            age = _get(self.data, q.birthday_of, None)
            if not isinstance(age, int) or age not in self._compared_values(q):
                return []
            days = sorted(date.fromisoformat(e["date"])
                          for e in _get(self.data, "incidents", None) or []
                          if isinstance(e.get("date"), str) and e["date"] != "unknown")
            born = set()
            for d in days[:1] + days[-1:]:
                b = _minus_months(d, 12 * age)
                born |= {b, b - timedelta(days=1)}
            return [d.isoformat() for d in sorted(born)]
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
        # the answers tried share the entries of the lists they do not change (see _fork and
        # contexts; nothing changes an entry in place during the pass): each is parsed once
        #
        # The slots a pass finds are kept in the sidecar with a digest of everything the pass
        # reads (_relevance_key): `--resume` on an unchanged case takes them from there instead
        # of trying every answer again (seconds at 200 refund requests with many facts open).
        key = self._relevance_key()
        self._entries = {}
        try:
            passed = self._passed if self._passed and self._passed["key"] == key else None
            slots = self._relevant(passed["slots"] if passed else None)
        finally:
            self._entries = None
        if passed is None:
            self._passed = {"key": key, "slots": [s.key for s in slots],
                            "possible": self.possible_tracks(),
                            "unfinished": self.tracks_unfinished()}
            if self.sidecar.exists():
                self._save_sidecar()
        return slots

    def _relevance_key(self) -> str:
        """A digest of what a relevance pass reads: the answers, the open lists, the as-of
        date, the rules and statutes (pack digest), the questionnaire and the program."""
        h = hashlib.sha256(json.dumps(
            [self.data, self.groups, self.as_of.isoformat(), self.pack.digest],
            sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(_program_digest(self.qs.file).encode())
        return h.hexdigest()

    def _relevant(self, passed: list[str] | None = None) -> list[Slot]:
        self.outcomes = {}
        self.shown = {}
        self.for_consequences = set()
        if passed is not None:          # the pass of this very state, kept in the sidecar
            open_now = {x.key: x for x in self.open_slots()}
            if all(k in open_now for k in passed):
                self.outcomes = {k: None for k in passed}      # tried when "why" asks
                self._result_due = self.eval_data()             # assessed when read
                return [open_now[k] for k in passed]
        base = self.evaluate(self.eval_data(), completions=RELEVANCE_COMPLETIONS)
        self.result = base[1] if base else None
        analysis = (self.result or {}).get("analysis") or {}
        exact = base is not None and not analysis.get("stopped_early")
        # what the conclusions depend on; when the analysis stopped early (many facts still
        # open) that list is partial, and the answers of the other questions are also tried
        # three-valued
        depends = {d["var"] for d in analysis.get("depends_on", [])}
        depends_facts = {d["fact"] for d in analysis.get("depends_on", []) if d["fact"]}
        depends_fields = {k.rsplit(".", 1)[-1] for k in depends}   # incidents[2].handled -> handled
        base = None
        tried: dict = {}                # slot key -> relevant or not (this pass)

        def relevant(slot: Slot) -> bool:
            nonlocal base
            if slot.key in tried:
                return tried[slot.key]
            q = self.question(slot) if slot.kind == "field" else None
            taken = None            # the answers the case file takes (one request's yes/no, choice)
            if q is not None and q.type in ("yesno", "choice"):
                key = q.field if q.group is None else \
                    f"{q.group.field}[{slot.index + 1}].{q.field}"
                base = base or self.context_base()
                taken = self._taken(slot, base[0], False)
                if taken is not None and len(taken) < 2:
                    # the case file takes one answer at most (a request "dealt with" where no
                    # earlier penalty can be for it): the case already settles it
                    return False
                if key in depends or depends_facts & set(q.about):
                    self.outcomes[slot.key] = None          # tried when "why" asks for them
                    return True
                if exact:
                    return False
            elif q is not None and exact and depends_facts & set(q.about):
                # a number, date or place a conclusion depends on (through a fact it settles)
                return True
            elif slot.kind == "gate" and self.qs.by_id(slot.qid).field == "buyer.prior_penalties" \
                    and (depends_facts & set(self.qs.by_id(slot.qid).about)
                         or "handled" in depends_fields):
                # the earlier penalties also settle whether an incident was already dealt with
                return True
            base = base or self.context_base()
            for ctx, assumed in self.contexts(slot, base):
                answers = taken if taken is not None and not assumed else \
                    self._taken(slot, ctx, assumed)
                if answers is not None and len(answers) < 2:
                    continue                # fewer than two answers taken: none can differ
                # the context itself is assessed only to see that it is a case (a context that
                # is not one is skipped) and for the marks of a number's answers (candidates):
                # the answers of one request taken are tried first, and the context is
                # assessed only when two of them differ (the same result, one assessment less
                # for each request that does not matter)
                here = None if answers else self.evaluate(ctx, completions=1)
                if here is None and not answers:
                    continue
                # the conclusions of each answer tried (three-valued): it matters when two
                # differ (the first answer of each is kept, with its label)
                seen: dict = {}
                for label, data in answers or self.candidates(slot, ctx, assumed, here[1]):
                    if answers:
                        found = self._evaluate_answer(slot, ctx, data)
                    else:
                        r = self.evaluate(data, completions=1)
                        found = None if r is None else r[0]
                    if found is not None:
                        seen.setdefault(found, label)
                if len(seen) > 1 and answers and self.evaluate(ctx, completions=1) is None:
                    continue
                if len(seen) > 1:
                    self.outcomes[slot.key] = list(seen.values())
                    return True
            return False

        def check(slot: Slot) -> bool:
            tried[slot.key] = relevant(slot)
            return tried[slot.key]

        slots = self.open_slots()
        # a question with `after: GROUP` (questions.yaml) waits while that group's "are there
        # any?" is open and can change a conclusion: its answer says which answers the question
        # can take (the earlier penalties, which refund requests can have been dealt with), so
        # it is asked once instead of each request's answers being tried
        # (asked in the place of the first question that waits for it)
        waits = {q.after for q in self.qs.questions if q.after}
        waiting = {s.qid: s for s in slots if s.kind == "gate" and s.qid in waits and check(s)}
        out: dict[str, Slot] = {}
        for slot in slots:
            gate = waiting.get(self.question(slot).after) if slot.kind == "field" else None
            if gate is not None:
                out.setdefault(gate.key, gate)
            elif slot.key not in out and check(slot):
                out[slot.key] = slot
        return list(out.values())

    def _needs_penalty(self, slot: Slot) -> bool:
        """The answer just set says a refund request was dealt with, and the earlier penalties
        are answered without one that can be for it: the case file refuses that
        (case.entry_refused), and the questionnaire says in its own words what to do."""
        from ..case import entry_refused

        q = self.question(slot)
        if q.group is None or q.group.field != "incidents" or q.field != "handled":
            return False
        entry = self.entries(q.group)[slot.index]
        if entry.get("handled") in (None, "no", "unknown"):
            return False
        other = dict(self.data, incidents=list(self.data["incidents"]))
        other["incidents"][slot.index] = dict(entry, handled="no")
        check = dict(filename=str(self.path), as_of=self.as_of)
        return entry_refused(self.data, slot.index, **check) and \
            not entry_refused(other, slot.index, **check)

    def _taken(self, slot: Slot, ctx: dict, assumed: bool) -> list | None:
        """For an answer of one refund request that is yes/no or a choice: the answers tried
        less those the case file is bound to refuse (assess/case.py entry_refused: "dealt
        with" where no earlier penalty can be for it), found without parsing the whole case;
        None for other slots."""
        from ..case import entry_refused

        q = self.question(slot) if slot.kind == "field" else None
        if q is None or q.group is None or q.group.field != "incidents" or \
                q.type not in ("yesno", "choice"):
            return None
        return [(label, data) for label, data in self.candidates(slot, ctx, assumed, {})
                if not entry_refused(data, slot.index, filename=str(self.path),
                                     as_of=self.as_of)]

    def consequence_slots(self) -> list[Slot]:
        """Open questions a consequence of a track that applies or may apply depends on: the
        penalty tier (情节较重), an age boundary, pregnancy, earlier penalties.  Asked once the
        conclusions are settled, so that the summary and the documents name the consequence
        instead of listing every possible one."""
        full = self.evaluate(self.eval_data(placeholders=False))
        if full is None:
            return []
        result = full[1]
        on = {t["rule"]: t.get("conditional_on") or [] for t in result["trace"]}
        facts: set[str] = set()
        for track in ("criminal", "administrative"):
            info = result["tracks"][track]
            if info["applies"] is False:
                continue
            for p in info["penalties"]:
                if p["status"] != "definite":
                    facts.update(on.get(p["rule"], []))
        if not facts:
            return []
        out = []
        for slot in self.open_slots():
            if slot.kind == "more":
                continue
            item = self.qs.by_id(slot.qid)
            if slot.kind == "field" and item.group is not None:
                item = item if item.consequences else item.group
            if item.consequences and set(item.about) & facts:
                out.append(slot)
        if out:
            self.result = result
            self.for_consequences = {slot.key for slot in out}
        return out

    @staticmethod
    def penalties_key(result: dict) -> tuple:
        """The consequences of the criminal and administrative tracks, to tell answers apart."""
        return tuple((t, p["rule"], p["status"]) for t in ("criminal", "administrative")
                     if result["tracks"][t]["applies"] is not False
                     for p in result["tracks"][t]["penalties"])

    def answer_outcomes(self, slot: Slot) -> list:
        """(answer, result) for the answers of a slot that lead to different conclusions, as
        the assessment gives them (what `?` shows).

        Only the reasoning by cases is shown: the quick three-valued evaluation that makes a
        question relevant can leave open an outcome no completion gives (a track "still
        possible" that every case rules out), so it decides what is asked, never what is said.
        A result the capped analysis (RELEVANCE_COMPLETIONS) leaves unfinished is assessed
        again in full, as the summary is."""
        if slot.key not in self.shown:
            ctx = self.eval_data(placeholders=False)
            seen: dict = {}
            consequence = slot.key in self.for_consequences
            for label, data in self.candidates(slot, ctx, False, self.result or {}):
                r = self.evaluate(data, completions=None if consequence else
                                  RELEVANCE_COMPLETIONS)
                if r is not None and r[1]["analysis"]["stopped_early"] and not consequence:
                    r = self.evaluate(data)
                if r is None:
                    continue
                key = self.penalties_key(r[1]) if consequence else r[0]
                if key not in seen:
                    seen[key] = (label, r[1])
            self.shown[slot.key] = list(seen.values())
        return self.shown[slot.key]

    # ------------------------------------------------------------------ labels
    def apply(self, slot: Slot, value) -> None:
        """Set the answer, check the whole case, or undo and raise ValueError."""
        from ..case import parse_case

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
                if q.type == "file":
                    self.set_file_hash(entry, value)
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
        if slot.kind == "field" and self._needs_penalty(slot):
            self.data, self.groups = before
            raise ValueError(self.w["handled_needs_penalty"])
        try:
            case = parse_case(copy.deepcopy(self.data), filename=str(self.path), as_of=self.as_of)
        except AssessErrors as exc:
            self.data, self.groups = before
            raise ValueError("; ".join(e.text(self.lang)["message"] for e in exc.errors)) \
                from None
        except AssessError as exc:
            self.data, self.groups = before
            raise ValueError(exc.text(self.lang)["message"]) from None
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
    # (UI-free steps every front end takes; the terminal's loop is in terminal.py)
    def next_slots(self) -> list[Slot]:
        """What is still to ask, in order: first what the conclusions depend on, then what
        the consequences depend on; empty when the interview is over."""
        return self.relevant() or self.consequence_slots()

    def record(self, slot: Slot, value) -> None:
        """Apply a parsed (and confirmed) answer, remember its order for back and review, save.
        Raises ValueError (nothing changed) when the case does not take it."""
        self.apply(slot, value)
        if slot.key in self.history:
            self.history.remove(slot.key)
        self.history.append(slot.key)
        if slot.key not in self.asked:
            self.asked.append(slot.key)
        self.save()

    def previous(self, slot: Slot) -> Slot | None:
        """The answer before `slot` (what `back` goes to); None at the first question."""
        keys = [k for k in self.history if k != slot.key and self._exists(Slot.parse(k))]
        return self.slot(keys[-1]) if keys else None

    def slot(self, key: str) -> Slot:
        """The slot a key names: Slot.parse alone takes a group's gate ("prior_penalty") for a
        field."""
        slot = Slot.parse(key)
        try:
            if slot.kind == "field" and slot.index is None and \
                    hasattr(self.qs.by_id(slot.qid), "questions"):
                return Slot("gate", slot.qid)
        except KeyError:
            pass
        return slot

    def why_answers(self, slot: Slot) -> tuple[str, list[tuple[str, str]]]:
        """What `why` says the answers change: ("consequence" | "change" | "together" |
        "settled", [(answer, outcome in words)]).  "together": the question is asked (it cannot
        be ruled out that it matters together with questions not yet answered: another refund
        request, say), but on the answers so far each of its answers gives the same
        conclusions."""
        outcomes = self.answer_outcomes(slot)
        asked = slot.key in (self._passed or {}).get("slots", ()) or \
            slot.key in self.for_consequences           # what the last relevance pass asks
        if len(outcomes) <= 1:
            return ("together" if asked else "settled"), []
        shown = outcomes[:6]
        if slot.key in self.for_consequences:
            return "consequence", [(label, self.consequence_text(r)) for label, r in shown]
        texts = [self.outcome_text(r) for _, r in shown]
        out = []
        for (label, result), text in zip(shown, texts):
            if texts.count(text) > 1:           # the same in short: say what differs
                text += ("；" if self.lang == "zh" else "; ") + \
                    self.outcome_difference(result, [r for _, r in shown])
            out.append((label, text))
        return "change", out

    def why_unfinished(self, slot: Slot) -> bool:
        """Whether an outcome `why` shows comes from an analysis that stopped at its cap (too
        many facts open): the tracks it lists as possible are then only not ruled out."""
        return any(r["analysis"]["stopped_early"] for _, r in self.answer_outcomes(slot)[:6])

    def answered_slots(self) -> list[Slot]:
        """Every answered slot: the ones answered here first, then any other field with a value."""
        slots = [self.slot(k) for k in self.history]
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

@lru_cache(maxsize=4)
def _program_digest(questions_file: str) -> str:
    """SHA-256 over the questionnaire and the package's Python files: a changed question or
    program makes the relevance passes kept in sidecars stale."""
    h = hashlib.sha256(Path(questions_file).read_bytes())
    for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _fork(data: dict, path: str, index: int | None = None) -> dict:
    """A copy of `data` for changing the answer at `path` (in entry `index` of the list there):
    only the mappings and the list on that path are copied, the rest is shared (what a deep
    copy of a case of many refund requests for every answer tried would cost)."""
    top = dict(data)
    node = top
    parts = path.split(".")
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            return top                          # _set makes the missing mappings
        node[part] = dict(node[part])
        node = node[part]
    entries = node.get(parts[-1])
    if index is not None and isinstance(entries, list):
        entries = node[parts[-1]] = list(entries)
        if index < len(entries) and isinstance(entries[index], dict):
            entries[index] = dict(entries[index])
    return top


# The answers of a refund request the relevance pass sets on the context's parsed case instead
# of parsing the case again (Session._evaluate_answer): parse_case reads them only for the
# request's Incident and for a check entry_refused makes.
SET_FIELDS = ("handled",)

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




def interview_stats(case_path) -> dict:
    """The sidecar of a case file: answers asked, in order; finished or not."""
    path = Path(case_path)
    sidecar = path.with_name(path.name + ".interview.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))
