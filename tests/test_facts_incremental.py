"""The facts of a case derived with the memos of assess/facts.py (each refund request, the sums
and the earlier-penalty facts derived once for equal requests) are exactly those of a fresh
derivation; and the fields FACT_FIELDS / UNREAD_FIELDS say cannot change a fact do not change it
(the reasoning by cases skips them: assess/cases.py _Splitter.may_change)."""
from __future__ import annotations

import copy
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from assess import cases, facts
from assess.assessment import OUTPUT_FACTS, engine_for, load
from assess.case import parse_case
from assess.errors import AssessError
from casegen import random_as_of, random_case

CHANGES = {"photo_method": ["ai_generated", "edited", "staged", "genuine", "unknown"],
           "goods_defective": ["yes", "no", "unknown"], "refund_paid": ["yes", "no", "unknown"],
           "handled": ["no", "administrative", "criminal", "yes", "unknown"]}


def _forget():
    """Every memo of assess/facts.py emptied: the next derivation is a fresh one."""
    facts._INCIDENT_MEMO[:] = [None, {}, {}]
    facts._SUMS_MEMO.clear()
    facts._PENALTY_MEMO.clear()
    facts._PENALTY_DAYS.clear()
    facts._EARLIEST[:] = [None, None, None]
    facts._penalty_at.cache_clear()
    facts._years_before.cache_clear()
    facts._EDITIONS[:] = [None, []]
    facts._PARAMS[:] = [None, None, {}]


def _view(cf) -> tuple:
    return (cf.facts, cf.params, cf.conduct_date, cf.first_conduct_date, cf.decision_date,
            cf.law_date_conduct, cf.warnings)


def _longer(rng: random.Random, data: dict) -> dict:
    """random_case with up to 12 requests (some undated, some with the same day) and, now and
    then, an earlier penalty left unanswered."""
    data = copy.deepcopy(data)
    first = date.fromisoformat(data["incidents"][0]["date"])
    for k in range(rng.randrange(0, 10)):
        inc = dict(rng.choice(data["incidents"]))
        inc["date"] = (first + timedelta(days=rng.choice([0, 30, 200, 500, 800]))).isoformat()
        inc["amount"] = rng.choice([800, 2999.5, 3000, 60000, "unknown"])
        data["incidents"].append(inc)
    if rng.random() < 0.2:
        data["incidents"][-1].pop("date")
    if rng.random() < 0.3:
        data["buyer"].pop("prior_penalties", None)
    return data


def _random_cases(n: int, seed: int):
    rng = random.Random(seed)
    while n:
        data = random_case(rng, unknown_rate=0.4)
        as_of = random_as_of(rng, data)
        if rng.random() < 0.6:
            data = _longer(rng, data)
            last = max((date.fromisoformat(i["date"]) for i in data["incidents"] if "date" in i),
                       default=as_of)
            as_of = max(as_of, last)
        try:
            case = parse_case(data, as_of=as_of)
        except AssessError:
            continue
        n -= 1
        yield rng, case, as_of


def test_a_case_with_one_request_changed_gets_the_facts_of_a_fresh_derivation():
    lib, pack = load()
    checked = 0
    for rng, case, as_of in _random_cases(150, 20261203):
        try:
            facts.case_facts(case, lib, pack, as_of)        # the memos hold this case's requests
        except AssessError:
            continue
        n = rng.randrange(len(case.incidents))          # one request, each answer in turn
        variants = []
        for field, value in [(f, v) for f, values in CHANGES.items() for v in values]:
            incidents = list(case.incidents)
            incidents[n] = replace(incidents[n], **{field: value})
            variants.append(replace(case, incidents=incidents))
        # and the same requests with what else the sums read: restitution, the buyer's age
        variants += [replace(case, restitution=v) for v in ("full", "partial", "none")]
        variants += [replace(case, buyer=dict(case.buyer, age=a)) for a in (13, 15, 40)]
        for changed in variants:
            try:
                memo = _view(facts.case_facts(changed, lib, pack, as_of))
            except AssessError as e:
                memo = str(e)
            _forget()
            try:
                fresh = _view(facts.case_facts(changed, lib, pack, as_of))
            except AssessError as e:
                fresh = str(e)
            assert memo == fresh, (case, n)
            checked += 1
            facts.case_facts(case, lib, pack, as_of)    # the memos hold the case again
    assert checked >= 2000


def test_the_memos_give_equal_requests_one_derivation():
    """A faked photo of goods whose defect is unknown is the same request for the sums as one
    made in an unknown way: the sums of the case are derived once for both."""
    lib, pack = load()
    data = random_case(random.Random(7))
    for inc in data["incidents"]:
        inc.update(photo_method="unknown", goods_defective="unknown")
    data["incidents"].append(dict(data["incidents"][0], order_no="x"))
    as_of = random_as_of(random.Random(7), data)
    case = parse_case(data, as_of=as_of)
    _forget()
    facts.case_facts(case, lib, pack, as_of)
    sums = len(facts._SUMS_MEMO)
    incidents = list(case.incidents)
    incidents[0] = replace(incidents[0], photo_method="edited")
    edited = replace(case, incidents=incidents)
    got = facts.case_facts(edited, lib, pack, as_of).facts
    assert len(facts._SUMS_MEMO) == sums                 # no new sums derived
    assert got["photo_method"]["edited"] == "yes"        # the answer itself is read each time
    _forget()
    assert facts.case_facts(edited, lib, pack, as_of).facts == got


