"""`assess rules test / boundaries / doc / diff` and their library functions."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assess.paths import statutes_dir

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
pytestmark = pytest.mark.skipif(not any(statutes_dir().glob("*.yaml")),
                                reason="statutes/ not written yet")


def assess(*args, **kw):
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def mine(tmp_path_factory):
    from assess.rulediff import init_pack
    target = tmp_path_factory.mktemp("p") / "pack"
    init_pack(target)
    return target


def test_a_failure_shows_expected_and_got_per_field(tmp_path):
    from assess.ruletest import format_failure, run_tests
    bad = tmp_path / "bad.yaml"
    bad.write_text((GOLDEN / "guangdong.yaml").read_text(encoding="utf-8").replace(
        "expect: {primary_track: criminal, tracks.criminal.band: large}",
        "expect: {primary_track: administrative, tracks.criminal.band: huge}", 1),
        encoding="utf-8")
    failed = [r for r in run_tests([bad], engine="plain") if not r.passed]
    assert len(failed) == 1
    text = format_failure(failed[0])
    assert f"{bad}:" in text
    assert "primary_track" in text and "administrative  →  criminal" in text
    assert "tracks.criminal.band" in text and "huge  →  large" in text
    r = assess("rules", "test", bad, "--no-coverage")
    assert r.returncode == 1 and "administrative  →  criminal" in r.stdout


def test_coverage_per_rule_provision_and_condition():
    from assess.coverage import coverage
    from assess.ruletest import run_tests
    results = run_tests([GOLDEN], engine="plain")
    cov = coverage(results)
    assert cov.tests == len(results)
    assert cov.rules["criminal.band.large"]["definite"] > 0
    assert cov.provisions["criminal-law/266"]["reached_by"]
    assert 0 < cov.rule_percent <= 100 and 0 < cov.atom_percent <= 100
    band = [a for a in cov.atoms if a.rule == "criminal.band.large"
            and a.text == "fraud_amount at_least threshold_large"][0]
    assert band.both                                   # 5,999 and 6,000 in Shenzhen
    text = cov.report()
    assert "rules fired" in text and "provisions reached" in text and "款" in text
    # paragraphs (款) a rule cites on their own are covered separately from the article
    assert "criminal.minor-mitigation" in cov.provisions["criminal-law/17#4"]["reached_by"]
    assert cov.provisions["criminal-law/17#1"]["reached_by"] == ["criminal.age",
                                                                 "criminal.age-partial"]
    data = cov.to_dict()
    assert set(data) == {"tests", "rules", "provisions", "conditions"}


def test_fail_under(tmp_path):
    one = tmp_path / "one.yaml"
    text = (GOLDEN / "guangdong.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("tests:\n")
    first = rest.split("\n  - name:")[0]
    one.write_text(head + "tests:\n" + first + "\n", encoding="utf-8")
    ok = assess("rules", "test", one, "--fail-under", "1")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    low = assess("rules", "test", one, "--fail-under", "99")
    assert low.returncode == 1 and "under 99%" in low.stderr


def test_boundaries_are_generated_and_pass(tmp_path):
    out = tmp_path / "boundaries.yaml"
    r = assess("rules", "boundaries", "-o", out)
    assert r.returncode == 0, r.stderr
    from assess.ruletest import load_tests, run_tests
    tests = load_tests(out)
    assert len(tests) >= 30
    names = " ".join(n for n, _, _ in tests)
    assert "广东省" in names and "−1" in names and "+1" in names
    results = run_tests([out], engine="plain", explain=False)
    failed = [f"{r.name}: {r.differences}" for r in results if not r.passed]
    assert not failed, "\n".join(failed)


def test_rulebook_html_and_pdf(tmp_path):
    html = tmp_path / "rulebook.html"
    r = assess("rules", "doc", "-o", html)
    assert r.returncode == 0, r.stderr
    text = html.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    assert 'id="criminal-law-266"' in text and 'id="rule-criminal.band.large"' in text
    assert "索引" in text and "第二百六十六条" in text or "266" in text
    pdf = tmp_path / "rulebook.pdf"
    r = assess("rules", "doc", "-o", pdf)
    assert r.returncode == 0, r.stderr
    assert pdf.read_bytes()[:4] == b"%PDF"
    bad = assess("rules", "doc", "-o", tmp_path / "x.docx")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_rulebook_has_the_threshold_tables_with_sources_and_quality(mine, tmp_path):
    from assess.rulebook import render_rulebook_html
    zh = render_rulebook_html(lang="zh")
    part = zh[zh.index('<h2 id="thresholds">'):zh.index('<h2 id="facts">')]
    assert "各地诈骗罪数额标准" in part and "全国幅度" in part
    assert "粤高法发〔2014〕12号" in part and "https://lawyer.fabao365.com/136408/article_200576" \
        in part
    assert "一类地区" in part and "6,000" in part and "100,000" in part
    assert "好（文件明确、来源一致）" in part and "弱（网络二手来源）" in part
    assert "不自动适用（使用全国幅度）" in part and "自动适用" in part
    unverified = part[part.index('id="th-unverified"'):]
    assert "天津市" in unverified and "NOT FOUND" in unverified and "searched again" in unverified
    en = render_rulebook_html(lang="en")
    assert "Provincial amount standards for fraud" in en and "Tier-1 area" in en
    assert "not applied (the national range is used)" in en
    # a standard added to a copy of the pack is in that pack's rulebook
    new = tmp_path / "new"
    shutil.copytree(mine, new)
    add_sichuan_standard(new)
    text = render_rulebook_html(base=new, lang="zh")
    sichuan = text[text.index('id="th-四川省"'):text.index('id="th-云南省"')]
    assert "2026-07-01 – 至今" in sichuan and "test-fixture:rules-diff" in sichuan
    assert "起始日期不详 – 2026-06-30" in sichuan


def test_rulebook_tables_fit_the_page(tmp_path):
    """No text past the right margin (the fact table was cut), and the index's kind column
    holds whole words (it wrapped one character per line)."""
    import re
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for lang, kind in (("zh", "规则"), ("en", "rule")):
        pdf = tmp_path / f"rulebook-{lang}.pdf"
        r = assess("rules", "doc", "-o", pdf, "--lang", lang)
        assert r.returncode == 0, r.stderr
        html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                              text=True).stdout
        pages = html.split("<page ")[1:]
        assert len(pages) > 50
        right = 595.3 - 16 / 25.4 * 72                 # A4, 16 mm margins
        past = []
        for n, page in enumerate(pages, 1):
            for x, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', page):
                if float(x) > right + 2:
                    past.append(f"page {n}: {word[:40]}")
        assert not past, past[:10]
        from assess.assessment import load
        words = re.findall(r">([^<]+)</word>", html)
        assert words.count(kind) >= len(load()[1].rules)      # one per rule in the index
        if lang == "zh":
            assert words.count("规") == 0 and words.count("则") == 0


def test_diff_reports_rule_and_outcome_changes(mine, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(mine, new)
    f = new / "rules" / "criminal.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "fraud_amount: {at_least: threshold_large}", "fraud_amount: {over: threshold_large}"),
        encoding="utf-8")
    from assess.rulediff import diff_packs, format_diff
    report = diff_packs(mine, new, cases=[mine / "tests" / "golden" / "guangdong.yaml"])
    assert "criminal.band.large" in report["rules"]["changed"]
    assert "when" in report["rules"]["changed"]["criminal.band.large"]
    changed = {c["case"]: c["changes"] for c in report["cases"]["changed"]}
    assert any("6,000" in k and v["primary_track"] == {"old": "criminal", "new":
                                                        "administrative"}
               for k, v in changed.items()), changed
    text = format_diff(report)
    assert "~ criminal.band.large" in text
    r = assess("rules", "diff", mine, new, "--cases", mine / "tests" / "golden",
               "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["cases"]["changed"]


def test_a_copy_is_used_with_dir_and_assess_home(mine):
    import os
    r = assess("rules", "test", "--dir", mine, "--no-coverage")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    env = dict(os.environ, ASSESS_HOME=str(mine))
    r = assess("rules", "check", env=env)
    assert r.returncode == 0, r.stdout + r.stderr


SICHUAN_OLD = """  - province: 四川省
    adcode: "510000"
    standards:
      - effective_from: null
