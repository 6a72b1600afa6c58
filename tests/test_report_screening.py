"""The documents of a case file the screening wrote (assess screen): real exports rarely say how
the photos were made, so every request's photo_method is unknown.  The police report, the
opinion and the appeal must then not call the photos fake, and an amount known only to be
between 0 and N is worded as "at most N", never "0–N".  Photos the case says were faked are
still called fake."""
from __future__ import annotations

import html as h
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from assess import documents

AS_OF = date(2026, 12, 1)

# the case file the screening writes for buyer 孙**8: two paid requests (4,200 and 3,100 元),
# the goods not defective, nothing said of how the photos were made
SCREENED = Path(__file__).resolve().parent.parent / "examples/screening/out/cases/孙_8-cb978b55.yaml"


def case_file(tmp_path: Path, *methods: str, **facts) -> Path:
    """The screened case with the requests' photo methods set (none given: unknown)."""
    data = yaml.safe_load(SCREENED.read_text(encoding="utf-8"))
    assert all("photo_method" not in inc for inc in data["incidents"])
    for inc, method in zip(data["incidents"], methods):
        inc["photo_method"] = method
    data.update(facts)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def text(kind: str, case: Path, lang: str = "zh") -> str:
    doc = documents.render(kind, case, as_of=AS_OF, lang=lang, fmt="html").content
    doc = re.sub(r"<(style|title)\b.*?</\1>", "", doc, flags=re.S)
    return re.sub(r"\s+", " ", h.unescape(re.sub(r"<[^>]+>", " ", doc)))


def section(doc: str, start: str, end: str) -> str:
    return doc[doc.index(start):doc.index(end)]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_report_does_not_call_photos_of_unknown_making_fake(tmp_path):
    case = case_file(tmp_path)
    zh = text("report", case)
    matter = squash(section(zh, "三、报案事项", "四、事实与经过"))
    assert "虚假" not in matter and "伪造的" not in matter
    assert "以“损坏”照片（照片是否伪造尚待查明）申请“仅退款”" in matter
    en = text("report", case, "en")
    matter = section(en, "3. Matter reported", "4. What happened")
    assert "fake " not in matter and "fake (" not in matter
    assert "whether they were faked is still to be established" in matter


def test_report_amounts_are_never_0_to_n(tmp_path):
    case = case_file(tmp_path)
    zh = squash(text("report", case))
    assert not re.search(r"(?<![\d,])0–", zh)
    assert "涉及金额至多7,300元（具体数额视查明的事实而定）" in zh          # 三、报案事项
    assert "本案涉及金额至多7,300元，具体数额视查明的事实而定。" in zh      # 六、法律依据
    assert "依法追缴被报案人的违法所得（已支付而尚未返还的退款，至多7,300元）" in zh   # 七
    en = text("report", case, "en")
    assert "CNY 0–" not in en and "CNY 0 " not in en
    assert "involving up to CNY 7,300" in en
    assert "Amount involved: up to CNY 7,300" in en
    assert "(the refunds paid and not yet returned, up to CNY 7,300)" in en


def test_report_still_calls_faked_photos_fake(tmp_path):
    case = case_file(tmp_path, "ai_generated", "ai_generated")
    matter = squash(section(text("report", case), "三、报案事项", "四、事实与经过"))
    assert "以AI生成的虚假“损坏”照片申请“仅退款”，涉及金额至多7,300元（具体数额视查明的事实而定），" \
           "涉嫌诈骗" in matter                 # not "…（其中已实际取得 7,300 元）"
    en = section(text("report", case, "en"), "3. Matter reported", "4. What happened")
    assert "with fake (AI-generated) “damage” photos, involving up to CNY 7,300" in en


def test_report_of_mixed_photos_says_which_are_known_to_be_fake(tmp_path):
    case = case_file(tmp_path, "edited", "unknown")
    matter = squash(section(text("report", case), "三、报案事项", "四、事实与经过"))
    assert "以“损坏”照片（其中部分照片经核查系修图篡改的虚假照片，其他照片是否伪造尚待查明）" \
           "申请“仅退款”" in matter
    assert "以修图篡改的虚假“损坏”照片" not in matter
    en = section(text("report", case, "en"), "3. Matter reported", "4. What happened")
    assert "(some of them found on checking to be fake: edited; whether the others were faked " \
           "is still to be established)" in en


def test_report_of_photos_the_merchant_believes_faked_says_it_is_the_merchants_view(tmp_path):
    case = case_file(tmp_path, merchant_learned_date="2026-09-01")
    matter = squash(section(text("report", case), "三、报案事项", "四、事实与经过"))
    assert "以“损坏”照片（报案人认为系伪造，照片的制作方式尚待查明）申请“仅退款”" in matter


