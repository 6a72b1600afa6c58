import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assess import yamlio
from assess.case import Case, Incident, case_schema, dump_case, load_case, parse_case
from assess.dates import parse_date
from assess.errors import AssessError, AssessErrors

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
AS_OF = date(2026, 1, 31)


def write(tmp_path, text, name="case.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


MINIMAL = "format: assess-case/1\n"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text", ["2025-11-17", "2025年11月17日", "2025/11/17", "2025.11.17",
                                  "2025-11-17 ", "二〇二五年十一月十七日", "2025年11月17号"])
def test_date_forms(text):
    assert parse_date(text) == date(2025, 11, 17)


def test_date_without_year():
    assert parse_date("11月17日", default_year=2025) == date(2025, 11, 17)
    with pytest.raises(ValueError, match="no year"):
        parse_date("11月17日")


@pytest.mark.parametrize("word", ["unknown", "不确定", "不知道", "未知", "?", None])
def test_date_unknown(word):
    assert parse_date(word) is None


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13-01", "20251117", 20251117, "yesterday", True])
def test_date_errors(bad):
    with pytest.raises(ValueError) as info:
        parse_date(bad)
    assert str(bad) in str(info.value) and "YYYY-MM-DD" in str(info.value)


def test_future_date_is_error(tmp_path):
    p = write(tmp_path, MINIMAL + "merchant_learned_date: 2026-03-01\n")
    with pytest.raises(AssessErrors) as info:
        load_case(p, as_of=AS_OF)
    e = info.value.errors[0]
    assert e.field == "merchant_learned_date" and e.line == 2 and "2026-03-01" in e.message


def test_date_forms_in_file(tmp_path):
    p = write(tmp_path, MINIMAL + "incidents:\n  - date: 2025年11月17日\n  - date: 2025.11.18\n")
    c = load_case(p, as_of=AS_OF)
    assert [i.date for i in c.incidents] == [date(2025, 11, 17), date(2025, 11, 18)]
    assert c.data["incidents"][0]["date"] == "2025-11-17"


# ---------------------------------------------------------------- examples

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load(path):
    c = load_case(path)
    assert isinstance(c, Case)
    assert c.place is not None and c.place.province
    assert c.incidents and all(isinstance(i, Incident) for i in c.incidents)
    assert len(c.sha256) == 64
    json.dumps(c.data, ensure_ascii=False)  # JSON-serialisable


def test_required_examples_present():
    names = {p.name for p in EXAMPLES}
    assert {"criminal-guangdong.yaml", "administrative-jiangsu.yaml", "unknown-intent-hubei.yaml",
            "transition-2025-shanghai.yaml", "attempt-chongqing.yaml",
            "genuine-defect-yunnan.yaml"} <= names


def by_name(name):
    return load_case(next(p for p in EXAMPLES if p.name == name))


def test_example_facts():
    g = by_name("criminal-guangdong.yaml")
    assert g.total_amount == Decimal(6800) and len(g.incidents) == 2
    assert g.place.city == "深圳市" and g.intent_to_possess == "yes"
    assert all(i.photo_method == "ai_generated" and i.refund_paid == "yes" for i in g.incidents)
    assert all(i.date.year == 2025 and i.date.month == 11 for i in g.incidents)
    j = by_name("administrative-jiangsu.yaml")
    assert j.total_amount == Decimal(1200) and j.incidents[0].photo_method == "edited"
    assert j.place.city == "南京市"
    h = by_name("unknown-intent-hubei.yaml")
    assert h.total_amount == Decimal(5500) and h.intent_to_possess == "unknown"
    assert h.incidents[0].goods_defective == "no" and h.restitution == "partial"
    s = by_name("transition-2025-shanghai.yaml")
    assert s.incidents[0].date == date(2025, 12, 20) and s.total_amount == Decimal(800)
    assert s.place.province == "上海市" and s.place.city is None
    c = by_name("attempt-chongqing.yaml")
    assert c.total_amount == Decimal(80000) and c.incidents[0].refund_paid == "no"
    assert c.buyer["prior_penalties"] == [{"date": date(2023, 6, 15), "kind": "administrative"}]
    y = by_name("genuine-defect-yunnan.yaml")
    assert y.place.city == "昆明市" and y.incidents[0].photo_method == "genuine"
    assert y.incidents[0].goods_defective == "yes"


