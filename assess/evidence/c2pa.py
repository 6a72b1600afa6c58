"""C2PA manifests, read and validated with the official c2pa-python library.

"Trusted" means: the signature is valid and the signing certificate chains to the C2PA trust
list shipped in trust/ (see trust/README.md).  Nothing is fetched from the network.
"""
from __future__ import annotations

import functools
import io
import json
from pathlib import Path

TRUST_LIST = Path(__file__).with_name("trust") / "C2PA-TRUST-LIST.pem"
EDIT_CODES = ("assertion.dataHash.mismatch", "assertion.boxesHash.mismatch",
              "assertion.bmffHash.mismatch", "assertion.collectionHash.mismatch")
AI_SOURCE_TYPES = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia",
                   "algorithmicMedia", "compositeSynthetic")


def available() -> str | None:
    """None if c2pa-python can be used here, else the reason it cannot."""
    try:
        import c2pa  # noqa: F401
    except Exception as exc:                                    # ImportError, missing native lib
        return f"c2pa-python not available ({exc.__class__.__name__}: {exc})"
    return None


@functools.lru_cache(maxsize=4)
def _context(extra_anchors: str = ""):
    import c2pa
    anchors = TRUST_LIST.read_text(encoding="utf-8") + "\n" + extra_anchors
    settings = c2pa.Settings.from_dict({"verify": {"verify_trust": True},
                                        "trust": {"trust_anchors": anchors}})
    return c2pa.Context(settings=settings)


def read_manifest(item, extra_anchors: str = "") -> dict:
    """The C2PA facts of a file (a files.Loaded): {checked, present, state, ...}."""
    reason = available()
    if reason:
        return {"checked": False, "reason": reason, "code": "c2pa_unavailable", "detail": reason}
    if not item.data or not item.mime:
        return {"checked": False, "reason": "file type unknown", "code": "c2pa_unknown_type"}
    import c2pa
    if item.mime not in _supported():
        return {"checked": False, "reason": f"C2PA cannot be read from {item.mime}",
                "code": "c2pa_unsupported"}
    try:
        reader = c2pa.Reader(item.mime, io.BytesIO(item.data), context=_context(extra_anchors))
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__:
            return {"checked": True, "present": False}
        return {"checked": False, "reason": f"the C2PA reader could not parse the file "
                                            f"({str(exc)[:200]})", "code": "c2pa_unparsable",
                "detail": str(exc)[:200]}
    try:
        store = json.loads(reader.json())
        state = reader.get_validation_state()
    finally:
        reader.close()
    return summarise(store, state)


@functools.lru_cache(maxsize=1)
def _supported() -> frozenset:
    import c2pa
    try:
        return frozenset(c2pa.Reader.get_supported_mime_types())
    except Exception:
        return frozenset({"image/jpeg", "image/png", "image/webp", "image/tiff", "video/mp4"})


def summarise(store: dict, state: str | None) -> dict:
    """The parts of a manifest store that matter for evidence."""
    active = (store.get("manifests") or {}).get(store.get("active_manifest") or "", {})
    sig = active.get("signature_info") or {}
    statuses = store.get("validation_status") or []
    codes = [s.get("code") for s in statuses if s.get("code")]
    actions, sources = [], []
    for assertion in active.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                actions.append(action.get("action"))
                if action.get("digitalSourceType"):
                    sources.append(str(action["digitalSourceType"]).rsplit("/", 1)[-1])
    generator = active.get("claim_generator")
    if not generator and active.get("claim_generator_info"):
        info = active["claim_generator_info"][0]
        generator = " ".join(str(x) for x in (info.get("name"), info.get("version")) if x)
    return {
        "checked": True, "present": True,
        "state": state,                                   # Invalid | Valid | Trusted
        "trusted": state == "Trusted",
        "claim_generator": generator,
        "signer": sig.get("common_name") or sig.get("issuer"),
        "issuer": sig.get("issuer"),
        "signing_time": sig.get("time"),
        "digital_source_types": sorted(set(sources)),
        "ai_source": any(s in AI_SOURCE_TYPES for s in sources),
        "actions": [a for a in actions if a],
        "edited_after_signing": any(c in EDIT_CODES for c in codes),
        "status_codes": codes,
    }
