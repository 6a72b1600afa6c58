"""The plain engine's compiled conditions (evaluator.compile_cond) give what the reference
Kleene evaluation (evaluator.eval_cond) gives, for every rule of the shipped pack, on random
fact values: every yes/no/unknown, every membership of a choice, intervals around the bounds
the rules compare, and what the user knew of a fact (known_key) present or not."""
from __future__ import annotations

import random

from assess.assessment import load
from assess.evaluator import EVERYTHING, compile_cond, eval_cond, known_key, param_key
from assess.model import NO, UNKNOWN, YES, Atom, leaves

STATES = (YES, NO, UNKNOWN)
POINTS = (0, 1, 2999.99, 3000, 3000.01, 6000, 10 ** 6)


def _interval(rng: random.Random) -> tuple:
    if rng.random() < 0.1:
        return EVERYTHING
    a, b = sorted(rng.choice(POINTS) for _ in range(2))
    return (a, a) if rng.random() < 0.4 else (a, b)


def _value(rng: random.Random, fact) -> object:
    if fact.type == "yesno":
        return rng.choice(STATES)
    if fact.type == "choice":
        return {v: rng.choice(STATES) for v in fact.values}
    return _interval(rng)


def test_compiled_conditions_equal_the_kleene_evaluation():
    _, pack = load()
    rng = random.Random(20261204)
    rules = [r for stratum in pack.strata for r in stratum]
    keys = {param_key(a.ref, r.on) for r in rules for a in leaves(r.when)
            if isinstance(a, Atom) and a.ref and a.ref not in pack.facts}
    compiled = [(r, compile_cond(r.when, pack, r.on)) for r in rules]
    seen = set()
    for _ in range(400):
        facts = {fid: _value(rng, f) for fid, f in pack.facts.items()}
        for fid, f in pack.facts.items():
            if f.type in ("yesno", "choice") and rng.random() < 0.3:
                facts[known_key(fid)] = _value(rng, f)
        params = {k: _interval(rng) for k in keys}
        for rule, when in compiled:
            want = eval_cond(rule.when, pack, facts, params, rule.on)
            assert when(facts, params) == want, rule.id
            seen.add(want)
    assert seen == set(STATES)
