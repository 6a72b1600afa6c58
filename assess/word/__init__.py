"""Editable Word documents (.docx): the HTML assess/documents.py renders from templates/ (the
same HTML WeasyPrint turns into the PDF), converted to a Word document with python-docx.

    from assess.word import html_to_docx
    data = html_to_docx(html, page_words=("第 ", " 页  共 ", " 页"))

* convert.py — HTML elements and classes → Word paragraphs, styles, lists, tables, pictures;
* styles.py  — page (A4, margins), fonts (East Asian fonts declared), styles, page numbers;
* css.py     — what the stylesheets say that Word keeps: column widths, page breaks, kept
  line breaks;
* ooxml.py   — the few edits python-docx has no API for (fields, header rows, fonts, lists);
* here       — the whole conversion and reproducible bytes: document properties from the
  HTML's <title> and dcterms.created, every zip entry with one fixed timestamp.

The same HTML gives the same bytes.  Depends on python-docx (with its lxml), tinycss2 and
cssselect2 (WeasyPrint's) and Pillow (pictures python-docx cannot read); the core never imports
this package (assess/documents.py calls it for --format docx).
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

from docx.opc.constants import RELATIONSHIP_TYPE

from . import css, styles
from .convert import running_header, write_body

ZIP_TIME = (1980, 1, 1, 0, 0, 0)                  # the earliest time a zip entry can carry
NO_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)


def html_to_docx(html: str, *, page_words: tuple[str, str, str] = ("", " / ", ""),
                 base=None) -> bytes:
    """The .docx bytes of a rendered document.  `page_words`: the footer's words around the
    page number and the page count (templates/strings.yaml, t.page: before, middle, after);
    `base`: the folder the HTML's stylesheet links are relative to (templates/)."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    doc = styles.new_document(tree.get("lang") or "zh")
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    body = tree.find("body")
    if body is not None:
        write_body(doc, body, width, height,
                   css.layout(tree, css.stylesheets(tree, base)))
    styles.page_numbers(doc, *page_words, running=running_header(body) if body is not None
                        else "")
    title = tree.findtext(".//title") or ""
    created = _created(tree)
    return _reproducible(doc, " ".join(title.split()), created)


def _created(tree) -> datetime:
    """The document's date from <meta name="dcterms.created"> (in UTC), else a fixed one."""
    for meta in tree.iter("meta"):
        if meta.get("name") == "dcterms.created":
            try:
                when = datetime.fromisoformat(meta.get("content") or "")
            except ValueError:
                break
            return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)) \
                .astimezone(timezone.utc).replace(tzinfo=None)
    return NO_DATE.replace(tzinfo=None)


def _reproducible(doc, title: str, created: datetime) -> bytes:
    """Save with fixed document properties (no author, no "now") and fixed zip timestamps."""
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "", ""
    props.comments = props.subject = props.keywords = props.category = ""
    props.created = props.modified = props.last_printed = created
    props.revision = 1
    package_rels = doc.part.package.rels         # python-docx's template carries a picture
    for rid in [r for r, rel in package_rels.items()    # of a blank page as the file's
                if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:   # thumbnail: none is better
        package_rels.pop(rid)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            dst.writestr(entry, src.read(item.filename))
    return out.getvalue()
