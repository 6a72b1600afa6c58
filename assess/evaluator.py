"""Runs a RulePack on the facts of one case: stratum by stratum, three-valued.

The runner is engine-neutral.  For each stratum an *engine* says which rules fire definitely
("yes") and which only possibly ("unknown", because a fact they read is unknown); the runner
then turns the conclusions of that stratum into derived facts for the next one.  Two engines
implement the same contract: `PlainEngine` here (direct Kleene evaluation, the reference) and
`DurableEngine` in engine_durable.py (the production engine).  The differential test checks
they agree.

Fact values (shared by both engines):
- yesno:  "yes" | "no" | "unknown"
- choice: {value: "yes" | "no" | "unknown"} — membership of every declared value
- amount / number / date: (lo, hi) — an interval; lo == hi when known (dates as day ordinals)
Parameters are numeric values keyed "<parameter id>@conduct" / "<parameter id>@decision".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import AssessError
from .model import NUMERIC_TYPES, NO, UNKNOWN, YES, All, AnyOf, Atom, Cond, Not, Rule, RulePack

BIG = 10 ** 12          # stands for "no bound" in intervals (durable-rules needs finite numbers)
EVERYTHING = (-BIG, BIG)


def param_key(param_id: str, on: str) -> str:
    return f"{param_id}@{on}"


def known_key(fact_id: str) -> str:
    """Where a run keeps what the user *knows* of a fact (its value before any case was split):
    a rule testing `<fact>: unknown` asks about the user's knowledge, not about the world, so it
    reads this value when present (assess/cases.py sets it for every completion it tries)."""
    return f"{fact_id}?"


@dataclass
class Outcome:
    """What a run produced: rule statuses ("yes" definite, "unknown" conditional) and all facts."""
    fired: dict[str, str]
    facts: dict
    stratum_of: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- Kleene evaluation

def _cmp(op: str, x: tuple, y: tuple) -> str:
    (xl, xh), (yl, yh) = x, y
    if op == ">=":
        sure, possible = xl >= yh, xh >= yl
    elif op == ">":
        sure, possible = xl > yh, xh > yl
    elif op == "<=":
        sure, possible = xh <= yl, xl <= yh
    elif op == "<":
        sure, possible = xh < yl, xl < yh
    else:                                            # pragma: no cover - the loader forbids it
        raise ValueError(op)
    return YES if sure else UNKNOWN if possible else NO


def eval_atom(atom: Atom, pack: RulePack, facts: dict, params: dict, on: str) -> str:
    fact = pack.facts[atom.fact]
    if atom.op == UNKNOWN:                           # "is the fact unknown?" is never unknown
        value = facts.get(known_key(atom.fact), facts[atom.fact])
        if fact.type == "yesno":
            return YES if value == UNKNOWN else NO
        members = value.values()
        return YES if YES not in members and UNKNOWN in members else NO
    value = facts[atom.fact]
    if atom.op == "in":
        if fact.type == "yesno":
            if value == UNKNOWN:
                return UNKNOWN
            return YES if value in atom.values else NO
        members = [value[v] for v in atom.values]
        if YES in members:
            return YES
        return NO if all(m == NO for m in members) else UNKNOWN
    ref = facts[atom.ref] if atom.ref in pack.facts else params[param_key(atom.ref, on)]
    return _cmp(atom.op, value, ref)


def eval_cond(cond: Cond, pack: RulePack, facts: dict, params: dict, on: str) -> str:
    if isinstance(cond, Atom):
        return eval_atom(cond, pack, facts, params, on)
    if isinstance(cond, Not):
        inner = eval_cond(cond.item, pack, facts, params, on)
        return {YES: NO, NO: YES}.get(inner, UNKNOWN)
    results = [eval_cond(item, pack, facts, params, on) for item in cond.items]
    if isinstance(cond, All):
        return NO if NO in results else YES if all(r == YES for r in results) else UNKNOWN
    if isinstance(cond, AnyOf):
        return YES if YES in results else NO if all(r == NO for r in results) else UNKNOWN
    raise TypeError(cond)                            # pragma: no cover


def compile_cond(cond: Cond, pack: RulePack, on: str):
    """eval_cond(cond, pack, facts, params, on) as a function of (facts, params): the same
    Kleene evaluation, with the dispatch on the condition's shape and the look-ups of the pack
    done once instead of on every run (PlainEngine; tests/test_evaluator_compiled.py checks the
    two agree).  An All stops at its first "no" and an AnyOf at its first "yes", which gives
    the same value."""
    if isinstance(cond, Atom):
        return _compile_atom(cond, pack, on)
    if isinstance(cond, Not):
        inner = compile_cond(cond.item, pack, on)
        flip = {YES: NO, NO: YES}

        def negated(facts, params):
            return flip.get(inner(facts, params), UNKNOWN)
        return negated
    items = tuple(compile_cond(item, pack, on) for item in cond.items)
    if isinstance(cond, All):
        return _kleene(items, stop=NO, otherwise=YES)
    if isinstance(cond, AnyOf):
        return _kleene(items, stop=YES, otherwise=NO)
    raise TypeError(cond)                            # pragma: no cover


def _kleene(items: tuple, stop: str, otherwise: str):
    """All (stop "no", otherwise "yes") or AnyOf (stop "yes", otherwise "no") of compiled
    conditions: `stop` as soon as one gives it, `otherwise` when all give that, else unknown."""
    def combined(facts, params):
        result = otherwise
        for item in items:
            r = item(facts, params)
            if r == stop:
                return stop
            if r != otherwise:
                result = UNKNOWN
        return result
    return combined


def _compile_atom(atom: Atom, pack: RulePack, on: str):
    """eval_atom for one atom, as a function of (facts, params)."""
    fid, yesno = atom.fact, pack.facts[atom.fact].type == "yesno"
    if atom.op == UNKNOWN:
        known = known_key(fid)
        if yesno:
            return lambda facts, params: YES if facts.get(known, facts[fid]) == UNKNOWN else NO

        def unknown_choice(facts, params):
            members = facts.get(known, facts[fid]).values()
            return YES if YES not in members and UNKNOWN in members else NO
        return unknown_choice
    if atom.op == "in":
        values = atom.values
        if yesno:
            def in_yesno(facts, params):
                value = facts[fid]
                if value == UNKNOWN:
                    return UNKNOWN
                return YES if value in values else NO
            return in_yesno

        # a choice: AnyOf the listed members' own statuses
        members = tuple((lambda facts, params, v=v: facts[fid][v]) for v in values)
        return members[0] if len(members) == 1 else _kleene(members, stop=YES, otherwise=NO)
    op = atom.op
    if atom.ref in pack.facts:
        ref = atom.ref
        return lambda facts, params: _cmp(op, facts[fid], facts[ref])
    key = param_key(atom.ref, on)
    return lambda facts, params: _cmp(op, facts[fid], params[key])


class PlainEngine:
    """Reference engine: evaluates each rule's condition directly (compiled once per pack to
    Python functions, compile_cond)."""

    name = "plain"

    def __init__(self, pack: RulePack):
        self.pack = pack
        self._strata = [[(rule.id, compile_cond(rule.when, pack, rule.on)) for rule in rules]
                        for rules in pack.strata]

    def fire(self, stratum: int, facts: dict, params: dict) -> dict[str, str]:
        fired = {}
        for rid, when in self._strata[stratum]:
            status = when(facts, params)
            if status != NO:
                fired[rid] = status
        return fired

    def run_case(self, run_strata):
        """Give `run_strata` this engine's fire(stratum, facts, params) for one case."""
        return run_strata(self.fire)


