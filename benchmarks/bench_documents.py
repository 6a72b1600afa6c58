"""Render time and file size of each document (a script, not a test).

    python benchmarks/bench_documents.py [CASE ...] [--as-of 2026-01-15] [--repeat 3]

For each case and document: the cold time of a separate process running the CLI (imports
included), then the warm render times in this process (assessment + HTML + PDF), and the size.
Targets: opinion < 1.5 s and < 400 KB.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def page_count(data: bytes):
    try:
        import io

        import pypdf
        return len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except ImportError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", type=Path,
                    default=[ROOT / "examples" / "criminal-guangdong.yaml",
                             ROOT / "examples" / "unknown-intent-hubei.yaml"])
    ap.add_argument("--as-of", default="2026-01-15")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()

    from assess.documents import KINDS, render
    from assess.fonts import harfbuzz_subset_available

    as_of = date.fromisoformat(args.as_of)
    print(f"harfbuzz-subset: {'yes' if harfbuzz_subset_available() else 'NO (slow)'}")
    print(f"{'case':<34} {'document':<8} {'cold CLI':>9} {'warm min':>9} {'warm max':>9} "
          f"{'pages':>5} {'size':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases:
            for kind in KINDS:
                out = Path(tmp) / f"{kind}.pdf"
                t = time.perf_counter()
                r = subprocess.run([sys.executable, "-m", "assess.cli", kind, str(case),
                                    "--as-of", args.as_of, "--lang", args.lang, "-o", str(out)],
                                   cwd=ROOT, capture_output=True, text=True)
                cold = time.perf_counter() - t
                if r.returncode != 0:
                    print(f"{case.name:<34} {kind:<8} failed: {r.stderr.strip()}")
                    continue
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    doc = render(kind, case, as_of=as_of, lang=args.lang, fmt="pdf")
                    times.append(time.perf_counter() - t)
                pages = page_count(doc.content)
                print(f"{case.name:<34} {kind:<8} {cold:>8.2f}s {min(times):>8.2f}s "
                      f"{max(times):>8.2f}s {pages:>5} {len(doc.content):>8,} B")


if __name__ == "__main__":
    main()
