"""Documents: the lawyer's opinion (法律意见书), the merchant's police report (报案材料) and the
appeal to the platform (申诉书), as PDF or HTML.

Everything a reader sees comes from templates/: the Jinja2 templates (one base layout, one
stylesheet) and templates/strings.yaml (every label, heading and sentence in Chinese and
English).  This module only gathers data: the parsed case, the assessment result (whose trace
carries the provision texts in the version in force), content hashes for the report's and
appeal's reference and the reproducibility record.  The opinion also gets the firm's settings
(assess/settings.py: firm, lawyers, number) and its own view (`_opinion_view`); the file digests
and rule sources go to its verification sheet (`verification_record`), not into the opinion.
No legal number, article or statute text lives here.

Missing facts: a template asks for a fact with ``need(value, "buyer.account")``.  A missing
value is recorded and the template prints a marked blank (【待补充：买家账号】).  With
``strict=True`` any recorded blank is an error (exit 2) naming the facts; otherwise the caller
gets the list back as warnings.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from . import __version__, paths
from .amounts import add
from .errors import AssessError
from .facts import CRIMINAL_AGE_FACTS

KINDS = {"opinion": "opinion.html.j2", "report": "report.html.j2", "appeal": "appeal.html.j2"}
LANGS = ("zh", "en")
FORMATS = ("pdf", "html", "docx")
STRINGS_FILE = "strings.yaml"
ASSETS = "assets"


@dataclass
class Rendered:
    """A rendered document and the facts it had to leave blank."""

    kind: str
    fmt: str
    content: bytes | str
    missing: list[str] = field(default_factory=list)       # "buyer.account (买家账号)"
    context: dict | None = None


# --------------------------------------------------------------------------- strings

def _pick_lang(node, lang: str, where: str, file: str):
    """Turn {key: {zh: .., en: ..}} trees into {key: text} for one language."""
    if isinstance(node, dict):
        keys = set(node)
        if keys and keys <= set(LANGS):
            if lang not in node or node[lang] is None:
                raise AssessError(f"template string '{where}' has no '{lang}' text", file=file,
                                  field=where, expected="zh: … and en: …")
            return node[lang]
        return {k: _pick_lang(v, lang, f"{where}.{k}" if where else str(k), file)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_pick_lang(v, lang, f"{where}[{i}]", file) for i, v in enumerate(node)]
    return node


def load_strings(templates: Path, lang: str) -> dict:
    import yaml

    file = templates / STRINGS_FILE
    try:
        raw = yaml.load(file.read_text(encoding="utf-8"),      # libyaml: 10× faster
                        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise AssessError(f"cannot read the template strings: {exc.strerror}", file=str(file),
                          hint="templates/strings.yaml holds the documents' wording") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AssessError(f"template strings are not valid YAML: {getattr(exc, 'problem', exc)}",
                          file=str(file), line=mark.line + 1 if mark else None,
                          col=mark.column + 1 if mark else None) from None
    if not isinstance(raw, dict):
        raise AssessError("template strings must be a mapping", file=str(file))
    return _pick_lang(raw, lang, "", str(file))


# --------------------------------------------------------------------------- formatting filters

def _as_date(value):
    if value is None or value == "unknown":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _number(x) -> str:
    if isinstance(x, Decimal):
        x = float(x)
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}"


def amount_view(value) -> dict | None:
    """What is known of an amount, as the documents word it: "exact" (one number, n), "up_to"
    (between nothing and hi: a lower end of 0 says only that it may prove to be no fraud at
    all), "range" (lo to hi, lo above 0), "at_least" (lo, no upper end), or None (unknown).
    `value` is a number or the assessment's {"min": .., "max": ..}; n, lo and hi are None
    where the kind has none."""
    if value is None or value == "unknown":
        return None
    if not isinstance(value, dict):
        return {"kind": "exact", "n": value, "lo": None, "hi": None}
    lo, hi = value.get("min"), value.get("max")
    if hi is None:
        return {"kind": "at_least", "n": None, "lo": lo, "hi": None} if lo else None
    if lo is not None and lo == hi:
        return {"kind": "exact", "n": hi, "lo": None, "hi": None}
    if not lo:
        return {"kind": "up_to", "n": None, "lo": None, "hi": hi}
    return {"kind": "range", "n": None, "lo": lo, "hi": hi}


def _within(part, whole) -> bool:
    """Whether the amount `part` is surely no more than `whole` (numbers or the assessment's
    {"min", "max"}): only then can a document say "of which `part`" (the refunds obtained are
    all the fraud paid; the amount for the crime may count fewer, e.g. while the age is open)."""
    if part is None or whole is None or "unknown" in (part, whole):
        return False
    top = part.get("max") if isinstance(part, dict) else part
    low = (whole.get("min") or 0) if isinstance(whole, dict) else whole
    return top is not None and top <= low


def _filters(t: dict, home: Path) -> dict:
    fmt = t["format"]
    prefix = str(home.resolve()) + os.sep

    def relpath(value):
        """A path under the data folder without the machine-specific prefix."""
        s = str(value)
        return s[len(prefix):] if s.startswith(prefix) else s

    def date_filter(value):
        d = _as_date(value)
        if d is None:
            return value if isinstance(value, str) else ""
        return fmt["date"].format(y=d.year, m=d.month, d=d.day, month=fmt["months"][d.month - 1])

    def money(value):
        if value is None or value == "unknown":
            return ""
        if isinstance(value, dict):              # {"min": .., "max": ..}
            a = amount_view(value)
            if a is None:
                return ""
            if a["kind"] == "exact":
                return fmt["money"].format(n=_number(a["n"]))
            if a["kind"] == "up_to":             # nothing known below: not "0–7,300 元"
                return fmt["money_up_to"].format(n=_number(a["hi"]))
            if a["kind"] == "range":
                return fmt["money_range"].format(lo=_number(a["lo"]), hi=_number(a["hi"]))
            return fmt["money_at_least"].format(n=_number(a["lo"]))
        return fmt["money"].format(n=_number(value))

    def fill(template, **kw):
        # Markup.format escapes plain values (case data) and keeps Markup (macro output)
        from markupsafe import Markup, escape
        return Markup(escape(str(template))).format(**kw)

    def lookup(key, mapping, default=None):
        return mapping.get(str(key) if not isinstance(key, str) and key is not None else key,
                           default if default is not None else key)

    def css_string(value):
        from markupsafe import Markup
        s = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
        s = s.replace("<", "\\3C ").replace(">", "\\3E ")
        return Markup(f'"{s}"')

    def fact_names(names, result, lang):
        """The facts a conclusion depends on, in words (assessment.fact_names: the same field
        of several refund requests named once)."""
        from .assessment import fact_names as names_of
        return names_of(names or [], result or {}, lang if lang in ("zh", "en") else "zh")

    return {"date": date_filter, "money": money, "number": _number, "fill": fill,
            "css_string": css_string, "lookup": lookup, "relpath": relpath,
            "fact_names": fact_names}


# --------------------------------------------------------------------------- data for templates

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# Evidence files are read only inside the case folder (or the root the user names with
# --evidence-root), only when regular files, and only up to this size (README, "Limits").
MAX_EVIDENCE_BYTES = 1024 ** 3


def _evidence_file(name: str, case_dir: Path, root: Path, problems: list) -> Path | None:
    """The evidence file to hash, or None (with the reason in `problems`) when it is outside
    the root, not a regular file, or too large.  A missing file is no problem: the case may
    only name it."""
    path = (case_dir / name)
    try:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            problems.append(f"evidence file {name}: outside {root} (not read; pass "
                            f"--evidence-root to allow another folder) / 证据文件不在案件文件夹内，未读取")
            return None
        if not real.exists():
            return None
        st = os.stat(real)
    except (OSError, RuntimeError, ValueError):
        problems.append(f"evidence file {name}: cannot be read / 证据文件无法读取")
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.append(f"evidence file {name}: not a regular file (not read) / 不是普通文件，未读取")
        return None
    if st.st_size > MAX_EVIDENCE_BYTES:
        problems.append(f"evidence file {name}: {st.st_size:,} bytes, over the limit of "
                        f"{MAX_EVIDENCE_BYTES:,} (not hashed) / 文件过大，未计算哈希值")
        return None
    return real


def _evidence_sha(item: dict, case_dir: Path, root: Path | None = None,
                  problems: list | None = None) -> tuple[str | None, str | None]:
    """(sha256, where it came from) of a piece of evidence: computed from the file (a path
    relative to the case file, inside `root`, by default the case folder) when it is there,
    else the value the case file gives, else (None, None).  A given value that differs from
    the file is reported as "mismatch"; a file not read is said in `problems`."""
    given = item.get("sha256")
    name = item.get("file")
    problems = [] if problems is None else problems
    if name:
        p = _evidence_file(name, case_dir, root or case_dir, problems)
        try:
            if p is not None:
                sha = _sha256_file(p)
                if given and given.lower() != sha:
                    return sha, "mismatch"
                return sha, "computed"
        except OSError:
            problems.append(f"evidence file {name}: cannot be read / 证据文件无法读取")
    if given:
        return given, "given"
    return None, None


# A long list of refund requests is summarised in a document's body — how many, from when to
# when, the amounts by refund state and the largest requests — and given in full in an annex
# (附件：退款申请明细) at the end.  A layout choice, not a legal number (README, "Limits"):
# the body lists the requests one by one up to INCIDENTS_IN_BODY; the summary shows the
# INCIDENTS_TOP largest.
INCIDENTS_IN_BODY = 20
INCIDENTS_TOP = 5
REFUND_STATES = ("paid", "pending", "unpaid", "rejected", "unknown")


def _refund_state(i: dict) -> str:
    """Where a refund request stands: paid, pending, rejected, unknown, or unpaid (not paid,
    the status not given: pending or rejected)."""
    if i["refund_status"] == "unknown" and i["refund_paid"] == "no":
        return "unpaid"
    return i["refund_status"]


def _incident_summary(incidents: list[dict]) -> dict | None:
    """The summary of a list longer than INCIDENTS_IN_BODY (None for a shorter one)."""
    if len(incidents) <= INCIDENTS_IN_BODY:
        return None
    dates = [d for d in (_as_date(i["date"]) for i in incidents) if d is not None]
    by_state = []
    for state in REFUND_STATES:
        items = [i for i in incidents if _refund_state(i) == state]
        if items:
            amounts = [i["amount"] for i in items if i["amount"] is not None]
            by_state.append({"state": state, "count": len(items), "amount": add(amounts),
                             "amount_unknown": len(items) - len(amounts)})
    with_amount = [i for i in incidents if i["amount"] is not None]
    top = sorted(with_amount, key=lambda i: (-i["amount"], i["n"]))[:INCIDENTS_TOP]
    return {"count": len(incidents), "amount": add(i["amount"] for i in with_amount),
            "amount_unknown": len(incidents) - len(with_amount),
            "first": min(dates) if dates else None,
            "last": max(dates) if dates else None, "undated": len(incidents) - len(dates),
            "by_state": by_state, "top": top}


def _case_view(case, result: dict, templates: Path | None = None,
               evidence_root: Path | None = None, problems: list | None = None) -> dict:
    """The case as plain data for the templates (values as given, None when unknown), with
    what the police report and the appeal need (`filing`, see _filing_view)."""
    case_dir = Path(case.file).resolve().parent if case.file else Path.cwd()
    root = Path(evidence_root) if evidence_root else case_dir
    problems = [] if problems is None else problems
    incidents = []
    for n, inc in enumerate(case.incidents, 1):
        photos = []
        for ph in inc.photos:
            sha, how = _evidence_sha(ph, case_dir, root, problems)
            photos.append({"file": ph.get("file"), "description": ph.get("description"),
                           "sha256": sha, "sha256_source": how})
        incidents.append({"n": n, "date": inc.date, "order_no": inc.order_no, "goods": inc.goods,
                          "amount": inc.amount, "refund_paid": inc.refund_paid,
                          "refund_status": inc.refund_status, "handled": inc.handled,
                          "photo_method": inc.photo_method, "goods_defective": inc.goods_defective,
                          "photos": photos, "evidence": []})
    incidents.sort(key=lambda i: (i["date"] is None, i["date"] or date.min, i["n"]))

    # numbered evidence: the merchant's items in file order, then buyer photos not yet listed
    evidence, seen_files = [], {}
    for e in case.evidence:
        sha, how = _evidence_sha(e, case_dir, root, problems)
        item = {"kind": e.get("kind") or "unknown", "description": e.get("description"),
                "file": e.get("file"), "sha256": sha, "sha256_source": how, "incidents": []}
        evidence.append(item)
        if e.get("file"):
            seen_files[e["file"]] = item
    for inc in incidents:
        for ph in inc["photos"]:
            if ph["file"] and ph["file"] in seen_files:
                item = seen_files[ph["file"]]
                item["incidents"].append(inc["n"])
                if not item["sha256"] and ph["sha256"]:
                    item["sha256"], item["sha256_source"] = ph["sha256"], ph["sha256_source"]
                continue
            item = {"kind": "buyer_photo", "description": ph["description"], "file": ph["file"],
                    "sha256": ph["sha256"], "sha256_source": ph["sha256_source"],
                    "incidents": [inc["n"]]}
            evidence.append(item)
            if ph["file"]:
                seen_files[ph["file"]] = item
    for n, item in enumerate(evidence, 1):
        item["n"] = n
        for inc in incidents:
            if inc["n"] in item["incidents"]:
                inc["evidence"].append(n)

    first = _as_date((result.get("dates") or {}).get("first_conduct"))
    buyer = dict(case.buyer)
    buyer["age_at_conduct"] = case.buyer_age_on(first) if first else buyer.get("age")
    # the first conduct on the day the age changes (a birthday): the criminal law counts the
    # new year from the next day (rules/criminal.yaml criminal.age; the note says so)
    buyer["birthday_at_conduct"] = bool(
        first and buyer.get("birth_date") is not None
        and case.buyer_age_on(first) != case.buyer_age_on(first - timedelta(days=1)))
    # a bare age, and conclusions that depend on the criminal law's age: the conduct may have
    # fallen on the birthday (the note says so)
    buyer["birthday_unknown"] = bool(
        buyer.get("birth_date") is None and buyer["age_at_conduct"] is not None
        and any(set(t.get("conditional_on") or ()) & CRIMINAL_AGE_FACTS
                for t in result.get("trace") or ()))
    place = case.place
    return {
        "file": Path(case.file).name if case.file else None,
        "sha256": case.sha256,
        "title": case.title,
        "place": ({"text": place.text, "label": place.label(), "province": place.province,
                   "city": place.city, "county": place.county} if place else None),
        "buyer": buyer, "merchant": dict(case.merchant), "platform": dict(case.platform),
        "incidents": incidents,
        "incident_summary": _incident_summary(incidents),    # None: listed in the body
        "total_amount": case.total_amount,
        "facts": {k: getattr(case, k) for k in (
            "intent_to_possess", "refund_caused_by_photos", "merchant_learned_date",
            "restitution", "forgiveness", "surrender", "confession",
            "interpretation_art2_circumstance", "local_listed_circumstance", "admin_serious")},
        "evidence": evidence,
        "notes": case.notes,                      # the opinion only: never in report or appeal
        "report_statement": case.report_statement,
        "police_decision": case.police_decision,
        "police_report_date": case.police_report_date,
        "filing": _filing_view(case, result, incidents, templates),
    }


# --------------------------------------------------------------------------- photo evidence

# the rule whose provisions the evidence section quotes (preserving electronic data)
_PRESERVE_RULE = "evidence.preserve"
_PHOTO_KINDS = {"buyer_photo": "photo", "listing_photo": "listing"}


def _photo_evidence(case, result: dict, lang: str, evidence_root=None,
                    problems: list | None = None) -> tuple[dict | None, list]:
    """The evidence section's data (assess.evidence.section) for the buyer and listing photos
    the case names and the documents may read (inside the case folder or --evidence-root), and
    the provisions of the preservation rule.  Nothing (and no OpenCV import) without photos."""
    case_dir = Path(case.file).resolve().parent if case.file else Path.cwd()
    root = Path(evidence_root) if evidence_root else case_dir
    problems = [] if problems is None else problems
    wanted: dict[str, dict] = {}
    named = [(ph, "photo") for inc in case.incidents for ph in inc.photos]
    named += [(e, _PHOTO_KINDS[e.get("kind")]) for e in case.evidence
              if e.get("kind") in _PHOTO_KINDS]
    for item, role in named:
        name = item.get("file")
        if name in wanted:                  # named twice (a photo and an evidence entry)
            wanted[name]["obtained"] = wanted[name]["obtained"] or item.get("obtained")
            continue
        if not name or name.startswith("~"):
            continue
        if _evidence_file(name, case_dir, root, []) is None:
            continue                        # absent, outside the root, not a regular file
        wanted[name] = {"file": name, "role": role, "obtained": item.get("obtained"),
                        "description": item.get("description")}
    basis = [c for e in result.get("trace") or [] if e.get("rule") == _PRESERVE_RULE
             for c in e.get("cites") or []]
    if not wanted:
        return None, basis
    try:
        from .evidence.section import photo_evidence
        return photo_evidence(list(wanted.values()), case_dir, lang), basis
    except Exception as exc:            # the documents are still written, without the section
        problems.append(f"photo analysis failed ({exc.__class__.__name__}: {exc}); the evidence "
                        f"section is left out / 照片分析失败，文书中未列照片分析")
        return None, basis


# --------------------------------------------------------------------------- report and appeal

AUTHORITIES_FILE = "authorities.yaml"

# The report's legal basis per track: the rules that conclude the track applies or set the amount
# band (their cites are the fraud provision as applied), and the rule that recovers the proceeds
# (it is the one that depends on money still outstanding).
_BASIS_CONCLUSIONS = {"criminal": ("criminal_applies", "criminal_band"),
                      "administrative": ("admin_applies",)}
_RECOVERY_FACT = {"criminal": "criminal_money_outstanding",
                  "administrative": "admin_money_outstanding"}
_OBTAINED_FACT = {"criminal": "criminal_amount_obtained",
                  "administrative": "admin_amount_obtained"}
_EDITION_FACT = "psapl_edition_applied"           # the conclusion choosing the PSAPL text
_ADMIN_LIMITATION = "admin_limitation"            # deadline id (rules/administrative.yaml)


def _police_organ(place, templates: Path | None) -> str | None:
    """The suggested police organ for the place, from templates/authorities.yaml (a naming
    pattern, printed as a suggestion to confirm); None without a place or the file."""
    if place is None or templates is None or not (templates / AUTHORITIES_FILE).is_file():
        return None
    import yaml

    file = templates / AUTHORITIES_FILE
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        forms = data["forms"]
        municipal = place.province in (data.get("municipalities") or [])
        district = any(place.county.endswith(s) for s in data.get("district_suffixes") or [])\
            if place.county else False
        if place.county and municipal:
            form = forms["municipality_district" if district else "municipality_county"]
        elif place.county and place.city and district:
            form = forms["city_district"]
        elif place.county:
            form = forms["county"]
        elif place.city:
            form = forms["city"]
        else:
            return None
        return form.format(province=place.province or "", city=place.city or "",
                           county=place.county or "")
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise AssessError(f"cannot read the police-organ patterns: {exc}", file=str(file),
                          expected="municipalities, district_suffixes and forms: city_district, "
                                   "municipality_district, municipality_county, county, city",
                          hint="see docs/documents.md (addressee of the police report)") from None


def _entries(result: dict, track: str, conclusions=(), uses=None) -> list[dict]:
    """Trace entries of a track that conclude one of `conclusions` or use the fact `uses`."""
    return [e for e in result.get("trace", []) if e.get("track") == track
            and (any(k in (e.get("conclusions") or {}) for k in conclusions)
                 or (uses is not None and uses in (e.get("facts_used") or {})))]


def _unique_cites(entries: list[dict], keep_editions=None) -> list[dict]:
    """The cites of some entries, each provision version once.  With `keep_editions`, of the
    several versions of one law cited by the same rule only those editions are kept."""
    out, seen = [], set()
    for e in entries:
        cites = e.get("cites") or []
        for c in cites:
            if keep_editions is not None and c.get("edition") not in keep_editions and any(
                    o.get("law") == c.get("law") and o.get("edition") in keep_editions
                    for o in cites):
                continue
            key = (c.get("id"), c.get("effective_from"))
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


def _psapl_choice(result: dict) -> dict | None:
    """Which PSAPL text was in force at the conduct and now, and which applies and why (the
    explanations of the rules that chose it); None when no rule chose a text."""
    facts = result.get("facts") or {}
    law = result.get("law_applied") or {}
    chose = {e["rule"]: (e.get("conclusions") or {})[_EDITION_FACT]
             for e in result.get("trace", []) if _EDITION_FACT in (e.get("conclusions") or {})}
    reasons = [dict(r, edition=chose[r["rule"]]) for r in law.get("rules") or []
               if r["rule"] in chose]
    if not reasons:
        return None
    applied = law.get("psapl_edition") if isinstance(law.get("psapl_edition"), str) else None
    options = [{"edition": o["edition"], "condition_text": o.get("condition_text") or "",
                "reasons": [r["explanation"] for r in reasons if r["edition"] == o["edition"]]}
               for o in law.get("editions") or []]
    return {"at_conduct": facts.get("psapl_edition_at_conduct"),
            "at_decision": facts.get("psapl_edition_at_decision"),
            "applied": applied,
            "reasons": [r["explanation"] for r in reasons if r["edition"] == applied],
            "options": [] if applied else [o for o in options if o["reasons"]]}


def _report_view(case, result: dict, incidents: list[dict]) -> dict:
    """What the police report says: for which tracks (criminal, administrative) it asks, on
    which provisions, or why no report is needed."""
    tracks = result.get("tracks") or {}
    facts = result.get("facts") or {}
    limitation = next((d for d in result.get("deadlines") or []
                       if d.get("id") == _ADMIN_LIMITATION and d.get("passed")
                       and not d.get("met")), None)
    psapl = _psapl_choice(result)
    asked = []
    for t in ("criminal", "administrative"):
        applies = (tracks.get(t) or {}).get("applies", False)
        if applies is False:
            continue
        basis = _entries(result, t, _BASIS_CONCLUSIONS[t])
        editions = None
        if t == "administrative" and psapl:
            editions = [psapl["applied"]] if psapl["applied"] else \
                [o["edition"] for o in psapl["options"]] or None
        recovery = _entries(result, t, uses=_RECOVERY_FACT[t])
        asked.append({"track": t, "applies": applies,
                      "condition_text": tracks[t].get("condition_text") or "",
                      "basis": _unique_cites(basis, editions),
                      "basis_all": _unique_cites(basis),
                      "recovery": _unique_cites(recovery),
                      "obtained": facts.get(_OBTAINED_FACT[t])})
    if not incidents:                  # nothing to report: say so rather than guess
        asked = []
    if any(a["applies"] is True for a in asked):
        asked = [a for a in asked if a["applies"] is True]
        mode = asked[0]["track"]
    else:
        mode = "conditional" if asked else "none"

    reason = None
    if mode == "none":
        if not incidents:
            reason = "no_incidents"
        elif facts.get("fraud_established") == "no" or tracks.get("civil", {}).get("applies") is False:
            reason = "no_fraud"
        elif facts.get("unhandled_fraud_incident") == "no":
            reason = "handled"
        elif facts.get("admin_time_barred") == "yes" or limitation:
            reason = "limitation"
        else:
            reason = "other"

    outstanding = facts.get("amount_outstanding")
    recovery = None
    wanted = [a for a in asked if a["recovery"]]
    if wanted:
        obtained = wanted[0]["obtained"]
        if isinstance(outstanding, (int, float)) and isinstance(obtained, (int, float)):
            recovery = {"amount": min(outstanding, obtained), "obtained": obtained}
        else:
            recovery = {"amount": None, "obtained": obtained}
        recovery["known"] = amount_view(obtained)
    methods = []
    for i in incidents:
        if i["photo_method"] not in methods:
            methods.append(i["photo_method"])
    barred = [e["explanation"] for e in result.get("trace", [])
              if (e.get("conclusions") or {}).get("admin_time_barred") == "yes"]
    return {"mode": mode, "reason": reason, "tracks": asked, "barred": barred,
            "psapl": psapl if any(a["track"] == "administrative" for a in asked) else None,
            "limitation": limitation, "recovery": recovery, "methods": methods,
            "fraud_amount": (result.get("amounts") or {}).get("fraud_amount"),
            "amount": amount_view((result.get("amounts") or {}).get("fraud_amount")),
            "faked": [m for m in methods if m not in ("genuine", "unknown")],
            "open": "unknown" in methods,
            "obtained": (result.get("amounts") or {}).get("obtained"),
            "obtained_within": _within((result.get("amounts") or {}).get("obtained"),
                                       (result.get("amounts") or {}).get("fraud_amount")),
            "thresholds": result.get("thresholds") if mode in ("criminal", "conditional") and any(
                a["track"] == "criminal" for a in asked) else None}


# The civil rules whose provisions ground the appeal (by what they conclude): 欺诈 and, where a
# refund was paid, its rescission and the return of money obtained without legal ground; once
# the right to rescind has lapsed (a deadline below passed), only the return without legal ground.
_APPEAL_CIVIL = {"paid": ("civil_fraud", "civil_applies", "unjust_enrichment"),
                 "unpaid": ("civil_fraud",),
                 "lapsed": ("unjust_enrichment",)}
_REVOCATION_DEADLINES = ("civil_revocation_1y", "civil_revocation_5y")   # deadline ids


def _appeal_view(case, result: dict, incidents: list[dict]) -> dict:
    """What the appeal asks, per refund state: paid → reversal and compensation; pending →
    rejection of the claim; rejected → no appeal needed."""
    by_state = {s: [i for i in incidents if _refund_state(i) == s] for s in REFUND_STATES}
    facts = result.get("facts") or {}
    civil = (result.get("tracks") or {}).get("civil") or {}
    if not incidents:
        state = "no_incidents"
    elif civil.get("applies") is False:
        state = "no_fraud"
    elif incidents and len(by_state["rejected"]) == len(incidents):
        state = "rejected"
    else:
        state = "appeal"
    paid_amounts = [i["amount"] for i in by_state["paid"]]
    paid_total = add(paid_amounts) if paid_amounts and None not in paid_amounts else None
    lapsed = any(d.get("id") in _REVOCATION_DEADLINES and d.get("passed")
                 for d in result.get("deadlines") or [])
    ground = ("lapsed" if lapsed else "paid") if by_state["paid"] else "unpaid"
    entries = _entries(result, "civil", _APPEAL_CIVIL[ground])
    definite = [e for e in entries if e.get("status") == "definite"]
    # the merchant approved the refund itself: nothing the platform decided to compensate for
    own = (case.platform or {}).get("refund_approval") == "merchant"
    return {"state": state, "by_state": by_state, "paid_total": paid_total, "own_approval": own,
            "outstanding": facts.get("amount_outstanding"), "ground": ground,
            "civil": _unique_cites(definite or entries)}


def _filing_view(case, result: dict, incidents: list[dict], templates: Path | None) -> dict:
    """Data for the police report and the appeal: the operator who files them, the suggested
    police organ, the report's tracks and provisions, the appeal's requests."""
    m = case.merchant
    return {"operator": {"name": m.get("operator"), "type": m.get("operator_type") or "unknown",
                         "legal_representative": m.get("legal_representative"),
                         "id": m.get("operator_id"), "contact_person": m.get("contact_person"),
                         "contact": m.get("contact"), "address": m.get("address"),
                         "shop": m.get("name"), "platform_account": m.get("platform_account")},
            "organ": _police_organ(case.place, templates),
            "report": _report_view(case, result, incidents),
            "appeal": _appeal_view(case, result, incidents)}


def _file_digests(root: Path, sub: str, patterns=("*.yaml", "*.yml")) -> list[dict]:
    folder = root / sub
    out = []
    if folder.is_dir():
        files = sorted({p for pat in patterns for p in folder.rglob(pat) if p.is_file()})
        for p in files:
            out.append({"path": p.relative_to(root).as_posix(), "sha256": _sha256_file(p)})
    return out


def _reproducibility(kind: str, result: dict, case, base, templates: Path) -> dict:
    home = paths.home(base)
    rules = _file_digests(home, "rules")
    statutes = _file_digests(home, "statutes")
    tmpl = []
    used = [templates / n for n in (STRINGS_FILE, "base.html.j2", "macros.html.j2", KINDS[kind])]
    used += sorted(templates.glob("_*.j2")) + sorted(p for p in (templates / ASSETS).rglob("*"))
    for p in sorted(set(used)):
        if p.is_file():
            tmpl.append({"path": "templates/" + p.relative_to(templates).as_posix(),
                         "sha256": _sha256_file(p)})
    return {"tool": result["tool"], "as_of": result["as_of"], "case_file": case.file,
            "case_sha256": case.sha256, "rules": rules, "statutes": statutes,
            "templates": tmpl}


def _doc_id(kind: str, lang: str, repro: dict) -> str:
    blob = json.dumps({"kind": kind, "lang": lang, "repro": {k: v for k, v in repro.items()
                                                             if k != "case_file"}},
                      sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


# --------------------------------------------------------------------------- the opinion's view

# Facts of the case file that are the client's account of events (shown under 事实 when given).
# Legal evaluations (非法占有目的, 情节较重, listed circumstances …) are the lawyer's assessment and
# are discussed in the analysis instead (OPINION_ASSESSED).
OPINION_CLIENT_FACTS = ("refund_caused_by_photos", "merchant_learned_date", "restitution",
                        "amount_returned", "forgiveness", "surrender", "confession",
                        "prior_fraud_penalty", "police_reported", "police_report_date",
                        "police_case_filed", "police_decision")
OPINION_ASSESSED = ("intent_to_possess", "admin_serious", "interpretation_art2_circumstance",
                    "local_listed_circumstance", "amount_near_large", "repeated_fraud")
SEVERITY = ("criminal", "administrative", "civil", "platform")
_NEVER = 1e11            # the engine's stand-in for "no such event" (e.g. no earlier penalty)


def _is_unknown(value) -> bool:
    return value is None or value == "unknown" or (isinstance(value, str) and not value.strip())


class _ValueText:
    """A fact's value in words (the opinion's appendix): labels from templates/strings.yaml,
    dates and amounts formatted, parameters with their unit; never a raw code."""

    def __init__(self, t: dict, filters: dict, params: dict, lang: str):
        self.t, self.f, self.params, self.lang = t, filters, params, lang
        self.maps = {"photo_method": t["photo_methods"], "refund_approval": t["refund_approvals"],
                     "restitution": t["restitution"], "kind": t["penalty_kinds"]}

    def label(self, key: str, labels: dict) -> str:
        if key in labels:
            return labels[key]
        if key in self.params:
            return self.params[key].label.get(self.lang) or self.params[key].label.get("zh")
        if key.startswith("cut:"):
            return self.t["opinion"]["fv_cut"]
        return self.t["fields"].get(key, key)

    def __call__(self, key: str, value) -> str:
        t, op = self.t, self.t["opinion"]
        if isinstance(value, dict) and "unknown" in value:
            options = [self(key, v) for v in value["unknown"]]
            return (op["fv_open"].format(options=t["format"]["list_sep"].join(options))
                    if options else t["common"]["unknown"])
        if isinstance(value, dict) and ("min" in value or "max" in value):
            lo, hi = value.get("min"), value.get("max")
            if (hi is None or hi >= _NEVER) and not lo:
                return t["common"]["unknown"]           # no bound at all: unknown
            if hi is None or hi >= _NEVER:
                return op["fv_at_least"].format(x=self(key, lo))
            if not lo and self.is_amount(key):          # "至多 7,300 元", not "0 元 至 7,300 元"
                return self.f["money"]({"min": 0, "max": hi})
            return op["fv_range"].format(lo=self(key, lo), hi=self(key, hi))
        if isinstance(value, (list, tuple)):
            return t["format"]["list_sep"].join(self(key, v) for v in value) or t["common"]["none"]
        if value is None:
            return t["common"]["unknown"]
        if isinstance(value, bool):
            return t["tri"]["yes" if value else "no"]
        if isinstance(value, (int, float, Decimal)):
            return self.number(key, value)
        value = str(value)
        base = key.rsplit(".", 1)[-1]
        if base in self.maps and value in self.maps[base]:
            return self.maps[base][value]
        if base.endswith("band") or base.endswith("bands"):
            return t["bands"].get(value, op["band_below"])
        if "edition" in base and value.isdigit():
            return op["fv_edition"].format(edition=value)
        if value in t["tri"]:
            return t["tri"][value]
        if _as_date(value) is not None:
            return self.f["date"](value)
        return value

    @staticmethod
    def is_amount(key: str) -> bool:
        return any(w in key for w in ("amount", "threshold", "obtained", "outstanding"))

    def number(self, key: str, value) -> str:
        op = self.t["opinion"]
        if value >= _NEVER:
            return op["fv_never"]
        unit = self.params[key].unit if key in self.params else None
        # fraud_amount_before_criminal_age is an amount, not an age
        if unit == "years" or ("age" in key.split(".")[-1].split("_") and not self.is_amount(key)):
            return self.t["format"]["age"].format(n=_number(value))
        if unit == "months" or "months" in key:
            return op["units"]["months"].format(n=_number(value))
        if unit == "days":
            return op["units"]["days"].format(n=_number(value))
        if self.is_amount(key):
            return self.f["money"](value)
        if "count" in key:
            return op["fv_times"].format(n=_number(value))
        return _number(value)


def _heading_cites(entries: list, track: str, result: dict) -> list[dict]:
    """The provisions a track's heading names: the first provision of each rule that made the
    track apply (its conclusions set '<...>_applies'), in the text applied.  For the
    administrative track, the PSAPL text the result applies (both, each with its edition,
    while that depends on unknown facts)."""
    edition = (result.get("law_applied") or {}).get("psapl_edition")
    out, seen = [], set()
    for e in entries:
        if not any(k.endswith("_applies") and v != "no" for k, v in e["conclusions"].items()):
            continue
        if not e["cites"]:
            continue
        first = e["cites"][0]
        same_law = [c for c in e["cites"] if c["law"] == first["law"]]
        editions = {c.get("edition") for c in same_law}
        if track == "administrative" and len(editions) > 1:
            chosen = ([c for c in same_law if c.get("edition") == edition]
                      if isinstance(edition, str) else same_law)
        else:
            chosen = [first]
        for c in chosen or [first]:
            key = (c["id"], c.get("edition"))
            if key not in seen:
                seen.add(key)
                out.append(dict(c, show_edition=len(chosen) > 1))
    return out


def _why_not(track: str, result: dict, case) -> list[dict]:
    """Why a track does not apply, as reason keys (wording: t.opinion.why_not) with values."""
    f = result.get("facts", {})
    amounts = result.get("amounts", {})
    reasons = []
    handled = f.get("incidents_handled") == "yes" and f.get("unhandled_fraud_incident") == "no"
    if f.get("no_fraud_genuine_defect") == "yes":
        reasons.append({"key": "defective"})
    elif f.get("fraud_established") == "no" and (track != "civil"
                                                 or f.get("civil_fraud") == "no"):
        reasons.append({"key": "no_fraud"})
    elif track in ("criminal", "administrative") and handled:
        reasons.append({"key": "handled", "decision": case.police_decision})
    if track == "criminal" and not reasons:
        if f.get("criminal_age_excluded") == "yes" or f.get("crime_excluded_by_age") == "yes":
            reasons.append({"key": "age"})
        if f.get("near_relative_excluded") == "yes":
            reasons.append({"key": "relative"})
    if track == "criminal" and f.get("criminal_band") == "none" and (
            not reasons or reasons[0]["key"] == "handled"):
        amount = amounts.get("fraud_amount") or f.get("fraud_amount_handled") or 0
        large = (result.get("thresholds") or {}).get("used", {}).get("large")
        if large is not None:
            reasons.append({"key": "below_handled" if handled else "below", "amount": amount,
                            "threshold": large})
    if track == "administrative" and not reasons:
        if f.get("criminal_applies") == "yes":
            reasons.append({"key": "criminal"})
        elif f.get("admin_time_barred") == "yes":
            reasons.append({"key": "time_barred"})
        elif f.get("criminal_applies") == "unknown" and f.get("fraud_established") == "unknown":
            reasons.append({"key": "criminal_or_no_fraud"})
    if track == "platform":
        approval = f.get("refund_approval")
        if f.get("refund_paid") == "no":
            reasons.append({"key": "not_paid"})
        elif approval in ("merchant", "reviewed_with_merchant"):
            reasons.append({"key": "approval_" + approval})
    return reasons or [{"key": "other"}]


def _opinion_view(case, result: dict, t: dict, filters: dict, base, lang: str) -> dict:
    """What the opinion shows beyond the plain case view: the client's own account of events
    (legal evaluations kept apart), the reasons a track does not apply, the heading provisions,
    deadlines in date order with the consequences of those passed, and the reasoning trace with
    every value in words."""
    from .assessment import load

    lib, _ = load(base)
    words = _ValueText(t, filters, lib.parameters, lang)
    labels = result.get("fact_labels", {})

    client_facts, open_facts = [], []
    for key in OPINION_CLIENT_FACTS:
        value = getattr(case, key, None)
        (open_facts if _is_unknown(value) else client_facts).append(
            {"key": key, "value": value, "text": None if _is_unknown(value) else words(key, value)})
    if not _is_unknown(case.buyer.get("near_relative")):
        client_facts.append({"key": "buyer.near_relative", "value": case.buyer["near_relative"],
                             "text": words("near_relative", case.buyer["near_relative"])})
    assessed = [{"key": k, "value": getattr(case, k, None)} for k in OPINION_ASSESSED
                if k == "intent_to_possess" or not _is_unknown(getattr(case, k, None))]
    incidents = {n: {"refund_status": inc.refund_status, "handled": inc.handled}
                 for n, inc in enumerate(case.incidents, 1)}

    tracks = {}
    for track in ("fraud", "civil", "administrative", "criminal", "platform"):
        entries = [e for e in result["trace"] if e["track"] == track]
        tr = result["tracks"].get(track)
        tracks[track] = {
            "entries": entries,
            "heading_cites": _heading_cites(entries, track, result),
            "why_not": _why_not(track, result, case) if tr and tr["applies"] is False else [],
        }

    deadlines = sorted(result.get("deadlines", []),
                       key=lambda d: (d.get("date") is None, d.get("date") or "", d["label"]))
    upcoming = [d for d in deadlines if d.get("date") and d.get("passed") is False
                and not d.get("met") and d.get("status") == "definite"]

    outcomes = sorted(result.get("headline", {}).get("outcomes", []),
                      key=lambda o: SEVERITY.index(o["track"]) if o["track"] in SEVERITY else 9)

    trace = []
    for e in result["trace"]:
        trace.append({
            "title": e["title"], "status": e["status"], "date": e["date"], "track": e["track"],
            "facts": [{"label": words.label(k, labels), "text": words(k, v)}
                      for k, v in e["facts_used"].items()],
            "conditional_on": e.get("conditional_on") or [],
            "cites": e["cites"],
        })
    return {"client_facts": client_facts, "open_facts": open_facts, "assessed": assessed,
            "incidents": incidents, "tracks": tracks, "deadlines": deadlines,
            "next_deadline": upcoming[0] if upcoming else None,
            "passed": [d for d in deadlines if d.get("passed") and not d.get("met")],
            "outcomes": outcomes, "trace": trace}


def _firm(settings, number: str | None, as_of: date) -> dict:
    """The firm, lawyers and opinion number from the settings file (None: a marked blank)."""
    from . import settings as firm_settings

    conf = (settings if isinstance(settings, firm_settings.Settings)
            else firm_settings.resolve(settings))
    text, complete = conf.number(as_of.year, number)
    if number is not None and not conf.opinion_number:
        text, complete = number, True            # --number alone: the number as given
    head, _, tail = (text or "").partition("{n}")
    return {"file": conf.file, "name": conf.firm,
            "lawyers": [{"name": x.name, "licence": x.licence} for x in conf.lawyers],
            "number": text if complete else None,
            "number_parts": (head, tail) if text and not complete else None}


def verification_record(doc: "Rendered", data: bytes, out: Path) -> dict:
    """The verification sheet of an opinion (written next to it as <name>.verification.json):
    what the client's document leaves out — digests of the case, rule, statute and template
    files, the rules that fired with their files and lines, and each cited text's source and
    confidence — plus the SHA-256 of the document itself."""
    ctx = doc.context or {}
    result, repro = ctx.get("result", {}), ctx.get("repro", {})
    home = ctx.get("home") or "\0"
    rules = []
    for e in result.get("trace", []):
        source = e.get("source") or ""
        rules.append({"rule": e["rule"], "title": e["title"], "track": e["track"],
                      "status": e["status"],
                      "source": source[len(home):] if source.startswith(home) else source,
                      "facts_used": e.get("facts_used"),
                      "cites": [{"id": c["id"], "article": c.get("article"),
                                 "edition": c.get("edition"),
                                 "effective_from": c.get("effective_from"),
                                 "effective_to": c.get("effective_to"),
                                 "confidence": c.get("confidence"), "source": c.get("source")}
                                for c in e.get("cites", [])]})
    firm = ctx.get("firm", {})
    return {"schema": "assess-verification/1", "document": {
                "kind": doc.kind, "format": doc.fmt, "lang": ctx.get("lang"), "file": out.name,
                "sha256": hashlib.sha256(data).hexdigest(), "number": firm.get("number"),
                "content_id": (ctx.get("doc") or {}).get("id"),
                "settings_file": firm.get("file")},
            "tool": repro.get("tool"), "as_of": repro.get("as_of"),
            "case": {"file": repro.get("case_file"), "sha256": repro.get("case_sha256")},
            "thresholds": {k: (result.get("thresholds") or {}).get(k)
                           for k in ("document", "sources", "quality", "effective_from")},
            "rules_fired": rules,
            "files": {"rules": repro.get("rules"), "statutes": repro.get("statutes"),
                      "templates": repro.get("templates")}}


class _Needs:
    """Records the facts a template needed but the case file does not give."""

    def __init__(self, labels: dict):
        self.labels = labels
        self.missing: dict[str, str] = {}

    def __call__(self, value, key: str, index=None):
        if value is None or (isinstance(value, str) and not value.strip()) or value == "unknown":
            path = key if index is None else key.replace(".", f"[{index}].", 1)
            self.missing.setdefault(path, self.labels.get(key, key))
            return None
        return value


# --------------------------------------------------------------------------- rendering

_JINJA_OPTIONS = dict(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _bytecode_cache():
    """Compiled templates kept on disk (keyed by each template's source, so an edited template
    is compiled again; the folder is named after the options, which the key does not cover):
    compiling them costs about 0.2 s a render.  None if there is no cache."""
    import hashlib

    from jinja2 import FileSystemBytecodeCache, __version__ as jinja_version

    options = hashlib.sha256(repr(sorted(_JINJA_OPTIONS.items())).encode()).hexdigest()[:12]
    folder = paths.cache_dir() / "templates" / f"jinja{jinja_version}-{options}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    _prune_cache(folder)
    return FileSystemBytecodeCache(str(folder))


CACHE_KEEP = 64          # compiled templates kept (each pack folder has its own)


def _prune_cache(folder: Path) -> None:
    """Keep the cache small: other jinja versions' or options' folders go, and of this one only
    the CACHE_KEEP most recently used files stay."""
    import shutil

    try:
        for other in folder.parent.iterdir():
            if other != folder and other.is_dir() and other.name.startswith("jinja"):
                shutil.rmtree(other, ignore_errors=True)
        files = sorted((f for f in folder.iterdir() if f.is_file()),
                       key=lambda f: f.stat().st_mtime, reverse=True)
        for old in files[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass                                   # a cache that cannot be pruned is no error


def _environment(templates: Path, t: dict, home: Path):
    """Templates run sandboxed: a trainer's pack may come from someone else, and a template
    must not reach Python internals (cycler.__init__.__globals__.os ...)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)),
                               undefined=StrictUndefined, bytecode_cache=_bytecode_cache(),
                               **_JINJA_OPTIONS)
    env.filters.update(_filters(t, home))
    return env


