"""GB 45438-2025 implicit labels ("隐式标识") in file metadata, in every form found in the wild.

Forms read (each result says which one it came from):
    xmp-element    XMP <TC260:AIGC>{json}</TC260:AIGC>
    xmp-attribute  XMP rdf:Description TC260:AIGC="{json}"
    png-text       PNG tEXt / zTXt / iTXt chunk keyed AIGC
    exif-usercomment   EXIF UserComment holding {"AIGC": {...}}
    jpeg-app       AIGC JSON in another JPEG APPn segment
    mp4-meta       AIGC JSON inside the MP4 box moov/udta/meta

The label is a JSON object with the fields Label, ContentProducer, ProduceID, ReservedCode1,
ContentPropagator, PropagateID, ReservedCode2.  Nothing is verified cryptographically:
ReservedCode1/2 are reported as "signature present, not verified".  Parsing is bounded: XMP
packets and JSON values larger than `MAX_TEXT` are not parsed.
"""
from __future__ import annotations

import json
import re
import struct

from defusedxml import ElementTree as DET

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
AIGC_TAG = "{%s}AIGC" % TC260_NS
FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator",
          "PropagateID", "ReservedCode2")
LABEL_VALUES = {"1", "2", "3"}        # 1 AI-generated, 2 possibly, 3 suspected (GB 45438)
MAX_TEXT = 1024 * 1024                # bytes of XMP / JSON parsed at most
MAX_BOXES = 4096                      # MP4 boxes walked at most
EXIF_IFD, USER_COMMENT = 0x8769, 0x9286


def read_labels(item) -> list[dict]:
    """Every AIGC label in the file `item` (a files.Loaded), each parsed and checked."""
    found: list[tuple[str, object]] = []
    img = item.image
    if img is not None:
        xmp = img.info.get("xmp")
        if xmp:
            found += _from_xmp(xmp)
        if item.format == "PNG":
            text = getattr(img, "text", None) or {}
            for key, value in text.items():
                if key.strip().upper() == "AIGC":
                    found.append(("png-text", value))
        found += _from_exif(img)
        if item.format == "JPEG":
            found += _from_app_segments(getattr(img, "applist", []) or [])
    elif item.mime == "video/mp4":
        found += _from_mp4(item.data)
    return [parse(form, raw) for form, raw in found]


# --------------------------------------------------------------------------- the forms

def _from_xmp(xmp) -> list[tuple[str, object]]:
    data = xmp if isinstance(xmp, bytes) else str(xmp).encode("utf-8", "replace")
    if len(data) > MAX_TEXT:
        return [("xmp", _Malformed("XMP packet too large to parse"))]
    if TC260_NS.encode() not in data:
        return []
    data = data.strip(b"\x00 \r\n\t")
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except Exception as exc:                                     # defusedxml or expat error
        return [("xmp", _Malformed(f"XMP not well-formed: {exc}"))]
    out = []
    for el in root.iter():
        if el.tag == AIGC_TAG:
            out.append(("xmp-element", (el.text or "").strip()))
        if AIGC_TAG in el.attrib:
            out.append(("xmp-attribute", el.attrib[AIGC_TAG]))
    return out


def _from_exif(img) -> list[tuple[str, object]]:
    try:
        exif = img.getexif()
        raw = exif.get_ifd(EXIF_IFD).get(USER_COMMENT)
    except Exception:                                            # damaged EXIF: no label here
        return []
    if raw is None:
        return []
    text = decode_user_comment(raw)
    if text is None or "AIGC" not in text:
        return []
    try:
        value = json.loads(text[:MAX_TEXT])
    except ValueError:
        return [("exif-usercomment", _Malformed("UserComment mentions AIGC but is not JSON"))]
    if isinstance(value, dict) and "AIGC" in value:
        return [("exif-usercomment", value["AIGC"])]
    return [("exif-usercomment", value)]


def decode_user_comment(raw) -> str | None:
    """EXIF UserComment: 8 bytes naming the character code, then the text."""
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, bytes):
        return None
    head, body = raw[:8], raw[8:]
    if head.startswith(b"UNICODE"):
        for enc in ("utf-16-be", "utf-16-le"):
            try:
                text = body.decode(enc)
            except UnicodeDecodeError:
                continue
            if text.lstrip().startswith("{"):
                return text
        return body.decode("utf-16-be", "replace")
    if head.startswith(b"ASCII") or head.startswith(b"\x00" * 8):
        return body.decode("utf-8", "replace").rstrip("\x00")
    return raw.decode("utf-8", "replace").rstrip("\x00")


def _from_app_segments(applist) -> list[tuple[str, object]]:
    out = []
    for marker, payload in applist:
        if payload.startswith(b"Exif\x00") or payload.startswith(b"http://ns.adobe.com/xap/"):
            continue                                             # read above
        if b"AIGC" not in payload[:MAX_TEXT]:
            continue
        out.append(("jpeg-app", _json_in(payload[:MAX_TEXT])))
    return out


def _from_mp4(data: bytes) -> list[tuple[str, object]]:
    meta = _box_path(data, (b"moov", b"udta", b"meta"))
    if meta is None or b"AIGC" not in meta[:MAX_TEXT]:
        return []
    return [("mp4-meta", _json_in(meta[:MAX_TEXT]))]


def _boxes(data: bytes):
    """(type, payload) of the ISO-BMFF boxes directly in `data`."""
    pos, count = 0, 0
    while pos + 8 <= len(data) and count < MAX_BOXES:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        if size < header or pos + size > len(data):
            return
        yield kind, data[pos + header:pos + size]
        pos += size
        count += 1


def _box_path(data: bytes, path: tuple[bytes, ...]) -> bytes | None:
    for kind, payload in _boxes(data):
        if kind == path[0]:
            return payload if len(path) == 1 else _box_path(payload, path[1:])
    return None


def _json_in(payload: bytes):
    """The first JSON object in a binary payload that carries AIGC fields."""
    text = payload.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict):
            if "AIGC" in value:
                return value["AIGC"]
            if "Label" in value or "ContentProducer" in value:
                return value
    return _Malformed("AIGC mentioned but no JSON label found")


# --------------------------------------------------------------------------- the value

class _Malformed(str):
    """A reason why a label could not be read."""


def parse(form: str, raw) -> dict:
    """One label: its fields, and what is malformed about it."""
    result = {"form": form, "malformed": [], "label": None, "fields": {}}
    if isinstance(raw, _Malformed):
        result["malformed"].append(str(raw))
        return result
    value = raw
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            result["malformed"].append("label value too large to parse")
            return result
        try:
            value = json.loads(value)
        except ValueError:
            result["malformed"].append("label value is not JSON")
            result["raw"] = value[:200]
            return result
        if isinstance(value, str):                    # JSON inside a JSON string
            try:
                value = json.loads(value)
            except ValueError:
                pass
    if not isinstance(value, dict):
        result["malformed"].append("label value is not a JSON object")
        return result
    for key in FIELDS:
        if key in value and value[key] is not None:
            result["fields"][key] = str(value[key]).strip()
    label = result["fields"].get("Label")
    if label is None:
        result["malformed"].append("Label field missing")
    elif label not in LABEL_VALUES:
        result["malformed"].append(f"Label value {label!r} is not 1, 2 or 3")
    else:
        result["label"] = label
    for key in ("ReservedCode1", "ReservedCode2"):
        if result["fields"].get(key):
            result[key] = "signature present, not verified"
    unknown = sorted(k for k in value if k not in FIELDS)
    if unknown:
        result["unknown_fields"] = unknown
    return result
