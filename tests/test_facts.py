"""How assess/facts.py adds up incidents (issue 9 items 3, 4, 8): ages incident by incident, only
incidents not yet dealt with, the two-year period applied by analogy and said so, earlier penalties
dated before the conduct judged, and the money still outstanding."""
from datetime import date

import pytest

from assess.assessment import evaluate_case, load
from assess.case import parse_case
from assess.errors import AssessErrors
from assess.facts import case_facts

AS_OF = date(2025, 12, 15)


def case(*incidents, **top):
    data = {"format": "assess-case/1", "place": "广东省广州市天河区",
            "buyer": {"age": 30, "near_relative": "no", "prior_penalties": []},
            "platform": {"refund_approval": "reviewed_with_merchant"},
            "intent_to_possess": "yes", "refund_caused_by_photos": "yes",
            "merchant_learned_date": "2025-11-25", "restitution": "none", "admin_serious": "no",
            "incidents": [dict({"refund_paid": "yes", "photo_method": "ai_generated",
                                "goods_defective": "no", "handled": "no"}, **i)
                          for i in incidents]}
    for key, value in top.items():
        if key == "buyer":
            data["buyer"].update(value)
        else:
            data[key] = value
    return data


def facts_of(data, as_of=AS_OF):
    lib, pack = load()
    return case_facts(parse_case(data, as_of=as_of), lib, pack, as_of)


def trace(data, rule, lang="zh", as_of=AS_OF):
    result = evaluate_case(parse_case(data, as_of=as_of), as_of=as_of, lang=lang,
                           explain=False)
    return next(t for t in result["trace"] if t["rule"] == rule)


# --------------------------------------------------------------------------- the analogy


def test_adding_up_says_it_is_an_analogy_in_both_languages():
    data = case({"date": "2025-06-01", "amount": 3000}, {"date": "2025-11-01", "amount": 3500})
    zh = trace(data, "criminal.aggregation")
    assert "类推" in zh["title"] and "类推" in zh["explanation"]
    assert "未找到全国性规定" in zh["explanation"]
    assert "2023-11-01至2025-11-01二年内2次" in zh["explanation"]
    assert "6,500元" in zh["explanation"]
    assert [c["id"] for c in zh["cites"]] == ["telecom-fraud-opinion/amount-standard"]
    en = trace(data, "criminal.aggregation", lang="en")
    assert "ANALOGY" in en["explanation"] and "no national provision" in en["explanation"]


def test_the_window_parameter_says_it_is_applied_by_analogy():
    lib, _ = load()
    param = lib.parameters["fraud.aggregation_window_years"]
    assert "BY ANALOGY" in param.note and "No national provision" in param.note
    assert "类推" in param.label["zh"]
    [value] = param.values
    assert value.cites == ("telecom-fraud-opinion/amount-standard",)
    assert "未经处理" in value.wording


def test_incidents_outside_the_window_are_named_by_their_dates():
    data = case({"date": "2023-05-31", "amount": 5000}, {"date": "2025-06-01", "amount": 2000})
    step = trace(data, "criminal.aggregation-window")
    assert "2021-05-31至2023-05-31" in step["explanation"]
    assert "2,000元" in step["explanation"]


def test_29_february_counts_back_to_28_february():
    f = facts_of(case({"date": "2024-02-29", "amount": 1000},
                      {"date": "2022-02-28", "amount": 1000},
                      {"date": "2022-02-27", "amount": 1000}))
    assert f.facts["fraud_amount"] == (2000.0, 2000.0)
    assert f.facts["aggregation_window_start"][0] == date(2022, 2, 28).toordinal()


# --------------------------------------------------------------------------- ages


def test_the_minors_interpretation_is_cited_with_its_unverified_status():
    data = case({"date": "2025-09-20", "amount": 3000}, {"date": "2025-11-20", "amount": 8000},
                buyer={"age": None, "birth_date": "2009-10-15"})
    step = trace(data, "criminal.age-partial", as_of=date(2026, 1, 15))
    assert "未经核实" in step["explanation"] and "3,000元" in step["explanation"]
    assert step["cites"][0]["id"] == "minors-interpretation/12"
    assert step["cites"][0]["part_text"].startswith("第十二条 行为人在达到法定刑事责任年龄前后")
    lib, _ = load()
    version = lib.provisions["minors-interpretation/12"].versions[0]
    assert version.status == "unverified" and "废止" in version.status_note["zh"]


def test_an_age_without_birth_date_applies_to_every_incident():
    f = facts_of(case({"date": "2025-06-01", "amount": 3000}, {"date": "2025-11-01", "amount": 3500},
                      buyer={"age": 15}))
    assert f.facts["buyer_age_first"] == f.facts["buyer_age"] == (15.0, 15.0)
    assert f.facts["fraud_amount"] == (0.0, 0.0)


def test_a_case_without_incidents_keeps_the_age_given():
    data = {"format": "assess-case/1", "buyer": {"age": 17}}
    f = facts_of(data)
    assert f.facts["buyer_age"] == f.facts["buyer_age_first"] == (17.0, 17.0)
    assert f.facts["fraud_amount"] == (0.0, 0.0)
    assert f.facts["unhandled_fraud_incident"] == "unknown"


def test_an_unknown_age_leaves_the_amount_open():
    f = facts_of(case({"date": "2025-11-01", "amount": 8000}, buyer={"age": "unknown"}))
    assert f.facts["fraud_amount"] == (0.0, 8000.0)


