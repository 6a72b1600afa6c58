"""The `assess` command: a thin shell over the library.

Each command calls one public function (named in its help) and prints the result.  Errors a
user can make end with one clear message on stderr and exit code 2, never a traceback.
Only typer is imported at start-up; everything else is imported inside the commands.
"""
from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Assess refund-only (仅退款) cases with AI-faked damage photos under PRC "
                       "law: civil, administrative and criminal tracks, explained.")
statutes_app = typer.Typer(no_args_is_help=True, help="Read the encoded statutes.")
app.add_typer(statutes_app, name="statutes")


class Fmt(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class EngineName(str, Enum):
    durable = "durable"
    plain = "plain"


RULES_DIR = typer.Option(None, "--rules-dir", envvar="ASSESS_HOME",
                         help="Folder holding rules/, statutes/ and templates/ "
                              "(default: the shipped pack).")


def fail(message: str, code: int = 2) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def handled(func):
    """Turn AssessError (and Ctrl-C) into a message and exit code 2.  Anything else is a bug in
    assess: one line naming it and exit code 70, the traceback only with ASSESS_DEBUG=1."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import os

        from .errors import AssessError
        try:
            return func(*args, **kwargs)
        except AssessError as exc:
            lang = kwargs.get("lang")
            fail(exc.format(getattr(lang, "value", lang) or "en"))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:                         # noqa: BLE001  (a bug, said as one)
            if os.environ.get("ASSESS_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc}\n"
                 "  this is a bug in assess, not in your input. "
                 "Run again with ASSESS_DEBUG=1 to see where it happened, and report it.", 70)
    return wrapper


def parse_as_of(value: Optional[str]):
    from datetime import date

    from .dates import parse_date
    from .errors import AssessError

    if not value:
        return date.today()
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise AssessError(str(exc), file="command line", field="--as-of",
                          expected="a date such as 2026-01-15") from None
    if day is None:
        raise AssessError("--as-of cannot be unknown", file="command line", field="--as-of",
                          expected="a date such as 2026-01-15")
    return day


def dump_json(data) -> None:
    import json
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
@handled
def evaluate(case: Path = typer.Argument(..., help="Case file (YAML or JSON)."),
             as_of: Optional[str] = typer.Option(None, "--as-of",
                                                 help="Decision date (default today)."),
             fmt: Fmt = typer.Option(Fmt.text, "--format", help="text for people, json for programs."),
             lang: Lang = typer.Option(Lang.zh, "--lang"),
             engine: EngineName = typer.Option(EngineName.durable, "--engine",
                                               help="durable (default) or plain (reference)."),
             rules_dir: Optional[Path] = RULES_DIR):
    """Assess a case file: tracks, band, penalties, deadlines, with the reasoning.

    Calls assess.assessment.evaluate_file.  Example:

        assess evaluate examples/criminal-guangdong.yaml --as-of 2026-01-15 --format json
    """
    from .assessment import evaluate_file

    result = evaluate_file(case, as_of=parse_as_of(as_of), engine=engine.value,
                           lang=lang.value, base=rules_dir)
    if fmt is Fmt.json:
        dump_json(result)
    else:
        from .explain import print_result
        print_result(result)


@app.command()
@handled
def schema():
    """Print the JSON Schema of the case file (calls assess.case.case_schema).

        assess schema > case.schema.json
    """
    from .case import case_schema
    dump_json(case_schema())


@statutes_app.command("list")
@handled
def statutes_list(on: Optional[str] = typer.Option(None, "--date",
                                                   help="Only provisions in force on this date."),
                  rules_dir: Optional[Path] = RULES_DIR):
    """List the encoded provisions (calls assess.statutes.statutes_list).

        assess statutes list --date 2026-01-01
    """
    from . import paths
    from .statutes import load_library, statutes_list as listing

    lib = load_library(paths.statutes_dir(rules_dir))
    day = parse_as_of(on) if on else None
    for row in listing(lib):
        versions = row.get("versions", [])
        if day and not any(_in_force(v, day) for v in versions):
            continue
        span = "; ".join(f"{v.get('effective_from') or '?'}–{v.get('effective_to') or ''} "
                         f"[{v.get('confidence')}]" for v in versions)
        typer.echo(f"{row['id']:<32} {row.get('law', '')} {row.get('article', '')}  {span}")


def _in_force(v: dict, day) -> bool:
    start, end = v.get("effective_from"), v.get("effective_to")
    return (not start or start <= day.isoformat()) and (not end or day.isoformat() <= end)


@statutes_app.command("show")
@handled
def statutes_show(pid: str = typer.Argument(..., help="Provision id, e.g. criminal-law/266."),
                  on: Optional[str] = typer.Option(None, "--date",
                                                   help="Show the version in force on this date."),
                  fmt: Fmt = typer.Option(Fmt.text, "--format"),
                  rules_dir: Optional[Path] = RULES_DIR):
    """Show a provision's text, source and confidence (calls assess.statutes.statute_show).

        assess statutes show psapl/58 --date 2026-03-01
    """
    from . import paths
    from .statutes import load_library, statute_show

    lib = load_library(paths.statutes_dir(rules_dir))
    data = statute_show(lib, pid, parse_as_of(on) if on else None)
    if fmt is Fmt.json:
        dump_json(data)
        return
    typer.echo(f"{data['id']}  {data.get('law', '')} {data.get('article', '')}")
    for v in data.get("versions", []):
        typer.echo(f"\n[{v.get('effective_from') or '?'} – {v.get('effective_to') or '…'}]  "
                   f"confidence: {v.get('confidence')}  edition: {v.get('edition') or '-'}")
        typer.echo(v.get("text", ""))
        src = v.get("source") or {}
        if src:
            typer.echo("source: " + ", ".join(str(x) for x in src.values() if x))
        if v.get("note"):
            typer.echo("note: " + v["note"])


from . import cli_documents, cli_evidence, cli_interview, cli_rules   # noqa: E402  (issues 3–5, 11)

for _module in (cli_documents, cli_interview, cli_rules, cli_evidence):
    _module.register(app)
from .cli_web import register as _web; _web(app)  # noqa: E402,E702  (issue 13: assess serve)
__import__("assess.cli_screen").cli_screen.register(app)               # issue 15: assess screen


def main() -> None:                                  # pragma: no cover
    app()


if __name__ == "__main__":                           # pragma: no cover
    sys.exit(app())
