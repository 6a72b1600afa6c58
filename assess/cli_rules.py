"""CLI commands for rules (registered on the main app by assess/cli.py): `assess rules ...`.

Each command calls one public library function:
  check       -> assess.rulecheck.check_pack
  test        -> assess.ruletest.run_tests + assess.coverage.coverage
  boundaries  -> assess.boundaries.generate_boundaries
  doc         -> assess.rulebook.build_rulebook
  diff        -> assess.rulediff.diff_packs
  init        -> assess.rulediff.init_pack
Errors a user can make end with one message and exit code 2.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

rules_app = typer.Typer(no_args_is_help=True,
                        help="Tools for trainers who write rules: check, test, coverage, "
                             "boundary tests, rulebook, diff, init.")

DIR = typer.Option(None, "--rules-dir", "--dir", envvar="ASSESS_HOME",
                   help="Pack folder holding rules/, statutes/ and templates/ "
                        "(default: the shipped pack).")


def _handled(func):
    """AssessError -> its message on stderr and exit code 2, no traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .errors import AssessError
        try:
            return func(*args, **kwargs)
        except AssessError as exc:
            typer.echo(exc.format(), err=True)
            raise typer.Exit(2)
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130)
    return wrapper


def dump_json(data) -> None:
    import json
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@rules_app.command("check")
@_handled
def check_cmd(pack_dir: Optional[Path] = DIR,
              fmt: str = typer.Option("text", "--format", help="text or json")):
    """Check statutes/, rules/, rules/questions.yaml and templates/ (assess.rulecheck.check_pack).

    Each finding is `file:line:col: error|warning|note: message` with a hint and the article.
    Exit code 1 when there is an error, 0 otherwise.

        assess rules check --rules-dir ~/my-pack
    """
    from .rulecheck import check_pack

    findings = check_pack(pack_dir)
    if fmt == "json":
        dump_json([vars(f) for f in findings])
    else:
        for f in findings:
            typer.echo(f.format())
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@rules_app.command("test")
@_handled
def test_cmd(paths: Optional[List[Path]] = typer.Argument(
                 None, help="Test files or folders (default: tests/ of the pack folder, "
                            "else the shipped tests/golden/)."),
             pack_dir: Optional[Path] = DIR,
             engine: str = typer.Option("plain", "--engine", help="plain (default) or durable"),
             fail_under: Optional[float] = typer.Option(
                 None, "--fail-under",
                 help="Exit 1 when the share of rules that fired is below this percent."),
             show_coverage: bool = typer.Option(True, "--coverage/--no-coverage"),
             fmt: str = typer.Option("text", "--format", help="text or json")):
    """Run YAML test cases, show failures field by field, report coverage.

    Calls assess.ruletest.run_tests and assess.coverage.coverage.

        assess rules test --rules-dir ~/my-pack tests/golden/guangdong.yaml --fail-under 90
    """
    from .coverage import coverage
    from .ruletest import default_test_paths, format_failure, run_tests

    results = run_tests(list(paths) if paths else default_test_paths(pack_dir), base=pack_dir,
                        engine=engine)
    failed = [r for r in results if not r.passed]
    cov = coverage(results, base=pack_dir) if show_coverage or fail_under is not None else None
    if fmt == "json":
        dump_json({"tests": len(results), "failed": [
            {"name": r.name, "file": r.file, "line": r.line, "differences": r.differences}
            for r in failed], "coverage": cov.to_dict() if cov else None})
    else:
        for r in failed:
            typer.echo(format_failure(r))
            typer.echo("")
        typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
        if cov and show_coverage:
            typer.echo("")
            typer.echo(cov.report())
    if failed:
        raise typer.Exit(1)
    if fail_under is not None and cov.rule_percent < fail_under:
        typer.echo(f"rule coverage {cov.rule_percent:.1f}% is under {fail_under:g}%", err=True)
        raise typer.Exit(1)


