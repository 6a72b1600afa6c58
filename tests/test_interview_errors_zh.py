"""Case-file errors in Chinese with --lang zh (assess evaluate, assess interview --resume):
the message, what is expected and the hint in Chinese, with file:line:col and the field kept;
--lang en gives the English text."""
import subprocess
import sys
from pathlib import Path

import pytest

from assess.case import parse_case
from assess.errors import AssessErrors

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ("format: assess-case/1\nplace: 广东省深圳市\nincidents:\n"
          "  - {date: 2025-02-30, amount: -5, refund_paid: 也许, photo_method: ai}\n"
          "colour: red\n")


def assess(*args):
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_evaluate_lang_zh_gives_chinese_errors_with_their_place(broken):
    r = assess("evaluate", broken, "--lang", "zh", "--as-of", "2026-01-15")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    err = r.stderr
    assert f"{broken}:4:12: 错误：incidents[0].date（申请仅退款的日期）：“2025-02-30”不是有效日期：" \
           "2025年2月只有28天" in err
    assert f"{broken}:4:32: 错误：" in err and "金额“-5”是负数" in err
    assert "“也许”不是“是/否”回答" in err and "提示：回答 是、否 或 不确定" in err
    assert "“ai”不是 photo_method（“损坏”照片的制作方式）的有效选项" in err
    assert "提示：您是不是要写“ai_generated”？" in err
    assert f"{broken}:5:1: 错误：未知的键“colour”" in err
    assert "字段：incidents[0].amount" in err and "应为：" in err
    assert "error:" not in err and "expected:" not in err and "hint:" not in err


def test_evaluate_lang_en_keeps_the_english_errors(broken):
    r = assess("evaluate", broken, "--lang", "en", "--as-of", "2026-01-15")
    assert r.returncode == 2
    assert f"{broken}:4:32: error: incidents[0].amount: amount '-5' is negative" in r.stderr
    assert "unknown key 'colour'" in r.stderr and "hint: did you mean 'ai_generated'?" in r.stderr
    assert "错误：" not in r.stderr


def test_interview_resume_on_a_broken_case_file_in_chinese(broken):
    r = subprocess.run([sys.executable, "-m", "assess.cli", "interview", str(broken), "--resume",
                        "--as-of", "2026-01-15"], input="", capture_output=True, text=True,
                       cwd=ROOT, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{broken}:5:1: 错误：未知的键“colour”" in r.stderr
    r = subprocess.run([sys.executable, "-m", "assess.cli", "interview", str(broken), "--resume",
                        "--as-of", "2026-01-15", "--lang", "en"], input="",
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert f"{broken}:5:1: error: unknown key 'colour'" in r.stderr


def test_every_case_file_error_has_chinese_text(tmp_path):
    # cross-field checks too: a report before the claim, an age against the birth date
    data = {"format": "assess-case/1", "buyer": {"age": 30, "birth_date": "2001-05-03"},
            "incidents": [{"date": "2025-11-18", "amount": 195, "refund_status": "paid",
                           "refund_paid": "no"}],
            "police_reported": "no", "police_report_date": "2025-11-10",
            "amount_returned": 500}
    with pytest.raises(AssessErrors) as exc:
        parse_case(data)
    errors = exc.value.errors
    assert len(errors) >= 4
    for e in errors:
        assert e.zh.get("message"), e.message
        assert e.format("zh").count("错误：") == 1
    text = exc.value.format("zh")
    assert "报案日期 2025-11-10 早于第一次申请退款（2025-11-18）" in text
    assert "年龄 30 与出生日期 2001-05-03 不符" in text


@pytest.mark.parametrize("lang, words", [("zh", "请先在“买家此前是否受过行政处罚或刑事处罚？”一题中列出这次处罚"),
                                         ("en", "first list that penalty")])
def test_a_request_dealt_with_but_no_penalty_listed_is_refused_in_plain_words(tmp_path, lang,
                                                                              words):
    """"Already dealt with" while the earlier penalties are answered "none": the case file
    refuses it; the questionnaire says what to do instead of naming incidents[0].handled and
    buyer.prior_penalties, keeps the case as it was, and still takes "not dealt with"."""
    import shutil
    from datetime import date

    from assess.interview import Session

    path = tmp_path / "case.yaml"
    shutil.copy(ROOT / "examples" / "unknown-intent-hubei.yaml", path)
    s = Session(path, as_of=date(2026, 1, 15), lang=lang)
    s.start(resume=True)
    try:
        before = path.read_text(encoding="utf-8")
        slot = next(x for x in s.open_slots() if x.qid == "incident.handled" and x.index == 0)
        for answer in ("administrative", "criminal", "yes"):
            with pytest.raises(ValueError) as err:
                s.apply(slot, answer)
            assert words in str(err.value) and "prior_penalties" not in str(err.value)
        assert path.read_text(encoding="utf-8") == before
        s.apply(slot, "no")                       # the answer the case can take
    finally:
        s.unlock()
