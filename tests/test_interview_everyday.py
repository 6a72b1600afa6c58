"""Golden interview runs for everyday answers: what a merchant types ("195块", "一百九十五块",
"P图的", "AI生成的", "昨天", "上周五", "3天前") is saved as the case-file value, relative dates are
counted back from the assessment date (--as-of) and echoed as a date, dates out of order are
questioned, and the documents phase saves the operator, the contact details and the evidence
files with their SHA-256.

The facts are those of the real case (examples/crabs-guangzhou-zengcheng.yaml): a refund-only
claim on 2025-11-18 in 广州市增城区 for 195 yuan with AI-made photos, merchant learned of the fraud
on 2025-11-27, reported to the police on 2025-11-28.
"""
import copy
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from assess.amounts import parse_amount
from assess.assessment import evaluate_case, evaluate_file
from assess.case import load_case, parse_case
from assess.dates import parse_relative
from assess.errors import AssessError
from assess.interview import AnswersIO, LineIO, conclusions, interview_stats, run_interview
from assess.yamlio import load

from test_interview import answers_for

ROOT = Path(__file__).resolve().parent.parent
CRABS = ROOT / "examples" / "crabs-guangzhou-zengcheng.yaml"
SATURDAY = date(2025, 11, 29)          # the day after the report; 上周二 = 2025-11-18


def crabs_answers(**everyday) -> dict:
    """The answers of the real case, with some of them typed the everyday way."""
    data = parse_case(copy.deepcopy(load(CRABS)), as_of=SATURDAY).data
    answers = answers_for(data)
    answers.update(everyday)
    return answers


def run(tmp_path, answers, as_of, name="case.yaml", summary=False):
    path = tmp_path / name
    out = io.StringIO()
    run_interview(path, io=AnswersIO(answers, out=out), as_of=as_of, summary=summary)
    return path, out.getvalue()


# --------------------------------------------------------------------------- the readers

@pytest.mark.parametrize("text", ["195块", "一百九十五块", "¥195", "195元", "195块钱", "一百九十五块钱",
                                  "195 块"])
def test_everyday_amounts(text):
    assert parse_amount(text) == 195


@pytest.mark.parametrize("text", ["块", "一些钱", "195个", "三千五百个"])
def test_not_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("text,want", [
    ("今天", "2025-11-29"), ("昨天", "2025-11-28"), ("前天", "2025-11-27"), ("大前天", "2025-11-26"),
    ("3天前", "2025-11-26"), ("三天前", "2025-11-26"), ("十天前", "2025-11-19"),
    ("上周五", "2025-11-21"), ("上星期五", "2025-11-21"), ("上礼拜二", "2025-11-18"),
    ("上周日", "2025-11-23"), ("上上周五", "2025-11-14"), ("这周一", "2025-11-24"),
    ("周五", "2025-11-28"), ("周六", "2025-11-29"),
    ("yesterday", "2025-11-28"), ("3 days ago", "2025-11-26"), ("last friday", "2025-11-21")])
def test_relative_dates_count_back_from_the_assessment_date(text, want):
    assert parse_relative(text, SATURDAY).isoformat() == want


def test_a_calendar_date_is_not_relative():
    assert parse_relative("2025-11-18", SATURDAY) is None
    assert parse_relative("上周八", SATURDAY) is None


def test_a_bare_weekday_is_the_last_such_day():
    # Monday 2025-12-01: 周五 is the Friday before, not the one to come
    assert parse_relative("周五", date(2025, 12, 1)).isoformat() == "2025-11-28"


# --------------------------------------------------------------------------- golden runs

