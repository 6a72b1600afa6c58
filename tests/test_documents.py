"""Documents (opinion, report, appeal): content checked by text extraction, fonts, page
numbers, injection safety, reproducible bytes, missing facts and bad input."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
AS_OF = date(2026, 1, 15)

pypdf = pytest.importorskip("pypdf")

from assess import documents  # noqa: E402
from assess.assessment import evaluate_file  # noqa: E402
from assess.errors import AssessError  # noqa: E402

pytestmark = pytest.mark.skipif(not (ROOT / "statutes").is_dir()
                                or not any((ROOT / "statutes").glob("*.yaml")),
                                reason="statutes/ not there yet")


def squash(text: str) -> str:
    """Text without any whitespace (PDF extraction breaks lines and may add spaces)."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> tuple[str, int]:
    import io
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages), len(reader.pages)


def cli(*args, env=None, cwd=ROOT):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=e)


def golden_case(tmp_path: Path, file: str, name_part: str) -> Path:
    """A golden test (defaults + case overrides) written out as a case file."""
    data = yaml.safe_load((GOLDEN / file).read_text(encoding="utf-8"))
    test = next(t for t in data["tests"] if name_part in t["name"])
    case = dict(data["defaults"])
    for k, v in (test.get("case") or {}).items():
        case[k] = dict(case.get(k) or {}, **v) if isinstance(v, dict) else v
    case.setdefault("merchant", {"name": "测试店铺"})
    case["buyer"] = dict(case.get("buyer") or {}, account="tb_golden")
    path = tmp_path / (re.sub(r"\W+", "_", name_part) + ".yaml")
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_CACHE: dict = {}


def rendered(kind: str, case: Path, lang: str = "zh", as_of: date = AS_OF):
    key = (kind, str(case), lang, as_of)
    if key not in _CACHE:
        doc = documents.render(kind, case, as_of=as_of, lang=lang, fmt="pdf")
        text, pages = pdf_text(doc.content)
        _CACHE[key] = (doc, text, pages)
    return _CACHE[key]


def cited(result: dict, tracks: tuple[str, ...]) -> list[dict]:
    out = {}
    for e in result["trace"]:
        if e["track"] in tracks:
            for c in e["cites"]:
                out.setdefault((c["id"], c["effective_from"]), c)
    return list(out.values())


# --------------------------------------------------------------------------- content

EXAMPLE_CASES = ["criminal-guangdong", "administrative-jiangsu", "unknown-intent-hubei",
                 "transition-2025-shanghai", "attempt-chongqing"]


@pytest.mark.parametrize("name", EXAMPLE_CASES)
def test_opinion_quotes_the_provisions_the_result_cites(name):
    case = EXAMPLES / f"{name}.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    doc, text, pages = rendered("opinion", case)
    flat = squash(text)
    tracks = ("fraud", "civil", "criminal", "platform")
    if result["tracks"]["administrative"]["applies"] is not False:
        tracks += ("administrative", "law")
    else:
        tracks += ("administrative",)
    for c in cited(result, tracks):
        assert squash(c["text"]) in flat, f"{c['id']} ({c['effective_from']}) not quoted"
    # the trace appendix lists every rule that fired (by title; rule ids and files are in the
    # verification sheet, tests/test_opinion.py)
    for e in result["trace"]:
        assert squash(e["title"]) in flat
    # parties and the case file hash (reproducibility appendix)
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert data["buyer"]["name"] in flat and data["buyer"]["account"] in flat
    assert data["merchant"]["name"] in flat
    assert result["case"]["sha256"] in flat
    # deadlines as dates
    for d in result["deadlines"]:
        if d["date"]:
            y, m, dd = map(int, d["date"].split("-"))
            assert f"{y}年{m}月{dd}日" in flat
    # page numbers: "第 X 页 共 Y 页" on every page, Y = the real page count
    assert pages >= 3
    for x in range(1, pages + 1):
        assert f"第{x}页共{pages}页" in flat
    assert f"共{pages + 1}页" not in flat


def test_criminal_opinion_amounts_band_and_thresholds():
    case = EXAMPLES / "criminal-guangdong.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    _, text, _ = rendered("opinion", case)
    flat = squash(text)
    assert result["tracks"]["criminal"]["band"] == "large"
    assert "数额较大" in flat
    assert "6,800" in flat and "1,300" in flat and "5,500" in flat
    for band, amount in result["thresholds"]["used"].items():
        if isinstance(amount, (int, float)):
            assert f"{int(amount):,}" in flat
    for p in result["tracks"]["criminal"]["penalties"]:
        assert squash(p["text"]) in flat


