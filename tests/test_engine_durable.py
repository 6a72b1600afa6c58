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
