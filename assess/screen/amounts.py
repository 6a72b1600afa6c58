"""Reasoning by cases on the amount: the sums a buyer's claims can make.

A claim whose membership is unknown (its photo method, a defect, whether it was dealt with) makes
the buyer's amount an interval, from the sure claims to the sure and the unsure ones.
Three-valued logic then finds possible every band the interval reaches, although the amount can
only be the sum of the sure claims and of some of the unsure ones: one claim of 100,000.01 with an
unknown photo method is 0 or 100,000.01, never in the 数额较大 band.  For a buyer whose claims that
may count all lie in one aggregation window (so that every completion adds up all of them that
count) and who has at most MAX_UNSURE unsure claims, the stages of the rules that depend on the
amount run on each such sum (compile.by_cases), as `assess evaluate`'s reasoning by cases does.
Other buyers keep the interval (docs/screening.md)."""
from __future__ import annotations

import polars as pl

from . import compile as c
from .facts import yuan

MAX_UNSURE = 10                   # 2**10 sums at most per buyer
AMOUNT_FACTS = frozenset({"fraud_amount"})      # what a case of the amount settles
# the columns of facts.buyer_facts it reads
AMOUNT_INPUTS = ("crime_sure_cents", "crime_unsure_cents", "crime_first", "crime_last",
                 "window_years")


def by_amount(frame: pl.DataFrame, key: str, stages: list[dict[str, pl.Expr]],
              undecided: list[str]) -> pl.DataFrame:
    """`frame` (one row per buyer, with the columns of facts.buyer_facts and the compiled
    pack's) with the columns of `stages` decided on each sum the buyer's amount can be."""
    period = pl.concat_str([pl.lit("-"), pl.col("window_years").cast(pl.Utf8), pl.lit("y")])
    n = pl.col("crime_unsure_cents").list.len()
    todo = frame.filter(pl.any_horizontal([pl.col(col) == 1 for col in undecided])
                        & n.is_between(1, MAX_UNSURE)
                        & (pl.col("crime_first") >= pl.col("crime_last").dt.offset_by(period)))
    if not todo.height:
        return frame
    keys, cents = [], []
    for buyer, sure, unsure in todo.select(key, "crime_sure_cents", "crime_unsure_cents") \
            .iter_rows():
        sums = {0}
        for amount in unsure:
            sums |= {s + amount for s in sums}
        keys += [buyer] * len(sums)
        cents += [sure + s for s in sorted(sums)]
    amount = yuan(pl.col("cents"))
    cases = pl.DataFrame({key: keys, "cents": cents}, schema={key: frame.schema[key],
                                                             "cents": pl.Int64}) \
        .select(key, amount.alias(c.lo("fraud_amount")), amount.alias(c.hi("fraud_amount")))
    return c.by_cases(frame, key, cases, stages)