@pytest.mark.parametrize("file,name,band,zh", [
    ("guangdong.yaml", "6,000 元整", "large", "数额较大"),
    ("guangdong.yaml", "100,000 元：数额巨大", "huge", "数额巨大"),
    ("guangdong.yaml", "500,000 元", "especially_huge", "数额特别巨大"),
])
def test_each_band_in_the_opinion_and_the_report(tmp_path, file, name, band, zh):
    case = golden_case(tmp_path, file, name)
    result = evaluate_file(case, as_of=AS_OF)
    assert result["tracks"]["criminal"]["band"] == band
    _, text, _ = rendered("opinion", case)
    flat = squash(text)
    assert f"数额档次：{zh}" in flat
    for p in result["tracks"]["criminal"]["penalties"]:
        if p["status"] == "definite":
            assert squash(p["text"]) in flat
    _, rtext, _ = rendered("report", case)
    rflat = squash(rtext)
    assert "立案侦查" in rflat
    for c in cited(result, ("criminal",)):
        if c["id"].startswith(("criminal-law/266", "fraud-interpretation/1")):
            assert squash(c["text"]) in rflat


def test_unknown_intent_shows_the_conditional_branches():
    case = EXAMPLES / "unknown-intent-hubei.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    _, text, _ = rendered("opinion", case)
    flat = squash(text)
    assert result["scenarios"], "the example should have an unknown deciding fact"
    for s in result["scenarios"]:
        assert squash(s["label"]["zh"]) in flat
    assert "若能证明" in flat and "若不能证明" in flat
    assert "取决于" in flat


def test_2025_conduct_decided_in_2026_quotes_the_text_applied(tmp_path):
    # example: 情节较重 unknown -> which PSAPL text applies is conditional; both texts quoted
    case = EXAMPLES / "transition-2025-shanghai.yaml"
    on = date(2026, 2, 1)
    result = evaluate_file(case, as_of=on)
    flat = squash(rendered("opinion", case, as_of=on)[1])
    assert not isinstance(result["law_applied"]["psapl_edition"], str)
    assert "适用的《治安管理处罚法》文本：取决于尚未查明的事实" in flat
    law_cites = cited(result, ("law",))
    assert {c["id"] for c in law_cites} >= {"psapl/49", "psapl/58"}
    for c in law_cites:
        assert squash(c["text"]) in flat
    # golden case: basic tier, decided in 2026 -> the lighter 2025 text, art. 58
    case = golden_case(tmp_path, "special.yaml", "2026 年评估（一般情节）")
    result = evaluate_file(case, as_of=on)
    assert result["law_applied"]["psapl_edition"] == "2025"
    flat = squash(rendered("opinion", case, as_of=on)[1])
    assert "适用的《治安管理处罚法》文本：2025年文本" in flat
    for c in cited(result, ("law", "administrative")):
        assert squash(c["text"]) in flat
    rflat = squash(rendered("report", case, as_of=on)[1])
    assert result["primary_track"] == "administrative"
    assert "给予治安管理处罚" in rflat and "立案侦查" not in rflat
    quoted = 0
    for e in result["trace"]:
        if e["rule"].startswith("admin.penalty.") and e["status"] == "definite":
            for c in e["cites"]:
                assert squash(c["text"]) in rflat
                quoted += 1
    assert quoted


def test_report_parts_and_marked_suggestion_for_the_police_organ():
    case = EXAMPLES / "criminal-guangdong.yaml"
    _, text, _ = rendered("report", case)
    flat = squash(text)
    assert "报案材料" in flat
    assert "深圳市公安局南山区分局" in flat and "【建议，请核实】" in flat
    assert "公安（分）局" not in flat
    assert "tb_zhang_0001" in flat
    assert "2025111700067890" in flat and "2025110300012345" in flat
    # chronological: the earlier incident is told first
    assert flat.index("2025年11月3日") < flat.index("2025年11月17日")
    # numbered evidence; files without a hash print a marked blank
    assert "【待补充：SHA-256值" in flat
    assert "追缴" in flat


def test_appeal_grounds_quote_the_civil_provisions():
    case = EXAMPLES / "criminal-guangdong.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    _, text, _ = rendered("appeal", case)
    flat = squash(text)
    assert "申诉书" in flat and "淘宝" in flat
    for c in cited(result, ("civil",)):          # the platform's own duties are not argued
        assert squash(c["text"]) in flat
    assert "6,800" in flat


def test_english_opinion():
    case = EXAMPLES / "criminal-guangdong.yaml"
    result = evaluate_file(case, as_of=AS_OF, lang="en")
    doc, text, pages = rendered("opinion", case, lang="en")
    flat = squash(text)
    assert "LegalOpinion" in flat and f"Page1of{pages}" in flat
    assert "Attachment2:Reasoning" in flat
    for c in cited(result, ("criminal",)):
        assert squash(c["text"]) in flat          # quoted in Chinese, the authentic text
    assert "<html lang=\"en\">" in documents.render("opinion", case, as_of=AS_OF, lang="en",
                                                    fmt="html").content


