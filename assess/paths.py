"""Where the rule pack, statutes, templates and examples are.

Order: an explicit directory (``--rules-dir``), then the ``ASSESS_HOME`` environment variable
(a folder holding rules/ statutes/ templates/), then the checkout this package sits in, then the
copy shipped inside the wheel (assess/_data).

`cache_dir()` is where things worth keeping between runs go (resolved places, the font cut,
compiled templates): ~/.cache/assess, XDG_CACHE_HOME respected.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
SHIPPED = PACKAGE / "_data"


def home(explicit: str | Path | None = None) -> Path:
    """The folder that holds rules/, statutes/ and templates/."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("ASSESS_HOME")
    if env:
        return Path(env)
    if (CHECKOUT / "rules").is_dir() and (CHECKOUT / "statutes").is_dir():
        return CHECKOUT
    return SHIPPED


def rules_dir(base: str | Path | None = None) -> Path:
    return home(base) / "rules"


def statutes_dir(base: str | Path | None = None) -> Path:
    return home(base) / "statutes"


def templates_dir(base: str | Path | None = None) -> Path:
    return home(base) / "templates"


def examples_dir(base: str | Path | None = None) -> Path:
    return home(base) / "examples"


def cache_dir() -> Path:
    """~/.cache/assess (or $XDG_CACHE_HOME/assess); it may not exist yet or not be writable."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assess"