# ---------------------------------------------------------------- unknown and missing

def test_minimal_case_is_all_unknown(tmp_path):
    c = load_case(write(tmp_path, MINIMAL), as_of=AS_OF)
    assert c.place is None and c.incidents == [] and c.evidence == []
    assert c.intent_to_possess == "unknown" and c.restitution == "unknown"
    assert c.platform["refund_approval"] == "unknown"
    assert c.buyer["near_relative"] == "unknown" and c.buyer["age"] is None
    assert c.buyer_age_on(date(2025, 1, 1)) is None
    assert c.data == {"format": "assess-case/1"}


@pytest.mark.parametrize("word", ["unknown", "不确定", "不知道", "未知", "?"])
def test_unknown_words_everywhere(tmp_path, word):
    text = (MINIMAL + f"place: '{word}'\nintent_to_possess: '{word}'\nrestitution: '{word}'\n"
            f"merchant_learned_date: '{word}'\nbuyer:\n  age: '{word}'\n  near_relative: '{word}'\n"
            f"incidents:\n  - amount: '{word}'\n    date: '{word}'\n    photo_method: '{word}'\n"
            f"    refund_paid: '{word}'\n")
    c = load_case(write(tmp_path, text), as_of=AS_OF)
    assert c.place is None and c.intent_to_possess == "unknown" and c.restitution == "unknown"
    assert c.merchant_learned_date is None and c.buyer["age"] is None
    i = c.incidents[0]
    assert (i.amount, i.date, i.photo_method, i.refund_paid) == (None, None, "unknown", "unknown")
    assert c.data["incidents"][0]["amount"] == "unknown"


@pytest.mark.parametrize("raw, tri", [("yes", "yes"), ("no", "no"), ("true", "yes"), ("false", "no"),
                                      ("是", "yes"), ("否", "no"), ("有", "yes"), ("无", "no"),
                                      ("'yes'", "yes"), ("未知", "unknown")])
def test_yes_no_forms(tmp_path, raw, tri):
    c = load_case(write(tmp_path, MINIMAL + f"forgiveness: {raw}\n"), as_of=AS_OF)
    assert c.forgiveness == tri
    assert c.data["forgiveness"] == tri


def test_chinese_choice_labels(tmp_path):
    c = load_case(write(tmp_path, MINIMAL + "restitution: 全部退赔\nincidents:\n  - photo_method: AI生成\n"),
                  as_of=AS_OF)
    assert c.restitution == "full" and c.incidents[0].photo_method == "ai_generated"


# ---------------------------------------------------------------- age

def test_age_and_birth_date(tmp_path):
    text = MINIMAL + "buyer:\n  birth_date: 2001-05-03\n  age: 24\nincidents:\n  - date: 2025-11-17\n"
    c = load_case(write(tmp_path, text), as_of=AS_OF)
    assert c.buyer["birth_date"] == date(2001, 5, 3)
    assert c.buyer_age_on(date(2025, 11, 17)) == 24
    assert c.buyer_age_on(date(2019, 5, 2)) == 17


def test_age_disagrees_with_birth_date(tmp_path):
    text = MINIMAL + "buyer:\n  birth_date: 2001-05-03\n  age: 30\nincidents:\n  - date: 2025-11-17\n"
    with pytest.raises(AssessErrors) as info:
        load_case(write(tmp_path, text), as_of=AS_OF)
    e = info.value.errors[0]
    assert e.field == "buyer.age" and e.line == 4 and "24" in e.expected


def test_age_only(tmp_path):
    c = load_case(write(tmp_path, MINIMAL + "buyer:\n  age: 25\n"), as_of=AS_OF)
    assert c.buyer_age_on(date(2025, 11, 17)) == 25


@pytest.mark.parametrize("bad", ["121", "-1", "twenty", "yes"])
def test_bad_age(tmp_path, bad):
    with pytest.raises(AssessErrors) as info:
        load_case(write(tmp_path, MINIMAL + f"buyer:\n  age: {bad}\n"), as_of=AS_OF)
    assert info.value.errors[0].field == "buyer.age"


