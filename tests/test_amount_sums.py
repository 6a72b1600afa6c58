"""Amounts add up exactly (assess/facts.py `_sum`, `_window`, `_returned`).

Requests of 1,998.61 + 899.79 + 101.60 yuan make 3,000 yuan.  Added up as floats they made
2,999.9999999999995, and a buyer whose requests reached a local 数额较大 standard exactly was
judged below it: in 重庆 (5,000 yuan) 2,221.94 + 2,757.45 + 20.61 gave "行政（确定）, 刑事不适用"
instead of 诈骗罪 (数额较大).  The facts now add up whole cents.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from assess.assessment import evaluate_case, load
from assess.case import parse_case
from assess.facts import case_facts

AS_OF = date(2026, 1, 15)


def _case(amounts, place="重庆市渝中区", **extra) -> dict:
    start = date(2025, 11, 3)
    incidents = [{"date": (start + timedelta(days=7 * k)).isoformat(), "order_no": f"O{k}",
                  "amount": a, "refund_paid": "yes", "photo_method": "ai_generated",
                  "goods_defective": "no", "handled": "no"} for k, a in enumerate(amounts)]
    return {"format": "assess-case/1", "place": place, "buyer": {"age": 30},
            "incidents": incidents, "intent_to_possess": "yes",
            "refund_caused_by_photos": "yes", **extra}


def _facts(data: dict) -> dict:
    lib, pack = load()
    return case_facts(parse_case(data, as_of=AS_OF), lib, pack, AS_OF).facts


def test_amounts_at_a_threshold_reach_it():
    # each of these adds up to 5,000.00 yuan; as floats, in this order, to 4,999.999999999999
    amounts = ["2221.94", "2757.45", "20.61"]
    assert sum(float(a) for a in amounts) < 5000
    facts = _facts(_case(amounts))
    assert facts["fraud_amount"] == (5000.0, 5000.0)
    assert facts["fraud_amount_paid"] == (5000.0, 5000.0)
    assert facts["criminal_amount_obtained"] == (5000.0, 5000.0)
    result = evaluate_case(parse_case(_case(amounts), as_of=AS_OF), as_of=AS_OF)
    crime = result["tracks"]["criminal"]
    # (the old sums: "never"; here the other facts left open keep it conditional)
    assert crime["applies"] is not False, crime
    assert crime["band"] == "large" and crime["band_status"] == "definite", crime


def test_sums_are_the_exact_decimal_sums():
    rng = random.Random(20261204)
    for _ in range(60):
        n = rng.randint(2, 7)
        amounts = [f"{rng.randint(1, 500_000) / 100:.2f}" for _ in range(n)]
        exact = float(sum(Decimal(a) for a in amounts))
        facts = _facts(_case(amounts))
        assert facts["fraud_amount"] == (exact, exact), amounts
        assert facts["fraud_amount_paid"] == (exact, exact), amounts


def test_amount_returned_is_taken_off_exactly():
    # 2,495.24 paid, 1,553.58 returned: 941.66 outstanding (941.6599999999999 as floats)
    assert 2495.24 - 1553.58 != 941.66
    facts = _facts(_case(["2495.24"], amount_returned="1553.58"))
    assert facts["amount_outstanding"] == (941.66, 941.66)


def test_add_gives_the_float_nearest_the_exact_sum():
    from assess.amounts import add

    assert add([1998.61, 899.79, 101.60]) == 3000
    assert add([]) == 0
    rng = random.Random(5)
    for _ in range(2000):
        parts = [rng.randint(0, 10 ** 9) for _ in range(rng.randint(1, 9))]
        assert add([p / 100 for p in parts]) == float(Decimal(sum(parts)) / 100)
