"""Turn what was read into findings (indicators with strength and limits) and facts for rules.

A finding never says "fake" or "genuine": it says what the file shows, how strongly, and what
the method cannot see.  Its words come from texts.yaml, in Chinese and English.

Facts handed to the rules (`facts(...)`), all about the BUYER's photos:
    evidence_analysed       true once `assess evidence` has run
    ai_label_present        a well-formed GB 45438 label was found in a buyer photo
    ai_label_value          the strongest Label found: "1" (AI-generated), "2" (possibly),
                            "3" (suspected), or null
    ai_label_producer       the ContentProducer of that label (company if the code is known)
    ai_label_malformed      an AIGC label field was found but could not be read
    c2pa_ai_source          a C2PA manifest records an AI digital source type (null: not checked)
    c2pa_trusted            that manifest is signed by a signer on the shipped trust list
    derived_from_listing    a buyer photo is a listing photo, copied or with local changes
    changed_regions         [{photo, listing, box: [x, y, width, height]}] in buyer-photo pixels
    same_scene_not_copy     a buyer photo shows the listing's scene but is not a copy of it
    camera_metadata_present at least one buyer photo has camera make/model (information only)
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

TEXTS = Path(__file__).with_name("texts.yaml")
LABEL_RANK = {"1": 0, "2": 1, "3": 2}


@functools.lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))


def word(key: str, lang: str) -> str:
    return texts()["labels"][key][lang]


class _Blank(dict):
    def __missing__(self, key):
        return "—"


def finding(code: str, lang: str, **values) -> dict:
    spec = texts()["findings"][code]
    strength = spec["strength"].format_map(_Blank(values))
    return {"code": code, "strength": strength,
            "strength_text": texts()["strength"][strength][lang],
            "text": spec["text"][lang].format_map(_Blank(values)),
            "limits": spec["limits"][lang].format_map(_Blank(values)),
            "values": {k: v for k, v in values.items() if k not in ("lang",)}}


def file_findings(entry: dict, lang: str) -> list[dict]:
    """Findings about one file on its own: labels, C2PA, metadata."""
    out = []
    if entry.get("error"):
        reason = texts()["reasons"].get(entry.get("error_code") or "", {}).get(lang)
        detail = entry["error"] if entry["error"] != entry.get("error_code") else ""
        reason = (reason or entry["error"]) + (f" ({detail})" if detail and reason else "")
        return [finding("unreadable", lang, reason=reason)]
    labels = entry.get("labels") or []
    good = [lb for lb in labels if lb.get("label")]
    for lb in sorted(good, key=lambda lb: LABEL_RANK[lb["label"]]):
        out.append(finding(f"label_{lb['label']}", lang, form=lb["form"],
                           producer=producer_text(lb, lang)))
    for lb in labels:
        if not lb.get("label"):
            out.append(finding("label_malformed", lang, form=lb["form"],
                               reasons="; ".join(lb["malformed"])))
    if not labels:
        out.append(finding("no_label", lang))
    out += _c2pa_findings(entry.get("c2pa") or {}, lang)
    meta = entry.get("metadata") or {}
    if entry.get("width"):
        if meta.get("camera"):
            cam = " ".join(x for x in (meta.get("make"), meta.get("model")) if x)
            out.append(finding("camera", lang, camera=cam, captured=meta.get("captured") or "—",
                               software=meta.get("software") or "—"))
        else:
            out.append(finding("no_camera", lang))
        dst = meta.get("digital_source_type")
        if dst and dst in ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia",
                           "algorithmicMedia", "compositeSynthetic"):
            out.append(finding("iptc_ai", lang, source_type=dst))
    return out


def producer_text(label: dict, lang: str) -> str:
    who = label.get("producer") or {}
    if not who:
        return "—"
    if who.get("company"):
        return f"{who['company']} ({who['code']})"
    if who.get("code"):
        return texts()["producer"]["code_unknown"][lang].format(value=who["value"])
    return str(who.get("value"))


def _c2pa_findings(c2pa: dict, lang: str) -> list[dict]:
    if not c2pa:
        return []
    if not c2pa.get("checked"):
        # the reason in the reader's language (the library's own message kept as the detail)
        words = texts()["reasons"].get(c2pa.get("code") or "", {}).get(lang)
        detail = c2pa.get("detail")
        reason = (words + (f" ({detail})" if detail else "")) if words else c2pa.get("reason")
        return [finding("c2pa_not_checked", lang, reason=reason)]
    if not c2pa.get("present"):
        return [finding("no_c2pa", lang)]
    state = _state_text(c2pa, lang)
    out = [finding("c2pa_present", lang, generator=c2pa.get("claim_generator") or "—",
                   signer=c2pa.get("signer") or "—", time=c2pa.get("signing_time") or "—",
                   state=state, actions=", ".join(c2pa.get("actions") or []) or "—")]
    if c2pa.get("ai_source"):
        strength = ("strong" if c2pa.get("trusted") else
                    "moderate" if c2pa.get("state") == "Valid" else "weak")
        out.append(finding("c2pa_ai", lang, c2pa_strength=strength, state=state,
                           source_types=", ".join(c2pa.get("digital_source_types") or [])))
    if c2pa.get("edited_after_signing"):
        out.append(finding("c2pa_edited", lang))
    return out


def _state_text(c2pa: dict, lang: str) -> str:
    state = c2pa.get("state") or "Invalid"
    entry = texts()["c2pa_state"].get(state)
    return entry[lang] if entry else state


def comparison_findings(photo: dict, listing: dict, result: dict, lang: str) -> list[dict]:
    """Findings of one buyer photo against one listing photo."""
    name = listing["file"]
    if photo.get("sha256") and photo.get("sha256") == listing.get("sha256"):
        return [finding("identical", lang, listing=name)]
    if result.get("not_compared"):
        return []                                   # the file's own finding says why
    if not result.get("same_scene"):
        return [finding("no_match", lang, listing=name)]
    if result.get("derived"):
        regions = result.get("regions") or []
        if not regions:
            return [finding("derived_copy", lang, listing=name, inliers=result["inliers"])]
        described = word("region_join", lang).join(_box_text(r["box"], lang) for r in regions)
        return [finding("derived_local", lang, listing=name, inliers=result["inliers"],
                        regions=described, changed=f"{result['changed_share']:.1%}")]
    return [finding("same_scene", lang, listing=name, inliers=result["inliers"])]


def _box_text(box: list[int], lang: str) -> str:
    x, y, w, h = box
    return word("region", lang).format(x=x, y=y, w=w, h=h)


def facts(photos: list[dict], comparisons: list[dict]) -> dict:
    """The facts the rules read, from the buyer photos' entries and their comparisons."""
    labels = [lb for p in photos for lb in p.get("labels") or []]
    good = sorted((lb for lb in labels if lb.get("label")), key=lambda lb: LABEL_RANK[lb["label"]])
    best = good[0] if good else None
    checked = [p["c2pa"] for p in photos if (p.get("c2pa") or {}).get("checked")]
    ai_c2pa = [c for c in checked if c.get("ai_source")]
    regions = [{"photo": c["photo"], "listing": c["listing"], "box": r["box"]}
               for c in comparisons if c["result"].get("derived")
               for r in c["result"].get("regions") or []]
    producer = None
    if best and best.get("producer"):
        who = best["producer"]
        producer = who.get("company") or who.get("code") or who.get("value")
    return {
        "evidence_analysed": True,
        "ai_label_present": best is not None,
        "ai_label_value": best["label"] if best else None,
        "ai_label_producer": producer,
        "ai_label_malformed": any(not lb.get("label") for lb in labels),
        "c2pa_ai_source": (bool(ai_c2pa) if checked else None),
        "c2pa_trusted": any(c.get("trusted") for c in ai_c2pa),
        "derived_from_listing": any(c["result"].get("derived") or c.get("identical")
                                    for c in comparisons),
        "changed_regions": regions,
        "same_scene_not_copy": any(c["result"].get("same_scene") and not c["result"].get("derived")
                                   for c in comparisons),
        "camera_metadata_present": any((p.get("metadata") or {}).get("camera") for p in photos),
    }


def case_block(photos: list[dict], comparisons: list[dict], today) -> dict:
    """The case file's `evidence_analysis` block (docs/case-format.md) from the buyer photos'
    entries and their comparisons: what the rules read.  Values the analysis could not settle
    are "unknown": no buyer photo read → no label value; no listing photo compared → nothing
    about derivation; C2PA not checked → unknown."""
    read = [p for p in photos if p.get("sha256") and not p.get("error")]
    f = facts(read, comparisons)
    compared = [c for c in comparisons if not c["result"].get("not_compared")]
    checked = any((p.get("c2pa") or {}).get("checked") for p in read)
    block = {"analysed_on": today.isoformat(),
             "ai_label": (f["ai_label_value"] or "none") if read else "unknown"}
    if f["ai_label_producer"]:
        block["ai_label_producer"] = str(f["ai_label_producer"])
    block["c2pa_ai_source"] = ("yes" if f["c2pa_ai_source"] else "no") if checked else "unknown"
    if compared:
        block["derived_from_listing"] = "yes" if f["derived_from_listing"] else "no"
        block["changed_region"] = "yes" if f["changed_regions"] else "no"
    else:
        block["derived_from_listing"] = "unknown"
        block["changed_region"] = "unknown"
    return block
