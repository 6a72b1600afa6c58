"""Figures for the documents: a buyer photo beside the listing photo it was made from, with the
changed regions outlined in both.  Drawn with Pillow from the files themselves and embedded as
data: URIs, so a document fetches nothing.

The files are read through `files.load` (read-only, size and decompression-bomb limits).  Each
figure is a small JPEG: both photos scaled to `HEIGHT` pixels (the pair at most `MAX_WIDTH`
wide), and the JPEG quality lowered until it is at most `MAX_BYTES`.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import files

HEIGHT = 420            # pixels of each photo in the figure
MAX_WIDTH = 1200        # pixels of the pair, side by side
GAP = 16                # white pixels between the two photos
MAX_BYTES = 160_000     # the largest JPEG embedded per figure
OUTLINE = (220, 0, 0)   # the changed regions, in both photos


def _open(path: Path, name: str) -> tuple[Image.Image, tuple[int, int]] | None:
    item = files.load(path, name, draft_side=2 * HEIGHT)
    if item.image is None:
        return None
    return item.image.convert("RGB"), (item.width, item.height)


def side_by_side(photo: Path, listing: Path, boxes: list[list[int]],
                 listing_to_photo: list[list[float]] | None = None) -> bytes | None:
    """JPEG bytes of the pair with `boxes` ([x, y, w, h] in the buyer photo's original pixels)
    outlined in the buyer photo and, through the inverse of `listing_to_photo`, in the listing
    photo.  None when a file cannot be decoded."""
    a, b = _open(Path(photo), str(photo)), _open(Path(listing), str(listing))
    if a is None or b is None:
        return None
    (img_a, size_a), (img_b, size_b) = a, b
    wa, wb = round(size_a[0] * HEIGHT / size_a[1]), round(size_b[0] * HEIGHT / size_b[1])
    shrink = min(1.0, (MAX_WIDTH - GAP) / (wa + wb))
    h = round(HEIGHT * shrink)
    wa, wb = max(1, round(wa * shrink)), max(1, round(wb * shrink))
    sa, sb = wa / size_a[0], wb / size_b[0]          # figure pixels per original pixel
    left = img_a.resize((wa, h), Image.LANCZOS)
    right = img_b.resize((wb, h), Image.LANCZOS)
    canvas = Image.new("RGB", (wa + GAP + wb, h), (255, 255, 255))
    canvas.paste(left, (0, 0))
    canvas.paste(right, (wa + GAP, 0))
    draw = ImageDraw.Draw(canvas)
    width = max(2, h // 140)
    inverse = np.linalg.inv(np.array(listing_to_photo, float)) if listing_to_photo else None
    for x, y, w, bh in boxes:
        pad = 4 / sa                                   # outline just outside the region
        draw.rectangle([(x - pad) * sa, (y - pad) * sa, (x + w + pad) * sa, (y + bh + pad) * sa],
                       outline=OUTLINE, width=width)
        if inverse is not None:
            corners = np.array([[x, y, 1], [x + w, y, 1], [x + w, y + bh, 1], [x, y + bh, 1]],
                               float) @ inverse.T
            pts = [(wa + GAP + px / pw * sb, py / pw * sb) for px, py, pw in corners]
            draw.polygon(pts, outline=OUTLINE, width=width)
    return _jpeg(canvas)


def _jpeg(img: Image.Image) -> bytes:
    for quality in (82, 72, 62, 52, 42):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True)
        if buf.tell() <= MAX_BYTES:
            return buf.getvalue()
    img = img.resize((img.width // 2, img.height // 2), Image.LANCZOS)
    return _jpeg(img)


def data_uri(jpeg: bytes) -> str:
    """The JPEG as a data: URI for an <img src>."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
