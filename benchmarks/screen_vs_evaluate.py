"""The screening against `assess evaluate` on every buyer of a generated history (a script).

    python3 benchmarks/screen_vs_evaluate.py [--buyers 2000] [--start 0] [--only IDS] [--dump DIR]

The histories are tests/test_screen_differential.py's (same seed, same boundaries).  Each buyer's
case file is evaluated as `assess evaluate` does it (reasoning by cases, stopped at
cases.LEAF_BUDGET completions) and compared with the screening's row; the differences are
counted by kind, and whether the evaluator stopped early is said ("EARLY": its own answer is not
final there).  A buyer `assess evaluate` refuses (a completion of an unknown "dealt with" puts
the conduct before the first covered day) and the screening marks `law_gap` is counted as
"refused = law_gap": they agree (docs/screening.md).  About 0.3 s a buyer here (2,000 in 9.5
min, 2026-12-03, load about 3).  Figures: docs/screening.md.

--start K     evaluate only the buyers from the K-th on (B02000 ... with --buyers 4000
              --start 2000: buyers not compared before, the history generated as before)
--only IDS    evaluate only these buyers (a file of buyer ids, one a line, or ids joined by ",")
--dump DIR    write the case file of every buyer that differs to DIR (as the screening writes
              case files), and their ids to DIR/differing.txt (for --only)
"""
from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _ids(text: str) -> set[str]:
    path = Path(text)
    if path.is_file():
        return {line.strip() for line in path.read_text().splitlines() if line.strip()}
    return {x.strip() for x in text.split(",") if x.strip()}


def main() -> None:
    import polars as pl

    from assess.screen import screen_history
    from assess.screen.casefiles import case_data, write_case
    from test_screen_differential import AS_OF, _case, _claims, _expected, _got, _history

    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=2000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--only", help="buyer ids: a file, one a line, or joined by ','")
    ap.add_argument("--dump", type=Path, help="folder for the case files of differing buyers")
    args = ap.parse_args()
    rows = _history(random.Random(20261203), args.buyers)
    work = Path(tempfile.mkdtemp(prefix="screen-vs-evaluate-"))
    with open(work / "history.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    screen_history(work / "history.csv", work / "out", as_of=AS_OF, cases=False)
    screened = {r["buyer_id"]: r for r in
                pl.read_csv(work / "out" / "buyers.csv", infer_schema=False).iter_rows(named=True)}
    only = _ids(args.only) if args.only else None
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    kinds: collections.Counter = collections.Counter()
    example = {}
    differing = []
    start = time.perf_counter()
    for buyer, items in _claims(rows).items():
        if (only is not None and buyer not in only) or int(buyer[1:]) < args.start:
            continue
        want = _expected(_case(buyer, items), completions=None, engine="durable")
        early = want.pop("stopped_early", False)
        mine = _got(screened[buyer])
        if want["primary_track"] == "error" and screened[buyer]["note"] == "law_gap":
            kinds[("refused = law_gap",)] += 1
            continue
        keys = sorted(k for k in set(mine) | set(want) if mine.get(k) != want.get(k))
        kind = ("EARLY" if early else "complete",) + tuple(
            (k, mine.get(k), want.get(k)) for k in keys if k != "amount")
        if keys:
            kinds[kind] += 1
            example.setdefault(kind, buyer)
            differing.append(buyer)
            print(f"{buyer}  " + "  ".join(str(k) if isinstance(k, str) else
                                          f"{k[0]}: screening {k[1]!r}, evaluate {k[2]!r}"
                                          for k in kind), flush=True)
            if args.dump:
                place = items[-1]["place_text"]
                births = [c["birth"] for c in sorted(items, key=lambda c: c["row"]) if c["birth"]]
                data = case_data({"buyer_id": buyer,
                                  "birth_date": births[0] if births else None}, items, place,
                                 buyer)
                try:
                    write_case(args.dump, data, AS_OF)
                except Exception:               # an unresolvable place: the file leaves it out
                    data.pop("place", None)
                    write_case(args.dump, data, AS_OF)
        else:
            kinds[("equal",)] += 1
    took = time.perf_counter() - start
    if args.dump:
        (args.dump / "differing.txt").write_text("".join(f"{b}\n" for b in differing))
    for kind, n in kinds.most_common():
        print(f"{n:6d}  {example.get(kind, '')}  " + "  ".join(
            str(k) if isinstance(k, str) else f"{k[0]}: screening {k[1]!r}, evaluate {k[2]!r}"
            for k in kind))
    print(f"{sum(kinds.values())} buyers evaluated in {took:.0f} s")


if __name__ == "__main__":
    main()
