"""Core benchmarks (a script, not a test): python benchmarks/bench_core.py [--quick]

1. In-process cases per second over 10,000 generated cases, durable-rules vs the plain evaluator
   (same cases, parsed once beforehand; explanations off), on one core: the rule evaluation alone
   (case facts computed beforehand: what runs through durable-rules) and the whole assessment
   (case facts + rules + the result JSON with trace and cited texts). Each figure is the best
   of 3 rounds (as timeit does: slower rounds measure other load on the machine), with the
   median of the 3 beside it.
2. Memory growth (RSS) over 100,000 durable-rules assessments.
3. Start-up time of `assess --help` (median of 11 runs).
Targets: >= 3,000 cases/s through durable-rules, < 50 MB growth, --help < 0.3 s.
Figures on a shared machine vary; run it twice.
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


ROUNDS = 3


def rounds(work, n: int) -> tuple[float, float]:
    """(best, median) cases per second of `work()` over ROUNDS rounds of n cases."""
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        rates.append(n / (time.perf_counter() - start))
    return max(rates), statistics.median(rates)


def throughput(cases, engine: str) -> tuple[float, float]:
    evaluate_case(cases[0][0], as_of=cases[0][1], engine=engine, explain=False)   # warm up

    def work():
        for case, as_of in cases:
            evaluate_case(case, as_of=as_of, engine=engine, explain=False)
    return rounds(work, len(cases))


def engine_throughput(prepared, engine: str) -> tuple[float, float]:
    """Rule evaluation alone: the facts of each case are computed beforehand."""
    from assess.assessment import engine_for
    from assess.evaluator import run

    lib, pack = load()
    eng = engine_for(pack, engine)
    run(pack, eng, *prepared[0])

    def work():
        for facts, params in prepared:
            run(pack, eng, facts, params)
    return rounds(work, len(prepared))


def show(what: str, durable: tuple, plain: tuple) -> None:
    print(f"{what}: durable-rules {durable[0]:,.0f} (median {durable[1]:,.0f}), plain "
          f"{plain[0]:,.0f} (median {plain[1]:,.0f}), ratio plain/durable "
          f"{plain[0] / durable[0]:.2f}")


def main(quick: bool = False) -> None:
    from assess.facts import case_facts

    lib, pack = load()
    n = 1000 if quick else 10000
    cases = make_cases(n)
    prepared = []
    for case, as_of in cases:
        cf = case_facts(case, lib, pack, as_of)
        prepared.append((cf.facts, cf.params))
    show(f"rule evaluation, cases/s over {n:,} generated cases (best of {ROUNDS})",
         engine_throughput(prepared, "durable"), engine_throughput(prepared, "plain"))
    show(f"whole assessment (case facts + rules + result JSON), cases/s (best of {ROUNDS})",
         throughput(cases, "durable"), throughput(cases, "plain"))

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
