"""From a case file to the facts the rules read (every fact of rules/facts.yaml with origin: case).

This is where the incidents are added up, the buyer's age at the conduct is computed, the law
text in force at each date is looked up in statutes/, and the local 诈骗罪 amount standard is
resolved for the place and dates of the case.  Unknown answers stay unknown: a number becomes an
interval of what it could be, so that the rules can say "criminal if ...".
"""
from __future__ import annotations

import calendar
import functools
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from .amounts import cents as _cents
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
    """_all([a, b]), written out: it runs for every incident many times over."""
    if a == NO or b == NO:
        return NO
    return YES if a == YES and b == YES else UNKNOWN


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


@functools.lru_cache(maxsize=4096)
def _years_before(day: date, years: float) -> date:
    """The same day `years` years earlier (29 February becomes 28 February)."""
    year = day.year - int(years)
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _at_least(value: tuple, bound: float | None) -> str:
    if bound is None:
        return UNKNOWN
    lo, hi = value
    return YES if lo >= bound else NO if hi < bound else UNKNOWN


def _param(lib, ref: str, on: date, warnings: list[str] | None = None) -> float | None:
    """A legal value of statutes/parameters.yaml on a day (the house rule: no number in code).
    With `warnings`, a day the parameter has no value for gives None and a warning."""
    parameter = lib.parameters.get(ref)
    if parameter is None:
        raise AssessError(f"assess/facts.py needs parameter '{ref}', which statutes/ does not "
                          f"define", hint="add it to statutes/parameters.yaml")
    value = parameter.value_at(on)
    if value is None and warnings is not None:
        note = (f"statutes/ holds no value of '{ref}' on {on.isoformat()}; what depends on it "
                f"is left unknown for that incident")
        if note not in warnings:
            warnings.append(note)
        return None
    if value is None:
        raise AssessError(f"parameter '{ref}' has no value on {on.isoformat()}",
                          file=parameter.file, line=parameter.line,
                          hint="add a value whose dates cover this day, or check the incident "
                               "dates")
    return value.value


# --------------------------------------------------------------------------- the incidents

# incidents[].handled values meaning the incident was already punished (not 未经处理)
HANDLED = ("administrative", "criminal", "yes")


@dataclass
class _Incident:
    """One refund request as the sums see it.  Memberships are yes / no / unknown."""
    fraud: str              # faked photos for goods that were not defective
    open: str               # not yet dealt with (未经处理)
    paid: str               # the refund was paid
    amount: float | None
    day: date | None
    age: tuple              # the buyer's age on that day (an interval)
    crim_age: tuple         # the same as the criminal law counts it (from the day after a birthday)
    criminal_age: str       # at least the age of criminal responsibility for fraud that day
    admin_age: str          # at least the minimum age for a public-security penalty that day
    handled: str            # the case-file value
    judged: str = field(init=False)     # conduct to be assessed now: fraud, not yet dealt with
    serial: int = field(default=-1, compare=False)     # its number in the memo (_incidents)
    # memberships the sums read, made once per request (an _Incident is never changed):
    fraud_paid: str = field(init=False, compare=False)  # fraud, and the refund paid
    done: str = field(init=False, compare=False)        # fraud already dealt with
    crime: str = field(init=False, compare=False)       # judged, of the age for the crime
    young: str = field(init=False, compare=False)       # judged, under that age
    punishable: str = field(init=False, compare=False)  # judged, of the age for a penalty

    def __post_init__(self):
        self.judged = _and(self.fraud, self.open)
        self.fraud_paid = _and(self.fraud, self.paid)
        self.done = _and(self.fraud, _NOT.get(self.open, UNKNOWN))
        self.crime = _and(self.judged, self.criminal_age)
        self.young = _and(self.judged, _NOT.get(self.criminal_age, UNKNOWN))
        self.punishable = _and(self.judged, self.admin_age)


_NOT = {YES: NO, NO: YES}
# statutes/parameters.yaml: from which day after a birthday the criminal law's ages count
CRIMINAL_AGE_COUNTING = "age.criminal_counted_after_days"
# the facts of the criminal law's ages (counted with CRIMINAL_AGE_COUNTING)
CRIMINAL_AGE_FACTS = frozenset({"buyer_criminal_age", "buyer_criminal_age_first",
                                "criminal_age_first", "criminal_age_last"})


# (lib, {what one refund request's _Incident is made of: (_Incident, its warnings)}): a case
# that differs from another in one request (the reasoning by cases tries each value of each
# request's unknown answers; the questionnaire each answer) derives only that request again
_INCIDENT_MEMO: list = [None, {}, {}]     # (lib, memo, serial of each _Incident's content)
_SERIALS = itertools.count()           # a request's number in the memo, never given twice
INCIDENT_MEMO_SIZE = 20000


