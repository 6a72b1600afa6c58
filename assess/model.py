"""The rule model: what rules/*.yaml compile to, independent of any engine.

A rule pack is a vocabulary of facts (rules/facts.yaml) and a list of rules.  Each rule has a
condition tree (`All`, `AnyOf`, `Not`, `Atom`), conclusions that set derived facts, and the
provisions it cites.  Every node keeps the file, line and column it came from, so any later
message can point a trainer at the exact place.

Conditions are three-valued (yes / no / unknown): an unknown fact makes a rule *conditional*
rather than false, and numbers may be intervals (an unknown province's 数额较大 standard is
"somewhere between the national floor and ceiling").
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Union

from .errors import AssessError, AssessErrors
from .yamlio import Node, NodeList, check_keys, load

FACT_TYPES = ("yesno", "choice", "amount", "number", "date")
NUMERIC_TYPES = ("amount", "number", "date")
TRACKS = ("fraud", "civil", "administrative", "criminal", "platform", "law", "limitation", "advice",
          "outcome")
ON_DATES = ("conduct", "decision")

# The comparison operators and the drafting word each is shown with (以上/以下/以内 include the
# number, 不满/超过 exclude it; the full table with its source is rules/wording.yaml).  The YAML
# uses the English keys.
OPERATORS = {
    "at_least": (">=", "以上"),
    "at_most": ("<=", "以下"),
    "within": ("<=", "以内"),
    "under": ("<", "不满"),
    "over": (">", "超过"),
}
YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Loc:
    file: str
    line: int | None
    col: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def error(self, message: str, **kw) -> AssessError:
        return AssessError(message, file=self.file, line=self.line, col=self.col, **kw)


@dataclass(frozen=True)
class Atom:
    """One test on one fact: `fact` is/in `values`, or `fact` <op> `ref` (a fact or a parameter)."""
    fact: str
    op: str                      # "in" | "unknown" | ">=" | ">" | "<=" | "<"
    values: tuple[str, ...] = ()
    ref: str | None = None
    word: str | None = None      # the YAML key used (at_least, under, ...)
    loc: Loc | None = None


@dataclass(frozen=True)
class All:
    items: tuple["Cond", ...]
    loc: Loc | None = None


@dataclass(frozen=True)
class AnyOf:
    items: tuple["Cond", ...]
    loc: Loc | None = None


@dataclass(frozen=True)
class Not:
    item: "Cond"
    loc: Loc | None = None


Cond = Union[Atom, All, AnyOf, Not]


@dataclass(frozen=True)
class Deadline:
    id: str
    label: dict
    start: str                   # a date fact
    add: str                     # a parameter with unit days / months / years
    loc: Loc | None = None
    met_by: str | None = None    # a date fact: an act on or before the deadline meets it
    met_label: dict | None = None   # {zh, en}: what that act is ("已于期限内报案")


@dataclass(frozen=True)
class Rule:
    id: str
    title: dict
    track: str
    on: str
    when: Cond
    then: tuple[tuple[str, str], ...]
    cites: tuple[str, ...]
    explain: dict
    penalty: dict | None = None
    deadline: Deadline | None = None
    recommend: tuple[dict, ...] = ()
    evidence: tuple[dict, ...] = ()
    wording: str | None = None
    loc: Loc | None = None

    @cached_property
    def atoms(self) -> tuple[Atom, ...]:
        """Every comparison of the condition, in order."""
        return tuple(leaves(self.when))

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The facts and parameters the condition reads, in order, once each."""
        return tuple(dict.fromkeys(n for a in self.atoms for n in (a.fact, a.ref) if n))


@dataclass(frozen=True)
class FactDef:
    id: str
    type: str
    label: dict
    origin: str                  # "case" (from the case file) or "rules" (concluded by rules)
    values: tuple[str, ...] = ()
    default: str | None = None
    help: dict | None = None
    loc: Loc | None = None