def _template_error(exc: Exception, templates: Path) -> AssessError:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return AssessError(f"template syntax error: {exc.message}",
                           file=exc.filename or exc.name, line=exc.lineno,
                           hint="fix the template (Jinja2 syntax: {{ … }}, {% … %})")
    if isinstance(exc, TemplateNotFound):
        return AssessError(f"template not found: {exc.name}", file=str(templates),
                           hint="templates/ needs base.html.j2 and one template per document")
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".j2", ".html"))]
    where = frames[-1] if frames else None
    return AssessError(f"template error: {exc}", file=where.filename if where else str(templates),
                       line=where.lineno if where else None,
                       hint="check the names used in the template (see docs/documents.md)")


# The names render_html gives every document template, and those the opinion gets besides; `rules
# check` reports a template using a name that is none of these, no Jinja global and not set in
# the templates themselves (assess/rulecheck.py).  tests/test_hardening.py checks that
# render_html passes exactly these.
CONTEXT_NAMES = ("kind", "lang", "html_lang", "t", "result", "case", "doc", "repro", "need",
                 "evidence_photos", "evidence_basis")
OPINION_CONTEXT_NAMES = ("firm", "home", "op")


def filter_names() -> set[str]:
    """The filters the documents register besides Jinja's own (`_filters`)."""
    return set(_filters({"format": {}}, Path.cwd()))


