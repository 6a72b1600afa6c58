"""An analysis stopped at its budget is told what each output analysed alone proves (cases._settle).

Cases built from a refund history leave many facts open (intent, the platform's approval, the
police report, pregnancy ...); splitting for every output at once multiplies them, and the
analysis stopped before deciding a track that is the same in every completion.  Checked here
against analyses that were allowed to finish: what the settled analysis decides, a finished
analysis decides alike, and it decides more than the joint analysis alone did."""
from __future__ import annotations

import random

import pytest

from assess.assessment import OUTPUT_FACTS, engine_for, evaluate_case, load
from assess.cases import LEAF_BUDGET, _set, analyse, unknown_fields
from assess.errors import AssessError
from assess.model import NO, YES
from test_screen_differential import AS_OF, _case, _claims, _history

FINISHED_BUDGET = 2048          # enough for most of these small cases to finish
pytestmark = pytest.mark.slow  # about a minute in all


def _statuses(analysis) -> dict:
    pack = analysis.pack
    out = {}
    for fid in OUTPUT_FACTS:
        fact = pack.facts[fid]
        for value in ("yes",) if fact.type == "yesno" else fact.values:
            out[(fid, value)] = analysis.fact_status(fid, value)[0]
    return out


@pytest.fixture(scope="module")
def stopped_cases():
    """The generated buyers whose analysis stops at the budget (the first 24 of them)."""
    lib, pack = load(None)
    engine = engine_for(pack, "plain")
    out = []
    for buyer, claims in _claims(_history(random.Random(20261203), 200)).items():
        case = _case(buyer, claims)
        try:
            joint = analyse(case, lib, pack, AS_OF, engine, outputs=OUTPUT_FACTS)
        except AssessError:
            continue                    # refused (a conduct date before the law data)
        if "budget" in joint.warnings:
            out.append((buyer, case, joint))
        if len(out) == 24:
            break
    assert len(out) == 24
    return out


def _sample(case, pack, rng: random.Random):
    """A random completion of the case's unknown yes/no and choice fields."""
    for var, path in unknown_fields(case, pack):
        case = _set(case, path, rng.choice(var.values))
    return case


def test_settled_decisions_hold_in_every_completion_tried(stopped_cases):
    """What settling decides (a track yes in every completion, a band never ...) holds in 30
    random completions of each case's unknown fields (each evaluated three-valued: no outcome
    the settled analysis calls impossible may be certain there), and is what an analysis
    allowed to finish decides, where one finishes."""
    lib, pack = load(None)
    engine = engine_for(pack, "plain")
    rng = random.Random(3)
    gained = checked = 0
    for buyer, case, joint in stopped_cases:
        settled = analyse(case, lib, pack, AS_OF, engine, outputs=OUTPUT_FACTS, settle=True)
        before, after = _statuses(joint), _statuses(settled)
        for key, status in before.items():
            # settling only decides: a decided status stays, a conditional one may be decided
            assert status == "conditional" or after[key] == status, (buyer, key)
        more = {k for k in after if after[k] != before[k]}
        if not more:
            continue
        gained += 1
        for _ in range(30):
            one = analyse(_sample(case, pack, rng), lib, pack, AS_OF, engine, budget=1,
                          outputs=OUTPUT_FACTS)
            for fid, value in more:
                got = one.fact_test(fid, value)(one.leaves[0])
                assert got != {"definite": NO, "never": YES}[after[(fid, value)]], \
                    (buyer, fid, value, after[(fid, value)])
        done = analyse(case, lib, pack, AS_OF, engine, budget=FINISHED_BUDGET,
                       outputs=OUTPUT_FACTS)
        if "budget" not in done.warnings:
            checked += 1
            final = _statuses(done)
            assert all(after[k] == final[k] for k in more), buyer
    assert gained >= 6, gained          # many of these cases gain a decided track
    assert checked >= 1, checked        # and one at least is checked against a finished one


def test_evaluate_shows_the_settled_track(stopped_cases):
    """`assess evaluate` (the default budget) shows civil as applying where it does in every
    completion, and still says that the analysis stopped early."""
    for buyer, case, joint in stopped_cases:
        if joint.fact_status("civil_applies")[0] != "conditional":
            continue
        lib, pack = load(None)
        alone = analyse(case, lib, pack, AS_OF, engine_for(pack, "plain"),
                        outputs={"civil_applies": None})
        if alone.fact_status("civil_applies")[0] != "definite":
            continue
        result = evaluate_case(case, as_of=AS_OF, engine="plain")
        assert result["tracks"]["civil"]["applies"] is True, buyer
        assert "civil" in result["possible_tracks"]
        assert result["analysis"]["stopped_early"] is True
        assert any(str(len(joint.leaves)) in w for w in result["warnings"])
        # the three-valued evaluation the questionnaire uses is not settled (it stays fast)
        brief = evaluate_case(case, as_of=AS_OF, engine="plain", completions=LEAF_BUDGET)
        assert brief["tracks"]["civil"]["applies"] == "conditional"
        return
    pytest.fail("no generated case has civil settled by its own analysis")
