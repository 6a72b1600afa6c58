"""The facts a conclusion depends on, named for a reader: the same field of several refund
requests is named once with the requests' numbers (assess/cases.py `named`), in `assess
evaluate`, the questionnaire's summary and the documents.  200 requests whose photo method is
unknown made an opinion of 86 pages, most of it "第1次申请：“损坏”照片的制作方式、第2次申请：…"."""
import sys
from pathlib import Path

import yaml

from assess.assessment import evaluate_file, fact_names
from assess.cases import is_summary, named

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_scale import AS_OF, long_case  # noqa: E402

PHOTO = "“损坏”照片的制作方式"


def test_requests_are_named_once_with_their_numbers_in_runs():
    items = [(1, "A"), "B", (2, "A"), (3, "A"), (5, "A"), (2, "C"), "B"]
    assert named(items, "zh") == ["第1–3、5次申请：A", "B", "第2次申请：C"]
    assert named(items, "en") == ["requests 1–3, 5: A", "B", "request 2: C"]
    assert named([(4, "A"), (4, "A")], "en") == ["request 4: A"]
    assert named([(7, "A"), (6, "A")], "zh") == ["第6–7次申请：A"]


def test_a_case_with_an_unknown_photo_method_in_every_request(tmp_path):
    path = long_case(tmp_path, 30)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for inc in data["incidents"]:
        inc["photo_method"] = "unknown"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = evaluate_file(path, as_of=AS_OF)
    texts = [result["headline"]["text"]] + [t["condition_text"] for t in result["trace"]
                                             if t.get("condition_text")]
    grouped = [x for x in texts if f"次申请：{PHOTO}" in x and "–" in x]
    assert grouped, texts[:3]
    for text in texts:        # a summary ("depending on") names the photo methods once
        if is_summary(text) or "；取决于：" in text:
            assert text.count(f"次申请：{PHOTO}") == 1, text
    on = result["tracks"]["criminal"]["conditional_on"]
    assert len([n for n in on if n in result["request_facts"]]) > 2
    names = fact_names(on, result, "zh")
    assert len([n for n in names if PHOTO in n]) == 1 and "–" in next(n for n in names if PHOTO in n)
    assert len(names) < len(on)

    from assess.documents import render_html
    html = render_html("opinion", path, as_of=AS_OF).content
    assert f"次申请：{PHOTO}" in html and "–" in html
    # a summarised condition reads after 若 (the documents print "（若……）")
    assert any(is_summary(t) for t in texts) and "若取决于" not in html
    for n in range(1, 30):     # never one request after another in a list of names
        assert f"第{n}次申请：{PHOTO}、第{n + 1}次申请：{PHOTO}" not in html
