"""The durable-rules adapter: the only module that imports durable.

durable-rules 2.0.28 is unmaintained and has sharp edges (../shared/reference/tech-notes.md §4):
a fact no rule matches is "not handled" and not stored, action exceptions are swallowed into the
state, every Host starts two timer threads, and at most 1,024 sessions may be alive.  This
adapter therefore:

- compiles each rule of the pack into two durable rules over one flat fact per stratum: `r<n>$T`
  (the condition is surely true) and `r<n>$P` (it is not surely false), so three-valued logic runs
  on a two-valued engine (`compile_ruleset` also returns which rule id each name stands for);
- treats "not handled" as "no rule of this stratum fired";
- drives durable's C rule engine without its Python host (see "the engine" below): firings are
  recorded in the loop that takes the actions off the agenda, so no action code runs inside
  durable and nothing can be swallowed; no timer threads;
- runs the cases in turn through one session and retracts a case's facts (one per stratum)
  when it ends, or deletes the session if the case failed half-way.

The fact encoding: a yesno fact is one property ("yes"/"no"/"unknown"); a choice fact is one
property per value (`<fact>__<value>`); a number is two properties `<fact>__lo` / `<fact>__hi`;
a parameter is `p__<id>__<on>__lo` / `__hi`.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field

from .errors import AssessError
from .evaluator import BIG, known_key, param_key
from .model import NO, UNKNOWN, YES, All, AnyOf, Atom, Cond, Not, RulePack

TRUE, FALSE = ("true",), ("false",)
_NEG = {"==": "!=", "!=": "==", ">=": "<", "<": ">=", ">": "<=", "<=": ">"}
_DURABLE_OP = {"!=": "$neq", ">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt"}


def _prop(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _known_prop(name: str) -> str:
    return f"k__{_prop(name)}"


def _param_prop(ref: str, on: str) -> str:
    return f"p__{_prop(ref)}__{on}"


# ------------------------------------------------------------ formulas: ("cmp", op, prop, operand)

def _and(items):
    items = [i for i in items if i != TRUE]
    if FALSE in items:
        return FALSE
    return TRUE if not items else items[0] if len(items) == 1 else ("and", items)


def _or(items):
    items = [i for i in items if i != FALSE]
    if TRUE in items:
        return TRUE
    return FALSE if not items else items[0] if len(items) == 1 else ("or", items)


def _negate(f):
    if f == TRUE:
        return FALSE
    if f == FALSE:
        return TRUE
    if f[0] == "and":
        return _or([_negate(i) for i in f[1]])
    if f[0] == "or":
        return _and([_negate(i) for i in f[1]])
    _, op, prop, operand = f
    return ("cmp", _NEG[op], prop, operand)


class _Compiler:
    def __init__(self, pack: RulePack):
        self.pack = pack

    def numeric_props(self, name: str, on: str) -> tuple[str, str]:
        base = _prop(name) if name in self.pack.facts else _param_prop(name, on)
        return base + "__lo", base + "__hi"

    def atom(self, atom: Atom, on: str):
        """(sure, possible) formulas of one atom."""
        fact = self.pack.facts[atom.fact]
        if atom.op == UNKNOWN:                   # reads what the user knows (known_key)
            if fact.type == "yesno":
                test = ("cmp", "==", _known_prop(atom.fact), UNKNOWN)
            else:
                props = [f"{_known_prop(atom.fact)}__{_prop(v)}" for v in fact.values]
                test = _and([("cmp", "!=", p, YES) for p in props]
                            + [_or([("cmp", "==", p, UNKNOWN) for p in props])])
            return test, test
        if atom.op == "in":
            if fact.type == "yesno":
                prop = _prop(atom.fact)
                sure = _or([("cmp", "==", prop, v) for v in atom.values])
                excluded = [v for v in (YES, NO) if v not in atom.values]
                possible = _and([("cmp", "!=", prop, v) for v in excluded])
                return sure, possible
            props = [f"{_prop(atom.fact)}__{_prop(v)}" for v in atom.values]
            return (_or([("cmp", "==", p, YES) for p in props]),
                    _or([("cmp", "!=", p, NO) for p in props]))
        x_lo, x_hi = self.numeric_props(atom.fact, on)
        y_lo, y_hi = self.numeric_props(atom.ref, on)
        ref = lambda p: ("$m", p)                                     # noqa: E731
        if atom.op in (">=", ">"):
            return (("cmp", atom.op, x_lo, ref(y_hi)), ("cmp", atom.op, x_hi, ref(y_lo)))
        return (("cmp", atom.op, x_hi, ref(y_lo)), ("cmp", atom.op, x_lo, ref(y_hi)))

    def cond(self, cond: Cond, on: str):
        if isinstance(cond, Atom):
            return self.atom(cond, on)
        if isinstance(cond, Not):
            sure, possible = self.cond(cond.item, on)
            return _negate(possible), _negate(sure)
        parts = [self.cond(item, on) for item in cond.items]
        if isinstance(cond, All):
            return _and([s for s, _ in parts]), _and([p for _, p in parts])
        if isinstance(cond, AnyOf):
            return _or([s for s, _ in parts]), _or([p for _, p in parts])
        raise TypeError(cond)                        # pragma: no cover


def _to_json(f):
    if f[0] == "and":
        return {"$and": [_to_json(i) for i in f[1]]}
    if f[0] == "or":
        return {"$or": [_to_json(i) for i in f[1]]}
    _, op, prop, operand = f
    value = {"$m": operand[1]} if isinstance(operand, tuple) else operand
    if op == "==":
        return {prop: value}
    return {_DURABLE_OP[op]: {prop: value}}


def compile_ruleset(pack: RulePack) -> tuple[dict, dict]:
    """The durable-rules JSON of a pack, {name: {"all": [...]}}, and what each name stands for:
    {name: (rule id, "T" | "P")}.  Names are r<n>$T / r<n>$P, plain ASCII whatever the rule ids
    are, so an action message's name can be read without decoding the JSON."""
    compiler = _Compiler(pack)
    out, names = {}, {}
    n = 0
    for k, rules in enumerate(pack.strata):
        for rule in rules:
            n += 1
            sure, possible = compiler.cond(rule.when, rule.on)
            possible = _and([possible, _negate(sure)])      # fire once: T, or else P
            for tag, formula in (("T", sure), ("P", possible)):
                if formula == FALSE:
                    continue
                test = [{"stratum": k}] + ([] if formula == TRUE else [_to_json(formula)])
                out[f"r{n}${tag}"] = {"all": [{"m": {"$and": test}}]}
                names[f"r{n}${tag}"] = (rule.id, tag)
    return out, names


