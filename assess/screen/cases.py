"""Reasoning by cases in the screening.

Where the three-valued evaluation leaves a track or the band of a buyer open, the buyer's cases
that are cheap to enumerate are tried, each with the stages of the compiled pack that depend on
what the case settles (compile.by_cases), in this order:

1. whether any claim is fraud at all (facts.fraud_cases), then whether any is still to be
   judged (facts.judged_cases);
2. the yes/no facts that the rules of a track read both ways (compile.split_facts);
3. the sums the amount can be (amounts.by_amount).

Each is sound: the cases of a buyer cover every completion of its unknowns, so a status decided
stays true in all of them (docs/screening.md, "What the statuses mean").
"""
from __future__ import annotations

import polars as pl

from ..assessment import BAND_VALUES, TRACK_FACT
from . import compile as c
from .amounts import AMOUNT_FACTS, AMOUNT_INPUTS, by_amount
from .facts import (FRAUD_CASE_FACTS, FRAUD_CASE_INPUTS, JUDGED_CASE_FACTS, JUDGED_CASE_INPUTS,
                    fraud_cases, judged_cases)

KEY = "bid"
BANDS = [c.member("criminal_band", b) for b in BAND_VALUES + ("none",)]
UNDECIDED = list(TRACK_FACT.values()) + BANDS       # the columns whose "unknown" is worth a case


def columns_read(pack, compiled: c.CompiledPack) -> set[str]:
    """The columns the cases read or set (besides those of the output row)."""
    stages = [st for _, sts in compiled.splits for st in sts] + \
        compiled.after(AMOUNT_FACTS) + compiled.after(FRAUD_CASE_FACTS) + \
        compiled.after(JUDGED_CASE_FACTS)
    cols = {KEY, *UNDECIDED, *AMOUNT_INPUTS, *FRAUD_CASE_INPUTS, *JUDGED_CASE_INPUTS,
            *(f for f, _ in compiled.splits),
            *(col for fid in FRAUD_CASE_FACTS | JUDGED_CASE_FACTS
              for col in c.fact_columns(pack, fid))}
    return cols | {n for st in stages for col, e in st.items() for n in (col, *e.meta.root_names())}


def reason_by_cases(frame: pl.DataFrame, compiled: c.CompiledPack) -> pl.DataFrame:
    """`frame` (one row per buyer, the compiled pack applied) with what the cases decide."""
    # (lazily filtered: the case builders read a few of the frame's columns)
    open_ = pl.any_horizontal([pl.col(col) == 1 for col in UNDECIDED])
    cases = fraud_cases(frame.lazy().filter(open_), KEY)
    if cases.height:
        frame = c.by_cases(frame, KEY, cases, compiled.after(FRAUD_CASE_FACTS))
    cases = judged_cases(frame.lazy().filter(open_), KEY)
    if cases.height:
        frame = c.by_cases(frame, KEY, cases, compiled.after(JUDGED_CASE_FACTS))
    frame = compiled.split(frame, KEY, UNDECIDED)
    # the amount's sums only where the band is open: the tracks it leaves open depend, mostly,
    # on facts a history does not hold
    return by_amount(frame, KEY, compiled.after(AMOUNT_FACTS), BANDS, compiled.pack)
