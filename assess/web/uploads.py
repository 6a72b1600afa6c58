"""Uploaded evidence files: limits on count and size, the type judged by the content (never by
the name or the browser's word), and a generated name in the case's evidence folder."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..evidence import files as evidence_files

MAX_BYTES = 20 * 1024 * 1024          # one file
MAX_FILES = 10                        # one upload
MAX_PER_CASE = 40                     # one case
# the types taken, by what the content is: Pillow's format, or the magic bytes of a video
SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "video/mp4": ".mp4"}


@dataclass
class Refused(Exception):
    key: str                          # a key of strings.yaml
    values: dict


def request_limit() -> int:
    """The largest request body an upload may have (the files and a little for the fields)."""
    return MAX_FILES * MAX_BYTES + 256 * 1024


def store(folder: Path, name: str, data: bytes) -> str:
    """Check one uploaded file's content and write it under a generated name in `folder`;
    returns the stored file's name.  `name` (the browser's) is used only in messages."""
    shown = (name or "?")[:80]
    if not data:
        raise Refused("upload_empty", {"name": shown})
    if len(data) > MAX_BYTES:
        raise Refused("upload_too_large", {"name": shown, "mb": MAX_BYTES // (1024 * 1024)})
    token = secrets.token_hex(12)
    tmp = folder / f".upload-{token}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        item = evidence_files.load(tmp)
        kind = item.format if item.error is None and item.format in SUFFIX else item.mime
        if kind not in SUFFIX or (item.error and kind != "video/mp4"):
            raise Refused("upload_bad_type", {"name": shown})
        final = folder / f"{token}{SUFFIX[kind]}"
        os.replace(tmp, final)
        return final.name
    finally:
        if tmp.exists():
            tmp.unlink()
