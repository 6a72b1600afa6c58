"""The encoded statutes: laws, their provisions in every dated version, and the legal parameters.

`load_library(statutes_dir)` reads every `<law>.yaml` of the folder, `parameters.yaml` and
`thresholds/fraud-amounts.yaml` (see assess.thresholds) and checks them all before giving up:
unknown or missing keys, impossible dates, confidence tags outside the legend, versions of one
provision that overlap or leave a gap, duplicate ids, references (`cites`, `replaces`, `basis`)
to provisions that do not exist, wording that does not occur in the cited texts.  Every problem is
an AssessError with file:line:col; all of a load are raised together as AssessErrors.

This module is generic: every law, number and text lives in the YAML (docs/statutes.md).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

from .errors import AssessError, AssessErrors
from .yamlio import Node, NodeList, load as load_yaml

CONFIDENCE = ("V-repo", "V-2src", "P", "W", "M")
CONFIDENCE_HELP = ("V-repo (verbatim from a law-text repository), V-2src (verbatim, two "
                   "independent sources), P (assembled from fragments), W (one weak secondary "
                   "source), M (from memory, unverified)")
# Doubts about whether a text still applies, beside its confidence tag (which is about the wording).
STATUSES = {"unverified": "no repeal found, but not checked against an official list of texts in force",
            "uncertain": "possibly superseded or partly obsolete; whether it still applies is not settled"}
KINDS = ("law", "judicial-interpretation", "normative-document", "regulation", "national-standard")
UNITS = ("years", "months", "days", "yuan")
PARAMETERS_FILE = "parameters.yaml"
THRESHOLDS_FILE = Path("thresholds") / "fraud-amounts.yaml"

LAW_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PART_ID = re.compile(r"^[0-9a-z][0-9a-z.-]*$")
PARAM_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
DATE_FORM = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
LANGS = ("zh", "en")


# =========================================================================== data

@dataclass(frozen=True)
class Source:
    document: str | None = None
    url: str | None = None
    repository: str | None = None
    path: str | None = None
    commit: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class Edition:
    id: str
    adopted: date | None
    published: date | None
    effective_from: date | None
    effective_to: date | None
    document: str | None
    confidence: str
    source: Source
    note: str | None
    file: str
    line: int

    def in_force(self, d: date) -> bool:
        return _covers(self.effective_from, self.effective_to, d)


@dataclass(frozen=True)
class Version:
    provision_id: str
    edition: str | None
    effective_from: date | None
    effective_to: date | None
    text: str
    confidence: str
    source: Source
    gloss_en: str | None
    note: str | None
    replaces: str | None
    file: str
    line: int
    status: str | None = None        # doubt about whether the text still applies (STATUSES)
    status_note: dict | None = None  # {zh, en}: what is doubtful and what was searched

    def in_force(self, d: date) -> bool:
        """True when `d` lies in [effective_from, effective_to]; an unknown start is open."""
        return _covers(self.effective_from, self.effective_to, d)

    def to_dict(self) -> dict:
        return {"edition": self.edition, "effective_from": _iso(self.effective_from),
                "effective_to": _iso(self.effective_to), "confidence": self.confidence,
                "text": self.text, "gloss_en": self.gloss_en, "note": self.note,
                "replaces": self.replaces, "source": self.source.to_dict(),
                "status": self.status, "status_note": self.status_note,
                "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Provision:
    id: str
    law_id: str
    article: str
    title: dict
    versions: tuple[Version, ...]
    file: str
    line: int

    def version_at(self, d: date) -> Version | None:
        """The version in force on `d` (None: the provision is not in force that day)."""
        for v in self.versions:
            if v.in_force(d):
                return v
        return None


@dataclass(frozen=True)
class Law:
    id: str
    name: dict
    short: dict
    kind: str
    editions: tuple[Edition, ...]
    file: str
    note: str | None = None

    def edition(self, eid: str) -> Edition | None:
        return next((e for e in self.editions if e.id == eid), None)


@dataclass(frozen=True)
class ParamValue:
    effective_from: date | None
    effective_to: date | None
    value: int | float
    cites: tuple[str, ...]
    wording: str
    confidence: str
    note: str | None
    file: str
    line: int

    def in_force(self, d: date) -> bool:
        return _covers(self.effective_from, self.effective_to, d)


@dataclass(frozen=True)
class Parameter:
    id: str
    label: dict
    unit: str
    values: tuple[ParamValue, ...]
    file: str
    line: int
    note: str | None = None

    def value_at(self, d: date) -> ParamValue | None:
        for v in self.values:
            if v.in_force(d):
                return v
        return None


@dataclass
class Library:
    laws: dict[str, Law]
    provisions: dict[str, Provision]
    parameters: dict[str, Parameter]
    thresholds: "ThresholdTable"  # noqa: F821 - assess.thresholds.ThresholdTable
    files: list[Path] = field(default_factory=list)
    # views computed from this library (e.g. a cited provision at a date), kept for reuse
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def provision(self, pid: str) -> Provision:
        prov = self.provisions.get(pid)
        if prov is None:
            raise _unknown("provision", pid, self.provisions,
                           "provision ids look like <law id>/<article number>, e.g. psapl/58")
        return prov

    def parameter(self, pid: str) -> Parameter:
        param = self.parameters.get(pid)
        if param is None:
            raise _unknown("parameter", pid, self.parameters,
                           "parameter ids are listed in statutes/parameters.yaml")
        return param

    def law(self, law_id: str) -> Law:
        law = self.laws.get(law_id)
        if law is None:
            raise _unknown("law", law_id, self.laws, "law ids are the law.id of statutes/*.yaml")
        return law


def _unknown(what: str, key: str, known: dict, hint: str) -> AssessError:
    close = difflib.get_close_matches(str(key), list(known), n=1)
    return AssessError(f"no {what} '{key}' in the statutes", field=what,
                       hint=f"did you mean '{close[0]}'?" if close else hint)


def _covers(start: date | None, end: date | None, d: date) -> bool:
    return (start is None or start <= d) and (end is None or d <= end)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# =========================================================================== checking helpers

class Checker:
    """Collects AssessErrors while a file is read, so one load reports all of them."""

    def __init__(self):
        self.errors: list[AssessError] = []

    def add(self, err: AssessError) -> None:
        self.errors.append(err)

    def at(self, node, message: str, key=None, **kw) -> None:
        if isinstance(node, (Node, NodeList)):
            file, line, col = node.pos(key)
        else:
            file, line, col = "<input>", None, None
        self.errors.append(AssessError(message, file=file, line=line, col=col, **kw))

    def mapping(self, node, what: str, parent=None, key=None) -> bool:
        if isinstance(node, Node):
            return True
        self.at(parent if parent is not None else node, f"{what} must be a mapping of keys to "
                "values", key=key, field=key, expected="key: value lines")
        return False

    def keys(self, node: Node, allowed: Iterable[str], required: Iterable[str], what: str) -> None:
        allowed = list(allowed)
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                self.at(node, f"unknown key '{key}' in {what}", key=key, field=key,
                        expected="one of: " + ", ".join(sorted(allowed)),
                        hint=f"did you mean '{close[0]}'?" if close else
                        "remove the key (the statute format has no such field)")
        for key in required:
            if key not in node:
                self.at(node, f"{what} lacks the required key '{key}'", field=key,
                        expected=f"a '{key}:' line", hint="see docs/statutes.md for the format")

    def text(self, node: Node, key: str, what: str, required: bool = True) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.at(node, f"'{key}' of {what} must be text", key=key, field=key,
                    expected="a string")
            return None
        value = str(value)
        if required and not value.strip():
            self.at(node, f"'{key}' of {what} is empty", key=key, field=key, expected="text")
            return None
        return value

    def date(self, node: Node, key: str, what: str) -> date | None:
        value = node.get(key)
        if value is None:
            return None
        text = value if isinstance(value, str) else None
        m = DATE_FORM.match(text.strip()) if text else None
        if not m:
            self.at(node, f"'{key}' of {what} is not a date: {value!r}", key=key, field=key,
                    expected='a date "YYYY-MM-DD" (e.g. "2026-01-01"), or null when unknown')
            return None
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            self.at(node, f"'{key}' of {what} is an impossible date: {text} ({exc})", key=key,
                    field=key, expected="a real calendar date YYYY-MM-DD",
                    hint="check the day of the month (e.g. February has 28 or 29 days)")
            return None

    def confidence(self, node: Node, key: str, what: str) -> str:
        value = node.get(key)
        if value not in CONFIDENCE:
            self.at(node, f"confidence {value!r} of {what} is not in the legend", key=key,
                    field=key, expected="one of: " + ", ".join(CONFIDENCE),
                    hint="tags: " + CONFIDENCE_HELP + "; UNKNOWN texts are not encoded")
            return "M"
        return value

    def langs(self, node: Node, key: str, what: str) -> dict:
        value = node.get(key)
        if not isinstance(value, Node):
            self.at(node, f"'{key}' of {what} must map languages to text", key=key, field=key,
                    expected="{zh: ..., en: ...}")
            return {}
        self.keys(value, LANGS, LANGS, f"'{key}' of {what}")
        return {k: str(v) for k, v in value.items() if k in LANGS and v is not None}

    def source(self, node: Node, key: str, what: str) -> Source | None:
        value = node.get(key)
        if value is None:
            return None
        if not self.mapping(value, f"'{key}' of {what}", node, key):
            return None
        fields = ("document", "url", "repository", "path", "commit")
        self.keys(value, fields, (), f"'{key}' of {what}")
        out = {k: self.text(value, k, f"'{key}' of {what}") for k in fields}
        if out["commit"] and not COMMIT.match(out["commit"]):
            self.at(value, f"commit of {what} is not a git commit id", key="commit",
                    field="commit", expected="40 hexadecimal digits")
        return Source(**out)

    def items(self, node: Node, key: str, what: str, required: bool = True) -> NodeList:
        value = node.get(key)
        if value is None and not required:
            return NodeList()
        if not isinstance(value, NodeList) or (required and not value):
            self.at(node, f"'{key}' of {what} must be a non-empty list", key=key, field=key,
                    expected="a list of '- ...' entries")
            return NodeList()
        return value

    def periods(self, entries: list, what: str) -> None:
        """Entries (objects with effective_from/effective_to, file, line) must follow each other
        without overlap or gap; an unknown start is allowed only for the first one."""
        for e in entries:
            if e.effective_from and e.effective_to and e.effective_to < e.effective_from:
                self.add(AssessError(
                    f"{what}: effective_to {e.effective_to} is before effective_from "
                    f"{e.effective_from}", file=e.file, line=e.line, field="effective_to",
                    expected="a last day in force on or after the first day",
                    hint="effective_to is the last day the text is in force"))
        ordered = sorted(entries, key=lambda e: e.effective_from or date.min)
        for a, b in zip(ordered, ordered[1:]):
            if b.effective_from is None:
                self.add(AssessError(f"{what}: two entries with an unknown start date",
                                     file=b.file, line=b.line, field="effective_from",
                                     expected="at most one entry with effective_from null",
                                     hint="give the later entry its first day in force"))
                continue
            if a.effective_to is None or b.effective_from <= a.effective_to:
                end = a.effective_to.isoformat() if a.effective_to else "open end"
                self.add(AssessError(
                    f"{what}: the entry from {b.effective_from} overlaps the one from "
                    f"{_iso(a.effective_from) or 'an unknown date'} (in force until {end})",
                    file=b.file, line=b.line, field="effective_from",
                    expected=f"the earlier entry ends the day before {b.effective_from}",
                    hint=f"set effective_to: \"{(b.effective_from - timedelta(days=1)).isoformat()}\" "
                         f"on the earlier entry (line {a.line})"))
            elif b.effective_from > a.effective_to + timedelta(days=1):
                self.add(AssessError(
                    f"{what}: gap between the entry ending {a.effective_to} and the one "
                    f"starting {b.effective_from}", file=b.file, line=b.line,
                    field="effective_from",
                    expected=f"effective_from \"{(a.effective_to + timedelta(days=1)).isoformat()}\"",
                    hint="make the later entry start the day after the earlier one ends, or add "
                         "an entry for the gap"))


def _line(node, index_or_key=None) -> tuple[str, int]:
    file, line, _ = node.pos(index_or_key)
    return file, line or 0


# =========================================================================== law files

def _load_law(path: Path, ck: Checker):
    """(Law, [provision entries]) of one file, or (None, []) when it cannot be read."""
    try:
        data = load_yaml(path)
    except AssessError as exc:
        ck.add(exc)
        return None, []
    if not isinstance(data, Node):
        ck.add(AssessError("a statute file must be a mapping with 'law:' and 'provisions:'",
                           file=str(path), line=1, expected="law: ... / provisions: ..."))
        return None, []
    ck.keys(data, ("law", "provisions"), ("law", "provisions"), "statute file")
    node = data.get("law")
    if not isinstance(node, Node):
        if "law" in data:
            ck.at(data, "'law' must be a mapping", key="law", field="law")
        return None, []
    ck.keys(node, ("id", "name", "short", "kind", "editions", "note"),
            ("id", "name", "short", "kind", "editions"), "law")
    law_id = ck.text(node, "id", "law") or ""
    if law_id and not LAW_ID.match(law_id):
        ck.at(node, f"law id '{law_id}' is not a lowercase-dash id", key="id", field="id",
              expected="lowercase letters, digits and dashes, e.g. psapl or civil-code")
    kind = node.get("kind")
    if "kind" in node and kind not in KINDS:
        ck.at(node, f"law kind {kind!r} is not known", key="kind", field="kind",
              expected="one of: " + ", ".join(KINDS))
    editions = []
    seen: dict[str, int] = {}
    enodes = ck.items(node, "editions", f"law '{law_id}'")
    for i, e in enumerate(enodes):
        if not ck.mapping(e, "an edition", enodes, i):
            continue
        ck.keys(e, ("id", "adopted", "published", "effective_from", "effective_to", "document",
                    "confidence", "source", "note"), ("id", "effective_from", "confidence"),
                "edition")
        eid = ck.text(e, "id", "edition") or ""
        what = f"edition '{eid}' of '{law_id}'"
        if eid in seen:
            ck.at(e, f"duplicate edition id '{eid}' (first at line {seen[eid]})", key="id",
                  field="id", hint="each edition of a law needs its own id")
        seen[eid] = e.line
        editions.append(Edition(
            id=eid, adopted=ck.date(e, "adopted", what), published=ck.date(e, "published", what),
            effective_from=ck.date(e, "effective_from", what),
            effective_to=ck.date(e, "effective_to", what),
            document=ck.text(e, "document", what), confidence=ck.confidence(e, "confidence", what),
            source=ck.source(e, "source", what) or Source(), note=ck.text(e, "note", what),
            file=str(path), line=e.line or 0))
        ed = editions[-1]
        if ed.effective_from and ed.effective_to and ed.effective_to < ed.effective_from:
            ck.at(e, f"{what}: effective_to is before effective_from", key="effective_to",
                  field="effective_to", expected="a last day on or after the first day")
    law = Law(id=law_id, name=ck.langs(node, "name", "law"), short=ck.langs(node, "short", "law"),
              kind=kind if kind in KINDS else "law", editions=tuple(editions), file=str(path),
              note=ck.text(node, "note", "law"))
    provs = ck.items(data, "provisions", f"law '{law_id}'")
    out = []
    for i, p in enumerate(provs):
        if ck.mapping(p, "a provision", provs, i):
            prov = _provision(p, law, path, ck)
            if prov is not None:
                out.append((prov, p))
    return law, out


def _status(v: Node, what: str, ck: Checker) -> dict:
    """`status` and `status_note` of a version: a doubt about whether the text still applies."""
    status = v.get("status")
    if status is None:
        if v.get("status_note") is not None:
            ck.at(v, f"{what} has a status_note but no status", key="status_note",
                  field="status", expected=" | ".join(STATUSES))
        return {}
    if status not in STATUSES:
        ck.at(v, f"unknown status {status!r} of {what}", key="status", field="status",
              expected=" | ".join(f"{k} ({d})" for k, d in STATUSES.items()))
        return {}
    note = ck.langs(v, "status_note", what)      # required: says what is doubtful
    return {"status": status, "status_note": note or None}


def _provision(p: Node, law: Law, path: Path, ck: Checker) -> Provision | None:
    ck.keys(p, ("id", "article", "title", "versions"), ("id", "article", "title", "versions"),
            "provision")
    pid = ck.text(p, "id", "provision") or ""
    prefix, _, part = pid.partition("/")
    if pid and prefix != law.id:
        ck.at(p, f"provision id '{pid}' does not start with its law id '{law.id}/'", key="id",
              field="id", expected=f"{law.id}/<article number>, e.g. {law.id}/12",
              hint="provisions of a law live in that law's file")
    elif pid and not PART_ID.match(part):
        ck.at(p, f"provision id '{pid}' is not <law id>/<article number or name>", key="id",
              field="id", expected=f"{law.id}/<digits>, or a lowercase-dash name such as "
                                   f"{law.id}/preamble")
    what = f"provision '{pid}'"
    versions = []
    vnodes = ck.items(p, "versions", what)
    for i, v in enumerate(vnodes):
        if not ck.mapping(v, "a version", vnodes, i):
            continue
        ck.keys(v, ("edition", "effective_from", "effective_to", "text", "confidence", "source",
                    "gloss_en", "note", "replaces", "status", "status_note"),
                ("edition", "effective_from", "text", "confidence"), "version")
        vwhat = f"a version of '{pid}'"
        eid = v.get("edition")
        edition = None
        if eid is not None:
            eid = str(eid)
            edition = law.edition(eid)
            if edition is None:
                ck.at(v, f"{vwhat} names edition '{eid}', which law '{law.id}' does not list",
                      key="edition", field="edition",
                      expected="one of: " + ", ".join(e.id for e in law.editions),
                      hint="add the edition under law.editions, or fix the id")
        text = ck.text(v, "text", vwhat)
        version = Version(
            provision_id=pid, edition=eid, effective_from=ck.date(v, "effective_from", vwhat),
            effective_to=ck.date(v, "effective_to", vwhat), text=text or "",
            confidence=ck.confidence(v, "confidence", vwhat),
            source=ck.source(v, "source", vwhat) or (edition.source if edition else Source()),
            gloss_en=ck.text(v, "gloss_en", vwhat), note=ck.text(v, "note", vwhat),
            replaces=ck.text(v, "replaces", vwhat), file=str(path), line=v.line or 0,
            **_status(v, vwhat, ck))
        if edition is not None:
            _within_edition(version, edition, v, ck)
        versions.append(version)
    ck.periods(versions, f"versions of '{pid}'")
    versions.sort(key=lambda x: x.effective_from or date.min)
    return Provision(id=pid, law_id=law.id, article=ck.text(p, "article", what) or "",
                     title=ck.langs(p, "title", what), versions=tuple(versions), file=str(path),
                     line=p.line or 0)


def _within_edition(v: Version, e: Edition, node: Node, ck: Checker) -> None:
    if v.effective_from and e.effective_from and v.effective_from < e.effective_from:
        ck.at(node, f"a version of '{v.provision_id}' starts {v.effective_from}, before its "
                    f"edition '{e.id}' took effect ({e.effective_from})", key="effective_from",
              field="effective_from", expected=f"on or after {e.effective_from}")
    if e.effective_to and (v.effective_to is None or v.effective_to > e.effective_to):
        ck.at(node, f"a version of '{v.provision_id}' stays in force after its edition "
                    f"'{e.id}' ended ({e.effective_to})", key="effective_from",
              field="effective_to", expected=f"effective_to on or before {e.effective_to}")


# =========================================================================== parameters

def _load_parameters(path: Path, provisions: dict[str, Provision], ck: Checker) -> dict:
    try:
        data = load_yaml(path)
    except AssessError as exc:
        ck.add(exc)
        return {}
    if not isinstance(data, Node):
        ck.add(AssessError("parameters.yaml must be a mapping with 'parameters:'",
                           file=str(path), line=1))
        return {}
    ck.keys(data, ("parameters",), ("parameters",), "parameters file")
    out: dict[str, Parameter] = {}
    items = ck.items(data, "parameters", "parameters file")
    for i, p in enumerate(items):
        if not ck.mapping(p, "a parameter", items, i):
            continue
        ck.keys(p, ("id", "label", "unit", "values", "note"), ("id", "label", "unit", "values"),
                "parameter")
        pid = ck.text(p, "id", "parameter") or ""
        if pid and not PARAM_ID.match(pid):
            ck.at(p, f"parameter id '{pid}' is not a dotted lowercase name", key="id",
                  field="id", expected="e.g. age.criminal_full or limitation.psapl_months")
        if pid in out:
            ck.at(p, f"duplicate parameter id '{pid}' (first at line {out[pid].line})", key="id",
                  field="id")
        unit = p.get("unit")
        if "unit" in p and unit not in UNITS:
            ck.at(p, f"unit {unit!r} of parameter '{pid}' is not known", key="unit",
                  field="unit", expected="one of: " + ", ".join(UNITS))
        values = []
        vnodes = ck.items(p, "values", f"parameter '{pid}'")
        for j, v in enumerate(vnodes):
            if not ck.mapping(v, "a parameter value", vnodes, j):
                continue
            values.append(_param_value(v, pid, path, provisions, ck))
        ck.periods(values, f"values of parameter '{pid}'")
        values.sort(key=lambda x: x.effective_from or date.min)
        out[pid] = Parameter(id=pid, label=ck.langs(p, "label", f"parameter '{pid}'"),
                             unit=unit if unit in UNITS else "", values=tuple(values),
                             file=str(path), line=p.line or 0,
                             note=ck.text(p, "note", f"parameter '{pid}'"))
    return out


def _param_value(v: Node, pid: str, path: Path, provisions: dict, ck: Checker) -> ParamValue:
    what = f"a value of parameter '{pid}'"
    ck.keys(v, ("effective_from", "effective_to", "value", "cites", "wording", "confidence",
                "note"), ("effective_from", "value", "cites", "wording", "confidence"), "value")
    value = v.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if "value" in v:
            ck.at(v, f"{what} is not a number: {value!r}", key="value", field="value",
                  expected="a number such as 6 or 0.5")
        value = 0
    elif not 0 <= value < float("inf"):          # ages, periods, amounts: never negative
        ck.at(v, f"{what} is {value}: a legal figure is not negative (or infinite)", key="value",
              field="value", expected="a number of at least 0, as the provision states it")
        value = 0
    cites = v.get("cites")
    cite_ids: list[str] = []
    if not isinstance(cites, NodeList) or not cites or \
            not all(isinstance(c, str) for c in cites):
        if "cites" in v:
            ck.at(v, f"'cites' of {what} must list provision ids", key="cites", field="cites",
                  expected="[law-id/article, ...], e.g. [criminal-law/17]")
    else:
        for k, cid in enumerate(cites):
            if cid not in provisions:
                close = difflib.get_close_matches(cid, list(provisions), n=1)
                file, line, col = cites.pos(k)
                ck.add(AssessError(f"{what} cites '{cid}', which is not in the statutes",
                                   file=file, line=line, col=col, field="cites",
                                   expected="the id of an encoded provision",
                                   hint=f"did you mean '{close[0]}'?" if close else
                                   "add the provision to its law file first"))
            else:
                cite_ids.append(cid)
    wording = ck.text(v, "wording", what) or ""
    if wording and cite_ids and not any(wording in ver.text for cid in cite_ids
                                        for ver in provisions[cid].versions):
        ck.at(v, f"the wording of {what} does not occur in the text of "
                 f"{', '.join(cite_ids)}", key="wording", field="wording",
              expected="words copied exactly from a cited provision",
              hint="quote the provision character for character (full-width punctuation)")
    return ParamValue(effective_from=ck.date(v, "effective_from", what),
                      effective_to=ck.date(v, "effective_to", what), value=value,
                      cites=tuple(cite_ids), wording=wording,
                      confidence=ck.confidence(v, "confidence", what),
                      note=ck.text(v, "note", what), file=str(path), line=v.line or 0)


# =========================================================================== the library

def load_library(statutes_dir: Path) -> Library:
    """Read and check every statute file, parameters.yaml and the amount table of a folder."""
    statutes_dir = Path(statutes_dir)
    if not statutes_dir.is_dir():
        raise AssessError("statutes folder not found", file=str(statutes_dir),
                          hint="a pack folder holds statutes/ next to rules/")
    ck = Checker()
    laws: dict[str, Law] = {}
    provisions: dict[str, Provision] = {}
    files: list[Path] = []
    for path in sorted(statutes_dir.glob("*.yaml")):
        if path.name == PARAMETERS_FILE:
            continue
        files.append(path)
        law, provs = _load_law(path, ck)
        if law is None:
            continue
        if law.id in laws:
            ck.add(AssessError(f"duplicate law id '{law.id}' (also in {laws[law.id].file})",
                               file=str(path), line=1, field="law.id",
                               hint="each law has one file and one id"))
        else:
            laws[law.id] = law
        for prov, node in provs:
            if prov.id in provisions:
                first = provisions[prov.id]
                ck.at(node, f"duplicate provision id '{prov.id}' (first at "
                            f"{first.file}:{first.line})", key="id", field="id",
                      hint="put every version of an article under one provision")
            else:
                provisions[prov.id] = prov
    if not files:
        ck.add(AssessError("no statute files (*.yaml) in the statutes folder",
                           file=str(statutes_dir)))
    for prov in provisions.values():
        for v in prov.versions:
            if v.replaces and (v.replaces not in provisions or v.replaces == prov.id):
                close = difflib.get_close_matches(v.replaces, list(provisions), n=1)
                ck.add(AssessError(f"a version of '{prov.id}' replaces '{v.replaces}', which is "
                                   f"not another encoded provision", file=v.file, line=v.line,
                                   field="replaces", expected="the id of an encoded provision",
                                   hint=f"did you mean '{close[0]}'?" if close else None))
    ppath = statutes_dir / PARAMETERS_FILE
    files.append(ppath)
    parameters = _load_parameters(ppath, provisions, ck)

    from .thresholds import ThresholdTable, load_table

    tpath = statutes_dir / THRESHOLDS_FILE
    files.append(tpath)
    table = load_table(tpath, lambda pid: _describe(pid, provisions, laws), ck)
    if ck.errors:
        raise AssessErrors(ck.errors)
    return Library(laws=laws, provisions=provisions, parameters=parameters,
                   thresholds=table if table is not None else ThresholdTable.empty(str(tpath)),
                   files=files)


def _describe(pid: str, provisions: dict, laws: dict) -> str | None:
    """'<document or short name> <article>' of a provision; None when it does not exist."""
    prov = provisions.get(pid)
    if prov is None:
        return None
    law = laws.get(prov.law_id)
    name = None
    if law is not None:
        docs = [e.document for e in law.editions if e.document]
        name = docs[0] if len(docs) == 1 else law.short.get("zh")
    return " ".join(x for x in (name, prov.article) if x)


# =========================================================================== views for the CLI

def _head(lib: Library, prov: Provision) -> dict:
    law = lib.laws.get(prov.law_id)
    return {"id": prov.id, "law": law.short.get("zh") if law else prov.law_id,
            "law_id": prov.law_id, "law_name": dict(law.name) if law else {},
            "article": prov.article, "title": dict(prov.title)}


def statutes_list(lib: Library) -> list[dict]:
    """One row per provision, in file order: id, law, article, title and the versions' dates."""
    rows = []
    for prov in lib.provisions.values():
        row = _head(lib, prov)
        row["versions"] = [{"edition": v.edition, "effective_from": _iso(v.effective_from),
                            "effective_to": _iso(v.effective_to), "confidence": v.confidence}
                           for v in prov.versions]
        rows.append(row)
    return rows