def _incident(case, inc, lib, as_of: date) -> tuple[_Incident, list[str]]:
    """One refund request as the sums see it, and the warnings it gives (new each time)."""
    warnings: list[str] = []
    method = inc.photo_method
    faked = YES if method in FAKED else NO if method == GENUINE else UNKNOWN
    defective = _tri(inc.goods_defective)
    on = inc.date or as_of
    born = (case.buyer or {}).get("birth_date")
    if born is not None and inc.date is None:
        age = crim_age = (0.0, float(case.buyer_age_on(as_of)))
    else:
        known = case.buyer_age_on(on)
        age = _point(known) if known is not None else EVERYTHING
        # the criminal law's ages count from the day after the birthday (the parameter's cites)
        after = lib.parameters[CRIMINAL_AGE_COUNTING].value_at(on)
        days = int(after.value) if after else 0
        known = case.buyer_age_on(on - timedelta(days=days))
        crim_age = _point(known) if known is not None else EVERYTHING
        if born is None and known is not None and days:
            # an age given without the date of birth is the age in whole years on the day; the
            # criminal law counts it one less on the birthday itself (and the days after it that
            # the parameter says), which the age alone does not tell
            crim_age = (float(max(known - 1, 0)), float(known))
    handled = getattr(inc, "handled", UNKNOWN)     # as the case settles it (case._handled)
    return _Incident(
        fraud=_and(faked, {YES: NO, NO: YES}.get(defective, UNKNOWN)),
        open=YES if handled == NO else NO if handled in HANDLED else UNKNOWN,
        paid=_tri(inc.refund_paid),
        amount=None if inc.amount is None else float(inc.amount),
        day=inc.date, age=age, crim_age=crim_age,
        criminal_age=_at_least(crim_age, _param(lib, "age.criminal_full", on, warnings)),
        admin_age=_at_least(age, _param(lib, "age.admin_min", on, warnings)),
        handled=handled), warnings


def _incidents(case, lib, as_of: date, warnings: list[str]) -> list[_Incident]:
    """Each refund request as the sums see it (from the memo when an equal request was derived
    with the same buyer's age, as-of date and statutes: the same _Incident, never changed)."""
    if _INCIDENT_MEMO[0] is not lib or len(_INCIDENT_MEMO[1]) > INCIDENT_MEMO_SIZE:
        _INCIDENT_MEMO[:] = [lib, {}, {}]
    _, memo, serials = _INCIDENT_MEMO
    buyer = case.buyer or {}
    person = (buyer.get("birth_date"), buyer.get("age"), as_of)
    out = []
    for inc in case.incidents:
        # the same request object again (the cases of one questionnaire pass, or of the
        # reasoning by cases, share the requests they do not change, which nothing changes in
        # place): its key is not made again
        seen = memo.get(id(inc))
        if seen is not None and seen[0] is inc and seen[1] == person:
            made = seen[2]
        else:
            # what _incident reads of the request, as it reads it
            method = inc.photo_method
            key = (YES if method in FAKED else NO if method == GENUINE else UNKNOWN,
                   _tri(inc.goods_defective), inc.date, _tri(inc.refund_paid),
                   None if inc.amount is None else float(inc.amount),
                   getattr(inc, "handled", UNKNOWN), person)
            made = memo.get(key)
            if made is None:
                made = memo[key] = _incident(case, inc, lib, as_of)
                i = made[0]
                # equal requests as the sums see them have one number (a faked photo of goods
                # whose defect is unknown is as much fraud as a photo made in an unknown way;
                # the kind of penalty a request dealt with had is read only for the earlier
                # penalties, whose memo has them in its key)
                content = (i.fraud, i.open, i.paid, i.amount, i.day, i.age, i.crim_age,
                           i.criminal_age, i.admin_age)
                i.serial = serials.setdefault(content, next(_SERIALS))
            memo[id(inc)] = (inc, person, made)     # the memo keeps inc: its id stays its own
        out.append(made[0])
        for note in made[1]:
            if note not in warnings:
                warnings.append(note)
    return out


def _sum(members) -> tuple[float, float]:
    """The interval of a sum of amounts whose membership may be unknown (members: pairs of
    membership and amount, read once).  Added up in whole cents: 1,998.61 + 899.79 + 101.60 is
    3,000 exactly, not the 2,999.9999999999995 of adding the floats (which would put an amount
    at a threshold below it)."""
    lo = hi = 0
    unbounded = False
    for member, amount in members:
        if member == NO:
            continue
        if amount is None:
            unbounded = True
            continue
        cents = _cents(amount)
        hi += cents
        if member == YES:
            lo += cents
    return lo / 100, BIG if unbounded else min(hi / 100, BIG)


def _extreme(items, latest: bool) -> tuple | None:
    """The buyer's age at the latest (or earliest) incident of a set whose membership may be
    unknown; None when the set is surely empty.  Ages grow with the dates.  `items`: pairs of
    membership and age (an interval), read once: at the latest, from the greatest lower bound
    of the sure members (the least of the possible ones while none is sure) to the greatest
    upper bound of the possible ones; at the earliest, from the least lower bound of the
    possible members to the least upper bound of the sure ones (the greatest of the possible
    ones while none is sure)."""
    low = high = sure = None
    for member, (lo, hi) in items:
        if member == NO:
            continue
        if low is None or lo < low:
            low = lo
        if high is None or hi > high:
            high = hi
        if member == YES:
            if latest:
                if sure is None or lo > sure:
                    sure = lo
            elif sure is None or hi < sure:
                sure = hi
    if low is None:
        return None
    if latest:
        return (low if sure is None else sure, high)
    return (low, high if sure is None else sure)


def _hull(intervals: list[tuple]) -> tuple | None:
    """The smallest interval holding all of them (None for none)."""
    if not intervals:
        return None
    return (min(i[0] for i in intervals), max(i[1] for i in intervals))


@dataclass
class _Window:
    """The incidents added up for the crime: those not yet dealt with, committed at or after the
    age of criminal responsibility, within one window of the aggregation period."""
    amount: tuple
    count: tuple
    start: date | None
    end: date | None
    inside: list[str]           # per incident: counted in `amount`
    crime: list[str]            # per incident: not yet dealt with, old enough (any window)


