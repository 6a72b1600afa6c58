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
               "江西省", "广西壮族自治区", "海南省", "四川省", "贵州省", "西藏自治区", "陕西省",
               "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"}
    for name, entry in table.provinces.items():
        assert (not entry.standards) == (name in unknown), name
        if name in unknown:
            assert entry.note
    quality = {n: e.standards[0].quality for n, e in table.provinces.items() if e.standards}
    assert quality == {"北京市": "W", "上海市": "good", "江苏省": "good", "浙江省": "medium",
                       "安徽省": "W", "福建省": "W", "山东省": "medium", "河南省": "W",
                       "湖北省": "good", "湖南省": "W", "广东省": "good", "重庆市": "good",
                       "云南省": "good"}
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


def test_shanghai_listed_circumstance(table):
    yes = resolve(table, "上海市", None, ON, {"local_listed_circumstance": "yes"})
    no = resolve(table, "上海市", None, ON, {"local_listed_circumstance": "no"})
    unknown = resolve(table, "上海市", None, ON, {"local_listed_circumstance": "unknown"})
    assert yes.values["large"] == (5000, 5000) and yes.exact
    assert no.values["large"] == (10000, 10000)
    assert unknown.values["large"] == (5000, 10000) and not unknown.exact
    assert unknown.depends_on == ["local_listed_circumstance"]
    assert yes.values["huge"] == no.values["huge"] == (100000, 100000)
    assert resolve(table, "上海市", None, ON, {}).depends_on == ["local_listed_circumstance"]


def test_hubei_interpretation_circumstance(table):
    yes = resolve(table, "湖北省", "武汉市", ON, {"interpretation_art2_circumstance": "yes"})
    no = resolve(table, "湖北省", "武汉市", ON, {"interpretation_art2_circumstance": "no"})
    unknown = resolve(table, "湖北省", "武汉市", ON, {})
    assert [yes.values[b][0] for b in BANDS] == [3000, 30000, 300000]
    assert [no.values[b][0] for b in BANDS] == [5000, 50000, 500000]
    assert unknown.values["large"] == (3000, 5000)
    assert unknown.depends_on == ["interpretation_art2_circumstance"]
    assert resolve(table, "湖北省", None, date(2012, 6, 30), {}).applied is False


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
    line_q = edit(f, "        quality: medium\n", "        quality: ok\n")
    line_k = edit(f, "        issued: \"2012-05-21\"\n", "        isued: \"2012-05-21\"\n")
    errs = errors_of(d)
    assert find(errs, "quality 'ok'").line == line_q
    assert find(errs, "unknown key 'isued'").line == line_k


def test_impossible_date_in_the_table(tmp_path):
    d, f = copy(tmp_path)
    line = edit(f, 'effective_from: "2013-07-01"', 'effective_from: "2013-06-31"')
    e = find(errors_of(d), "impossible date: 2013-06-31")
    assert e.file.endswith("fraud-amounts.yaml") and e.line == line
