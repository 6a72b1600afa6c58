"""From a case file to the facts the rules read (every fact of rules/facts.yaml with origin: case).

This is where the incidents are added up, the buyer's age at the conduct is computed, the law
text in force at each date is looked up in statutes/, and the local 诈骗罪 amount standard is
resolved for the place and dates of the case.  Unknown answers stay unknown: a number becomes an
interval of what it could be, so that the rules can say "criminal if ...".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import AssessError
from .evaluator import BIG, EVERYTHING, param_key
from .model import NO, UNKNOWN, YES, RulePack

FAKED = ("ai_generated", "edited", "staged")
GENUINE = "genuine"


@dataclass
class CaseFacts:
    facts: dict
    params: dict
    conduct_date: date | None
    first_conduct_date: date | None
    decision_date: date
    law_date_conduct: date              # the date used for "the law at the conduct"
    thresholds: dict                    # {"conduct": resolution, "decision": ..., "applied": {...}}
    warnings: list[str] = field(default_factory=list)


def _tri(value) -> str:
    if value in (YES, NO, UNKNOWN):
        return value
    if value is True:
        return YES
    if value is False:
        return NO
    return UNKNOWN


def _any(values: list[str]) -> str:
    if YES in values:
        return YES
    return NO if values and all(v == NO for v in values) else UNKNOWN


def _all(values: list[str]) -> str:
    if NO in values:
        return NO
    return YES if values and all(v == YES for v in values) else UNKNOWN


def _and(a: str, b: str) -> str:
    return _all([a, b])


def _choice(fact_values: tuple[str, ...], value) -> dict:
    if value in fact_values:
        return {v: YES if v == value else NO for v in fact_values}
    return {v: UNKNOWN for v in fact_values}


def _point(x) -> tuple:
    return (float(x), float(x))


def _months_between(earlier: date, later: date) -> float:
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day:
        months -= 1
    return months + (0.5 if later.day != earlier.day else 0)   # part of a month counts as more


def incident_facts(case) -> dict:
    """Add up the incidents: which count as fraud, and the amounts they make (as intervals)."""
    counts, faked_list, defective_list, paid_counted = [], [], [], []
    amount_lo = amount_hi = paid_lo = paid_hi = 0.0
    count_lo = count_hi = 0
    methods: dict[str, list[str]] = {m: [] for m in FAKED + (GENUINE,)}
    for inc in case.incidents:
        method = inc.photo_method
        faked = YES if method in FAKED else NO if method == GENUINE else UNKNOWN
        defective = _tri(inc.goods_defective)
        counted = _and(faked, {YES: NO, NO: YES}.get(defective, UNKNOWN))
        paid = _tri(inc.refund_paid)
        counts.append(counted)
        faked_list.append(faked)
        defective_list.append(defective)
        for m in methods:
            methods[m].append(YES if method == m else UNKNOWN if method not in methods else NO)
        if counted != NO:
            paid_counted.append(paid)
        amount = None if inc.amount is None else float(inc.amount)
        if counted == YES:
            count_lo += 1
        if counted != NO:
            count_hi += 1
            if amount is None:
                amount_hi = BIG
            else:
                amount_hi += amount
                if counted == YES:
                    amount_lo += amount
            if paid != NO:
                if amount is None:
                    paid_hi = BIG
                else:
                    paid_hi += amount
                    if counted == YES and paid == YES:
                        paid_lo += amount
    return {
        "has_fraud_incident": _any(counts),
        "photos_fabricated": _any(faked_list),
        "photo_method": {m: _any(v) for m, v in methods.items()},
        "goods_defective": _all(defective_list),
        "refund_paid": _any(paid_counted or [_tri(i.refund_paid) for i in case.incidents]),
        "fraud_amount": (amount_lo, min(amount_hi, BIG)),
        "fraud_amount_paid": (paid_lo, min(paid_hi, BIG)),
        "fraud_incident_count": (float(count_lo), float(count_hi)),
    }


def police_facts(case, as_of: date) -> dict:
    """The police report and the months the PSAPL limitation is counted in.

    The limitation runs per refund request (each request is an act): the latest request decides
    whether any act can still be punished when the police have not learned of the conduct, and a
    report reaches the requests made on or before its date, the latest of which is the nearest.
    Also the answers on the 2025 text's exceptions to not executing detention (art. 23 para. 2).
    """
    dates = sorted(i.date for i in case.incidents if i.date is not None)
    reported = _tri(case.police_reported)
    report = case.police_report_date
    if report is not None and reported == UNKNOWN:
        reported = YES                      # a report date says that there was a report
    facts = {"police_reported": reported, "police_case_filed": _tri(case.police_case_filed),
             "admin_egregious": _tri(case.admin_egregious),
             "admin_repeat_within_year": _tri(case.admin_repeat_within_year)}
    facts["months_since_last_act"] = (_point(_months_between(dates[-1], as_of)) if dates
                                      else EVERYTHING)
    reached = [d for d in dates if report is not None and d <= report]
    facts["months_last_act_to_report"] = (_point(_months_between(reached[-1], report))
                                          if reported == YES and reached else EVERYTHING)
    return facts


def _edition_at(lib, law_id: str, on: date | None, values: tuple[str, ...]) -> dict:
    law = lib.laws.get(law_id)
    if law is None:
        raise AssessError(f"no law '{law_id}' in statutes/ for the edition facts",
                          hint="fact names <law id with _>_edition_at_conduct|decision")
    if on is None:
        return {v: UNKNOWN for v in values}
    current = None
    for edition in law.editions:
        start = edition.effective_from
        end = edition.effective_to
        if (start is None or start <= on) and (end is None or on <= end):
            current = str(edition.id)
    return {v: YES if v == current else NO for v in values}


def earliest_conduct_date(lib, pack: RulePack) -> date | None:
    """The first day for which statutes/ holds a value of every parameter the rules use."""
    return max((min(v.effective_from for v in lib.parameters[ref].values)
                for ref in pack.params if ref in lib.parameters and lib.parameters[ref].values),
               default=None)


def _threshold_facts(lib, case, on: date, facts: dict):
    from .thresholds import resolve

    place = case.place
    local = {name: facts[name] for name in ("local_listed_circumstance",
                                            "interpretation_art2_circumstance") if name in facts}
    return resolve(lib.thresholds, place.province if place else None,
                   place.city if place else None, on, local)


def case_facts(case, lib, pack: RulePack, as_of: date) -> CaseFacts:
    """All case facts and the parameter values at the conduct and decision dates."""
    warnings: list[str] = []
    dates = [i.date for i in case.incidents if i.date is not None]
    conduct = max(dates) if dates else None
    first = min(dates) if dates else None
    if dates and len(dates) < len(case.incidents):
        warnings.append("some incident dates are unknown; the known dates were used")
    if conduct is None:
        warnings.append("no incident date is known; the law at the as-of date was used for "
                        "the conduct")
    law_conduct = conduct or as_of

    facts: dict = {}
    facts.update(incident_facts(case))
    facts.update(police_facts(case, as_of))
    for name in ("intent_to_possess", "refund_caused_by_photos", "forgiveness", "surrender",
                 "confession", "interpretation_art2_circumstance", "local_listed_circumstance",
                 "admin_serious"):
        facts[name] = _tri(getattr(case, name, UNKNOWN))
    buyer = case.buyer or {}
    facts["near_relative"] = _tri(buyer.get("near_relative", UNKNOWN))
    facts["pregnant_or_nursing"] = _tri(buyer.get("pregnant_or_nursing", UNKNOWN))
    age = case.buyer_age_on(first or as_of)
    facts["buyer_age"] = _point(age) if age is not None else EVERYTHING

    raw_buyer = (case.data or {}).get("buyer") or {}
    # earlier administrative penalties: dated on or before the first incident, or undated
    listed = buyer.get("prior_penalties") or []
    prior = [p for p in listed if p.get("kind") == "administrative"
             and (not p.get("date") or first is None or p["date"] <= first)]
    undecided = [p for p in listed if p.get("kind") in (None, UNKNOWN)]
    undated = [p for p in prior if not p.get("date")]
    before = [p["date"] for p in prior if p.get("date")]
    if prior:
        facts["first_admin_violation"] = NO
    elif undecided or "prior_penalties" not in raw_buyer \
            or raw_buyer["prior_penalties"] in (None, UNKNOWN):
        facts["first_admin_violation"] = UNKNOWN
    else:
        facts["first_admin_violation"] = YES
    if before and first and not undecided and not undated:
        facts["months_since_prior_admin_penalty"] = _point(_months_between(max(before), first))
    elif before and first:
        # an undated or unclassified penalty may be more recent than the dated ones
        facts["months_since_prior_admin_penalty"] = (
            0.0, float(_months_between(max(before), first)))
    elif facts["first_admin_violation"] == YES:
        facts["months_since_prior_admin_penalty"] = (float(BIG), float(BIG))
    else:
        facts["months_since_prior_admin_penalty"] = EVERYTHING

    for fid in ("restitution", "refund_approval"):
        fact = pack.facts[fid]
        value = getattr(case, fid, None) if fid != "refund_approval" else \
            (case.platform or {}).get("refund_approval")
        facts[fid] = _choice(fact.values, value)

    def as_date(d):
        return _point(d.toordinal()) if d else EVERYTHING
    facts["conduct_date"] = as_date(conduct)
    facts["first_conduct_date"] = as_date(first)
    facts["decision_date"] = as_date(as_of)
    facts["merchant_learned_date"] = as_date(case.merchant_learned_date)

    for fid, fact in pack.facts.items():
        if fact.origin != "case":
            continue
        for suffix, on in (("_edition_at_conduct", conduct), ("_edition_at_decision", as_of)):
            if fid.endswith(suffix):
                law_id = fid[: -len(suffix)].replace("_", "-")
                facts[fid] = _edition_at(lib, law_id, on, fact.values)

    at_conduct = _threshold_facts(lib, case, law_conduct, facts)
    at_decision = _threshold_facts(lib, case, as_of, facts)
    changed = NO
    for band in at_conduct.values:
        lo = max(at_conduct.values[band][0], at_decision.values[band][0])
        hi = max(at_conduct.values[band][1], at_decision.values[band][1])
        facts[f"threshold_{band}"] = (float(lo), float(hi))
        if at_conduct.values[band] != at_decision.values[band] and at_conduct.exact \
                and at_decision.exact:
            changed = YES
    facts["threshold_changed"] = changed
    facts["threshold_known"] = YES if at_conduct.applied and at_conduct.exact else NO
    applied = at_conduct if changed == NO else max(
        (at_conduct, at_decision), key=lambda r: r.values["large"][0])

    params: dict = {}
    earliest = earliest_conduct_date(lib, pack)
    if earliest is not None and law_conduct < earliest:
        raise AssessError(
            f"the conduct date {law_conduct.isoformat()} is before {earliest.isoformat()}, the "
            f"earliest day for which statutes/ holds every legal value the rules need",
            file=case.file, field="incidents[].date",
            expected=f"incidents on or after {earliest.isoformat()}",
            hint="this product assesses conduct under the law in force from that day; older "
                 "cases need the earlier texts added to statutes/ (see docs/statutes.md)")
    for ref in pack.params:
        parameter = lib.parameters.get(ref)
        if parameter is None:
            raise AssessError(f"the rules use parameter '{ref}', which statutes/ does not define")
        for on, day in (("conduct", law_conduct), ("decision", as_of)):
            value = parameter.value_at(day)
            if value is None:
                raise AssessError(f"parameter '{ref}' has no value on {day.isoformat()}",
                                  file=parameter.file, line=parameter.line,
                                  hint="add a value whose dates cover this day")
            params[param_key(ref, on)] = _point(value.value)

    return CaseFacts(facts, params, conduct, first, as_of, law_conduct,
                     {"conduct": at_conduct, "decision": at_decision, "applied": applied},
                     warnings)