"""
SICHUAN_NEW_STANDARD = """      - effective_from: "2026-07-01"
        effective_to: null
        document: TEST FIXTURE (not a real document)
        sources: ["test-fixture:rules-diff"]
        quality: good
        note: TEST FIXTURE for the rules diff test; not a verified standard.
        large: 5000
        huge: 50000
        especially_huge: 500000
"""
CHENGDU_CASE = """format: assess-case/1
title: 成都测试案
place: 四川省成都市武侯区
buyer: {name: 李某, age: 30, near_relative: no, prior_penalties: []}
merchant: {name: 某某专营店}
platform: {name: 淘宝}
incidents:
  - {date: 2026-08-10, order_no: "2026081000011111", goods: 相机, amount: 6000元,
     refund_paid: yes, photo_method: ai_generated, goods_defective: no}
intent_to_possess: yes
refund_caused_by_photos: yes
merchant_learned_date: 2026-08-12
restitution: none
"""


def add_sichuan_standard(pack: Path) -> None:
    """The issue's case: a 四川 standard of 5,000 / 50,000 / 500,000 from 2026-07-01 (a test
    fixture); the W-rated standard before it ends on 2026-06-30."""
    f = pack / "statutes" / "thresholds" / "fraud-amounts.yaml"
    text = f.read_text(encoding="utf-8")
    assert SICHUAN_OLD in text
    text = text.replace(SICHUAN_OLD, SICHUAN_OLD + '        effective_to: "2026-06-30"\n')
    head, sep, tail = text.partition("  - province: 贵州省\n")
    f.write_text(head + SICHUAN_NEW_STANDARD + sep + tail, encoding="utf-8")


def test_a_threshold_change_changes_the_digest_and_the_outcome(mine, tmp_path):
    from assess.assessment import load
    from assess.rulediff import diff_packs, format_diff
    new = tmp_path / "new"
    shutil.copytree(mine, new)
    add_sichuan_standard(new)
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "chengdu-6000.yaml").write_text(CHENGDU_CASE, encoding="utf-8")
    assert load(mine)[1].digest != load(new)[1].digest

    from datetime import date
    report = diff_packs(mine, new, cases=[cases], as_of=date(2026, 12, 1))
    assert report["digest"]["old"] != report["digest"]["new"]
    assert "四川省 2026-07-01–…" in report["thresholds"]["added"]
    assert report["cases"]["compared"] == 1 and not report["cases"]["failed"]
    [change] = report["cases"]["changed"]
    assert change["case"] == "chengdu-6000.yaml"
    assert change["changes"]["criminal"] == {"old": "conditional", "new": True}
    assert change["changes"]["primary_track_status"] == {"old": "conditional",
                                                         "new": "definite"}
    zh = format_diff(report, lang="zh")
    assert "结果改变 1 个" in zh and "刑事是否适用: 有条件  →  是" in zh
    assert "行政是否适用: 有条件  →  否" in zh and "数额档次: 未知  →  数额较大" in zh
    en = format_diff(report, lang="en")
    assert "1 changed outcome" in en and "criminal applies: conditional  →  yes" in en
    for text in (zh, en):
        assert "True" not in text and "False" not in text and "None" not in text

    r = assess("rules", "diff", mine, new, "--cases", cases, "--as-of", "2026-12-01",
               "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "1 changed outcome" in r.stdout and "administrative applies: conditional  →  no" \
        in r.stdout


def test_a_case_that_cannot_be_assessed_is_reported_not_hidden(mine, tmp_path):
    from datetime import date

    from assess.rulediff import diff_packs, format_diff
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "chengdu-6000.yaml").write_text(CHENGDU_CASE, encoding="utf-8")
    report = diff_packs(mine, mine, cases=[cases], as_of=date(2026, 8, 1))   # before the claim
    assert [c["case"] for c in report["cases"]["failed"]] == ["chengdu-6000.yaml"]
    assert "两个规则包下均无法评估的案例 1 个" in format_diff(report, lang="zh")


def test_init_prints_the_option_the_readme_uses(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--rules-dir DIR" in readme and "ASSESS_HOME" in readme
    for lang in ("zh", "en"):
        target = tmp_path / lang
        r = assess("rules", "init", target, "--lang", lang)
        assert r.returncode == 0, r.stderr
        assert f"assess rules check --rules-dir {target}" in r.stderr
        assert f"ASSESS_HOME={target}" in r.stderr and "--dir " not in r.stderr
    assert "复制到" in assess("rules", "init", tmp_path / "x").stderr
