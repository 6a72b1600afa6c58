"""GB 45438-2025 implicit labels in every form, malformed labels, metadata, producers."""
import json

import pytest

from assess.evidence import labels, producers
from assess.evidence.analyse import analyse_files
from evidence_images import (LABEL, jpeg, jpeg_with_app_segment, jpeg_with_user_comment,
                             jpeg_with_xmp, mp4_with_label, png_with_text, scene, xmp_packet)

SMALL = dict(w=96, h=72, seed=3)

FORMS = {
    "xmp-element": ("a.jpg", lambda: jpeg_with_xmp(scene(**SMALL), form="element")),
    "xmp-attribute": ("b.jpg", lambda: jpeg_with_xmp(scene(**SMALL), form="attribute")),
    "png-text": ("c.png", lambda: png_with_text(scene(**SMALL))),
    "png-itxt": ("d.png", lambda: png_with_text(scene(**SMALL), itxt=True)),
    "exif-usercomment": ("e.jpg", lambda: jpeg_with_user_comment(scene(**SMALL))),
    "jpeg-app": ("f.jpg", lambda: jpeg_with_app_segment(scene(**SMALL))),
    "mp4-meta": ("g.mp4", mp4_with_label),
}


def analyse_one(tmp_path, name, data, lang="en"):
    path = tmp_path / name
    path.write_bytes(data)
    return analyse_files([path], lang=lang)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_label_form_is_read(tmp_path, form):
    name, make = FORMS[form]
    result = analyse_one(tmp_path, name, make())
    [entry] = result["files"]
    [label] = entry["labels"]
    assert label["form"] == ("png-text" if form == "png-itxt" else form)
    assert label["label"] == "1" and label["malformed"] == []
    assert label["fields"]["ProduceID"] == "P-2025-0001"
    assert label["fields"]["ContentProducer"] == LABEL["ContentProducer"]
    assert label["ReservedCode1"] == "signature present, not verified"
    assert "ReservedCode2" not in label                     # empty: no signature to report
    strong = [f for f in entry["findings"] if f["code"] == "label_1"]
    assert strong and strong[0]["strength"] == "strong"
    assert "strong indicator of AI generation" in strong[0]["text"]
    assert result["facts"]["ai_label_present"] is True
    assert result["facts"]["ai_label_value"] == "1"
    assert result["facts"]["ai_label_producer"] == LABEL["ContentProducer"]


def test_no_label_is_not_evidence_either_way(tmp_path):
    result = analyse_one(tmp_path, "plain.jpg", jpeg(scene(**SMALL)))
    [finding] = [f for f in result["files"][0]["findings"] if f["code"] == "no_label"]
    assert finding["strength"] == "none" and "not evidence either way" in finding["text"]
    assert result["facts"]["ai_label_present"] is False
    assert result["facts"]["ai_label_value"] is None


@pytest.mark.parametrize("value,reason", [
    ({"Label": "7", "ContentProducer": "x"}, "Label value '7' is not 1, 2 or 3"),
    ({"ContentProducer": "x"}, "Label field missing"),
    ("not json at all", "label value is not JSON"),
    (["1"], "label value is not a JSON object"),
])
def test_malformed_labels_are_reported_as_malformed(tmp_path, value, reason):
    from PIL.PngImagePlugin import PngInfo

    from evidence_images import png
    info = PngInfo()
    info.add_text("AIGC", value if isinstance(value, str) else json.dumps(value))
    result = analyse_one(tmp_path, "m.png", png(scene(**SMALL), info))
    [label] = result["files"][0]["labels"]
    assert label["label"] is None and reason in label["malformed"]
    [finding] = [f for f in result["files"][0]["findings"] if f["code"] == "label_malformed"]
    assert finding["strength"] == "weak" and reason in finding["text"]
    assert result["facts"]["ai_label_present"] is False
    assert result["facts"]["ai_label_malformed"] is True


@pytest.mark.parametrize("value,code,strength", [("2", "label_2", "moderate"),
                                                 ("3", "label_3", "weak")])
def test_labels_2_and_3_are_weaker(tmp_path, value, code, strength):
    data = png_with_text(scene(**SMALL), dict(LABEL, Label=value))
    result = analyse_one(tmp_path, "l.png", data, lang="zh")
    [finding] = [f for f in result["files"][0]["findings"] if f["code"] == code]
    assert finding["strength"] == strength
    assert f"Label={value}" in finding["text"]
    assert result["facts"]["ai_label_value"] == value


