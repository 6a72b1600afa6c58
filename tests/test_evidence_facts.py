"""The case file's evidence_analysis block: parsing, clear errors, the facts the rules read, and
the block `assess evidence` offers (assess/evidence/findings.case_block, casefile)."""
from datetime import date

import pytest

from assess.case import parse_case
from assess.errors import AssessErrors
from assess.evidence.casefile import replace_block
from assess.evidence.findings import case_block
from assess.facts import evidence_facts

BASE = {"format": "assess-case/1",
        "incidents": [{"date": "2025-12-31", "amount": 800, "photo_method": "genuine"}]}


def case_with(block):
    data = dict(BASE)
    if block is not None:
        data["evidence_analysis"] = block
    return parse_case(data, as_of=date(2026, 2, 1))


def test_no_block_means_not_analysed_and_everything_unknown():
    f = evidence_facts(case_with(None))
    assert f["evidence_analysed"] == "no"
    assert f["ai_label_present"] == "unknown" and f["photo_derived_from_listing"] == "unknown"
    assert "evidence_analysis" not in case_with(None).data


@pytest.mark.parametrize("raw,present,value", [(1, "yes", "1"), ("3", "yes", "3"),
                                               ("none", "no", "none"), (False, "no", "none"),
                                               ("unknown", "unknown", None)])
def test_label_values_as_a_user_writes_them(raw, present, value):
    f = evidence_facts(case_with({"ai_label": raw}))
    assert f["evidence_analysed"] == "yes"
    assert f["ai_label_present"] == present
    for v in ("1", "2", "3", "none"):
        assert f["ai_label"][v] == ("unknown" if value is None else "yes" if v == value else "no")


def test_producer_and_derivation_facts():
    f = evidence_facts(case_with({"ai_label": 1, "ai_label_producer": "豆包",
                                  "derived_from_listing": "no", "changed_region": "unknown"}))
    assert f["ai_label_producer_known"] == "yes"
    assert f["photo_derived_from_listing"] == "no"
    assert f["changed_region_found"] == "no"          # no derived photo: no region in one
    f = evidence_facts(case_with({"ai_label": 1, "derived_from_listing": "yes"}))
    assert f["ai_label_producer_known"] == "no"
    assert f["changed_region_found"] == "unknown" and f["c2pa_ai_source"] == "unknown"


def test_bad_values_are_reported_with_line_and_field(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_text("format: assess-case/1\nevidence_analysis:\n  ai_label: 4\n  derivd: yes\n",
                 encoding="utf-8")
    from assess.case import load_case
    with pytest.raises(AssessErrors) as exc:
        load_case(p)
    errors = exc.value.errors
    assert [(e.line, e.field) for e in errors] == [(3, "evidence_analysis.ai_label"),
                                                    (4, "evidence_analysis.derivd")]
    assert "1, 2, 3, none, unknown" in errors[0].hint
    assert "derived_from_listing" in errors[1].expected


def _photo(label=None, c2pa_checked=True):
    return {"file": "b.jpg", "sha256": "0" * 64, "role": "photo",
            "labels": [{"label": label, "form": "xmp-element", "producer": {"value": "X公司"},
                        "fields": {}}] if label else [],
            "c2pa": {"checked": c2pa_checked, "present": False}, "metadata": {}}


def test_case_block_from_an_analysis():
    derived = {"photo": "b.jpg", "listing": "l.jpg", "identical": False,
               "result": {"same_scene": True, "derived": True, "regions": [{"box": [1, 2, 3, 4]}]}}
    block = case_block([_photo("1")], [derived], date(2026, 12, 3))
    assert block == {"analysed_on": "2026-12-03", "ai_label": "1", "ai_label_producer": "X公司",
                     "c2pa_ai_source": "no", "derived_from_listing": "yes", "changed_region": "yes"}
    # no listing photo compared, C2PA not checked: unknown, never "no"
    block = case_block([_photo(None, c2pa_checked=False)], [], date(2026, 12, 3))
    assert block["ai_label"] == "none" and block["c2pa_ai_source"] == "unknown"
    assert block["derived_from_listing"] == "unknown" and block["changed_region"] == "unknown"
    # no buyer photo could be read: the label is unknown, not "none"
    assert case_block([], [], date(2026, 12, 3))["ai_label"] == "unknown"


def test_the_block_parses_as_the_case_file_field():
    block = case_block([_photo("2")], [], date(2026, 12, 3))
    text = "format: assess-case/1\n# keep me\nevidence_analysis:\n  ai_label: 1\n# and me\ntitle: t\n"
    new = replace_block(text, block)
    assert "# keep me" in new and "# and me" in new and "title: t" in new
    import yaml
    data = yaml.safe_load(new)
    case = parse_case(data, as_of=date(2026, 12, 3))
    assert case.evidence_analysis["ai_label"] == "2"
    assert case.evidence_analysis["analysed_on"] == date(2026, 12, 3)
