"""The durable-rules adapter: cases share one session, so nothing of a case may outlive it."""
import random

import pytest

from assess.assessment import engine_for, load
from assess.evaluator import run

from test_differential import random_facts


def setup(seed: int):
    """(pack, durable engine, plain engine, random case facts, parameters)."""
    lib, pack = load()
    params = {f"{ref}@{on}": (14.0, 14.0) for ref in pack.params
              for on in ("conduct", "decision")}
    return (pack, engine_for(pack, "durable"), engine_for(pack, "plain"),
            random_facts(pack, random.Random(seed)), params)


def test_the_same_case_twice_in_a_row_gives_the_same_result():
    # identical facts asserted into a session that still held them would be refused
    # by durable ("already observed"); the adapter retracts them when the case ends
    pack, eng, plain, facts, params = setup(3)
    first = run(pack, eng, facts, params)
    second = run(pack, eng, facts, params)
    assert first.fired == second.fired == run(pack, plain, facts, params).fired
    assert first.fired                                  # the case did fire rules


def test_a_case_that_fails_half_way_leaves_nothing_behind():
    pack, eng, plain, facts, params = setup(5)
    expected = run(pack, plain, facts, params)

    class Stop(Exception):
        pass

    def half_way(fire):
        fire(0, dict(facts, **{k: v for k, v in expected.facts.items() if k not in facts}),
             params)
        raise Stop

    with pytest.raises(Stop):
        eng.run_case(half_way)
    again = run(pack, eng, facts, params)
    assert again.fired == expected.fired and again.facts == expected.facts


def test_open_interval_bounds_reach_durable_as_numbers():
    """cases.py narrows an interval to "more than 0" as (5e-324, ...): Python writes that float
    as 5e-324, which durable's JSON reader refused ("Could not assert fact, error code: 204").
    Every number, however small or large, must reach durable and give the plain engine's result."""
    import math

    from assess.engine_durable import fact_json
    import json

    odd = [math.nextafter(0, math.inf), -math.nextafter(0, math.inf), math.nextafter(3000, 0),
           1e-7, 1e16, 2.5e-300, 9.5e-5, 1e-4, 9999999999999998.0, -1e16]   # the edges of
    #                                                 json's exponent (fact_json's fast path)
    assert json.loads(fact_json({"a": odd[0], "b": "yes", "c": True})) == \
        {"a": odd[0], "b": "yes", "c": True}
    pack, durable, plain, facts, params = setup(11)
    rng = random.Random(11)
    numeric = [f for f, v in facts.items() if isinstance(v, tuple)]
    for _ in range(40):
        for f in rng.sample(numeric, 5):
            lo = rng.choice(odd + [0.0])
            facts[f] = (lo, max(lo, rng.choice(odd + [5000.0])))
        a, b = run(pack, durable, facts, params), run(pack, plain, facts, params)
        assert (a.fired, a.facts) == (b.fired, b.facts)


def test_a_buyer_without_a_place_is_assessed_by_durable(tmp_path):
    """The case that showed it (a screening's differential run): no place, so every local
    standard is possible, and reasoning by cases narrows one of them to "more than 0"."""
    from datetime import date

    from assess.assessment import evaluate_file

    path = tmp_path / "case.yaml"
    path.write_text("""format: assess-case/1
title: B01349
buyer:
  account: B01349
  birth_date: 2009-09-01
incidents:
- {date: 2023-04-30, order_no: O-0, amount: 960.29, refund_paid: 'yes', photo_method: edited,
   goods_defective: 'no'}
- {date: 2025-09-02, order_no: O-1, amount: 1038.71, refund_paid: unknown, photo_method: edited,
   goods_defective: 'yes', handled: 'no'}
""", encoding="utf-8")
    a = evaluate_file(path, as_of=date(2026, 12, 1), engine="durable")
    b = evaluate_file(path, as_of=date(2026, 12, 1), engine="plain")
    for r in (a, b):
        r.pop("tool")
    assert a == b
