"""The floor under `assess screen` on this machine: a screening with none of the law in it.

    python3 benchmarks/bench_screen.py --claims 1000000      # generates the history first
    python3 benchmarks/screen_floor.py /tmp/assess-bench-screen/history-1000000.parquet

It reads the benchmark's history, sums each buyer's amounts claimed with faked photos and not
yet dealt with, compares the sum with a number per place (placeholders, not the law: the cost
of a comparison does not depend on the number), writes a one-line reason, sorts the buyers and
writes the CSV: what any screening of this history has to do.  None of what the issue asks on
top is in it (the aggregation window, attempts, the law version, limitation periods, ages,
three-valued results equal to `assess evaluate`'s).  Prints seconds, CPU seconds and peak
memory.  docs/screening.md section 4 compares it with `assess screen`.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl


def main(history: str, runs: int = 3) -> None:
    places = pl.scan_parquet(history).select(pl.col("place").unique()).collect()
    # placeholders, one per place (the cost of the comparison is what is measured)
    standards = places.with_columns(standard=pl.int_range(pl.len()).cast(pl.Float64) + 1.0)
    out = Path(tempfile.mkdtemp()) / "floor.csv"
    for _ in range(runs):
        t, cpu = time.perf_counter(), time.process_time()
        faked = pl.col("photo_method").is_in(["ai_generated", "edited", "staged"]) \
            & (pl.col("handled") == "no")
        (pl.scan_parquet(history)
         .group_by("buyer_id")
         .agg(claims=pl.len(), total=pl.col("amount").sum(),
              fraud=pl.col("amount").filter(faked).sum(),
              paid=pl.col("amount").filter(faked & (pl.col("refund_paid") == "yes")).sum(),
              first=pl.col("claim_date").min(), last=pl.col("claim_date").max(),
              place=pl.col("place").last(), born=pl.col("buyer_birth_date").first())
         .join(standards.lazy(), on="place", how="left")
         .with_columns(track=pl.when(pl.col("fraud") >= pl.col("standard"))
                       .then(pl.lit("criminal"))
                       .when(pl.col("paid") > 0).then(pl.lit("administrative"))
                       .otherwise(pl.lit("civil")))
         .with_columns(reason=pl.format("{} claims, {} yuan", pl.col("claims"),
                                        pl.col("fraud").round(2)))
         .sort("track", "fraud", descending=[False, True])
         .sink_csv(out))
        print(f"{time.perf_counter() - t:.3f} s  {time.process_time() - cpu:.2f} CPU s  "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB peak")


if __name__ == "__main__":
    main(sys.argv[1])