def _window(incs: list[_Incident], years: float) -> _Window:
    """The window of the aggregation period that adds up to most (then the highest upper
    bound, then the latest end): one window ends at each date of an incident that may be
    counted, and holds the incidents from `years` before that date up to it.  The windows slide
    along the incidents in date order, so n incidents cost n log n instead of n × n.  The sums
    are of whole cents, exact in any order: the choice is the one adding every window up
    would make."""
    amounts = [i.amount for i in incs]
    crime = [i.crime for i in incs]
    exact = [None if a is None else _cents(a) for a in amounts]
    big = _cents(BIG)
    # _and(m, UNKNOWN if undated else YES if in the window else NO): an undated incident may
    # be in any window, so it counts in the upper bounds only
    undated = [NO if m == NO else UNKNOWN for m in crime]
    loose = [k for k, i in enumerate(incs) if i.day is None and crime[k] != NO]
    loose_sum = sum(exact[k] or 0 for k in loose)
    loose_none = any(exact[k] is None for k in loose)
    dated = sorted((k for k, i in enumerate(incs) if i.day is not None and crime[k] != NO),
                   key=lambda k: incs[k].day)
    # options: (lo, hi as exact keys, end, sure count, possible count, start, memberships
    #           (None: those of the dates from start to end), lo as reported (None: the sure
    #           part of the amounts of those memberships))
    # of the windows ending at a date, only the one adding up to most (the first of equal
    # ones in date order, as max() over all of them takes it: the latest end wins a tie of
    # the sums), the one with the highest upper bound (the first) and the greatest possible
    # count are kept
    options = []
    best_key = widest = None
    most = 0
    lo = hi = none = yes = count = 0
    first = last = 0                    # dated[first:last] is the window
    for end in sorted({incs[k].day for k in dated}):
        start = _years_before(end, years)
        while last < len(dated) and incs[dated[last]].day <= end:
            k, last, count = dated[last], last + 1, count + 1
            hi, none = hi + (exact[k] or 0), none + (exact[k] is None)
            if crime[k] == YES:
                yes, lo = yes + 1, lo + (exact[k] or 0)
        while incs[dated[first]].day < start:
            k, first, count = dated[first], first + 1, count - 1
            hi, none = hi - (exact[k] or 0), none - (exact[k] is None)
            if crime[k] == YES:
                yes, lo = yes - 1, lo - (exact[k] or 0)
        total = hi + loose_sum
        upper = big if none or loose_none or total > big else total
        if best_key is None or (lo, upper, end) > best_key:
            best_key = (lo, upper, end)
            best = (lo, upper, end, yes, count + len(loose), start, None, None)
        if widest is None or upper > widest[1]:
            widest = (lo, upper, end, yes, count + len(loose), start, None, None)
        most = max(most, count + len(loose))
    if best_key is not None:            # in date order, as they came
        options += [best] if widest[2] == best[2] else \
            [widest, best] if widest[2] < best[2] else [best, widest]
    for k in loose:                     # a window of its own; other dates may be near or far
        i, m = incs[k], crime[k]
        members = [m if j == k else _and(crime[j], UNKNOWN) for j in range(len(incs))]
        counted = [j for j, x in enumerate(members) if x != NO]
        total = sum(exact[j] or 0 for j in counted)
        own = i.amount if m == YES and i.amount is not None else 0.0
        options.append((exact[k] if m == YES and exact[k] is not None else 0,
                        big if any(exact[j] is None for j in counted) or total > big else total,
                        None, members.count(YES), len(counted), None, members, own))
    if not options:
        return _Window((0.0, 0.0), (0.0, 0.0), None, None, [NO] * len(incs), crime)

    def inside(option) -> list[str]:
        start, end, members = option[5], option[2], option[6]
        if members is not None:
            return members
        return [u if i.day is None else m if start <= i.day <= end else NO
                for i, m, u in zip(incs, crime, undated)]
    best = max(options, key=lambda o: (o[0], o[1], o[2] or date.min))
    widest = max(options, key=lambda o: o[1])
    held = inside(best)
    lo = _sum(zip(held, amounts))[0] if best[7] is None else best[7]
    wide = held if widest is best else inside(widest)
    return _Window((lo, _sum(zip(wide, amounts))[1]),
                   (float(best[3]), float(max([most] + [o[4] for o in options]))),
                   best[5], best[2], held, crime)


def _as_date(d: date | None) -> tuple:
    return _point(d.toordinal()) if d else EVERYTHING


def _returned(case, paid: tuple) -> tuple[tuple, str]:
    """What the merchant has not got back: the refunds paid less what was returned (an
    interval), and whether anything is outstanding."""
    lo, hi = paid
    returned = getattr(case, "amount_returned", None)
    if returned is not None:
        r = _cents(float(returned))          # (in cents: exact)
        out = (max(0, _cents(lo) - r) / 100, max(0, _cents(hi) - r) / 100 if hi < BIG else BIG)
    elif case.restitution == "full":
        out = (0.0, 0.0)
    elif case.restitution == "none":
        out = (lo, hi)
    else:                                        # partial or unknown: some part of it
        out = (0.0, hi)
    outstanding = YES if out[0] > 0 else NO if out[1] == 0 else UNKNOWN
    if returned is None and case.restitution == "partial" and lo > 0:
        outstanding = YES                        # partial: something is still missing
    return out, outstanding


# (what the sums are made of: the requests' memo serials, ...) -> the facts of _sums
_SUMS_MEMO: dict = {}
SUMS_MEMO_SIZE = 2048     # entries of each memo (each about 5 KB at 200 requests)


