"""CLI commands for documents (registered on the main app by assess/cli.py).

    assess opinion CASE -o opinion.pdf [--format pdf|html|docx] [--lang zh|en] [--as-of DATE]
                                       [--strict] [--rules-dir DIR]
                                       [--settings FILE] [--number N]
      (also writes opinion.verification.json: the file digests and sources)
    assess report  CASE -o report.pdf  …
    assess appeal  CASE -o appeal.pdf  …

    (-o F.docx: an editable Word document with the same content; see docs/documents.md)

Only typer is imported here; jinja2, weasyprint and python-docx are imported when a command runs.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class DocFormat(str, Enum):
    pdf = "pdf"
    html = "html"
    docx = "docx"


class DocLang(str, Enum):
    zh = "zh"
    en = "en"


HELP = {
    "opinion": "Write the lawyer's legal opinion (法律意见书) for a case file.",
    "report": "Write the merchant's police-report draft (报案材料) for a case file.",
    "appeal": "Write the merchant's appeal to the platform (申诉书) for a case file.",
}


# The options every document command takes (typer reads these defaults when a command is
# registered, so one object serves all three commands).
CASE = typer.Argument(..., help="Case file (YAML or JSON).")
OUT = typer.Option(..., "-o", "--output", help="Output file (.pdf, .html or .docx).")
FORMAT = typer.Option(None, "--format",
                      help="pdf, html or docx (default: from the -o suffix, else pdf).")
LANG = typer.Option(DocLang.zh, "--lang", help="zh (default) or en.")
AS_OF = typer.Option(None, "--as-of", help="Decision date (default today).")
STRICT = typer.Option(False, "--strict",
                      help="Fail (exit 2) if the document needs facts the case file does not give.")
RULES_DIR = typer.Option(None, "--rules-dir", envvar="ASSESS_HOME",
                         help="Folder holding rules/, statutes/ and templates/.")
FORCE = typer.Option(False, "--force", help="Overwrite an existing output file.")
EVIDENCE_ROOT = typer.Option(None, "--evidence-root",
                             help="Folder evidence files may be read from (default: the case "
                                  "file's).")


def _may_overwrite(paths, force: bool) -> bool:
    """--force, or (at a terminal) the user's yes to overwriting the existing output files."""
    import sys

    def is_plain_file(p) -> bool:
        try:
            return p.is_file() and not p.is_symlink()
        except OSError:                       # e.g. a name too long: write_document says so
            return False

    existing = [p for p in paths if is_plain_file(p)]
    if force or not existing or not sys.stdin.isatty():
        return force
    names = ", ".join(str(p) for p in existing)
    return typer.confirm(f"{names} exists / 文件已存在. Overwrite / 覆盖?", default=False)


def _command(kind: str, handled):
    def command(case: Path = CASE, out: Path = OUT, fmt: Optional[DocFormat] = FORMAT,
                lang: DocLang = LANG, as_of: Optional[str] = AS_OF, strict: bool = STRICT,
                rules_dir: Optional[Path] = RULES_DIR, force: bool = FORCE,
                evidence_root: Optional[Path] = EVIDENCE_ROOT):
        from .cli import parse_as_of
        from .documents import write_document

        force = _may_overwrite([out], force)
        missing = write_document(kind, case, out, as_of=parse_as_of(as_of), lang=lang.value,
                                 fmt=fmt.value if fmt else None, strict=strict, base=rules_dir,
                                 force=force, evidence_root=evidence_root)
        if missing:
            typer.echo(f"warning: {len(missing)} fact(s) missing, printed as marked blanks: "
                       + "; ".join(missing), err=True)
        typer.echo(str(out))

    command.__name__ = kind
    command.__doc__ = (f"{HELP[kind]}\n\n    Calls assess.documents.write_document.  Example:\n\n"
                       f"        assess {kind} examples/criminal-guangdong.yaml --as-of 2026-01-15 "
                       f"-o {kind}.pdf\n")
    return handled(command)


def _opinion_command(handled):
    """`assess opinion`: the document options plus the firm's settings and number; writes the
    verification sheet next to the opinion."""
    def opinion(case: Path = CASE, out: Path = OUT, fmt: Optional[DocFormat] = FORMAT,
                lang: DocLang = LANG, as_of: Optional[str] = AS_OF, strict: bool = STRICT,
                rules_dir: Optional[Path] = RULES_DIR, force: bool = FORCE,
                evidence_root: Optional[Path] = EVIDENCE_ROOT,
                settings: Optional[Path] = typer.Option(
                    None, "--settings", envvar="ASSESS_SETTINGS",
                    help="Firm settings (firm, lawyers, opinion_number); default "
                         "./assess-settings.yaml, then ~/.config/assess/settings.yaml."),
                number: Optional[str] = typer.Option(
                    None, "--number", help="Fills {n} of the settings' opinion_number.")):
        from .cli import parse_as_of
        from .documents import verification_path, write_document

        force = _may_overwrite([out, verification_path(out)], force)
        missing = write_document("opinion", case, out, as_of=parse_as_of(as_of),
                                 lang=lang.value, fmt=fmt.value if fmt else None, strict=strict,
                                 base=rules_dir, settings=settings, number=number, force=force,
                                 evidence_root=evidence_root)
        if missing:
            typer.echo(f"warning: {len(missing)} fact(s) missing, printed as marked blanks: "
                       + "; ".join(missing), err=True)
        typer.echo(str(out))
        typer.echo(str(verification_path(out)))

    opinion.__doc__ = (f"{HELP['opinion']}\n\n    Calls assess.documents.write_document; also "
                       "writes OUT.verification.json (file digests, rule sources).  Example:\n\n"
                       "        assess opinion examples/criminal-guangdong.yaml --as-of 2026-01-15 "
                       "--settings firm.yaml --number 12 -o opinion.pdf\n")
    return handled(opinion)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `assess` app."""
    from .cli import handled          # lazy: assess.cli imports this module

    for kind in HELP:
        command = _opinion_command(handled) if kind == "opinion" else _command(kind, handled)
        app.command(name=kind)(command)