def _paths(case):
    for spec, f in cases._walk_fields():
        paths = [spec] if spec[0] != "incidents" else \
            [(spec[0], i, spec[2]) for i in range(len(case.incidents))]
        values = ("yes", "no", "unknown") if f.kind == "tri" else tuple(f.values)
        for path in paths:
            if len(path) == 1 and not hasattr(case, path[0]):
                continue
            yield path, values


def test_a_field_changes_only_the_facts_it_may_change():
    lib, pack = load()
    declared = set(facts.FACT_FIELDS)
    assert {"intent_to_possess", "near_relative", "evidence_analysed"} <= declared
    changed_somewhere: set = set()
    for rng, case, as_of in _random_cases(40, 3):
        try:
            root = facts.case_facts(case, lib, pack, as_of).facts
        except AssessError:
            continue
        for path, values in _paths(case):
            field = path[0] if len(path) == 1 else f"{path[0]}.{path[-1]}"
            for value in values:
                try:
                    got = facts.case_facts(cases._set(case, path, value), lib, pack, as_of).facts
                except AssessError:
                    continue
                changed = {k for k, v in got.items() if root.get(k) != v}
                assert all(facts.may_change(field, k) for k in changed), (field, value, changed)
                changed_somewhere |= {(field, k) for k in changed}
    # the test reaches the declared facts: each is changed by its own field in some case
    assert ("intent_to_possess", "intent_to_possess") in changed_somewhere
    assert ("buyer.near_relative", "near_relative") in changed_somewhere
    assert ("restitution", "restitution") in changed_somewhere
    assert any(f == "incidents.photo_method" for f, _ in changed_somewhere)
    assert not any(f in facts.UNREAD_FIELDS for f, _ in changed_somewhere)


def _splits_alike(cases_, patch) -> None:
    """The reasoning by cases of each (case, as-of date) gives the same splits and leaves with
    and without `patch(m)` (a monkeypatch context)."""
    lib, pack = load()
    engine = engine_for(pack, "plain")

    def leaves(analysis):
        return [([(v.key, x) for v, x in leaf.path], leaf.facts, leaf.fired, leaf.residual)
                for leaf in analysis.leaves]

    for case, as_of in cases_:
        try:
            fast = cases.analyse(case, lib, pack, as_of, engine, outputs=OUTPUT_FACTS)
        except AssessError:
            continue
        with pytest.MonkeyPatch.context() as m:
            patch(m)
            slow = cases.analyse(case, lib, pack, as_of, engine, outputs=OUTPUT_FACTS)
        assert leaves(fast) == leaves(slow)
        assert list(fast.vars) == list(slow.vars)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_reasoning_by_cases_splits_as_without_the_declaration(seed):
    """may_change only skips fields whose influence would be empty on the asked facts: the
    same splits, the same leaves."""
    _splits_alike(((case, as_of) for _, case, as_of in _random_cases(12, seed)),
                  lambda m: m.setattr(cases._Splitter, "may_change",
                                      staticmethod(lambda path, names: True)))


def test_the_penalty_facts_alone_are_those_of_case_facts():
    """facts.penalty_facts_alone gives the PENALTY_FACTS of case_facts, and raises where it
    raises, on every value of every field of random cases (the reasoning by cases reads it
    instead of case_facts to see whether a field changes them: cases._Splitter.influences)."""
    lib, pack = load()
    checked = 0
    for _, case, as_of in _random_cases(40, 4):
        for path, values in _paths(case):
            for value in values:
                try:
                    changed = cases._set(case, path, value)
                except AssessError:
                    continue
                try:
                    whole = facts.case_facts(changed, lib, pack, as_of).facts
                    whole = {k: whole[k] for k in facts.PENALTY_FACTS}
                except AssessError as e:
                    whole = str(e)
                try:
                    alone = facts.penalty_facts_alone(changed, lib, pack, as_of)
                except AssessError as e:
                    alone = str(e)
                assert alone == whole, (path, value)
                checked += 1
    assert checked >= 2000


@pytest.mark.parametrize("seed", [5, 6])
def test_the_reasoning_by_cases_splits_as_without_the_penalty_shortcut(seed):
    """_Splitter.influences tries the earlier-penalty facts alone: the same splits, the same
    leaves as with the whole case facts (half of the cases leave the earlier penalties
    unanswered, where no request's answer changes them)."""
    def unanswered(rng, case):
        if rng.random() < 0.5:
            return case
        buyer = {k: v for k, v in case.data["buyer"].items() if k != "prior_penalties"}
        return replace(case, buyer={k: v for k, v in case.buyer.items()
                                    if k != "prior_penalties"},
                       data={**case.data, "buyer": buyer})
    _splits_alike(((unanswered(rng, case), as_of) for rng, case, as_of in
                   _random_cases(12, seed)),
                  lambda m: m.setattr(cases, "PENALTY_FACTS", frozenset()))
