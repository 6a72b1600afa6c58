"""Benchmark of `assess screen` (assess/screen/): claims per second and peak memory.

    python3 benchmarks/bench_screen.py                 # 1,000,000 and 10,000,000 claims
    python3 benchmarks/bench_screen.py --claims 200000 --engines polars dask

Each run is a fresh process (its peak resident memory is measured alone): a history (seeded,
five claims per buyer on average, ten places, dates over three years) is generated as Parquet in
a process of its own (Linux keeps the peak resident memory of a process across exec, so a
history generated in this process would count in the screening's peak: 2,068 MB reported for
10,000,000 claims, 913 MB measured alone), then screened without writing case files.  Figures
of this machine: README.md, section "Screening a refund history".
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["广东省广州市", "广东省深圳市", "江苏省南京市", "上海市", "湖北省武汉市", "重庆市",
          "云南省昆明市", "北京市", "浙江省杭州市", "四川省成都市"]


def generate(path: Path, claims: int, seed: int = 15) -> None:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    buyers = max(1, claims // 5)
    start = date(2023, 12, 1).toordinal()
    days = rng.integers(0, 1096, claims)
    frame = pl.DataFrame({
        "buyer_id": pl.Series(rng.integers(0, buyers, claims)).cast(pl.Utf8),
        "order_no": pl.Series(range(claims)).cast(pl.Utf8),
        "claim_date": pl.Series(days + start - date(1970, 1, 1).toordinal()).cast(pl.Date),
        "amount": (rng.integers(100, 300_000, claims) / 100.0).round(2),
        "refund_paid": pl.Series(rng.choice(["yes", "yes", "yes", "no"], claims)),
        "place": pl.Series(np.array(PLACES)[rng.integers(0, len(PLACES), claims)]),
        "photo_method": pl.Series(rng.choice(["ai_generated", "edited", "staged", "genuine",
                                              "unknown"], claims)),
        "goods_defective": pl.Series(rng.choice(["no", "no", "no", "yes"], claims)),
        "handled": pl.Series(rng.choice(["no"] * 8 + ["administrative", "yes"], claims)),
        "buyer_birth_date": pl.Series(rng.integers(-3000, 12000, claims)).cast(pl.Date),
    })
    # one date of birth per buyer
    frame = frame.with_columns(pl.col("buyer_birth_date").first().over("buyer_id"))
    frame.write_parquet(path)


def child(args) -> None:
    """Run one screening in this process and print its figures as JSON."""
    sys.path.insert(0, str(ROOT))
    from assess.screen import screen_history

    t = time.perf_counter()
    cpu = time.process_time()
    summary = screen_history(args.history, args.out, as_of=date(2026, 12, 1), cases=False,
                             engine=args.engine)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu            # this process's CPU (Polars' threads included)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"rows": summary["rows"], "buyers": summary["buyers"],
                      "seconds": round(seconds, 2), "cpu_s": round(cpu, 1), "peak_mb": round(max(peak, kids)),
                      "claims_per_s": round(summary["rows"] / seconds)}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument("--engines", nargs="*", default=["polars"])
    ap.add_argument("--dask-claims", type=int, default=1_000_000)
    ap.add_argument("--work", default="/tmp/assess-bench-screen")
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--generate", type=int, help="(internal) generate HISTORY with N claims")
    ap.add_argument("--history")
    ap.add_argument("--out")
    ap.add_argument("--engine", default="polars")
    args = ap.parse_args()
    if args.child:
        return child(args)
    if args.generate:
        return generate(Path(args.history), args.generate)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    runs = [(n, "polars") for n in args.claims]
    if "dask" in args.engines:
        runs.append((args.dask_claims, "dask"))
    print(f"{'claims':>12} {'engine':>7} {'buyers':>10} {'seconds':>8} {'CPU s':>7} "
          f"{'claims/s':>11} {'peak MB':>8}   load average")
    for n, engine in runs:
        history = work / f"history-{n}.parquet"
        if not history.exists():
            subprocess.run([sys.executable, __file__, "--generate", str(n), "--history",
                            str(history)], check=True)
        out = subprocess.run([sys.executable, __file__, "--child", "--history", str(history),
                              "--out", str(work / f"out-{n}-{engine}"), "--engine", engine],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{r['rows']:>12,} {engine:>7} {r['buyers']:>10,} {r['seconds']:>8} "
              f"{r['cpu_s']:>7} {r['claims_per_s']:>11,} {r['peak_mb']:>8,}   {load}")


if __name__ == "__main__":
    main()
