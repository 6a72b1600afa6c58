"""Word documents (.docx, issue 14): each document opened with python-docx — headings by style,
quoted provisions by style, the conclusions, highlighted blanks, header rows repeated, page
numbers as fields, East Asian fonts, A4 — and its text equal to the HTML's and the PDF's apart
from layout; the same case gives the same bytes; --strict and -o behave as for PDF.
The slow test converts each .docx with LibreOffice (headless) and reads the PDF it makes."""
from __future__ import annotations

import base64
import difflib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

docx = pytest.importorskip("docx")
lxml_html = pytest.importorskip("lxml.html")

from docx.enum.text import WD_COLOR_INDEX  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

from assess import documents  # noqa: E402
from assess.word import html_to_docx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASE = EXAMPLES / "criminal-guangdong.yaml"
AS_OF = date(2026, 1, 15)
KINDS = ("opinion", "report", "appeal")
# the section whose numbered list is the document's conclusion (templates/strings.yaml keys)
CONCLUSION = {"opinion": ("opinion", "s_conclusion"), "report": ("report", "s_request"),
              "appeal": ("appeal", "s_request")}
WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return WS.sub("", text)


def cli(*args, cwd=ROOT, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=e)


_CACHE: dict = {}


def rendered(kind: str, fmt: str, lang: str = "zh", case: Path = CASE):
    key = (kind, fmt, lang, str(case))
    if key not in _CACHE:
        _CACHE[key] = documents.render(kind, case, as_of=AS_OF, lang=lang, fmt=fmt)
    return _CACHE[key]


def word(kind: str, lang: str = "zh"):
    return docx.Document(io.BytesIO(rendered(kind, "docx", lang).content))


def strings(lang: str = "zh") -> dict:
    return documents.load_strings(ROOT / "templates", lang)


def docx_text(d) -> str:
    """Every text run of the body, in document order (list numbers are not text)."""
    return "".join(t.text or "" for t in d.element.body.iter(qn("w:t")))


def html_body(html: str):
    body = lxml_html.document_fromstring(html).find("body")
    for style in body.iter("style"):
        style.text = ""
    return body


def paragraphs(d):
    """The body's paragraphs in order, those in table cells included."""
    from docx.text.paragraph import Paragraph
    return [Paragraph(p, d) for p in d.element.body.iter(qn("w:p"))]


def numbered(p) -> bool:
    return p._p.pPr is not None and p._p.pPr.numPr is not None


# --------------------------------------------------------------------------- structure

@pytest.mark.parametrize("kind", KINDS)
def test_headings_are_word_heading_styles(kind):
    d = word(kind)
    html = html_body(rendered(kind, "html").content)
    for level in (1, 2, 3):
        want = [squash(h.text_content()) for h in html.iter(f"h{level}")]
        got = [squash(p.text) for p in d.paragraphs if p.style.name == f"Heading {level}"]
        assert got == want
    title = strings()[CONCLUSION[kind][0]]["doc_title"]
    assert squash(d.paragraphs[0].text) == squash(title)
    assert d.paragraphs[0].style.name == "Heading 1"
    # the outline level comes with Word's built-in heading styles (navigation pane, TOC)
    assert d.styles["Heading 2"].element.pPr.find(qn("w:outlineLvl")) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_quoted_provisions_have_a_style_of_their_own(kind):
    d = word(kind)
    html = html_body(rendered(kind, "html").content)
    quoted = [squash(p.text_content()) for p in html.iter("p")
              if "ptext" in (p.get("class") or "").split()]
    got = [squash(p.text) for p in paragraphs(d) if p.style.name == "Provision"]
    assert quoted and got == quoted
    titles = [p for p in paragraphs(d) if p.style.name == "Provision Title"]
    assert len(titles) == len([p for p in html.iter("p")
                               if "ptitle" in (p.get("class") or "").split()])
    # the statute texts the result cites are what is quoted
    result = rendered(kind, "html").context["result"]
    texts = {squash(part) for e in result["trace"] for c in e["cites"]
             for part in c["text"].split("\n\n") if part.strip()}
    assert set(got) <= texts
    style = d.styles["Provision"]
    assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


