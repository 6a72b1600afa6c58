"""The legal opinion (法律意见书) as a lawyer signs it (issue 10): firm, lawyer and number from
the settings file or a marked blank; the structure of practice; client facts apart from the
lawyer's evaluations; one line for a track that does not apply; headings with the applied
version's article and title; deadlines in date order and the advice a passed one changes; every
value in words; file digests in the verification sheet, not in the opinion."""
from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assess import documents
from assess.assessment import evaluate_file
from assess.errors import AssessError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CRABS = EXAMPLES / "crabs-guangzhou-zengcheng.yaml"
AS_OF = date(2026, 1, 15)
CRABS_AS_OF = date(2026, 12, 3)          # one year after the merchant learned of the fraud

# raw values of the case file and the result that must never reach the reader
RAW = re.compile(r"(?<![A-Za-z_])(yes|no|unknown|ai_generated|edited|staged|genuine|automatic|"
                 r"merchant|reviewed_with_merchant|reviewed_without_merchant|full|partial|none|"
                 r"administrative|criminal|civil|platform|True|False|None|large|huge|"
                 r"especially_huge)(?![A-Za-z_])")
HASHLIKE_NUMBER = re.compile(r"第\s*[0-9A-Fa-f]{8,}\s*号")


def as_of_for(case: Path) -> date:
    return CRABS_AS_OF if case == CRABS else AS_OF


@pytest.fixture(autouse=True)
def no_settings_around(tmp_path_factory, monkeypatch):
    """No settings file from the machine: an empty config folder and working folder."""
    home = tmp_path_factory.mktemp("cfg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("ASSESS_SETTINGS", raising=False)
    monkeypatch.chdir(home)


def visible_text(page: str) -> str:
    """What a reader sees of the HTML: no head, no style, no tags."""
    page = re.sub(r"(?s)<head>.*?</head>|<style>.*?</style>", "", page)
    page = re.sub(r"<br\s*/?>|</?(?:p|h\d|li|tr|div|table|ol|ul|section)\b[^>]*>", "\n", page)
    page = re.sub(r"</?t[dh]\b[^>]*>", " ", page)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page))


def section(text: str, start: str, end: str) -> str:
    """From the line starting with `start` to the next line starting with `end`."""
    lines = [x.strip() for x in text.splitlines()]
    i = next(n for n, x in enumerate(lines) if x.startswith(start))
    j = next(n for n, x in enumerate(lines) if n > i and x.startswith(end))
    return "\n".join(lines[i:j])


_CACHE: dict = {}


def opinion_html(case: Path, **kw) -> str:
    key = (case, tuple(sorted(kw.items())))
    if key not in _CACHE:
        _CACHE[key] = documents.render_html("opinion", case, as_of=kw.pop("as_of", as_of_for(case)),
                                            **kw).content
    return _CACHE[key]


def write_settings(folder: Path, text: str) -> Path:
    path = folder / "firm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SETTINGS = """\
firm: 广东某某律师事务所
lawyers:
  - name: 李某某
    licence: "14401201510000001"
