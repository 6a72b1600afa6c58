"""The case facts of every buyer at once: assess/facts.py, column-wise.

A buyer's case file (written by assess/screen/cases.py) holds the place, the date of birth and
one incident per claim; every other field is left out, so it is unknown.  Its facts fall in two
kinds:

- facts of the claims (the sums, counts, ages, dates): computed here with Polars, with the same
  memberships as assess/facts.py (fraud = faked photos and goods not defective; not yet dealt
  with; at or after the age of criminal responsibility; inside the aggregation window) as
  three-valued columns (0 no, 1 unknown, 2 yes) and amounts as intervals in exact cents;
- facts of the place and the conduct date (the 数额 standard, the law editions, the legal
  parameters) and the facts nobody answered: computed by assess/facts.py itself, once for every
  distinct place and date window (see `law_windows`), on a case with that place and one incident
  on the first day of the window.  Nothing in statutes/ changes inside a window.

The ages per claim are compared with the parameters in force on the claim's date, read from
statutes/parameters.yaml (`param_on`).
"""
from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from ..evaluator import BIG
from ..facts import FAKED, GENUINE, HANDLED
from . import compile as c

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# a partition of claims is held in memory: Polars' in-memory engine runs its joins and groupings
# faster than the streaming engine (the default), with the same results
IN_MEMORY = "in-memory"
METHODS = FAKED + (GENUINE,)

# why a claim that may count for the crime counts (column "counts", for amounts.by_amount):
# surely; or if the buyer had reached the age of criminal responsibility on its day (the date of
# birth unknown: from some day on, every later claim too); or maybe, and then also only if old
# enough; or maybe, whatever else counts (an unknown photo method, defect or "dealt with"; a day
# for which statutes/ holds no age of criminal responsibility)
COUNTS_SURE, COUNTS_IF_OLD, COUNTS_MAYBE_IF_OLD, COUNTS_MAYBE = 0, 1, 2, 3

# the facts computed here from the claims; every other case fact comes from assess/facts.py
CLAIM_FACTS = (
    "has_fraud_incident", "photos_fabricated", "photo_method", "goods_defective", "refund_paid",
    "fraud_amount_paid", "unhandled_fraud_incident", "incidents_handled", "fraud_amount_handled",
    "fraud_amount_before_criminal_age", "fraud_amount", "fraud_incident_count",
    "incidents_added_up", "incidents_outside_window", "fraud_amount_outside_window",
    "aggregation_window_start", "aggregation_window_end", "buyer_age", "buyer_age_first",
    "buyer_criminal_age", "buyer_criminal_age_first",
    "criminal_age_first", "criminal_age_last", "admin_age_first", "amount_outstanding",
    "criminal_amount_obtained", "criminal_money_outstanding", "admin_amount_obtained",
    "admin_money_outstanding", "months_since_last_act", "conduct_date", "first_conduct_date",
    "years_since_first_conduct")


def _t(x: int) -> pl.Expr:
    return pl.lit(x, dtype=pl.Int8)


