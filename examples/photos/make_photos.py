"""Draw the example photos of examples/photos/case-bowl-zhejiang.yaml (all fictitious).

    python3 examples/photos/make_photos.py

- listing-1.jpg  the shop's main listing photo: a patterned bowl on a wooden table, with a card;
- listing-2.jpg  a second listing photo (another view: the bowl from above), which the buyer
                 photo does not come from;
- buyer-photo.jpg  what the "buyer" uploaded: listing-1 cropped, scaled down, a crack and a chip
                 painted on the bowl, re-compressed, and carrying a GB 45438 implicit label
                 (XMP TC260:AIGC, Label=1) whose ContentProducer is a made-up value.

Everything is drawn from fixed seeds with Pillow, so running the script again gives the same
pictures.  The files are small (each well under 150 kB).
"""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
TC260 = "http://www.tc260.org.cn/ns/AIGC/1.0/"
LABEL = {"Label": "1", "ContentProducer": "EXAMPLE-AI-SERVICE-FICTITIOUS",
         "ProduceID": "EX-2026-000123", "ReservedCode1": "", "ContentPropagator": "",
         "PropagateID": "", "ReservedCode2": ""}


def table(w: int, h: int, rng: random.Random) -> Image.Image:
    """A wooden table top: grain lines over a warm gradient."""
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=(int(150 + 40 * t), int(100 + 30 * t), int(60 + 20 * t)))
    for _ in range(160):
        y0 = rng.uniform(0, h)
        amp, freq = rng.uniform(2, 9), rng.uniform(0.004, 0.02)
        shade = rng.randint(-45, 15)
        pts = [(x, y0 + amp * math.sin(x * freq + y0)) for x in range(0, w + 8, 8)]
        colour = (120 + shade, 78 + shade, 45 + shade)
        draw.line(pts, fill=colour, width=rng.randint(1, 3))
    return img.filter(ImageFilter.GaussianBlur(0.8))


def bowl(draw: ImageDraw.ImageDraw, cx: int, cy: int, rx: int, ry: int, rng: random.Random):
    """A celadon bowl seen from the side, with a blue pattern band and flowers."""
    draw.ellipse([cx - rx + 10, cy + ry * 2 - 18, cx + rx - 10, cy + ry * 2 + 22], fill=(70, 45, 25))
    draw.chord([cx - rx, cy - ry, cx + rx, cy + ry * 3], 0, 180, fill=(176, 206, 190),
               outline=(90, 120, 105), width=3)
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=(205, 228, 215),
                 outline=(90, 120, 105), width=3)
    draw.ellipse([cx - rx + 18, cy - ry + 10, cx + rx - 18, cy + ry - 10], fill=(226, 240, 232))
    band_y = cy + ry + 18
    for i in range(-rx + 30, rx - 30, 26):
        x = cx + i
        draw.ellipse([x - 9, band_y - 9, x + 9, band_y + 9], outline=(40, 70, 150), width=3)
        draw.line([(x - 13, band_y + 16), (x + 13, band_y + 16)], fill=(40, 70, 150), width=2)
    for _ in range(9):
        x = cx + rng.randint(-rx + 60, rx - 60)
        y = cy + ry + rng.randint(45, int(ry * 1.4))
        r = rng.randint(8, 14)
        for k in range(5):
            a = k * 2 * math.pi / 5
            draw.ellipse([x + r * math.cos(a) - 5, y + r * math.sin(a) - 5,
                          x + r * math.cos(a) + 5, y + r * math.sin(a) + 5], fill=(50, 85, 160))
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(230, 190, 60))


def card(draw: ImageDraw.ImageDraw, x: int, y: int):
    draw.rectangle([x, y, x + 190, y + 120], fill=(245, 242, 232), outline=(60, 60, 60), width=2)
    for i, line in enumerate(("CELADON BOWL", "No. QC-2026-18", "D 18 cm  H 8 cm", "HANDMADE",
                              "LOT 0415")):
        draw.text((x + 12, y + 10 + i * 21), line, fill=(30, 30, 30), font_size=15)


def listing_main() -> Image.Image:
    rng = random.Random(18)
    img = table(960, 720, rng)
    draw = ImageDraw.Draw(img)
    bowl(draw, 430, 270, 250, 70, rng)
    card(draw, 720, 540)
    draw.text((110, 70), "QINGCI STUDIO", fill=(250, 245, 230), font_size=30)
    return img


def listing_top() -> Image.Image:
    rng = random.Random(7)
    img = table(960, 720, rng)
    draw = ImageDraw.Draw(img)
    draw.ellipse([230, 110, 730, 610], fill=(205, 228, 215), outline=(90, 120, 105), width=4)
    draw.ellipse([300, 180, 660, 540], fill=(226, 240, 232))
    for k in range(24):
        a = k * 2 * math.pi / 24
        x, y = 480 + 215 * math.cos(a), 360 + 215 * math.sin(a)
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], outline=(40, 70, 150), width=3)
    card(draw, 30, 560)
    return img


def damaged(listing: Image.Image) -> Image.Image:
    """The buyer's photo: a crop of the listing photo with a crack and a chip painted on."""
    img = listing.copy()
    draw = ImageDraw.Draw(img)
    rng = random.Random(3)
    x, y = 470, 300
    pts = [(x, y)]
    for _ in range(14):
        x += rng.randint(4, 12)
        y += rng.randint(6, 14)
        pts.append((x, y))
    draw.line(pts, fill=(45, 40, 35), width=5)
    for px, py in pts[3::4]:
        draw.line([(px, py), (px + rng.randint(-25, -8), py + rng.randint(4, 16))],
                  fill=(55, 50, 40), width=3)
    draw.polygon([(600, 268), (640, 262), (652, 285), (628, 300), (604, 290)], fill=(150, 140, 120),
                 outline=(70, 60, 50))
    img = img.crop((60, 40, 900, 680))
    return img.resize((672, 512), Image.LANCZOS)


def xmp(label: dict) -> bytes:
    value = json.dumps(label, ensure_ascii=False, separators=(",", ":"))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" xmlns:TC260="{TC260}" TC260:AIGC="{value}"/>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def main() -> None:
    main_photo = listing_main()
    main_photo.save(HERE / "listing-1.jpg", "JPEG", quality=80, optimize=True)
    listing_top().save(HERE / "listing-2.jpg", "JPEG", quality=80, optimize=True)
    damaged(main_photo).save(HERE / "buyer-photo.jpg", "JPEG", quality=72, optimize=True,
                             xmp=xmp(LABEL))
    for name in ("listing-1.jpg", "listing-2.jpg", "buyer-photo.jpg"):
        print(name, (HERE / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
