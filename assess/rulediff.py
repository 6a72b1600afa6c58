"""Two rule packs side by side (`diff_packs`), and a trainer's own copy of a pack (`init_pack`).

`diff_packs(old, new, cases=None, as_of=None)` reports the pack digests (over rules/ and
statutes/, the amount table included), rules added / removed / changed (condition, conclusions,
citations, date, wording), facts, parameters, provisions and amount standards (figures, document,
sources, quality) that changed, and runs the test cases (default: the golden tests; each on its
own as_of) and example cases (on `as_of`, default today, as `assess evaluate`) on both packs to
list those whose outcome changes (primary track and whether it is definite, band, and whether
each track applies) and those neither pack can assess.  `format_diff(report, lang)` words it in
Chinese or English (是/否/有条件/未知, yes/no/conditional/unknown).
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from .errors import AssessError

PACK_PARTS = ("rules", "statutes", "templates")


# --------------------------------------------------------------------------- init

def init_pack(target: str | Path, source: str | Path | None = None,
              with_tests: bool = True) -> list[str]:
    """Copy rules/, statutes/, templates/ (and the golden tests as tests/golden/) of the
    shipped pack (or `source`) into `target`; returns the parts copied."""
    from . import paths

    src = paths.home(source)
    target = Path(target)
    if target.exists() and any((target / p).exists() for p in PACK_PARTS):
        raise AssessError("this folder already holds a pack", file=str(target),
                          hint="choose a new folder, or work in this one with --rules-dir")
    missing = [p for p in PACK_PARTS[:2] if not (src / p).is_dir()]
    if missing:
        raise AssessError(f"the source pack lacks {', '.join(missing)}/", file=str(src))
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for part in PACK_PARTS:
        if (src / part).is_dir():
            shutil.copytree(src / part, target / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            copied.append(part + "/")
    golden = src / "tests" / "golden"
    if not golden.is_dir():
        golden = paths.CHECKOUT / "tests" / "golden"
    if with_tests and golden.is_dir():
        shutil.copytree(golden, target / "tests" / "golden")
        copied.append("tests/golden/")
    if (src / "examples").is_dir():
        shutil.copytree(src / "examples", target / "examples")
        copied.append("examples/")
    return copied


# --------------------------------------------------------------------------- diff

def _cond_text(cond) -> str:
    from .model import All, AnyOf, Atom, Not
    from .coverage import atom_text

    if isinstance(cond, Atom):
        return atom_text(cond)
    if isinstance(cond, Not):
        return f"not({_cond_text(cond.item)})"
    joiner = " and " if isinstance(cond, All) else " or "
    return "(" + joiner.join(_cond_text(i) for i in cond.items) + ")"


def _rule_view(rule) -> dict:
    return {"title": rule.title.get("zh"), "track": rule.track, "on": rule.on,
            "when": _cond_text(rule.when), "then": dict(rule.then), "cites": list(rule.cites),
            "wording": rule.wording, "penalty": (rule.penalty or {}).get("zh"),
            "deadline": (f"{rule.deadline.start} + {rule.deadline.add}"
                         + (f", met by {rule.deadline.met_by}" if rule.deadline.met_by else "")
                         if rule.deadline else None),
            "explain": rule.explain.get("zh")}


def _fact_view(fact) -> dict:
    return {"type": fact.type, "origin": fact.origin, "values": list(fact.values),
            "default": fact.default, "label": fact.label.get("zh")}


def _compare(old: dict, new: dict) -> dict:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = {}
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        if a != b:
            if isinstance(a, dict) and isinstance(b, dict):
                changed[key] = {f: {"old": a.get(f), "new": b.get(f)}
                                for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)}
            else:
                changed[key] = {"value": {"old": a, "new": b}}
    return {"added": added, "removed": removed, "changed": changed}


def _plain(obj, depth=0):
    """A comparable plain view of a statute object (dataclasses, dates, lists)."""
    import dataclasses

    if depth > 6:
        return repr(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj)
                if f.name not in ("file", "line", "col", "loc")}
    if isinstance(obj, dict):
        return {str(k): _plain(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v, depth + 1) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    if hasattr(obj, "__dict__"):
        return {k: _plain(v, depth + 1) for k, v in vars(obj).items()
                if not k.startswith("_") and k not in ("file", "line", "col", "loc")}
    return repr(obj)


def _threshold_view(lib) -> dict:
    """key -> {band: yuan, quality, document, sources, note} for every amount standard of the
    table and the national range (key: province / tier / alternative and dates), plus each
    province's note (what was searched where no standard is verified)."""
    from .boundaries import threshold_rows

    out = {}
    table = lib.thresholds
    try:
        rows = threshold_rows(lib)
    except AssessError:
        return out
    for row in rows:
        view = dict(row.values)
        if row.source and row.source[0] in ("std", "tier", "alt"):
            std = table.provinces[row.source[1]].standards[row.source[2]]
            view.update(quality=std.quality, document=std.document, sources=list(std.sources),
                        note=std.note)
        out[f"{row.label} {row.start or '…'}–{row.end or '…'}"] = view
    for name, entry in table.provinces.items():
        if entry.note:
            out[f"{name} note"] = {"note": entry.note}
    return out


