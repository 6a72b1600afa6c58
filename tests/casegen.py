"""Random cases for the differential, property and benchmark runs (seeded, reproducible)."""
from __future__ import annotations

import random
from datetime import date, timedelta

PLACES = ["广东省深圳市南山区", "广东省汕头市金平区", "江苏省南京市鼓楼区", "湖北省武汉市洪山区",
          "重庆市渝中区", "云南省昆明市五华区", "上海市浦东新区", "天津市和平区", "北京市朝阳区",
          "浙江省杭州市西湖区"]
TRI = ["yes", "no", "unknown"]
METHODS = ["ai_generated", "edited", "staged", "genuine", "unknown"]
AMOUNTS = [0, 800, 2999, 3000, 3999, 4000, 4999, 5000, 5999, 6000, 6001, 9999, 10000, 29999,
           30000, 59999, 60000, 69999, 70000, 99999, 100000, 300000, 499999, 500000, 800000]


def random_case(rng: random.Random, *, amount=None, place=None, unknown_rate=0.15) -> dict:
    def tri(p_unknown=unknown_rate):
        return "unknown" if rng.random() < p_unknown else rng.choice(["yes", "no"])

    n = rng.choice([1, 1, 1, 2, 3])
    start = date(2025, 6, 1) + timedelta(days=rng.randrange(0, 400))
    incidents = []
    for i in range(n):
        amt = amount / n if amount is not None else rng.choice(AMOUNTS) / n
        incidents.append({
            "date": (start + timedelta(days=7 * i)).isoformat(),
            "amount": round(amt, 2) if rng.random() > unknown_rate / 3 else "unknown",
            "refund_paid": tri(),
            "photo_method": rng.choice(METHODS) if rng.random() < 0.5 + unknown_rate else "ai_generated",
            "goods_defective": tri() if rng.random() < 0.3 else "no",
        })
    return {
        "format": "assess-case/1",
        "place": place or rng.choice(PLACES),
        "buyer": {"age": rng.choice([12, 13, 14, 15, 16, 17, 18, 30, 45, 70, 75, 80])
                  if rng.random() > unknown_rate else "unknown",
                  "near_relative": tri() if rng.random() < 0.2 else "no",
                  "prior_penalties": [] if rng.random() < 0.8 else
                  [{"date": (start - timedelta(days=rng.choice([30, 200, 400]))).isoformat(),
                    "kind": "administrative"}]},
        "platform": {"refund_approval": rng.choice(["automatic", "reviewed_without_merchant",
                                                    "reviewed_with_merchant", "unknown"])},
        "incidents": incidents,
        "intent_to_possess": tri(),
        "refund_caused_by_photos": tri(),
        "merchant_learned_date": (start + timedelta(days=7 * n + 3)).isoformat(),
        "restitution": rng.choice(["full", "partial", "none", "unknown"]),
        "forgiveness": tri(), "surrender": tri(), "confession": tri(),
        "interpretation_art2_circumstance": tri(), "local_listed_circumstance": tri(),
        "admin_serious": tri(),
    }


def random_as_of(rng: random.Random, case: dict) -> date:
    last = max([date.fromisoformat(i["date"]) for i in case["incidents"]]
               + [date.fromisoformat(case["merchant_learned_date"])])
    return max(last, date(2025, 12, 1)) + timedelta(days=rng.randrange(0, 500))
