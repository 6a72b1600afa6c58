"""The evidence section of the opinion and the police report, and the figures drawn for it
(assess/evidence/section.py, figures.py, templates/_evidence.html.j2), on the example with
photos (examples/photos/)."""
import base64
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from assess import documents
from assess.evidence import figures
from evidence_images import edited, jpeg, scene

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "examples" / "photos"
CASE = PHOTOS / "case-bowl-zhejiang.yaml"


@pytest.fixture(scope="module")
def rendered():
    from datetime import date
    out = {}
    for kind in ("opinion", "report"):
        r = documents.render(kind, CASE, as_of=date(2026, 2, 1), fmt="html")
        out[kind] = (r.content, r.context)
    return out


def section(html: str) -> str:
    start = html.index('<section class="evidence-photos">')
    return html[start:html.index("</section>", start)]


def test_each_photo_file_with_its_hash_how_obtained_and_findings(rendered):
    html, ctx = rendered["report"]
    part = section(html)
    for name in ("buyer-photo.jpg", "listing-1.jpg", "listing-2.jpg"):
        sha = hashlib.sha256((PHOTOS / name).read_bytes()).hexdigest()
        assert name in part and sha in part
    assert "2026年1月20日向平台书面申请调取的原始上传文件" in part          # how obtained
    assert "Label=1（人工智能生成合成）" in part and "EXAMPLE-AI-SERVICE-FICTITIOUS" in part
    assert "在区域（x=" in part and "处做了局部改动" in part
    assert "局限" in part and "不是结论" in part                           # indicators, limits
    files = ctx["evidence_photos"]["files"]
    assert [f["role"] for f in files] == ["photo", "listing", "listing"]
    # the merchant's own photos: no "no label" noise
    assert not [f for f in files[1]["findings"] if f["code"] == "no_label"]


def test_the_figure_is_embedded_small_and_outlines_the_region(rendered):
    html, ctx = rendered["report"]
    [fig] = ctx["evidence_photos"]["figures"]
    assert fig["photo"] == "buyer-photo.jpg" and fig["listing"] == "listing-1.jpg"
    assert fig["regions"] == 2 and fig["bytes"] <= figures.MAX_BYTES
    assert f'<img src="{fig["uri"]}"' in html
    assert re.findall(r'<img src="([^"]+)"', section(html)) == [fig["uri"]]   # nothing fetched
    img = Image.open(io.BytesIO(base64.b64decode(fig["uri"].split(",", 1)[1])))
    assert img.format == "JPEG" and img.height == figures.HEIGHT
    assert (np.asarray(img.convert("RGB")).astype(int) - figures.OUTLINE).__abs__().sum(2).min() < 60


def test_the_report_has_no_internal_identifiers_and_asks_for_the_originals(rendered):
    html, _ = rendered["report"]
    part = section(html)
    for pattern in (r"https?://", r"\bV-repo\b", r"\bV-2src\b", r"LawRefBook", r"evidence\.",
                    r"\.ya?ml\b", r"evidence_analysis", r"可信度"):
        assert not re.search(pattern, part), pattern
    # the only long hex strings are the evidence files' SHA-256
    shas = {hashlib.sha256(p.read_bytes()).hexdigest() for p in PHOTOS.glob("*.jpg")}
    assert set(re.findall(r"[0-9a-f]{64}", part)) <= shas
    assert "请依法向平台调取" in part
    assert "最高人民法院关于民事诉讼证据的若干规定" not in part     # civil-procedure quotes: opinion only


def test_the_opinion_quotes_the_evidence_provisions_with_their_doubt(rendered):
    html, _ = rendered["opinion"]
    part = section(html)
    assert "证据保全建议" in part and "公证或可信时间戳" in part and "打包视频" in part
    assert "《最高人民法院关于民事诉讼证据的若干规定》第九十四条" in part
    assert "由记录和保存电子数据的中立第三方平台提供或者确认的" in part
    assert "非官方转录，尚未与官方文本核对" in part
    # what the analysis supports, from the rules, in the opinion's advice
    assert "照片分析支持“人工智能生成”的陈述（标识）" in html