def _outcome(result: dict) -> dict:
    tracks = result["tracks"]
    return {"primary_track": result["primary_track"],
            "primary_track_status": result.get("primary_track_status"),
            "band": tracks["criminal"].get("band"),
            "criminal": tracks["criminal"]["applies"],
            "administrative": tracks["administrative"]["applies"],
            "civil": tracks["civil"]["applies"],
            "platform": tracks["platform"]["applies"]}


def _run_cases(base, cases: list[Path], as_of: date) -> dict:
    """name -> outcome (or the error) for every test case and example case.  A test case is
    assessed on its own as_of; an example case file on `as_of` (as `assess evaluate` does)."""
    from .assessment import evaluate_case
    from .case import load_case, parse_case
    from .dates import parse_date
    from .ruletest import find_test_files, load_tests
    from .yamlio import load

    out: dict[str, dict] = {}
    for file in find_test_files(cases):
        data = load(file)
        is_tests = isinstance(data, dict) and "tests" in data
        try:
            if is_tests:
                items = [(f"{file.name}:{line} {name}", spec) for name, line, spec in
                         load_tests(file)]
            else:
                items = [(file.name, None)]
        except AssessError as exc:
            out[str(file)] = {"error": exc.message}
            continue
        for key, spec in items:
            try:
                if spec is None:
                    day = as_of
                    case = load_case(file, as_of=day)
                else:
                    day = parse_date(spec.get("as_of")) or as_of
                    case = parse_case(spec["case"], filename=key, as_of=day)
                res = evaluate_case(case, as_of=day, engine="plain", base=base, explain=False)
                out[key] = _outcome(res)
            except AssessError as exc:
                out[key] = {"error": exc.message}
    return out


def diff_packs(old: str | Path, new: str | Path, cases: list | None = None,
               as_of: date | None = None) -> dict:
    """What differs between the packs at `old` and `new` (rules, facts, parameters, statute
    texts, amount standards, and the pack digests, which cover rules/ and statutes/), and which
    cases change outcome when assessed on `as_of` (default: today) with each pack."""
    from . import paths
    from .assessment import load

    old, new = Path(old), Path(new)
    for p in (old, new):
        if not (p / "rules").is_dir():
            raise AssessError("not a pack folder (no rules/ in it)", file=str(p),
                              hint="a pack folder holds rules/, statutes/ and templates/; "
                                   "make one with `assess rules init`")
    lib_a, pack_a = load(old)
    lib_b, pack_b = load(new)
    as_of = as_of or date.today()
    report = {
        "old": str(old), "new": str(new), "as_of": as_of.isoformat(),
        "digest": {"old": pack_a.digest, "new": pack_b.digest},
        "rules": _compare({r.id: _rule_view(r) for r in pack_a.rules},
                          {r.id: _rule_view(r) for r in pack_b.rules}),
        "facts": _compare({f: _fact_view(d) for f, d in pack_a.facts.items()},
                          {f: _fact_view(d) for f, d in pack_b.facts.items()}),
        "parameters": _compare({k: _plain(v) for k, v in lib_a.parameters.items()},
                               {k: _plain(v) for k, v in lib_b.parameters.items()}),
        "provisions": _compare({k: _plain(v) for k, v in lib_a.provisions.items()},
                               {k: _plain(v) for k, v in lib_b.provisions.items()}),
        "thresholds": _compare(_threshold_view(lib_a), _threshold_view(lib_b)),
    }
    if cases is None:
        cases = []
        for base in (new, old):
            if (base / "tests" / "golden").is_dir():
                cases.append(base / "tests" / "golden")
                break
        else:
            cases.append(paths.CHECKOUT / "tests" / "golden")
        for base in (new, old, paths.CHECKOUT):
            if (base / "examples").is_dir():
                cases.append(base / "examples")
                break
    cases = [Path(c) for c in cases if Path(c).exists()]
    before, after = _run_cases(old, cases, as_of), _run_cases(new, cases, as_of)
    changed, failed = [], []
    for key in after:
        a, b = before.get(key) or {}, after[key]
        if "error" in a and "error" in b:
            failed.append({"case": key, "error": b["error"]})
        elif a != b:
            fields = {f: {"old": a.get(f), "new": b.get(f)}
                      for f in _ordered(set(a) | set(b)) if a.get(f) != b.get(f)}
            changed.append({"case": key, "changes": fields})
    report["cases"] = {"compared": len(after), "changed": changed, "failed": failed}
    return report