def render_html(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
                base=None, engine: str = "durable", strict: bool = False, settings=None,
                number: str | None = None, evidence_root=None) -> Rendered:
    """Render one document to HTML (no PDF).  Missing facts are listed in `.missing`.
    The opinion reads the firm's settings (assess.settings: `settings` is a file, else the
    default places) and fills the number scheme's {n} with `number`."""
    from .assessment import evaluate_case
    from .case import load_case

    if kind not in KINDS:
        raise AssessError(f"unknown document '{kind}'", field="kind",
                          expected=", ".join(KINDS))
    if lang not in LANGS:
        raise AssessError(f"unknown language '{lang}'", field="--lang", expected="zh or en")
    as_of = as_of or date.today()
    templates = paths.templates_dir(base)
    if not (templates / KINDS[kind]).is_file():
        raise AssessError(f"template not found: {KINDS[kind]}", file=str(templates),
                          hint="run from the project folder or pass --rules-dir")
    case = load_case(case_path, as_of=as_of)
    result = evaluate_case(case, as_of=as_of, engine=engine, lang=lang, base=base)
    t = load_strings(templates, lang)
    repro = _reproducibility(kind, result, case, base, templates)
    digest = _doc_id(kind, lang, repro)
    needs = _Needs({**t.get("fields", {}), **t.get("report_fields", {})})
    problems: list[str] = []             # evidence files not read (outside the root, ...)
    ctx = {
        "kind": kind, "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
        "t": t, "result": result,
        "case": _case_view(case, result, templates, evidence_root, problems),
        "doc": {"id": digest, "short": digest[:12].upper(), "as_of": as_of,
                "year": as_of.year, "created": f"{as_of.isoformat()}T00:00:00+08:00"},
        "repro": repro, "need": needs,
    }
    ctx["evidence_photos"], ctx["evidence_basis"] = _photo_evidence(case, result, lang,
                                                                    evidence_root, problems)
    if kind == "opinion":
        ctx["firm"] = _firm(settings, number, as_of)
        ctx["home"] = str(paths.home(base).resolve()) + os.sep
        ctx["op"] = _opinion_view(case, result, t, _filters(t, paths.home(base)), base, lang)
    try:
        env = _environment(templates, t, paths.home(base))
        html = env.get_template(KINDS[kind]).render(**ctx)
    except AssessError:
        raise
    except Exception as exc:            # template problems: one line with file:line
        raise _template_error(exc, templates) from None
    missing = [f"{path} ({label})" for path, label in needs.missing.items()] + problems
    if strict and missing:
        raise AssessError(f"the {kind} needs facts the case file does not give: "
                          + "; ".join(missing), file=str(case_path), field="--strict",
                          hint="add them to the case file, or leave out --strict to print "
                               "marked blanks")
    return Rendered(kind, "html", html, missing, ctx)