@dataclass
class RulePack:
    facts: dict[str, FactDef]
    rules: tuple[Rule, ...]
    strata: list[list[Rule]]
    params: tuple[str, ...]      # parameter ids the rules refer to
    files: list[Path] = field(default_factory=list)
    digest: str = ""

    def facts_ready(self) -> dict[int, tuple[set[str], list[Rule]]]:
        """stratum -> (derived facts final after it, the rules concluding them)."""
        if not hasattr(self, "_ready"):
            level = {r.id: k for k, rules in enumerate(self.strata) for r in rules}
            last: dict[str, int] = {}
            for rule in self.rules:
                for fid, _ in rule.then:
                    last[fid] = max(last.get(fid, 0), level[rule.id])
            ready: dict[int, tuple[set[str], list[Rule]]] = {}
            for fid, k in last.items():
                facts, rules = ready.setdefault(k, (set(), []))
                facts.add(fid)
                for rule in self.rules:
                    if any(f == fid for f, _ in rule.then) and rule not in rules:
                        rules.append(rule)
            self._ready = ready
        return self._ready

    def concluders(self) -> dict[str, list[Rule]]:
        """derived fact -> the rules whose `then` sets it."""
        if not hasattr(self, "_concluders"):
            out: dict[str, list[Rule]] = {}
            for rule in self.rules:
                for fid, _ in rule.then:
                    if rule not in out.setdefault(fid, []):
                        out[fid].append(rule)
            self._concluders = out
        return self._concluders

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# --------------------------------------------------------------------------- condition helpers

def leaves(cond: Cond):
    """Every Atom of a condition tree, in order."""
    if isinstance(cond, Atom):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for item in cond.items:
            yield from leaves(item)


def facts_used(cond: Cond) -> list[str]:
    seen: list[str] = []
    for atom in leaves(cond):
        for name in (atom.fact, atom.ref):
            if name and name not in seen:
                seen.append(name)
    return seen


# --------------------------------------------------------------------------- loading

def _loc(node, key=None) -> Loc:
    if isinstance(node, (Node, NodeList)):
        file, line, col = node.pos(key)
        return Loc(file, line, col)
    return Loc("<input>", None, None)


def _text(node: Node, key: str, what: str, required: bool = True) -> dict | None:
    value = node.get(key)
    if value is None:
        if required:
            raise node.error(f"{what} lacks '{key}' (a mapping with zh and en)", key=key, field=key,
                             expected="{zh: 中文, en: English}")
        return None
    if not isinstance(value, Node) or set(value) != {"zh", "en"} or not all(
            isinstance(v, str) and v.strip() for v in value.values()):
        raise node.error(f"'{key}' must give both a Chinese and an English text", key=key,
                         field=key, expected="{zh: 中文, en: English}")
    return dict(value)


FACT_KEYS = {"id", "type", "label", "origin", "values", "default", "help"}


def _load_facts(path: Path, errors: list) -> dict[str, FactDef]:
    data = load(path)
    if not isinstance(data, Node) or "facts" not in data:
        raise AssessError("the fact vocabulary must be a mapping with a 'facts' list", file=str(path))
    check_keys(data, {"facts"}, what="fact vocabulary")
    facts: dict[str, FactDef] = {}
    items = data["facts"]
    if not isinstance(items, NodeList):
        raise data.error("'facts' must be a list", key="facts")
    for item in items:
        try:
            check_keys(item, FACT_KEYS, {"id", "type", "label", "origin"}, what="fact")
            fid = item["id"]
            if not isinstance(fid, str) or not fid.replace("_", "").isalnum() or not fid.isascii() \
                    or fid != fid.lower():
                raise item.error(f"fact id '{fid}' must be lower-case letters, digits and _",
                                 key="id", field="id")
            if fid in facts:
                raise item.error(f"fact '{fid}' is declared twice (first at {facts[fid].loc})",
                                 key="id", field="id")
            ftype = item["type"]
            if ftype not in FACT_TYPES:
                raise item.error(f"unknown fact type '{ftype}'", key="type", field="type",
                                 expected=", ".join(FACT_TYPES))
            origin = item["origin"]
            if origin not in ("case", "rules"):
                raise item.error(f"unknown origin '{origin}'", key="origin", field="origin",
                                 expected="case (from the case file) or rules (concluded by rules)")
            raw_values = item.get("values")
            if raw_values is not None and not isinstance(raw_values, list):
                raise item.error("'values' must be a list of words", key="values", field="values",
                                 expected="a list such as [automatic, merchant]")
            values = tuple(str(v) for v in raw_values or ())
            if ftype == "choice" and not values:
                raise item.error("a choice fact needs 'values'", key="type", field="values")
            if ftype != "choice" and values:
                raise item.error("only a choice fact has 'values'", key="values", field="values")
            default = item.get("default")
            if default is not None:
                default = str(default) if not isinstance(default, bool) else (YES if default else NO)
                allowed = values if ftype == "choice" else (YES, NO) if ftype == "yesno" else ()
                if default not in allowed:
                    raise item.error(f"default '{default}' is not a value of this fact",
                                     key="default", field="default",
                                     expected=", ".join(allowed) or "no default for numbers")
            facts[fid] = FactDef(fid, ftype, _text(item, "label", f"fact '{fid}'"), origin, values,
                                 default, _text(item, "help", f"fact '{fid}'", required=False),
                                 _loc(item))
        except AssessError as exc:
            errors.append(exc)
    return facts