def incident_facts(case, incs: list[_Incident], years: float, as_of: date) -> dict:
    """Add up the incidents: which count as fraud, which are not yet dealt with, the amounts they
    make for the crime (only conduct at or after the age of criminal responsibility, within the
    aggregation period of `years`) and for the civil claim (all refunds paid), as intervals.
    The sums are derived once for equal requests (_incidents) and equal other inputs: the
    photo methods that make a photo faked all give the same sums."""
    # from the set of the methods given: a method is used when a request names it, not used
    # when every request names a method and none names it (unknown otherwise, and when there is
    # no request); photos are faked when a request's are, not when every request's are genuine
    used = {i.photo_method for i in case.incidents}
    known = bool(used) and used <= set(FAKED + (GENUINE,))
    facts: dict = {
        "photos_fabricated": YES if used & set(FAKED) else NO if used == {GENUINE} else UNKNOWN,
        "photo_method": {m: YES if m in used else NO if known else UNKNOWN
                         for m in FAKED + (GENUINE,)},
        "goods_defective": _all(list({_tri(v) for v in
                                      {i.goods_defective for i in case.incidents}})),
    }
    buyer = case.buyer or {}
    key = (tuple(i.serial for i in incs), years, as_of, case.restitution,
           getattr(case, "amount_returned", None), buyer.get("birth_date"), buyer.get("age"))
    facts.update(_remembered(_SUMS_MEMO, key, lambda: _sums(case, incs, years, as_of)))
    return facts


def _remembered(memo: dict, key, make):
    """memo[key], made by make() the first time (the memo is emptied when it is full)."""
    value = memo.get(key)
    if value is None:
        if len(memo) >= SUMS_MEMO_SIZE:
            memo.clear()
        value = memo[key] = make()
    return value


def _sums(case, incs: list[_Incident], years: float, as_of: date) -> dict:
    """incident_facts but for the facts of the photo methods and defects (which read the case
    file's answers themselves): from the requests as the sums see them, the restitution
    (restitution, amount_returned) and the buyer's age (when there is no request)."""
    facts: dict = {}
    amounts = [i.amount for i in incs]
    # the payment of the fraud incidents; of all, when there is none (either, while unknown)
    fraud_exists = _any([i.fraud for i in incs])
    paid_if_fraud = _any([i.fraud_paid for i in incs])
    paid_any = _any([i.paid for i in incs])
    refund_paid = paid_if_fraud if fraud_exists == YES else paid_any if fraud_exists == NO \
        else paid_if_fraud if paid_if_fraud == paid_any else UNKNOWN
    facts.update({
        "has_fraud_incident": fraud_exists,
        "refund_paid": refund_paid,
        "fraud_amount_paid": _sum([(i.fraud_paid, i.amount) for i in incs]),
    })

    # what has already been dealt with is not added again (未经处理)
    judged = [i.judged for i in incs]
    done = [i.done for i in incs]
    facts["unhandled_fraud_incident"] = _any(judged)
    facts["incidents_handled"] = _any(done)
    facts["fraud_amount_handled"] = _sum(zip(done, amounts))
    before = [i.young for i in incs]
    facts["fraud_amount_before_criminal_age"] = _sum(zip(before, amounts))

    # the sum for the crime, within the aggregation period (by analogy: parameters.yaml)
    window = _window(incs, years)
    facts["fraud_amount"] = window.amount
    facts["fraud_incident_count"] = window.count
    facts["incidents_added_up"] = YES if window.count[0] >= 2 else \
        NO if window.count[1] <= 1 else UNKNOWN
    outside = [_and(m, _NOT.get(k, UNKNOWN))
               for m, k in zip(window.crime, window.inside)]
    facts["incidents_outside_window"] = _any(outside) if outside else NO
    facts["fraud_amount_outside_window"] = _sum(zip(outside, amounts))
    facts["aggregation_window_start"] = _as_date(window.start)
    facts["aggregation_window_end"] = _as_date(window.end)

    # the buyer's age, incident by incident
    ages = [i.age for i in incs]
    # the reference incidents: those still to be judged, or all when none is; while it is
    # unknown whether any is, the age may be either's
    every = [YES] * len(incs)
    references = [judged] if any(m == YES for m in judged) else \
        [judged, every] if any(m != NO for m in judged) else [every]
    none = EVERYTHING
    if not incs and case.buyer_age_on(as_of) is not None:    # no incident: the age given
        none = _point(case.buyer_age_on(as_of))
    crim_ages = [i.crim_age for i in incs]
    for fid, of, latest in (("buyer_age", ages, True), ("buyer_age_first", ages, False),
                            ("buyer_criminal_age", crim_ages, True),
                            ("buyer_criminal_age_first", crim_ages, False)):
        ages_of = [_extreme(zip(r, of), latest=latest) for r in references]
        facts[fid] = _hull([a for a in ages_of if a is not None]) or none
    # the age at the first (last) incident of a set: any age while the set may be empty
    # (the ages of the incidents counted for the crime as the criminal law counts them)
    punishable = [i.punishable for i in incs]
    for fid, members, of, latest in (("criminal_age_first", window.inside, crim_ages, False),
                                     ("criminal_age_last", window.inside, crim_ages, True),
                                     ("admin_age_first", punishable, ages, False)):
        facts[fid] = _extreme(zip(members, of), latest) if YES in members else EVERYTHING

    # the money: what was paid and has not come back, in all and for the conduct now judged
    facts["amount_outstanding"], outstanding = _returned(case, facts["fraud_amount_paid"])
    for track, members in (("criminal", window.inside), ("admin", judged)):
        obtained = [_and(m, i.paid) for m, i in zip(members, incs)]
        facts[f"{track}_amount_obtained"] = _sum(zip(obtained, amounts))
        facts[f"{track}_money_outstanding"] = _and(_any(obtained), outstanding)
    if UNKNOWN in window.crime:
        # which window adds up to most may depend on the unknown incidents: what any window
        # may hold (from nothing to every incident that may count and may have been paid)
        maybe = [_and(c, i.paid) for c, i in zip(window.crime, incs)]
        held = _sum(zip([UNKNOWN if m != NO else NO for m in maybe], amounts))
        facts["criminal_amount_obtained"] = _hull([facts["criminal_amount_obtained"], held])
        facts["criminal_money_outstanding"] = NO if all(m == NO for m in maybe) \
            else _and(UNKNOWN, outstanding)
    return facts