def render(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
           fmt: str = "pdf", strict: bool = False, base=None, engine: str = "durable",
           fetcher=None, settings=None, number: str | None = None,
           evidence_root=None) -> Rendered:
    """Render a document; `.content` is PDF or .docx bytes or an HTML string, `.missing` the
    blanks.  The .docx is the same HTML converted by assess/word (python-docx)."""
    if fmt not in FORMATS:
        raise AssessError(f"unknown format '{fmt}'", field="--format",
                          expected="pdf, html or docx")
    if fmt == "pdf":
        from .fonts import check_fonts
        check_fonts()
    out = render_html(kind, case_path, as_of=as_of, lang=lang, base=base, engine=engine,
                      strict=strict, settings=settings, number=number,
                      evidence_root=evidence_root)
    if fmt == "html":
        return out
    if fmt == "docx":
        from .word import html_to_docx

        page = out.context["t"]["page"]
        data = html_to_docx(out.content, page_words=(page["before"], page["middle"], page["after"]),
                            base=paths.templates_dir(base))
        return Rendered(kind, "docx", data, out.missing, out.context)
    from .pdf import html_to_pdf

    templates = paths.templates_dir(base)
    try:
        pdf = html_to_pdf(out.content, base_url=templates, assets_dir=templates / ASSETS,
                          fetcher=fetcher)
    except AssessError as exc:
        if exc.file is None:
            exc.file = str(case_path)
        raise
    return Rendered(kind, "pdf", pdf, out.missing, out.context)


