"""CLI command `assess serve` (registered on the main app by assess/cli.py).

    assess serve [--host 127.0.0.1] [--port 8000] [--data DIR] [--allow-network]

A thin shell over assess.web.serve; FastAPI and Uvicorn are imported when the command runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def serve(host: str = typer.Option("127.0.0.1", "--host",
                                   help="Address to listen on (default: loopback only)."),
          port: int = typer.Option(8000, "--port", help="Port (default 8000)."),
          data: Optional[Path] = typer.Option(
              None, "--data", help="Folder holding one folder per case (default: the user's "
                                   "data directory, $XDG_DATA_HOME/assess)."),
          allow_network: bool = typer.Option(
              False, "--allow-network",
              help="Allow a non-loopback --host (the app has no login).")):
    """Start the merchants' web app and print its address.

    Calls assess.web.serve.  Example:

        assess serve --port 8000 --data ~/cases
    """
    from .web import serve as run

    run(host, port, data, allow_network=allow_network, say=typer.echo)


def register(app: typer.Typer) -> None:
    """Add this module's command to the `assess` app."""
    from .cli import handled          # lazy: assess.cli imports this module

    app.command(name="serve")(handled(serve))