# --------------------------------------------------------------------------- earlier penalties

@dataclass
class _Penalty:
    administrative: str     # yes / no / unknown: an administrative (public-security) penalty
    first: float            # earliest possible day (ordinal)
    last: float             # latest possible day (ordinal)


def _penalties(case, as_of: date, incs: list[_Incident]) -> list[_Penalty]:
    """The earlier penalties as date ranges: those listed, an unknown one when the list is not
    answered, and one for each incident dealt with whose penalty is not listed."""
    listed = (case.buyer or {}).get("prior_penalties") or []
    raw_buyer = (case.data or {}).get("buyer") or {}
    today = float(as_of.toordinal())
    out = []
    for p in listed:
        kind = p.get("kind")
        admin = YES if kind == "administrative" else NO if kind == "criminal" else UNKNOWN
        d = p.get("date")
        out.append(_Penalty(admin, float(d.toordinal()) if d else -BIG,
                            float(d.toordinal()) if d else today))
    if "prior_penalties" not in raw_buyer or raw_buyer["prior_penalties"] in (None, UNKNOWN):
        out.append(_Penalty(UNKNOWN, -BIG, today))
    for inc in incs:
        if inc.open != NO or inc.fraud == NO:
            continue
        admin = YES if inc.handled == "administrative" else NO if inc.handled == "criminal" \
            else UNKNOWN
        if admin == YES and inc.fraud != YES:
            admin = UNKNOWN                  # a penalty only if the incident was fraud
        start = float(inc.day.toordinal()) if inc.day else -BIG
        if admin == NO or any(p.administrative != NO and p.first >= start and p.first > -BIG
                              for p in out):
            continue                         # criminal, or its penalty is listed
        out.append(_Penalty(admin, start, today))
    return out


def penalty_facts(case, as_of: date, incs: list[_Incident]) -> dict:
    """初次违反治安管理 and the months since the last public-security penalty, judged at each
    incident not yet dealt with: a penalty counts when it is dated before that conduct."""
    penalties = _penalties(case, as_of, incs)
    # derived once for equal requests (_incidents) and penalties
    key = (tuple(i.serial for i in incs),
           tuple((p.administrative, p.first, p.last) for p in penalties), as_of)
    return dict(_remembered(_PENALTY_MEMO, key, lambda: _penalty_facts(incs, penalties, as_of)))


_PENALTY_MEMO: dict = {}
_PENALTY_DAYS: dict = {}     # (penalties, as-of day) -> {conduct day: _penalty_at of it}


def _penalty_facts(incs: list[_Incident], penalties: list[_Penalty], as_of: date) -> dict:
    """penalty_facts from the requests as the sums see them and the penalties."""
    judged = [i.judged for i in incs]
    every = [YES] * len(incs)                    # nothing to judge: the incidents as they are

    def all_of_them() -> dict:
        # every request judged: what it gives reads only their days (derived once for them)
        key = ("every", tuple(i.day for i in incs),
               tuple((p.administrative, p.first, p.last) for p in penalties), as_of)
        return _remembered(_PENALTY_MEMO, key,
                           lambda: _penalty_facts_at(incs, every, penalties, as_of))
    if YES in judged:
        return _penalty_facts_at(incs, judged, penalties, as_of)
    if not any(m != NO for m in judged):
        return all_of_them()
    # while it is unknown whether any incident is still to be judged: either's
    a = _penalty_facts_at(incs, judged, penalties, as_of)
    b = all_of_them()
    fid = "first_admin_violation"
    return {fid: a[fid] if a[fid] == b[fid] else UNKNOWN,
            "months_since_prior_admin_penalty": _hull(
                [a["months_since_prior_admin_penalty"], b["months_since_prior_admin_penalty"]])}


@functools.lru_cache(maxsize=8192)
def _penalty_at(day: date | None, penalties: tuple, today: float) -> tuple[str, tuple]:
    """For conduct on `day` (None: unknown) and the penalties as (administrative, first, last):
    whether it is a first violation, and the months since the nearest penalty before it (the
    same for every case with those penalties: derived once)."""
    lo_day = float(day.toordinal()) if day else -BIG
    hi_day = float(day.toordinal()) if day else today
    sure = [p for p in penalties if p[0] == YES and p[2] <= lo_day]
    maybe = [p for p in penalties if p[0] != NO and p[1] <= hi_day]
    first = NO if sure else YES if not maybe else UNKNOWN
    if not maybe:
        span = (float(BIG), float(BIG))
    elif day is None:
        span = (0.0, float(BIG))
    else:
        latest = max(min(p[2], hi_day) for p in maybe)
        lo = _months_between(date.fromordinal(int(latest)), day) if latest > -BIG else 0.0
        hi = _months_between(date.fromordinal(int(max(p[1] for p in sure))), day) \
            if sure and max(p[1] for p in sure) > -BIG else float(BIG)
        span = (float(lo), float(hi))
    return first, span


