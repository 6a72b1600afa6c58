"""CLI command for photo evidence (registered on the main app by assess/cli.py).

    assess evidence PHOTO... [--listing PHOTO...] [--case CASE] [--format text|json] [--lang zh|en]

Only typer is imported here; Pillow, OpenCV and c2pa are imported when the command runs.
"""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer


class EvFormat(str, Enum):
    text = "text"
    json = "json"


class EvLang(str, Enum):
    zh = "zh"
    en = "en"


def evidence(photos: Optional[List[Path]] = typer.Argument(None, metavar="PHOTO",
                                                            help="Buyer photos to analyse."),
             listing: Optional[List[Path]] = typer.Option(
                 None, "--listing", metavar="PHOTO", help="A merchant listing photo to compare with (repeatable)."),
             case: Optional[Path] = typer.Option(
                 None, "--case", metavar="CASE", help="Case file: also analyse the photo and evidence files it "
                                      "names (paths relative to the case file)."),
             write: bool = typer.Option(
                 False, "--write", help="With --case: put the evidence_analysis block (what the "
                                        "rules read) into the case file; other lines are kept."),
             fmt: EvFormat = typer.Option(EvFormat.text, "--format", help="text or json."),
             lang: EvLang = typer.Option(EvLang.zh, "--lang", help="zh (default) or en.")):
    """Analyse photo evidence: hashes, AI-content labels (GB 45438), C2PA, camera metadata, and
    comparison with the merchant's listing photos.  Indicators, never a verdict.

    Calls assess.evidence.analyse.analyse_files.  Example:

        assess evidence buyer.jpg --listing listing1.jpg --listing listing2.jpg --lang en
        assess evidence --case case.yaml --write
    """
    if not photos and case is None:
        from .errors import AssessError
        raise AssessError("no photo given", field="PHOTO",
                          expected="at least one photo file, or --case CASE")
    if write and case is None:
        from .errors import AssessError
        raise AssessError("--write needs --case", field="--write",
                          expected="--case CASE (the case file to write evidence_analysis into)")
    from .evidence.analyse import analyse_files
    from .evidence.render import case_snippet, render_text

    result = analyse_files(photos or (), listing or (), case=case, lang=lang.value)
    if fmt is EvFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(render_text(result))
    if case is not None:
        typer.echo("")
        typer.echo(case_snippet(result))
    if write:
        from .evidence.casefile import write_block
        from .evidence.findings import word

        path = write_block(case, result["evidence_analysis"])
        typer.echo(f"{word('written', lang.value)} {path}")


def register(app: typer.Typer) -> None:
    """Add this module's command to the `assess` app."""
    from .cli import handled          # lazy: assess.cli imports this module

    app.command(name="evidence")(handled(evidence))
