"""Single-case assessment time (a script, not a test): python benchmarks/bench_assessment.py

The whole in-process assessment of one case as `assess evaluate` makes it — case facts,
reasoning by cases over the unknown facts (assess/cases.py), the rules on durable-rules for every
completion tried, and the explained result with conditions, trace and cited texts — for the
shipped examples and for generated cases (seeded; about 15 % of their facts are unknown, so some
cases have many unknowns at once).  Target: every case under 0.3 s.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from casegen import random_as_of, random_case  # noqa: E402

from assess.assessment import evaluate_case, load  # noqa: E402
from assess.case import load_case, parse_case  # noqa: E402

TARGET = 0.3


def timed(case, as_of) -> tuple[float, int]:
    best = None
    for _ in range(3):
        start = time.perf_counter()
        result = evaluate_case(case, as_of=as_of)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, result["analysis"]["completions"]


def main(n: int = 300) -> None:
    load()
    evaluate_case(load_case(ROOT / "examples" / "criminal-guangdong.yaml"),
                  as_of=date(2026, 1, 15))                       # warm up: pack, engine, places
    print("examples (best of 3):")
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        took, leaves = timed(load_case(path), date(2026, 1, 15))
        print(f"  {path.name:38s} {took * 1000:7.1f} ms  {leaves:4d} completions")
    rng = random.Random(7)
    rows = []
    for _ in range(n):
        data = random_case(rng)
        as_of = random_as_of(rng, data)
        rows.append(timed(parse_case(data, as_of=as_of), as_of))
    times = sorted(t for t, _ in rows)
    worst = max(rows)
    print(f"{n} generated cases (best of 3 each): median {statistics.median(times) * 1000:.1f} ms, "
          f"95th percentile {times[int(0.95 * n)] * 1000:.1f} ms, slowest {worst[0] * 1000:.1f} ms "
          f"({worst[1]} completions); over {TARGET} s: {sum(t > TARGET for t in times)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
