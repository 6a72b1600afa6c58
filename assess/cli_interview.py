"""CLI commands for interview (registered on the main app by assess/cli.py)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `assess` app."""
