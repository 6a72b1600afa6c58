"""The ages of 刑法第十七条 count from the day after the birthday (法释〔2006〕1号 第二条, encoded
as statutes/parameters.yaml age.criminal_counted_after_days): a refund claimed on the buyer's
16th birthday is conduct of a buyer not yet 已满十六周岁, and does not count for the crime; the
next day's does.  The PSAPL's ages (age.admin_min) are counted as before: no source held here
says how its 周岁 are counted.  assess evaluate and the screening agree."""
from __future__ import annotations

import csv
from datetime import date

from assess.assessment import evaluate_case, load
from assess.case import parse_case
from assess.facts import case_facts
from assess.screen import screen_history

AS_OF = date(2024, 6, 1)
BORN = "2008-05-10"


def _case(day: str, **buyer) -> dict:
    return {"format": "assess-case/1", "place": "重庆市渝中区",
            "buyer": {"birth_date": BORN, **buyer},
            "incidents": [{"date": day, "order_no": "1", "amount": 6000, "refund_paid": "yes",
                           "photo_method": "ai_generated", "goods_defective": "no",
                           "handled": "no"}],
            "intent_to_possess": "yes", "refund_caused_by_photos": "yes"}


def test_the_parameter_cites_the_interpretation():
    lib, _ = load()
    values = lib.parameters["age.criminal_counted_after_days"].values
    assert [(v.value, list(v.cites)) for v in values] == [(1, ["minors-interpretation/2"])]
    assert "从周岁生日的第二天起算" in lib.provisions["minors-interpretation/2"].versions[0].text


def test_conduct_on_the_16th_birthday_does_not_count_for_the_crime():
    lib, pack = load()
    on = case_facts(parse_case(_case("2024-05-10"), as_of=AS_OF), lib, pack, AS_OF).facts
    after = case_facts(parse_case(_case("2024-05-11"), as_of=AS_OF), lib, pack, AS_OF).facts
    assert on["buyer_age"] == (16.0, 16.0)               # the PSAPL's age: 16 that day
    assert on["buyer_criminal_age"] == (15.0, 15.0)      # the criminal law's: not yet
    assert on["fraud_amount"] == (0.0, 0.0)
    assert on["fraud_amount_before_criminal_age"] == (6000.0, 6000.0)
    assert after["buyer_criminal_age"] == (16.0, 16.0)
    assert after["fraud_amount"] == (6000.0, 6000.0)
    crime_on = evaluate_case(parse_case(_case("2024-05-10"), as_of=AS_OF), as_of=AS_OF)
    assert crime_on["tracks"]["criminal"]["applies"] is False
    age_rule = [r for r in crime_on["trace"] if r["rule"] == "criminal.age"]
    assert age_rule and age_rule[0]["status"] == "definite", age_rule
    assert "15周岁" in age_rule[0]["explanation"] and "第二天" in age_rule[0]["explanation"]
    crime_after = evaluate_case(parse_case(_case("2024-05-11"), as_of=AS_OF), as_of=AS_OF)
    assert crime_after["tracks"]["criminal"]["applies"] is not False
    assert crime_after["tracks"]["criminal"]["band"] == "large"


def test_the_screening_counts_the_ages_alike(tmp_path):
    header = ["buyer_id", "order_no", "claim_date", "amount", "refund_paid", "place",
              "photo_method", "goods_defective", "handled", "buyer_birth_date"]
    rows = [["on", "1", "2024-05-10", "6000", "yes", "重庆市渝中区", "ai_generated", "no", "no",
             BORN],
            ["after", "2", "2024-05-11", "6000", "yes", "重庆市渝中区", "ai_generated", "no",
             "no", BORN]]
    path = tmp_path / "h.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header] + rows)
    screen_history(path, tmp_path / "out", as_of=AS_OF, cases=False)
    out = {r["buyer_id"]: r for r in csv.DictReader(
        (tmp_path / "out" / "buyers.csv").read_text(encoding="utf-8").splitlines())}
    assert out["on"]["criminal"] == "never" and out["on"]["amount_max"] == "0.0", out["on"]
    assert out["on"]["administrative"] != "never"
    assert out["after"]["criminal"] != "never" and out["after"]["amount_min"] == "6000.0"


def _document_text(tmp_path, kind: str, data: dict, lang: str) -> str:
    """A document of the case as HTML, its text without tags and white space."""
    import html as h
    import re

    import yaml

    from assess import documents

    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = documents.render(kind, path, as_of=AS_OF, lang=lang, fmt="html").content
    return re.sub(r"\s+", "", h.unescape(re.sub(r"<[^>]+>", " ", doc)))


def test_the_documents_say_the_conduct_fell_on_a_birthday(tmp_path):
    def text(kind, data, lang):
        return _document_text(tmp_path, kind, data, lang)

    for kind in ("opinion", "report"):
        on = text(kind, _case("2024-05-10"), "zh")
        assert "16周岁（行为当日为其16周岁生日" in on and "按刑法计算当日为15周岁" in on, kind
        assert "thebirthdaythebuyerturned16" in text(kind, _case("2024-05-10"), "en")
        assert "周岁生日" not in text(kind, _case("2024-05-11"), "zh")


