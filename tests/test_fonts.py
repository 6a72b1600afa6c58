"""The font cut (assess/fonts.py): what it holds, that documents use it, and that a character
outside it still prints from the full font."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import yaml

from assess import fonts

pypdf = pytest.importorskip("pypdf")
ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 1, 15)

pytestmark = pytest.mark.skipif(fonts.font_face_css()[0] == "",
                                reason="Noto Serif CJK SC or uharfbuzz not installed")


def test_the_cut_holds_gb2312_and_not_the_rest():
    from fontTools.ttLib import TTFont

    css, files = fonts.font_face_css()
    assert len(files) == 2 and all(f.is_file() for f in files)
    assert css.count("@font-face") == 2 and fonts.CUT_FAMILY in css
    for path in files:
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        for ch in "诈骗罪数额较大仅退款《》〔〕①—“”（）：；Ⅱ×≥":
            assert ord(ch) in cmap, ch
        assert ord("喆") not in cmap            # a name character outside GB2312
        assert len(font.getGlyphOrder()) < 10000    # the full face has 65,535


def fonts_of(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_a_character_outside_the_cut_prints_from_the_full_font(tmp_path):
    from assess import documents

    data = yaml.safe_load((ROOT / "examples" / "criminal-guangdong.yaml").read_text("utf-8"))
    data["buyer"]["name"] = "张喆"
    case = tmp_path / "rare.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = documents.render("report", case, as_of=AS_OF, fmt="pdf")
    reader = pypdf.PdfReader(io.BytesIO(doc.content))
    assert "张喆" in "".join(p.extract_text() for p in reader.pages)
    names = fonts_of(doc.content)
    assert "Noto-Serif-CJK-SC-Common" in names and "Noto-Serif-CJK-SC" in names, names


def test_the_fetcher_serves_the_cut_and_nothing_else_in_the_cache(tmp_path):
    from assess import paths
    from assess.pdf import make_fetcher

    _, files = fonts.font_face_css()
    fetcher = make_fetcher(paths.templates_dir() / "assets")
    assert fetcher.fetch(files[0].as_uri()) is not None
    other = files[0].parent / "other.otf"
    with pytest.raises(PermissionError):
        fetcher.fetch(other.as_uri())
    assert fetcher.blocked == [other.as_uri()]


def test_without_a_writable_cache_the_documents_use_the_installed_font(tmp_path):
    import subprocess
    import sys

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    out = tmp_path / "report.pdf"
    env = dict(__import__("os").environ, XDG_CACHE_HOME=str(blocker / "cache"),
               ASSESS_NO_PLACE_CACHE="1")
    r = subprocess.run([sys.executable, "-m", "assess.cli", "report",
                        str(ROOT / "examples" / "criminal-guangdong.yaml"), "--as-of",
                        "2026-01-15", "-o", str(out)], capture_output=True, text=True, env=env,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr
    names = fonts_of(out.read_bytes())
    assert "Noto-Serif-CJK-SC" in names and not any("Common" in n for n in names), names


def test_a_cut_removed_from_the_cache_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _, files = fonts.font_face_css()
    assert files and all(f.is_relative_to(tmp_path) and f.is_file() for f in files)
    first = files[0].read_bytes()
    files[0].unlink()
    _, again = fonts.font_face_css()
    assert again == files and files[0].read_bytes() == first     # the same bytes: reproducible


def test_english_documents_set_quotation_marks_at_their_latin_width(tmp_path):
    """The CJK face draws “ ” full-width, which left wide gaps around every quoted word of an
    English document (“damage”); English documents use its proportional forms (the cut keeps
    the feature), Chinese documents keep the full-width marks."""
    import shutil
    import subprocess

    from assess.pdf import html_to_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    assets = ROOT / "templates" / "assets"

    def width(lang: str) -> float:
        html = (f'<html lang="{lang}"><head><link rel="stylesheet" href="style.css"></head>'
                f'<body><p>“damage”</p></body></html>')
        pdf = tmp_path / f"{lang}.pdf"
        pdf.write_bytes(html_to_pdf(html, base_url=assets, assets_dir=assets))
        box = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
        import re
        m = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>',
                      box)
        assert m and "damage" in m.group(3), box
        return float(m.group(2)) - float(m.group(1))

    en, zh = width("en"), width("zh-CN")
    assert en < zh * 0.85, (en, zh)         # two marks of about 0.3 em instead of 1 em each
