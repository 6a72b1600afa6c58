"""The evidence section of the documents (templates/_evidence.html.j2): per photo file its name,
SHA-256, how it was obtained and the findings; and the side-by-side figures of each buyer photo
made from a listing photo, with the changed regions outlined.

`photo_evidence(items, base, lang)` runs `analyse_files` on the files the documents may read
(assess/documents.py decides which: inside the case folder, regular files) and returns plain
data for the template.  Findings are indicators with their limits, never a verdict; the
template words them for the reader (strings.yaml, section `evidence_section`).
"""
from __future__ import annotations

from pathlib import Path

from . import figures
from .analyse import analyse_files
from .files import resolve

# findings the documents leave out: "does not match listing photo X" says nothing either way
# and would repeat once per listing photo; the method limits are stated once for all files
QUIET = {"no_match"}
# of the merchant's own listing photos, only what says something: a label, a manifest, a file
# that could not be read (not "no label", "no camera metadata")
LISTING_QUIET = {"no_label", "no_c2pa", "no_camera", "camera", "c2pa_not_checked"}


def photo_evidence(items: list[dict], base: Path, lang: str) -> dict | None:
    """`items`: [{file, role: "photo" | "listing", obtained, description}] with `file` relative
    to `base` (the case folder).  None when there is no photo to show."""
    photos = [i["file"] for i in items if i["role"] == "photo"]
    listing = [i["file"] for i in items if i["role"] == "listing"]
    if not photos and not listing:
        return None
    result = analyse_files(photos, listing, lang=lang, base=base)
    about = {i["file"]: i for i in items}
    comparisons = {}
    for c in result["comparisons"]:
        comparisons.setdefault(c["photo"], []).append(c)
    rows = []
    for entry in result["files"]:
        item = about.get(entry["file"], {})
        found = [f for f in entry["findings"]
                 if entry["role"] != "listing" or f["code"] not in LISTING_QUIET]
        for c in comparisons.get(entry["file"], []):
            found += [f for f in c["findings"] if f["code"] not in QUIET]
        rows.append({"file": entry["file"], "role": entry["role"], "sha256": entry["sha256"],
                     "obtained": item.get("obtained"), "description": item.get("description"),
                     "width": entry.get("width"), "height": entry.get("height"),
                     "findings": [{"code": f["code"], "strength": f["strength"],
                                   "strength_text": f["strength_text"], "text": f["text"],
                                   "limits": f["limits"]} for f in found]})
    figs = []
    for c in result["comparisons"]:
        res = c["result"]
        if not (res.get("derived") or c["identical"]):
            continue
        jpeg = figures.side_by_side(resolve(c["photo"], base), resolve(c["listing"], base),
                                    [r["box"] for r in res.get("regions") or []],
                                    res.get("listing_to_photo"))
        if jpeg is None:
            continue
        text = next((f["text"] for f in c["findings"]), "")
        figs.append({"photo": c["photo"], "listing": c["listing"], "uri": figures.data_uri(jpeg),
                     "bytes": len(jpeg), "regions": len(res.get("regions") or []),
                     "text": text})
    return {"files": rows, "figures": figs, "facts": result["facts"]}