def render_document(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
                    fmt: str = "pdf", strict: bool = False, base=None) -> bytes | str:
    """PDF bytes or an HTML string for `kind` (opinion, report, appeal)."""
    return render(kind, case_path, as_of=as_of, lang=lang, fmt=fmt, strict=strict,
                  base=base).content


def verification_path(out) -> Path:
    """Where an opinion's verification sheet goes: F.pdf -> F.verification.json."""
    out = Path(out)
    return out.with_name(out.stem + ".verification.json")


def check_output(out, inputs=(), force: bool = False) -> None:
    """Refuse an output path that would destroy something: an input file, a directory, a
    device, a FIFO, a symlink, or (without `force`) an existing file (case.write_atomic keeps
    the mode of a file it overwrites)."""
    out = Path(out)
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:                    # e.g. a file name too long
        raise AssessError(f"cannot write {out}: {exc.strerror}", file=str(out)[:200], field="-o",
                          hint="choose a shorter path") from None
    for given in inputs:
        try:
            if st is not None and os.path.samefile(out, given):
                raise AssessError(f"{out} is the input file; it would be overwritten",
                                  file=str(out), field="-o",
                                  hint="write the document to another file, e.g. opinion.pdf")
        except OSError:
            pass
    if st is None:
        return None
    if stat.S_ISLNK(st.st_mode):
        kind = "a symbolic link"
    elif stat.S_ISDIR(st.st_mode):
        kind = "a directory"
    elif not stat.S_ISREG(st.st_mode):
        kind = "a device, FIFO or other special file"
    else:
        kind = None
    if kind:
        raise AssessError(f"{out} is {kind}; it is not replaced", file=str(out), field="-o",
                          expected="the path of a new or ordinary file")
    if not force:
        raise AssessError(f"{out} exists", file=str(out), field="-o",
                          hint="pass --force to overwrite it, or choose another path")
    if not os.access(out, os.W_OK):
        raise AssessError(f"cannot write {out}: the file is read-only", file=str(out),
                          field="-o", hint="choose another path or make the file writable")


