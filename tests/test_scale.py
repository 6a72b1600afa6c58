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


def long_case(folder: Path, n: int = MAX_INCIDENTS, *, facts_open: bool = False,
              handled_open: bool = False) -> Path:
    """The Shenzhen example with `n` refund requests, one a day from 2025-06-01, amounts of
    50–449 yuan, refund states paid / pending / rejected / paid in turn.  facts_open leaves three
    of the case's facts open (intent, restitution, confession), handled_open whether each request
    was already dealt with."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    incidents = []
    for k in range(n):
        state = STATES[k % len(STATES)]
        inc = {"date": (date(2025, 6, 1) + timedelta(days=k)).isoformat(),
               "order_no": f"2025{k + 1:012d}", "goods": f"商品{k + 1}",
               "amount": 50 + (k * 37) % 400, "refund_status": state,
               "refund_paid": "yes" if state == "paid" else "no",
               "photo_method": "ai_generated", "goods_defective": "no"}
        if not handled_open:
            inc["handled"] = "no"
        incidents.append(inc)
    data["incidents"] = incidents
    if facts_open:
        for key in ("intent_to_possess", "restitution", "confession"):
            data.pop(key, None)
    path = folder / f"case-{n}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _text(html: str) -> str:
    import re
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _render(kind: str, path: Path) -> str:
    from assess.documents import render_html
    return _text(render_html(kind, path, as_of=AS_OF).content)


def test_a_long_list_is_summarised_with_an_annex(tmp_path):
    from assess.documents import INCIDENTS_IN_BODY, INCIDENTS_TOP

    path = long_case(tmp_path)
    incidents = yaml.safe_load(path.read_text(encoding="utf-8"))["incidents"]
    total = sum(i["amount"] for i in incidents)
    paid = sum(i["amount"] for i in incidents if i["refund_status"] == "paid")
    largest = sorted(incidents, key=lambda i: -i["amount"])[:INCIDENTS_TOP]
    annex = "附件：退款申请明细"
    assert MAX_INCIDENTS > INCIDENTS_IN_BODY
    for kind in ("opinion", "report", "appeal"):
        text = _render(kind, path)
        body, _, listed = text.rpartition(annex)
        assert listed, kind                                    # the annex is the last part
        assert f"买家共提出仅退款申请 {MAX_INCIDENTS} 次，申请日期自2025年6月1日至2025年12月17日，" \
               f"申请金额合计 {total:,} 元" in body, kind
        assert f"已退款 {MAX_INCIDENTS // 2} {paid:,} 元" in body, kind   # sums by refund state
        assert f"共 {MAX_INCIDENTS} 次，按申请日期排列" in listed
        # every request in the annex, only the largest in the body
        for i in incidents:
            assert i["order_no"] in listed
            assert (i["order_no"] in body) == (i in largest), (kind, i["order_no"])
    appeal = _render("appeal", path)
    assert f"退款状态为“已退款”的 {MAX_INCIDENTS // 2} 笔" in appeal
    assert f"第 1至{MAX_INCIDENTS} 次申请的照片系AI生成" in appeal


def test_a_short_list_stays_in_the_body(tmp_path):
    from assess.documents import INCIDENTS_IN_BODY

    path = long_case(tmp_path, INCIDENTS_IN_BODY)
    for kind in ("opinion", "report", "appeal"):
        text = _render(kind, path)
        assert "退款申请明细" not in text and "买家共提出仅退款申请" not in text, kind
        assert "2025000000000001" in text and f"2025{INCIDENTS_IN_BODY:012d}" in text, kind


def test_the_interview_resumes_on_a_case_at_the_limit(tmp_path):
    # at the limit a placeholder for "another one?" made 201 requests: every evaluation failed
    from assess.interview import Session, run_interview
    from assess.assessment import evaluate_file

    path = long_case(tmp_path, MAX_INCIDENTS, facts_open=True, handled_open=True)
    s = Session(path, as_of=AS_OF)
    s.start(resume=True)
    try:
        relevant = s.relevant()
        assert s.result is not None
        assert [x.qid for x in relevant] == ["intent_to_possess"]
        assert not [x for x in s.open_slots() if x.kind == "more"]    # no 201st request
    finally:
        s.unlock()
    run_interview(path, resume=True, answers={"intent_to_possess": "yes"}, as_of=AS_OF,
                  summary=False)
    result = evaluate_file(path, as_of=AS_OF)
    assert len(yaml.safe_load(path.read_text(encoding="utf-8"))["incidents"]) == MAX_INCIDENTS
    assert result["primary_track"] == "criminal"