@pytest.mark.parametrize("kind", KINDS)
def test_the_conclusions_are_a_numbered_list_under_their_heading(kind):
    d = word(kind)
    section, key = CONCLUSION[kind]
    heading = squash(strings()[section][key])
    html = html_body(rendered(kind, "html").content)
    h2 = next(h for h in html.iter("h2") if squash(h.text_content()) == heading)
    ol = next(el for el in h2.itersiblings() if el.tag == "ol")
    want = [squash(li.text_content()) for li in ol if li.tag == "li"]
    ps = d.paragraphs
    start = next(i for i, p in enumerate(ps) if p.style.name == "Heading 2"
                 and squash(p.text) == heading)
    got = []
    for p in ps[start + 1:]:
        if p.style.name.startswith("Heading"):
            break
        if numbered(p):
            got.append(squash(p.text))
    assert want and got[:len(want)] == want
    # the list starts at 1 again: its own numbering instance, restarted
    num_id = next(p for p in ps[start + 1:] if numbered(p))._p.pPr.numPr.numId.val
    num = d.part.numbering_part.element.num_having_numId(num_id)
    assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


@pytest.mark.parametrize("kind", KINDS)
def test_tables_are_real_tables_repeating_their_header_row(kind):
    d = word(kind)
    html = html_body(rendered(kind, "html").content)
    tables = list(html.iter("table"))
    body_tables = d.element.body.findall(".//" + qn("w:tbl"))
    assert len(body_tables) == len(tables) > 0
    for t_html, t_word in zip(tables, body_tables):
        header_rows = len(t_html.findall("thead/tr"))
        rows = t_word.findall(qn("w:tr"))
        marked = [r.find(qn("w:trPr")) is not None
                  and r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for r in rows]
        assert marked == [i < header_rows for i in range(len(rows))]
    assert any(t.findall("thead/tr") for t in tables)
    # tr { break-inside: avoid } in assets/style.css: no row is split across pages
    assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
               for t in body_tables for r in t.findall(qn("w:tr")))