def _penalty_facts_at(incs: list[_Incident], judged: list[str], penalties: list[_Penalty],
                      as_of: date) -> dict:
    """penalty_facts with the incidents judged now given by `judged`."""
    today = float(as_of.toordinal())
    listed = tuple((p.administrative, p.first, p.last) for p in penalties)
    # one later incident after a penalty is enough: it is not a first violation (a judged
    # incident's first violation "no"), and the nearest penalty decides aggravation (the
    # months: the least lower bound of the incidents that may be judged; as upper bound the
    # least of those surely judged, or the greatest while none surely is)
    members = any_no = sure = False
    all_yes = True
    lo = sure_hi = hi = None
    # each day's answer once per set of penalties (_penalty_at), looked up by the day alone
    days = _PENALTY_DAYS.get((listed, today))
    if days is None:
        if len(_PENALTY_DAYS) >= SUMS_MEMO_SIZE:
            _PENALTY_DAYS.clear()
        days = _PENALTY_DAYS[(listed, today)] = {}
    for inc, member in zip(incs, judged):
        if member == NO:
            continue
        at = days.get(inc.day)
        if at is None:
            at = days[inc.day] = _penalty_at(inc.day, listed, today)
        first, span = at
        members = True
        all_yes = all_yes and first == YES
        lo = span[0] if lo is None or span[0] < lo else lo
        hi = span[1] if hi is None or span[1] > hi else hi
        if member == YES:
            any_no = any_no or first == NO
            sure_hi = span[1] if not sure or span[1] < sure_hi else sure_hi
            sure = True
    if not members:                             # no incident at all
        first = NO if any(p.administrative == YES for p in penalties) else \
            YES if not any(p.administrative != NO for p in penalties) else UNKNOWN
        return {"first_admin_violation": first,
                "months_since_prior_admin_penalty": EVERYTHING if first != YES
                else (float(BIG), float(BIG))}
    return {"first_admin_violation": NO if any_no else YES if all_yes else UNKNOWN,
            "months_since_prior_admin_penalty": (lo, sure_hi if sure else hi)}


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
    facts = {"police_reported": reported, "police_report_date": _as_date(report),
             "police_case_filed": _tri(case.police_case_filed),
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


def _position(case, n: int | None) -> tuple[int | None, int | None]:
    """Line and column of incidents[n].date in the case file (None, None when unknown)."""
    from . import yamlio

    if n is None or not case.file:
        return None, None
    try:
        _, line, col = yamlio.load(case.file)["incidents"][n].pos("date")
        return line, col
    except (AssessError, AttributeError, IndexError, TypeError, KeyError):
        return None, None


def earliest_conduct_date(lib, pack: RulePack) -> date | None:
    """The first day for which statutes/ holds a value of every parameter the rules use (found
    once per statutes and rule pack: every case_facts reads it)."""
    if _EARLIEST[0] is not lib or _EARLIEST[1] is not pack:
        _EARLIEST[:] = [lib, pack, max(
            (min(v.effective_from for v in lib.parameters[ref].values)
             for ref in pack.params if ref in lib.parameters and lib.parameters[ref].values),
            default=None)]
    return _EARLIEST[2]


_EARLIEST: list = [None, None, None]    # (statutes, rule pack, their earliest conduct date)


# Judgements the user makes for a local standard's own provisions (江苏 苏高法〔2011〕370号 四:
# "接近" and "多次" have no figure in the document) and the prior penalty its 四(六) names.
LOCAL_CASE_FACTS = ("amount_near_large", "repeated_fraud", "prior_fraud_penalty")


def _threshold_facts(lib, case, on: date, facts: dict):
    from .thresholds import resolve

    place = case.place
    local = {name: facts[name] for name in ("local_listed_circumstance",
                                            "interpretation_art2_circumstance") if name in facts}
    return resolve(lib.thresholds, place.province if place else None,
                   place.city if place else None, on, local)


def _local_standard_facts(pack: RulePack, at_conduct, at_decision) -> dict:
    """The facts of the local standard's own provisions (rules/local-standards.yaml).

    local_standard: the id of the standard in force at both the conduct and the decision date
    (the same entry); when they differ, none — the change itself is law.criminal.standard-changed;
    when the province is not known, every value is still possible (unknown).
    The figures for 其他严重情节 / 其他特别严重情节 count only when the standards applied at both
    dates set them; then the higher (more favourable) of the two is used, as for the bands."""
    out: dict = {}
    fact = pack.facts.get("local_standard")
    if "province" in at_conduct.depends_on:
        # the province is not known: any local standard is still possible
        if fact is not None:
            out["local_standard"] = {v: UNKNOWN for v in fact.values}
        out["local_other_serious_set"] = UNKNOWN
        for key in ("other_serious", "other_especially_serious"):
            out[f"threshold_{key}"] = EVERYTHING
        return out
    same = at_conduct.standard_id if at_conduct.standard is at_decision.standard else None
    if fact is not None:
        if same is not None and same not in fact.values:
            std = at_conduct.standard
            raise AssessError(f"the amount standard '{same}' is not a value of the fact "
                              f"local_standard in rules/facts.yaml", file=std.file, line=std.line,
                              field="id", expected=", ".join(fact.values),
                              hint="add the id to the values of local_standard, or remove it")
        out["local_standard"] = {v: YES if v == same else NO for v in fact.values}
    both = at_conduct.other_serious and at_decision.other_serious
    out["local_other_serious_set"] = YES if both else NO
    for key in ("other_serious", "other_especially_serious"):
        value = max(at_conduct.other_serious[key], at_decision.other_serious[key]) if both \
            else BIG                                  # no local figure: never reached
        out[f"threshold_{key}"] = _point(value)
    return out


# evidence_analysis.ai_label values that are a label (GB 45438 Label=1, 2, 3)
AI_LABEL_VALUES = ("1", "2", "3")


def evidence_facts(case) -> dict:
    """What the case's `evidence_analysis` block (the photo analysis) gives the rules.

    evidence_analysed is never unknown: yes when the block is there.  Without it every other
    evidence fact is unknown (nothing was looked at); "no label found" is `ai_label: none`,
    which says nothing either way about how the photo was made - the rules say so."""
    block = getattr(case, "evidence_analysis", None)
    if block is None:
        return {"evidence_analysed": NO, "ai_label_present": UNKNOWN,
                "ai_label": _choice(AI_LABEL_VALUES + ("none",), None),
                "ai_label_producer_known": UNKNOWN, "c2pa_ai_source": UNKNOWN,
                "photo_derived_from_listing": UNKNOWN, "changed_region_found": UNKNOWN}
    label = block.get("ai_label") or UNKNOWN
    present = YES if label in AI_LABEL_VALUES else NO if label == "none" else UNKNOWN
    # the analysis writes the producer whenever the label names one: none written = none named
    producer = UNKNOWN if present == UNKNOWN else \
        YES if present == YES and block.get("ai_label_producer") else NO
    derived = _tri(block.get("derived_from_listing", UNKNOWN))
    changed = _tri(block.get("changed_region", UNKNOWN))
    return {"evidence_analysed": YES, "ai_label_present": present,
            "ai_label": _choice(AI_LABEL_VALUES + ("none",), label),
            "ai_label_producer_known": producer,
            "c2pa_ai_source": _tri(block.get("c2pa_ai_source", UNKNOWN)),
            "photo_derived_from_listing": derived,
            # a changed region is only looked for in a photo made from a listing photo
            "changed_region_found": NO if derived == NO else changed}


# The fields of the case file each of these facts is read from, and nothing else ("buyer.X" a
# field of the buyer; "evidence_analysis" any field of that block): no other field can change
# it.  Every fact not listed may depend on any field.  The reasoning by cases (assess/cases.py)
# skips a field that cannot change the fact it must decide instead of deriving the facts of the
# case with each of its values; tests/test_facts_incremental.py checks this table.
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in (
        "intent_to_possess", "refund_caused_by_photos", "forgiveness", "surrender", "confession",
        "interpretation_art2_circumstance", "local_listed_circumstance", "admin_serious",
        "police_case_filed", "admin_egregious", "admin_repeat_within_year", "restitution",
        "merchant_learned_date") + LOCAL_CASE_FACTS},
    "police_reported": ("police_reported", "police_report_date"),
    "police_report_date": ("police_report_date",),
    "near_relative": ("buyer.near_relative",),
    "pregnant_or_nursing": ("buyer.pregnant_or_nursing",),
    "refund_approval": ("platform.refund_approval",),
    "years_since_merchant_learned": ("merchant_learned_date",),
    "decision_date": (),
    **{name: ("evidence_analysis",) for name in (
        "evidence_analysed", "ai_label_present", "ai_label", "ai_label_producer_known",
        "c2pa_ai_source", "photo_derived_from_listing", "changed_region_found")},
}


