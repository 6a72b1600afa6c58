"""`evaluate_case`: one case in, one explained assessment out (a JSON-ready dict).

Steps: load statutes and the rule pack (cached), turn the case into facts (facts.py), run the
rules on the chosen engine (durable-rules by default), then read the derived facts into tracks,
bands, penalties, deadlines and recommendations, with a trace of every rule that fired, the facts
it used and the provisions it cites in the version in force at the date the rule applies.
"""
from __future__ import annotations

import calendar
import hashlib
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from . import __version__, paths
from .citations import parse_cite, part_label, part_text, pid_of
from .errors import AssessError
from .evaluator import BIG, PlainEngine, param_key
from .model import NO, UNKNOWN, YES, RulePack

TRACK_ORDER = ("criminal", "administrative", "civil")
TRACK_FACT = {"civil": "civil_applies", "administrative": "admin_applies",
              "criminal": "criminal_applies", "platform": "platform_may_share_loss"}
BAND_VALUES = ("large", "huge", "especially_huge")
# the derived facts a result reports, each decided in every completion the analysis ends in
# (the PSAPL text only where the administrative track may apply)
OUTPUT_FACTS = dict.fromkeys(tuple(TRACK_FACT.values()) + ("criminal_band",)) | \
    {"psapl_edition_applied": "admin_applies"}
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
    pack.digest = pack_digest(pack.files + lib.files)
    return lib, pack


def pack_digest(files) -> str:
    """SHA-256 over the rule files and the statute files (provisions, parameters, the amount
    table): a changed rule, text or threshold changes it."""
    h = hashlib.sha256()
    for path in files:
        path = Path(path)
        h.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


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
        if lo == 0 < hi:                    # none of it may count: not "0–7,300元"
            return f"至多{fmt_number(hi)}元" if lang == "zh" else f"up to CNY {fmt_number(hi)}"
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
        "status": shown.status,
        "status_note": (shown.status_note or {}).get(lang) if shown.status else None,
        "gloss_en": shown.gloss_en,
        "source": {k: v for k, v in vars(shown.source).items() if v},
    }


SEVERITY = ("criminal", "administrative", "civil", "none")     # most serious first
BAND_SEVERITY = ("especially_huge", "huge", "large", None)


def _status_view(analysis, status: str, terms: list, lang: str) -> dict:
    """How a result shows a conclusion's status and the condition it holds under."""
    from .cases import condition_facts, condition_json, condition_text

    return {"status": status,
            "condition": condition_json(analysis, terms, lang) if status == "conditional" else [],
            "condition_text": condition_text(analysis, terms, lang)
            if status == "conditional" else "",
            "conditional_on": condition_facts(analysis, terms) if status == "conditional" else [],
            "vars": sorted({k for term in terms for k in term}) if status == "conditional" else []}


def _leaf_top(leaf) -> str:
    """The most serious track a leaf may lead to (in a residual leaf an undecided one counts)."""
    return next((t for t in TRACK_ORDER if leaf.facts[TRACK_FACT[t]] != NO), "none")


def _leaf_band(leaf):
    sure = [b for b in BAND_VALUES if leaf.facts["criminal_band"].get(b) == YES]
    return sure[0] if sure else None


def _aggregate(pack, analysis) -> dict:
    """The facts as the result shows them: the case facts as given, and each derived fact as it
    comes out over every completion (yes when yes in all, unknown when it differs)."""
    facts = dict(analysis.root.facts)
    for fid, fact in pack.facts.items():
        if fact.origin != "rules":
            continue
        values = [leaf.facts[fid] for leaf in analysis.leaves]
        if fact.type == "yesno":
            facts[fid] = values[0] if values and all(v == values[0] for v in values) else UNKNOWN
        else:
            agg = {}
            for v in fact.values:
                members = {x[v] for x in values}
                agg[v] = members.pop() if len(members) == 1 else UNKNOWN
            facts[fid] = agg
    return facts


def _outcome_label(track: str, band, lang: str) -> str:
    label = TRACK_LABEL[track][lang]
    if track == "criminal" and band:
        b = BAND_LABEL[band][lang]
        return label[:-1] + f"，{b}）" if lang == "zh" else label[:-1] + f", {b})"
    return label