def test_golden_195kuai_yesterday_pitu(tmp_path):
    """Typed the day after the claim: 昨天, 195块, P图的."""
    as_of = date(2025, 11, 19)
    answers = crabs_answers(**{"incident.date": ["昨天"], "incident.amount": ["195块"],
                               "incident.photo_method": ["P图的"],
                               "merchant_learned_date": "今天", "police_reported": "no",
                               "police_report_date": "unknown"})
    path, out = run(tmp_path, answers, as_of)
    inc = load_case(path, as_of=as_of).data["incidents"][0]
    assert inc["date"] == "2025-11-18" and inc["amount"] == 195
    assert inc["photo_method"] == "edited"
    assert "→ 2025-11-18（星期二）" in out and "→ 195元" in out and "→ 修图篡改" in out
    assert interview_stats(path)["finished"] is True


def test_golden_chinese_numerals_ai_last_friday(tmp_path):
    """Typed on Saturday 2025-11-29: 上周二 (the claim), 一百九十五块, AI生成的, 上周五 (learned of
    the fraud); the saved case gives the conclusions of the real case file."""
    answers = crabs_answers(**{"incident.date": ["上周二"], "incident.amount": ["一百九十五块"],
                               "incident.photo_method": ["AI生成的"],
                               "merchant_learned_date": "上周五", "police_report_date": "昨天"})
    path, out = run(tmp_path, answers, SATURDAY)
    saved = load_case(path, as_of=SATURDAY)
    inc = saved.data["incidents"][0]
    assert inc["date"] == "2025-11-18" and inc["amount"] == 195
    assert inc["photo_method"] == "ai_generated"
    assert "merchant_learned_date" in interview_stats(path)["asked"]
    assert saved.data["merchant_learned_date"] == "2025-11-21"
    assert "→ 2025-11-21（星期五）" in out
    if "police_report_date" in interview_stats(path)["asked"]:
        assert saved.data["police_report_date"] == "2025-11-28"
    truth = parse_case(copy.deepcopy(load(CRABS)), as_of=SATURDAY)
    truth.data["merchant_learned_date"] = "2025-11-21"
    want = evaluate_case(parse_case(truth.data, as_of=SATURDAY), as_of=SATURDAY, explain=False)
    got = evaluate_file(path, as_of=SATURDAY)
    assert got["primary_track"] == want["primary_track"]
    assert conclusions(got) == conclusions(want)


def test_golden_3_days_ago_and_staged(tmp_path):
    as_of = date(2025, 11, 21)
    answers = crabs_answers(**{"incident.date": ["3天前"], "incident.amount": ["¥195"],
                               "incident.photo_method": ["摆拍的"],
                               "merchant_learned_date": "前天", "police_reported": "no"})
    path, _ = run(tmp_path, answers, as_of)
    data = load_case(path, as_of=as_of).data
    assert data["incidents"][0]["date"] == "2025-11-18"
    assert data["incidents"][0]["photo_method"] == "staged"
    assert data["merchant_learned_date"] == "2025-11-19"


def test_an_answers_file_with_a_refused_answer_is_an_error_not_a_loop(tmp_path):
    answers = crabs_answers(**{"incident.amount": ["一些钱"]})
    with pytest.raises(AssessError) as exc:
        run(tmp_path, answers, SATURDAY)
    assert "不是可识别的金额" in exc.value.message and exc.value.field == "incident.amount"


# --------------------------------------------------------------------------- date order

class ScriptIO(LineIO):
    """Answers by question id; a list under a top-level id is typed in turn (a second answer
    after a refused one)."""

    def __init__(self, answers: dict, out):
        super().__init__([], out)
        self.answers = {k: (list(v) if isinstance(v, list) else v) for k, v in answers.items()}
        self.groups = {"incident.", "prior_penalty."}

    def ask(self, prompt, *, key="", qid="", index=None, default=None, optional=False):
        for k in (key, qid):
            if k in self.answers:
                v = self.answers[k]
                if isinstance(v, list):
                    if any(k.startswith(g) for g in self.groups) and index is not None:
                        v = v[index]
                    else:
                        v = v.pop(0) if v else ""
                text = "unknown" if v is None else "yes" if v is True else "no" if v is False \
                    else str(v)
                self.out.write(f"{prompt} {text}\n")
                return text
        if optional or key.endswith(".confirm"):
            self.out.write(f"{prompt}\n")
            return ""
        raise AssertionError(f"no scripted answer for {key or qid}")


