"""CLI command `assess interview` (registered on the main app by assess/cli.py).

    assess interview [CASE] [--lang zh|en] [--resume] [--answers FILE] [--as-of DATE]

A thin shell over assess.interview.run_interview; everything heavy is imported inside the command.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `assess` app."""

    @app.command()
    def interview(case: Optional[Path] = typer.Argument(
                      None, help="Case file to write (default: case-YYYYMMDD-HHMMSS.yaml here)."),
                  lang: str = typer.Option("zh", "--lang", help="zh (default) or en."),
                  resume: bool = typer.Option(False, "--resume",
                                              help="Continue an interview saved in CASE."),
                  answers: Optional[Path] = typer.Option(
                      None, "--answers",
                      help="YAML file: question id -> answer, or a list of answer lines."),
                  as_of: Optional[str] = typer.Option(None, "--as-of",
                                                      help="Decision date (default today)."),
                  rules_dir: Optional[Path] = typer.Option(
                      None, "--rules-dir", envvar="ASSESS_HOME",
                      help="Folder holding rules/, statutes/ and templates/.")):
        """Questionnaire for lawyers: asks only what can still change the conclusions.

        Calls assess.interview.run_interview.  At every question: ? / why (为什么), back
        (返回), review (查看), unknown (不确定), save (保存), quit (退出).  Without a terminal
        (piped stdin) one line is read per question.  Example:

            assess interview case.yaml --as-of 2026-01-15
        """
        import sys

        from .errors import AssessError

        try:
            from datetime import datetime

            from .cli import parse_as_of
            from .interview import run_interview

            if lang not in ("zh", "en"):
                raise AssessError(f"unknown language '{lang}'", field="--lang",
                                  expected="zh or en")
            day = parse_as_of(as_of) if as_of else None
            if case is None:
                case = Path(datetime.now().strftime("case-%Y%m%d-%H%M%S.yaml"))
                typer.echo(f"→ {case}")
            run_interview(case, lang=lang, resume=resume, answers=answers, as_of=day,
                          base=rules_dir)
        except AssessError as exc:
            typer.echo(exc.format(lang), err=True)
            raise typer.Exit(2)
        except KeyboardInterrupt:
            sys.stdout.flush()
            raise typer.Exit(130)
