"""Open an evidence file safely: read-only, once, with limits; hash it as received.

Untrusted input: a file is read at most `MAX_BYTES`; images larger than `MAX_PIXELS` are refused
before they are decoded (decompression bombs); nothing here ever runs a shell command.
"""
from __future__ import annotations

import hashlib
import io
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

MAX_BYTES = 256 * 1024 * 1024        # larger files are refused unread
MAX_PIXELS = 64 * 1024 * 1024        # about 67 megapixels; a 12 MP photo is far below
TIME_LIMIT = 20.0                    # seconds per file (checked between the steps)

# Magic bytes of formats Pillow does not open but a case may still hold.
_MAGIC = (
    (4, b"ftyp", "video/mp4"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
)


@dataclass
class Loaded:
    """One file as received: its bytes, hash, real type and (for images) the decoded image."""
    path: Path
    name: str
    data: bytes = b""
    sha256: str | None = None
    size: int | None = None
    mime: str | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    image: Image.Image | None = None
    error: str | None = None            # why the file could not be read or decoded (detail)
    error_code: str | None = None       # its kind: a key of `reasons` in texts.yaml
    started: float = field(default_factory=time.monotonic)

    def time_left(self) -> float:
        return TIME_LIMIT - (time.monotonic() - self.started)

    def summary(self) -> dict:
        return {"file": self.name, "sha256": self.sha256, "size": self.size, "type": self.mime,
                "format": self.format, "width": self.width, "height": self.height,
                "error": self.error, "error_code": self.error_code}


def resolve(name: str | Path, base: str | Path | None = None) -> Path:
    """A path as written in a case file: relative paths resolve against the case file's folder."""
    path = Path(name).expanduser()
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return path


def sniff(data: bytes) -> str | None:
    """The type of a non-image file from its first bytes (None if unknown)."""
    for offset, magic, mime in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return mime
    return None


def load(path: str | Path, name: str | None = None, draft_side: int | None = None) -> Loaded:
    """Read the file (read-only), hash the bytes as received and decode the image if it is one.

    With `draft_side`, a JPEG is decoded at the smallest DCT scale that keeps at least that many
    pixels on its long side (the whole stream is still decoded, so damage is still found);
    `width`/`height` stay the original size.  Never raises for a bad file: `Loaded.error` says
    what went wrong.
    """
    path = Path(path)
    item = Loaded(path=path, name=name or str(path))
    try:
        with open(path, "rb") as fh:                      # read-only, never written
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return _fail(item, "not_found", "no such file")
    except OSError as exc:
        return _fail(item, "unreadable", str(exc.strerror or exc))
    if len(data) > MAX_BYTES:
        return _fail(item, "too_large", f"more than {MAX_BYTES // (1024 * 1024)} MB")
    item.data = data
    item.size = len(data)
    item.sha256 = hashlib.sha256(data).hexdigest()
    decode(item, draft_side)
    return item


def decode(item: Loaded, draft_side: int | None = None) -> None:
    """Find the real type by content and decode an image, refusing decompression bombs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(item.data))
            item.format = img.format
            item.mime = Image.MIME.get(img.format or "", None)
            item.width, item.height = img.size
            if img.size[0] * img.size[1] > MAX_PIXELS:
                _fail(item, "bomb", f"{img.size[0]}×{img.size[1]} pixels")
                return
            if draft_side and img.format == "JPEG" and max(img.size) > draft_side:
                k = draft_side / max(img.size)
                img.draft("RGB" if img.mode not in ("L", "RGB") else img.mode,
                          (int(img.size[0] * k), int(img.size[1] * k)))
            img.load()
            item.image = img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        _fail(item, "bomb", str(exc))
    except Image.UnidentifiedImageError:
        item.mime = sniff(item.data)
        if item.mime is None:
            _fail(item, "unknown_type", "")
    except (OSError, ValueError, SyntaxError) as exc:
        _fail(item, "undecodable", str(exc))
        item.image = None


def _fail(item: Loaded, code: str, detail: str) -> Loaded:
    item.error_code, item.error = code, detail or code
    return item
