"""HTML → PDF with WeasyPrint, safely and reproducibly.

* `check_fonts()`: a fontconfig query (ctypes, no binary needed) for a Chinese-capable font;
  none → AssessError telling how to install one.  Also warns once when libharfbuzz-subset is
  missing (font subsetting then falls back to fontTools, 20–50× slower).
* `AssetFetcher`: the only URL fetcher used.  It serves files under templates/assets/ and
  data: URLs, records every URL asked for, and refuses everything else (other files, http,
  ``..`` tricks, symlinks out of the folder).
* `html_to_pdf()`: renders, then fails (AssessError naming the characters) if any glyph came out
  as .notdef ("tofu").  WeasyPrint is imported here, never at module import time.

No wording lives here: messages are for the operator (English, like every CLI error).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .errors import AssessError

FONT_HINT = "install a Chinese font: apt-get install fonts-noto-cjk"


@lru_cache(maxsize=4)
def cjk_font_files(lang: str = "zh-cn") -> tuple[str, ...]:
    """Font files fontconfig knows for `lang` (empty tuple: no Chinese-capable font)."""
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        fc = ctypes.CDLL(name)
    except OSError:
        return ()
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcNameParse.restype = ctypes.c_void_p
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.c_void_p
    fc.FcFontList.argtypes = [ctypes.c_void_p] * 3
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                      ctypes.POINTER(ctypes.c_char_p)]
    fc.FcFontSetDestroy.argtypes = [ctypes.c_void_p]

    class FcFontSet(ctypes.Structure):
        _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                    ("fonts", ctypes.POINTER(ctypes.c_void_p))]

    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcNameParse(f":lang={lang}".encode())
    objects = fc.FcObjectSetBuild(b"file", None)
    ptr = fc.FcFontList(config, pattern, objects)
    if not ptr:
        return ()
    fs = ctypes.cast(ptr, ctypes.POINTER(FcFontSet)).contents
    out = []
    for i in range(fs.nfont):
        s = ctypes.c_char_p()
        if fc.FcPatternGetString(fs.fonts[i], b"file", 0, ctypes.byref(s)) == 0 and s.value:
            out.append(s.value.decode("utf-8", "replace"))
    fc.FcFontSetDestroy(ptr)
    return tuple(sorted(out))


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


# --------------------------------------------------------------------------- URL fetcher

def make_fetcher(assets_dir: str | Path):
    """An instance of a weasyprint URLFetcher subclass that only serves `assets_dir`."""
    from weasyprint.urls import URLFetcher

    class AssetFetcher(URLFetcher):
        def __init__(self, root, **kw):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True,
                             allow_redirects=False, timeout=1, **kw)
            self.root = Path(root).resolve()
            self.calls: list[str] = []
            self.blocked: list[str] = []

        def fetch(self, url, headers=None):
            self.calls.append(url)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(url2pathname(parts.path)).resolve()
                if parts.netloc not in ("", "localhost") or not path.is_relative_to(self.root):
                    self.blocked.append(url)
                    raise PermissionError(f"blocked: {url}")
            elif scheme != "data":
                self.blocked.append(url)
                raise PermissionError(f"blocked: {url}")
            return super().fetch(url, headers)

    return AssetFetcher(assets_dir)


# --------------------------------------------------------------------------- rendering

class _NotdefCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record):
        try:
            if record.getMessage().startswith(".notdef glyph rendered") and record.args:
                self.missing.append(str(record.args[0]))
        except Exception:  # pragma: no cover - never let logging break a render
            pass


def html_to_pdf(html: str, *, base_url: str | Path, assets_dir: str | Path,
                fetcher=None) -> bytes:
    """Render HTML to PDF bytes; AssessError on a blocked resource or a missing glyph."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = fetcher if fetcher is not None else make_fetcher(assets_dir)
    collector = _NotdefCollector()
    logger = logging.getLogger("weasyprint")
    old_level = logger.level
    logger.addHandler(collector)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        doc = HTML(string=html, base_url=str(Path(base_url).resolve()) + "/",
                   url_fetcher=fetcher)
        data = doc.write_pdf()
    except FatalURLFetchingError as exc:
        url = fetcher.blocked[-1] if getattr(fetcher, "blocked", None) else str(exc)
        raise AssessError(f"the document tried to load '{url}', which is outside "
                          f"templates/assets/ (refused)", field="template",
                          hint="templates may only use files under templates/assets/") from None
    finally:
        logger.removeHandler(collector)
        logger.setLevel(old_level)
    if collector.missing:
        chars = "".join(dict.fromkeys(collector.missing))
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(collector.missing) if len(c) == 1)
        raise AssessError(f"no installed font has the characters {chars} ({codes}); the PDF "
                          f"was not written", field="fonts",
                          hint=FONT_HINT + " (or replace the characters in the case file)")
    return data
