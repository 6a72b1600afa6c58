"""Citations of paragraphs (款) and items (项): syntax, the parts of a text, checks, trace."""
from datetime import date
from pathlib import Path

import pytest

from assess.assessment import evaluate_file, load
from assess.citations import Cite, paragraphs, parse_cite, part_label, part_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, want", [
    ("criminal-law/266", Cite("criminal-law/266")),
    ("criminal-law/17#4", Cite("criminal-law/17", 4)),
    ("fraud-interpretation/2#1.3", Cite("fraud-interpretation/2", 1, 3)),
    ("psapl/49@conduct", Cite("psapl/49", on="conduct")),
    ("fraud-interpretation/5#1@decision", Cite("fraud-interpretation/5", 1, None, "decision")),
    ("criminal-law/17#0", None), ("criminal-law/17#", None), ("psapl/49@later", None),
    ("criminal law 266", None),
])
def test_the_citation_form(text, want):
    assert parse_cite(text) == want


def test_paragraphs_and_items_come_from_the_statute_text():
    lib, _ = load()
    art2 = lib.provisions["fraud-interpretation/2"].versions[-1].text
    paras = paragraphs(art2)
    assert len(paras) == 2 and len(paras[0][1]) == 5          # 第一款 with items （一）–（五）
    assert part_text(art2, 1, 4).startswith("（四）诈骗残疾人")
    assert part_text(art2, 2).startswith("诈骗数额接近")
    assert part_text(art2, 3) is None and part_text(art2, 1, 6) is None
    assert part_label("第二条", Cite("x/2", 1, 4)) == "第二条第一款第四项"
    assert part_label("第十七条", Cite("x/17", 12)) == "第十七条第十二款"


def test_a_paragraph_citation_is_traced_with_its_label_and_text():
    r = evaluate_file(ROOT / "examples" / "attempt-chongqing.yaml", as_of=date(2026, 1, 15))
    step = next(t for t in r["trace"] if t["rule"] == "fraud.attempt")
    c = next(c for c in step["cites"] if c["id"] == "fraud-interpretation/5")
    assert c["label"] == "第五条第一款" and c["paragraph"] == 1
    assert c["part_text"].startswith("第五条 诈骗未遂，以数额巨大的财物为诈骗目标的")
    assert "利用发送短信" not in c["part_text"] and "利用发送短信" in c["text"]


def test_an_annex_of_a_standard_is_named_by_its_title_in_english():
    from assess.citations import cite_label

    annex = {"id": "gb-45438/annex-e", "law": "GB 45438-2025", "article": "附录E（规范性）",
             "label": "附录E（规范性）", "title": {"zh": "文件元数据隐式标识格式",
                                                "en": "Format of the implicit label in file metadata"}}
    assert cite_label(annex, "en") == "GB 45438-2025, Format of the implicit label in file metadata"
    assert cite_label(annex, "zh") == "GB 45438-2025附录E（规范性）"
    article = {"id": "criminal-law/266", "law": "Criminal Law", "paragraph": None, "item": None}
    assert cite_label(article, "en") == "Criminal Law art. 266"
