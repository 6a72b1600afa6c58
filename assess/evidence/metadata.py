"""Camera data in EXIF, XMP and IPTC: make, model, capture time, software, DigitalSourceType.

Missing camera data is common (platforms and messengers strip it) and is reported as such, never
as a point against the person who took the photo.
"""
from __future__ import annotations

from defusedxml import ElementTree as DET

MAX_XMP = 1024 * 1024
EXIF_IFD = 0x8769
EXIF_TAGS = {0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "modified"}
EXIF_SUB = {0x9003: "captured", 0x9004: "digitized"}
XMP_NAMES = {
    "{http://ns.adobe.com/tiff/1.0/}Make": "make",
    "{http://ns.adobe.com/tiff/1.0/}Model": "model",
    "{http://ns.adobe.com/exif/1.0/}DateTimeOriginal": "captured",
    "{http://ns.adobe.com/photoshop/1.0/}DateCreated": "captured",
    "{http://ns.adobe.com/xap/1.0/}CreatorTool": "software",
    "{http://ns.adobe.com/xap/1.0/}ModifyDate": "modified",
    "{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}DigitalSourceType": "digital_source_type",
}
IPTC = {(2, 65): "software", (2, 55): "captured_date", (2, 60): "captured_time"}


def read_metadata(item) -> dict:
    """{make, model, captured, software, digital_source_type, ..., sources: [...], camera: bool}."""
    out: dict = {}
    sources: list[str] = []
    img = item.image
    if img is None:
        return {"camera": False, "sources": []}
    if _exif(img, out):
        sources.append("EXIF")
    if _xmp(img.info.get("xmp"), out):
        sources.append("XMP")
    if _iptc(img, out):
        sources.append("IPTC")
    if "captured" not in out and out.get("captured_date"):
        out["captured"] = out["captured_date"] + (" " + out["captured_time"]
                                                 if out.get("captured_time") else "")
    out.pop("captured_date", None)
    out.pop("captured_time", None)
    out["camera"] = bool(out.get("make") or out.get("model"))
    out["sources"] = sources
    return out


def _clean(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return None
    text = str(value).strip().strip("\x00").strip()
    return text[:200] or None


def _exif(img, out: dict) -> bool:
    try:
        exif = img.getexif()
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:
        return False
    found = False
    for tag, key in EXIF_TAGS.items():
        value = _clean(exif.get(tag))
        if value:
            out.setdefault(key, value)
            found = True
    for tag, key in EXIF_SUB.items():
        value = _clean(sub.get(tag))
        if value:
            out.setdefault(key, value)
            found = True
    return found


def _xmp(xmp, out: dict) -> bool:
    if not xmp:
        return False
    data = xmp if isinstance(xmp, bytes) else str(xmp).encode("utf-8", "replace")
    if len(data) > MAX_XMP:
        return False
    try:
        root = DET.fromstring(data.strip(b"\x00 \r\n\t"), forbid_dtd=True)
    except Exception:
        return False
    found = False
    for el in root.iter():
        pairs = [(el.tag, el.text)] + list(el.attrib.items())
        for name, value in pairs:
            key = XMP_NAMES.get(name)
            value = _clean(value)
            if key and value:
                if key == "digital_source_type":
                    value = value.rsplit("/", 1)[-1]
                out.setdefault(key, value)
                found = True
    return found


def _iptc(img, out: dict) -> bool:
    try:
        from PIL import IptcImagePlugin
        info = IptcImagePlugin.getiptcinfo(img) or {}
    except Exception:
        return False
    found = False
    for tag, key in IPTC.items():
        value = info.get(tag)
        if isinstance(value, list):
            value = value[0] if value else None
        value = _clean(value)
        if value:
            out.setdefault(key, value)
            found = True
    return found
