"""The 诈骗罪 amount table: loads, resolves by place/date/facts, reports broken entries."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assess.errors import AssessError
from assess.statutes import load_library
from assess.thresholds import BANDS, resolve

ROOT = Path(__file__).resolve().parent.parent
STATUTES = ROOT / "statutes"
ON = date(2026, 1, 15)


@pytest.fixture(scope="module")
def table():
    return load_library(STATUTES).thresholds


def test_all_provinces_listed(table):
    assert len(table.provinces) == 31
    assert {"北京市", "广西壮族自治区", "内蒙古自治区", "新疆维吾尔自治区", "宁夏回族自治区",
            "西藏自治区", "重庆市"} <= set(table.provinces)
    assert table.provinces["广东省"].adcode == "440000"
    unknown = {"天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
               "江西省", "广西壮族自治区", "海南省", "贵州省", "西藏自治区", "陕西省",
               "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"}
    for name, entry in table.provinces.items():
        assert (not entry.standards) == (name in unknown), name
        if name in unknown:       # what was searched, and when (issue 9, item 10)
            assert "searched again 2026-12-03" in entry.note and "Result:" in entry.note, name
    quality = {n: e.standards[0].quality for n, e in table.provinces.items() if e.standards}
    assert quality == {"北京市": "W", "上海市": "good", "江苏省": "good", "浙江省": "W",
                       "安徽省": "W", "福建省": "W", "山东省": "W", "河南省": "W",
                       "湖北省": "good", "湖南省": "W", "广东省": "good", "重庆市": "good",
                       "云南省": "good", "四川省": "W"}
    for name in ("浙江省", "山东省"):           # one network of lawyer sites, not several copies
        assert "one network" in table.provinces[name].standards[0].note
    assert "2023" in table.provinces["上海市"].standards[0].note
    assert table.basis_label == "法释〔2011〕7号 第一条"
    assert table.apply_quality == ("good", "medium")


def test_guangdong_tiers(table):
    r = resolve(table, "广东省", "深圳市", ON, {})
    assert r.values["large"] == (6000, 6000) and r.values["huge"] == (100000, 100000)
    assert r.tier == {"zh": "一类地区", "en": "Tier-1 area"} and r.applied and r.exact
    r = resolve(table, "广东省", "汕头市", ON, {})
    assert r.values["large"] == (4000, 4000) and r.values["huge"] == (60000, 60000)
    assert r.tier["zh"] == "二类地区" and r.quality == "good"
    r = resolve(table, "广东省", None, ON, {})
    assert r.values["large"] == (4000, 6000) and not r.exact and r.applied
    assert r.depends_on == ["city"] and r.tier is None
    assert resolve(table, "广东省", "深圳市", date(2014, 4, 24), {}).applied is False
    assert resolve(table, "广东省", "深圳市", date(2014, 4, 25), {}).applied is True


SHANGHAI_2011 = date(2023, 4, 30)          # the last day the 2011 standard is applied


def test_shanghai_listed_circumstance(table):
    on = SHANGHAI_2011
    yes = resolve(table, "上海市", None, on, {"local_listed_circumstance": "yes"})
    no = resolve(table, "上海市", None, on, {"local_listed_circumstance": "no"})
    unknown = resolve(table, "上海市", None, on, {"local_listed_circumstance": "unknown"})
    assert yes.values["large"] == (5000, 5000) and yes.exact
    assert no.values["large"] == (10000, 10000)
    assert unknown.values["large"] == (5000, 10000) and not unknown.exact
    assert unknown.depends_on == ["local_listed_circumstance"]
    assert yes.values["huge"] == no.values["huge"] == (100000, 100000)
    assert resolve(table, "上海市", None, on, {}).depends_on == ["local_listed_circumstance"]


def test_shanghai_from_may_2023_is_reported_not_applied(table):
    before = resolve(table, "上海市", None, SHANGHAI_2011, {})
    after = resolve(table, "上海市", None, date(2023, 5, 1), {})
    assert before.applied and before.quality == "good" and before.standard_id is None
    assert before.effective_to == SHANGHAI_2011
    assert not after.applied and after.quality == "national-range"
    assert after.values["large"] == (3000, 10000)
    assert after.reported["quality"] == "W" and after.standard_id == "shanghai-2023"
    assert "2023" in after.reported["note"] and before.standard is not after.standard


def test_hubei_interpretation_circumstance(table):
    yes = resolve(table, "湖北省", "武汉市", ON, {"interpretation_art2_circumstance": "yes"})
    no = resolve(table, "湖北省", "武汉市", ON, {"interpretation_art2_circumstance": "no"})
    unknown = resolve(table, "湖北省", "武汉市", ON, {})
    # the circumstance lowers only the conviction threshold; 30,000 / 300,000 are not bands
    assert [yes.values[b][0] for b in BANDS] == [3000, 50000, 500000]
    assert [no.values[b][0] for b in BANDS] == [5000, 50000, 500000]
    assert unknown.values["large"] == (3000, 5000)
    assert unknown.values["huge"] == (50000, 50000)
    assert unknown.depends_on == ["interpretation_art2_circumstance"]
    figures = {"other_serious": 30000, "other_especially_serious": 300000}
    assert yes.other_serious == no.other_serious == unknown.other_serious == figures
    assert yes.to_dict()["other_serious"] == figures
    assert resolve(table, "湖北省", None, date(2012, 6, 30), {}).applied is False
    assert resolve(table, "江苏省", "南京市", ON, {}).other_serious is None


def test_standard_ids(table):
    ids = {s.id: n for n, e in table.provinces.items() for s in e.standards if s.id}
    assert ids == {"jiangsu-2011": "江苏省", "shanghai-2023": "上海市"}
    assert resolve(table, "江苏省", "南京市", ON, {}).standard_id == "jiangsu-2011"
    assert resolve(table, "天津市", None, ON, {}).standard_id is None


def test_ids_are_values_of_local_standard(table):
    """Every id of the table is a value of the fact local_standard (assess/facts.py raises a
    clear error otherwise)."""
    from assess.model import load_rulepack

    pack = load_rulepack(ROOT / "rules")
    ids = {s.id for e in table.provinces.values() for s in e.standards if s.id}
    assert ids == set(pack.facts["local_standard"].values)


def test_jiangsu(table):
    r = resolve(table, "江苏省", "南京市", ON, {})
    assert r.values["large"] == (6000, 6000) and r.applied and r.quality == "good"
    assert "苏高法〔2011〕370号" in r.document


def test_tianjin_unknown_uses_the_national_range(table):
    r = resolve(table, "天津市", None, ON, {})
    assert r.values["large"] == (3000, 10000)
    assert r.values["huge"] == (30000, 100000)
    assert r.values["especially_huge"] == (500000, 500000)
    assert r.applied is False and r.quality == "national-range" and r.reported is None
    assert r.document == "法释〔2011〕7号 第一条"


def test_beijing_weak_is_reported_not_applied(table):
    r = resolve(table, "北京市", "北京市", ON, {})
    assert r.applied is False and r.quality == "national-range"
    assert r.values["large"] == (3000, 10000)
    assert r.reported["quality"] == "W"
    assert r.reported["values"]["large"] == (5000, 5000)
    d = r.to_dict()
    assert d["reported"]["values"]["large"] == [5000, 5000] and d["on"] == "2026-01-15"


def test_no_province_and_short_names(table):
    r = resolve(table, None, None, ON, {})
    assert r.applied is False and "province" in r.depends_on
    assert resolve(table, "广东", "深圳市", ON, {}).values["large"] == (6000, 6000)
    assert resolve(table, "广西", None, ON, {}).province == "广西壮族自治区"
    assert resolve(table, "台湾省", None, ON, {}).applied is False


def test_to_dict_is_json(table):
    import json

    r = resolve(table, "广东省", None, ON, {})
    d = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    assert d["values"]["large"] == [4000, 6000] and d["depends_on"] == ["city"]
    assert d["effective_from"] == "2014-04-25" and d["sources"]


# =========================================================================== broken copies

def copy(tmp_path: Path) -> tuple[Path, Path]:
    target = tmp_path / "statutes"
    shutil.copytree(STATUTES, target)
    return target, target / "thresholds" / "fraud-amounts.yaml"


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def errors_of(folder: Path) -> list[AssessError]:
    with pytest.raises(AssessError) as exc:
        load_library(folder)
    return getattr(exc.value, "errors", [exc.value])


def find(errors, text: str) -> AssessError:
    hits = [e for e in errors if text in e.message]
    assert hits, f"no error containing {text!r} in:\n" + "\n".join(e.format() for e in errors)
    return hits[0]


def test_amount_outside_the_national_range(tmp_path):
    d, f = copy(tmp_path)
    line = edit(f, "        large: 6000\n        huge: 60000", "        large: 12000\n        huge: 60000")
    e = find(errors_of(d), "large amount 12000")
    assert e.file.endswith("fraud-amounts.yaml") and e.line == line
    assert "法释〔2011〕7号 第一条" in e.message and e.article == "法释〔2011〕7号 第一条"


def test_two_default_tiers(tmp_path):
    d, f = copy(tmp_path)
    edit(f, "            cities: [广州市", "            default: true\n            cities: [广州市")
    e = find(errors_of(d), "2 default tiers")
    assert e.file.endswith("fraud-amounts.yaml") and e.line


def test_overlapping_standards(tmp_path):
    d, f = copy(tmp_path)
    text = f.read_text(encoding="utf-8")
    start = text.index("  - province: 云南省")
    end = text.index("  - province: 西藏自治区")
    entry = text[start:end]
    std = entry[entry.index("      - effective_from"):]
    later = std.replace('effective_from: "2013-08-01"', 'effective_from: "2020-01-01"')
    f.write_text(text[:end] + later + text[end:], encoding="utf-8")
    line = (text[:end]).count("\n") + 1
    e = find(errors_of(d), "standards of 云南省: the entry from 2020-01-01 overlaps")
    assert e.file.endswith("fraud-amounts.yaml") and e.line == line


def test_unknown_quality_and_key(tmp_path):
    d, f = copy(tmp_path)
    line_q = edit(f, "        quality: W\n", "        quality: ok\n")
    line_k = edit(f, "        issued: \"2012-05-21\"\n", "        isued: \"2012-05-21\"\n")
    errs = errors_of(d)
    assert find(errs, "quality 'ok'").line == line_q
    assert find(errs, "unknown key 'isued'").line == line_k


def test_impossible_date_in_the_table(tmp_path):
    d, f = copy(tmp_path)
    line = edit(f, 'effective_from: "2013-07-01"', 'effective_from: "2013-06-31"')
    e = find(errors_of(d), "impossible date: 2013-06-31")
    assert e.file.endswith("fraud-amounts.yaml") and e.line == line


def test_other_serious_figure_not_below_the_band(tmp_path):
    d, f = copy(tmp_path)
    line = edit(f, "            other_serious: 30000\n", "            other_serious: 50000\n")
    e = find(errors_of(d), "other_serious 50000")
    assert e.file.endswith("fraud-amounts.yaml") and e.field == "other_serious"
    assert "huge amount 50000" in e.message and e.line == line - 2


def test_other_serious_figures_need_the_art2_circumstance(tmp_path):
    d, f = copy(tmp_path)
    line = edit(f, "          - when: interpretation_art2_circumstance\n",
                "          - when: local_listed_circumstance\n")
    e = find(errors_of(d), "carries figures for 其他(特别)严重情节 under 'local_listed_circumstance'")
    assert e.line == line and e.expected == "interpretation_art2_circumstance"


def test_other_serious_figures_go_together(tmp_path):
    d, f = copy(tmp_path)
    edit(f, "            other_especially_serious: 300000\n", "")
    e = find(errors_of(d), "one figure for 其他(特别)严重情节 without the other")
    assert e.field == "other_especially_serious"


def test_duplicate_and_malformed_standard_ids(tmp_path):
    d, f = copy(tmp_path)
    edit(f, "        id: jiangsu-2011\n", "        id: shanghai-2023\n")
    find(errors_of(d), "duplicate standard id 'shanghai-2023'")
    d2, f2 = copy(tmp_path / "2")
    line = edit(f2, "        id: jiangsu-2011\n", "        id: Jiangsu 2011\n")
    e = find(errors_of(d2), "must be a lowercase-dash name")
    assert e.line == line and e.field == "id"


def _facts(data: dict, as_of: date) -> dict:
    from assess.assessment import load
    from assess.case import parse_case
    from assess.facts import case_facts

    lib, pack = load()
    base = {"format": "assess-case/1", "buyer": {"age": 30},
            "incidents": [{"date": "2025-11-17", "amount": 4000, "refund_paid": "yes",
                           "photo_method": "edited", "goods_defective": "no"}]}
    return case_facts(parse_case(dict(base, **data), as_of=as_of), lib, pack, as_of).facts


def test_local_standard_facts():
    hubei = _facts({"place": "湖北省武汉市"}, ON)
    assert hubei["local_other_serious_set"] == "yes"
    assert hubei["threshold_other_serious"] == (30000.0, 30000.0)
    assert hubei["threshold_other_especially_serious"] == (300000.0, 300000.0)
    assert hubei["local_standard"] == {"jiangsu-2011": "no", "shanghai-2023": "no"}
    jiangsu = _facts({"place": "江苏省南京市", "amount_near_large": "yes"}, ON)
    assert jiangsu["local_standard"]["jiangsu-2011"] == "yes"
    assert jiangsu["local_other_serious_set"] == "no"
    assert jiangsu["threshold_other_serious"][0] >= 10 ** 12          # no local figure
    assert jiangsu["amount_near_large"] == "yes" and jiangsu["repeated_fraud"] == "unknown"
    assert jiangsu["threshold_changed"] == "no"


def test_a_change_of_entry_is_a_change_of_standard():
    """上海: conduct under the 2011 standard, decision after 2023-05-01 (only reported there)."""
    data = {"place": "上海市浦东新区", "local_listed_circumstance": "no",
            "incidents": [{"date": "2023-04-20", "amount": 9000, "refund_paid": "yes",
                           "photo_method": "edited", "goods_defective": "no"}]}
    facts = _facts(data, ON)
    assert facts["threshold_changed"] == "yes"
    assert facts["threshold_large"] == (10000.0, 10000.0)     # the higher figure of each band
    assert facts["local_standard"]["shanghai-2023"] == "no"   # not the same entry at both dates
    assert _facts(dict(data, incidents=[dict(data["incidents"][0], date="2023-05-02")]),
                  ON)["local_standard"]["shanghai-2023"] == "yes"