RULE_KEYS = {"id", "title", "track", "on", "when", "then", "cites", "explain", "penalty",
             "deadline", "recommend", "evidence", "wording"}


class _CondParser:
    def __init__(self, facts: dict[str, FactDef], params: set[str] | None):
        self.facts = facts
        self.params = params
        self.param_refs: set[str] = set()

    def parse(self, node, parent, key) -> Cond:
        loc = _loc(parent, key)
        if isinstance(node, NodeList):
            if not node:
                raise loc.error("an empty list of conditions", expected="at least one condition")
            return All(tuple(self.parse(item, node, i) for i, item in enumerate(node)), loc)
        if not isinstance(node, Node) or len(node) != 1:
            raise loc.error("a condition must be a mapping with exactly one key",
                            expected="all: [...], any: [...], not: {...} or <fact>: <test>",
                            hint="write one test per list item")
        (name, value), = node.items()
        here = _loc(node, name)
        if name in ("all", "any"):
            if not isinstance(value, NodeList) or not value:
                raise here.error(f"'{name}' needs a non-empty list of conditions", field=name)
            items = tuple(self.parse(item, value, i) for i, item in enumerate(value))
            return All(items, here) if name == "all" else AnyOf(items, here)
        if name == "not":
            return Not(self.parse(value, node, name), here)
        return self.atom(name, value, node, here)

    def atom(self, name, value, node, loc: Loc) -> Atom:
        import difflib

        fact = self.facts.get(name)
        if fact is None:
            close = difflib.get_close_matches(name, list(self.facts) + ["all", "any", "not"], n=1)
            raise loc.error(f"unknown fact '{name}'", field=name,
                            hint=f"did you mean '{close[0]}'?" if close else
                            "declare it in rules/facts.yaml")
        if isinstance(value, bool):
            value = YES if value else NO
        if fact.type in ("yesno", "choice"):
            if value == UNKNOWN:
                return Atom(name, UNKNOWN, loc=loc)
            if isinstance(value, Node) and set(value) == {"in"}:
                if not isinstance(value["in"], list):
                    raise loc.error(f"'{name}: {{in: ...}}' needs a list of values", field=name,
                                    expected=f"in: [a, b] with values of {self._expected(fact)}")
                values = tuple(str(v) for v in value["in"] or ())
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                values = (str(value),)
            else:
                raise loc.error(f"'{name}' is a {fact.type} fact: test it with a value",
                                field=name, expected=self._expected(fact))
            allowed = fact.values if fact.type == "choice" else (YES, NO)
            for v in values:
                if v not in allowed:
                    raise loc.error(f"'{v}' is not a value of '{name}'", field=name,
                                    expected=self._expected(fact))
            return Atom(name, "in", values, loc=loc)
        if not isinstance(value, Node) or len(value) != 1:
            raise loc.error(f"'{name}' is a number: compare it with one operator", field=name,
                            expected="{at_least|at_most|within|under|over: <parameter or fact>}")
        (word, ref), = value.items()
        if word not in OPERATORS:
            close = difflib.get_close_matches(word, list(OPERATORS), n=1)
            raise loc.error(f"unknown comparison '{word}'", field=name,
                            expected=", ".join(f"{k} ({v[1]})" for k, v in OPERATORS.items()),
                            hint=f"did you mean '{close[0]}'?" if close else None)
        if not isinstance(ref, str):
            raise loc.error(f"'{name}' must be compared with a named parameter or fact, not "
                            f"a number typed into the rule", field=name,
                            expected="a parameter id from statutes/parameters.yaml (e.g. "
                                     "age.criminal_full) or a fact id (e.g. threshold_large)",
                            hint="legal numbers live in statutes/ with their source")
        if ref in self.facts:
            other = self.facts[ref]
            if other.type not in NUMERIC_TYPES or (other.type == "date") != (fact.type == "date"):
                raise loc.error(f"cannot compare '{name}' ({fact.type}) with '{ref}' "
                                f"({other.type})", field=name)
        elif self.params is not None and ref not in self.params:
            close = difflib.get_close_matches(ref, list(self.facts) + sorted(self.params), n=1)
            raise loc.error(f"'{ref}' is neither a fact nor a parameter", field=name,
                            hint=f"did you mean '{close[0]}'?" if close else
                            "parameters live in statutes/parameters.yaml")
        else:
            self.param_refs.add(ref)
        return Atom(name, OPERATORS[word][0], ref=ref, word=word, loc=loc)

    @staticmethod
    def _expected(fact: FactDef) -> str:
        vals = fact.values if fact.type == "choice" else (YES, NO)
        return " | ".join(vals) + " (or {in: [...]})"


