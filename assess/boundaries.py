"""Boundary tests for the 诈骗罪 amount standards: threshold − 1, threshold, threshold + 1.

`generate_boundaries(base=None)` walks statutes/thresholds/fraud-amounts.yaml: every province
(and city tier) and every date period.  For each, it asks the same resolver the assessment uses
(assess.thresholds.resolve) for the standards in force, and writes three tests per standard in
the YAML test format (ruletest.py), with the band and primary track the law requires:

    amount <  数额较大            -> administrative, no band
    数额较大 <= amount < 数额巨大   -> criminal, large        (以上 includes the number: 刑法第九十九条)
    数额巨大 <= amount < 特别巨大   -> criminal, huge
    amount >= 数额特别巨大         -> criminal, especially_huge

The expectations come from the table, not from the rules, so a rule comparing with the wrong
operator (超过 for 以上) or a standard mistyped by one yuan fails them.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import AssessError

BANDS = ("large", "huge", "especially_huge")
BAND_ZH = {"large": "数额较大", "huge": "数额巨大", "especially_huge": "数额特别巨大"}
DEFAULTS = {
    "format": "assess-case/1",
    "buyer": {"age": 30, "near_relative": "no", "prior_penalties": []},
    "platform": {"refund_approval": "reviewed_with_merchant"},
    "intent_to_possess": "yes",
    "refund_caused_by_photos": "yes",
    "admin_serious": "no",
    "interpretation_art2_circumstance": "no",
    "local_listed_circumstance": "no",
}
LATEST = date(2025, 11, 17)        # the incident date used in a period still open


@dataclass
class Row:
    """One period of one province's (or city tier's) amount standards."""
    province: str
    tier_key: str | None
    label: str                       # e.g. "广东省 一类地区"
    place: str                       # a place that resolves to it, e.g. "广东省深圳市"
    start: date | None
    end: date | None
    values: dict = field(default_factory=dict)      # band -> yuan (None when not set)
    quality: str | None = None
    file: str | None = None
    line: int | None = None
    col: int | None = None
    source: object = None            # the table object it came from (mutated by the tests)


def threshold_rows(lib) -> list[Row]:
    """Every period of the amount table as a Row (see assess/thresholds.py for the format)."""
    from . import thresholds as th

    table = getattr(lib, "thresholds", None)
    if table is None:
        raise AssessError("the statutes have no amount table (statutes/thresholds/)")
    return list(th.rows(table)) if hasattr(th, "rows") else list(_rows(table))


def _rows(table):                                     # adapted to assess/thresholds.py
    raise AssessError("cannot read the amount table: assess/thresholds.py changed",
                      hint="update assess/boundaries.py:_rows")


def expected(amount: float, values: dict) -> tuple[str, str | None]:
    """(primary track, band) the law requires for the amount under the standards."""
    band = None
    for b in BANDS:
        if values.get(b) is not None and amount >= values[b]:
            band = b
    return ("criminal" if band else "administrative"), band


def _dates(row: Row) -> tuple[date, date]:
    """(incident date, as-of date) inside the period, so both dates use its standards."""
    start = row.start or date(2011, 4, 8)
    end = row.end
    if end is None:
        incident = max(start, LATEST)
        return incident, incident + timedelta(days=59)
    incident = start
    return incident, min(end, incident + timedelta(days=59))


def _resolved(lib, row: Row, day: date) -> dict:
    """band -> the exact standard the assessment applies there and then (None if a range)."""
    from .places import resolve_place
    from .thresholds import resolve

    place = resolve_place(row.place)
    res = resolve(lib.thresholds, place.province, place.city, day, {
        "local_listed_circumstance": "no", "interpretation_art2_circumstance": "no"})
    out = {}
    if not getattr(res, "applied", True) or not getattr(res, "exact", True):
        return out
    for band in BANDS:
        lo, hi = res.values[band]
        if lo == hi:
            out[band] = float(lo)
    return out


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


def generate_boundaries(base=None, lib=None) -> dict:
    """The boundary tests as a test-file mapping {description, defaults, tests}."""
    if lib is None:
        from . import paths
        from .statutes import load_library
        lib = load_library(paths.statutes_dir(base))
    tests = []
    for row in threshold_rows(lib):
        incident, as_of = _dates(row)
        values = _resolved(lib, row, incident)
        at_decision = _resolved(lib, row, as_of)
        if not values or values != at_decision:
            continue
        period = f"{row.start or '…'}–{row.end or '…'}"
        for band in BANDS:
            t = values.get(band)
            if t is None:
                continue
            for delta in (-1, 0, 1):
                amount = t + delta
                track, want = expected(amount, values)
                tests.append({
                    "name": f"{row.label} {period} {BAND_ZH[band]} {_fmt(t)} "
                            f"{'−1' if delta < 0 else '+1' if delta > 0 else '整'}："
                            f"{_fmt(amount)} 元 → {BAND_ZH[want] if want else '治安管理处罚'}",
                    "as_of": as_of.isoformat(),
                    "case": {"place": row.place, "merchant_learned_date": incident.isoformat(),
                             "incidents": [{"date": incident.isoformat(),
                                            "amount": int(amount) if float(amount).is_integer()
                                            else amount,
                                            "refund_paid": "yes",
                                            "photo_method": "ai_generated",
                                            "goods_defective": "no"}]},
                    "expect": {"primary_track": track, "tracks.criminal.band": want},
                })
    return {"description": "由 assess rules boundaries 生成：每个数额标准的 −1 元、本数、+1 元"
                           "（刑法第九十九条：以上包括本数）。Generated boundary tests.",
            "defaults": copy.deepcopy(DEFAULTS), "tests": tests}


def to_yaml(data: dict) -> str:
    """The test file as YAML a trainer can read (one test per block, flow-style cases)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def tri(dumper, value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)
    Dumper.add_representer(str, tri)

    out = ["# " + data["description"],
           "description: " + yaml.dump(data["description"], allow_unicode=True,
                                       width=1000).splitlines()[0],
           "defaults:"]
    for k, v in data["defaults"].items():
        out.append(f"  {k}: " + yaml.dump(v, Dumper=Dumper, allow_unicode=True,
                                           default_flow_style=True, width=1000).strip()
                   .removesuffix("...").strip())
    out.append("tests:")
    for t in data["tests"]:
        out.append(f"  - name: " + yaml.dump(t["name"], allow_unicode=True, width=1000)
                   .splitlines()[0])
        out.append(f"    as_of: {t['as_of']}")
        out.append("    case: " + yaml.dump(t["case"], Dumper=Dumper, allow_unicode=True,
                                             default_flow_style=True, width=1000,
                                             sort_keys=False).strip())
        band = t["expect"]["tracks.criminal.band"]
        out.append(f"    expect: {{primary_track: {t['expect']['primary_track']}, "
                   f"tracks.criminal.band: {band if band else 'null'}}}")
    return "\n".join(out) + "\n"


def threshold_mutants(lib):
    """(label, province, mutated copy of lib) for every standard shifted by −1 and +1 yuan."""
    for i, row in enumerate(threshold_rows(lib)):
        for band in BANDS:
            if row.values.get(band) is None:
                continue
            for delta in (-1, 1):
                mutant = _shifted(lib, i, band, delta)
                if mutant is not None:
                    yield (f"{row.label} {row.start or '…'}–{row.end or '…'} {band} "
                           f"{row.values[band]:g}{delta:+d} ({row.file}:{row.line})",
                           row.province, mutant)


def _shifted(lib, index: int, band: str, delta: int):
    from . import thresholds as th

    mutant = copy.copy(lib)
    mutant.thresholds = copy.deepcopy(lib.thresholds)
    row = threshold_rows(mutant)[index]
    if hasattr(th, "shift"):
        th.shift(row.source, band, delta)
    else:
        _shift(row, band, delta)
    after = threshold_rows(mutant)[index]
    assert after.values[band] == row.values[band] + delta or \
        after.values[band] != threshold_rows(lib)[index].values[band], "mutation not applied"
    return mutant


def _shift(row: Row, band: str, delta: int) -> None:             # adapted to thresholds.py
    raise NotImplementedError
