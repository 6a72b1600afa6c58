"""C2PA manifests signed at test time with c2pa-python's own Builder and a throw-away CA."""
import pytest

from assess.evidence import c2pa as c2pa_check
from assess.evidence.analyse import analyse_files
from evidence_images import c2pa_signed_jpeg, jpeg, scene, signing_ca

pytest.importorskip("c2pa")


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    d = tmp_path_factory.mktemp("c2pa")
    ca = signing_ca()
    ai = d / "ai.jpg"
    ai.write_bytes(c2pa_signed_jpeg(scene(160, 120, seed=4), ca=ca))
    camera = d / "camera.jpg"
    camera.write_bytes(c2pa_signed_jpeg(scene(160, 120, seed=6), "digitalCapture", ca=ca))
    data = bytearray(ai.read_bytes())
    data[-200] ^= 0xFF                        # change the picture data after signing
    tampered = d / "tampered.jpg"
    tampered.write_bytes(bytes(data))
    return {"ai": ai, "camera": camera, "tampered": tampered, "ca_pem": ca[2]}


def test_trusted_ai_manifest(signed):
    result = analyse_files([signed["ai"]], lang="en", trust_anchors=signed["ca_pem"])
    c = result["files"][0]["c2pa"]
    assert c["present"] and c["state"] == "Trusted" and c["trusted"]
    assert c["claim_generator"] == "evidence-test-generator 1.0"
    assert c["signer"] == "Evidence Test Signer"
    assert c["digital_source_types"] == ["trainedAlgorithmicMedia"]
    assert c["actions"] == ["c2pa.created"] and not c["edited_after_signing"]
    [ai] = [f for f in result["files"][0]["findings"] if f["code"] == "c2pa_ai"]
    assert ai["strength"] == "strong" and "trainedAlgorithmicMedia" in ai["text"]
    assert result["facts"]["c2pa_ai_source"] is True and result["facts"]["c2pa_trusted"] is True


def test_signer_not_on_the_shipped_trust_list_is_valid_not_trusted(signed):
    result = analyse_files([signed["ai"]], lang="en")
    c = result["files"][0]["c2pa"]
    assert c["state"] == "Valid" and not c["trusted"]
    assert "signingCredential.untrusted" in c["status_codes"]
    [ai] = [f for f in result["files"][0]["findings"] if f["code"] == "c2pa_ai"]
    assert ai["strength"] == "moderate"
    assert "valid, signer not on the trust list" in ai["text"]
    assert result["facts"]["c2pa_trusted"] is False


def test_camera_capture_manifest_is_no_ai_indicator(signed):
    result = analyse_files([signed["camera"]], trust_anchors=signed["ca_pem"])
    assert result["files"][0]["c2pa"]["digital_source_types"] == ["digitalCapture"]
    assert result["facts"]["c2pa_ai_source"] is False
    assert "c2pa_ai" not in {f["code"] for f in result["files"][0]["findings"]}


def test_edit_after_signing_is_detected(signed):
    result = analyse_files([signed["tampered"]], lang="en", trust_anchors=signed["ca_pem"])
    c = result["files"][0]["c2pa"]
    assert c["state"] == "Invalid" and c["edited_after_signing"]
    codes = {f["code"] for f in result["files"][0]["findings"]}
    assert "c2pa_edited" in codes
    [ai] = [f for f in result["files"][0]["findings"] if f["code"] == "c2pa_ai"]
    assert ai["strength"] == "weak"


def test_no_manifest(tmp_path):
    path = tmp_path / "plain.jpg"
    path.write_bytes(jpeg(scene(96, 72)))
    result = analyse_files([path], lang="en")
    assert result["files"][0]["c2pa"] == {"checked": True, "present": False}
    assert result["facts"]["c2pa_ai_source"] is False


def test_library_missing_is_said_not_hidden(tmp_path, monkeypatch):
    path = tmp_path / "plain.jpg"
    path.write_bytes(jpeg(scene(96, 72)))
    monkeypatch.setattr(c2pa_check, "available", lambda: "c2pa-python not available (test)")
    result = analyse_files([path], lang="en")
    [f] = [f for f in result["files"][0]["findings"] if f["code"] == "c2pa_not_checked"]
    assert f["text"] == ("C2PA not checked: the C2PA reading library cannot be used on this "
                         "machine (c2pa-python not available (test)).")
    assert result["facts"]["c2pa_ai_source"] is None
    # in Chinese the reason is Chinese; the library's own message stays as the detail
    result = analyse_files([path], lang="zh")
    [f] = [f for f in result["files"][0]["findings"] if f["code"] == "c2pa_not_checked"]
    assert f["text"] == "未检查 C2PA：本机无法使用 C2PA 读取库 (c2pa-python not available (test))。"


def test_trust_list_is_shipped():
    text = c2pa_check.TRUST_LIST.read_text(encoding="utf-8")
    assert text.count("BEGIN CERTIFICATE") >= 10