def test_an_incident_before_the_age_parameter_starts_is_a_warning_not_an_error():
    f = facts_of(case({"date": "2020-05-01", "amount": 3000}, {"date": "2025-11-01", "amount": 500}))
    assert any("age.criminal_full" in w and "2020-05-01" in w for w in f.warnings)
    # 2020 is not added to 2025 (two years), but alone it may be a crime: its age limit is unknown
    assert f.facts["fraud_amount"] == (500.0, 3000.0)


# --------------------------------------------------------------------------- dealt with, penalties


def test_handled_is_inferred_only_where_no_penalty_can_be_for_the_incident():
    later = {"prior_penalties": [{"date": "2025-07-01", "kind": "administrative"}]}
    both = [{"date": "2025-06-01", "amount": 3000, "handled": "unknown"},
            {"date": "2025-11-01", "amount": 3500, "handled": "unknown"}]
    f = facts_of(case(*both, buyer=later))
    assert f.facts["incidents_handled"] == "unknown"      # the July penalty may be for June
    assert f.facts["fraud_amount"] == (3500.0, 6500.0)
    f = facts_of(case(*both))                             # no penalty at all: nothing was handled
    assert f.facts["incidents_handled"] == "no" and f.facts["fraud_amount"] == (6500.0, 6500.0)
    unanswered = case(*both)
    del unanswered["buyer"]["prior_penalties"]
    assert facts_of(unanswered).facts["incidents_handled"] == "unknown"


def test_a_penalty_counts_for_the_incidents_after_it():
    data = case({"date": "2025-03-01", "amount": 500}, {"date": "2025-11-01", "amount": 500},
                buyer={"prior_penalties": [{"date": "2025-05-01", "kind": "administrative"}]})
    f = facts_of(data)
    assert f.facts["first_admin_violation"] == "no"
    assert f.facts["months_since_prior_admin_penalty"] == (6.0, 6.0)


def test_an_undated_penalty_may_be_recent():
    data = case({"date": "2025-11-01", "amount": 500},
                buyer={"prior_penalties": [{"date": None, "kind": "administrative"}]})
    f = facts_of(data)
    assert f.facts["first_admin_violation"] == "unknown"   # it may be after the incident
    assert f.facts["months_since_prior_admin_penalty"][0] == 0.0


def test_a_handled_incident_without_its_penalty_is_refused():
    data = case({"date": "2025-06-01", "amount": 3000, "handled": "administrative"},
                {"date": "2025-11-01", "amount": 3500})
    with pytest.raises(AssessErrors) as info:
        parse_case(data, as_of=AS_OF)
    [e] = info.value.errors
    assert e.field == "incidents[0].handled" and "prior_penalties" in e.message
    assert "dated on or after" in e.expected
    data["buyer"]["prior_penalties"] = [{"date": "2025-05-01", "kind": "administrative"}]
    with pytest.raises(AssessErrors):                      # dated before the incident
        parse_case(data, as_of=AS_OF)
    data["buyer"]["prior_penalties"] = [{"date": "2025-06-20", "kind": "administrative"}]
    assert parse_case(data, as_of=AS_OF).incidents[0].handled == "administrative"
    del data["buyer"]["prior_penalties"]                    # not answered: may be missing
    assert parse_case(data, as_of=AS_OF).incidents[0].handled == "administrative"


@pytest.mark.parametrize("raw, value", [(False, "no"), ("no", "no"), ("否", "no"),
                                        ("未经处理", "no"), (True, "yes"), ("行政处罚", None),
                                        ("已受行政处罚", "administrative"), ("criminal", "criminal"),
                                        ("不确定", "unknown")])
def test_handled_forms(raw, value):
    data = case({"date": "2025-11-01", "amount": 500, "handled": raw})
    data["buyer"]["prior_penalties"] = [{"date": "2025-11-10", "kind": "unknown"}]
    if value is None:
        with pytest.raises(AssessErrors) as info:
            parse_case(data, as_of=AS_OF)
        assert "not a valid choice for handled" in info.value.errors[0].message
        return
    if raw == "否":
        with pytest.raises(AssessErrors):                   # only the labels of the list
            parse_case(data, as_of=AS_OF)
        return
    assert parse_case(data, as_of=AS_OF).incidents[0].handled == value


# --------------------------------------------------------------------------- money


def test_amount_returned_cannot_exceed_what_was_paid():
    data = case({"date": "2025-10-01", "amount": 3000},
                {"date": "2025-11-01", "amount": 2000, "refund_paid": "no"},
                amount_returned=3500)
    with pytest.raises(AssessErrors) as info:
        parse_case(data, as_of=AS_OF)
    [e] = info.value.errors
    assert e.field == "amount_returned" and "3000" in e.message
    data["amount_returned"] = "3,000元"
    f = facts_of(data)
    assert f.facts["amount_outstanding"] == (0.0, 0.0)
    assert f.facts["admin_money_outstanding"] == "no"


def test_the_civil_claim_names_what_is_still_outstanding():
    data = case({"date": "2025-10-01", "amount": 3000},
                {"date": "2025-11-01", "amount": 2000, "refund_paid": "no"},
                amount_returned=1000, restitution="partial")
    step = trace(data, "civil.revocation")
    assert "2,000元" in step["explanation"] and "已支付 3,000元" in step["explanation"]
    assert "2,000元" in trace(data, "civil.unjust-enrichment")["explanation"]


def test_nothing_paid_nothing_outstanding_whatever_restitution_says():
    for restitution in ("none", "partial", "unknown", "full"):
        f = facts_of(case({"date": "2025-11-01", "amount": 800, "refund_paid": "no"},
                          restitution=restitution))
        assert f.facts["amount_outstanding"] == (0.0, 0.0), restitution
        assert f.facts["criminal_money_outstanding"] == "no"
        assert f.facts["admin_money_outstanding"] == "no"
