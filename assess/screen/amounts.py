"""Reasoning by cases on the amount: the sums a buyer's claims can make.

A claim whose membership is unknown (its photo method, a defect, whether it was dealt with, the
buyer's age on its day) makes the buyer's amount an interval, from the sure claims to the sure
and the unsure ones.  Three-valued logic then finds possible every band the interval reaches,
although the amount can only be what some claims that may count add up to: one claim of
100,000.01 with an unknown photo method is 0 or 100,000.01, never in the 数额较大 band.  For a
buyer with at most MAX_UNSURE unsure claims, the stages of the rules that depend on the amount
run on each sum the claims can make (compile.by_cases), as `assess evaluate`'s reasoning by
cases does (assess/cases.py, `crime_sums`): each set of the claims that may count, added up
in the window of the aggregation period that adds up to most (facts._window: claims farther
apart than the period are never added up), and, while the date of birth is unknown, only the
sets a date of birth allows (a buyer old enough on one day is old enough on every later day).
Other buyers keep the interval (docs/screening.md)."""
from __future__ import annotations

import polars as pl

from ..model import leaves
from . import compile as c
from .facts import COUNTS_IF_OLD, COUNTS_MAYBE, COUNTS_MAYBE_IF_OLD, COUNTS_SURE, yuan

MAX_UNSURE = 10                   # 2**10 sets at most per buyer (and date of birth)
AMOUNT_FACTS = frozenset({"fraud_amount"})      # what a case of the amount settles
# the columns of facts.buyer_facts it reads (and those claim_lists adds)
AMOUNT_INPUTS = ("crime_unsure_n", "window_years", "birth")
CLAIM_LISTS = {"crime_days": "day", "crime_cents": "cents", "crime_counts": "counts"}


def sums(days: list, cents: list, counts: list, years: int) -> set[int]:
    """Every amount (in fen) the claims that may count can add up to: `days`, `cents` and
    `counts` (why each counts, facts.COUNTS_*) of one buyer's claims.  An amount is the most
    the counted claims add up to in one window of `years` years ending on one of their days
    (facts._window, with every membership known).  (sum_cases for one buyer.)"""
    claims = pl.DataFrame({"b": [0] * len(days), "day": days, "cents": cents,
                           "counts": counts, "years": [years] * len(days)},
                          schema={"b": pl.UInt32, "day": pl.Date, "cents": pl.Int64,
                                  "counts": pl.Int8, "years": pl.Int64})
    return set(sum_cases(claims, "b")["cents"].to_list())


def _position(key: str, day: pl.Expr) -> pl.Expr:
    """(buyer, day) as one number that sorts as the pair does."""
    return pl.col(key).cast(pl.Int64) * 2**32 + day.cast(pl.Int32).cast(pl.Int64) + 2**31