@dataclass
class Plan:
    """What one stratum's rules read, by kind, with the property names durable sees."""
    yesno: list = field(default_factory=list)      # (property, fact)
    choice: list = field(default_factory=list)     # (fact, ((value, property), ...))
    numbers: list = field(default_factory=list)    # (fact, lo property, hi property)
    params: list = field(default_factory=list)     # (parameter key, lo property, hi property)
    known: list = field(default_factory=list)      # (fact, ((value or None, property), ...))


def encoding_plan(pack: RulePack, stratum: int) -> Plan:
    """The facts and parameters one stratum's rules read, and how each is encoded."""
    plan, seen = Plan(), set()
    for rule in pack.strata[stratum]:
        for atom in rule.atoms:
            if atom.op != UNKNOWN or (atom.fact, "known") in seen:
                continue
            seen.add((atom.fact, "known"))
            fact = pack.facts[atom.fact]
            props = ((None, _known_prop(atom.fact)),) if fact.type == "yesno" else tuple(
                (v, f"{_known_prop(atom.fact)}__{_prop(v)}") for v in fact.values)
            plan.known.append((atom.fact, props))
        for name in rule.reads:
            if (name, rule.on) in seen:
                continue
            seen.add((name, rule.on))
            fact = pack.facts.get(name)
            if fact is None:
                base = _param_prop(name, rule.on)
                plan.params.append((param_key(name, rule.on), base + "__lo", base + "__hi"))
            elif fact.type == "yesno":
                plan.yesno.append((_prop(name), name))
            elif fact.type == "choice":
                plan.choice.append((name, tuple((v, f"{_prop(name)}__{_prop(v)}")
                                                for v in fact.values)))
            else:
                plan.numbers.append((name, _prop(name) + "__lo", _prop(name) + "__hi"))
    return plan


def encode(plan: Plan, facts: dict, params: dict) -> dict:
    """The flat fact durable sees for one stratum."""
    flat = {prop: facts[name] for prop, name in plan.yesno}
    for name, props in plan.known:
        value = facts.get(known_key(name), facts[name])
        for v, prop in props:
            flat[prop] = value if v is None else value[v]
    for name, props in plan.choice:
        value = facts[name]
        for v, prop in props:
            flat[prop] = value[v]
    for source, items in ((facts, plan.numbers), (params, plan.params)):
        for name, lo_prop, hi_prop in items:
            lo, hi = source[name]
            flat[lo_prop] = lo if lo > -BIG else -BIG        # durable needs finite numbers
            flat[hi_prop] = hi if hi < BIG else BIG
    return flat


def _number(x) -> str:
    """A number as durable's JSON reader takes it: its parser refuses an exponent after a mantissa
    without a decimal point ("5e-324", the least float above 0 that an open interval bound
    becomes in cases.py, or "1e+16"), and reads "5.0e-324" exactly."""
    text = json.dumps(x)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