def test_a_learned_date_before_the_claim_is_questioned(tmp_path):
    answers = crabs_answers(**{"incident.date": ["2025-11-18"],
                               "merchant_learned_date": ["2025-11-10", "2025-11-27"],
                               "merchant_learned_date.confirm": ["否"]})
    out = io.StringIO()
    path = tmp_path / "order.yaml"
    run_interview(path, io=ScriptIO(answers, out), as_of=SATURDAY, summary=False)
    text = out.getvalue()
    assert "这一天（2025-11-10）早于买家第一次申请退款（2025-11-18）" in text
    assert "确认按 2025-11-10 保存吗" in text
    assert load_case(path, as_of=SATURDAY).data["merchant_learned_date"] == "2025-11-27"


def test_a_learned_date_before_the_claim_is_kept_when_confirmed(tmp_path):
    answers = crabs_answers(**{"merchant_learned_date": ["2025-11-10"],
                               "merchant_learned_date.confirm": ["是"]})
    out = io.StringIO()
    path = tmp_path / "kept.yaml"
    run_interview(path, io=ScriptIO(answers, out), as_of=SATURDAY, summary=False)
    assert "早于买家第一次申请退款" in out.getvalue()
    assert load_case(path, as_of=SATURDAY).data["merchant_learned_date"] == "2025-11-10"


# --------------------------------------------------------------------------- the documents phase

@pytest.fixture
def no_pdf(monkeypatch):
    """The documents phase ends by writing the PDFs (tested in tests/test_documents.py)."""
    written = []
    monkeypatch.setattr("assess.documents.write_document",
                        lambda kind, path, out, **kw: written.append(kind))
    return written