def sum_cases(claims: pl.DataFrame, key: str) -> pl.DataFrame:
    """The sums of `sums` for many buyers at once, as rows (key, cents), by Polars: `claims`
    holds one row per claim that may count (columns key, day, cents, counts, and years: the
    buyer's aggregation period).  Each way the claims can count is a run of rows, one per claim:

    - the days from which the buyer may be old enough (the date of birth unknown): each day of
      a claim that counts only then, or none (too young on every one) (`since`);
    - for each, every set of the claims that may count then, as the bits of a number below
      2**m (`subset`; bit j is the j-th such claim);
    - the window of each counted claim (the claims from the same day `years` earlier up to it,
      facts._window) summed as the difference of two running sums over all the rows; the
      largest is the amount (0 when none counts).
    A sum that two ways make is one row."""
    claims = claims.sort(key, "day", maintain_order=True).with_row_index("i") \
        .with_columns(first=pl.col("i").min().over(key))
    # the first claim of the window ending on each claim's day (its position among the
    # buyer's claims): the claims are sorted by their (buyer, day) numbers
    cutoff = pl.col("day").dt.offset_by(pl.format("-{}y", pl.col("years")))
    starts = claims.select(_position(key, pl.col("day"))).to_series().search_sorted(
        claims.select(_position(key, cutoff)).to_series(), side="left")
    claims = claims.with_columns(start=starts.cast(pl.Int64) - pl.col("first").cast(pl.Int64),
                                 k=(pl.col("i") - pl.col("first")).cast(pl.Int64))
    old_only = pl.col("counts").is_in([COUNTS_IF_OLD, COUNTS_MAYBE_IF_OLD])
    since = pl.concat([claims.select(key).unique(),
                       claims.filter(old_only).select(key, since="day").unique()],
                      how="diagonal").sort(key, "since", nulls_last=False).with_row_index("opt")
    old = (pl.col("day") >= pl.col("since")).fill_null(False)
    every = since.join(claims.select(key, "k", "day", "cents", "counts", "start"), on=key) \
        .sort("opt", "k").with_columns(
            sure=(pl.col("counts") == COUNTS_SURE) | ((pl.col("counts") == COUNTS_IF_OLD) & old),
            maybe=(pl.col("counts") == COUNTS_MAYBE)
            | ((pl.col("counts") == COUNTS_MAYBE_IF_OLD) & old)) \
        .with_columns(bit=pl.col("maybe").cast(pl.Int64).cum_sum().over("opt") - 1) \
        .with_row_index("at")
    # one row per way: the claims of its `since` are the rows at .. at + n - 1 of `every`
    ways = every.group_by("opt", maintain_order=True).agg(
        pl.col(key).first(), at=pl.col("at").min(), n=pl.len(), m=pl.col("maybe").sum()) \
        .with_columns(subset=pl.int_ranges(0, pl.lit(2, pl.Int64).pow(pl.col("m")))) \
        .explode("subset").with_row_index("way")
    rows = ways.select("way", key, "subset",
                       at=pl.int_ranges(pl.col("at"), pl.col("at") + pl.col("n"))).explode("at")
    rows = pl.concat([rows, every.select("k", "cents", "start", "sure", "maybe", "bit")
                      [rows["at"]]], how="horizontal")
    chosen = (pl.col("subset") // pl.lit(2, pl.Int64).pow(pl.col("bit").clip(lower_bound=0))) \
        % 2 == 1
    member = pl.col("sure") | (pl.col("maybe") & chosen)
    rows = rows.with_columns(member=member).with_columns(
        v=pl.when(pl.col("member")).then(pl.col("cents")).otherwise(0)) \
        .with_columns(run=pl.col("v").cum_sum())
    # the counted claims from the window's first (row - k + start) to this one
    first = pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("k") + pl.col("start")
    window = pl.col("run") - (pl.col("run") - pl.col("v")).gather(first)
    return rows.with_columns(window=pl.when(pl.col("member")).then(window)) \
        .group_by("way").agg(pl.col(key).first(), cents=pl.col("window").max().fill_null(0)) \
        .select(key, "cents").unique()


def _compared(pack) -> pl.Expr:
    """Whether a comparison of the amount in a rule concluding the band is unknown."""
    return pl.any_horizontal(
        c.atom_expr(atom, pack, rule.on) == 1 for rule in pack.rules
        if any(fid == "criminal_band" for fid, _ in rule.then)
        for atom in leaves(rule.when) if AMOUNT_FACTS & {atom.fact, atom.ref})


# the buyers whose sums are tried (when a column of by_amount's `undecided` is unknown too):
# a comparison of the amount is unknown, and there are at most MAX_UNSURE unsure claims
def _tried(pack) -> pl.Expr:
    return _compared(pack) & pl.col("crime_unsure_n").is_between(1, MAX_UNSURE)


# one unsure claim, the date of birth known: the sums are the ends of the interval (the most
# the sure claims add up to in a window, and the most with the unsure one)
ONE = (pl.col("crime_unsure_n") == 1) & pl.col("birth").is_not_null()


def claim_lists(frame: pl.DataFrame, key: str, claims: pl.DataFrame, pack) -> pl.DataFrame:
    """`frame` (one row per buyer, the compiled pack applied) with the columns CLAIM_LISTS: the
    days, amounts and why they may count (facts.COUNTS_*) of the claims of `claims` (one row
    per claim that may count for the crime, facts.buyer_facts), for the buyers whose sums
    by_amount may try (null for the others: most buyers need none).  What chooses them reads
    only facts of the history and of the law, which no case changes."""
    wanted = frame.lazy().filter(_tried(pack) & ~ONE).select(key).collect()
    lists = claims.join(wanted, on=key, how="semi").group_by(key).agg(
        **{name: pl.col(col) for name, col in CLAIM_LISTS.items()})
    lists = frame.select(key).join(lists, on=key, how="left", maintain_order="left")
    return frame.with_columns(lists[name] for name in CLAIM_LISTS)


def by_amount(frame: pl.DataFrame, key: str, stages: list[dict[str, pl.Expr]],
              undecided: list[str], pack) -> pl.DataFrame:
    """`frame` (one row per buyer, with the columns of facts.buyer_facts, of claim_lists and
    of the compiled pack) with the columns of `stages` decided on each sum the buyer's amount
    can be, for the buyers for whom a column of `undecided` is unknown and a comparison of the
    amount in a rule concluding the band too (the others gain nothing)."""
    todo = frame.lazy().filter(pl.any_horizontal([pl.col(col) == 1 for col in undecided])
                               & _tried(pack)) \
        .select(key, *ONE.meta.root_names(), c.lo("fraud_amount"), c.hi("fraud_amount"),
                *CLAIM_LISTS, "window_years").collect()
    if not todo.height:
        return frame
    ends = [todo.filter(ONE).select(key, **{c.lo("fraud_amount"): pl.col(col),
                                           c.hi("fraud_amount"): pl.col(col)})
            for col in (c.lo("fraud_amount"), c.hi("fraud_amount"))]
    rest = todo.filter(~ONE)
    if rest["crime_days"].null_count():
        raise RuntimeError("by_amount: the claims of a buyer whose sums are tried are missing "
                           "(amounts.claim_lists chose fewer buyers)")
    claims = rest.select(key, *CLAIM_LISTS, years="window_years").explode(list(CLAIM_LISTS)) \
        .rename(CLAIM_LISTS)
    amount = yuan(pl.col("cents"))
    cases = sum_cases(claims, key).select(
        key, amount.alias(c.lo("fraud_amount")), amount.alias(c.hi("fraud_amount")))
    return c.by_cases(frame, key, pl.concat([cases, *ends]), stages)
