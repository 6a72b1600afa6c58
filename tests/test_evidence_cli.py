"""`assess evidence`: text and JSON output, --case, and clear errors."""
import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from assess.cli import app
from evidence_images import edited, jpeg, jpeg_with_xmp, scene

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def make_photos(d: Path):
    listing = scene(400, 300, seed=1)
    buyer, expected = edited(listing)
    (d / "listing.jpg").write_bytes(jpeg(listing))
    (d / "buyer.jpg").write_bytes(jpeg_with_xmp(buyer))
    return expected


def test_text_output_in_english(tmp_path):
    make_photos(tmp_path)
    res = runner.invoke(app, ["evidence", str(tmp_path / "buyer.jpg"), "--listing",
                              str(tmp_path / "listing.jpg"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert out.startswith("These are indicators, not a verdict")
    assert "[strong] The file carries a GB 45438-2025 implicit label (xmp-element), Label=1" in out
    assert f"[strong] This photo is the merchant's listing photo {tmp_path / 'listing.jpg'} " \
           "with local changes in region (x=" in out
    assert "derived_from_listing: True" in out
    assert "No camera metadata (platforms often remove it)." in out


def test_json_output_is_the_library_result(tmp_path):
    make_photos(tmp_path)
    res = runner.invoke(app, ["evidence", str(tmp_path / "buyer.jpg"), "--listing",
                              str(tmp_path / "listing.jpg"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["lang"] == "zh"
    assert data["facts"]["ai_label_value"] == "1"
    assert data["facts"]["derived_from_listing"] is True
    assert [e["role"] for e in data["files"]] == ["photo", "listing"]
    assert "强" == data["files"][0]["findings"][0]["strength_text"]


def test_case_files_are_analysed_relative_to_the_case_and_a_snippet_is_offered(tmp_path):
    case_dir = tmp_path / "case"
    (case_dir / "evidence").mkdir(parents=True)
    make_photos(case_dir / "evidence")
    (case_dir / "evidence" / "buyer.jpg").rename(case_dir / "evidence" / "crab-photo.jpg")
    case = yaml.safe_load((ROOT / "examples" / "crabs-guangzhou-zengcheng.yaml").read_text("utf-8"))
    case["evidence"].append({"kind": "listing_photo", "description": "商品详情页主图",
                             "file": "evidence/listing.jpg"})
    case_file = case_dir / "case.yaml"
    case_file.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), "utf-8")
    before = case_file.read_bytes()
    res = runner.invoke(app, ["evidence", "--case", str(case_file), "--lang", "en"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "== evidence/crab-photo.jpg  [buyer photo]" in out
    assert "== evidence/listing.jpg  [listing photo]" in out
    # evidence/crab-order.png is named in the case but absent: reported, the rest goes on
    assert "The file could not be analysed: the file does not exist" in out
    assert "with local changes in region" in out
    snippet = out[out.index("# For the case file"):]
    offered = yaml.safe_load(snippet)
    [photo] = offered["incidents"][0]["photos"]
    assert photo["file"] == "evidence/crab-photo.jpg" and len(photo["sha256"]) == 64
    block = offered["evidence_analysis"]
    assert block["ai_label"] == "1" and block["derived_from_listing"] == "yes"
    assert block["changed_region"] == "yes" and block["c2pa_ai_source"] == "no"
    assert case_file.read_bytes() == before          # without --write the case file is not written


def test_write_puts_the_block_into_the_case_file_and_keeps_the_rest(tmp_path):
    make_photos(tmp_path)
    case_file = tmp_path / "case.yaml"
    text = (ROOT / "examples" / "crabs-guangzhou-zengcheng.yaml").read_text("utf-8")
    text = text.replace("evidence:\n", "evidence:\n  - {kind: listing_photo, file: listing.jpg}\n"
                                       "  - {kind: buyer_photo, file: buyer.jpg}\n", 1)
    case_file.write_text(text + "evidence_analysis:\n  ai_label: 2   # old, replaced\n", "utf-8")
    res = runner.invoke(app, ["evidence", "--case", str(case_file), "--write", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert f"evidence_analysis written to {case_file}" in res.output
    new = case_file.read_text("utf-8")
    assert new.count("evidence_analysis:") == 1 and "old, replaced" not in new
    first_comment = next(line for line in text.splitlines() if line.startswith("#"))
    assert first_comment in new                      # the user's comments are kept
    from assess.case import load_case
    case = load_case(case_file)
    assert case.evidence_analysis["ai_label"] == "1"
    assert case.evidence_analysis["derived_from_listing"] == "yes"
    again = runner.invoke(app, ["evidence", "--case", str(case_file), "--write"])
    assert again.exit_code == 0 and case_file.read_text("utf-8").count("evidence_analysis:") == 1


def test_write_without_case_is_a_clear_error(tmp_path):
    make_photos(tmp_path)
    res = runner.invoke(app, ["evidence", str(tmp_path / "buyer.jpg"), "--write"])
    assert res.exit_code == 2 and "--write needs --case" in res.output


def test_no_photo_is_a_clear_error():
    res = runner.invoke(app, ["evidence"])
    assert res.exit_code == 2
    assert "error: no photo given" in res.output and "Traceback" not in res.output


def test_bad_case_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "case.yaml"
    bad.write_text("incidents: [1, 2\n", encoding="utf-8")
    res = runner.invoke(app, ["evidence", "--case", str(bad)])
    assert res.exit_code == 2 and str(bad) in res.output and "Traceback" not in res.output