def test_english_section():
    from datetime import date
    html = documents.render("report", CASE, as_of=date(2026, 2, 1), lang="en",
                            fmt="html").content
    part = section(html)
    assert "Photo evidence and technical analysis" in part
    assert "with local changes in region" in part and "not a verdict" in part


def test_no_photos_no_section_and_no_analysis():
    from datetime import date
    r = documents.render("report", ROOT / "examples" / "criminal-guangdong.yaml",
                         as_of=date(2026, 1, 15), fmt="html")
    assert r.context["evidence_photos"] is None
    assert 'class="evidence-photos"' not in r.content


def test_photos_outside_the_case_folder_are_not_read(tmp_path):
    from datetime import date
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    data = yaml.safe_load(CASE.read_text("utf-8"))
    data["incidents"][0]["photos"][0]["file"] = str(PHOTOS / "buyer-photo.jpg")   # elsewhere
    for e in data["evidence"]:
        e.pop("file", None)
    (case_dir / "c.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    r = documents.render("report", case_dir / "c.yaml", as_of=date(2026, 2, 1), fmt="html")
    assert r.context["evidence_photos"] is None


def test_side_by_side_outlines_the_box_in_both_photos(tmp_path):
    listing = scene(400, 300, seed=4)
    buyer, expected = edited(listing)
    (tmp_path / "l.jpg").write_bytes(jpeg(listing))
    (tmp_path / "b.jpg").write_bytes(jpeg(buyer))
    from assess.evidence.analyse import analyse_files
    res = analyse_files([tmp_path / "b.jpg"], [tmp_path / "l.jpg"])
    c = res["comparisons"][0]["result"]
    assert c["derived"] and c["listing_to_photo"]
    box = c["regions"][0]["box"]
    data = figures.side_by_side(tmp_path / "b.jpg", tmp_path / "l.jpg", [box],
                                c["listing_to_photo"])
    img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    plain = figures.side_by_side(tmp_path / "b.jpg", tmp_path / "l.jpg", [])
    base = np.asarray(Image.open(io.BytesIO(plain)).convert("RGB")).astype(int)
    red = np.abs(img - base).sum(2) > 150            # what the outlines changed
    wa = round(buyer.width * figures.HEIGHT / buyer.height)
    left, right = red[:, :wa], red[:, wa + figures.GAP:]
    s = figures.HEIGHT / buyer.height
    ys, xs = np.nonzero(left)
    assert abs(xs.min() - box[0] * s) < 12 and abs(ys.min() - box[1] * s) < 12
    assert abs(xs.max() - (box[0] + box[2]) * s) < 12
    # in the listing photo the same place: the painted damage's box in listing pixels
    ys, xs = np.nonzero(right)
    sl = figures.HEIGHT / listing.height
    lx, ly = 0.55 * listing.width, 0.35 * listing.height      # edited()'s damage, listing pixels
    assert abs(xs.min() - lx * sl) < 15 and abs(ys.min() - ly * sl) < 15
    assert abs(box[0] - expected[0]) < 15 and abs(box[1] - expected[1]) < 15
    assert figures.data_uri(data).startswith("data:image/jpeg;base64,")


def test_a_file_that_cannot_be_decoded_gives_no_figure(tmp_path):
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff garbage")
    (tmp_path / "l.jpg").write_bytes(jpeg(scene(200, 150)))
    assert figures.side_by_side(tmp_path / "bad.jpg", tmp_path / "l.jpg", [[1, 1, 5, 5]]) is None


def test_the_example_records_what_a_fresh_analysis_finds():
    from assess.case import load_case
    from assess.evidence.analyse import analyse_files
    recorded = dict(load_case(CASE).evidence_analysis)
    fresh = analyse_files(case=CASE)["evidence_analysis"]
    recorded.pop("analysed_on"), fresh.pop("analysed_on")
    assert fresh == recorded