# Fields of the case file no case fact reads (refund_status settles refund_paid when the file
# is read, assess/case.py; the kind of operator is for the documents)
UNREAD_FIELDS = ("incidents.refund_status", "merchant.operator_type")


def may_change(field: str, fact: str) -> bool:
    """Whether a field of the case file (named as in FACT_FIELDS; a refund request's field as
    "incidents.photo_method") can change a case fact."""
    if field in UNREAD_FIELDS:
        return False
    fields = FACT_FIELDS.get(fact)
    return fields is None or any(field == f or field.startswith(f + ".") for f in fields)


def _edition_facts(pack: RulePack) -> list[tuple[str, str, tuple, bool]]:
    """(fact, law id, values, at the conduct or the decision) of each edition fact of the rules
    (<law id with _>_edition_at_conduct|decision), found once per rule pack."""
    if _EDITIONS[0] is not pack:
        out = []
        for fid, fact in pack.facts.items():
            if fact.origin != "case":
                continue
            for suffix, at_conduct in (("_edition_at_conduct", True),
                                       ("_edition_at_decision", False)):
                if fid.endswith(suffix):
                    out.append((fid, fid[: -len(suffix)].replace("_", "-"), fact.values,
                                at_conduct))
        _EDITIONS[:] = [pack, out]
    return _EDITIONS[1]


_EDITIONS: list = [None, []]        # (the rule pack, its edition facts)


def _params(lib, pack: RulePack, law_conduct: date, as_of: date) -> dict:
    """The value of each parameter the rules use at the conduct and at the decision date (the
    same for every case of one pack, statutes and dates: found once; never changed)."""
    key = (law_conduct, as_of)
    if _PARAMS[0] is not lib or _PARAMS[1] is not pack or len(_PARAMS[2]) > 256:
        _PARAMS[:] = [lib, pack, {}]
    made = _PARAMS[2].get(key)
    if made is not None:
        return made
    params: dict = {}
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
    _PARAMS[2][key] = params
    return params


_PARAMS: list = [None, None, {}]     # (statutes, rule pack, {(conduct, decision day): params})