# ---------------------------------------------------------------- errors

BAD = """\
format: assess-case/1
place: 火星市
buyer:
  agee: 25
incidents:
  - date: 2025-11-17
    amount: 1000
  - date: 2025-02-30
    amount: -3500
    photo_method: ai_genrated
restitution: all
tittle: x
"""


def test_all_errors_reported_at_once(tmp_path):
    p = write(tmp_path, BAD, "bad.yaml")
    with pytest.raises(AssessErrors) as info:
        load_case(p, as_of=AS_OF)
    errors = info.value.errors
    got = {e.field: e for e in errors}
    assert set(got) == {"place", "buyer.agee", "incidents[1].date", "incidents[1].amount",
                        "incidents[1].photo_method", "restitution", "tittle"}
    for e in errors:
        assert e.file == str(p)
        assert e.line is not None and e.col is not None
        assert e.expected
        assert e.hint
    assert got["place"].line == 2 and "省+市+区/县" in got["place"].hint
    assert got["buyer.agee"].line == 4 and "'age'" in got["buyer.agee"].hint
    assert got["incidents[1].date"].line == 8 and "2025-02-30" in got["incidents[1].date"].message
    assert got["incidents[1].amount"].line == 9 and "negative" in got["incidents[1].amount"].message
    assert got["incidents[1].photo_method"].line == 10
    assert "ai_generated" in got["incidents[1].photo_method"].hint
    assert got["restitution"].line == 11
    assert got["tittle"].line == 12 and "'title'" in got["tittle"].hint
    text = info.value.format()
    assert f"{p}:9:" in text and "incidents[1].amount" in text
    assert "Traceback" not in text


def test_non_numeric_amount_names_forms(tmp_path):
    p = write(tmp_path, MINIMAL + "incidents:\n  - amount: abc\n")
    with pytest.raises(AssessErrors) as info:
        load_case(p, as_of=AS_OF)
    e = info.value.errors[0]
    assert e.field == "incidents[0].amount" and "三千五百元" in e.expected and e.line == 3


def test_missing_format(tmp_path):
    with pytest.raises(AssessErrors) as info:
        load_case(write(tmp_path, "title: x\n"), as_of=AS_OF)
    assert info.value.errors[0].field == "format"


def test_wrong_format(tmp_path):
    with pytest.raises(AssessErrors) as info:
        load_case(write(tmp_path, "format: assess-case/9\n"), as_of=AS_OF)
    assert info.value.errors[0].expected == "assess-case/1"


def test_empty_incidents_list(tmp_path):
    with pytest.raises(AssessErrors) as info:
        load_case(write(tmp_path, MINIMAL + "incidents: []\n"), as_of=AS_OF)
    assert info.value.errors[0].field == "incidents"


@pytest.mark.parametrize("text, field", [
    ("[1, 2]\n", "(top level)"),
    (MINIMAL + "buyer: 张某\n", "buyer"),
    (MINIMAL + "incidents: 玻璃杯\n", "incidents"),
    (MINIMAL + "incidents:\n  - 玻璃杯\n", "incidents[0]"),
    (MINIMAL + "evidence:\n  - kind: order\n    sha256: abc\n", "evidence[0].sha256"),
    (MINIMAL + "title: [a, b]\n", "title"),
])
def test_shape_errors(tmp_path, text, field):
    with pytest.raises(AssessError) as info:
        load_case(write(tmp_path, text), as_of=AS_OF)
    err = info.value
    errors = err.errors if isinstance(err, AssessErrors) else [err]
    assert errors[0].field == field


def test_empty_file(tmp_path):
    with pytest.raises(AssessError, match="empty"):
        load_case(write(tmp_path, ""), as_of=AS_OF)


def test_missing_file(tmp_path):
    with pytest.raises(AssessError, match="not found"):
        load_case(tmp_path / "nope.yaml")


def test_duplicate_key(tmp_path):
    with pytest.raises(AssessError, match="duplicate"):
        load_case(write(tmp_path, MINIMAL + "title: a\ntitle: b\n"), as_of=AS_OF)