def _and(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return pl.min_horizontal(a, b).cast(pl.Int8)


def _not(a: pl.Expr) -> pl.Expr:
    return (_t(2) - a).cast(pl.Int8)


def _tri_text(col: str) -> pl.Expr:
    x = pl.col(col)
    return pl.when(x == "yes").then(_t(2)).when(x == "no").then(_t(0)).otherwise(_t(1))


def yuan(cents: pl.Expr) -> pl.Expr:
    """Cents as yuan: the float nearest the exact amount, as assess/facts.py gives it (cents /
    100).  Times 0.01, then rounded to the cent: Polars divides a column of more than one row
    by a number as a multiplication by its inverse, and a single row exactly, so "/ 100" gave
    3999.9900000000002 or 3999.99 depending on how the rows were cut into batches; the product
    alone is one unit in the last place off for about one amount in seven (8088.7300000000005
    in the output)."""
    return (cents.cast(pl.Float64) * 0.01).round(2)


def ordinal(day: pl.Expr) -> pl.Expr:
    return day.cast(pl.Int32).cast(pl.Float64) + EPOCH_ORDINAL


def param_on(lib, ref: str, day: pl.Expr) -> pl.Expr:
    """The value of a parameter of statutes/parameters.yaml on each day (null where statutes/
    holds none), compiled from its dated values."""
    expr = pl.lit(None, dtype=pl.Float64)
    for v in reversed(lib.parameters[ref].values):
        inside = pl.lit(True)
        if v.effective_from is not None:
            inside = inside & (day >= pl.lit(v.effective_from))
        if v.effective_to is not None:
            inside = inside & (day <= pl.lit(v.effective_to))
        expr = pl.when(inside).then(pl.lit(float(v.value))).otherwise(expr)
    return expr


# a date as one number: year * YEAR_PLACE + month * MONTH_PLACE + day (20250317 for 2025-03-17)
MONTH_PLACE = 100
YEAR_PLACE = MONTH_PLACE * MONTH_PLACE


def ymd(day: pl.Expr) -> pl.Expr:
    """A date as the number year * YEAR_PLACE + month * MONTH_PLACE + day (20250317): computed
    once per claim (each of dt.year(), dt.month(), dt.day() converts the date anew)."""
    return day.dt.year().cast(pl.Int64) * YEAR_PLACE \
        + day.dt.month().cast(pl.Int64) * MONTH_PLACE + day.dt.day().cast(pl.Int64)


YMD_TABLE_DAYS = 2**17        # (about 360 years: beyond, ymd_of computes each claim's own)


def ymd_of(days: pl.Series) -> pl.Series:
    """ymd of a column of dates with few distinct days (a history's claims): from a table of
    every day between the first and the last, by position."""
    number = days.cast(pl.Int32)
    first, last = number.min(), number.max()
    if first is None or last - first > YMD_TABLE_DAYS:
        return days.to_frame().select(ymd(pl.col(days.name))).to_series()
    table = pl.select(ymd(pl.int_range(first, last + 1, dtype=pl.Int32).cast(pl.Date))) \
        .to_series()
    return table.gather(number - first).alias(days.name)


def criminal_days(lib, days: pl.Series) -> pl.Series:
    """Each claim's date less the days after a birthday from which the criminal law's ages count
    (statutes/parameters.yaml, age.criminal_counted_after_days; none before it is in force):
    the age on that date is the age as the criminal law counts it (assess/facts.py)."""
    from ..facts import CRIMINAL_AGE_COUNTING

    after = param_on(lib, CRIMINAL_AGE_COUNTING, pl.col(days.name)).fill_null(0).cast(pl.Int64)
    return days.to_frame().select(pl.col(days.name) - pl.duration(days=after)).to_series()


def _years(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """case._age from two ymd numbers: completed years (the years between, less one before the
    birthday: month and day are below YEAR_PLACE, so the floor of the difference's
    YEAR_PLACE-ths)."""
    return (on - born) // YEAR_PLACE


def _age(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """case._age of two dates (_years)."""
    return _years(ymd(born), ymd(on)).cast(pl.Float64)


# a claim's age is held in an Int16 (min and max group a quarter of the bytes of a Float64):
# AGE_LOW and AGE_HIGH stand for "no bound" (-BIG, BIG) where the date of birth is unknown, and
# an age beyond them (a date tens of thousands of years away) is compared as the nearest
# (every bound it is compared with, a legal age, lies far between)
AGE_LOW, AGE_HIGH = -(2**15), 2**15 - 1


def _unbounded(x: pl.Expr) -> pl.Expr:
    """An Int16 age of _extreme as a number of the intervals (AGE_LOW, AGE_HIGH as -BIG, BIG)."""
    return pl.when(x == AGE_LOW).then(pl.lit(float(-BIG))).when(x == AGE_HIGH) \
        .then(pl.lit(float(BIG))).otherwise(x.cast(pl.Float64))


def _at_least(age: pl.Expr, bound: pl.Expr) -> pl.Expr:
    return pl.when(bound.is_null() | age.is_null()).then(_t(1)) \
        .when(age >= bound).then(_t(2)).otherwise(_t(0))


def months_between(earlier: pl.Expr, later: pl.Expr) -> pl.Expr:
    """facts._months_between: whole months, and half a month for a part of one."""
    months = (later.dt.year() - earlier.dt.year()) * 12 + later.dt.month() - earlier.dt.month()
    months = months - (later.dt.day() < earlier.dt.day()).cast(pl.Int32)
    return months.cast(pl.Float64) + pl.when(later.dt.day() != earlier.dt.day()) \
        .then(0.5).otherwise(0.0)


def claim_columns(lib) -> dict[str, pl.Expr]:
    """Per claim: the memberships assess/facts.py computes per incident."""
    pm = pl.col("photo_method")
    faked = pl.when(pm.is_in(list(FAKED))).then(_t(2)).when(pm == GENUINE).then(_t(0)) \
        .otherwise(_t(1))
    defective = _tri_text("defective")
    handled = pl.col("handled")
    open_ = pl.when(handled == "no").then(_t(2)).when(handled.is_in(list(HANDLED))) \
        .then(_t(0)).otherwise(_t(1))
    age = _years(pl.col("born"), pl.col("ymd")).clip(AGE_LOW + 1, AGE_HIGH - 1).cast(pl.Int16)
    # as the criminal law counts ages: from the day after the birthday (crim_ymd: buyer_facts)
    crim_age = _years(pl.col("born"), pl.col("crim_ymd")).clip(AGE_LOW + 1, AGE_HIGH - 1) \
        .cast(pl.Int16)
    cols = {
        "faked": faked,
        "fraud": _and(faked, _not(defective)),
        "defect": defective,
        "open": open_,
        "paid_t": _tri_text("paid"),
        "age": age,
        "crim_age": crim_age,
        "cents": (pl.col("amount") * 100).round(0).cast(pl.Int64),
    }
    for m in METHODS:
        cols[f"pm_{m}"] = pl.when(pm == m).then(_t(2)).when(pm.is_in(list(METHODS))) \
            .then(_t(0)).otherwise(_t(1))
    return cols


def age_columns(lib) -> dict[str, pl.Expr]:
    """Per claim, from its columns "crim_age" and "age" (claim_columns): whether the buyer had
    reached the ages of criminal and of administrative responsibility on the claim's date."""
    return {"criminal_age": _at_least(pl.col("crim_age"),
                                      param_on(lib, "age.criminal_full", pl.col("day"))),
            "admin_age": _at_least(pl.col("age"), param_on(lib, "age.admin_min", pl.col("day")))}


def _members(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.with_columns(
        judged=_and(pl.col("fraud"), pl.col("open"))).with_columns(
        crime=_and(pl.col("judged"), pl.col("criminal_age")),
        done=_and(pl.col("fraud"), _not(pl.col("open"))),
        before=_and(pl.col("judged"), _not(pl.col("criminal_age"))),
        punishable=_and(pl.col("judged"), pl.col("admin_age")),
        paid_fraud=_and(pl.col("fraud"), pl.col("paid_t")))


def _position(day: pl.Expr) -> pl.Expr:
    """(buyer "bid", day) as one number that sorts as the pair does."""
    return pl.col("bid").cast(pl.Int64) * 2**32 + day.cast(pl.Int32).cast(pl.Int64) + 2**31


def _windows(frame: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """facts._window for every buyer (integer key "bid"): each day with a possible crime ends a
    window of `years` (the parameter fraud.aggregation_window_years at the buyer's conduct date,
    column "window_years"); the best is the largest sure sum, then possible sum, then the
    latest.  The claims that may count, sorted by (buyer, day), are summed over each window as
    the difference of two running sums (the window's first claim found by a binary search of
    its first day, the same day `years` earlier: from the first to the last claim of the
    window's last day, both ends included)."""
    n_years = pl.col("window_years")
    rows = (frame.lazy().filter((pl.col("crime") > 0) & n_years.is_in(years))
            .select("bid", "day", lo="cents_sure", hi="cents",
                    n_lo=(pl.col("crime") == 2).cast(pl.Int64),
                    start=pl.coalesce([pl.when(n_years == y).then(
                        pl.col("day").dt.offset_by(f"-{y}y")) for y in years]))
            .with_columns(at=_position(pl.col("day"))).sort("at").collect(engine=IN_MEMORY))
    at = rows["at"]
    first = at.search_sorted(rows.select(_position(pl.col("start"))).to_series(), side="left")
    last = at.search_sorted(at, side="right")
    zero = pl.Series([0], dtype=pl.Int64)
    sums = {col: (lambda run: run.gather(last) - run.gather(first))(
        pl.concat([zero, rows[col].cum_sum()])) for col in ("lo", "hi", "n_lo")}
    rolled = rows.select("bid", "day", "start").with_columns(
        **sums, n_hi=(last - first).cast(pl.Int64))
    return (rolled.lazy().sort(["bid", "lo", "hi", "day"], descending=[False, True, True, True])
            .group_by("bid", maintain_order=True)
            .agg(w_lo=pl.col("lo").first(), w_hi=pl.col("hi").max(),
                 w_n_lo=pl.col("n_lo").first().cast(pl.UInt32),
                 w_n_hi=pl.col("n_hi").max().cast(pl.UInt32),
                 w_start=pl.col("start").first(), w_end=pl.col("day").first())
            .collect(engine=IN_MEMORY))


def _sum(member: str, prefix: str) -> tuple[dict[str, pl.Expr], dict[str, pl.Expr]]:
    """facts._sum: the interval of the amounts whose membership is yes (lo) or not no (hi), as
    (per-claim columns, per-buyer sums of them): plain column sums group fast."""
    m = pl.col(member)
    cols = {f"{prefix}_lo": pl.when(m == 2).then(pl.col("cents")).otherwise(0),
            f"{prefix}_hi": pl.when(m > 0).then(pl.col("cents")).otherwise(0)}
    return cols, {k: pl.col(k).sum() for k in cols}


def _extreme(member: str, age: str, latest: bool) -> tuple[dict, dict, dict]:
    """facts._extreme: the age at the latest (or earliest) member; null when none can be.  As
    (per-claim columns, per-buyer aggregations of them, the result from those).  The columns
    and aggregations are named after the member, so that the latest and the earliest of one
    member share them (each is computed once), and whether some claim surely is (may be) a
    member is its largest membership being 2 (above 0)."""
    m = pl.col(member)
    alo = pl.col(age).fill_null(pl.lit(AGE_LOW, pl.Int16))
    ahi = pl.col(age).fill_null(pl.lit(AGE_HIGH, pl.Int16))
    possible, sure = m > 0, m == 2
    p = f"_{member}" if age == "age" else f"_{member}_{age}"
    if latest:
        cols = {f"{p}_s_lo": pl.when(sure).then(alo), f"{p}_p_lo": pl.when(possible).then(alo),
                f"{p}_p_hi": pl.when(possible).then(ahi)}
        aggs = {f"{p}_s_lo_max": pl.col(f"{p}_s_lo").max(),
                f"{p}_p_lo_min": pl.col(f"{p}_p_lo").min(),
                f"{p}_p_hi_max": pl.col(f"{p}_p_hi").max()}
    else:
        cols = {f"{p}_p_lo": pl.when(possible).then(alo), f"{p}_s_hi": pl.when(sure).then(ahi),
                f"{p}_p_hi": pl.when(possible).then(ahi)}
        aggs = {f"{p}_p_lo_min": pl.col(f"{p}_p_lo").min(),
                f"{p}_s_hi_min": pl.col(f"{p}_s_hi").min(),
                f"{p}_p_hi_max": pl.col(f"{p}_p_hi").max()}
    aggs[f"{p}_max"] = m.max()
    any_s, any_p = pl.col(f"{p}_max") == 2, pl.col(f"{p}_max") > 0
    if latest:
        lo = pl.when(any_s).then(pl.col(f"{p}_s_lo_max")).otherwise(pl.col(f"{p}_p_lo_min"))
        hi = pl.col(f"{p}_p_hi_max")
    else:
        lo = pl.col(f"{p}_p_lo_min")
        hi = pl.when(any_s).then(pl.col(f"{p}_s_hi_min")).otherwise(pl.col(f"{p}_p_hi_max"))
    lo, hi = _unbounded(lo), _unbounded(hi)
    none = ~any_p
    return cols, aggs, {"lo": pl.when(none).then(None).otherwise(lo),
                        "hi": pl.when(none).then(None).otherwise(hi), "any_s": any_s}


def buyer_facts(claims: pl.LazyFrame, lib, as_of: date) -> tuple[pl.LazyFrame, pl.DataFrame]:
    """One row per buyer: the CLAIM_FACTS as columns of assess/screen/compile.py, and the
    buyer's summary (claims, first and last date, place text, date of birth, conduct date);
    and the claims that may count for the crime (bid, day, cents, counts: why each may), for
    the reasoning by cases on the amount (amounts.claim_lists).

    Buyers are grouped by an integer code of their id ("bid", from a categorical), and every
    per-buyer aggregation is a plain min, max or sum of a per-claim column: both keep the
    grouping on Polars' fast path."""
    handled = pl.col("handled")
    claims = claims.with_columns(
        bid=pl.col("buyer_id").cast(pl.Categorical).to_physical()).collect(engine=IN_MEMORY)
    # per buyer: the conduct date (the latest claim not yet dealt with; all claims, if every
    # one was), the earliest it can be once the unknown `handled` are answered (reasoning by
    # cases tries that), the date of birth (the case file has one: the first given) and the
    # place (of the latest claim)
    latest = pl.col("day").cast(pl.Int64) * 2**32 + pl.col("row").cast(pl.Int64)
    conduct = (claims.lazy().with_row_index("_at").group_by("bid")
               .agg(_at=pl.col("_at"), buyer_id=pl.col("buyer_id").first(),
                    conduct=pl.when(~handled.is_in(list(HANDLED))).then(pl.col("day")).max(),
                    open_max=pl.when(handled == "no").then(pl.col("day")).max(),
                    unsure_min=pl.when(~handled.is_in(list(HANDLED) + ["no"]))
                    .then(pl.col("day")).min(),
                    last=pl.col("day").max(),
                    birth=pl.col("birth").get(
                        pl.when(pl.col("birth").is_not_null()).then(pl.col("row")).arg_min()),
                    place_text=pl.col("place_text").get(latest.arg_max()))
               .with_columns(conduct=pl.coalesce("conduct", "last"),
                             conduct_min=pl.coalesce("open_max", "unsure_min", "last")))
    window_param = lib.parameters["fraud.aggregation_window_years"]
    years = sorted({int(v.value) for v in window_param.values})
    conduct = conduct.with_columns(window_years=param_on(lib, "fraud.aggregation_window_years",
                                                         pl.col("conduct")).cast(pl.Int64)) \
        .collect(engine=IN_MEMORY)
    # from here on a buyer's key is its row in `conduct` (0, 1, ...): a per-buyer value is put
    # on its claims by position (a gather), not by a join
    rows = conduct.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("bid"), "_at") \
        .explode("_at")
    bid = pl.zeros(rows.height, pl.UInt32, eager=True).scatter(rows["_at"], rows["bid"])
    conduct = conduct.drop("_at").with_columns(bid=pl.int_range(pl.len(), dtype=pl.UInt32))
    frame = claims.drop("birth", "buyer_id").with_columns(
        bid=bid, birth=conduct["birth"].gather(bid),
        born=conduct.select(ymd(pl.col("birth"))).to_series().gather(bid),
        ymd=ymd_of(claims["day"]), crim_ymd=ymd_of(criminal_days(lib, claims["day"])),
        window_years=conduct["window_years"].gather(bid)).lazy()
    frame = frame.with_columns(**claim_columns(lib)).with_columns(**age_columns(lib))
    # a buyer old enough on one day is on every later day while the age compared with is the
    # same on every day (else: whatever else counts)
    ages = {v.value for v in lib.parameters["age.criminal_full"].values}
    by_birth = (pl.col("criminal_age") == 1) & pl.col("birth").is_null() \
        & param_on(lib, "age.criminal_full", pl.col("day")).is_not_null() & (len(ages) == 1)
    frame = _members(frame).with_columns(
        cents_sure=pl.when(pl.col("crime") == 2).then(pl.col("cents")).otherwise(0),
        counts=pl.when(pl.col("crime") == 2).then(_t(COUNTS_SURE))
        .when(by_birth & (pl.col("judged") == 2)).then(_t(COUNTS_IF_OLD))
        .when(by_birth).then(_t(COUNTS_MAYBE_IF_OLD)).otherwise(_t(COUNTS_MAYBE))) \
        .collect(engine=IN_MEMORY)
    best = _windows(frame, years)
    slots = conduct.select("bid").join(best.select("bid", "w_start", "w_end"), on="bid",
                                       how="left", maintain_order="left")
    frame = frame.with_columns(w_start=slots["w_start"].gather(frame["bid"]),
                               w_end=slots["w_end"].gather(frame["bid"])).lazy()
    conduct, best = conduct.lazy(), best.lazy()
    inside = pl.when(pl.col("day").is_between(pl.col("w_start"), pl.col("w_end"))) \
        .then(_t(2)).otherwise(_t(0)).fill_null(_t(0))
    frame = frame.with_columns(inside=_and(pl.col("crime"), inside)).with_columns(
        outside=_and(pl.col("crime"), _not(pl.col("inside"))),
        crim_paid=_and(pl.col("inside"), pl.col("paid_t")),
        admin_paid=_and(pl.col("judged"), pl.col("paid_t")),
        every=_t(2))
    aggs = {
        "has_fraud_incident": pl.col("fraud").max(),
        "photos_fabricated": pl.col("faked").max(),
        "goods_defective": pl.col("defect").min(),
        "_paid_if_fraud": pl.col("paid_fraud").max(),
        "_paid_any": pl.col("paid_t").max(),
        "unhandled_fraud_incident": pl.col("judged").max(),
        "incidents_handled": pl.col("done").max(),
        "incidents_outside_window": pl.col("outside").max(),
        "crim_paid_any": pl.col("crim_paid").max(),
        # facts._window: while a claim may or may not count, another window may be the best
        "crime_unsure": (pl.col("crime") == 1).any(),
        "crime_paid_maybe": ((pl.col("crime") > 0) & (pl.col("paid_t") > 0)).any(),
        "crime_paid_hi": pl.when((pl.col("crime") > 0) & (pl.col("paid_t") > 0))
        .then(pl.col("cents")).otherwise(0).sum(),
        "admin_paid_any": pl.col("admin_paid").max(),
        "n_claims": pl.len(),
        # for reasoning by cases on the amount (amounts.py)
        "crime_unsure_n": (pl.col("crime") == 1).sum(),
        "_fraud_unjudged": pl.when(pl.col("open") < 2).then(pl.col("fraud")).otherwise(_t(0))
        .max(),
        "_paid_unjudged": pl.when(pl.col("open") < 2).then(pl.col("paid_fraud"))
        .otherwise(_t(0)).max(),
        "first": pl.col("day").min(),
        "total_cents": pl.col("cents").sum(),
    }
    for m in METHODS:
        aggs[f"pm_{m}"] = pl.col(f"pm_{m}").max()
    cols: dict[str, pl.Expr] = {}
    results: dict[str, pl.Expr] = {
        # the payment of the fraud incidents; of all, when there is none (either, while unknown)
        "refund_paid": pl.when(pl.col("has_fraud_incident") == 2).then(pl.col("_paid_if_fraud"))
        .when(pl.col("has_fraud_incident") == 0).then(pl.col("_paid_any"))
        .when(pl.col("_paid_if_fraud") == pl.col("_paid_any")).then(pl.col("_paid_any"))
        .otherwise(_t(1))}
    for member, prefix in (("paid_fraud", "paid"), ("done", "handled"), ("before", "before"),
                           ("outside", "outside"), ("crim_paid", "crim_obt"),
                           ("admin_paid", "admin_obt")):
        c_, a_ = _sum(member, prefix)
        cols.update(c_)
        aggs.update(a_)
    # the reference incidents of the age: those still to be judged, or all when none is
    # (both are aggregated; the buyer's unhandled_fraud_incident chooses)
    # ("cage": the ages as the criminal law counts them, column crim_age)
    for prefix, member, age_, latest_ in (
            ("age_last", "judged", "age", True), ("age_first", "judged", "age", False),
            ("all_last", "every", "age", True), ("all_first", "every", "age", False),
            ("cage_last", "judged", "crim_age", True), ("cage_first", "judged", "crim_age", False),
            ("call_last", "every", "crim_age", True), ("call_first", "every", "crim_age", False),
            ("crim_first", "inside", "crim_age", False), ("crim_last", "inside", "crim_age", True),
            ("admin_first", "punishable", "age", False)):
        c_, a_, r_ = _extreme(member, age_, latest_)
        any_s = r_.pop("any_s")
        r_ = {f"{prefix}_{k}": v for k, v in r_.items()}
        if prefix.startswith(("crim_", "admin_")):
            # the age at the first (last) incident of a set: any age while it may be empty
            r_ = {k: pl.when(any_s).then(v) for k, v in r_.items()}
        cols.update(c_)
        aggs.update(a_)
        results.update(r_)
    # (the buyer's unhandled_fraud_incident: 2 some surely is, 1 unknown: either's age, 0 none;
    # each reference's own is kept for judged_cases, which settles which it is)
    judged = pl.col("unhandled_fraud_incident")
    for fam, every in (("age", "all"), ("cage", "call")):
        for which in ("last", "first"):
            j_lo, j_hi = results[f"{fam}_{which}_lo"], results[f"{fam}_{which}_hi"]
            a_lo, a_hi = results.pop(f"{every}_{which}_lo"), results.pop(f"{every}_{which}_hi")
            for ref, (lo_, hi_) in (("judged", (j_lo, j_hi)), ("all", (a_lo, a_hi))):
                results[f"{fam}_{which}_{ref}_lo"], results[f"{fam}_{which}_{ref}_hi"] = lo_, hi_
            results[f"{fam}_{which}_lo"] = pl.when(judged == 2).then(j_lo) \
                .when(judged == 1).then(pl.min_horizontal(j_lo, a_lo)).otherwise(a_lo)
            results[f"{fam}_{which}_hi"] = pl.when(judged == 2).then(j_hi) \
                .when(judged == 1).then(pl.max_horizontal(j_hi, a_hi)).otherwise(a_hi)
    per = frame.with_columns(**cols).group_by("bid").agg(**aggs).with_columns(**results)
    per = per.join(conduct, on="bid").join(best, on="bid", how="left")
    crime = frame.filter(pl.col("crime") > 0).select("bid", "day", "cents", "counts")
    return per.with_columns(**_fact_columns(as_of)), crime.collect(engine=IN_MEMORY)


def _interval(prefix: str, default=(-BIG, BIG), cents: bool = False) -> tuple[pl.Expr, pl.Expr]:
    lo, hi = pl.col(f"{prefix}_lo"), pl.col(f"{prefix}_hi")
    if cents:
        lo, hi = yuan(lo), yuan(hi)
    return lo.fill_null(default[0]).cast(pl.Float64), hi.fill_null(default[1]).cast(pl.Float64)


def _fact_columns(as_of: date) -> dict[str, pl.Expr]:
    out: dict[str, pl.Expr] = {}

    def put(fid, expr):
        if isinstance(expr, tuple):
            out[c.lo(fid)], out[c.hi(fid)] = expr
        else:
            out[fid] = expr.cast(pl.Int8)

    put("has_fraud_incident", pl.col("has_fraud_incident"))
    put("photos_fabricated", pl.col("photos_fabricated"))
    for m in METHODS:
        out[c.member("photo_method", m)] = pl.col(f"pm_{m}").cast(pl.Int8)
    put("goods_defective", pl.col("goods_defective"))
    put("refund_paid", pl.col("refund_paid"))
    put("fraud_amount_paid", _interval("paid", cents=True))
    put("unhandled_fraud_incident", pl.col("unhandled_fraud_incident"))
    put("incidents_handled", pl.col("incidents_handled"))
    put("fraud_amount_handled", _interval("handled", cents=True))
    put("fraud_amount_before_criminal_age", _interval("before", cents=True))
    w_lo = yuan(pl.col("w_lo").fill_null(0))
    w_hi = yuan(pl.col("w_hi").fill_null(0)).clip(upper_bound=BIG)
    put("fraud_amount", (w_lo, w_hi))
    n_lo = pl.col("w_n_lo").fill_null(0).cast(pl.Float64)
    n_hi = pl.col("w_n_hi").fill_null(0).cast(pl.Float64)
    put("fraud_incident_count", (n_lo, n_hi))
    put("incidents_added_up", pl.when(n_lo >= 2).then(_t(2)).when(n_hi <= 1).then(_t(0))
        .otherwise(_t(1)))
    put("incidents_outside_window", pl.col("incidents_outside_window"))
    put("fraud_amount_outside_window", _interval("outside", cents=True))
    for fid, col in (("aggregation_window_start", "w_start"), ("aggregation_window_end", "w_end")):
        x = ordinal(pl.col(col))
        put(fid, (x.fill_null(-BIG), x.fill_null(BIG)))
    for fid, (fam, which) in AGE_FACTS.items():
        put(fid, _interval(f"{fam}_{which}"))
    # the same ages of the incidents still to be judged, and of all (judged_cases)
    for fid, (fam, which) in AGE_FACTS.items():
        for ref in ("judged", "all"):
            out[_age_col(fid, ref, c.lo)], out[_age_col(fid, ref, c.hi)] = \
                _interval(f"{fam}_{which}_{ref}")
    put("criminal_age_first", _interval("crim_first"))
    put("criminal_age_last", _interval("crim_last"))
    put("admin_age_first", _interval("admin_first"))
    # restitution and amount_returned are not in a history: what is outstanding is between
    # nothing and all that was paid (facts._returned)
    paid_hi = yuan(pl.col("paid_hi"))
    put("amount_outstanding", (pl.lit(0.0), paid_hi))
    outstanding = pl.when(paid_hi == 0).then(_t(0)).otherwise(_t(1))
    unsure = pl.col("crime_unsure")
    o_lo, o_hi = _interval("crim_obt", cents=True)
    put("criminal_amount_obtained", (
        pl.when(unsure).then(pl.min_horizontal(o_lo, pl.lit(0.0))).otherwise(o_lo),
        pl.when(unsure).then(pl.max_horizontal(o_hi, yuan(pl.col("crime_paid_hi"))))
        .otherwise(o_hi)))
    put("criminal_money_outstanding", pl.when(unsure).then(
        pl.when(pl.col("crime_paid_maybe")).then(_and(_t(1), outstanding)).otherwise(_t(0)))
        .otherwise(_and(pl.col("crim_paid_any"), outstanding)))
    put("admin_amount_obtained", _interval("admin_obt", cents=True))
    put("admin_money_outstanding", _and(pl.col("admin_paid_any"), outstanding))
    today = pl.lit(as_of)
    since = months_between(pl.col("last"), today)
    put("months_since_last_act", (since, since))
    for fid, col in (("conduct_date", "conduct"), ("first_conduct_date", "first")):
        x = ordinal(pl.col(col))
        put(fid, (x, x))
    years = months_between(pl.col("first"), today) / 12
    put("years_since_first_conduct", (years, years))
    return out


# --------------------------------------------------------------------------- place and date

def breakpoints(lib) -> list[date]:
    """Every day on which something in statutes/ the facts read changes: a parameter value, a
    law edition, a local amount standard (its first day, and the day after its last)."""
    days: set[date] = set()

    def add(start, end):
        if start is not None:
            days.add(start)
        if end is not None:
            days.add(end + timedelta(days=1))

    for p in lib.parameters.values():
        for v in p.values:
            add(v.effective_from, v.effective_to)
    for law in lib.laws.values():
        for e in law.editions:
            add(e.effective_from, e.effective_to)
    for entry in lib.thresholds.provinces.values():
        for s in entry.standards:
            add(s.effective_from, s.effective_to)
    return sorted(days)


def window_start(lib, day: pl.Expr, floor: date) -> pl.Expr:
    """The first day of the window of `day` (the latest breakpoint on or before it)."""
    expr = pl.lit(floor)
    for b in breakpoints(lib):
        expr = pl.when(day >= pl.lit(b)).then(pl.lit(b)).otherwise(expr)
    return expr


# --------------------------------------------------------------------------- cases

# the facts that change when it is settled whether the buyer has a fraud claim at all
FRAUD_CASE_FACTS = frozenset({"has_fraud_incident", "refund_paid", "fraud_amount",
                              "fraud_amount_paid"})
FRAUD_CASE_INPUTS = ("_paid_if_fraud", "_paid_any")


def fraud_cases(frame: pl.DataFrame | pl.LazyFrame, key: str) -> pl.DataFrame:
    """The two cases of a buyer for whom it is unknown whether any claim is fraud (column
    has_fraud_incident 1): none is (then no amount counts, and the payment is that of all the
    claims), or some is (the payment is that of the claims that may be fraud): the columns of
    FRAUD_CASE_FACTS in each, as compile.by_cases takes them.  The facts move together, which
    three-valued logic cannot see ("fraud exists" unknown and "refund paid" unknown)."""
    todo = frame.lazy().filter(pl.col("has_fraud_incident") == 1)   # (lazy: the columns read)
    zero = pl.lit(0.0)
    none = todo.select(key, has_fraud_incident=_t(0), refund_paid=pl.col("_paid_any"),
                       **{c.lo("fraud_amount"): zero, c.hi("fraud_amount"): zero,
                          c.lo("fraud_amount_paid"): zero, c.hi("fraud_amount_paid"): zero})
    some = todo.select(key, has_fraud_incident=_t(2), refund_paid=pl.col("_paid_if_fraud"),
                       **{col: pl.col(col) for fid in ("fraud_amount", "fraud_amount_paid")
                          for col in (c.lo(fid), c.hi(fid))})
    return pl.concat([none, some.select(none.collect_schema().names())],
                     how="vertical_relaxed").collect(engine=IN_MEMORY)


# the facts that change when it is settled whether any claim is still to be judged (fraud, not
# yet dealt with)
# the ages and the incident they are taken at (facts.py: the latest or the earliest of the
# reference incidents, those still to be judged, or all when none is), as (family of the
# columns: "age" as counted on the birthday, "cage" as the criminal law counts them, which)
AGE_FACTS = {"buyer_age": ("age", "last"), "buyer_age_first": ("age", "first"),
             "buyer_criminal_age": ("cage", "last"), "buyer_criminal_age_first": ("cage", "first")}
JUDGED_CASE_FACTS = frozenset({"unhandled_fraud_incident", "has_fraud_incident", "refund_paid",
                               "fraud_amount", *AGE_FACTS})


def _age_col(fid: str, ref: str, side) -> str:
    """The column of an age fact's bound (side: compile.lo or hi) with the reference incidents
    `ref` ("judged": those still to be judged; "all")."""
    return side(f"_{fid}@{ref}")


JUDGED_CASE_INPUTS = ("_fraud_unjudged", "_paid_unjudged", "_paid_if_fraud", "_paid_any",
                      *(_age_col(fid, ref, side) for fid in AGE_FACTS for ref in ("judged", "all")
                        for side in (c.lo, c.hi)))


def judged_cases(frame: pl.DataFrame | pl.LazyFrame, key: str) -> pl.DataFrame:
    """The cases of a buyer for whom it is unknown whether any claim is still to be judged
    (column unhandled_fraud_incident 1), as compile.by_cases takes them: none is (then no
    amount counts for the crime, and a claim surely not dealt with is no fraud), either with
    no fraud at all (the payment is that of all the claims) or with fraud among the claims
    that may have been dealt with (their payment: B02390, the only fraud that may be unpaid,
    another claim paid but then no fraud); or some is (then there is fraud, paid as the claims
    that may be fraud were).  The buyer's ages are those at the reference incidents of each
    case, as assess/facts.py takes them: all the claims where none is still to be judged, those
    that may be where some is (a buyer of 14 and 15 on the claims that may be judged, and 16 on
    a later one already dealt with, is under the age of criminal responsibility whenever some
    claim is judged: B15758).  The other facts keep their values, which hold in every case; a
    payment known already stays."""
    todo = frame.lazy().filter(pl.col("unhandled_fraud_incident") == 1)  # (lazy: the columns read)
    zero = pl.lit(0.0)

    def ages(ref: str) -> dict[str, pl.Expr]:
        return {side(fid): pl.col(_age_col(fid, ref, side)) for fid in AGE_FACTS
                for side in (c.lo, c.hi)}

    def paid(col: str) -> pl.Expr:
        return pl.when(pl.col("refund_paid") != 1).then(pl.col("refund_paid")) \
            .otherwise(pl.col(col))
    none = {"unhandled_fraud_incident": _t(0),
            **{c.lo("fraud_amount"): zero, c.hi("fraud_amount"): zero}, **ages("all")}
    no_fraud = todo.filter(pl.col("_fraud_unjudged") < 2).select(
        key, **none, has_fraud_incident=_t(0), refund_paid=paid("_paid_any"))
    fraud = todo.filter(pl.col("_fraud_unjudged") > 0).select(
        key, **none, has_fraud_incident=_t(2), refund_paid=paid("_paid_unjudged"))
    some = todo.select(key, unhandled_fraud_incident=_t(2), has_fraud_incident=_t(2),
                       refund_paid=paid("_paid_if_fraud"),
                       **{col: pl.col(col) for col in (c.lo("fraud_amount"),
                                                       c.hi("fraud_amount"))},
                       **ages("judged"))
    names = no_fraud.collect_schema().names()
    return pl.concat([no_fraud, fraud.select(names), some.select(names)],
                     how="vertical_relaxed").collect(engine=IN_MEMORY)