def write_document(kind: str, case_path, out, *, as_of: date | None = None, lang: str = "zh",
                   fmt: str | None = None, strict: bool = False, base=None, settings=None,
                   number: str | None = None, force: bool = False,
                   evidence_root=None) -> list[str]:
    """Render and write atomically to `out`; returns the missing facts (warnings).  An opinion
    also gets its verification sheet (see `verification_path`).  An existing `out` is replaced
    only with `force` (keeping its mode); see check_output for what is never replaced."""
    out = Path(out)
    if fmt is None:
        fmt = {".html": "html", ".htm": "html", ".docx": "docx"}.get(out.suffix.lower(), "pdf")
    folder = out.parent if str(out.parent) else Path(".")
    outputs = [out] + ([verification_path(out)] if kind == "opinion" else [])
    for o in outputs:
        check_output(o, [case_path], force)
    if not folder.is_dir():
        raise AssessError(f"cannot write {out}: the folder {folder} does not exist",
                          file=str(out), field="-o", hint="create the folder or choose another path")
    if not os.access(folder, os.W_OK):
        raise AssessError(f"cannot write {out}: permission denied", file=str(out), field="-o",
                          hint="choose a writable path")
    doc = render(kind, case_path, as_of=as_of, lang=lang, fmt=fmt, strict=strict, base=base,
                 settings=settings, number=number, evidence_root=evidence_root)
    data = doc.content.encode("utf-8") if isinstance(doc.content, str) else doc.content
    from .case import write_atomic

    write_atomic(out, data, str(out), field="-o")
    if kind == "opinion":
        sheet = json.dumps(verification_record(doc, data, out), ensure_ascii=False, indent=1,
                           default=str) + "\n"
        write_atomic(verification_path(out), sheet, str(verification_path(out)), field="-o")
    return doc.missing

