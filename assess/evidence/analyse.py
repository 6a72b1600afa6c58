"""The one public function of assess/evidence: analyse photo files, alone and against listings.

    analyse_files(photos, listing=(), case=None, lang="zh") -> dict   (JSON-able)

Every file is read only, hashed as received and analysed on its own (labels, C2PA, metadata);
each buyer photo is then compared with each listing photo.  A file that cannot be read or decoded
is reported with the reason and the rest goes on.  The result is indicators and facts, never a
verdict: deciding what they mean for a track is the rules' job.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from . import c2pa, compare, files, findings, labels, metadata, producers

ROLES = ("photo", "listing", "evidence")
CASE_KINDS = {"buyer_photo": "photo", "listing_photo": "listing"}


def analyse_files(photos=(), listing=(), case=None, lang: str = "zh", *,
                  trust_anchors: str = "", base=None) -> dict:
    """Analyse buyer `photos` and `listing` photos (paths); with `case`, also the files it names.

    `case` is a case file path: its incidents[].photos[].file and evidence[].file are added,
    resolved against the case file's folder.  `trust_anchors` adds PEM certificates to the
    shipped C2PA trust list (for tests and for a user's own trust decisions).  With `base`, the
    relative paths in `photos` and `listing` resolve against that folder and keep their names
    as given (the documents pass the case file's folder).
    """
    if lang not in ("zh", "en"):
        lang = "zh"
    wanted = [(str(p), files.resolve(p, base), "photo", None) for p in photos]
    wanted += [(str(p), files.resolve(p, base), "listing", None) for p in listing]
    case_path = None
    if case is not None:
        case_path = Path(case)
        wanted += _case_files(case_path)
    entries, prepared = [], {}
    for name, path, role, ref in _unique(wanted):
        entry, prep = _analyse_one(name, path, role, ref, lang, trust_anchors)
        entries.append(entry)
        if prep is not None:
            prepared[len(entries) - 1] = prep
    comparisons = _compare_all(entries, prepared, lang)
    buyer = [e for e in entries if e["role"] == "photo"]
    return {
        "lang": lang,
        "case": str(case_path) if case_path else None,
        "files": entries,
        "comparisons": comparisons,
        "facts": findings.facts(buyer, comparisons),
        "method_limits": findings.texts()["method_limits"][lang],
        "for_case_file": _for_case_file(entries, comparisons),
        "evidence_analysis": findings.case_block(buyer, comparisons, date.today()),
    }


def _unique(wanted: list[tuple]) -> list[tuple]:
    """Each file once (a case may name the same photo as an incident photo and as evidence)."""
    seen: dict = {}
    for name, path, role, ref in wanted:
        key = (str(path.resolve()) if path.exists() else str(path))
        if key in seen:
            if ref:
                seen[key][3].append(ref)
            continue
        seen[key] = [name, path, role, [ref] if ref else []]
    return [tuple(v) for v in seen.values()]


def _case_files(case_path: Path) -> list[tuple]:
    from ..case import load_case            # the core; raises AssessError for a bad case file
    case = load_case(case_path)
    base = case_path.parent
    out = []
    for i, incident in enumerate(case.incidents):
        for j, photo in enumerate(incident.photos):
            if photo.get("file"):
                out.append((photo["file"], files.resolve(photo["file"], base), "photo",
                            f"incidents[{i}].photos[{j}]"))
    for k, item in enumerate(case.evidence):
        if item.get("file"):
            role = CASE_KINDS.get(item.get("kind"), "evidence")
            out.append((item["file"], files.resolve(item["file"], base), role,
                        f"evidence[{k}]"))
    return out


def _analyse_one(name, path, role, ref, lang, trust_anchors):
    item = files.load(path, name, draft_side=compare.WORK_SIDE)
    entry = item.summary()
    entry["role"] = role
    entry["case_refs"] = ref
    entry["skipped"] = []
    steps = [("labels", lambda: _labels(item)),
             ("c2pa", lambda: c2pa.read_manifest(item, trust_anchors)),
             ("metadata", lambda: metadata.read_metadata(item))]
    prep = None
    if item.data:
        for key, step in steps:
            if item.time_left() <= 0:
                entry["skipped"].append(key)
                continue
            try:
                entry[key] = step()
            except Exception as exc:                 # a hostile file must not stop the others
                entry[key] = None
                entry.setdefault("step_errors", {})[key] = f"{exc.__class__.__name__}: {exc}"
        if item.image is not None and role in ("photo", "listing"):
            if item.time_left() > 0:
                try:
                    prep = compare.prepare(item.image, (item.width, item.height))
                except Exception as exc:
                    entry.setdefault("step_errors", {})["compare"] = str(exc)
            else:
                entry["skipped"].append("compare")
    entry["findings"] = findings.file_findings(entry, lang)
    item.image = None                                # free the pixels; `prep` keeps what is needed
    return entry, prep


def _labels(item) -> list[dict]:
    found = labels.read_labels(item)
    for lb in found:
        lb["producer"] = producers.identify(lb["fields"].get("ContentProducer"))
    return found


def _compare_all(entries, prepared, lang) -> list[dict]:
    out = []
    for i, photo in enumerate(entries):
        if photo["role"] != "photo":
            continue
        for j, listing in enumerate(entries):
            if listing["role"] != "listing":
                continue
            identical = bool(photo["sha256"]) and photo["sha256"] == listing["sha256"]
            if i in prepared and j in prepared:
                result = compare.compare(prepared[i], prepared[j])
            else:
                result = {"same_scene": False, "derived": False, "regions": [],
                          "not_compared": True,
                          "note": "not compared: a file could not be decoded"}
            item = {"photo": photo["file"], "listing": listing["file"], "identical": identical,
                    "result": result}
            item["findings"] = findings.comparison_findings(photo, listing, result, lang)
            out.append(item)
    return out


def _for_case_file(entries, comparisons) -> dict:
    """What `assess evidence` offers for the case file: the hashes of the files analysed."""
    incidents: dict[int, list] = {}
    evidence = []
    for e in entries:
        if not e.get("sha256"):
            continue                                   # not read: nothing to offer
        refs = e.get("case_refs") or []
        for ref in refs:
            if ref.startswith("incidents["):
                i = int(ref[len("incidents["):ref.index("]")])
                incidents.setdefault(i, []).append({"file": e["file"], "sha256": e["sha256"]})
            else:
                evidence.append({"file": e["file"], "sha256": e["sha256"]})
        if not refs:
            kind = {"photo": "buyer_photo", "listing": "listing_photo"}[e["role"]]
            evidence.append({"kind": kind, "file": e["file"], "sha256": e["sha256"]})
    out: dict = {}
    if incidents:
        out["incidents"] = [{"photos": incidents.get(i, [])}
                            for i in range(max(incidents) + 1)]
    if evidence:
        out["evidence"] = evidence
    return out