def _headline(analysis, lang: str) -> dict:
    """Each outcome with its condition, most serious first: 若……则……；否则…… ."""
    from .cases import condition_text, is_summary, named, var_name

    groups: dict = {}
    for leaf in analysis.leaves:
        groups.setdefault(_leaf_top(leaf), []).append(leaf)
    order = [t for t in SEVERITY if t in groups]
    outcomes = []
    read: list[str] = []                # the vars the conditions read (tracks and bands)
    for track in order:
        members = set(map(id, groups[track]))
        status, terms = analysis.status(lambda leaf: YES if id(leaf) in members else NO)
        read += [key for term in terms for key in term]
        bands = []
        if track == "criminal":
            by_band: dict = {}
            for leaf in groups[track]:
                by_band.setdefault(_leaf_band(leaf), []).append(leaf)
            for band in [b for b in BAND_SEVERITY if b in by_band]:
                ids = set(map(id, by_band[band]))
                _, bterms = analysis.status(lambda leaf: YES if id(leaf) in ids else NO,
                                            within=lambda leaf: YES if id(leaf) in members
                                            else NO)        # given that the track applies
                read += [key for term in bterms for key in term]
                bands.append({"band": band, "condition_text": condition_text(analysis, bterms,
                                                                            lang)})
        outcomes.append({"track": track, "status": status,
                         "condition_text": condition_text(analysis, terms, lang),
                         "bands": bands})

    def band_text(o) -> str:
        inner = []
        bands = o["bands"]
        for i, b in enumerate(bands):
            label = BAND_LABEL[b["band"]][lang] if b["band"] else \
                ("未达数额标准" if lang == "zh" else "below the standard")
            if i == len(bands) - 1:
                inner.append(f"否则{label}" if lang == "zh" else f"otherwise {label}")
            else:
                inner.append(f"若{b['condition_text']}，则{label}" if lang == "zh" else
                             f"if {b['condition_text']}: {label}")
        return "；".join(inner) if lang == "zh" else "; ".join(inner)

    def name(o) -> str:
        bands = o["bands"]
        if len(bands) <= 1:
            return _outcome_label(o["track"], bands[0]["band"] if bands else None, lang)
        label = TRACK_LABEL[o["track"]][lang]
        return f"{label}（{band_text(o)}）" if lang == "zh" else f"{label} ({band_text(o)})"

    summarised = any(is_summary(o["condition_text"]) or
                     any(is_summary(b["condition_text"]) for b in o["bands"]) for o in outcomes)
    if summarised:                      # too many unknowns to say which leads where
        names = [_outcome_label(o["track"], None, lang) for o in outcomes]
        facts = named([var_name(analysis.vars[k], lang) for k in read], lang)
        text = (f"尚不确定，可能为{'、'.join(names)}；取决于：{'、'.join(facts)}" if lang == "zh"
                else f"not settled: {', '.join(names)}; depending on: {'; '.join(facts)}")
        return {"text": text, "outcomes": outcomes}
    if len(outcomes) == 1:
        o = outcomes[0]
        if len(o["bands"]) > 1:                 # the track is certain, only the band is not
            label = TRACK_LABEL[o["track"]][lang]
            text = (f"{label}（确定）；数额档次：{band_text(o)}" if lang == "zh" else
                    f"{label} (definite); amount band: {band_text(o)}")
        else:
            text = f"{name(o)}（确定）" if lang == "zh" else f"{name(o)} (definite)"
    else:
        parts = []
        for i, o in enumerate(outcomes):
            if i == len(outcomes) - 1:
                parts.append(f"否则{name(o)}" if lang == "zh" else f"otherwise {name(o)}")
            else:
                parts.append(f"若{o['condition_text']}，则{name(o)}" if lang == "zh" else
                             f"if {o['condition_text']}: {name(o)}")
        text = "；".join(parts) if lang == "zh" else "; ".join(parts)
        if lang == "en":
            text = text[0].upper() + text[1:]
    return {"text": text, "outcomes": outcomes}