def test_fonts_are_embedded_and_chinese():
    doc, _, _ = rendered("opinion", EXAMPLES / "criminal-guangdong.yaml")
    import io
    reader = pypdf.PdfReader(io.BytesIO(doc.content))
    names, embedded = set(), set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc_font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            fd = desc_font["/FontDescriptor"].get_object()
            name = str(desc_font["/BaseFont"])
            names.add(name)
            if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(name)
    assert names and names == embedded
    cjk = {n.split("+", 1)[1] for n in names if "CJK" in n}
    # the compact cut of Noto Serif CJK SC (assess/fonts.py) in its two real weights, and no
    # full face: every character of this opinion is in the cut
    assert cjk == {"Noto-Serif-CJK-SC-Common", "Noto-Serif-CJK-SC-Common-Bold"}, cjk


def test_html_format_and_lang():
    html = documents.render_document("opinion", EXAMPLES / "criminal-guangdong.yaml",
                                     as_of=AS_OF, fmt="html")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert 'name="dcterms.created" content="2026-01-15T00:00:00+08:00"' in html


# --------------------------------------------------------------------------- security

PAYLOADS = ['<img src="file:///etc/passwd">', '<link rel="attachment" href="http://127.0.0.1:9/x.css">',
            "{{ 7*7 }}", '<link rel="stylesheet" href="file:///etc/passwd">']


def injection_case(tmp_path: Path) -> Path:
    data = yaml.safe_load((EXAMPLES / "criminal-guangdong.yaml").read_text(encoding="utf-8"))
    p = " ".join(PAYLOADS)
    data["title"] = "标题" + PAYLOADS[2]
    data["buyer"]["name"] = "张三" + PAYLOADS[0]
    data["buyer"]["account"] = "acct" + PAYLOADS[1]
    data["merchant"]["name"] = "店" + PAYLOADS[3]
    data["incidents"][0]["goods"] = "耳机" + p
    data["incidents"][0]["photos"][0]["description"] = "照片" + p
    data["evidence"][0]["description"] = "订单" + p
    data["notes"] = "备注" + p
    path = tmp_path / "inject.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["opinion", "report", "appeal"])
def test_injected_markup_prints_literally_and_fetches_nothing(tmp_path, kind):
    from assess import paths
    from assess.pdf import make_fetcher

    case = injection_case(tmp_path)
    fetcher = make_fetcher(paths.templates_dir() / "assets")
    doc = documents.render(kind, case, as_of=AS_OF, fmt="pdf", fetcher=fetcher)
    # only the stylesheet and the font cut (assess/fonts.py) were asked for
    assert fetcher.blocked == []
    from assess.fonts import font_face_css
    cut = {f.as_uri() for f in font_face_css()[1]}
    assert all(u.startswith("file://") and "/templates/assets/" in u or u in cut
               for u in fetcher.calls), fetcher.calls
    text, _ = pdf_text(doc.content)
    flat = squash(text)
    for payload in PAYLOADS:
        assert squash(payload) in flat, payload
    import io
    reader = pypdf.PdfReader(io.BytesIO(doc.content))
    assert not reader.attachments
    html = documents.render_document(kind, case, as_of=AS_OF, fmt="html")
    assert "<img" not in html and '<link rel="attachment"' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_fetcher_refuses_everything_outside_assets(tmp_path):
    from assess import paths
    from assess.pdf import html_to_pdf, make_fetcher

    assets = paths.templates_dir() / "assets"
    for url in ["file:///etc/passwd", "http://127.0.0.1:9/x.css",
                f"file://{assets}/%2e%2e/%2e%2e/README.md", f"file://{assets}/../strings.yaml"]:
        fetcher = make_fetcher(assets)
        html = f'<html><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>'
        with pytest.raises(AssessError, match="outside templates/assets"):
            html_to_pdf(html, base_url=paths.templates_dir(), assets_dir=assets, fetcher=fetcher)
        assert fetcher.blocked


# --------------------------------------------------------------------------- reproducible

