"""Scale (issue 12, item 17): a case at the limit of refund requests (assess/case.py
MAX_INCIDENTS).  The documents summarise a long list in the body and give it in full in an annex;
the interview resumes on it.  Timing goals are in benchmarks/bench_scale.py and the README."""
from datetime import date, timedelta
from pathlib import Path

import yaml

from assess.case import MAX_INCIDENTS

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "criminal-guangdong.yaml"
AS_OF = date(2026, 12, 1)
STATES = ("paid", "pending", "rejected", "paid")


def long_case(folder: Path, n: int = MAX_INCIDENTS, complete: bool = True) -> Path:
    """The Shenzhen example with `n` refund requests, one a day from 2025-06-01, amounts of
    50–449 yuan, refund states paid / pending / rejected / paid in turn.  complete=False leaves
    whether each request was already dealt with, and three of the case's facts, open."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    incidents = []
    for k in range(n):
        state = STATES[k % len(STATES)]
        inc = {"date": (date(2025, 6, 1) + timedelta(days=k)).isoformat(),
               "order_no": f"2025{k + 1:012d}", "goods": f"商品{k + 1}",
               "amount": 50 + (k * 37) % 400, "refund_status": state,
               "refund_paid": "yes" if state == "paid" else "no",
               "photo_method": "ai_generated", "goods_defective": "no"}
        if complete:
            inc["handled"] = "no"
        incidents.append(inc)
    data["incidents"] = incidents
    if not complete:
        for key in ("intent_to_possess", "restitution", "confession"):
            data.pop(key, None)
    path = folder / f"case-{n}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