def _summary(leaves) -> dict:
    """What a set of completions leads to: the most serious track, the others, the band."""
    tops = {_leaf_top(leaf) for leaf in leaves}
    primary = next((t for t in SEVERITY if t in tops), "none")
    possible = [t for t in TRACK_ORDER if any(leaf.facts[TRACK_FACT[t]] != NO for leaf in leaves)]
    bands = {_leaf_band(leaf) for leaf in leaves if leaf.facts["criminal_applies"] != NO}
    return {"primary_track": primary, "possible_tracks": possible,
            "band": bands.pop() if len(bands) == 1 else None}


def _scenarios(analysis) -> list:
    """For each unknown yes/no field the analysis split on: the outcome if it is proven, and if
    not (the other unknowns still open)."""
    out = []
    for key, var in analysis.vars.items():
        if var.kind not in ("field", "fact") or var.ftype != "yesno":
            continue
        results = {}
        for value in (YES, NO):
            leaves = [leaf for leaf in analysis.leaves
                      if all(v.key != key or x == value for v, x in leaf.path)]
            results[value] = _summary(leaves)
        if results[YES] != results[NO]:
            out.append({"fact": var.fact or key, "label": var.label, "if_yes": results[YES],
                        "if_no": results[NO]})
    return out


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
                  base: str | Path | None = None, explain: bool = True,
                  completions: int | None = None, brief: bool = False) -> dict:
    """Assess one parsed case (see assess.case.load_case) and return the result as a dict.

    The rules run on every completion of the unknown facts that matters (assess/cases.py); a
    conclusion is definite when every completion gives it and conditional, with its condition,
    when some do.  `completions` caps the cases tried (default cases.LEAF_BUDGET); 1 gives the
    plain three-valued evaluation, which the questionnaire uses to test whether an answer can
    still matter; `brief` leaves out the trace, penalties, advice and headline (the tracks,
    band, law text and deadlines remain)."""
    from .cases import LEAF_BUDGET, analyse

    if lang not in ("zh", "en"):
        raise AssessError(f"unknown language '{lang}'", field="lang", expected="zh or en")
    as_of = as_of or date.today()
    lib, pack = load(base)
    analysis = analyse(case, lib, pack, as_of, engine_for(pack, engine),
                       budget=completions or LEAF_BUDGET,
                       outputs=OUTPUT_FACTS,
                       local_for={r.id for r in pack.rules if r.deadline} if brief else None,
                       settle=completions is None)
    cf = analysis.root
    facts = _aggregate(pack, analysis)
    dates = {"conduct": cf.law_date_conduct, "decision": as_of}

    trace, penalties, recommendations, evidence, deadlines, law_applied = [], {}, [], [], [], []
    strata = {r.id: k for k, rules in enumerate(pack.strata) for r in rules}
    depends_on: set = set()             # the vars the conclusions (tracks, band, text, deadlines)
    #                                     depend on: what the questionnaire still needs to ask
    for rule in pack.rules:
        if brief and not rule.deadline:
            continue
        guards = {OUTPUT_FACTS[f] for f in {f for f, _ in rule.then} | set(rule.reads)
                  if OUTPUT_FACTS.get(f)}
        if len(guards) == 1:
            # a rule that concludes or reads a fact reported only where another holds (the
            # PSAPL text, where the administrative track applies) is read given that fact
            status, terms = analysis.rule_status(rule.id, within=analysis.fact_test(guards.pop()))
        else:
            status, terms = analysis.rule_status(rule.id)
        if status == "never":
            continue
        view = _status_view(analysis, status, terms, lang)
        text = render_text(rule.explain[lang], pack, facts, cf.params, rule.on, lang)
        used = {}
        for name in rule.reads:
            if name in pack.facts:
                used[name] = json_value(pack.facts[name].type, facts[name])
            else:
                used[name] = json_value("number", cf.params[param_key(name, rule.on)])
        entry = {
            "rule": rule.id, "title": rule.title[lang], "track": rule.track,
            "status": status, "condition": view["condition"],
            "condition_text": view["condition_text"],
            "stratum": strata[rule.id],
            "on": rule.on, "date": dates[rule.on].isoformat(),
            "facts_used": used,
            "conclusions": {f: v for f, v in rule.then},
            "conditional_on": view["conditional_on"],
            "explanation": text,
            "cites": [_cite(lib, c, rule.on, dates, lang) for c in rule.cites],
            "source": f"{rule.loc.file}:{rule.loc.line}",
        }
        trace.append(entry)
        cond = {"status": status, "condition_text": view["condition_text"]}
        if rule.penalty:
            pcond = cond
            if rule.track in TRACK_FACT:        # a penalty is read given that its track applies
                pstatus, pterms = analysis.rule_status(
                    rule.id, within=analysis.fact_test(TRACK_FACT[rule.track]))
                pcond = {"status": pstatus, "condition_text": _status_view(
                    analysis, pstatus, pterms, lang)["condition_text"]}
            if pcond["status"] != "never":
                penalties.setdefault(rule.track, []).append(
                    {"rule": rule.id, "text": rule.penalty[lang], **pcond,
                     "cites": [c["id"] for c in entry["cites"]]})
        for item in rule.recommend:
            recommendations.append({"rule": rule.id, "text": item[lang], **cond})
        for item in rule.evidence:
            evidence.append({"rule": rule.id, "text": item[lang]})
        if rule.track == "law":
            law_applied.append({"rule": rule.id, **cond, "explanation": text,
                                "cites": [c["id"] for c in entry["cites"]]})
        if rule.deadline:
            depends_on.update(view["vars"])
            dl = rule.deadline
            start = facts[dl.start]
            param = lib.parameters[dl.add]
            period = cf.params[param_key(dl.add, rule.on)][0]
            when = None
            if start[0] == start[1] and -BIG < start[0] < BIG:
                when = add_period(date.fromordinal(int(start[0])), period, param.unit)
            if when is None:
                depends_on.add(f"date:{dl.start}")      # the deadline needs its start date
            met = None                  # an act on or before the date met the deadline that
            if dl.met_by and when is not None and when < as_of:    # has come (else: still open)
                act = facts[dl.met_by]
                if act[0] == act[1] and -BIG < act[0] < BIG and \
                        date.fromordinal(int(act[0])) <= when:
                    met = {"date": date.fromordinal(int(act[0])).isoformat(),
                           "label": dl.met_label[lang], "fact": dl.met_by}
            deadlines.append({
                "id": dl.id, "label": dl.label[lang], "rule": rule.id, **cond,
                "from": dl.start, "from_date": json_value("date", start),
                "period": {"value": period, "unit": param.unit, "parameter": dl.add},
                "date": when.isoformat() if when else None,
                "passed": (when < as_of) if when else None,     # the date has come
                "met": met,         # ... and an act on or before it kept it (met_by): no bar
                "cites": [c["id"] for c in entry["cites"]],
            })

    tracks = {}
    for track, fid in TRACK_FACT.items():
        status, terms = analysis.fact_status(fid)
        view = _status_view(analysis, status, terms, lang)
        depends_on.update(view["vars"])
        tracks[track] = {
            "applies": {"definite": True, "never": False}.get(status, "conditional"),
            "condition": view["condition"], "condition_text": view["condition_text"],
            "conditional_on": view["conditional_on"],
            "penalties": penalties.get(track, []),
            "rules": [t["rule"] for t in trace if t["track"] == track],
        }
    bands = []
    for band in BAND_VALUES:
        status, terms = analysis.fact_status("criminal_band", band)
        depends_on.update(k for term in terms for k in term)
        if status != "never":
            bands.append({"band": band, "status": status,
                          "condition_text": _status_view(analysis, status, terms,
                                                         lang)["condition_text"]})
    none_status, _ = analysis.fact_status("criminal_band", "none")
    crim = tracks["criminal"]
    crim["bands"] = bands
    crim["band"] = bands[0]["band"] if len(bands) == 1 and bands[0]["status"] == "definite" \
        else None
    crim["band_status"] = "definite" if len(bands) + (none_status != "never") <= 1 \
        else "conditional"
    crim["possible_bands"] = [b["band"] for b in bands] + \
        ([None] if none_status != "never" and bands else [])
    if not crim["possible_bands"]:
        crim["possible_bands"] = [None]
    editions = []
    for ed in pack.facts["psapl_edition_applied"].values:
        status, terms = analysis.fact_status("psapl_edition_applied", ed,   # if the track applies
                                             within=analysis.fact_test("admin_applies"))
        depends_on.update(k for term in terms for k in term)
        if status != "never":
            editions.append({"edition": ed, "status": status,
                             "condition_text": _status_view(analysis, status, terms,
                                                            lang)["condition_text"]})
    edition = editions[0]["edition"] if len(editions) == 1 and \
        editions[0]["status"] == "definite" else {"unknown": [e["edition"] for e in editions]}
    tracks["administrative"]["law_version"] = {"psapl_edition": edition, "editions": editions,
                                               "because": law_applied}
    summary = _summary(analysis.leaves)
    primary = summary["primary_track"]
    primary_definite = all(_leaf_top(leaf) == primary for leaf in analysis.leaves) if \
        primary != "none" else all(_leaf_top(leaf) == "none" for leaf in analysis.leaves)

    warnings = list(getattr(case, "warnings", None) or []) + list(cf.warnings)
    if "residual" in analysis.warnings:
        warnings.append("an amount and the standard it is compared with are both unknown and "
                        "overlap; where they do, the comparison is shown as undecided"
                        if lang == "en" else "诈骗数额与所比较的数额标准均未知且范围重叠，其间的比较结果无法确定，相关结论标为有条件")
    if "budget" in analysis.warnings and (completions or LEAF_BUDGET) > 1:
        warnings.append(f"too many unknown facts: the analysis stopped after {len(analysis.leaves)} "
                        f"cases; answer more questions for a complete analysis" if lang == "en" else
                        f"未知事实过多：分析在 {len(analysis.leaves)} 种情形后停止，请补充事实以获得完整分析")

    res = cf.thresholds["applied"]
    var_labels = {(v.fact or k): v.label[lang] for k, v in analysis.vars.items()}
    request_facts = {k: {"n": v.entry, "label": v.entry_label[lang]}
                     for k, v in analysis.vars.items() if v.entry is not None}
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
        "headline": _headline(analysis, lang) if not brief else None,
        "primary_track": primary,
        "primary_track_status": "definite" if primary_definite else "conditional",
        "possible_tracks": summary["possible_tracks"],
        "tracks": tracks,
        "law_applied": {"psapl_edition": edition, "editions": editions, "rules": law_applied},
        "thresholds": dict(res.to_dict(), used={b: json_value("amount", facts[f"threshold_{b}"])
                                                for b in BAND_VALUES},
                           changed_between_dates=facts["threshold_changed"] == YES),
        # in date order (a deadline without a date, its start being unknown, last)
        "deadlines": sorted(deadlines, key=lambda d: (d["date"] is None, d["date"] or "")),
        "recommendations": recommendations,
        "evidence": evidence,
        "what_would_change": [],
        "scenarios": [],
        "analysis": {"completions": len(analysis.leaves),
                     "split_on": [k for k in analysis.vars if k != "undecided"],
                     "depends_on": [{"var": k, "fact": analysis.vars[k].fact}
                                    for k in analysis.vars if k in depends_on]
                     + [{"var": k, "fact": k[5:]} for k in sorted(depends_on)
                        if k.startswith("date:")],
                     "residual": "residual" in analysis.warnings,
                     "stopped_early": "budget" in analysis.warnings},
        "trace": trace,
        "warnings": warnings,
        "facts": {fid: json_value(f.type, facts[fid]) for fid, f in pack.facts.items()},
        "fact_labels": dict({fid: f.label[lang] for fid, f in pack.facts.items()}, **var_labels),
        "request_facts": request_facts,         # a refund request's unknown field: number, label
    }
    if explain:
        scenarios = _scenarios(analysis)
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


def fact_names(names, result: dict, lang: str) -> list[str]:
    """The names of the facts `names` (a conclusion's conditional_on) for the terminal and the
    documents: the same field of several refund requests named once (cases.named)."""
    from .cases import named

    labels = result.get("fact_labels", {})
    requests = result.get("request_facts", {})
    return named([(requests[n]["n"], requests[n]["label"]) if n in requests else
                  labels.get(n, n) for n in names], lang)