# --------------------------------------------------------------------------- the runner

def combine(pack: RulePack, rules: list[Rule], fired: dict[str, str], facts: dict,
            targets: set[str]) -> None:
    """Set the derived facts `targets` from the rules concluding them (in place)."""
    sure: dict[str, dict[str, list[str]]] = {}
    maybe: dict[str, set[str]] = {}
    for rule in rules:
        for fid, value in rule.then:
            if fid not in targets:
                continue
            status = fired.get(rule.id)
            if status == YES:
                sure.setdefault(fid, {}).setdefault(value, []).append(rule.id)
            elif status == UNKNOWN:
                maybe.setdefault(fid, set()).add(value)
    for fid in targets:
        fact = pack.facts[fid]
        definite = sure.get(fid, {})
        if len(definite) > 1:
            detail = "; ".join(f"{v} by {', '.join(ids)}" for v, ids in definite.items())
            first = pack.rule(next(iter(definite.values()))[0])
            raise first.loc.error(f"rules conclude different values of '{fid}' on the same "
                                  f"facts: {detail}",
                                  hint="make their conditions exclude each other")
        possible = maybe.get(fid, set())
        if fact.type == "yesno":
            if definite:
                facts[fid] = next(iter(definite))
            elif possible - {fact.default or NO}:
                facts[fid] = UNKNOWN
            else:
                facts[fid] = fact.default or NO
        else:
            if definite:
                value = next(iter(definite))
                facts[fid] = {v: YES if v == value else NO for v in fact.values}
            elif possible:
                candidates = possible | ({fact.default} if fact.default else set())
                facts[fid] = {v: UNKNOWN if v in candidates else NO for v in fact.values}
            else:
                facts[fid] = {v: YES if v == fact.default else NO for v in fact.values}


def run(pack: RulePack, engine, case_facts: dict, params: dict) -> Outcome:
    """Evaluate the pack on the case facts with the given engine."""
    facts = dict(case_facts)
    missing = [fid for fid, f in pack.facts.items() if f.origin == "case" and fid not in facts]
    if missing:
        raise AssessError(f"the case facts lack {', '.join(missing)}",
                          hint="every fact with origin: case must be provided by assess/facts.py")
    fired_all: dict[str, str] = {}
    stratum_of: dict[str, int] = {}

    ready = pack.facts_ready()

    def run_strata(fire):
        for k in range(len(pack.strata)):
            fired = fire(k, facts, params)
            for rid in fired:
                stratum_of[rid] = k
            fired_all.update(fired)
            done = ready.get(k)
            if done:                     # facts whose last concluding rule ran in this stratum
                combine(pack, done[1], fired_all, facts, done[0])

    engine.run_case(run_strata)
    return Outcome(fired_all, facts, stratum_of)


def unknown_value(fact_type: str, values=()) -> object:
    """The value of a fact nobody knows."""
    if fact_type == "yesno":
        return UNKNOWN
    if fact_type == "choice":
        return {v: UNKNOWN for v in values}
    return EVERYTHING


def is_numeric(fact_type: str) -> bool:
    return fact_type in NUMERIC_TYPES
