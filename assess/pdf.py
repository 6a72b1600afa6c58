"""HTML → PDF with WeasyPrint, safely and reproducibly.

* `AssetFetcher`: the only URL fetcher used.  It serves files under templates/assets/, the
  font cut of assess/fonts.py and data: URLs, records every URL asked for, and refuses
  everything else (other files, http, ``..`` tricks, symlinks out of the folder).
* `html_to_pdf()`: renders with the font cut's @font-face rules (assess/fonts.py), then fails
  (AssessError naming the characters) if any glyph came out as .notdef ("tofu").  WeasyPrint is
  imported here, never at module import time.

No wording lives here: messages are for the operator (English, like every CLI error).
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .errors import AssessError
from .fonts import FONT_HINT, font_face_css


# --------------------------------------------------------------------------- URL fetcher

def make_fetcher(assets_dir: str | Path, fonts=None):
    """An instance of a weasyprint URLFetcher subclass that only serves `assets_dir` and the
    font files `fonts` (exactly those; default: the font cut of assess/fonts.py)."""
    from weasyprint.urls import URLFetcher

    fonts = font_face_css()[1] if fonts is None else fonts

    class AssetFetcher(URLFetcher):
        def __init__(self, root, **kw):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True,
                             allow_redirects=False, timeout=1, **kw)
            self.root = Path(root).resolve()
            self.fonts = {Path(f).resolve() for f in fonts}
            self.calls: list[str] = []
            self.blocked: list[str] = []

        def fetch(self, url, headers=None):
            self.calls.append(url)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(url2pathname(parts.path)).resolve()
                if parts.netloc not in ("", "localhost") or not (
                        path.is_relative_to(self.root) or path in self.fonts):
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
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    font_css, font_files = font_face_css()
    fetcher = fetcher if fetcher is not None else make_fetcher(assets_dir, font_files)
    collector = _NotdefCollector()
    logger = logging.getLogger("weasyprint")
    old_level = logger.level
    logger.addHandler(collector)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        doc = HTML(string=html, base_url=str(Path(base_url).resolve()) + "/",
                   url_fetcher=fetcher)
        font_config = FontConfiguration()
        extra = [CSS(string=font_css, url_fetcher=fetcher, font_config=font_config)] \
            if font_css else []
        data = doc.write_pdf(stylesheets=extra, font_config=font_config)
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
