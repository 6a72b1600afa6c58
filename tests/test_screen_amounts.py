"""Reasoning by cases on the amount (assess/screen/amounts.py): a buyer's amount is tried as every
sum its sure claims and some of its unsure claims make, and only those."""
from __future__ import annotations

from datetime import date
from itertools import combinations

import polars as pl

from assess.screen import compile as c
from assess.screen.amounts import MAX_UNSURE, by_amount


def _frame(unsure: list[list[int]], sure: list[int]) -> pl.DataFrame:
    """One row per buyer (key "bid"), every claim in one aggregation window, column "x" open."""
    n = len(unsure)
    return pl.DataFrame({
        "bid": pl.Series(range(n), dtype=pl.UInt32),
        "crime_sure_cents": pl.Series(sure, dtype=pl.Int64),
        "crime_unsure_cents": pl.Series(unsure, dtype=pl.List(pl.Int64)),
        "crime_first": [date(2025, 1, 1)] * n, "crime_last": [date(2025, 6, 1)] * n,
        "window_years": pl.Series([2] * n, dtype=pl.Int64),
        "x": pl.Series([1] * n, dtype=pl.Int8),
        c.lo("fraud_amount"): [0.0] * n, c.hi("fraud_amount"): [1e9] * n})


def _sums(sure: int, unsure: list[int]) -> set[float]:
    return {round((sure + sum(s)) * 0.01, 2) for k in range(len(unsure) + 1)
            for s in combinations(unsure, k)}


def _decide(frame: pl.DataFrame, allowed: list[set[float]]) -> list[int]:
    """x: yes when the buyer's amount is one of its `allowed` sums, else no; decided by cases."""
    amount = pl.col(c.lo("fraud_amount")).round(2)
    yes = pl.lit(False)
    for bid, values in enumerate(allowed):
        yes = yes | ((pl.col("bid") == bid) & amount.is_in(sorted(values)))
    stage = {"x": pl.when(yes).then(pl.lit(2, pl.Int8)).otherwise(pl.lit(0, pl.Int8))}
    return by_amount(frame, "bid", [stage], ["x"])["x"].to_list()


UNSURE = [[100, 150], [1_000_001], [5, 7, 11, 13, 17, 19, 23, 29, 31, 37]]
SURE = [250, 0, 10_000]


def test_every_sum_of_the_unsure_claims_is_a_case():
    """x is yes on every sum but one: each buyer's x stays open only if that sum is tried."""
    frame = _frame(UNSURE, SURE)
    assert len(UNSURE[2]) == MAX_UNSURE
    for leave_out in ("largest", "smallest"):
        allowed = []
        for sure, unsure in zip(SURE, UNSURE):
            sums = _sums(sure, unsure)
            allowed.append(sums - {(max if leave_out == "largest" else min)(sums)})
        assert _decide(frame, allowed) == [1, 1, 1]


def test_only_the_sums_of_the_unsure_claims_are_cases():
    """x is yes on exactly the sums: decided yes, so no other amount was tried."""
    frame = _frame(UNSURE, SURE)
    assert _decide(frame, [_sums(s, u) for s, u in zip(SURE, UNSURE)]) == [2, 2, 2]


def test_a_buyer_with_more_unsure_claims_than_are_tried_keeps_its_interval():
    frame = _frame([list(range(1, MAX_UNSURE + 2))], [0])
    assert _decide(frame, [_sums(0, list(range(1, MAX_UNSURE + 2)))]) == [1]
