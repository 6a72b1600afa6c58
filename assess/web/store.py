"""The data folder: one folder per case (case.yaml, its interview state, the evidence files),
and the interview sessions the app keeps open between requests.

A case id is generated (date + random hex) and checked against a strict pattern before it names
a folder, so no request can reach outside the data folder.  Every request takes the case file's
lock (Session.lock, the same fcntl lock the terminal interview holds), reloads the case when
another program changed it, and releases the lock when it is done.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import threading
from collections import OrderedDict
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from ..interview import Session

CASE_FILE = "case.yaml"
EVIDENCE_DIR = "evidence"
CASE_ID = re.compile(r"^[0-9]{8}-[0-9a-f]{8}$")
KEEP_SESSIONS = 32


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/assess, else ~/.local/share/assess (the user's data directory)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "assess"


class UnknownCase(LookupError):
    """No case with this id (or an id that is not one)."""


def _stamp(path: Path) -> tuple:
    out = []
    for p in (path, path.with_name(path.name + ".interview.json")):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


class Cases:
    """The cases under one data folder and their open sessions."""

    def __init__(self, root, *, as_of: date | None = None, base=None):
        self.root = Path(root)
        self.as_of = as_of
        self.base = base
        self._sessions: OrderedDict = OrderedDict()
        self._stamps: dict = {}
        self._mutexes: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # ------------------------------------------------------------------ folders
    def folder(self, case_id: str) -> Path:
        if not isinstance(case_id, str) or not CASE_ID.match(case_id):
            raise UnknownCase(case_id)
        folder = self.root / case_id
        if folder.is_symlink() or not (folder / CASE_FILE).is_file():
            raise UnknownCase(case_id)
        return folder

    def case_path(self, case_id: str) -> Path:
        return self.folder(case_id) / CASE_FILE

    def new(self, lang: str) -> str:
        """A new case folder with an empty case file; its id."""
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            case_id = f"{datetime.now():%Y%m%d}-{secrets.token_hex(4)}"
            try:
                (self.root / case_id).mkdir()
                break
            except FileExistsError:
                continue
        session = self._session(self.root / case_id / CASE_FILE, lang)
        try:
            session.start(resume=False)
        finally:
            session.unlock()
        self._keep(case_id, lang, session)
        return case_id

    def listing(self) -> list[dict]:
        """The cases, newest first: id, title, answers so far, finished."""
        out = []
        if not self.root.is_dir():
            return out
        for folder in sorted(self.root.iterdir(), reverse=True):
            if not CASE_ID.match(folder.name) or folder.is_symlink() \
                    or not (folder / CASE_FILE).is_file():
                continue
            meta = {}
            try:
                meta = json.loads((folder / (CASE_FILE + ".interview.json")).read_text("utf-8"))
            except (OSError, ValueError):
                pass
            title = None
            try:
                from ..yamlio import load
                data = load(folder / CASE_FILE)
                title = data.get("title") if isinstance(data, dict) else None
            except Exception:                      # an unreadable case is still listed
                pass
            out.append({"id": folder.name, "title": title if isinstance(title, str) else None,
                        "answered": len(meta.get("asked", [])) if isinstance(meta, dict) else 0,
                        "finished": bool(meta.get("finished")) if isinstance(meta, dict) else False})
        return out

    # ------------------------------------------------------------------ sessions
    def _session(self, path: Path, lang: str) -> Session:
        as_of = self.as_of
        if as_of is None:
            sidecar = path.with_name(path.name + ".interview.json")
            try:
                as_of = date.fromisoformat(json.loads(sidecar.read_text("utf-8"))["as_of"])
            except (OSError, ValueError, KeyError, TypeError):
                as_of = None
        return Session(path, lang=lang, as_of=as_of, base=self.base)

    def _keep(self, case_id: str, lang: str, session: Session) -> None:
        key = (case_id, lang)
        self._sessions[key] = session
        self._sessions.move_to_end(key)
        self._stamps[key] = _stamp(session.path)
        while len(self._sessions) > KEEP_SESSIONS:
            old, _ = self._sessions.popitem(last=False)
            self._stamps.pop(old, None)

    def mutex(self, case_id: str) -> threading.Lock:
        with self._guard:
            return self._mutexes.setdefault(case_id, threading.Lock())

    @contextmanager
    def open(self, case_id: str, lang: str):
        """The case's session, locked (fcntl, shared with the terminal) for one request; it is
        reloaded from the files when another program changed them."""
        path = self.case_path(case_id)
        with self.mutex(case_id):
            key = (case_id, lang)
            session = self._sessions.get(key)
            if session is None or self._stamps.get(key) != _stamp(path):
                fresh = self._session(path, lang)
                if session is not None and session.as_of == fresh.as_of:
                    fresh._cache = session._cache          # evaluations of the same data
                session = fresh
                try:
                    session.start(resume=True)             # takes the lock
                except BaseException:
                    session.unlock()
                    self._sessions.pop(key, None)
                    raise
            else:
                session.lock()
            try:
                yield session
            finally:
                session.unlock()
                self._keep(case_id, lang, session)

    def evidence_dir(self, case_id: str) -> Path:
        folder = self.folder(case_id) / EVIDENCE_DIR
        if folder.is_symlink():
            raise UnknownCase(case_id)
        folder.mkdir(exist_ok=True)
        return folder