def test_same_inputs_give_byte_identical_pdfs_in_separate_processes(tmp_path):
    # a frozen copy of the data: the shared tree may change between the two runs
    home = tmp_path / "home"
    for d in ("rules", "statutes", "templates"):
        shutil.copytree(ROOT / d, home / d)
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}.pdf"
        r = cli("opinion", EXAMPLES / "criminal-guangdong.yaml", "--as-of", "2026-01-15",
                "--rules-dir", home, "-o", out, env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    import io
    meta = pypdf.PdfReader(io.BytesIO(outs[0])).metadata
    assert meta.creation_date.date() == date(2026, 1, 15)
    assert meta.modification_date.date() == date(2026, 1, 15)


# --------------------------------------------------------------------------- missing facts

def sparse_case(tmp_path: Path) -> Path:
    data = yaml.safe_load((EXAMPLES / "criminal-guangdong.yaml").read_text(encoding="utf-8"))
    del data["buyer"]["account"]
    del data["incidents"][1]["order_no"]
    path = tmp_path / "sparse.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_missing_facts_print_marked_blanks_and_warn(tmp_path):
    case = sparse_case(tmp_path)
    out = tmp_path / "r.pdf"
    r = cli("report", case, "--as-of", "2026-01-15", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "buyer.account" in r.stderr
    assert "incidents[2].order_no" in r.stderr
    flat = squash(pdf_text(out.read_bytes())[0])
    assert "【待补充：买家账号】" in flat
    assert "【待补充：订单号（第2次）】" in flat


def test_strict_fails_naming_the_missing_facts(tmp_path):
    case = sparse_case(tmp_path)
    out = tmp_path / "r.pdf"
    r = cli("report", case, "--as-of", "2026-01-15", "--strict", "-o", out)
    assert r.returncode == 2
    assert "buyer.account" in r.stderr and "incidents[2].order_no" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- bad input

def test_unwritable_output(tmp_path):
    r = cli("opinion", EXAMPLES / "criminal-guangdong.yaml", "--as-of", "2026-01-15",
            "-o", tmp_path / "no" / "such" / "dir" / "o.pdf")
    assert r.returncode == 2 and "does not exist" in r.stderr
    assert "Traceback" not in r.stderr


def test_broken_template_names_file_and_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for d in ("rules", "statutes"):
        (home / d).symlink_to(ROOT / d)
    shutil.copytree(ROOT / "templates", home / "templates")
    tpl = home / "templates" / "report.html.j2"
    lines = tpl.read_text(encoding="utf-8").splitlines()
    lines[20] = lines[20] + " {% if %}"
    tpl.write_text("\n".join(lines), encoding="utf-8")
    r = cli("report", EXAMPLES / "criminal-guangdong.yaml", "--as-of", "2026-01-15",
            "--rules-dir", home, "-o", tmp_path / "r.pdf")
    assert r.returncode == 2
    assert "report.html.j2:21" in r.stderr and "Traceback" not in r.stderr


def test_no_cjk_font_exits_2_with_the_install_hint(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    "<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
                    f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>", encoding="utf-8")
    out = tmp_path / "o.pdf"
    r = cli("opinion", EXAMPLES / "criminal-guangdong.yaml", "--as-of", "2026-01-15", "-o", out,
            env={"FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 2
    assert "apt-get install fonts-noto-cjk" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_characters_no_font_has_stop_the_pdf(tmp_path):
    data = yaml.safe_load((EXAMPLES / "criminal-guangdong.yaml").read_text(encoding="utf-8"))
    data["buyer"]["name"] = "张\U0002A6A5"          # 𪚥: not in Noto CJK SC
    case = tmp_path / "rare.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "o.pdf"
    r = cli("opinion", case, "--as-of", "2026-01-15", "-o", out)
    assert r.returncode == 2
    assert "\U0002A6A5" in r.stderr and "U+2A6A5" in r.stderr
    assert not out.exists()


def test_case_file_errors_are_one_clear_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: assess-case/1\nbuyer: {age: abc}\n", encoding="utf-8")
    r = cli("appeal", bad, "--as-of", "2026-01-15", "-o", tmp_path / "a.pdf")
    assert r.returncode == 2 and "bad.yaml:2" in r.stderr and "Traceback" not in r.stderr


def test_cli_import_stays_light():
    code = ("import sys, assess.cli; bad = [m for m in ('weasyprint', 'jinja2', 'pypdf') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_legal_wording_in_python():
    for name in ("documents.py", "pdf.py", "cli_documents.py"):
        src = (ROOT / "assess" / name).read_text(encoding="utf-8")
        assert not re.search(r"第[一二三四五六七八九十百零〇\d]+条|刑法|治安管理|民法典|诈骗", src), name


def test_the_appeal_asks_for_money_back_only_where_a_refund_was_paid():
    from assess.documents import render_document

    root = Path(__file__).resolve().parent.parent / "examples"
    attempt = render_document("appeal", root / "attempt-chongqing.yaml",
                              as_of=date(2026, 1, 15), fmt="html")
    assert "驳回买家就订单" in attempt and "由买家返还已退款项" not in attempt   # not paid
    paid = render_document("appeal", root / "criminal-guangdong.yaml",
                           as_of=date(2026, 1, 15), fmt="html")
    assert "由买家返还已退款项 6,800 元" in paid and "驳回买家就订单" not in paid
