"""The law firm's settings for the legal opinion: firm name, lawyers and the numbering scheme.

A small YAML file (see docs/documents.md, "Firm settings")::

    firm: 某某律师事务所
    lawyers:
      - name: 张某
        licence: "14401201010000000"
    opinion_number: "〔{year}〕某律意字第{n}号"

Where it is read from, first found wins: the ``--settings FILE`` option, the
``ASSESS_SETTINGS`` environment variable, ``./assess-settings.yaml`` in the working folder,
``$XDG_CONFIG_HOME/assess/settings.yaml`` (default ``~/.config/assess/settings.yaml``).  A file
named by the option or the variable must exist; the two default places are optional.  No file:
the opinion prints marked blanks for the firm, the lawyer and the number.

``opinion_number`` is filled with ``{year}`` (of the assessment date) and ``{n}`` (the
``--number`` option; without it a marked blank).  Nothing here is invented: a value that is not
given stays None and the template prints a marked blank.
"""
from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssessError

ENV = "ASSESS_SETTINGS"
LOCAL_NAME = "assess-settings.yaml"
KEYS = {"firm": "the law firm's name (text)",
        "lawyers": "a list of {name, licence}",
        "opinion_number": "the numbering scheme, e.g. \"〔{year}〕某律意字第{n}号\""}
LAWYER_KEYS = {"name": "the lawyer's name", "licence": "the lawyer's licence number (执业证号)"}
NUMBER_FIELDS = {"year", "n"}


@dataclass(frozen=True)
class Lawyer:
    name: str
    licence: str | None = None


@dataclass(frozen=True)
class Settings:
    """What the opinion needs from the firm; `file` is None when no settings file was found."""

    file: str | None = None
    firm: str | None = None
    lawyers: tuple[Lawyer, ...] = field(default_factory=tuple)
    opinion_number: str | None = None

    def number(self, year: int, n: str | None) -> tuple[str | None, bool]:
        """(the opinion number, whether it is complete).  None: no scheme.  Without `n` the
        {n} slot stays as the placeholder text ``{n}`` for the template to mark as a blank."""
        if not self.opinion_number:
            return None, False
        complete = n is not None or "{n}" not in self.opinion_number
        return self.opinion_number.replace("{year}", str(year)).replace(
            "{n}", str(n) if n is not None else "{n}"), complete


def default_places() -> list[Path]:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [Path.cwd() / LOCAL_NAME, config / "assess" / "settings.yaml"]


def find(explicit: str | Path | None = None) -> Path | None:
    """The settings file to use (see the module text), or None."""
    for given, what in ((explicit, "--settings"), (os.environ.get(ENV), ENV)):
        if given:
            path = Path(given)
            if not path.is_file():
                raise AssessError("settings file not found", file=str(path), field=what,
                                  hint=f"create it (see docs/documents.md, Firm settings) or "
                                       f"leave out {what}")
            return path
    for path in default_places():
        if path.is_file():
            return path
    return None


def _text(node, key: str, what: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise node.error(f"'{key}' must be text", key=key, field=what, expected=KEYS.get(key)
                         or LAWYER_KEYS.get(key), hint="put the value in quotes")
    value = str(value).strip()
    return value or None


def _check_number(node, value: str) -> None:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError as exc:
        raise node.error(f"opinion_number is not a valid pattern: {exc}", key="opinion_number",
                         field="opinion_number", expected=KEYS["opinion_number"]) from None
    bad = names - NUMBER_FIELDS
    if bad:
        raise node.error("opinion_number uses unknown placeholder(s): "
                         + ", ".join("{" + b + "}" for b in sorted(bad)),
                         key="opinion_number", field="opinion_number",
                         expected="only {year} and {n}",
                         hint="write other text without braces")


def load(path: str | Path) -> Settings:
    """Read and check one settings file; every problem names file, line and key."""
    from . import yamlio

    data = yamlio.load(path)
    if data is None:
        return Settings(file=str(path))
    if not isinstance(data, yamlio.Node):
        raise AssessError("settings must be a mapping of keys to values", file=str(path), line=1,
                          expected=", ".join(KEYS))
    yamlio.check_keys(data, KEYS, what="the settings")
    firm = _text(data, "firm", "firm")
    number = _text(data, "opinion_number", "opinion_number")
    if number:
        _check_number(data, number)
    lawyers = []
    raw = data.get("lawyers")
    if raw is not None:
        if isinstance(raw, (str, yamlio.Node)):       # one lawyer given without the list
            raw = yamlio.NodeList([raw])
            raw.file, raw.line = data.file, data.pos("lawyers")[1]
        if not isinstance(raw, yamlio.NodeList):
            raise data.error("'lawyers' must be a list", key="lawyers", field="lawyers",
                             expected=KEYS["lawyers"])
        for i, item in enumerate(raw):
            where = f"lawyers[{i + 1}]"
            if isinstance(item, str):
                lawyers.append(Lawyer(item.strip()))
                continue
            if not isinstance(item, yamlio.Node):
                raise raw.error(f"{where} must be a name or {{name, licence}}", index=i,
                                field=where, expected=KEYS["lawyers"])
            yamlio.check_keys(item, LAWYER_KEYS, {"name"}, what=where)
            name = _text(item, "name", f"{where}.name")
            if not name:
                raise item.error(f"{where}.name is empty", key="name", field=f"{where}.name")
            lawyers.append(Lawyer(name, _text(item, "licence", f"{where}.licence")))
    return Settings(file=str(path), firm=firm, lawyers=tuple(lawyers), opinion_number=number)


def resolve(explicit: str | Path | None = None) -> Settings:
    """The settings in effect: the file found by `find`, or empty settings (marked blanks)."""
    path = find(explicit)
    return load(path) if path else Settings()