def _parse_rule(item: Node, facts, parser: _CondParser) -> Rule:
    check_keys(item, RULE_KEYS, {"id", "title", "track", "when", "cites", "explain"}, what="rule")
    rid = item["id"]
    if not isinstance(rid, str) or not rid.strip():
        raise item.error("a rule id must be text", key="id", field="id")
    title = _text(item, "title", f"rule '{rid}'")
    explain = _text(item, "explain", f"rule '{rid}'")
    track = item["track"]
    if track not in TRACKS:
        raise item.error(f"unknown track '{track}'", key="track", field="track",
                         expected=", ".join(TRACKS))
    on = item.get("on", "conduct")
    if on not in ON_DATES:
        raise item.error(f"unknown date '{on}'", key="on", field="on",
                         expected="conduct (the law when the act was done) or decision "
                                  "(the law at the as-of date)")
    when = parser.parse(item["when"], item, "when")
    then: list[tuple[str, str]] = []
    raw_then = item.get("then") or Node()
    if not isinstance(raw_then, Node):
        raise item.error("'then' must map derived facts to values", key="then", field="then")
    for fid, value in raw_then.items():
        fact = facts.get(fid)
        here = _loc(raw_then, fid)
        if fact is None:
            raise here.error(f"'then' sets unknown fact '{fid}'", field=f"then.{fid}",
                             hint="declare it in rules/facts.yaml with origin: rules")
        if fact.origin != "rules":
            raise here.error(f"'{fid}' comes from the case file; a rule cannot set it",
                             field=f"then.{fid}", hint="conclude a new fact with origin: rules")
        if isinstance(value, bool):
            value = YES if value else NO
        value = str(value)
        allowed = fact.values if fact.type == "choice" else (YES, NO) if fact.type == "yesno" else ()
        if value not in allowed:
            raise here.error(f"'{value}' is not a value of '{fid}'", field=f"then.{fid}",
                             expected=" | ".join(allowed) or "(numbers cannot be concluded)")
        then.append((fid, value))
    cites = item["cites"]
    if isinstance(cites, str):
        cites = [cites]
    if not isinstance(cites, list) or not cites or not all(isinstance(c, str) for c in cites):
        raise item.error("'cites' must list at least one provision id", key="cites",
                         field="cites", expected="[criminal-law/266, ...]")
    from .citations import FORM, parse_cite
    for i, c in enumerate(cites):
        if parse_cite(c) is None:
            raw = item["cites"]
            err = raw.error(f"citation '{c}' is not in the citation form", index=i) \
                if isinstance(raw, NodeList) else item.error(
                    f"citation '{c}' is not in the citation form", key="cites")
            err.field, err.expected = "cites", FORM
            raise err
    deadline = None
    if "deadline" in item:
        d = item["deadline"]
        check_keys(d, {"id", "label", "from", "add", "met_by"}, {"id", "label", "from", "add"},
                   what="deadline")
        start = d["from"]
        if not isinstance(start, str) or start not in facts or facts[start].type != "date":
            raise d.error(f"'{start}' is not a date fact", key="from", field="deadline.from")
        if not isinstance(d["add"], str):
            raise d.error("'add' names a period parameter (e.g. limitation.psapl_months)",
                          key="add", field="deadline.add")
        if parser.params is not None and d["add"] not in parser.params:
            raise d.error(f"unknown parameter '{d['add']}'", key="add", field="deadline.add")
        parser.param_refs.add(d["add"])
        met_by = met_label = None
        if "met_by" in d:
            m = d["met_by"]
            if not isinstance(m, Node) or set(m) != {"fact", "label"}:
                raise d.error("'met_by' needs 'fact' (a date fact) and 'label' ({zh, en})",
                              key="met_by", field="deadline.met_by",
                              expected="met_by: {fact: police_report_date, label: {zh: ..., en: ...}}")
            met_by = m["fact"]
            if not isinstance(met_by, str) or met_by not in facts or facts[met_by].type != "date":
                raise m.error(f"'{met_by}' is not a date fact", key="fact",
                              field="deadline.met_by.fact")
            met_label = _text(m, "label", "deadline.met_by")
        deadline = Deadline(str(d["id"]), _text(d, "label", "deadline"), start, d["add"], _loc(d),
                            met_by, met_label)
    lists = {}
    for key in ("recommend", "evidence"):
        value = item.get(key) or NodeList()
        if not isinstance(value, NodeList):
            raise item.error(f"'{key}' must be a list of {{zh, en}} texts", key=key, field=key)
        out = []
        for i, entry in enumerate(value):
            holder = Node({"x": entry})
            holder.file, holder.key_pos = value.file, {"x": value.item_pos[i]}
            out.append(_text(holder, "x", f"{key} item"))
        lists[key] = tuple(out)
    return Rule(rid, title, track, on, when, tuple(then), tuple(cites), explain,
                _text(item, "penalty", f"rule '{rid}'", required=False), deadline,
                lists["recommend"], lists["evidence"],
                item.get("wording"), _loc(item))