opinion_number: "〔{year}〕某律意字第{n}号"
"""


def cli(*args, cwd, env=None):
    e = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(cwd))
    e.pop("ASSESS_SETTINGS", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=e)


# --------------------------------------------------------------------------- every example

@pytest.mark.parametrize("case", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_raw_value_no_hash_number_and_no_intent_among_client_facts(case):
    text = visible_text(opinion_html(case))
    # the case file's own name (attachment 1) may hold any word: it is data, not a code
    raw = sorted({m.group(0) for m in RAW.finditer(text.replace(case.name, ""))})
    assert not raw, f"raw values in the opinion: {raw}"
    # (the amount standard's source addresses come from the shared thresholds block)
    assert "=" not in re.sub(r"https?://\S+", "", text)
    assert not HASHLIKE_NUMBER.search(text)
    result = evaluate_file(case, as_of=as_of_for(case))
    for f in ("rules", "statutes", "templates"):
        assert f"{f}/" not in text                      # no rule, statute or template file
    assert result["tool"]["rules_digest"] not in text
    facts = section(text, "二、事实", "三、法律分析")
    assert "非法占有目的" not in facts
    analysis = section(text, "三、法律分析", "四、结论意见")
    assert "关于非法占有目的" in analysis
    # the order of practice
    heads = ["一、委托事项", "二、事实", "三、法律分析", "四、结论意见", "五、风险提示", "六、附件"]
    positions = [text.index(h) for h in heads]
    assert positions == sorted(positions)


@pytest.mark.parametrize("case", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_deadlines_in_date_order(case):
    text = visible_text(opinion_html(case))
    table = re.search(r'(?s)<table class="deadlines">.*?</table>', opinion_html(case))
    if not table:
        return
    ends = re.findall(r"<td><b>(\d{4})年(\d{1,2})月(\d{1,2})日</b></td>", table.group(0))
    dates = [date(int(y), int(m), int(d)) for y, m, d in ends]
    assert dates and dates == sorted(dates)
    assert "（六）期限" in text


def test_the_english_opinion_has_no_codes_either():
    text = visible_text(opinion_html(EXAMPLES / "unknown-intent-hubei.yaml", lang="en"))
    assert not re.search(r"\b(ai_generated|reviewed_\w+|especially_huge)\b|= ", text)
    assert "[to be completed: law firm]" in text


# --------------------------------------------------------------------------- firm and number

def test_without_settings_the_firm_lawyer_and_number_are_marked_blanks():
    text = visible_text(opinion_html(EXAMPLES / "criminal-guangdong.yaml"))
    assert "编号：【待填写：意见书编号】" in text
    assert "【待填写：律师事务所】（以下简称“本所”）" in text
    assert "指派【待填写：承办律师】律师" in text
    assert "仅退款评字" not in text


def test_settings_give_firm_lawyer_and_number(tmp_path):
    path = write_settings(tmp_path, SETTINGS)
    page = documents.render_html("opinion", EXAMPLES / "criminal-guangdong.yaml", as_of=AS_OF,
                                 settings=path, number="37").content
    text = visible_text(page)
    assert "〔2026〕某律意字第37号" in text
    assert "广东某某律师事务所（以下简称“本所”）" in text
    assert "李某某" in text and "14401201510000001" in text
    assert "【待填写" not in text
    # the scheme without --number: the number itself is the marked blank
    text = visible_text(documents.render_html("opinion", EXAMPLES / "criminal-guangdong.yaml",
                                              as_of=AS_OF, settings=path).content)
    assert "〔2026〕某律意字第【待填写：序号】号" in text


def test_cli_reads_the_default_settings_file_and_writes_the_verification_sheet(tmp_path):
    (tmp_path / "assess-settings.yaml").write_text(SETTINGS, encoding="utf-8")
    out = tmp_path / "o.pdf"
    r = cli("opinion", CRABS, "--as-of", "2026-12-03", "--number", "5", "-o", out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    sheet_path = tmp_path / "o.verification.json"
    assert str(sheet_path) in r.stdout
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True).stdout if shutil.which("pdftotext") else None
    sheet = json.loads(sheet_path.read_text(encoding="utf-8"))
    import hashlib
    assert sheet["document"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sheet["document"]["number"] == "〔2026〕某律意字第5号"
    files = sheet["files"]["rules"] + sheet["files"]["statutes"] + sheet["files"]["templates"]
    assert any(f["path"] == "templates/opinion.html.j2" for f in files)
    assert {r["rule"] for r in sheet["rules_fired"]} >= {"civil.revocation-lapsed", "fraud.elements"}
    assert all(re.fullmatch(r"rules/[\w.-]+\.yaml:\d+", r["source"]) for r in sheet["rules_fired"])
    if text is not None:
        flat = re.sub(r"\s+", "", text)
        assert "〔2026〕某律意字第5号" in flat and "广东某某律师事务所" in flat
        for f in files:
            assert f["sha256"] not in flat          # digests only in the verification sheet
        assert "LawRefBook" not in flat and "V-repo" not in flat


@pytest.mark.parametrize("text,where,message", [
    ("firm: 某所\nfirms: x\n", 2, "unknown key 'firms'"),
    ("firm: 某所\nopinion_number: \"第{no}号\"\n", 2, "unknown placeholder"),
    ("lawyers:\n  - licence: \"1\"\n", 2, "required key 'name'"),
    ("firm: [a, b]\n", 1, "'firm' must be text"),
    ("firm: 某所\n  bad: indent\n", 2, "YAML"),
])
def test_bad_settings_name_file_and_line(tmp_path, text, where, message):
    path = write_settings(tmp_path, text)
    with pytest.raises(AssessError) as exc:
        documents.render_html("opinion", CRABS, as_of=CRABS_AS_OF, settings=path)
    err = exc.value
    assert err.file == str(path) and err.line == where, err.format()
    assert message in err.format()
    r = cli("opinion", CRABS, "--as-of", "2026-12-03", "--settings", path, "-o",
            tmp_path / "o.pdf", cwd=tmp_path)
    assert r.returncode == 2 and f"{path}:{where}" in r.stderr and "Traceback" not in r.stderr


def test_a_named_settings_file_must_exist(tmp_path):
    r = cli("opinion", CRABS, "--as-of", "2026-12-03", "-o", tmp_path / "o.pdf", cwd=tmp_path,
            env={"ASSESS_SETTINGS": str(tmp_path / "nope.yaml")})
    assert r.returncode == 2 and "settings file not found" in r.stderr
    assert not (tmp_path / "o.pdf").exists()


# --------------------------------------------------------------------------- the analysis

def test_a_track_that_does_not_apply_gets_one_line_why():
    # 195 yuan, already punished by the police, refund approved by the merchant itself
    page = opinion_html(CRABS)
    text = visible_text(page)
    result = evaluate_file(CRABS, as_of=CRABS_AS_OF)
    assert [result["tracks"][t]["applies"] for t in ("administrative", "criminal", "platform")] \
        == [False, False, False]
    criminal = section(text, "（四）刑事责任", "（五）")
    assert "不适用：" in criminal and "行政拘留八日" in criminal and "6,000 元" in criminal
    assert "涉嫌" not in criminal                      # no suspicion for a crime that is out
    assert "所用数额标准" not in text and "数额档次" not in text and "可能的刑罚" not in text
    assert len(criminal.strip().splitlines()) <= 4
    admin = section(text, "（三）治安管理处罚", "（四）")
    assert "不适用：" in admin and "可能的治安管理处罚" not in admin
    platform = section(text, "（五）平台的责任", "（六）")
    assert "不适用：" in platform and "自行同意" in platform
    assert "与数额标准的距离" not in text


def test_headings_name_the_applied_version_and_say_suspected():
    text = visible_text(opinion_html(EXAMPLES / "criminal-guangdong.yaml"))
    assert "（四）刑事责任：涉嫌诈骗罪（《中华人民共和国刑法》第二百六十六条“诈骗罪”）" in text
    headings = [x.strip() for x in text.splitlines() if re.match(r"\s*（[一二三四五六七]）", x)]
    assert headings and not [h for h in headings if "构成" in h]
    # the rules' titles, printed as lead-ins, say it too
    assert "涉嫌诈骗罪（既遂）" in text and "构成诈骗罪" not in text and "构成犯罪：" not in text
    # which PSAPL text applies depends on 情节较重: each number with its own text's title
    text = visible_text(opinion_html(EXAMPLES / "administrative-jiangsu.yaml"))
    heading = next(line.strip() for line in text.splitlines()
                   if line.strip().startswith("（三）治安管理处罚"))
    assert "2012年文本第四十九条“盗窃、诈骗、哄抢、抢夺、敲诈勒索、故意损毁公私财物”" in heading
    assert "2025年文本第五十八条“盗窃、诈骗、哄抢、抢夺、敲诈勒索”" in heading


@pytest.mark.parametrize("case", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_two_texts_titles_are_never_mixed_under_one_number(case):
    text = visible_text(opinion_html(case))
    assert "年文本）；" not in text


def test_a_passed_deadline_changes_the_advice():
    text = visible_text(opinion_html(CRABS))
    result = evaluate_file(CRABS, as_of=CRABS_AS_OF)
    passed = [d for d in result["deadlines"] if d["passed"]]
    assert [d["id"] for d in passed] == ["civil_revocation_1y"]
    conclusion = section(text, "四、结论意见", "五、风险提示")
    assert "撤销退款的途径已经关闭" in conclusion
    # the assessment leaves the claim for the money open once revocation has lapsed
    # (civil.unjust-enrichment-after-lapse): the conclusion says so, and claims nothing more
    assert "买家是否仍应向委托人返还退款尚不确定" in conclusion
    assert "委托人可以请求返还退款" not in conclusion
    assert "尚不确定" in section(text, "（二）民事责任", "（三）")
    assert "已于2026年11月27日届满" in section(text, "五、风险提示", "六、附件")
    # the day before it passed: the route is open and nothing says otherwise
    text = visible_text(documents.render_html("opinion", CRABS, as_of=date(2026, 11, 26)).content)
    assert "撤销退款的途径已经关闭" not in text and "尚不确定" not in section(text, "四、结论意见", "五、风险提示")
    assert "最近的期限：撤销权消灭（自知道撤销事由之日起一年），于2026年11月27日届满" in text


def test_conclusion_lists_each_outcome_with_its_condition_most_serious_first():
    case = EXAMPLES / "unknown-intent-hubei.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    conclusion = section(visible_text(opinion_html(case)), "四、结论意见", "（一）建议采取的措施")
    tracks = [o["track"] for o in result["headline"]["outcomes"]]
    assert set(tracks) == {"criminal", "civil"}
    first, second = conclusion.index("涉嫌诈骗罪"), conclusion.index("承担民事责任")
    assert first < second
    for o in result["headline"]["outcomes"]:
        assert f"若{o['condition_text']}，" in conclusion


def test_genuinely_defective_goods_one_reason_per_track():
    case = EXAMPLES / "genuine-defect-yunnan.yaml"
    text = visible_text(opinion_html(case))
    for start, end in (("（二）民事责任", "（三）"), ("（三）治安管理处罚", "（四）"),
                       ("（四）刑事责任", "（五）"), ("（五）平台的责任", "（六）")):
        part = section(text, start, end)
        assert part.count("不适用：") == 1 and "质量问题" in part, part
        assert "数额" not in part and "结论：" not in part
    conclusion = section(text, "四、结论意见", "（一）建议采取的措施")
    assert "买家不承担本意见所分析的法律责任。" in conclusion and "。。" not in conclusion
