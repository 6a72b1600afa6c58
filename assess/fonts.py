"""The fonts documents use: finding a Chinese font, and a compact cut of Noto Serif CJK SC.

* `cjk_font_files()`, `check_fonts()`: a fontconfig query (ctypes, no binary needed) for a
  Chinese-capable font; none → AssessError telling how to install one.  Also warns once when
  libharfbuzz-subset is missing (WeasyPrint then subsets with fontTools, 20–50× slower).
* `font_face_css()`: @font-face rules for "Noto Serif CJK SC Common", a cut of the installed
  Noto Serif CJK SC Regular and Bold down to the characters documents use.

Why the cut: WeasyPrint 70 embeds a subset of each face but keeps an empty entry for every glyph
id below the highest one used (HarfBuzz RETAIN_GIDS).  Noto Serif CJK has 65,535 glyphs with the
common hanzi spread over all of them, so each face cost about 140 KB before one glyph was drawn
(the 11-page opinion was 502 KB, 2 × 140 KB of it empty entries).  The cut keeps GB2312 (its
6,763 hanzi and 682 symbols), ASCII, Latin-1 and the punctuation and symbol blocks, about 8,100
glyphs in the original order, so the empty entries shrink to an eighth.  It is made once with
HarfBuzz (uharfbuzz, about 0.2 s a face) from the installed font into the user's cache
(~/.cache/assess/fonts/; XDG_CACHE_HOME respected).  The stylesheet names the cut first and the
full font after it: a character outside the cut (a rare name character such as 喆) prints from
the full font, so nothing is lost, the file is only larger.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import AssessError

FONT_HINT = "install a Chinese font: apt-get install fonts-noto-cjk"

SOURCE_FAMILY = "Noto Serif CJK SC"         # the installed family the cut is made from
CUT_FAMILY = "Noto Serif CJK SC Common"     # the family name templates/assets/style.css uses
# Unicode blocks kept besides GB2312 (first and last character of each, by name)
_BLOCKS = (
    ("\N{SPACE}", "\N{TILDE}"),                                          # ASCII
    ("\N{NO-BREAK SPACE}", "\N{LATIN SMALL LETTER Y WITH DIAERESIS}"),   # Latin-1
    ("\N{EN QUAD}", "\N{NOMINAL DIGIT SHAPES}"),                         # general punctuation
    ("\N{ACCOUNT OF}", "\N{TURNED DIGIT THREE}"),                        # letterlike, Ⅱ
    ("\N{LEFTWARDS ARROW}", "\N{Z NOTATION BAG MEMBERSHIP}"),            # arrows, math ≥ ×
    ("\N{CIRCLED DIGIT ONE}", "\N{NEGATIVE CIRCLED DIGIT ZERO}"),        # enclosed ①
    ("\N{BOX DRAWINGS LIGHT HORIZONTAL}", "\N{LOWER RIGHT TRIANGLE}"),   # box drawing, ■ □
    ("\N{IDEOGRAPHIC SPACE}", "\N{IDEOGRAPHIC HALF FILL SPACE}"),        # CJK punctuation 、。〔〕
    ("\N{FULLWIDTH EXCLAMATION MARK}", "\N{HALFWIDTH WHITE CIRCLE}"),    # fullwidth （）：
)
# OpenType features left out: language forms (locl: the SC face already draws Simplified forms;
# keeping it would pull in the Japanese, Korean and Traditional glyphs) and vertical writing.
_DROPPED_FEATURES = ("locl", "vert", "vrt2", "vkrn", "vpal", "valt", "vhal")
# Kept besides HarfBuzz's default set: proportional widths, which English documents use for
# “ ” ‘ ’ — and … (templates/assets/style.css; full-width otherwise).
_KEPT_FEATURES = ("pwid",)
_WEIGHTS = {"normal": 80, "bold": 200}      # fontconfig weights: regular, bold


# --------------------------------------------------------------------------- fontconfig

@dataclass(frozen=True)
class InstalledFace:
    file: str
    index: int                              # the face's number inside a collection (.ttc)
    family: str
    weight: int


def _fontconfig():
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        fc = ctypes.CDLL(name)
    except OSError:
        return None
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.c_void_p
    fc.FcFontList.argtypes = [ctypes.c_void_p] * 3
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                      ctypes.POINTER(ctypes.c_char_p)]
    fc.FcPatternGetInteger.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_int)]
    fc.FcFontSetDestroy.argtypes = [ctypes.c_void_p]
    return fc


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@lru_cache(maxsize=8)
def installed_faces(pattern: str) -> tuple[InstalledFace, ...]:
    """The faces fontconfig lists for a pattern such as ':lang=zh-cn' (sorted)."""
    fc = _fontconfig()
    if fc is None:
        return ()
    config = fc.FcInitLoadConfigAndFonts()
    objects = fc.FcObjectSetBuild(b"file", b"index", b"family", b"weight", None)
    ptr = fc.FcFontList(config, fc.FcNameParse(pattern.encode()), objects)
    if not ptr:
        return ()
    fs = ctypes.cast(ptr, ctypes.POINTER(_FcFontSet)).contents
    out = []
    for i in range(fs.nfont):
        s, fam, n, w = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_int(0), ctypes.c_int(0)
        if fc.FcPatternGetString(fs.fonts[i], b"file", 0, ctypes.byref(s)) != 0 or not s.value:
            continue
        fc.FcPatternGetInteger(fs.fonts[i], b"index", 0, ctypes.byref(n))
        fc.FcPatternGetInteger(fs.fonts[i], b"weight", 0, ctypes.byref(w))
        fc.FcPatternGetString(fs.fonts[i], b"family", 0, ctypes.byref(fam))
        out.append(InstalledFace(s.value.decode("utf-8", "replace"), n.value,
                                 (fam.value or b"").decode("utf-8", "replace"), w.value))
    fc.FcFontSetDestroy(ptr)
    return tuple(sorted(out, key=lambda f: (f.file, f.index)))


def cjk_font_files(lang: str = "zh-cn") -> tuple[str, ...]:
    """Font files fontconfig knows for `lang` (empty tuple: no Chinese-capable font)."""
    return tuple(sorted({f.file for f in installed_faces(f":lang={lang}")}))


def harfbuzz_subset_available() -> bool:
    if ctypes.util.find_library("harfbuzz-subset"):
        return True
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
        return True
    except OSError:
        return False


_warned_hb = False


def check_fonts(warn=None) -> None:
    """Raise AssessError if no Chinese font is installed; warn if rendering will be slow."""
    global _warned_hb
    if not cjk_font_files():
        raise AssessError("no Chinese (CJK) font is installed, so the document would print "
                          "empty boxes", field="fonts", hint=FONT_HINT)
    if not _warned_hb and not harfbuzz_subset_available():
        _warned_hb = True
        (warn or _stderr)("warning: libharfbuzz-subset is not installed; PDF rendering will be "
                          "20-50x slower (apt-get install libharfbuzz-subset0)")


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)


# --------------------------------------------------------------------------- the cut

@lru_cache(maxsize=1)
def cut_characters() -> tuple[int, ...]:
    """The code points the cut keeps: GB2312 and the blocks above."""
    keep = set()
    for first, last in _BLOCKS:
        keep.update(range(ord(first), ord(last) + 1))
    for row in range(0xA1, 0xF8):                  # every two-byte GB2312 code
        for col in range(0xA1, 0xFF):
            try:
                keep.add(ord(bytes((row, col)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return tuple(sorted(keep))


@lru_cache(maxsize=1)
def _cut_spec() -> str:
    """A digest of what the cut keeps: part of the cache file's name, so a change to the
    character set or the features gives a new cut."""
    return hashlib.sha256(repr((cut_characters(), _DROPPED_FEATURES, _KEPT_FEATURES)).encode()
                          ).hexdigest()


def _source(weight: str) -> InstalledFace | None:
    faces = [f for f in installed_faces(f"{SOURCE_FAMILY}:weight={_WEIGHTS[weight]}")
             if f.family == SOURCE_FAMILY and f.weight == _WEIGHTS[weight]]
    return faces[0] if faces else None


def _make_cut(face: InstalledFace, target: Path) -> None:
    import uharfbuzz as hb

    source = hb.Face(hb.Blob.from_file_path(face.file), face.index)
    request = hb.SubsetInput()
    for cp in cut_characters():
        request.unicode_set.add(cp)
    for tag in _DROPPED_FEATURES:
        request.layout_feature_tag_set.remove(int.from_bytes(tag.encode(), "big"))
    for tag in _KEPT_FEATURES:
        request.layout_feature_tag_set.add(int.from_bytes(tag.encode(), "big"))
    result = hb.subset(source, request)
    if result is None:
        raise OSError(f"HarfBuzz could not cut {face.file}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(result.blob.data)
    os.replace(tmp, target)                         # another process may be writing it too


def cut_file(weight: str) -> Path | None:
    """The cut of the installed Regular ('normal') or Bold face, made on first use; None when
    Noto Serif CJK SC or uharfbuzz is not installed or the cache cannot be written."""
    face = _source(weight)
    if face is None:
        return None
    try:
        import uharfbuzz
        stat = os.stat(face.file)
        key = "|".join(map(str, (_cut_spec(), face.file, face.index, stat.st_size,
                                 stat.st_mtime_ns, uharfbuzz.__version__)))
        name = f"{weight}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.otf"
        target = paths.cache_dir() / "fonts" / name
        if not target.is_file():
            _make_cut(face, target)
            for old in target.parent.glob(f"{weight}-*.otf"):   # cuts of an earlier font or spec
                if old != target:
                    old.unlink(missing_ok=True)
        return target
    except (ImportError, OSError):
        return None


def font_face_css() -> tuple[str, tuple[Path, ...]]:
    """(@font-face rules for the cut, the files they name) — ("", ()) when there is no cut, and
    the documents then use the installed fonts directly.  Checked on every render (a stat per
    face), so a cache emptied while the program runs is filled again."""
    rules, files = [], []
    for weight in _WEIGHTS:
        path = cut_file(weight)
        if path is None:
            return "", ()
        files.append(path)
        rules.append(f'@font-face {{ font-family: "{CUT_FAMILY}"; font-weight: {weight}; '
                     f'src: url("{path.as_uri()}"); }}')
    return "\n".join(rules), tuple(files)
