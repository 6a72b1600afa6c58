"""Mutation check of the rule pack: every mutant must make at least one golden or boundary test
fail.

Mutants (made in memory, on copies of the loaded pack and statute objects):
- every numeric amount standard of statutes/thresholds/fraud-amounts.yaml shifted by −1 and +1 yuan;
- every comparison of every rule flipped in its inclusion (at_least↔over, under↔at_most,
  within→under) and negated (at_least↔under, over↔at_most, within→over).

Each mutant runs the tests in-process with the plain engine (explain=False) and stops at the
first failing test; the tests most likely to fail run first.  Survivors are listed in the
failure message (goal: none).
"""
from __future__ import annotations

import copy
import dataclasses
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

import assess.assessment as assessment
from assess.case import parse_case
from assess.dates import parse_date
from assess.model import OPERATORS, All, AnyOf, Atom, Not, RulePack
from assess.ruletest import compare, load_tests

GOLDEN = Path(__file__).parent / "golden"
pytestmark = pytest.mark.skipif(
    not any((Path(__file__).parent.parent / "statutes").glob("*.yaml")),
    reason="statutes/ not written yet")
FLIP = {"at_least": "over", "over": "at_least", "under": "at_most", "at_most": "under",
        "within": "under"}
NEGATE = {"at_least": "under", "under": "at_least", "over": "at_most", "at_most": "over",
          "within": "over"}


# --------------------------------------------------------------------------- the test suite

@dataclasses.dataclass
class Spec:
    name: str
    case: object
    as_of: date
    expect: dict
    province: str | None


def _specs():
    from assess.boundaries import generate_boundaries

    raw = []
    for file in sorted(GOLDEN.glob("*.yaml")):
        raw += [(f"{file.name}:{line} {name}", spec) for name, line, spec in load_tests(file)]
    data = generate_boundaries()
    raw += [(f"boundary {t['name']}", dict(t, case=_merge(data["defaults"], t["case"])))
            for t in data["tests"]]
    out = []
    for name, spec in raw:
        as_of = parse_date(spec.get("as_of"))
        case = parse_case(spec["case"], filename=name, as_of=as_of)
        out.append(Spec(name, case, as_of, spec["expect"],
                        case.place.province if case.place else None))
    return out


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return copy.deepcopy(over)


@contextmanager
def _using(lib, pack):
    """evaluate_case sees (lib, pack) instead of the loaded pack."""
    old = assessment.load
    assessment.load = lambda base=None: (lib, pack)
    try:
        yield
    finally:
        assessment.load = old
        for key in [k for k in assessment._ENGINES if k[0] == id(pack)]:
            del assessment._ENGINES[key]


def _fails(spec: Spec) -> bool:
    try:
        result = assessment.evaluate_case(spec.case, as_of=spec.as_of, engine="plain",
                                          explain=False)
    except Exception:                                  # noqa: BLE001 - a crash kills too
        return True
    return bool(compare(result, spec.expect))


def _killed(lib, pack, specs) -> str | None:
    """The first test the mutant fails, or None (it survives)."""
    with _using(lib, pack):
        for spec in specs:
            if _fails(spec):
                return spec.name
    return None


@pytest.fixture(scope="module")
def suite():
    lib, pack = assessment.load()
    specs = _specs()
    with _using(lib, pack):
        baseline = [s.name for s in specs if _fails(s)]
    assert not baseline, f"the unmutated pack fails {baseline}"
    return lib, pack, specs


# --------------------------------------------------------------------------- operator mutants

def _replace_atom(cond, target: Atom, new: Atom):
    if cond is target:
        return new
    if isinstance(cond, Atom):
        return cond
    if isinstance(cond, Not):
        return Not(_replace_atom(cond.item, target, new), cond.loc)
    items = tuple(_replace_atom(i, target, new) for i in cond.items)
    return type(cond)(items, cond.loc)


def _leaves(cond):
    if isinstance(cond, Atom):
        yield cond
    elif isinstance(cond, Not):
        yield from _leaves(cond.item)
    else:
        for i in cond.items:
            yield from _leaves(i)


def _with_rule(pack: RulePack, old, new) -> RulePack:
    rules = tuple(new if r is old else r for r in pack.rules)
    strata = [[new if r is old else r for r in s] for s in pack.strata]
    return RulePack(pack.facts, rules, strata, pack.params, pack.files, pack.digest + "-mut")


def operator_mutants(pack: RulePack):
    for rule in pack.rules:
        for atom in _leaves(rule.when):
            if not atom.word:
                continue
            for kind, table in (("flip", FLIP), ("negate", NEGATE)):
                word = table[atom.word]
                new_atom = dataclasses.replace(atom, word=word, op=OPERATORS[word][0])
                new_rule = dataclasses.replace(rule, when=_replace_atom(rule.when, atom, new_atom))
                assert new_rule.when != rule.when            # the mutation is real
                label = (f"{rule.id}: {atom.fact} {atom.word}→{word} {atom.ref} "
                         f"({kind}, {atom.loc})")
                yield label, rule, _with_rule(pack, rule, new_rule)


def _rule_first(specs, rule, lib, pack):
    """Tests whose baseline fires the rule (or reads its facts) first."""
    facts = {a.fact for a in _leaves(rule.when)} | {f for f, _ in rule.then}
    def key(spec):
        text = " ".join(map(str, spec.expect.values()))
        return 0 if rule.id in text or any(f in text for f in facts) else 1
    return sorted(specs, key=key)


# Operator mutants no test kills yet (goal: none; the list is empty).  The test fails when a new
# mutant survives, and when a listed one is killed (then remove it from this list).
# tests/golden/ages.yaml sits on every age boundary and on the 6/12-month repeat window.
KNOWN_SURVIVORS: set[str] = set()


def test_every_operator_mutant_is_killed(suite):
    lib, pack, specs = suite
    survivors = []
    count = 0
    for label, rule, mutant in operator_mutants(pack):
        count += 1
        if _killed(lib, mutant, _rule_first(specs, rule, lib, pack)) is None:
            survivors.append(label)
    assert count >= 20
    short = {s.rsplit(" (", 1)[0] + " (" + s.rsplit(" (", 1)[1].split(",")[0] + ")"
             for s in survivors}
    new = sorted(short - KNOWN_SURVIVORS)
    gone = sorted(KNOWN_SURVIVORS - short)
    assert not new, "surviving operator mutants:\n  " + "\n  ".join(new)
    assert not gone, "now killed, remove from KNOWN_SURVIVORS:\n  " + "\n  ".join(gone)
    # every comparison with an amount standard is killed
    assert not [s for s in survivors if "threshold_" in s]


# --------------------------------------------------------------------------- threshold mutants

def test_every_threshold_mutant_is_killed(suite):
    from assess.boundaries import threshold_mutants

    lib, pack, specs = suite
    survivors = []
    count = 0
    for label, province, mutant_lib in threshold_mutants(lib):
        count += 1
        order = sorted(specs, key=lambda s: (s.province != province,
                                             not s.name.startswith("boundary")))
        if _killed(mutant_lib, pack, order) is None:
            survivors.append(label)
    assert count >= 20
    assert not survivors, "surviving threshold mutants:\n  " + "\n  ".join(survivors)
