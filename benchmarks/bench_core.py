"""Core benchmarks (a script, not a test): python benchmarks/bench_core.py [--quick]

1. In-process assessments per second over 10,000 generated cases, durable-rules vs the plain
   evaluator (same cases, parsed once beforehand; explanations off), on one core.
2. Memory growth (RSS) over 100,000 durable-rules assessments.
3. Start-up time of `assess --help` (median of 11 runs).
Targets: >= 3,000 cases/s through durable-rules, < 50 MB growth, --help < 0.3 s.
"""
from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from casegen import random_as_of, random_case  # noqa: E402

from assess.assessment import evaluate_case, load  # noqa: E402
from assess.case import parse_case  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_cases(n: int, seed: int = 1):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        data = random_case(rng)
        as_of = random_as_of(rng, data)
        out.append((parse_case(data, as_of=as_of), as_of))
    return out


def throughput(cases, engine: str) -> float:
    evaluate_case(cases[0][0], as_of=cases[0][1], engine=engine, explain=False)   # warm up
    start = time.perf_counter()
    for case, as_of in cases:
        evaluate_case(case, as_of=as_of, engine=engine, explain=False)
    return len(cases) / (time.perf_counter() - start)


def engine_throughput(prepared, engine: str) -> float:
    """Rule evaluation alone: the facts of each case are computed beforehand."""
    from assess.assessment import engine_for
    from assess.evaluator import run

    lib, pack = load()
    eng = engine_for(pack, engine)
    run(pack, eng, *prepared[0])
    start = time.perf_counter()
    for facts, params in prepared:
        run(pack, eng, facts, params)
    return len(prepared) / (time.perf_counter() - start)


def main(quick: bool = False) -> None:
    from assess.facts import case_facts

    lib, pack = load()
    n = 1000 if quick else 10000
    cases = make_cases(n)
    durable = throughput(cases, "durable")
    plain = throughput(cases, "plain")
    print(f"whole assessment (facts + rules + result), cases/s over {n:,} generated cases: "
          f"durable-rules {durable:,.0f}, plain {plain:,.0f}, ratio plain/durable "
          f"{plain / durable:.2f}")
    prepared = []
    for case, as_of in cases:
        cf = case_facts(case, lib, pack, as_of)
        prepared.append((cf.facts, cf.params))
    durable_e = engine_throughput(prepared, "durable")
    plain_e = engine_throughput(prepared, "plain")
    print(f"rule evaluation alone, cases/s: durable-rules {durable_e:,.0f}, plain "
          f"{plain_e:,.0f}, ratio plain/durable {plain_e / durable_e:.2f}")

    total = 10000 if quick else 100000
    before = rss_mb()
    for i in range(total):
        case, as_of = cases[i % len(cases)]
        evaluate_case(case, as_of=as_of, engine="durable", explain=False)
    print(f"RSS growth over {total:,} durable-rules assessments: {rss_mb() - before:.1f} MB "
          f"({before:.0f} -> {rss_mb():.0f} MB)")

    times = []
    for _ in range(11):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assess.cli", "--help"], capture_output=True,
                       check=True)
        times.append(time.perf_counter() - start)
    print(f"`assess --help` start-up: median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
