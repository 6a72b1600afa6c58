"""The screening against `assess evaluate` on every buyer of a generated history (a script).

    python3 benchmarks/screen_vs_evaluate.py [--buyers 2000]

The histories are tests/test_screen_differential.py's (same seed, same boundaries).  Each buyer's
case file is evaluated as `assess evaluate` does it (reasoning by cases, stopped at
cases.LEAF_BUDGET completions) and compared with the screening's row; the differences are
counted by kind, and whether the evaluator stopped early is said ("EARLY": its own answer is not
final there).  About 0.12 s a buyer on the development machine.  Figures: docs/screening.md.
"""
from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    import polars as pl

    from assess.screen import screen_history
    from test_screen_differential import AS_OF, _case, _claims, _expected, _got, _history

    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=2000)
    args = ap.parse_args()
    rows = _history(random.Random(20261203), args.buyers)
    work = Path(tempfile.mkdtemp(prefix="screen-vs-evaluate-"))
    with open(work / "history.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    screen_history(work / "history.csv", work / "out", as_of=AS_OF, cases=False)
    got = {r["buyer_id"]: _got(r) for r in
           pl.read_csv(work / "out" / "buyers.csv", infer_schema=False).iter_rows(named=True)}
    kinds: collections.Counter = collections.Counter()
    example = {}
    for buyer, items in _claims(rows).items():
        want = _expected(_case(buyer, items), completions=None, engine="durable")
        early = want.pop("stopped_early", False)
        mine = got[buyer]
        keys = sorted(k for k in set(mine) | set(want) if mine.get(k) != want.get(k))
        kind = ("EARLY" if early else "complete",) + tuple(
            (k, mine.get(k), want.get(k)) for k in keys if k != "amount")
        if keys:
            kinds[kind] += 1
            example.setdefault(kind, buyer)
        else:
            kinds[("equal",)] += 1
    for kind, n in kinds.most_common():
        print(f"{n:6d}  {example.get(kind, '')}  " + "  ".join(
            str(k) if isinstance(k, str) else f"{k[0]}: screening {k[1]!r}, evaluate {k[2]!r}"
            for k in kind))


if __name__ == "__main__":
    main()