def statute_show(lib: Library, pid: str, on: date | None = None) -> dict:
    """A provision with all its versions, or (with `on`) only the version in force that day."""
    prov = lib.provision(pid)
    out = _head(lib, prov)
    successors = sorted({p.id for p in lib.provisions.values() for v in p.versions
                         if v.replaces == pid})
    out["replaced_by"] = successors
    if on is None:
        out["on"] = None
        out["versions"] = [v.to_dict() for v in prov.versions]
        return out
    version = prov.version_at(on)
    out["on"] = on.isoformat()
    out["in_force"] = version is not None
    out["versions"] = [version.to_dict()] if version else []
    if version is None:
        spans = "; ".join(f"{_iso(v.effective_from) or '?'} – {_iso(v.effective_to) or '…'}"
                          for v in prov.versions)
        out["note"] = f"not in force on {on.isoformat()} (in force: {spans})" + (
            f"; see {', '.join(successors)}" if successors else "")
    return out


def jsonable(obj: Any) -> Any:
    """Dates to ISO strings, tuples to lists (for JSON output)."""
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    return obj


__all__ = ["CONFIDENCE", "KINDS", "UNITS", "Source", "Edition", "Version", "Provision", "Law",
           "ParamValue", "Parameter", "Library", "Checker", "load_library", "statutes_list",
           "statute_show", "jsonable"]