def test_opinion_and_appeal_do_not_call_photos_of_unknown_making_fake(tmp_path):
    case = case_file(tmp_path)
    op = squash(text("opinion", case))
    assert "就买家以“损坏”照片（是否伪造尚待查明）申请“仅退款”一事出具本法律意见书" in op
    assert "就买家以伪造的“损坏”照片" not in op
    assert "0周岁至7,300周岁" not in op                          # an amount, not an age
    assert "不计入诈骗数额的数额：至多7,300元" in op
    assert "0元至7,300元" not in op
    ap = squash(text("appeal", case))
    assert "对买家以伪造照片申请退款的行为进行处理" not in ap
    assert "买家以伪造的照片申请“仅退款”" not in ap
    assert "核查买家所附“损坏”照片的真实性；经查系伪造的，依照平台规则对买家进行处理；" in ap
    assert "买家所附照片如系伪造，以其申请“仅退款”违背诚实信用原则" in ap
    en = text("appeal", case, "en")
    assert "refund claims made with faked photos" not in en
    assert "If the photos were faked, claiming a refund with them" in en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opinion_and_appeal_still_say_faked_photos_are_faked(tmp_path, lang):
    case = case_file(tmp_path, "staged", "unknown")
    op, ap = text("opinion", case, lang), text("appeal", case, lang)
    if lang == "zh":
        assert "就买家以伪造的“损坏”照片申请“仅退款”一事" in squash(op)
        assert "依照平台规则，对买家以伪造照片申请退款的行为进行处理；" in squash(ap)
    else:
        assert "refund-only claim supported by faked “damage” photos" in op
        assert "refund claims made with faked photos" in ap


def test_amount_view_words_what_is_known():
    assert documents.amount_view(None) is None
    assert documents.amount_view(7300)["kind"] == "exact"
    assert documents.amount_view({"min": 7300, "max": 7300}) == {
        "kind": "exact", "n": 7300, "lo": None, "hi": None}
    assert documents.amount_view({"min": 0, "max": 7300})["kind"] == "up_to"
    assert documents.amount_view({"min": None, "max": 7300})["kind"] == "up_to"
    assert documents.amount_view({"min": 3100, "max": 7300})["kind"] == "range"
    assert documents.amount_view({"min": 3100, "max": None})["kind"] == "at_least"
    assert documents.amount_view({"min": 0, "max": None}) is None


def test_a_condition_with_the_facts_left_unsplit_is_summarised(tmp_path):
    # the analysis of the screened case stops at its budget; written out, its condition named
    # "…为修图篡改或摆拍伪造或真实照片且其余未能细分的未知事实": genuine photos as a condition of fraud
    case = case_file(tmp_path)
    zh = squash(section(text("report", case), "六、法律依据", "此致"))
    assert "真实照片" not in zh and "其余未能细分" not in zh
    assert "其他尚待查明的事实的情况符合相应条件" in zh
    en = section(text("report", case, "en"), "6. Legal basis", "7. Requests")
    assert "genuine" not in en and "could not be split" not in en
    assert "the other facts still to be established are as required" in en
    assert "; The " not in en and "; Buyer" not in en       # labels read inside the sentence


def test_the_assessment_says_up_to_n_not_0_to_n(tmp_path):
    # assess evaluate's text and the rules' explanations (fmt_value) word the amount alike
    from assess.assessment import evaluate_file, fmt_value
    from assess.explain import render_lines

    assert fmt_value("amount", (0.0, 7300.0)) == "至多7,300元"
    assert fmt_value("amount", (0.0, 7300.0), "en") == "up to CNY 7,300"
    assert fmt_value("amount", (4200.0, 7300.0)) == "4,200–7,300元"
    assert fmt_value("amount", (0.0, 0.0)) == "0元"
    for lang, word in (("zh", "至多7,300元"), ("en", "up to CNY 7,300")):
        lines = "\n".join(render_lines(evaluate_file(SCREENED, as_of=AS_OF, lang=lang)))
        assert word in lines and "0–7,300" not in lines, lang


def test_of_which_obtained_only_when_surely_part_of_the_amount(tmp_path):
    # request 1 faked (4,200 paid), request 2 unknown, the age unknown: the amount for the crime
    # is at most 7,300 and the fraud refunds paid 4,200–7,300; "其中已实际取得 4,200–7,300 元"
    # would say more was obtained than the amount may be
    case = case_file(tmp_path, "ai_generated")
    matter = squash(section(text("report", case), "三、报案事项", "四、事实与经过"))
    assert "至多7,300元" in matter and "其中已实际取得" not in matter, matter
    # a request refused (not paid) with faked photos: part of the amount was obtained
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["buyer"]["birth_date"] = "1990-01-01"
    for inc in data["incidents"]:
        inc["photo_method"] = "ai_generated"
    data["incidents"][1]["refund_paid"] = "no"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    matter = squash(section(text("report", case), "三、报案事项", "四、事实与经过"))
    assert "涉及金额7,300元（其中已实际取得4,200元）" in matter, matter
