"""The 诈骗罪 amount standards: the national ranges and each province's dated standards.

`load_table()` reads statutes/thresholds/fraud-amounts.yaml (load_library calls it) and checks
it: keys, dates, one standard at a time per province (no overlap, no gap), city tiers with exactly
one default tier, amounts inside the national range of the basis provision, qualities as the
reference rates them.  `resolve()` gives the standard that applies to a place on a date, as
intervals where facts (the city, a locally listed circumstance) are not known yet.

An alternative (a circumstance that changes the standard) may lower only some bands (湖北: only
the conviction threshold 数额较大) and may carry the local figures for "其他严重情节" /
"其他特别严重情节" of the fraud offence (`other_serious`, `other_especially_serious`): those are
not bands, so they never change 数额巨大 / 数额特别巨大.  A standard may have an `id` by which rules
refer to its own provisions (rules/local-standards.yaml reads it as the fact local_standard).

No amount lives here: every figure comes from the YAML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .errors import AssessError, AssessErrors
from .yamlio import Node, NodeList, load as load_yaml

BANDS = ("large", "huge", "especially_huge")
QUALITIES = ("good", "medium", "W", "UNKNOWN")
NATIONAL = "national-range"
FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
ADCODE = re.compile(r"^\d{6}$")
STANDARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The local figures for 其他严重情节 / 其他特别严重情节 exist only together with one of the
# aggravating circumstances the fraud interpretation lists (the provision is cited in
# rules/local-standards.yaml, which reads the figures together with this fact).
OTHER_SERIOUS_WHEN = "interpretation_art2_circumstance"
OTHER_SERIOUS = ("other_serious", "other_especially_serious")
_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


# =========================================================================== data

@dataclass(frozen=True)
class Tier:
    name: dict
    cities: tuple[str, ...]
    default: bool
    values: dict
    note: str | None
    file: str
    line: int
    col: int = 0


@dataclass(frozen=True)
class Alternative:
    when: str
    values: dict                      # the bands it lowers (only those)
    note: str | None
    beyond_national_range: str | None
    file: str
    line: int
    col: int = 0
    other_serious: dict | None = None  # {"other_serious": yuan, "other_especially_serious": yuan}


@dataclass(frozen=True)
class Standard:
    province: str
    effective_from: date | None
    effective_to: date | None
    issued: date | None
    document: str | None
    sources: tuple[str, ...]
    quality: str
    note: str | None
    values: dict                      # band -> amount (empty when the standard has tiers)
    tiers: tuple[Tier, ...]
    alternatives: tuple[Alternative, ...]
    file: str
    line: int
    col: int = 0
    id: str | None = None             # for rules that apply this document's own provisions

    @property
    def other_serious(self) -> dict | None:
        """The local figures for 其他严重情节 / 其他特别严重情节 (None: the standard has none)."""
        return next((a.other_serious for a in self.alternatives if a.other_serious), None)

    def in_force(self, d: date) -> bool:
        return (self.effective_from is None or self.effective_from <= d) and \
            (self.effective_to is None or d <= self.effective_to)


@dataclass(frozen=True)
class ProvinceEntry:
    province: str
    adcode: str
    standards: tuple[Standard, ...]
    note: str | None
    file: str
    line: int
    col: int = 0

    def standard_at(self, d: date) -> Standard | None:
        return next((s for s in self.standards if s.in_force(d)), None)


@dataclass
class ThresholdTable:
    basis: str
    basis_label: str | None
    national: dict                    # band -> (min, max)
    wording: str | None
    comparison: str | None
    apply_quality: tuple[str, ...]
    provinces: dict                   # official province name -> ProvinceEntry
    file: str

    @classmethod
    def empty(cls, file: str) -> "ThresholdTable":
        return cls("", None, {}, None, None, (), {}, file)

    def province(self, name: str | None) -> ProvinceEntry | None:
        """The entry of a province by its official name (广西壮族自治区) or short name (广西)."""
        if not name:
            return None
        name = name.strip()
        if name in self.provinces:
            return self.provinces[name]
        short = _SUFFIX.sub("", name)
        for full, entry in self.provinces.items():
            if _SUFFIX.sub("", full) == short or entry.adcode == name:
                return entry
        return None


@dataclass
class ThresholdResolution:
    province: str | None
    city: str | None
    on: date
    tier: dict | None
    values: dict                      # band -> (lo, hi)
    exact: bool
    applied: bool
    quality: str
    document: str | None
    sources: list = field(default_factory=list)
    effective_from: date | None = None
    effective_to: date | None = None
    reported: dict | None = None
    depends_on: list = field(default_factory=list)
    note: str | None = None
    standard_id: str | None = None    # the id of the standard in force (applied or only reported)
    other_serious: dict | None = None  # its figures for 其他(特别)严重情节, when applied
    standard: "Standard | None" = None  # the entry in force (None: none encoded for the date)

    def to_dict(self) -> dict:
        def iso(d):
            return d.isoformat() if d else None
        reported = None
        if self.reported is not None:
            reported = {k: ({b: list(v) for b, v in val.items()} if k == "values" else
                            iso(val) if isinstance(val, date) else val)
                        for k, val in self.reported.items()}
        return {"province": self.province, "city": self.city, "on": iso(self.on),
                "tier": self.tier, "values": {b: list(v) for b, v in self.values.items()},
                "exact": self.exact, "applied": self.applied, "quality": self.quality,
                "document": self.document, "sources": list(self.sources),
                "effective_from": iso(self.effective_from), "effective_to": iso(self.effective_to),
                "reported": reported, "depends_on": list(self.depends_on), "note": self.note,
                "standard_id": self.standard_id,
                "other_serious": dict(self.other_serious) if self.other_serious else None}


# =========================================================================== loading

def load_table(path: Path, describe: Callable[[str], str | None], ck=None) -> ThresholdTable | None:
    """Read the amount table.  `describe(pid)` names a provision ('<document> <article>') or
    returns None when it does not exist.  Errors go to the Checker `ck` (or are raised)."""
    from .statutes import Checker

    own = ck is None
    ck = ck or Checker()
    table = _load(Path(path), describe, ck)
    if own and ck.errors:
        raise AssessErrors(ck.errors)
    return table


def _load(path: Path, describe, ck) -> ThresholdTable | None:
    try:
        data = load_yaml(path)
    except AssessError as exc:
        ck.add(exc)
        return None
    if not isinstance(data, Node):
        ck.add(AssessError("the amount table must be a mapping (basis, national_range, "
                           "apply_quality, provinces)", file=str(path), line=1))
        return None
    ck.keys(data, ("basis", "national_range", "apply_quality", "provinces"),
            ("basis", "national_range", "apply_quality", "provinces"), "amount table")
    basis = ck.text(data, "basis", "amount table") or ""
    label = describe(basis) if basis else None
    if basis and label is None:
        ck.at(data, f"basis '{basis}' is not an encoded provision", key="basis", field="basis",
              expected="the id of the provision setting the national ranges",
              hint="provision ids look like <law id>/<article number>")
    label = label or basis
    national = _national(data, ck)
    quality = data.get("apply_quality")
    apply_quality: tuple[str, ...] = ()
    if not isinstance(quality, NodeList) or any(q not in QUALITIES for q in quality):
        if "apply_quality" in data:
            ck.at(data, "apply_quality must list qualities", key="apply_quality",
                  field="apply_quality", expected="a list drawn from: " + ", ".join(QUALITIES))
    else:
        apply_quality = tuple(quality)
    nr = data.get("national_range") if isinstance(data.get("national_range"), Node) else Node()
    table = ThresholdTable(basis=basis, basis_label=label, national=national,
                           wording=ck.text(nr, "wording", "national_range"),
                           comparison=ck.text(nr, "comparison", "national_range"),
                           apply_quality=apply_quality, provinces={}, file=str(path))
    items = ck.items(data, "provinces", "amount table")
    codes: dict[str, int] = {}
    ids: dict[str, int] = {}
    for i, p in enumerate(items):
        if not ck.mapping(p, "a province entry", items, i):
            continue
        entry = _province(p, table, path, ck)
        if entry is None:
            continue
        if entry.province in table.provinces:
            ck.at(p, f"duplicate province '{entry.province}' (first at line "
                     f"{table.provinces[entry.province].line})", key="province", field="province",
                  hint="put all standards of a province in one entry")
            continue
        if entry.adcode in codes:
            ck.at(p, f"duplicate adcode '{entry.adcode}' (first at line {codes[entry.adcode]})",
                  key="adcode", field="adcode")
        codes[entry.adcode] = entry.line
        for std in entry.standards:
            if std.id and std.id in ids:
                ck.add(AssessError(f"duplicate standard id '{std.id}' (first at line "
                                   f"{ids[std.id]})", file=std.file, line=std.line, field="id",
                                   hint="every standard id names one entry of the table"))
            elif std.id:
                ids[std.id] = std.line
        table.provinces[entry.province] = entry
    return table


def _national(data: Node, ck) -> dict:
    nr = data.get("national_range")
    if not isinstance(nr, Node):
        if "national_range" in data:
            ck.at(data, "national_range must be a mapping", key="national_range",
                  field="national_range")
        return {}
    ck.keys(nr, BANDS + ("wording", "comparison"), BANDS + ("wording",), "national_range")
    out = {}
    for band in BANDS:
        r = nr.get(band)
        if not isinstance(r, Node):
            continue
        ck.keys(r, ("min", "max"), ("min", "max"), f"national_range.{band}")
        lo, hi = _amount(r, "min", f"national_range.{band}", ck), \
            _amount(r, "max", f"national_range.{band}", ck)
        if lo is None or hi is None:
            continue
        if lo > hi:
            ck.at(r, f"national_range.{band}: min is above max", key="min", field="min",
                  expected="min <= max")
        out[band] = (lo, hi)
    return out


def _amount(node: Node, key: str, what: str, ck) -> float | None:
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        ck.at(node, f"'{key}' of {what} is not an amount: {value!r}", key=key, field=key,
              expected="a positive number of yuan, digits only, without separators")
        return None
    return value


def _bands(node: Node, what: str, ck, required: bool) -> dict:
    out = {}
    for band in BANDS:
        value = _amount(node, band, what, ck)
        if value is not None:
            out[band] = value
        elif required and band not in node:
            ck.at(node, f"{what} lacks the amount '{band}'", field=band,
                  expected="large, huge and especially_huge amounts")
    if len(out) == len(BANDS) and not out["large"] < out["huge"] < out["especially_huge"]:
        ck.at(node, f"the amounts of {what} do not increase from large to especially_huge",
              key="large", field="large", expected="large < huge < especially_huge")
    return out


def _in_range(node: Node, values: dict, table: ThresholdTable, what: str, ck) -> None:
    for band, value in values.items():
        if band not in table.national:
            continue
        lo, hi = table.national[band]
        if not lo <= value <= hi:
            ck.at(node, f"the {band} amount {value:g} of {what} is outside the national range "
                        f"{lo:g}–{hi:g} set by {table.basis_label}", key=band, field=band,
                  expected=f"an amount from {lo:g} to {hi:g}",
                  hint="check the figure against the provincial document",
                  article=table.basis_label)


def _province(p: Node, table: ThresholdTable, path: Path, ck) -> ProvinceEntry | None:
    ck.keys(p, ("province", "adcode", "standards", "note"), ("province", "adcode", "standards"),
            "province entry")
    name = ck.text(p, "province", "province entry")
    if not name:
        return None
    adcode = p.get("adcode")
    if "adcode" in p and (not isinstance(adcode, str) or not ADCODE.match(adcode)):
        ck.at(p, f"adcode of {name} must be six digits in quotes", key="adcode", field="adcode",
              expected='e.g. "440000"')
    standards = []
    items = p.get("standards")
    if not isinstance(items, NodeList):
        if "standards" in p:
            ck.at(p, f"'standards' of {name} must be a list (use [] when none is known)",
                  key="standards", field="standards")
        items = NodeList()
    for i, s in enumerate(items):
        if ck.mapping(s, "a standard", items, i):
            standards.append(_standard(s, name, table, path, ck))
    ck.periods(standards, f"standards of {name}")
    standards.sort(key=lambda s: s.effective_from or date.min)
    return ProvinceEntry(province=name, adcode=str(adcode or ""), standards=tuple(standards),
                         note=ck.text(p, "note", name), file=str(path), line=p.line or 0,
                         col=p.col or 0)


def _standard(s: Node, province: str, table: ThresholdTable, path: Path, ck) -> Standard:
    what = f"a standard of {province}"
    ck.keys(s, ("id", "effective_from", "effective_to", "issued", "document", "sources",
                "quality", "note", "tiers", "alternatives") + BANDS,
            ("effective_from", "document", "sources", "quality"), "standard")
    sid = s.get("id")
    if "id" in s and (not isinstance(sid, str) or not STANDARD_ID.match(sid)):
        ck.at(s, f"id of {what} must be a lowercase-dash name", key="id", field="id",
              expected="e.g. jiangsu-2011 (a value of the fact local_standard in rules/facts.yaml)")
        sid = None
    quality = s.get("quality")
    if "quality" in s and quality not in QUALITIES:
        ck.at(s, f"quality {quality!r} of {what} is not known", key="quality", field="quality",
              expected="one of: " + ", ".join(QUALITIES) + " (as the reference rates it)")
    sources = s.get("sources")
    if not isinstance(sources, NodeList) or not all(isinstance(x, str) for x in sources):
        if "sources" in s:
            ck.at(s, f"'sources' of {what} must list addresses", key="sources", field="sources",
                  expected='["https://...", ...]')
        sources = []
    tiers: list[Tier] = []
    tnodes = s.get("tiers")
    values = _bands(s, what, ck, required=tnodes is None)
    if tnodes is not None:
        if values:
            ck.at(s, f"{what} has both tiers and amounts of its own", key="tiers", field="tiers",
                  hint="put the amounts on the tiers (one tier has default: true)")
        if not isinstance(tnodes, NodeList) or not tnodes:
            ck.at(s, f"'tiers' of {what} must be a non-empty list", key="tiers", field="tiers")
            tnodes = NodeList()
        for i, t in enumerate(tnodes):
            if ck.mapping(t, "a tier", tnodes, i):
                tiers.append(_tier(t, province, table, path, ck))
        defaults = [t for t in tiers if t.default]
        if tiers and len(defaults) != 1:
            ck.at(tnodes, f"the tiers of {what} have {len(defaults)} default tiers",
                  field="default", expected="exactly one tier with default: true",
                  hint="the default tier covers every city not listed in another tier")
        seen: dict[str, str] = {}
        for t in tiers:
            for city in t.cities:
                if city in seen:
                    ck.add(AssessError(f"city {city} is in two tiers of {what}", file=t.file,
                                       line=t.line, field="cities"))
                seen[city] = t.name.get("zh", "")
    _in_range(s, values, table, what, ck)
    alts = []
    anodes = s.get("alternatives")
    if anodes is not None and not isinstance(anodes, NodeList):
        ck.at(s, f"'alternatives' of {what} must be a list", key="alternatives",
              field="alternatives")
        anodes = NodeList()
    for i, a in enumerate(anodes or ()):
        if ck.mapping(a, "an alternative", anodes, i):
            alts.append(_alternative(a, province, table, path, ck))
    _check_other_serious(alts, [values] if values else [t.values for t in tiers], what, ck)
    return Standard(province=province, effective_from=ck.date(s, "effective_from", what),
                    effective_to=ck.date(s, "effective_to", what),
                    issued=ck.date(s, "issued", what), document=ck.text(s, "document", what),
                    sources=tuple(sources), quality=quality if quality in QUALITIES else "UNKNOWN",
                    note=ck.text(s, "note", what), values=values, tiers=tuple(tiers),
                    alternatives=tuple(alts), file=str(path), line=s.line or 0, col=s.col or 0,
                    id=sid if isinstance(sid, str) else None)


def _check_other_serious(alts: list, bases: list, what: str, ck) -> None:
    """The figures for 其他(特别)严重情节: at most one alternative carries them, and each is below
    the band whose penalty tier it shares (数额巨大 / 数额特别巨大) — otherwise it would be the
    band itself."""
    carrying = [a for a in alts if a.other_serious]
    for extra in carrying[1:]:
        ck.add(AssessError(f"two alternatives of {what} carry other_serious figures",
                           file=extra.file, line=extra.line, field="other_serious",
                           hint=f"the figures belong to the one alternative with "
                                f"when: {OTHER_SERIOUS_WHEN}"))
    for alt in carrying[:1]:
        serious, especially = (alt.other_serious[k] for k in OTHER_SERIOUS)
        for base in bases:
            for figure, band, name in ((serious, "huge", "other_serious"),
                                       (especially, "especially_huge",
                                        "other_especially_serious")):
                if band in base and not figure < base[band]:
                    ck.add(AssessError(
                        f"{name} {figure:g} of an alternative of {what} is not below its "
                        f"{band} amount {base[band]:g}", file=alt.file, line=alt.line, field=name,
                        expected=f"less than {base[band]:g}",
                        hint="an amount reaching the band is the band itself, not 其他严重情节"))


def _tier(t: Node, province: str, table: ThresholdTable, path: Path, ck) -> Tier:
    what = f"a city tier of {province}"
    ck.keys(t, ("name", "cities", "default", "note") + BANDS, ("name",) + BANDS, "tier")
    default = t.get("default", False)
    if not isinstance(default, bool):
        ck.at(t, f"'default' of {what} must be true or false", key="default", field="default")
        default = False
    cities = t.get("cities")
    if cities is None:
        cities = []
        if not default:
            ck.at(t, f"{what} lists no cities", field="cities",
                  expected="cities: [广州市, ...] (only the default tier may omit them)")
    elif not isinstance(cities, NodeList) or not all(isinstance(c, str) for c in cities):
        ck.at(t, f"'cities' of {what} must list city names", key="cities", field="cities",
              expected="[广州市, 深圳市, ...] as the place data spells them")
        cities = []
    values = _bands(t, what, ck, required=True)
    _in_range(t, values, table, what, ck)
    return Tier(name=ck.langs(t, "name", what), cities=tuple(cities), default=default,
                values=values, note=ck.text(t, "note", what), file=str(path), line=t.line or 0,
                col=t.col or 0)


def _alternative(a: Node, province: str, table: ThresholdTable, path: Path, ck) -> Alternative:
    what = f"an alternative standard of {province}"
    ck.keys(a, ("when", "note", "beyond_national_range") + BANDS + OTHER_SERIOUS, ("when",),
            "alternative")
    when = ck.text(a, "when", what) or ""
    if when and not FACT_NAME.match(when):
        ck.at(a, f"'when' of {what} must be a fact name", key="when", field="when",
              expected="a lowercase fact name such as local_listed_circumstance")
    values = _bands(a, what, ck, required=False)
    figures = {k: v for k in OTHER_SERIOUS if (v := _amount(a, k, what, ck)) is not None}
    if figures and len(figures) != len(OTHER_SERIOUS):
        missing = next(k for k in OTHER_SERIOUS if k not in figures)
        ck.at(a, f"{what} gives one figure for 其他(特别)严重情节 without the other", field=missing,
              expected="both other_serious and other_especially_serious")
        figures = {}
    elif figures and not figures["other_serious"] < figures["other_especially_serious"]:
        ck.at(a, f"the figures of {what} do not increase", key="other_serious",
              field="other_serious", expected="other_serious < other_especially_serious")
    if figures and when and when != OTHER_SERIOUS_WHEN:
        ck.at(a, f"{what} carries figures for 其他(特别)严重情节 under '{when}'", key="when",
              field="when", expected=OTHER_SERIOUS_WHEN,
              hint="the fraud interpretation ties 其他严重情节 to the circumstances it lists; "
                   "the rules read the figures with that fact")
    if not values and not figures:
        ck.at(a, f"{what} changes no amount", field="large",
              expected="at least one of large, huge, especially_huge, or the figures "
                       "other_serious and other_especially_serious")
    beyond = ck.text(a, "beyond_national_range", what)
    if not beyond:
        _in_range(a, values, table, what, ck)
    return Alternative(when=when, values=values, note=ck.text(a, "note", what),
                       beyond_national_range=beyond, file=str(path), line=a.line or 0,
                       col=a.col or 0, other_serious=figures or None)


# =========================================================================== resolving

def _tri(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    value = str(value).strip().lower() if value is not None else "unknown"
    return value if value in ("yes", "no") else "unknown"


def _candidates(std: Standard, city: str | None, facts: dict) -> tuple[list, list, dict | None]:
    """Every combination of band amounts still possible, the facts that would narrow them, and
    the tier used (None when the city decides it)."""
    depends: list[str] = []
    tier = None
    if std.tiers:
        if city:
            chosen = next((t for t in std.tiers if city in t.cities), None) or \
                next(t for t in std.tiers if t.default)
            bases = [dict(chosen.values)]
            tier = dict(chosen.name)
        else:
            bases = [dict(t.values) for t in std.tiers]
            depends.append("city")
    else:
        bases = [dict(std.values)]
    for alt in std.alternatives:
        answer = _tri(facts.get(alt.when))
        changed = [dict(b, **alt.values) for b in bases]
        if answer == "yes":
            bases = changed
        elif answer == "unknown":
            bases = bases + changed
            if alt.when not in depends:
                depends.append(alt.when)
    return bases, depends, tier


def _intervals(candidates: list) -> dict:
    return {b: (min(c[b] for c in candidates), max(c[b] for c in candidates))
            for b in BANDS if all(b in c for c in candidates)}


def resolve(table: ThresholdTable, province: str | None, city: str | None, on: date,
            facts: dict | None = None) -> ThresholdResolution:
    """The amount standard for a place on a date.  `facts` maps fact names to yes/no/unknown."""
    facts = facts or {}
    entry = table.province(province)
    name = entry.province if entry else province
    national = {b: tuple(table.national[b]) for b in BANDS if b in table.national}

    def fallback(note: str, depends: list, reported: dict | None = None,
                 std: Standard | None = None) -> ThresholdResolution:
        return ThresholdResolution(
            province=name, city=city, on=on, tier=None, values=dict(national),
            exact=all(lo == hi for lo, hi in national.values()), applied=False, quality=NATIONAL,
            document=table.basis_label, sources=[], reported=reported, depends_on=depends,
            note=note, standard_id=std.id if std else None, standard=std)

    if entry is None:
        if province:
            return fallback(f"no entry for {province} in the amount table; the national range "
                            f"of {table.basis_label} is used", [])
        return fallback(f"the province is not known; the national range of {table.basis_label} "
                        f"is used", ["province"])
    std = entry.standard_at(on)
    if std is None:
        why = entry.note or "no standard is encoded"
        if entry.standards:
            why = f"no standard of {entry.province} is in force on {on.isoformat()}"
        return fallback(f"{entry.province}: {why}; the national range of {table.basis_label} "
                        f"is used", [])
    candidates, depends, tier = _candidates(std, city, facts)
    values = _intervals(candidates)
    exact = all(lo == hi for lo, hi in values.values())
    note = std.note
    if std.effective_from is None:
        note = "effective date unknown. " + (note or "")
    if std.quality not in table.apply_quality:
        reported = {"quality": std.quality, "values": values, "tier": tier, "exact": exact,
                    "document": std.document, "sources": list(std.sources),
                    "effective_from": std.effective_from, "effective_to": std.effective_to,
                    "depends_on": depends, "note": note}
        return fallback(f"{entry.province}: a standard rated '{std.quality}' exists but is not "
                        f"applied automatically (applied: {', '.join(table.apply_quality)}); the "
                        f"national range of {table.basis_label} is used", [], reported, std)
    return ThresholdResolution(
        province=entry.province, city=city, on=on, tier=tier, values=values, exact=exact,
        applied=True, quality=std.quality, document=std.document, sources=list(std.sources),
        effective_from=std.effective_from, effective_to=std.effective_to, reported=None,
        depends_on=depends, note=note, standard_id=std.id, other_serious=std.other_serious,
        standard=std)


__all__ = ["BANDS", "QUALITIES", "NATIONAL", "OTHER_SERIOUS", "OTHER_SERIOUS_WHEN", "Tier", "Alternative", "Standard", "ProvinceEntry",
           "ThresholdTable", "ThresholdResolution", "load_table", "resolve"]