def _conduct_dates(case, lib, pack: RulePack, as_of: date, warnings: list[str]) -> tuple:
    """(conduct date, first conduct date, the day whose law applies to the conduct): the
    conduct being assessed is the incidents not yet dealt with (all, if every one was).
    AssessError when that day is before the earliest day statutes/ holds the law for."""
    open_dates = [i.date for i in case.incidents
                  if i.date is not None and getattr(i, "handled", UNKNOWN) not in HANDLED]
    dates = [i.date for i in case.incidents if i.date is not None]
    conduct = max(open_dates or dates) if dates else None
    first = min(dates) if dates else None
    if dates and len(dates) < len(case.incidents):
        warnings.append("some incident dates are unknown; the known dates were used")
    if conduct is None:
        warnings.append("no incident date is known; the law at the as-of date was used for "
                        "the conduct")
    law_conduct = conduct or as_of
    earliest = earliest_conduct_date(lib, pack)
    if earliest is not None and law_conduct < earliest:
        n = next((k for k, i in enumerate(case.incidents) if i.date == law_conduct), None)
        line, col = _position(case, n)
        raise AssessError(
            f"the conduct date {law_conduct.isoformat()} is before {earliest.isoformat()}, the "
            f"earliest day for which statutes/ holds every legal value the rules need",
            file=case.file, line=line, col=col,
            field=f"incidents[{n}].date" if n is not None else "incidents[].date",
            expected=f"incidents on or after {earliest.isoformat()}",
            hint="this product assesses conduct under the law in force from that day; older "
                 "cases need the earlier texts added to statutes/ (see docs/statutes.md)")
    return conduct, first, law_conduct


# The facts penalty_facts derives (from the requests as the sums see them and the earlier
# penalties, nothing else): penalty_facts_alone gives them without the rest of case_facts
PENALTY_FACTS = frozenset({"first_admin_violation", "months_since_prior_admin_penalty"})


def penalty_facts_alone(case, lib, pack: RulePack, as_of: date) -> dict:
    """The facts PENALTY_FACTS as case_facts derives them, and AssessError where case_facts
    raises one (the conduct date): what the reasoning by cases reads to see whether a field
    changes them, without adding up the requests (assess/cases.py _Splitter.influences)."""
    _conduct_dates(case, lib, pack, as_of, [])
    return penalty_facts(case, as_of, _incidents(case, lib, as_of, []))


def case_facts(case, lib, pack: RulePack, as_of: date) -> CaseFacts:
    """All case facts and the parameter values at the conduct and decision dates."""
    warnings: list[str] = []
    conduct, first, law_conduct = _conduct_dates(case, lib, pack, as_of, warnings)
    incs = _incidents(case, lib, as_of, warnings)
    years = _param(lib, "fraud.aggregation_window_years", law_conduct)
    facts: dict = {}
    facts.update(incident_facts(case, incs, years, as_of))
    facts.update(police_facts(case, as_of))
    for name in ("intent_to_possess", "refund_caused_by_photos", "forgiveness", "surrender",
                 "confession", "interpretation_art2_circumstance", "local_listed_circumstance",
                 "admin_serious"):
        facts[name] = _tri(getattr(case, name, UNKNOWN))
    buyer = case.buyer or {}
    facts["near_relative"] = _tri(buyer.get("near_relative", UNKNOWN))
    facts["pregnant_or_nursing"] = _tri(buyer.get("pregnant_or_nursing", UNKNOWN))
    facts.update(penalty_facts(case, as_of, incs))

    for fid in ("restitution", "refund_approval"):
        fact = pack.facts[fid]
        value = getattr(case, fid, None) if fid != "refund_approval" else \
            (case.platform or {}).get("refund_approval")
        facts[fid] = _choice(fact.values, value)

    facts["conduct_date"] = _as_date(conduct)
    facts["first_conduct_date"] = _as_date(first)
    facts["decision_date"] = _as_date(as_of)
    facts["merchant_learned_date"] = _as_date(case.merchant_learned_date)
    # years elapsed up to the as-of date (a part of a month counts as more, so "over N" means
    # the N-year period has ended); the revocation periods are compared with them
    facts["years_since_merchant_learned"] = (
        _point(_months_between(case.merchant_learned_date, as_of) / 12)
        if case.merchant_learned_date else EVERYTHING)
    facts["years_since_first_conduct"] = (_point(_months_between(first, as_of) / 12)
                                          if first else EVERYTHING)

    for fid, law_id, values, at_conduct in _edition_facts(pack):
        facts[fid] = _edition_at(lib, law_id, conduct if at_conduct else as_of, values)

    for name in LOCAL_CASE_FACTS:
        facts[name] = _tri(getattr(case, name, UNKNOWN))
    facts.update(evidence_facts(case))
    at_conduct = _threshold_facts(lib, case, law_conduct, facts)
    at_decision = _threshold_facts(lib, case, as_of, facts)
    # a different entry of the table (even one only reported, e.g. 上海 from 2023-05-01) is a
    # change of the local standard, whatever its figures
    changed = NO if at_conduct.standard is at_decision.standard else YES
    for band in at_conduct.values:
        lo = max(at_conduct.values[band][0], at_decision.values[band][0])
        hi = max(at_conduct.values[band][1], at_decision.values[band][1])
        facts[f"threshold_{band}"] = (float(lo), float(hi))
        if at_conduct.values[band] != at_decision.values[band] and at_conduct.exact \
                and at_decision.exact:
            changed = YES
    facts["threshold_changed"] = changed
    facts.update(_local_standard_facts(pack, at_conduct, at_decision))
    facts["threshold_known"] = YES if at_conduct.applied and at_conduct.exact else NO
    applied = at_conduct if changed == NO else max(
        (at_conduct, at_decision), key=lambda r: r.values["large"][0])

    params = dict(_params(lib, pack, law_conduct, as_of))
    return CaseFacts(facts, params, conduct, first, as_of, law_conduct,
                     {"conduct": at_conduct, "decision": at_decision, "applied": applied},
                     warnings)
