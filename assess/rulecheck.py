"""`assess rules check`: everything a trainer can get wrong in a rule pack, with file:line:col.

`check_pack(base)` reads statutes/, rules/, rules/questions.yaml and templates/ of a pack folder
and returns a list of `Finding`s (error / warning / note), each with a location, a message, a hint
and the article concerned.  Nothing is raised for problems in the pack: they become findings.

Checks:
- YAML syntax, unknown and duplicate keys, types (the loaders' own errors, all of them);
- facts no rule reads, case facts no question asks, derived facts no rule concludes;
- citations of provisions that do not exist, or that have no version in force in the period the
  rule can apply to (the period follows from the law editions the rule's condition allows);
- 诈骗罪 amount tables with gaps or overlaps by province (and city tier) and date;
- rules that can never fire (no assignment of the facts makes the condition true);
- two rules concluding different values of one fact on the same facts;
- `wording` against the operators (刑法第九十九条: 以上、以下、以内 include the number; 不满、超过
  exclude it);
- Jinja syntax of templates/*.j2.

The satisfiability search (`Solver`) assigns the case facts a rule depends on — yes/no, each
choice value, numbers just below, at and above every parameter or threshold they are compared
with — and evaluates conditions three-valued, so a partial assignment that already makes the
condition false is abandoned at once.  Derived facts are computed from the rules concluding them,
exactly as the runner combines them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import AssessError, AssessErrors
from .evaluator import EVERYTHING, eval_cond, param_key
from .model import NO, NUMERIC_TYPES, OPERATORS, UNKNOWN, YES, All, AnyOf, Atom, Cond, Not, \
    RulePack, facts_used, leaves

SEVERITIES = ("error", "warning", "note")


@dataclass
class Finding:
    severity: str                      # error | warning | note
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    article: str | None = None
    code: str = ""                     # a short kind: yaml, cite, never-fires, conflict, ...

    @property
    def location(self) -> str:
        parts = [self.file or "<pack>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.col if self.col is not None else 1))
        return ":".join(parts)

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity}: {self.message}"]
        if self.article:
            lines.append(f"  article: {self.article}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def _from_error(exc: AssessError, code: str = "load") -> list[Finding]:
    errors = exc.errors if isinstance(exc, AssessErrors) else [exc]
    out = []
    for e in errors:
        hint = e.hint
        if e.expected:
            hint = (f"expected {e.expected}" + (f"; {hint}" if hint else ""))
        out.append(Finding("error", e.message, e.file, e.line, e.col, hint, e.article, code))
    return out


def _at(loc, severity, message, hint=None, article=None, code="") -> Finding:
    if loc is None:
        return Finding(severity, message, None, None, None, hint, article, code)
    return Finding(severity, message, loc.file, loc.line, loc.col, hint, article, code)


# =========================================================================== satisfiability

class Budget(Exception):
    """The search gave up (too many combinations): no finding is reported."""


class _Facts(dict):
    """Fact values for eval_cond: assigned case facts, unknown for the rest, derived on demand."""

    def __init__(self, solver: "Solver", assigned: dict):
        super().__init__()
        self.solver = solver
        self.assigned = assigned

    def __missing__(self, fid):
        s = self.solver
        fact = s.pack.facts[fid]
        if fact.origin == "rules":
            value = s.derive(fid, self)
        elif fid in self.assigned:
            value = s.encode(fact, self.assigned[fid])
        else:
            value = s.unknown(fact)
        self[fid] = value
        return value


class _Params(dict):
    def __init__(self, solver: "Solver", assigned: dict):
        super().__init__()
        self.assigned = assigned

    def __missing__(self, key):
        v = self.assigned.get(key)
        return EVERYTHING if v is None else (v, v)


THRESHOLD_GROUP = "@thresholds"
THRESHOLD_FACTS = ("threshold_large", "threshold_huge", "threshold_especially_huge")


class Solver:
    """Find an assignment of case facts (and parameter values) that makes conditions true.

    `param_values`: parameter id -> the values it takes over time (None: any number).
    `threshold_rows`: the (large, huge, especially_huge) triples the amount table can give
    (None: any increasing triple).
    """

    def __init__(self, pack: RulePack, param_values: dict | None = None,
                 threshold_rows: list | None = None, limit: int = 20000):
        self.pack = pack
        self.param_values = param_values or {}
        self.threshold_rows = sorted(set(threshold_rows)) if threshold_rows else None
        self.limit = limit
        self.concluders = pack.concluders()
        # which facts are tested for "unknown": only they may take the value unknown
        self.tested_unknown = {a.fact for r in pack.rules for a in leaves(r.when)
                               if a.op == UNKNOWN}
        # numeric comparisons: name -> the names it is compared with
        self.compared: dict[str, set[str]] = {}
        for r in pack.rules:
            for a in leaves(r.when):
                if a.ref is not None:
                    ra = a.ref if a.ref in pack.facts else param_key(a.ref, r.on)
                    self.compared.setdefault(a.fact, set()).add(ra)
                    self.compared.setdefault(ra, set()).add(a.fact)
        self._deps: dict[str, list[str]] = {}

    # ------------------------------------------------------------ values
    def encode(self, fact, value):
        if fact.type == "yesno":
            return value
        if fact.type == "choice":
            if value == UNKNOWN:
                return {v: UNKNOWN for v in fact.values}
            return {v: YES if v == value else NO for v in fact.values}
        return (value, value)

    @staticmethod
    def unknown(fact):
        if fact.type == "yesno":
            return UNKNOWN
        if fact.type == "choice":
            return {v: UNKNOWN for v in fact.values}
        return EVERYTHING

    def derive(self, fid: str, facts: _Facts):
        """A derived fact from its concluding rules, as evaluator.combine does."""
        fact = self.pack.facts[fid]
        status: dict[str, str] = {}
        for rule in self.concluders.get(fid, ()):
            st = eval_cond(rule.when, self.pack, facts, facts.params, rule.on)
            for f, v in rule.then:
                if f == fid:
                    old = status.get(v, NO)
                    status[v] = YES if YES in (old, st) else UNKNOWN if UNKNOWN in (old, st) else NO
        definite = [v for v, s in status.items() if s == YES]
        possible = {v for v, s in status.items() if s == UNKNOWN}
        if fact.type == "yesno":
            if definite:
                return definite[0]
            return UNKNOWN if possible - {fact.default or NO} else fact.default or NO
        if definite:
            return {v: YES if v == definite[0] else NO for v in fact.values}
        if possible:
            cands = possible | ({fact.default} if fact.default else set())
            return {v: UNKNOWN if v in cands else NO for v in fact.values}
        return {v: YES if v == fact.default else NO for v in fact.values}

    # ------------------------------------------------------------ variables
    def _case_deps(self, cond: Cond, on: str, out: list, seen: set) -> None:
        for atom in leaves(cond):
            for name in (atom.fact, atom.ref):
                if name is None:
                    continue
                if name not in self.pack.facts:
                    key = param_key(name, on)
                    if key not in seen:
                        seen.add(key)
                        out.append(key)
                    continue
                if name in seen:
                    continue
                seen.add(name)
                fact = self.pack.facts[name]
                if fact.origin == "case":
                    out.append(name)
                else:
                    for rule in self.concluders.get(name, ()):
                        self._case_deps(rule.when, rule.on, out, seen)

    def variables(self, goals) -> list[str]:
        out: list[str] = []
        seen: set = set()
        for cond, on in goals:
            self._case_deps(cond, on, out, seen)
        # parameters and the threshold table first (numbers are placed around them), then
        # yes/no and choice facts, then the other numbers
        params = [v for v in out if v not in self.pack.facts]
        thresholds = [v for v in out if v in THRESHOLD_FACTS]
        if thresholds and self.threshold_rows is not None:
            thresholds = [THRESHOLD_GROUP]
        discrete = [v for v in out if v in self.pack.facts
                    and self.pack.facts[v].type not in NUMERIC_TYPES]
        numbers = [v for v in out if v in self.pack.facts and v not in THRESHOLD_FACTS
                   and self.pack.facts[v].type in NUMERIC_TYPES]
        return params + thresholds + discrete + numbers

    def domain(self, var: str, assigned: dict) -> list:
        if var == THRESHOLD_GROUP:
            return list(self.threshold_rows)
        if var not in self.pack.facts:                       # a parameter value
            pid = var.rsplit("@", 1)[0]
            values = self.param_values.get(pid)
            if values:
                return sorted(set(values))
            return self._points(var, assigned)
        fact = self.pack.facts[var]
        extra = [UNKNOWN] if var in self.tested_unknown else []
        if fact.type == "yesno":
            return [YES, NO] + extra
        if fact.type == "choice":
            return list(fact.values) + extra
        return self._points(var, assigned)

    def _points(self, var: str, assigned: dict) -> list:
        points: set[float] = set()
        for other in self.compared.get(var, ()):
            v = assigned.get(other)
            if v is not None:
                points.update((v - 0.5, v, v + 0.5))
        return sorted(points) or [0.0]

    # ------------------------------------------------------------ search
    def _axioms_ok(self, assigned: dict) -> bool:
        # a law's edition at the decision is never older than at the conduct
        for fid, fact in self.pack.facts.items():
            if fid.endswith("_at_conduct") and fact.type == "choice":
                other = fid[: -len("_at_conduct")] + "_at_decision"
                a, b = assigned.get(fid), assigned.get(other)
                if a not in (None, UNKNOWN) and b not in (None, UNKNOWN) and \
                        other in self.pack.facts:
                    order = list(fact.values)
                    if a in order and b in order and order.index(a) > order.index(b):
                        return False
        if self.threshold_rows is None:
            t = [assigned.get(f) for f in THRESHOLD_FACTS]
            for x, y in zip(t, t[1:]):
                if x is not None and y is not None and not x < y:
                    return False
        return True

    def status(self, goals, assigned: dict) -> str:
        values = dict(assigned)
        row = values.pop(THRESHOLD_GROUP, None)
        if row is not None:
            values.update(zip(THRESHOLD_FACTS, row))
        facts = _Facts(self, values)
        facts.params = _Params(self, values)
        results = [eval_cond(c, self.pack, facts, facts.params, on) for c, on in goals]
        return NO if NO in results else YES if all(r == YES for r in results) else UNKNOWN

    def satisfy(self, goals, forced: dict | None = None) -> dict | None:
        """An assignment making every (condition, on) of `goals` surely true, or None."""
        variables = [v for v in self.variables(goals) if not forced or v not in forced]
        assigned = dict(forced or {})
        nodes = 0

        def point_values(assign):
            out = dict(assign)
            row = out.get(THRESHOLD_GROUP)
            if row is not None:
                out.update(zip(THRESHOLD_FACTS, row))
            return out

        def dfs(i: int):
            nonlocal nodes
            nodes += 1
            if nodes > self.limit:
                raise Budget()
            st = self.status(goals, assigned)
            if st == NO:
                return None
            if st == YES:
                return dict(assigned)
            if i == len(variables):
                return None
            var = variables[i]
            for value in self.domain(var, point_values(assigned)):
                assigned[var] = value
                if self._axioms_ok(point_values(assigned)):
                    found = dfs(i + 1)
                    if found is not None:
                        return found
            del assigned[var]
            return None

        return dfs(0)

    def describe(self, assignment: dict) -> str:
        parts = []
        for k, v in assignment.items():
            if k == THRESHOLD_GROUP:
                parts.append("thresholds=" + "/".join(f"{x:g}" for x in v))
            elif isinstance(v, float):
                parts.append(f"{k}={v:g}")
            else:
                parts.append(f"{k}={v}")
        return ", ".join(parts)


# =========================================================================== wording ↔ operator

# 刑法第九十九条: 以上、以下、以内 include the number; 不满、超过 exclude it (drafting convention).
# Ages use 已满 (reached: ≥) and 未满 (not reached: <).  For each word: the operators that say
# the same, and the operators that say its exact negation (a rule may encode the opposite case).
WORDS = {
    "以上": ({"at_least"}, {"under"}),
    "已满": ({"at_least"}, {"under"}),
    "以下": ({"at_most", "within"}, {"over"}),
    "以内": ({"within", "at_most"}, {"over"}),
    "不满": ({"under"}, {"at_least"}),
    "未满": ({"under"}, {"at_least"}),
    "超过": ({"over"}, {"at_most", "within"}),
}
# the operator a trainer is likely to have confused the word with (same side, other inclusion)
CONFUSED = {"以上": {"over"}, "已满": {"over"}, "以下": {"under"}, "以内": {"under"},
            "不满": {"at_most", "within"}, "未满": {"at_most", "within"},
            "超过": {"at_least"}}
FLIP = {"at_least": "under", "under": "at_least", "over": "at_most", "at_most": "over",
        "within": "over"}
ART99 = "刑法第九十九条（以上、以下、以内，包括本数）"


def _words_ops(cond: Cond, negated: bool = False):
    """(atom, the operator word as it acts, counting `not`) for every comparison."""
    if isinstance(cond, Atom):
        if cond.word:
            yield cond, FLIP[cond.word] if negated else cond.word
    elif isinstance(cond, Not):
        yield from _words_ops(cond.item, not negated)
    else:
        for item in cond.items:
            yield from _words_ops(item, negated)


def check_wording(pack: RulePack) -> list[Finding]:
    out = []
    for rule in pack.rules:
        comparisons = list(_words_ops(rule.when))
        if not rule.wording:
            continue
        text = str(rule.wording)
        used = {op for _, op in comparisons}
        for word, (same, negation) in WORDS.items():
            if word not in text:
                continue
            if used & (same | negation):
                continue
            wrong = [(a, op) for a, op in comparisons if op in CONFUSED[word]]
            if wrong:
                atom, op = wrong[0]
                should = sorted(same)[0]
                out.append(_at(atom.loc, "error",
                               f"rule '{rule.id}': the wording says {word} but '{atom.fact}' "
                               f"is compared with {op} ({OPERATORS[op][1]}); {word} "
                               f"{'includes' if should != 'under' else 'excludes'} the number "
                               f"itself", hint=f"use {should} ({OPERATORS[should][1]})",
                               article=ART99 + "；不满、超过不包括本数", code="wording"))
            elif comparisons:
                out.append(_at(rule.loc, "warning",
                               f"rule '{rule.id}': the wording says {word} but no comparison "
                               f"of the rule uses {' or '.join(sorted(same))}",
                               hint="check that the rule compares the number the wording "
                                    "quotes", article=ART99, code="wording"))
    return out