def _exponent(v) -> bool:
    """Whether json writes the number with an exponent (Python's float repr does below 1e-4 and
    from 1e16)."""
    return type(v) is float and v != 0 and not 1e-4 <= abs(v) < 1e16


def fact_json(fact: dict) -> str:
    """The flat fact as the JSON text durable asserts (numbers by `_number`).  Most facts hold no
    such number: written by json at once (the per-value writing below costs about as much as the
    rules themselves on a case of many completions)."""
    if not any(_exponent(v) for v in fact.values()):
        return json.dumps(fact, ensure_ascii=False)
    return "{" + ", ".join(
        json.dumps(k, ensure_ascii=False) + ": " + (
            _number(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
            else json.dumps(v, ensure_ascii=False)) for k, v in fact.items()) + "}"


# ------------------------------------------------------------------------------ the engine

# durable-rules is two layers: the C rule engine (`durable_rules_engine`: Rete network, sessions,
# agenda) and a Python host (`durable.engine.Host`) that wraps every action in a Closure and
# decodes and re-encodes the session state as JSON for each one.  Our actions only record which
# rule fired, so this adapter drives the C engine through the same calls the host makes
# (create_ruleset, assert_fact, start_action_for_state, complete_and_start_action, retract_fact)
# without the host.  That also removes the host's timer threads (tech-notes §4.3 P5/P6).

_LOCK = threading.Lock()                     # one case at a time in the shared session
_HANDLES: dict[str, int] = {}                # ruleset name -> C handle (one per compiled pack)
_SESSION = "case"                            # the one session all cases use, in turn
_HANDLED, _NOT_HANDLED = 0, 1                # assert_fact result codes (durable/engine.py)


def _engine():
    import durable_rules_engine
    return durable_rules_engine


class DurableEngine:
    """Production engine: the rule pack compiled to one durable-rules ruleset."""

    name = "durable"

    def __init__(self, pack: RulePack):
        self.pack = pack
        self.plans = [encoding_plan(pack, k) for k in range(len(pack.strata))]
        spec, self.names = compile_ruleset(pack)
        text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
        key = json.dumps(self.names, sort_keys=True, ensure_ascii=False)
        self.ruleset = "assess_" + hashlib.sha256(
            (pack.digest + text + key).encode()).hexdigest()[:16]
        with _LOCK:
            handle = _HANDLES.get(self.ruleset)
            if handle is None:
                try:
                    handle = _engine().create_ruleset(self.ruleset, text)
                except Exception as exc:            # the C core answers with bare codes
                    raise AssessError(f"durable-rules rejected the compiled rule pack: {exc}",
                                      hint="run `assess rules check`; the plain engine "
                                           "(--engine plain) still works") from None
                _HANDLES[self.ruleset] = handle
        self.handle = handle

    def _fire(self, C, stratum: int, facts: dict, params: dict, asserted: list) -> dict:
        """Assert one stratum's fact and run the actions it activates: rule id -> yes|unknown."""
        fact = encode(self.plans[stratum], facts, params)
        fact["stratum"] = stratum
        fact["sid"] = _SESSION
        text = fact_json(fact)
        fired: dict[str, str] = {}
        code, state = C.assert_fact(self.handle, text)
        if code == _NOT_HANDLED:                    # no rule of this stratum matched; not stored
            return fired
        if code != _HANDLED:
            raise AssessError(f"durable-rules refused a fact (result code {code})")
        asserted.append(text)
        started = C.start_action_for_state(self.handle, state)
        message = started[1] if started else None
        while message:
            rule_id, tag = self.names[message[2:message.index('"', 2)]]   # {"r12$T":{...}}
            if tag == "T":
                fired[rule_id] = YES
            else:
                fired.setdefault(rule_id, UNKNOWN)
            message = C.complete_and_start_action(self.handle, state)
        return fired

    def run_case(self, run_strata):
        """Give `run_strata` a fire(stratum, facts, params) for one case.

        All cases share one session: a stratum's rules only match the fact of their own stratum,
        and the case's facts are retracted when it ends (cheaper than a session per case), or the
        whole session is deleted if anything went wrong, so every case starts from an empty one."""
        C = _engine()
        asserted: list[str] = []

        def fire(stratum: int, facts: dict, params: dict) -> dict[str, str]:
            return self._fire(C, stratum, facts, params, asserted)

        with _LOCK:
            clean = False
            try:
                result = run_strata(fire)
                for text in asserted:
                    C.retract_fact(self.handle, text)
                clean = True
                return result
            finally:
                if not clean:
                    try:
                        C.delete_state(self.handle, _SESSION)
                    except Exception:                # no state was created
                        pass
