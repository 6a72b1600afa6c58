"""Benchmark of the rule tooling on the shipped pack: `rules check` and `rules test`.

Target: check + test under 1 s.  A script printing figures, not a timed test:

    python benchmarks/bench_rules.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from assess.assessment import load
    lib, pack = load()
    t_load = time.perf_counter() - t0
    print(f"load statutes + rules (cold): {t_load * 1000:8.1f} ms   "
          f"({len(pack.rules)} rules, {len(lib.provisions)} provisions)")

    from assess.coverage import coverage
    from assess.rulecheck import check_pack, check_conflicts, check_never_fires, solver_for
    from assess.ruletest import run_tests

    best = {}
    for _ in range(args.repeat):
        t = time.perf_counter()
        findings = check_pack(None)
        best["check_pack (all checks, reloads YAML)"] = min(
            best.get("check_pack (all checks, reloads YAML)", 1e9), time.perf_counter() - t)
        t = time.perf_counter()
        solver = solver_for(pack, lib)
        check_never_fires(pack, solver)
        check_conflicts(pack, solver)
        best["  of which never-fires + conflicts"] = min(
            best.get("  of which never-fires + conflicts", 1e9), time.perf_counter() - t)
        t = time.perf_counter()
        results = run_tests([ROOT / "tests" / "golden"], engine="plain")
        best["run_tests golden (plain)"] = min(best.get("run_tests golden (plain)", 1e9),
                                               time.perf_counter() - t)
        t = time.perf_counter()
        cov = coverage(results, lib=lib, pack=pack)
        best["coverage"] = min(best.get("coverage", 1e9), time.perf_counter() - t)
    for k, v in best.items():
        print(f"{k:<40} {v * 1000:8.1f} ms")
    total = best["check_pack (all checks, reloads YAML)"] + best["run_tests golden (plain)"] + \
        best["coverage"]
    print(f"{'check + test + coverage':<40} {total * 1000:8.1f} ms   "
          f"({'under' if total < 1 else 'OVER'} the 1 s target)")
    print(f"findings: {len(findings)} ({sum(f.severity == 'error' for f in findings)} errors); "
          f"tests: {len(results)} ({sum(not r.passed for r in results)} failed); "
          f"rule coverage {cov.rule_percent:.1f}%")


if __name__ == "__main__":
    main()
