"""CLI command for screening a refund history (registered on the main app by assess/cli.py).

    assess screen HISTORY [-o OUT] [--as-of D] [--format csv|parquet|jsonl] [--map col=表头 ...]

Only typer is imported here; Polars is imported when the command runs.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer


class ScreenFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


class ScreenLang(str, Enum):
    zh = "zh"
    en = "en"


class ScreenEngine(str, Enum):
    polars = "polars"
    dask = "dask"


def screen(history: Path = typer.Argument(..., metavar="HISTORY",
                                          help="Refund-claim export: CSV, JSONL or Parquet."),
           out: Optional[Path] = typer.Option(None, "-o", "--out", metavar="OUT",
                                              help="Output folder (default: HISTORY-screening/ "
                                                   "beside the export)."),
           as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                               help="Decision date (default: today)."),
           fmt: ScreenFormat = typer.Option(ScreenFormat.csv, "--format",
                                            help="Format of buyers and bad_rows."),
           mapping: Optional[List[str]] = typer.Option(
               None, "--map", metavar="COLUMN=HEADER",
               help="Name the export's own header for a column, e.g. claim_date=申请时间 "
                    "(repeatable)."),
           engine: ScreenEngine = typer.Option(ScreenEngine.polars, "--engine",
                                               help="polars (one machine) or dask."),
           no_cases: bool = typer.Option(False, "--no-cases",
                                         help="Do not write case files."),
           exact: bool = typer.Option(False, "--exact",
                                      help="Route every flagged buyer with a conditional track "
                                           "to the single-case evaluator (assess evaluate, "
                                           "reasoning by cases; about 0.3-1 s a buyer)."),
           lang: ScreenLang = typer.Option(ScreenLang.zh, "--lang", help="zh (default) or en.")):
    """Screen a refund history: one row per buyer (tracks, band, amount, claims, dates, reason)
    and one case file per flagged buyer, for `assess report` / `assess opinion`.

    Calls assess.screen.screen_history.  Example:

        assess screen 退款记录.csv -o out --as-of 2026-12-01 --map buyer_id=买家昵称 --map claim_date=申请时间
    """
    from .cli import parse_as_of
    from .screen import screen_history
    from .screen.read import parse_mapping
    from .screen.run import strings

    day = parse_as_of(as_of) if as_of else None
    words = strings()["progress"]
    progress = None
    bar = None
    if sys.stderr.isatty():
        from rich.progress import Progress
        bar = Progress(transient=True)
        bar.start()
        ids: dict = {}

        def progress(stage, done, total):
            if stage not in ids:
                ids[stage] = bar.add_task(words[stage][lang.value], total=total)
            bar.update(ids[stage], completed=done, total=total)
    try:
        summary = screen_history(history, out, as_of=day, fmt=fmt.value,
                                 mapping=parse_mapping(mapping), lang=lang.value,
                                 engine=engine.value, cases=not no_cases, exact=exact,
                                 progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    typer.echo(summary["message"])


def register(app: typer.Typer) -> None:
    """Add this module's command to the `assess` app."""
    from .cli import handled          # lazy: assess.cli imports this module

    app.command(name="screen")(handled(screen))