@rules_app.command("boundaries")
@_handled
def boundaries_cmd(pack_dir: Optional[Path] = DIR,
                   output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                         help="Write the tests here (YAML).")):
    """Generate tests at threshold−1, threshold, threshold+1 for every amount standard.

    Calls assess.boundaries.generate_boundaries.  Run them with `assess rules test FILE`.

        assess rules boundaries -o tests/boundaries.yaml
    """
    from .boundaries import generate_boundaries, to_yaml

    data = generate_boundaries(pack_dir)
    text = to_yaml(data)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(data['tests'])} tests written to {output}", err=True)
    else:
        typer.echo(text)


@rules_app.command("doc")
@_handled
def doc_cmd(output: Path = typer.Option(..., "-o", "--output",
                                        help="rulebook.html or rulebook.pdf"),
            pack_dir: Optional[Path] = DIR,
            lang: str = typer.Option("zh", "--lang", help="zh or en")):
    """Write the rulebook: each provision, the rules encoding it, the questions asking its facts.

    Calls assess.rulebook.build_rulebook.

        assess rules doc -o rulebook.pdf
    """
    from .rulebook import build_rulebook, load_words

    build_rulebook(output, base=pack_dir, lang=_lang(lang))
    typer.echo(load_words(pack_dir, lang)["rulebook"]["written"].format(file=output), err=True)


@rules_app.command("diff")
@_handled
def diff_cmd(old: Path = typer.Argument(..., help="The old pack folder."),
             new: Path = typer.Argument(..., help="The new pack folder."),
             cases: Optional[List[Path]] = typer.Option(
                 None, "--cases", help="Test files or folders and example cases to compare "
                                       "(default: the golden tests and examples/)."),
             as_of: Optional[str] = typer.Option(
                 None, "--as-of", help="Assess the example cases on this date (default: today, "
                                       "as `assess evaluate`); a test case keeps its own as_of."),
             lang: str = typer.Option("zh", "--lang", help="zh or en"),
             fmt: str = typer.Option("text", "--format", help="text or json")):
    """What changed between two packs (rules, facts, parameters, statute texts, amount
    standards, the pack digest), and which cases change their outcome.

    Calls assess.rulediff.diff_packs.

        assess rules diff /path/to/shipped ~/my-pack --cases ~/my-pack/examples
    """
    from .rulediff import diff_packs, format_diff

    report = diff_packs(old, new, cases=list(cases) if cases else None,
                        as_of=_as_of(as_of))
    if fmt == "json":
        dump_json(report)
    else:
        typer.echo(format_diff(report, lang=_lang(lang)))


@rules_app.command("init")
@_handled
def init_cmd(target: Path = typer.Argument(..., help="New folder for your copy of the pack."),
             pack_dir: Optional[Path] = typer.Option(None, "--from",
                                                     help="Pack to copy (default: shipped)."),
             lang: str = typer.Option("zh", "--lang", help="zh or en")):
    """Copy the shipped pack (rules/, statutes/, templates/, golden tests) into a folder.

    Calls assess.rulediff.init_pack.  Then use `--rules-dir FOLDER` (or ASSESS_HOME=FOLDER).

        assess rules init ~/my-pack
    """
    from .rulediff import init_pack, init_message

    copied = init_pack(target, source=pack_dir)
    typer.echo(init_message(copied, target, lang=_lang(lang)), err=True)


def _lang(value: str) -> str:
    from .errors import AssessError

    if value not in ("zh", "en"):
        raise AssessError(f"unknown language '{value}'", field="--lang", expected="zh or en")
    return value


def _as_of(value: Optional[str]):
    from .errors import AssessError

    if not value:
        return None
    from .dates import parse_date
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise AssessError(str(exc), field="--as-of", expected="a date such as 2026-07-01") from None
    if day is None:
        raise AssessError(f"not a date: '{value}'", field="--as-of",
                          expected="a date such as 2026-07-01")
    return day


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `assess` app."""
    app.add_typer(rules_app, name="rules")