@pytest.mark.parametrize("kind", KINDS)
def test_blanks_to_complete_are_highlighted(kind):
    d = word(kind)
    html = html_body(rendered(kind, "html").content)
    want = [squash(s.text_content()) for s in html.iter("span")
            if "blank" in (s.get("class") or "").split()]
    runs = [r for p in paragraphs(d) for r in p.runs if r.style.name == "Blank"]
    assert want, "the example leaves something to complete"
    assert squash("".join(r.text for r in runs)) == "".join(want)
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)
    assert d.styles["Blank"].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_page_a4_fonts_east_asian_and_page_numbers_as_fields():
    d = word("opinion")
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert all(Mm(20) <= m <= Mm(35) for m in (s.top_margin, s.bottom_margin, s.left_margin,
                                               s.right_margin))
    east = {name: d.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
            for name in ("Normal", "Heading 1", "Heading 2", "Heading 3")}
    assert east == {"Normal": "宋体", "Heading 1": "黑体", "Heading 2": "黑体",
                    "Heading 3": "黑体"}
    for name in ("Normal", "Heading 1"):      # no theme font overriding the named ones
        assert d.styles[name].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None
    footer = s.footer.paragraphs[0]
    fields = [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    page = strings()["page"]
    words = [r.text for r in footer.runs]
    assert words == [page["before"], page["middle"], page["after"]]
    # as in the PDF: the document number heads every page but the first, which has the
    # page number too
    assert s.different_first_page_header_footer
    first = s.first_page_footer.paragraphs[0]
    assert [f.get(qn("w:instr")) for f in first._p.iter(qn("w:fldSimple"))] == fields
    number = next(p.text for p in d.paragraphs if p.style.name == "Document Number")
    assert s.header.paragraphs[0].text == number and not s.first_page_header.paragraphs[0].text


def test_column_widths_follow_the_stylesheet():
    d = word("opinion")
    kv = d.tables[0]                           # table.kv th { width: 26% } in assets/style.css
    widths = [c.width for c in kv.rows[0].cells]
    assert round(widths[0] / sum(widths), 2) == 0.26
    html = html_body(rendered("opinion", "html").content)
    incidents = next(i for i, t in enumerate(html.iter("table"))
                     if "incidents" in t.get("class", ""))
    cells = d.tables[incidents].rows[0].cells  # table.incidents th:nth-child(1) { width: 6% }
    assert round(cells[0].width / sum(c.width for c in cells), 2) == 0.06


# --------------------------------------------------------------------------- same content

def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def layout_only(pdf: str, d, page: dict) -> re.Pattern:
    """What the PDF shows and the .docx holds as layout, not text: page numbers, the
    running header (the document number), list numbers and bullets, table header rows the
    PDF repeats on a new page."""
    running = [squash(p.text) for p in d.paragraphs if p.style.name == "Document Number"]
    headers = ["".join(squash(c.text) for c in t.rows[0].cells) for t in d.tables
               if t.rows and t.rows[0]._tr.find(".//" + qn("w:tblHeader")) is not None]
    parts = [re.escape(squash(page["before"])) + r"\d+" + re.escape(squash(page["middle"]))
             + r"\d+" + re.escape(squash(page["after"])), r"\d+\.", "•"]
    parts += [re.escape(x) for x in running + headers if x]
    return re.compile("(?:" + "|".join(parts) + ")+")


@pytest.mark.parametrize("kind", KINDS)
def test_text_equals_the_html_and_the_pdf_apart_from_layout(kind, tmp_path):
    d = word(kind)
    text = squash(docx_text(d))
    assert text == squash(html_body(rendered(kind, "html").content).text_content())
    pdf = squash(pdf_text(rendered(kind, "pdf").content, tmp_path))
    allowed = layout_only(pdf, d, strings()["page"])
    diff = [(op, pdf[i1:i2], text[j1:j2]) for op, i1, i2, j1, j2 in
            difflib.SequenceMatcher(None, pdf, text, autojunk=False).get_opcodes()
            if op != "equal"]
    assert diff, "the PDF has page numbers the .docx holds as fields"
    assert all(op == "delete" and allowed.fullmatch(p) for op, p, _ in diff), diff[:5]


def test_english_document():
    d = word("opinion", "en")
    assert squash(docx_text(d)) == squash(html_body(rendered("opinion", "html", "en").content)
                                          .text_content())
    assert d.paragraphs[0].text == strings("en")["opinion"]["doc_title"]
    lang = d.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-US" and lang.get(qn("w:eastAsia")) == "zh-CN"
    footer = [r.text for r in d.sections[0].footer.paragraphs[0].runs]
    assert footer[0] == strings("en")["page"]["before"]


def test_a_change_to_the_strings_shows_in_the_docx(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for sub in ("rules", "statutes"):
        (home / sub).symlink_to(ROOT / sub)
    shutil.copytree(ROOT / "templates", home / "templates")
    file = home / "templates" / "strings.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["appeal"]["doc_title"]["zh"] = "申诉书（改）"
    data["page"]["before"]["zh"] = "页码 "
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = documents.render("appeal", CASE, as_of=AS_OF, fmt="docx", base=home)
    d = docx.Document(io.BytesIO(doc.content))
    assert d.paragraphs[0].text == "申诉书（改）"
    assert d.sections[0].footer.paragraphs[0].runs[0].text == "页码 "


# --------------------------------------------------------------------------- the converter

def test_converter_is_generic_pictures_lists_spans_and_line_breaks():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="JPEG")
    uri = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()
    big = io.BytesIO()
    Image.new("RGB", (4000, 1000), (0, 0, 0)).save(big, format="PNG")
    big_uri = "data:image/png;base64," + base64.b64encode(big.getvalue()).decode()
    html = f"""<html lang="zh-CN"><head><title>T</title>
      <meta name="dcterms.created" content="2026-01-15T00:00:00+08:00">
      <style>.annex {{ break-before: page }} .annex .ptext {{ white-space: pre-line }}
             th.wide {{ width: 60% }}</style></head><body>
      <h2>证据  图片</h2>
      <figure class="evidence-figure"><img src="{uri}" alt="证据 1"><figcaption>图 1</figcaption></figure>
      <p>甲<br>乙 <b>丙</b><span class="unknown-class">丁</span></p>
      <section class="annex"><h3>附</h3><p class="ptext">第一行
      第二行</p></section>
      <p><img src="{big_uri}"><img src="file:///etc/passwd"><img src="data:image/png;base64,AAAA"></p>
      <ol><li>一</li><li>二<ul><li>子</li></ul></li></ol><ol><li>再一</li></ol>
      <table><thead><tr><th class="wide">A</th><th>B</th><th>C</th></tr></thead><tbody>
      <tr><td rowspan="2">x</td><td colspan="2">yz</td></tr><tr><td>q</td><td>r</td></tr>
      </tbody></table></body></html>"""
    d = docx.Document(io.BytesIO(html_to_docx(html, page_words=("P", "/", ""))))
    assert squash(docx_text(d)) == squash(html_body(html).text_content())
    assert len(d.inline_shapes) == 2         # file: and unreadable pictures are left out
    width = d.sections[0].page_width - d.sections[0].left_margin - d.sections[0].right_margin
    assert d.inline_shapes[1].width <= width
    assert d.inline_shapes[0]._inline.docPr.get("descr") == "证据 1"
    p = next(p for p in d.paragraphs if p.text.startswith("甲"))
    assert p.text == "甲\n乙 丙丁" and p.runs[-2].bold
    quote = next(p for p in d.paragraphs if p.style.name == "Provision")
    assert quote.text == "第一行\n第二行"          # white-space: pre-line from the <style>
    annex = next(p for p in d.paragraphs if p.text == "附")
    assert annex.paragraph_format.page_break_before      # break-before: page
    assert sum(1 for p in d.paragraphs if p.paragraph_format.page_break_before) == 1
    lists = [(p.text, p.style.name) for p in d.paragraphs if p.style.name.startswith("List")]
    assert lists == [("一", "List Number"), ("二", "List Number"), ("子", "List Bullet 2"),
                     ("再一", "List Number")]
    firsts = {p.text: p._p.pPr.numPr.numId.val for p in d.paragraphs if p.text in ("一", "再一")}
    assert firsts["一"] != firsts["再一"]   # the second list starts at 1 again
    t = d.tables[0]
    assert [c.text for c in t.rows[1].cells] == ["x", "yz", "yz"]
    assert [c.text for c in t.rows[2].cells] == ["x", "q", "r"]
    # the first row decides (table-layout: fixed): A 60 %, B and C share the rest
    widths = [c.width for c in t.rows[1].cells]
    assert round(widths[0] / (widths[0] + widths[1]), 2) == 0.6 and widths[1] == widths[2]
    assert d.core_properties.title == "T"
    assert d.core_properties.created == datetime(2026, 1, 14, 16, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- bytes and CLI

def test_same_case_same_bytes_in_separate_processes(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}.docx"
        r = cli("appeal", CASE, "--as-of", "2026-01-15", "-o", out,
                env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == rendered("appeal", "docx").content
    with zipfile.ZipFile(io.BytesIO(outs[0])) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(outs[0])).core_properties
    as_of_utc = datetime(2026, 1, 14, 16, tzinfo=timezone.utc)     # 2026-01-15 00:00 +08:00
    assert props.created == props.modified == props.last_printed == as_of_utc
    assert props.revision == 1 and props.author == "" and props.last_modified_by == ""


def test_format_follows_the_extension_or_the_option(tmp_path):
    out = tmp_path / "opinion.docx"
    r = cli("opinion", CASE, "--as-of", "2026-01-15", "-o", out)
    assert r.returncode == 0, r.stderr
    assert zipfile.is_zipfile(out) and docx.Document(str(out)).paragraphs[0].text
    sheet = yaml.safe_load((tmp_path / "opinion.verification.json").read_text(encoding="utf-8"))
    assert sheet["document"]["format"] == "docx"
    other = tmp_path / "report.bin"
    r = cli("report", CASE, "--as-of", "2026-01-15", "--format", "docx", "-o", other)
    assert r.returncode == 0, r.stderr
    assert docx.Document(str(other)).paragraphs[0].style.name == "Heading 1"


def sparse_case(tmp_path: Path) -> Path:
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    del data["buyer"]["account"]
    path = tmp_path / "sparse.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_strict_refuses_blanks_as_for_pdf(tmp_path):
    case = sparse_case(tmp_path)
    out = tmp_path / "r.docx"
    r = cli("report", case, "--as-of", "2026-01-15", "--strict", "-o", out)
    assert r.returncode == 2 and "buyer.account" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    r = cli("report", case, "--as-of", "2026-01-15", "-o", out)
    assert r.returncode == 0 and "buyer.account" in r.stderr
    blanks = [r.text for p in paragraphs(docx.Document(str(out))) for r in p.runs
              if r.style.name == "Blank"]
    assert "【待补充：买家账号】" in blanks


def test_output_is_never_destroyed(tmp_path):
    out = tmp_path / "a.docx"
    out.write_bytes(b"keep")
    r = cli("appeal", CASE, "--as-of", "2026-01-15", "-o", out)
    assert r.returncode == 2 and "exists" in r.stderr and out.read_bytes() == b"keep"
    r = cli("appeal", CASE, "--as-of", "2026-01-15", "-o", out, "--force")
    assert r.returncode == 0 and zipfile.is_zipfile(out)
    (tmp_path / "d.docx").mkdir()
    r = cli("appeal", CASE, "--as-of", "2026-01-15", "-o", tmp_path / "d.docx", "--force")
    assert r.returncode == 2 and "directory" in r.stderr
    link = tmp_path / "l.docx"
    link.symlink_to(out)
    r = cli("appeal", CASE, "--as-of", "2026-01-15", "-o", link, "--force")
    assert r.returncode == 2 and "symbolic link" in r.stderr
    case = tmp_path / "case.docx"
    shutil.copy(CASE, case)
    r = cli("appeal", case, "--as-of", "2026-01-15", "-o", case, "--force")
    assert r.returncode == 2 and "input file" in r.stderr
    assert case.read_bytes() == CASE.read_bytes()


# --------------------------------------------------------------------------- LibreOffice

@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice (libreoffice-writer-nogui) not installed")
def test_libreoffice_converts_each_docx_and_keeps_the_chinese(tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    files = []
    for kind in KINDS:
        f = tmp_path / f"{kind}.docx"
        f.write_bytes(rendered(kind, "docx").content)
        files.append(f)
    profile = tmp_path / "profile"            # a throw-away user profile: no shared state
    r = subprocess.run([office, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                        *map(str, files)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Error" not in r.stderr, r.stderr
    for kind, f in zip(KINDS, files):
        pdf = tmp_path / "pdf" / f"{kind}.pdf"
        assert pdf.is_file(), r.stdout + r.stderr
        text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                     text=True, check=True).stdout)
        d = docx.Document(str(f))
        page = strings()["page"]
        footer = (re.escape(squash(page["before"])) + r"\d+" + re.escape(squash(page["middle"]))
                  + r"\d+" + re.escape(squash(page["after"])))
        assert re.search(footer.replace(r"\d+", "1", 1), text)     # PAGE / NUMPAGES computed
        running = squash(d.sections[0].header.paragraphs[0].text)
        body = re.sub(footer, "", text).replace(running, "") if running else \
            re.sub(footer, "", text)           # a paragraph may run over a page break
        for p in d.paragraphs:                 # headings and quoted provisions, in Chinese
            if p.style.name.startswith("Heading") or p.style.name == "Provision":
                assert squash(p.text) in body
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "CJK" in fonts                  # the Chinese printed in a Chinese font