def test_strongest_label_wins_across_photos(tmp_path):
    a = tmp_path / "a.png"
    a.write_bytes(png_with_text(scene(**SMALL), dict(LABEL, Label="3")))
    b = tmp_path / "b.jpg"
    b.write_bytes(jpeg_with_xmp(scene(**SMALL), dict(LABEL, Label="2")))
    assert analyse_files([a, b])["facts"]["ai_label_value"] == "2"


def test_hostile_xmp_is_refused_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
            b"<TC260:AIGC>&b;</TC260:AIGC></x:xmpmeta>")
    [(form, reason)] = labels._from_xmp(bomb)
    assert form == "xmp" and "DTDForbidden" in reason
    assert labels.parse(form, reason)["malformed"] == [reason]


def test_exif_user_comment_in_unicode():
    text = json.dumps({"AIGC": LABEL})
    assert labels.decode_user_comment(b"UNICODE\x00" + text.encode("utf-16-be")) == text
    assert labels.decode_user_comment(b"ASCII\x00\x00\x00" + text.encode()) == text


def test_xmp_packet_of_the_fixture_is_what_the_standard_describes():
    packet = xmp_packet(LABEL, "attribute").decode()
    assert 'xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"' in packet
    assert "TC260:AIGC=" in packet


def test_producer_codes_map_to_companies_only_from_the_sourced_list(tmp_path):
    table = tmp_path / "producers.yaml"
    table.write_text(
        "producers:\n"
        "  - code: 91110000MA00000000\n    company: 示例科技有限公司\n"
        "    source: test list\n"
        "  - code: 91110000MA00000001\n    company: 无来源公司\n", encoding="utf-8")
    who = producers.identify("服务提供者 91110000MA00000000", path=str(table))
    assert who["known"] and who["company"] == "示例科技有限公司" and who["source"] == "test list"
    embedded = producers.identify("001191110000MA0000000000001", path=str(table))
    assert embedded["known"] and embedded["code"] == "91110000MA00000000"
    unsourced = producers.identify("91110000MA00000001", path=str(table))
    assert not unsourced["known"] and unsourced["code"] == "91110000MA00000001"
    assert producers.identify("豆包", path=str(table)) == {
        "value": "豆包", "code": None, "company": None, "known": False}


def test_shipped_producer_list_has_a_source_for_every_entry():
    import yaml
    data = yaml.safe_load(producers.DATA.read_text(encoding="utf-8"))
    for entry in data["producers"]:
        assert entry.get("source") and entry.get("code") and entry.get("company"), entry


def test_camera_metadata_is_read_and_its_absence_is_no_finding_against_the_buyer(tmp_path):
    result = analyse_one(tmp_path, "cam.jpg", jpeg_with_user_comment(scene(**SMALL), camera=True))
    meta = result["files"][0]["metadata"]
    assert (meta["make"], meta["model"], meta["captured"]) == (
        "TestMake", "TestModel X", "2025:11:20 10:11:12")
    assert "EXIF" in meta["sources"]
    [cam] = [f for f in result["files"][0]["findings"] if f["code"] == "camera"]
    assert "TestMake TestModel X" in cam["text"] and cam["strength"] == "info"
    result = analyse_one(tmp_path, "bare.jpg", jpeg(scene(**SMALL)))
    [none] = [f for f in result["files"][0]["findings"] if f["code"] == "no_camera"]
    assert none["text"] == "No camera metadata (platforms often remove it)."
    assert none["strength"] == "info"


def test_iptc_digital_source_type_in_xmp(tmp_path):
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
              'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description rdf:about="" '
              'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
              'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="GenTool 2" '
              'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
              'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>').encode()
    result = analyse_one(tmp_path, "iptc.jpg", jpeg(scene(**SMALL), xmp=packet))
    meta = result["files"][0]["metadata"]
    assert meta["digital_source_type"] == "trainedAlgorithmicMedia"
    assert meta["software"] == "GenTool 2"
    [f] = [f for f in result["files"][0]["findings"] if f["code"] == "iptc_ai"]
    assert f["strength"] == "moderate"


def test_large_jpeg_decoded_reduced_keeps_its_metadata_and_size(tmp_path):
    result = analyse_one(tmp_path, "big.jpg",
                         jpeg_with_user_comment(scene(2400, 1800, seed=2), camera=True))
    [entry] = result["files"]
    assert (entry["width"], entry["height"]) == (2400, 1800)     # original size, not the draft
    assert [lb["form"] for lb in entry["labels"]] == ["exif-usercomment"]
    assert entry["metadata"]["make"] == "TestMake"