def test_documents_phase_saves_operator_contact_and_evidence_with_sha256(tmp_path, no_pdf):
    (tmp_path / "evidence").mkdir()
    photo = tmp_path / "evidence" / "crab.jpg"
    photo.write_bytes(b"not really a jpeg, but bytes to hash")
    order = tmp_path / "order.png"
    order.write_bytes(b"order screenshot")
    answers = crabs_answers(**{
        "documents": "是",
        "merchant.operator": "某某水产贸易有限公司", "merchant.operator_type": "公司",
        "merchant.legal_representative": "陈某", "merchant.contact_person": "陈某",
        "merchant.contact": "138-0000-0000",
        "evidence.file": ["evidence/crab.jpg", str(order), "nope.png"],
        "evidence.kind": ["买家照片", "订单"],
        "evidence.description": ["买家上传的“死蟹”照片", ""],
    })
    out = io.StringIO()
    path = tmp_path / "docs.yaml"
    run_interview(path, io=ScriptIO(answers, out), as_of=SATURDAY, summary=False)
    iv_out = out.getvalue()
    # run_interview(summary=False) skips the documents phase: run it as the terminal does
    from assess.interview import Interview
    iv = Interview(path, as_of=SATURDAY, io=ScriptIO(answers, out))
    iv.start(resume=True)
    iv.documents()
    text = out.getvalue()
    data = load_case(path, as_of=SATURDAY).data
    m = data["merchant"]
    assert m["operator"] == "某某水产贸易有限公司" and m["operator_type"] == "company"
    assert m["legal_representative"] == "陈某" and m["contact"] == "138-0000-0000"
    ev = data["evidence"]
    assert [e["file"] for e in ev] == ["evidence/crab.jpg", "order.png"]
    assert ev[0]["kind"] == "buyer_photo" and ev[1]["kind"] == "order"
    assert ev[0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert ev[1]["sha256"] == hashlib.sha256(order.read_bytes()).hexdigest()
    assert "找不到文件" in text and ev[0]["sha256"] in text      # echoed
    assert "公司的法定代表人" in text
    assert iv_out and no_pdf == ["opinion", "report"]


def test_the_legal_representative_is_not_asked_of_a_person(tmp_path, no_pdf):
    answers = crabs_answers(**{"documents": "是", "merchant.operator": "王某",
                               "merchant.operator_type": "个人", "evidence.file": [""]})
    out = io.StringIO()
    path = tmp_path / "person.yaml"
    run_interview(path, io=ScriptIO(answers, out), as_of=SATURDAY, summary=False)
    from assess.interview import Interview
    iv = Interview(path, as_of=SATURDAY, io=ScriptIO(answers, out))
    iv.start(resume=True)
    iv.documents()
    data = load_case(path, as_of=SATURDAY).data
    assert data["merchant"]["operator_type"] == "individual"
    assert "legal_representative" not in data["merchant"]
    assert "公司的法定代表人" not in out.getvalue()
    assert "evidence" not in data


def test_the_summary_lists_the_deadlines_in_date_order_and_names_the_consequence(tmp_path):
    """The real case on 2025-11-29, before the police decided: not yet dealt with.  Once the
    conclusions are settled the tier (情节较重) and the age are asked, so the summary names the
    detention range instead of listing both tiers as conditional."""
    import re
    answers = crabs_answers(**{"incident.handled": ["no"], "prior_penalty": "no",
                               "admin_serious": "no"})
    path, out = run(tmp_path, answers, SATURDAY, summary=True)
    asked = interview_stats(path)["asked"]
    assert {"admin_serious", "buyer.age"} <= set(asked)
    assert len(asked) <= 12 + 7
    days = re.findall(r"^  (\d{4}-\d{2}-\d{2})  ", out, flags=re.M)
    assert len(days) >= 3 and days == sorted(days)
    head = out[out.index("评估结论"):out.index("期限：")]
    assert "后果：处五日以上十日以下拘留，可以并处五百元以下罚款。\n" in head
    assert "十日以上十五日以下" not in head


def test_the_offer_of_documents_asks_again_unless_the_answer_is_yes_or_no(tmp_path, no_pdf):
    """"?" or a typo at "write the documents now?" is asked again (it was taken as no, and the
    lawyer only got the commands); Enter is no; yes writes both documents."""
    import shutil

    from assess.interview import Interview

    path = tmp_path / "c.yaml"
    shutil.copy(Path(__file__).resolve().parent.parent / "examples" /
                "crabs-guangzhou-zengcheng.yaml", path)

    def offer(lines):
        out = io.StringIO()
        iv = Interview(path, as_of=date(2026, 12, 4), io=LineIO(lines, out=out))
        iv.start(resume=True)
        try:
            iv.documents()
        finally:
            iv.unlock()
        return out.getvalue()

    text = offer(["?", "shi", "否"])
    assert text.count("请回答 是 或 否（直接回车为否）") == 2 and "生成文书：" in text
    assert no_pdf == []
    text = offer([""])
    assert "请回答" not in text and "生成文书：" in text and no_pdf == []
    offer(["maybe", "是"])
    assert no_pdf == ["opinion", "report"]


def test_a_confirmation_answered_neither_yes_nor_no_is_asked_again(tmp_path):
    """"?" at "keep this date?" is no answer: the confirmation is asked again (it was taken as
    no, and the date had to be typed again)."""
    answers = crabs_answers(**{"merchant_learned_date": ["2025-11-10"],
                               "merchant_learned_date.confirm": ["?", "对不对", "是"]})
    out = io.StringIO()
    path = tmp_path / "kept.yaml"
    run_interview(path, io=ScriptIO(answers, out), as_of=SATURDAY, summary=False)
    text = out.getvalue()
    assert text.count("请回答 是 或 否") == 2 and text.count("确认按 2025-11-10 保存吗") == 3
    assert load_case(path, as_of=SATURDAY).data["merchant_learned_date"] == "2025-11-10"