def test_plain_dict_and_json(tmp_path):
    data = {"format": "assess-case/1", "place": "湖北省武汉市",
            "incidents": [{"date": "2025-11-17", "amount": "3,500", "refund_paid": True}]}
    c = parse_case(data, as_of=AS_OF)
    assert c.incidents[0].amount == Decimal(3500) and c.incidents[0].refund_paid == "yes"
    assert c.file == "<input>" and c.sha256 is None
    p = write(tmp_path, json.dumps(data, ensure_ascii=False), "case.json")
    assert load_case(p, as_of=AS_OF).data == c.data
    with pytest.raises(AssessErrors) as info:
        parse_case({"format": "assess-case/1", "incidents": [{"amount": -1}]}, filename="q.yaml",
                   as_of=AS_OF)
    e = info.value.errors[0]
    assert e.file == "q.yaml" and e.field == "incidents[0].amount" and e.line is None


def test_old_place_note_in_case(tmp_path):
    c = load_case(write(tmp_path, MINIMAL + "place: 平凉市华亭县\n"), as_of=AS_OF)
    assert c.place.county == "华亭县" and "华亭市" in c.place.note
    assert c.data["place"] == "平凉市华亭县"


# ---------------------------------------------------------------- round trip and schema

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_dump_round_trip(tmp_path, path):
    c = load_case(path)
    out = tmp_path / "out.yaml"
    dump_case(c, out)
    c2 = load_case(out)
    assert c2.data == c.data
    assert c2.incidents == c.incidents
    assert c2.buyer == c.buyer and c2.place == c.place
    dump_case(c2.data, out)  # a plain dict works too
    assert load_case(out).data == c.data
    assert not list(tmp_path.glob(".*.tmp"))


def test_dump_key_order(tmp_path):
    out = tmp_path / "o.yaml"
    dump_case({"notes": "n", "incidents": [{"amount": Decimal("3500.50"), "date": date(2025, 11, 17)}],
               "format": "assess-case/1", "forgiveness": "yes"}, out)
    text = out.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["format", "incidents", "forgiveness", "notes"]
    assert "forgiveness: yes" in text
    c = load_case(out, as_of=AS_OF)
    assert c.incidents[0].amount == Decimal("3500.50") and c.forgiveness == "yes"


def test_schema_shape():
    s = case_schema()
    assert s["$schema"].endswith("2020-12/schema")
    assert s["required"] == ["format"] and s["additionalProperties"] is False
    assert "intent_to_possess" in s["properties"]
    for name, prop in s["properties"].items():
        assert " / " in prop["description"], name
    assert set(s["properties"]["incidents"]["items"]["properties"]) == {
        "date", "order_no", "goods", "amount", "refund_paid", "refund_status", "photo_method",
        "goods_defective", "handled", "photos"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_schema_validates_examples(path):
    import jsonschema                    # a test dependency (pyproject [test])
    schema = case_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    raw = yamlio.load(path)
    assert not list(validator.iter_errors(raw))
    assert not list(validator.iter_errors(load_case(path).data))
    bad = dict(raw, colour="red")
    assert list(validator.iter_errors(bad))


def test_dump_to_missing_folder_is_assess_error(tmp_path):
    with pytest.raises(AssessError, match="cannot write"):
        dump_case({"format": "assess-case/1"}, tmp_path / "no" / "such" / "case.yaml")


def test_refund_status_settles_refund_paid():
    base = {"format": "assess-case/1", "incidents": [{"date": "2025-11-18", "amount": 195}]}
    for status, paid in (("paid", "yes"), ("pending", "no"), ("rejected", "no")):
        data = {**base, "incidents": [{**base["incidents"][0], "refund_status": status}]}
        c = parse_case(data, as_of=AS_OF)
        assert (c.incidents[0].refund_status, c.incidents[0].refund_paid) == (status, paid)
    c = parse_case({**base, "incidents": [{**base["incidents"][0], "refund_paid": "yes"}]}, as_of=AS_OF)
    assert c.incidents[0].refund_status == "paid"
    with pytest.raises(AssessErrors) as e:
        parse_case({**base, "incidents": [{**base["incidents"][0], "refund_paid": "yes",
                                            "refund_status": "rejected"}]}, as_of=AS_OF)
    assert "does not agree with refund_paid" in str(e.value)
