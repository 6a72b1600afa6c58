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

from bisect import bisect_left
from itertools import compress, product

import polars as pl

from ..facts import _years_before
from ..model import leaves
from . import compile as c
from .facts import COUNTS_IF_OLD, COUNTS_MAYBE, COUNTS_MAYBE_IF_OLD, COUNTS_SURE, yuan

MAX_UNSURE = 10                   # 2**10 sets at most per buyer (and date of birth)
AMOUNT_FACTS = frozenset({"fraud_amount"})      # what a case of the amount settles
# the columns of facts.buyer_facts it reads
AMOUNT_INPUTS = ("crime_unsure_n", "crime_days", "crime_cents", "crime_counts", "window_years",
                 "birth")


def sums(days: list, cents: list, counts: list, years: int) -> set[int]:
    """Every amount (in fen) the claims that may count can add up to: `days` in date order,
    `counts` why each counts (facts.COUNTS_*).  An amount is the most the counted claims add up
    to in one window of `years` years ending on one of their days (facts._window, with every
    membership known)."""
    n = len(days)
    # the first claim of the window ending on each claim's day
    starts = [bisect_left(days, _years_before(d, years)) for d in days]
    one_window = starts[-1] == 0
    # the days from which the buyer may be old enough: each claim's that counts only then, or
    # none of them (too young on every one)
    aged = [k for k, why in enumerate(counts) if why in (COUNTS_IF_OLD, COUNTS_MAYBE_IF_OLD)]
    froms = sorted({days[k] for k in aged}) + [None] if aged else [None]
    out: set[int] = set()
    for since in froms:
        old = [since is not None and d >= since for d in days]
        sure = [why == COUNTS_SURE or (why == COUNTS_IF_OLD and o)
                for why, o in zip(counts, old)]
        maybe = [k for k, (why, o) in enumerate(zip(counts, old))
                 if why == COUNTS_MAYBE or (why == COUNTS_MAYBE_IF_OLD and o)]
        if one_window:                      # every counted claim is added up
            made = {sum(compress(cents, sure))}
            for k in maybe:
                made |= {x + cents[k] for x in made}
            out |= made
            continue
        for chosen in product((False, True), repeat=len(maybe)):
            member = list(sure)
            for k, x in zip(maybe, chosen):
                member[k] = x
            out.add(max((sum(compress(cents[starts[k]:k + 1], member[starts[k]:k + 1]))
                         for k in range(n) if member[k]), default=0))
    return out


def by_amount(frame: pl.DataFrame, key: str, stages: list[dict[str, pl.Expr]],
              undecided: list[str], pack) -> pl.DataFrame:
    """`frame` (one row per buyer, with the columns of facts.buyer_facts and the compiled
    pack's) with the columns of `stages` decided on each sum the buyer's amount can be, for
    the buyers for whom a column of `undecided` is unknown and a comparison of the amount in a
    rule concluding the band too (the others gain nothing)."""
    compared = [c.atom_expr(atom, pack, rule.on) == 1 for rule in pack.rules
                if any(fid == "criminal_band" for fid, _ in rule.then)
                for atom in leaves(rule.when) if AMOUNT_FACTS & {atom.fact, atom.ref}]
    todo = frame.filter(pl.any_horizontal([pl.col(col) == 1 for col in undecided])
                        & pl.any_horizontal(compared)
                        & pl.col("crime_unsure_n").is_between(1, MAX_UNSURE))
    if not todo.height:
        return frame
    # one unsure claim, the date of birth known: the sums are the ends of the interval (the
    # most the sure claims add up to in a window, and the most with the unsure one)
    one = (pl.col("crime_unsure_n") == 1) & pl.col("birth").is_not_null()
    ends = [todo.filter(one).select(key, **{c.lo("fraud_amount"): pl.col(col),
                                           c.hi("fraud_amount"): pl.col(col)})
            for col in (c.lo("fraud_amount"), c.hi("fraud_amount"))]
    keys, cents = [], []
    for buyer, days, amounts, counts, years in \
            todo.filter(~one).select(key, *AMOUNT_INPUTS[1:5]).iter_rows():
        order = sorted(range(len(days)), key=days.__getitem__)
        made = sums([days[k] for k in order], [amounts[k] for k in order],
                    [counts[k] for k in order], years)
        keys += [buyer] * len(made)
        cents += sorted(made)
    amount = yuan(pl.col("cents"))
    cases = pl.DataFrame({key: keys, "cents": cents}, schema={key: frame.schema[key],
                                                             "cents": pl.Int64}) \
        .select(key, amount.alias(c.lo("fraud_amount")), amount.alias(c.hi("fraud_amount")))
    return c.by_cases(frame, key, pl.concat([cases, *ends]), stages)
