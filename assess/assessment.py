"""`evaluate_case`: one case in, one explained assessment out (a JSON-ready dict).

Steps: load statutes and the rule pack (cached), turn the case into facts (facts.py), run the
rules on the chosen engine (durable-rules by default), then read the derived facts into tracks,
bands, penalties, deadlines and recommendations, with a trace of every rule that fired, the facts
it used and the provisions it cites in the version in force at the date the rule applies.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from . import __version__, paths
from .citations import parse_cite, part_label, part_text, pid_of
from .errors import AssessError
from .evaluator import BIG, PlainEngine, eval_cond, param_key, run
from .facts import case_facts
from .model import NO, UNKNOWN, YES, RulePack

TRACK_ORDER = ("criminal", "administrative", "civil")
TRACK_FACT = {"civil": "civil_applies", "administrative": "admin_applies",
              "criminal": "criminal_applies", "platform": "platform_may_share_loss"}
BAND_VALUES = ("large", "huge", "especially_huge")
TRACK_LABEL = {"none": {"zh": "无", "en": "none"}, "civil": {"zh": "民事", "en": "civil"},
               "administrative": {"zh": "行政（治安管理处罚）", "en": "administrative (PSAPL)"},
               "criminal": {"zh": "刑事（诈骗罪）", "en": "criminal (fraud)"},
               "platform": {"zh": "平台责任", "en": "platform liability"}}
BAND_LABEL = {"large": {"zh": "数额较大", "en": "large amount"},
              "huge": {"zh": "数额巨大", "en": "huge amount"},
              "especially_huge": {"zh": "数额特别巨大", "en": "especially huge amount"}}


# --------------------------------------------------------------------------- loading (cached)

@lru_cache(maxsize=8)
def _load(base: str | None):
    from .model import load_rulepack
    from .statutes import load_library

    lib = load_library(paths.statutes_dir(base))
    pack = load_rulepack(paths.rules_dir(base), set(lib.parameters))
    _check_citations(pack, lib)
    return lib, pack


def _check_citations(pack: RulePack, lib) -> None:
    from .errors import AssessErrors

    errors = []
    for rule in pack.rules:
        for cite in rule.cites:
            pid = pid_of(cite)
            if pid not in lib.provisions:
                errors.append(rule.loc.error(f"rule '{rule.id}' cites '{pid}', which is not in "
                                             f"statutes/", field="cites",
                                             hint="provision ids look like criminal-law/266"))
                continue
            c = parse_cite(cite)                    # the rule loader checked the form
            for v in lib.provisions[pid].versions:
                if part_text(v.text, c.para, c.item) is None:
                    errors.append(rule.loc.error(
                        f"rule '{rule.id}' cites '{c.part}', but the {v.edition} text of {pid} "
                        f"has no such paragraph or item", field="cites",
                        hint="paragraphs (款) are separated by an empty line in statutes/; items "
                             "(项) start with （一）"))
    if errors:
        raise AssessErrors(errors)


def load(base: str | Path | None = None):
    """(Library, RulePack) for a data folder (default: the shipped one)."""
    return _load(str(base) if base else None)


_ENGINES: dict = {}


def engine_for(pack: RulePack, name: str = "durable"):
    """The engine running `pack`, built once per pack object (the pack is kept with it, so a
    recycled id() can never hand a new pack another pack's engine)."""
    key = (id(pack), name)
    entry = _ENGINES.get(key)
    if entry is not None and entry[0] is pack:
        return entry[1]
    if name == "durable":
        from .engine_durable import DurableEngine
        engine = DurableEngine(pack)
    elif name == "plain":
        engine = PlainEngine(pack)
    else:
        raise AssessError(f"unknown engine '{name}'", field="engine",
                          expected="durable or plain")
    if len(_ENGINES) >= 64:                      # tools that build many packs (mutation tests)
        _ENGINES.pop(next(iter(_ENGINES)))
    _ENGINES[key] = (pack, engine)
    return engine


# --------------------------------------------------------------------------- formatting values

def fmt_number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


def fmt_value(fact_type: str, value, lang: str = "zh") -> str:
    unknown = "未知" if lang == "zh" else "unknown"
    if fact_type == "yesno":
        return {"yes": "是" if lang == "zh" else "yes", "no": "否" if lang == "zh" else "no"}.get(
            value, unknown)
    if fact_type == "choice":
        sure = [v for v, m in value.items() if m == YES]
        maybe = [v for v, m in value.items() if m == UNKNOWN]
        if sure:
            return ", ".join(sure)
        return (unknown + (f" ({' / '.join(maybe)})" if maybe else "")) if maybe else "—"
    lo, hi = value
    if lo <= -BIG or hi >= BIG:
        if lo > -BIG and lo > 0:
            return (f"≥{fmt_number(lo)}" + ("元" if lang == "zh" and fact_type == "amount" else ""))
        return unknown
    if fact_type == "date":
        d1, d2 = date.fromordinal(int(lo)), date.fromordinal(int(hi))
        return d1.isoformat() if d1 == d2 else f"{d1.isoformat()}–{d2.isoformat()}"
    text = fmt_number(lo) if lo == hi else f"{fmt_number(lo)}–{fmt_number(hi)}"
    if fact_type == "amount":
        return text + "元" if lang == "zh" else "CNY " + text
    return text


def json_value(fact_type: str, value):
    if fact_type in ("yesno",):
        return value
    if fact_type == "choice":
        sure = [v for v, m in value.items() if m == YES]
        maybe = [v for v, m in value.items() if m == UNKNOWN]
        return sure[0] if sure else {"unknown": maybe} if maybe else None
    lo, hi = value
    if fact_type == "date":
        if lo <= -BIG or hi >= BIG:
            return "unknown"
        d1, d2 = date.fromordinal(int(lo)), date.fromordinal(int(hi))
        return d1.isoformat() if d1 == d2 else {"from": d1.isoformat(), "to": d2.isoformat()}
    if lo <= -BIG and hi >= BIG:
        return "unknown"
    if lo == hi:
        return lo if not float(lo).is_integer() else int(lo)
    return {"min": None if lo <= -BIG else lo, "max": None if hi >= BIG else hi}


_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def render_text(template: str, pack, facts, params, on, lang) -> str:
    def sub(m):
        name = m.group(1)
        if name in pack.facts:
            return fmt_value(pack.facts[name].type, facts[name], lang)
        key = param_key(name, on)
        if key in params:
            return fmt_number(params[key][0])
        return m.group(0)
    return _PLACEHOLDER.sub(sub, template)


# --------------------------------------------------------------------------- dates

def add_period(start: date, amount: float, unit: str) -> date:
    """start + amount years/months/days (the day is kept, or the month's last day)."""
    n = int(amount)
    if unit == "days":
        return start + timedelta(days=n)
    months = n * 12 if unit == "years" else n if unit == "months" else None
    if months is None:
        raise AssessError(f"a deadline period must be in days, months or years, not '{unit}'")
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- the assessment

def _cite(lib, cite: str, rule_on: str, dates: dict, lang: str) -> dict:
    """A cited provision as the result shows it: the version in force on the date the citation
    applies to (or the latest earlier one, marked not in force)."""
    c = lib.memo.get(("parse", cite)) or lib.memo.setdefault(("parse", cite), parse_cite(cite))
    on = c.on or rule_on
    day = dates[on]
    prov = lib.provisions[c.pid]
    version = prov.version_at(day)
    shown = version or max((v for v in prov.versions
                            if v.effective_from is None or v.effective_from <= day),
                           key=lambda v: v.effective_from or date.min, default=prov.versions[0])
    key = ("cite", cite, prov.versions.index(shown), lang)     # the same for every date
    if key not in lib.memo:
        lib.memo[key] = _cite_view(lib, c, prov, shown, lang)
    return dict(lib.memo[key], on=on, date=day.isoformat(), in_force=version is not None)


def _cite_view(lib, c, prov, shown, lang: str) -> dict:
    law = lib.laws[prov.law_id]
    return {
        "id": c.pid, "law": law.short[lang] if lang in law.short else law.short["zh"],
        "law_name": law.name, "article": prov.article, "title": prov.title,
        "part": c.part, "label": part_label(prov.article, c), "paragraph": c.para, "item": c.item,
        "part_text": part_text(shown.text, c.para, c.item) if c.para else None,
        "on": None, "date": None, "in_force": None,
        "effective_from": shown.effective_from.isoformat() if shown.effective_from else None,
        "effective_to": shown.effective_to.isoformat() if shown.effective_to else None,
        "edition": shown.edition, "confidence": shown.confidence, "text": shown.text,
        "gloss_en": shown.gloss_en,
        "source": {k: v for k, v in vars(shown.source).items() if v},
    }


def _blocking(pack, outcome, cf, rule, seen=None) -> list[str]:
    """The unknown case facts that keep a conditional rule from being decided."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    for atom in rule.atoms:
        if eval_cond(atom, pack, outcome.facts, cf.params, rule.on) != UNKNOWN:
            continue
        for name in (atom.fact, atom.ref):
            fact = pack.facts.get(name) if name else None
            if fact is None or name in seen:
                continue
            value = outcome.facts[name]
            if isinstance(value, tuple) and value[0] == value[1]:
                continue                         # a known number is not what is missing
            seen.add(name)
            if fact.origin == "case":
                out.append(name)
            else:
                for other in pack.concluders().get(name, ()):
                    if outcome.fired.get(other.id) == UNKNOWN:
                        out += [b for b in _blocking(pack, outcome, cf, other, seen)
                                if b not in out]
    return out


def _applies(value: str):
    return True if value == YES else False if value == NO else "conditional"


def _primary(facts) -> tuple[str, list[str]]:
    definite = next((t for t in TRACK_ORDER if facts[TRACK_FACT[t]] == YES), "none")
    possible = [t for t in TRACK_ORDER if facts[TRACK_FACT[t]] != NO]
    return definite, possible


def _scenarios(pack, cf, base_outcome, lang) -> tuple[list, dict]:
    """For each unknown yes/no case fact: the outcome if it were proven, and if not."""
    out = []
    base_primary, _ = _primary(base_outcome.facts)
    engine = PlainEngine(pack)
    for fid, fact in pack.facts.items():
        if fact.origin != "case" or fact.type != "yesno" or cf.facts.get(fid) != UNKNOWN:
            continue
        results = {}
        for value in (YES, NO):
            alt = dict(cf.facts, **{fid: value})
            o = run(pack, engine, alt, cf.params)
            primary, possible = _primary(o.facts)
            band = [b for b, m in o.facts["criminal_band"].items() if m == YES and b != "none"]
            results[value] = {"primary_track": primary, "possible_tracks": possible,
                              "band": band[0] if band else None}
        if results[YES] != results[NO]:
            out.append({"fact": fid, "label": fact.label, "if_yes": results[YES],
                        "if_no": results[NO]})
    return out, {}


def _threshold_gaps(cf, lang) -> list[dict]:
    """How far the amount is from each band, where both are known or bounded."""
    out = []
    amount_lo, amount_hi = cf.facts["fraud_amount"]
    if amount_lo != amount_hi or cf.facts["has_fraud_incident"] == NO:
        return out
    res = cf.thresholds["applied"]
    where = (res.tier or {}).get(lang) if res.tier else None
    place = " ".join(x for x in (res.province, where) if x) or ("全国" if lang == "zh" else
                                                                  "national range")
    for band in BAND_VALUES:
        lo, hi = cf.facts[f"threshold_{band}"]
        label = BAND_LABEL[band][lang]
        if amount_lo < lo and lo == hi:
            need = lo - amount_lo
            out.append({"band": band, "kind": "more_needed", "amount": need, "threshold": lo,
                        "text": (f"再多 {fmt_number(need)} 元即达到{place}“{label}”标准（{fmt_number(lo)} 元）"
                                 if lang == "zh" else
                                 f"{fmt_number(need)} yuan more would reach the {label} standard "
                                 f"({fmt_number(lo)}) in {place}")})
            break
        if lo <= amount_lo < hi:
            out.append({"band": band, "kind": "depends_on_local_standard", "amount": amount_lo,
                        "range": [lo, hi],
                        "text": (f"当地“{label}”标准尚无经核实的数据（法定幅度 {fmt_number(lo)}–{fmt_number(hi)} 元）：若当地标准不高于 {fmt_number(amount_lo)} 元，则达到“{label}”"
                                 if lang == "zh" else
                                 f"no verified local {label} standard (statutory range "
                                 f"{fmt_number(lo)}–{fmt_number(hi)}): reached if the local "
                                 f"standard is at most {fmt_number(amount_lo)}")})
            break
        if amount_lo < lo:
            need = lo - amount_lo
            out.append({"band": band, "kind": "below_range", "amount": need, "range": [lo, hi],
                        "text": (f"数额低于“{label}”法定幅度下限 {fmt_number(lo)} 元，差 {fmt_number(need)} 元"
                                 if lang == "zh" else
                                 f"the amount is {fmt_number(need)} below the floor of the {label} "
                                 f"range ({fmt_number(lo)})")})
            break
    return out


def evaluate_case(case, *, as_of: date | None = None, engine: str = "durable", lang: str = "zh",
                  base: str | Path | None = None, explain: bool = True) -> dict:
    """Assess one parsed case (see assess.case.load_case) and return the result as a dict."""
    if lang not in ("zh", "en"):
        raise AssessError(f"unknown language '{lang}'", field="lang", expected="zh or en")
    as_of = as_of or date.today()
    lib, pack = load(base)
    cf = case_facts(case, lib, pack, as_of)
    outcome = run(pack, engine_for(pack, engine), cf.facts, cf.params)
    facts = outcome.facts
    dates = {"conduct": cf.law_date_conduct, "decision": as_of}

    trace, penalties, recommendations, evidence, deadlines, law_applied = [], {}, [], [], [], []
    for rule in pack.rules:
        status = outcome.fired.get(rule.id)
        if status is None:
            continue
        definite = status == YES
        text = render_text(rule.explain[lang], pack, facts, cf.params, rule.on, lang)
        used = {}
        for name in rule.reads:
            if name in pack.facts:
                used[name] = json_value(pack.facts[name].type, facts[name])
            else:
                used[name] = json_value("number", cf.params[param_key(name, rule.on)])
        blocking = [] if definite else _blocking(pack, outcome, cf, rule)
        entry = {
            "rule": rule.id, "title": rule.title[lang], "track": rule.track,
            "status": "definite" if definite else "conditional", "stratum":
                outcome.stratum_of.get(rule.id), "on": rule.on,
            "date": dates[rule.on].isoformat(),
            "facts_used": used,
            "conclusions": {f: v for f, v in rule.then},
            "conditional_on": blocking,
            "explanation": text,
            "cites": [_cite(lib, c, rule.on, dates, lang) for c in rule.cites],
            "source": f"{rule.loc.file}:{rule.loc.line}",
        }
        trace.append(entry)
        if rule.penalty:
            penalties.setdefault(rule.track, []).append(
                {"rule": rule.id, "text": rule.penalty[lang], "status": entry["status"],
                 "cites": [c["id"] for c in entry["cites"]]})
        for item in rule.recommend:
            recommendations.append({"rule": rule.id, "text": item[lang],
                                    "status": entry["status"]})
        for item in rule.evidence:
            evidence.append({"rule": rule.id, "text": item[lang]})
        if rule.track == "law":
            law_applied.append({"rule": rule.id, "status": entry["status"],
                                "explanation": text,
                                "cites": [c["id"] for c in entry["cites"]]})
        if rule.deadline:
            dl = rule.deadline
            start = facts[dl.start]
            param = lib.parameters[dl.add]
            period = cf.params[param_key(dl.add, rule.on)][0]
            when = None
            if start[0] == start[1] and -BIG < start[0] < BIG:
                when = add_period(date.fromordinal(int(start[0])), period, param.unit)
            deadlines.append({
                "id": dl.id, "label": dl.label[lang], "rule": rule.id,
                "status": entry["status"],
                "from": dl.start, "from_date": json_value("date", start),
                "period": {"value": period, "unit": param.unit, "parameter": dl.add},
                "date": when.isoformat() if when else None,
                "passed": (when < as_of) if when else None,
                "cites": [c["id"] for c in entry["cites"]],
            })

    tracks = {}
    for track, fid in TRACK_FACT.items():
        value = facts[fid]
        deciding = [r for r in pack.concluders().get(fid, ())
                    if outcome.fired.get(r.id) == UNKNOWN]
        blocking: list[str] = []
        if value == UNKNOWN:
            for rule in deciding:
                blocking += [b for b in _blocking(pack, outcome, cf, rule) if b not in blocking]
        tracks[track] = {
            "applies": _applies(value),
            "penalties": penalties.get(track, []),
            "rules": [t["rule"] for t in trace if t["track"] == track],
            "conditional_on": blocking,
        }
    band_value = facts["criminal_band"]
    sure_band = [b for b, m in band_value.items() if m == YES and b != "none"]
    maybe_band = [b for b, m in band_value.items() if m == UNKNOWN]
    tracks["criminal"]["band"] = sure_band[0] if sure_band else None
    tracks["criminal"]["band_status"] = "definite" if not maybe_band else "conditional"
    tracks["criminal"]["possible_bands"] = [b if b != "none" else None for b in maybe_band] \
        if maybe_band else [tracks["criminal"]["band"]]
    edition = json_value("choice", facts["psapl_edition_applied"])
    tracks["administrative"]["law_version"] = {"psapl_edition": edition,
                                               "because": law_applied}
    primary, possible = _primary(facts)
    conditional = [t for t in possible if facts[TRACK_FACT[t]] == UNKNOWN]

    res = cf.thresholds["applied"]
    result = {
        "schema": "assess-result/1",
        "tool": {"name": "assess", "version": __version__, "engine": engine,
                 "rules_digest": pack.digest},
        "as_of": as_of.isoformat(),
        "lang": lang,
        "case": {"file": case.file, "sha256": case.sha256, "title": case.title,
                 "place": ({"text": case.place.text, "province": case.place.province,
                            "city": case.place.city, "county": case.place.county}
                           if case.place else None)},
        "dates": {"first_conduct": cf.first_conduct_date.isoformat() if cf.first_conduct_date
                  else None,
                  "conduct_end": cf.conduct_date.isoformat() if cf.conduct_date else None,
                  "decision": as_of.isoformat()},
        "amounts": {"fraud_amount": json_value("amount", facts["fraud_amount"]),
                    "obtained": json_value("amount", facts["fraud_amount_paid"])},
        "primary_track": primary,
        "primary_track_status": "conditional" if conditional else "definite",
        "possible_tracks": possible,
        "tracks": tracks,
        "law_applied": {"psapl_edition": edition, "rules": law_applied},
        "thresholds": dict(res.to_dict(), used={b: json_value("amount", facts[f"threshold_{b}"])
                                                for b in BAND_VALUES},
                           changed_between_dates=facts["threshold_changed"] == YES),
        "deadlines": deadlines,
        "recommendations": recommendations,
        "evidence": evidence,
        "what_would_change": [],
        "scenarios": [],
        "trace": trace,
        "warnings": cf.warnings,
        "facts": {fid: json_value(f.type, facts[fid]) for fid, f in pack.facts.items()},
        "fact_labels": {fid: f.label[lang] for fid, f in pack.facts.items()},
    }
    if explain:
        scenarios, _ = _scenarios(pack, cf, outcome, lang)
        result["scenarios"] = scenarios
        changes = _threshold_gaps(cf, lang)
        for s in scenarios:
            label = s["label"][lang]
            yes, no = s["if_yes"], s["if_no"]
            def name(r):
                text = TRACK_LABEL[r["primary_track"]][lang]
                if r["band"]:
                    text += f"（{BAND_LABEL[r['band']][lang]}）" if lang == "zh" else \
                        f" ({BAND_LABEL[r['band']][lang]})"
                more = [TRACK_LABEL[t][lang] for t in r["possible_tracks"]
                        if t != r["primary_track"]]
                if more:
                    text += (f"（尚可能：{'、'.join(more)}）" if lang == "zh" else
                             f" (still possible: {', '.join(more)})")
                return text
            changes.append({"kind": "unknown_fact", "fact": s["fact"], "text": (
                f"若能证明“{label}”：{name(yes)}；否则：{name(no)}" if lang == "zh" else
                f"if “{label}” is proven: {name(yes)}; otherwise: {name(no)}")})
        result["what_would_change"] = changes
    return result


def evaluate_file(path: str | Path, *, as_of: date | None = None, engine: str = "durable",
                  lang: str = "zh", base: str | Path | None = None) -> dict:
    """Load a case file and assess it (what `assess evaluate` calls)."""
    from .case import load_case

    as_of = as_of or date.today()
    case = load_case(path, as_of=as_of)
    return evaluate_case(case, as_of=as_of, engine=engine, lang=lang, base=base)
