"""Start the app with Uvicorn: loopback only unless the caller allows the network."""
from __future__ import annotations

import ipaddress
from pathlib import Path

from ..errors import AssessError
from .store import default_data_dir


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8000, data=None, *, allow_network: bool = False,
          say=print) -> None:
    """Serve the web app on host:port over the cases in `data` (default: the user's data
    directory).  A host other than loopback needs allow_network=True and gets a warning: the
    app has no login, so anyone who can reach the address can read and change the cases."""
    import uvicorn

    from .app import create_app

    if not is_loopback(host) and not allow_network:
        raise AssessError(f"{host} is not a loopback address; the app has no login",
                          field="--host", expected="127.0.0.1 or localhost",
                          hint="to serve other computers anyway, add --allow-network")
    if not 0 < port < 65536:
        raise AssessError(f"port {port} is out of range", field="--port", expected="1-65535")
    root = Path(data) if data is not None else default_data_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssessError(f"cannot create the data folder: {exc.strerror}", file=str(root),
                          field="--data") from None
    if not is_loopback(host):
        say("WARNING / 警告: the app has no login; anyone who can reach "
            f"{host}:{port} can read and change every case. / 本程序没有登录，"
            "任何能访问该地址的人都能查看和修改所有案件。")
    shown = f"[{host}]" if ":" in host else host
    say(f"assess: http://{shown}:{port}/   data: {root}")
    uvicorn.run(create_app(root), host=host, port=port, log_level="warning")
