"""Evidence files: read-only, hashed as received, typed by content, limits on untrusted input."""
import hashlib
import os

import pytest

from assess.evidence import files
from assess.evidence.analyse import analyse_files
from evidence_images import jpeg, png, scene


def test_hash_size_type_by_content_and_pixels(tmp_path):
    data = png(scene(120, 90))
    path = tmp_path / "looks-like.jpg"            # the extension lies: it is a PNG
    path.write_bytes(data)
    item = files.load(path)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data)
    assert item.mime == "image/png" and item.format == "PNG"
    assert (item.width, item.height) == (120, 90)
    assert item.error is None


def test_file_is_only_read(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg(scene(120, 90)))
    os.chmod(path, 0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    analyse_files([path], [path])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_relative_paths_resolve_against_a_base(tmp_path):
    assert files.resolve("evidence/a.jpg", tmp_path) == tmp_path / "evidence" / "a.jpg"
    assert files.resolve(tmp_path / "b.jpg", "/elsewhere") == tmp_path / "b.jpg"


def test_decompression_bomb_is_refused_before_decoding(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    path.write_bytes(png(scene(200, 200)))
    monkeypatch.setattr(files, "MAX_PIXELS", 100 * 100)
    item = files.load(path)
    assert item.error_code == "bomb" and item.image is None
    assert item.sha256                                # still hashed: it is still evidence


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg(scene(160, 120)))
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(jpeg(scene(160, 120))[:300])
    text = tmp_path / "notes.jpg"
    text.write_bytes(b"just some text, not an image")
    result = analyse_files([truncated, text, tmp_path / "missing.jpg", good], lang="en")
    by_name = {e["file"]: e for e in result["files"]}
    assert by_name[str(truncated)]["error_code"] == "undecodable"
    assert by_name[str(text)]["error_code"] == "unknown_type"
    assert by_name[str(tmp_path / "missing.jpg")]["error_code"] == "not_found"
    for name in (truncated, text, tmp_path / "missing.jpg"):
        [only] = by_name[str(name)]["findings"]
        assert only["code"] == "unreadable" and "The other files were analysed" in only["text"]
    assert by_name[str(good)]["error"] is None
    assert {f["code"] for f in by_name[str(good)]["findings"]} >= {"no_label", "no_camera"}


def test_time_limit_skips_the_remaining_steps(tmp_path, monkeypatch):
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg(scene(160, 120)))
    monkeypatch.setattr(files, "TIME_LIMIT", -1.0)
    [entry] = analyse_files([path])["files"]
    assert entry["skipped"] == ["labels", "c2pa", "metadata", "compare"]
    assert entry["sha256"]


@pytest.mark.parametrize("payload", [b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_empty_and_damaged_headers(tmp_path, payload):
    path = tmp_path / "x.png"
    path.write_bytes(payload)
    item = files.load(path)
    assert item.error_code in ("unknown_type", "undecodable")


def test_a_failing_step_does_not_stop_the_others(tmp_path, monkeypatch):
    from assess.evidence import metadata

    def boom(item):
        raise ValueError("hostile EXIF")
    monkeypatch.setattr(metadata, "read_metadata", boom)
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg(scene(160, 120)))
    [entry] = analyse_files([path])["files"]
    assert entry["step_errors"] == {"metadata": "ValueError: hostile EXIF"}
    assert entry["labels"] == [] and entry["c2pa"]["checked"]
