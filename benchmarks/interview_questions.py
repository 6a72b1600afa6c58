"""Questions the interview asks for each golden case and example (a script, not a test).

    python benchmarks/interview_questions.py > /tmp/table.md

Each case is answered through `assess.interview.run_interview` with its own facts (as
tests/test_interview.py does); the table lists the number of questions asked and whether the
saved case file gives the same conclusions as `assess evaluate` on the complete case.
"""
from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_interview import ALL, run_with  # noqa: E402

from assess.assessment import evaluate_case, evaluate_file  # noqa: E402
from assess.case import parse_case  # noqa: E402
from assess.interview import conclusions, interview_stats  # noqa: E402


def main() -> None:
    print("| case (golden file: name) | questions asked | same conclusions as `evaluate` |")
    print("|---|---|---|")
    counts = []
    for name, data, as_of in ALL:
        full = parse_case(copy.deepcopy(data), as_of=as_of)
        want = evaluate_case(full, as_of=as_of, explain=False)
        with tempfile.TemporaryDirectory() as tmp:
            path, _ = run_with(Path(tmp), full.data, as_of)
            got = evaluate_file(path, as_of=as_of)
            asked = len(interview_stats(path)["asked"])
        same = conclusions(got) == conclusions(want)
        counts.append(asked)
        print(f"| {name} | {asked} | {'yes' if same else '**no**'} |")
    print(f"\n{len(counts)} cases; questions asked: min {min(counts)}, "
          f"median {sorted(counts)[len(counts) // 2]}, max {max(counts)}")


if __name__ == "__main__":
    main()