def test_the_documents_say_a_bare_age_may_be_a_year_less(tmp_path):
    """16 without a date of birth: the parties' table says the conduct may have fallen on the
    birthday and what follows; 30 without one: nothing (no conclusion depends on it)."""
    def text(kind, data, lang):
        return _document_text(tmp_path, kind, data, lang)

    for kind in ("opinion", "report"):
        zh = text(kind, _bare(16), "zh")
        assert "16周岁（未提供出生日期；行为如恰在其16周岁生日当天" in zh, kind
        assert "按刑法第十七条计算为15周岁" in zh, kind
        assert "nodateofbirthgiven" in text(kind, _bare(16), "en"), kind
        assert "未提供出生日期" not in text(kind, _bare(30), "zh"), kind


def _bare(age: int) -> dict:
    data = _case("2024-05-10")
    data["buyer"] = {"age": age}
    return data


def test_a_bare_age_is_that_age_or_one_less_under_the_criminal_law():
    """An age without the date of birth does not tell whether the conduct fell on the
    birthday: at 16 the buyer may be 15 under the criminal law, so the crime is only possible;
    at 17 the buyer is at least 16 either way."""
    lib, pack = load()
    facts = case_facts(parse_case(_bare(16), as_of=AS_OF), lib, pack, AS_OF).facts
    assert facts["buyer_age"] == (16.0, 16.0)
    assert facts["buyer_criminal_age"] == (15.0, 16.0)
    assert facts["fraud_amount"] == (0.0, 6000.0)
    older = case_facts(parse_case(_bare(17), as_of=AS_OF), lib, pack, AS_OF).facts
    assert older["buyer_criminal_age"] == (16.0, 17.0)
    assert older["fraud_amount"] == (6000.0, 6000.0)
    at16 = evaluate_case(parse_case(_bare(16), as_of=AS_OF), as_of=AS_OF)
    at17 = evaluate_case(parse_case(_bare(17), as_of=AS_OF), as_of=AS_OF)
    assert at16["tracks"]["criminal"]["applies"] == "conditional"
    assert [r["status"] for r in at16["trace"] if r["rule"] == "criminal.age"] == ["conditional"]
    assert not [r for r in at17["trace"] if r["rule"] == "criminal.age"]
    assert at17["tracks"]["criminal"]["band"] == "large"


def _interview(tmp_path, age: int, birth_date: str):
    import io

    from test_interview import answers_for

    from assess.assessment import evaluate_file
    from assess.interview import AnswersIO, interview_stats, run_interview

    data = _bare(age)
    answers = answers_for(data)
    answers["buyer.birth_date"] = birth_date
    path = tmp_path / "case.yaml"
    run_interview(path, io=AnswersIO(answers, out=io.StringIO()), as_of=AS_OF, summary=False)
    return evaluate_file(path, as_of=AS_OF), interview_stats(path)["asked"]


def test_the_interview_asks_the_date_of_birth_after_a_bare_age_at_a_limit(tmp_path):
    """16 typed: the date of birth is asked (a request on the 16th birthday is no crime);
    answered with that birthday, the crime is ruled out; 30 typed: not asked."""
    result, asked = _interview(tmp_path, 16, BORN)
    assert "buyer.birth_date" in asked
    assert result["tracks"]["criminal"]["applies"] is False
    assert result["primary_track"] == "administrative"
    (tmp_path / "b").mkdir()
    result, asked = _interview(tmp_path / "b", 16, "2008-05-09")
    assert result["tracks"]["criminal"]["applies"] is not False
    assert result["tracks"]["criminal"]["band"] == "large"
    assert result["facts"]["fraud_amount"] == 6000
    (tmp_path / "c").mkdir()
    _, asked = _interview(tmp_path / "c", 30, "unknown")
    assert "buyer.birth_date" not in asked


def test_the_date_of_birth_is_asked_for_requests_on_several_days(tmp_path):
    """Two requests of 3,000 yuan a month apart in 重庆 (数额较大 from 5,000), 16 typed: the date
    of birth is asked; a 16th birthday between them leaves 3,000 counted for the crime (no
    crime; the earlier request is the conduct before the age), none or both give the others."""
    import io

    from test_interview import answers_for

    from assess.assessment import evaluate_file
    from assess.interview import AnswersIO, interview_stats, run_interview

    data = _bare(16)
    second = dict(data["incidents"][0], date="2024-05-20", order_no="2")
    data["incidents"] = [dict(data["incidents"][0], date="2024-04-20", amount=3000),
                         dict(second, amount=3000)]
    answers = answers_for(data)
    answers["buyer.birth_date"] = "2008-05-01"          # 16 on 2024-05-01, between the two
    path = tmp_path / "case.yaml"
    run_interview(path, io=AnswersIO(answers, out=io.StringIO()), as_of=AS_OF, summary=False)
    assert "buyer.birth_date" in interview_stats(path)["asked"]
    result = evaluate_file(path, as_of=AS_OF)
    assert result["facts"]["fraud_amount"] == 3000
    assert result["facts"]["fraud_amount_before_criminal_age"] == 3000
    assert result["tracks"]["criminal"]["applies"] is False
