"""Server time of the web app's pages (a script, not a test).

    python benchmarks/bench_web.py [CASE] [--as-of 2025-11-28] [--repeat 5]

Answers CASE (default: the real case, examples/crabs-guangzhou-zengcheng.yaml) through the app
in this process (fastapi TestClient: the whole ASGI app, no network), and measures:
  - a question page shown again (GET, the state already computed): target < 100 ms;
  - an answer and the next question (POST + redirect + GET: saving, relevance of every open
    question for the new state) — the time a merchant waits after "下一题";
  - the summary (GET: the assessment, the details the documents need): target < 0.5 s;
  - each document as a download, against `assess report|appeal|opinion` in a separate process
    (cold, imports included) and render() in this process (warm): target "as fast as the CLI".
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))         # the test helpers answer the questions


def ms(xs) -> str:
    return f"median {statistics.median(xs) * 1000:7.1f} ms   max {max(xs) * 1000:7.1f} ms   " \
           f"(n={len(xs)})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("case", nargs="?", type=Path,
                    default=ROOT / "examples" / "crabs-guangzhou-zengcheng.yaml")
    ap.add_argument("--as-of", default="2025-11-28")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from assess.documents import render
    from assess.web.app import create_app
    from assess.yamlio import load
    from test_interview import answers_for
    from web_driver import CONFIRM, SLOT, answer_for, new_case, token

    as_of = date.fromisoformat(args.as_of)
    answers = answers_for(load(args.case))
    answers["incident.handled"] = ["no"]           # before the police dealt with it
    with tempfile.TemporaryDirectory() as tmp:
        client = TestClient(create_app(Path(tmp), as_of=as_of))
        case_id, r = new_case(client)
        shown, answered = [], []
        while SLOT.search(r.text):
            url = f"/c/{case_id}/q"
            for _ in range(args.repeat):
                t = time.perf_counter()
                again = client.get(url)
                shown.append(time.perf_counter() - t)
                assert again.status_code == 200
            key = SLOT.search(r.text).group(1)
            data = {"csrf_token": token(r.text), "slot": key,
                    "answer": answer_for(answers, key), "action": "answer"}
            t = time.perf_counter()
            r = client.post(url, data=data)
            if CONFIRM.search(r.text):
                data["confirm"] = CONFIRM.search(r.text).group(1)
                r = client.post(url, data=data)
            answered.append(time.perf_counter() - t)
        print(f"case: {args.case.name}, as of {as_of}, {len(answered)} questions")
        print(f"question page shown again (GET)        {ms(shown)}   target < 100 ms")
        print(f"answer + next question (POST, GET)     {ms(answered)}")
        summary = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            assert client.get(f"/c/{case_id}/summary").status_code == 200
            summary.append(time.perf_counter() - t)
        print(f"summary (GET)                          {ms(summary)}   target < 500 ms")
        case_path = Path(tmp) / case_id / "case.yaml"
        for kind in ("report", "appeal", "opinion"):
            web, warm = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                got = client.get(f"/c/{case_id}/documents/{kind}.pdf")
                web.append(time.perf_counter() - t)
                assert got.content.startswith(b"%PDF")
                t = time.perf_counter()
                render(kind, case_path, as_of=as_of)
                warm.append(time.perf_counter() - t)
            out = Path(tmp) / f"{kind}.pdf"
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "assess.cli", kind, str(case_path),
                                   "--as-of", args.as_of, "-o", str(out), "--force"],
                                  cwd=ROOT, capture_output=True, text=True)
            cold = time.perf_counter() - t
            status = "" if done.returncode == 0 else f"  (CLI failed: {done.stderr.strip()})"
            print(f"{kind:<8} download {ms(web)};  render() in process median "
                  f"{statistics.median(warm) * 1000:.0f} ms;  CLI (cold) {cold * 1000:.0f} ms"
                  f"{status}")


if __name__ == "__main__":
    main()
