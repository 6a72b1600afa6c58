"""The screening equals `assess evaluate` on every one of the 20,000 generated buyers.

tests/test_screen_differential.py generates the histories (threshold, age and window
boundaries, claims already dealt with, unknown places, methods, defects and payments) and checks
the screening against the three-valued evaluation on all of them and against `assess evaluate`
on 500.  Here each buyer's case file is evaluated as `assess evaluate` does it (reasoning by cases
over the unknown facts, stopped at cases.LEAF_BUDGET completions) and the screening's row must
be equal in every compared column: primary track, the four tracks' statuses, band, possible
bands and the amount's range.  The one accepted difference: a buyer `assess evaluate` refuses (a
completion of an unknown "dealt with?" puts the conduct before the first day statutes/ covers)
is one the screening marks `law_gap` (docs/screening.md).

The evaluation runs on the plain engine, which tests/test_differential.py and
tests/test_engine_durable.py hold equal to the durable one (`assess evaluate`'s default), in as
many processes as the machine has cores (about 0.07 CPU s a buyer; 20,000 take about 12 minutes
on two cores).  benchmarks/screen_vs_evaluate.py runs the same comparison on a range of buyers
and prints each difference.
"""
from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from test_screen_differential import _case, _claims, _expected, _got, _history, _screen

BUYERS = 20_000


def compare(buyer: str, items: list[dict], row: dict) -> tuple | None:
    """None when the screening's row equals `assess evaluate` on the buyer's case file (or both
    refuse it), else (buyer, the columns that differ, whether the evaluator stopped early)."""
    want = _expected(_case(buyer, items), completions=None, engine="plain")
    early = want.pop("stopped_early", False)
    if want["primary_track"] == "error" and row["note"] == "law_gap":
        return None
    got = _got(row)
    keys = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    if not keys:
        return None
    return buyer, [(k, got.get(k), want.get(k)) for k in keys], early


def _compare_all(work: list[tuple]) -> list[tuple]:
    return [d for d in (compare(*w) for w in work) if d is not None]


@pytest.mark.slow
def test_the_screening_equals_assess_evaluate_on_every_buyer(tmp_path):
    rows = _history(random.Random(20261203), BUYERS)
    screened = _screen(rows, tmp_path)
    work = [(buyer, items, screened[buyer]) for buyer, items in _claims(rows).items()]
    assert len(work) == len(screened) == BUYERS
    cores = max(1, min(os.cpu_count() or 1, 4))
    chunks = [work[i::cores * 8] for i in range(cores * 8)]
    # spawned, not forked: the parent has Polars' threads running
    with ProcessPoolExecutor(cores, mp_context=get_context("spawn")) as pool:
        differing = [d for part in pool.map(_compare_all, chunks) for d in part]
    assert not differing, f"{len(differing)} of {BUYERS} buyers differ, e.g. {differing[:3]}"