OUTCOME_FIELDS = ("primary_track", "primary_track_status", "band", "criminal", "administrative",
                  "civil", "platform", "error")


def _ordered(fields: set) -> list:
    return [f for f in OUTCOME_FIELDS if f in fields] + sorted(fields - set(OUTCOME_FIELDS))


def _words(lang: str) -> dict:
    """The words of the tool's output: templates/strings.yaml (its `rulebook` section)."""
    from .rulebook import load_words

    return load_words(None, lang)


def _value(field: str | None, value, t: dict, absent: str = "unknown") -> str:
    """A value in words: 是/否 (yes/no), 有条件 (conditional), a band or track label for an
    outcome `field`; None is 未知 (unknown) for an outcome and 无 (none, `absent="none"`) for a
    changed part of the pack; anything else as it is."""
    c = t["common"]
    if value is True:
        return c["yes"]
    if value is False:
        return c["no"]
    if value is None:
        return c[absent]
    if field is None:
        return str(value)
    if value in ("conditional", "definite"):
        return c[value]
    if field == "band":
        return t["bands"].get(value, value)
    if field == "primary_track":
        return t["tracks"].get(value, value)
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def format_diff(report: dict, lang: str = "zh") -> str:
    """The diff report as text, in Chinese (zh) or English (en)."""
    t = _words(lang)
    w = t["rulebook"]["diff"]
    out = [f"{w['old']}: {report['old']}", f"{w['new']}: {report['new']}"]
    dg = report.get("digest")
    if dg:
        same = w["digest_same"] if dg["old"] == dg["new"] else w["digest_changed"]
        out.append(f"{w['digest']}: {dg['old'][:12]}  →  {dg['new'][:12]}  ({same})")
    for part in ("rules", "facts", "parameters", "provisions", "thresholds"):
        d = report[part]
        name = w["parts"][part]
        if not (d["added"] or d["removed"] or d["changed"]):
            out.append(f"\n{name}: {w['unchanged']}")
            continue
        out.append(f"\n{name}:")
        out += [f"  + {k}" for k in d["added"]]
        out += [f"  - {k}" for k in d["removed"]]
        for k, fields in d["changed"].items():
            out.append(f"  ~ {k}")
            for f, v in fields.items():
                out.append(f"      {f}: {_short(_value(None, v['old'], t, 'none'))}  →  "
                           f"{_short(_value(None, v['new'], t, 'none'))}")
    cases = report["cases"]
    out.append("\n" + w["cases"].format(compared=cases["compared"],
                                         changed=len(cases["changed"]),
                                         as_of=report.get("as_of", "")))
    for c in cases["changed"]:
        out.append(f"  {c['case']}")
        for f, v in c["changes"].items():
            label = w["fields"].get(f, f)
            out.append(f"      {label}: {_value(f, v['old'], t)}  →  {_value(f, v['new'], t)}")
    if cases.get("failed"):
        out.append("\n" + w["failed"].format(n=len(cases["failed"])))
        for c in cases["failed"]:
            out.append(f"  {c['case']}: {c['error']}")
    return "\n".join(out)


def init_message(copied: list[str], target: str | Path, lang: str = "zh") -> str:
    """What `assess rules init` prints: the parts copied and the next command (the option name
    is the one the README uses, --rules-dir, or ASSESS_HOME)."""
    t = _words(lang)
    w = t["rulebook"]["init"]
    return "\n".join([w["copied"].format(parts=t["format"]["list_sep"].join(copied),
                                        target=target),
                      w["next"].format(target=target)])
