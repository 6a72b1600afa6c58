"""Word (.docx) render time and size of each document (a script, not a test).

    python benchmarks/bench_docx.py [CASE ...] [--as-of 2026-01-15] [--repeat 5]

For each case and document, in this process: the time of the whole render to .docx
(assessment + HTML + conversion, `assess.documents.render(fmt="docx")`), and the conversion
alone (`assess.word.html_to_docx` on the rendered HTML), minimum and maximum of the repeats
after one warm-up run, and the CPU time of the fastest whole render (less dependent on other
jobs sharing the machine than the wall-clock times); the size.  Target: under 0.5 s per
document in-process.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", type=Path,
                    default=[ROOT / "examples" / "criminal-guangdong.yaml",
                             ROOT / "examples" / "unknown-intent-hubei.yaml"])
    ap.add_argument("--as-of", default="2026-01-15")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()

    from assess import paths
    from assess.documents import KINDS, render
    from assess.word import html_to_docx

    as_of = date.fromisoformat(args.as_of)
    templates = paths.templates_dir()
    print(f"{'case':<34} {'document':<8} {'render min':>10} {'max':>7} {'cpu':>7} "
          f"{'convert min':>11} {'max':>7} {'size':>10}")
    for case in args.cases:
        for kind in KINDS:
            render(kind, case, as_of=as_of, lang=args.lang, fmt="docx")      # warm-up
            whole, cpu, convert = [], [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                doc = render(kind, case, as_of=as_of, lang=args.lang, fmt="docx")
                whole.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            html = render(kind, case, as_of=as_of, lang=args.lang, fmt="html")
            page = html.context["t"]["page"]
            for _ in range(args.repeat):
                t = time.perf_counter()
                html_to_docx(html.content, base=templates,
                             page_words=(page["before"], page["middle"], page["after"]))
                convert.append(time.perf_counter() - t)
            print(f"{case.name:<34} {kind:<8} {min(whole):>9.3f}s {max(whole):>6.3f}s "
                  f"{cpu[whole.index(min(whole))]:>6.3f}s "
                  f"{min(convert):>10.3f}s {max(convert):>6.3f}s {len(doc.content):>8,} B")


if __name__ == "__main__":
    main()
