"""Properties of the rule pack over generated cases (hypothesis)."""
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.assessment import evaluate_case
from assess.case import parse_case

from casegen import PLACES

SEVERITY = {"none": 0, "civil": 1, "administrative": 2, "criminal": 3}
BAND = {None: 0, "large": 1, "huge": 2, "especially_huge": 3}
TRI = st.sampled_from(["yes", "no", "unknown"])

cases = st.fixed_dictionaries({
    "place": st.sampled_from(PLACES),
    "age": st.sampled_from([13, 15, 17, 30, 76, "unknown"]),
    "near_relative": TRI, "forgiveness": TRI, "intent": TRI, "caused": TRI,
    "paid": TRI, "method": st.sampled_from(["ai_generated", "edited", "genuine", "unknown"]),
    "defective": TRI, "art2": TRI, "local": TRI, "serious": TRI,
    "day": st.integers(0, 500),
    "approval": st.sampled_from(["automatic", "reviewed_with_merchant", "unknown"]),
})


def build(c, amount):
    day = date.fromordinal(date(2025, 6, 1).toordinal() + c["day"])
    return {
        "format": "assess-case/1", "place": c["place"],
        "buyer": {"age": c["age"], "near_relative": c["near_relative"], "prior_penalties": []},
        "platform": {"refund_approval": c["approval"]},
        "incidents": [{"date": day.isoformat(), "amount": amount, "refund_paid": c["paid"],
                       "photo_method": c["method"], "goods_defective": c["defective"]}],
        "intent_to_possess": c["intent"], "refund_caused_by_photos": c["caused"],
        "forgiveness": c["forgiveness"], "interpretation_art2_circumstance": c["art2"],
        "local_listed_circumstance": c["local"], "admin_serious": c["serious"],
        "merchant_learned_date": day.isoformat(),
    }


def assess(data, as_of=date(2027, 6, 1)):
    return evaluate_case(parse_case(data, as_of=as_of), as_of=as_of, explain=False)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=cases, a=st.integers(0, 700000), b=st.integers(0, 700000))
def test_a_larger_amount_never_gives_a_lighter_track_or_band(c, a, b):
    low, high = sorted((a, b))
    r1, r2 = assess(build(c, low)), assess(build(c, high))
    worst = lambda r: max(SEVERITY[t] for t in r["possible_tracks"] or ["none"])  # noqa: E731
    assert worst(r2) >= worst(r1)
    # The primary track is the most severe track that surely applies.  A larger amount can make
    # the criminal track depend on an unknown fact (e.g. a near relative's forgiveness); then
    # "criminal or administrative" is certain, but three-valued evaluation cannot prove a
    # disjunction, so the sure floor may drop to civil while both stay possible.  So: a definite
    # primary track never gets lighter, and a conditional one keeps the old track possible.
    if r2["primary_track_status"] == "definite":
        assert SEVERITY[r2["primary_track"]] >= SEVERITY[r1["primary_track"]]
    else:
        assert r1["primary_track"] == "none" or r1["primary_track"] in r2["possible_tracks"] \
            or worst(r2) > SEVERITY[r1["primary_track"]]
    assert BAND[r2["tracks"]["criminal"]["band"]] >= BAND[r1["tracks"]["criminal"]["band"]]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=cases, amount=st.integers(0, 700000))
def test_established_fraud_always_carries_the_civil_track(c, amount):
    r = assess(build(c, amount))
    if r["facts"]["fraud_established"] == "yes":
        assert r["tracks"]["civil"]["applies"] is True
    if r["facts"]["fraud_established"] == "unknown":
        assert r["tracks"]["civil"]["applies"] in (True, "conditional")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=cases, amount=st.integers(0, 700000), later=st.integers(0, 900))
def test_every_conclusion_cites_a_provision_in_force_when_the_rule_applies(c, amount, later):
    data = build(c, amount)
    as_of = date.fromordinal(date.fromisoformat(data["incidents"][0]["date"]).toordinal() + later)
    r = assess(data, as_of)
    for step in r["trace"]:
        assert step["cites"], step["rule"]
        assert any(cite["in_force"] for cite in step["cites"]), (step["rule"], step["date"])