def _stratify(facts: dict[str, FactDef], rules: list[Rule], errors: list) -> list[list[Rule]]:
    """Order rules so that a rule runs after every rule concluding a fact it reads."""
    concluded_by: dict[str, list[Rule]] = {}
    for rule in rules:
        for fid, _ in rule.then:
            concluded_by.setdefault(fid, []).append(rule)
    level: dict[str, int] = {}
    visiting: set[str] = set()

    def rule_level(rule: Rule, chain: tuple[str, ...]) -> int:
        if rule.id in level:
            return level[rule.id]
        if rule.id in visiting:
            raise rule.loc.error(f"rules depend on each other in a circle: "
                                 f"{' → '.join(chain + (rule.id,))}",
                                 hint="a fact a rule concludes must not feed back into it")
        visiting.add(rule.id)
        lvl = 0
        for fid in facts_used(rule.when):
            for other in concluded_by.get(fid, ()):
                lvl = max(lvl, rule_level(other, chain + (rule.id,)) + 1)
        visiting.discard(rule.id)
        level[rule.id] = lvl
        return lvl

    for rule in rules:
        try:
            rule_level(rule, ())
        except AssessError as exc:
            errors.append(exc)
            return [rules]
    strata: list[list[Rule]] = [[] for _ in range(max(level.values(), default=0) + 1)]
    for rule in rules:
        strata[level[rule.id]].append(rule)
    return strata


def load_rulepack(rules_dir: Path, params: set[str] | None = None) -> RulePack:
    """Read rules/facts.yaml and every other rules/*.yaml into a validated RulePack.

    `params` is the set of parameter ids known to the statutes; with it, every reference is
    checked.  All errors of the pack are collected and raised together.
    """
    rules_dir = Path(rules_dir)
    vocab = rules_dir / "facts.yaml"
    if not vocab.is_file():
        raise AssessError("no fact vocabulary found", file=str(vocab),
                          hint="a rule folder holds facts.yaml and the rule files")
    errors: list[AssessError] = []
    facts = _load_facts(vocab, errors)
    parser = _CondParser(facts, params)
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    files = [vocab]
    for path in sorted(rules_dir.glob("*.yaml")):
        if path.name in ("facts.yaml", "questions.yaml", "wording.yaml"):
            continue
        files.append(path)
        try:
            data = load(path)
            if not isinstance(data, Node) or not isinstance(data.get("rules"), NodeList):
                raise AssessError("a rule file is a mapping with a 'rules' list", file=str(path),
                                  line=1, col=1, expected="rules:\n  - id: ...")
            check_keys(data, {"rules"}, what="rule file")
        except AssessError as exc:
            errors.append(exc)
            continue
        for item in data["rules"]:
            try:
                rule = _parse_rule(item, facts, parser)
            except AssessError as exc:
                errors.append(exc)
                continue
            if rule.id in seen:
                errors.append(rule.loc.error(f"rule id '{rule.id}' is used twice (first at "
                                             f"{seen[rule.id].loc})", field="id"))
                continue
            seen[rule.id] = rule
            rules.append(rule)
    concluded = {fid for r in rules for fid, _ in r.then}
    for fact in facts.values():
        if fact.origin == "rules" and fact.id not in concluded:
            errors.append(fact.loc.error(f"derived fact '{fact.id}' is concluded by no rule",
                                         field=fact.id, hint="add a rule or change origin"))
    strata = _stratify(facts, rules, errors)
    if errors:
        raise AssessErrors(errors)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return RulePack(facts, tuple(rules), strata, tuple(sorted(parser.param_refs)), files,
                    digest.hexdigest())
