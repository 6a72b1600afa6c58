"""The HTML of a document (assess/documents.py renders it from templates/) → the body of a Word
document, element by element, so that the .docx says exactly what the PDF says.

Generic on purpose: any template content comes through.  Tags map to Word structure (h1–h6 →
Heading 1–6, p → paragraph, ol/ul → numbered/bulleted list, table → table whose <thead> rows
repeat on every page, br → line break, img with a data: URI → inline picture, b/strong/th →
bold, i/em → italic); the classes the templates use map to styles (tables below).  A class not
listed changes nothing but the look.  Whitespace collapses as in a browser; `white-space:
pre-line` text (the quoted provisions) keeps its line breaks; CSS widths of table columns and
page breaks come through too (css.py).
"""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, replace
from urllib.parse import unquote_to_bytes

from docx.oxml.ns import qn

from . import ooxml
from .styles import BLANK_HIGHLIGHT

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
          "figure", "figcaption", "blockquote", "pre", "address", "table", "ol", "ul", "li",
          "dl", "dt", "dd", *HEADINGS}
SKIPPED = {"head", "style", "script", "title", "meta", "link", "template", "colgroup", "col",
           "caption", "hr"}

# HTML class → Word paragraph style, for the paragraphs an element makes (the first of its
# classes found here, in this order).  Classes from templates/*.html.j2 and assets/style.css.
PARAGRAPH_CLASSES = {
    "ptext": "Provision",               # a quoted provision: the text …
    "ptitle": "Provision Title",        # … its law, article and title
    "pmeta": "Provision Note",          # … when it is in force, which date is quoted
    "gloss": "Provision Note",
    "provision": "Provision",
    "subtitle": "Subtitle",
    "docnum": "Document Number",
    "addressee": "Addressee",
    "status-line": "Status",
    "note": "Note",
    "lead": "Body Text First Indent",
    "right": "Right",
}
# HTML class → Word character style of the text inside (the innermost element's wins).
CHARACTER_CLASSES = {
    "blank": "Blank",                   # a fact to complete: highlighted
    "hash": "Hash",
    "conditional": "Conditional",
    "suggest": "Conditional",
    "closed": "Warning",
    "passed": "Warning",
    "passed-advice": "Warning",
}
INLINE_ONLY_CLASSES = {"note": "Small"}  # a <span class="note"> (a <p class="note">: the style)
BORDERLESS_CLASSES = {"signature"}      # tables inside are laid out without grid lines
RUNNING_HEADER_CLASS = "docnum"         # string-set: docref (the header of pages 2, 3 …)
BLANK_STYLE = "Blank"
TABLE_TEXT, TABLE_NUMBER = "Table Text", "Table Number"

_SPACES = re.compile(r"[ \t\n\r\f]+")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# CSS Text 3: a line break between two East Asian wide characters disappears (no space)
_WIDE_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\r\f]*\n[ \t\n\r\f]*(?=[{_WIDE}])")
_DATA_URI = re.compile(r"data:([^,;]*)((?:;[^,;]*)*),(.*)", re.S)


@dataclass(frozen=True)
class _Context:
    paragraph_style: str = "Normal"
    character_style: str | None = None
    bold: bool = False
    italic: bool = False
    pre_line: bool = False
    borderless: bool = False
    list_depth: int = 0
    num_id: int | None = None           # numbering instance of the list being written


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None     # None: a comment


class _Body:
    """Where blocks go: the document body.  Styles are set by id: python-docx's lookup by
    name scans every style of the document each time (most of the conversion's time)."""

    def __init__(self, doc, style_ids):
        self.doc, self.style_ids = doc, style_ids

    def paragraph(self, style):
        p = self.doc.add_paragraph()
        p._p.style = self.style_ids[style]
        return p

    def table(self, rows, cols):
        _apart(self.doc.element.body, self.doc.add_paragraph)
        return self.doc.add_table(rows, cols)


class _Cell(_Body):
    """Where blocks go: a table cell (its first, empty paragraph is used first)."""

    def __init__(self, cell, style_ids):
        self.cell, self.first, self.style_ids = cell, cell.paragraphs[0], style_ids

    def paragraph(self, style):
        p, self.first = self.first or self.cell.add_paragraph(), None
        p._p.style = self.style_ids[style]
        return p

    def table(self, rows, cols):
        _apart(self.cell._tc, self.cell.add_paragraph)
        return self.cell.add_table(rows, cols)


def _apart(parent, add_paragraph) -> None:
    """An empty paragraph between two tables: Word would join adjacent tables into one."""
    blocks = [el for el in parent if el.tag in (qn("w:p"), qn("w:tbl"))]
    if blocks and blocks[-1].tag == qn("w:tbl"):
        add_paragraph()


class _Paragraph:
    """Inline content going into one Word paragraph, made when the first visible content
    comes (whitespace alone makes no paragraph)."""

    def __init__(self, make, style_ids):
        self.make, self.p, self.at_line_start = make, None, True
        self.style_ids = style_ids

    def _paragraph(self):
        if self.p is None:
            self.p = self.make()
        return self.p

    def text(self, s: str, ctx: _Context) -> None:
        if ctx.pre_line:
            lines = [_SPACES.sub(" ", line).strip(" ") for line in s.split("\n")]
            for n, line in enumerate(lines):
                if n:
                    self.line_break()
                self._run(line, ctx)
            return
        self._run(_SPACES.sub(" ", _WIDE_BREAK.sub("", s)), ctx)

    def _run(self, s: str, ctx: _Context) -> None:
        if self.at_line_start:
            s = s.lstrip(" ")
        if not s:
            return
        run = self._paragraph().add_run(s)
        if ctx.character_style:
            run._r.style = self.style_ids[ctx.character_style]
        if ctx.bold:
            run.bold = True
        if ctx.italic:
            run.italic = True
        if ctx.character_style == BLANK_STYLE:   # highlighted directly too: every word
            run.font.highlight_color = BLANK_HIGHLIGHT   # processor shows a run's highlight
        self.at_line_start = s.endswith(" ")

    def line_break(self) -> None:
        p = self._paragraph()
        self._strip_end()
        p.add_run().add_break()
        self.at_line_start = True

    def picture(self, data: bytes, width, height, alt: str) -> None:
        shape = self._paragraph().add_run().add_picture(io.BytesIO(data), width, height)
        if alt:
            shape._inline.docPr.set("descr", alt)
        self.at_line_start = False

    def _strip_end(self) -> None:
        for run in reversed(self.p.runs if self.p is not None else []):
            if run.text:
                if run.text.endswith(" "):
                    run.text = run.text.rstrip(" ")
                return

    def close(self) -> None:
        self._strip_end()


class Writer:
    """Writes the elements of an HTML tree into a python-docx document."""

    def __init__(self, doc, text_width, text_height, layout):
        self.doc, self.text_width, self.text_height = doc, text_width, text_height
        self.layout = layout                    # what the CSS says (css.Layout)
        self.page_break = False
        self.style_ids = {style.name: style.style_id for style in doc.styles}

    # ---------------------------------------------------------------- blocks

    def container(self, el, where, ctx: _Context, then_style: str | None = None) -> None:
        """The children of a block element: inline content becomes paragraphs in the style of
        `ctx`, block children are written in turn.  With `then_style`, paragraphs after the
        first are in that style and unnumbered (a list item's second paragraph)."""
        para = None
        made = []

        def target():
            nonlocal para
            if para is None:
                use = ctx if not made or then_style is None else \
                    replace(ctx, paragraph_style=then_style, num_id=None)
                para = _Paragraph(lambda: self._new_paragraph(where, use, made), self.style_ids)
            return para

        if el.text:
            target().text(el.text, ctx)
        for child in el:
            tag = _tag(child)
            if tag is None or tag in SKIPPED:
                pass
            elif tag in BLOCKS:
                if para is not None:
                    para.close()
                    para = None
                self.block(child, where, ctx)
            else:
                self.inline(child, target(), ctx)
            if child.tail:
                target().text(child.tail, ctx)
        if para is not None:
            para.close()

    def _new_paragraph(self, where, ctx: _Context, made: list):
        p = where.paragraph(ctx.paragraph_style)
        if self.page_break:
            p.paragraph_format.page_break_before = True
            self.page_break = False
        if ctx.num_id is not None:
            ooxml.number_paragraph(p, ctx.num_id)   # List Number n: its own numbering
        made.append(p)
        return p

    def block(self, el, where, ctx: _Context) -> None:
        tag = _tag(el)
        if el in self.layout.page_breaks:
            self.page_break = True
        ctx = self._styled(el, ctx, block=True)
        if tag == "table":
            self.table(el, where, ctx)
        elif tag in ("ol", "ul"):
            self.list(el, where, ctx)
        elif tag in HEADINGS:
            self.container(el, where, replace(ctx, paragraph_style=f"Heading {HEADINGS[tag]}",
                                              num_id=None))
        else:
            if tag == "pre":
                ctx = replace(ctx, pre_line=True)
            self.container(el, where, ctx)

    def _styled(self, el, ctx: _Context, block: bool) -> _Context:
        """The context inside an element: its classes' styles, bold, italic."""
        classes, tag = _classes(el), _tag(el)
        changes = {}
        if block:
            style = next((PARAGRAPH_CLASSES[c] for c in PARAGRAPH_CLASSES if c in classes), None)
            if style:
                changes.update(paragraph_style=style, num_id=None)
        char = next((CHARACTER_CLASSES[c] for c in classes if c in CHARACTER_CLASSES), None)
        if char is None and not block:
            char = next((INLINE_ONLY_CLASSES[c] for c in classes if c in INLINE_ONLY_CLASSES),
                        None)
        if char:
            changes["character_style"] = char
        if tag in ("b", "strong", "th"):
            changes["bold"] = True
        if tag in ("i", "em"):
            changes["italic"] = True
        if el in self.layout.keep_lines:
            changes["pre_line"] = True
        if BORDERLESS_CLASSES.intersection(classes):
            changes["borderless"] = True
        return replace(ctx, **changes) if changes else ctx

    # ---------------------------------------------------------------- inline

    def inline(self, el, para: _Paragraph, ctx: _Context) -> None:
        tag = _tag(el)
        if tag == "br":
            para.line_break()
            return
        if tag == "img":
            self.picture(el, para)
            return
        ctx = self._styled(el, ctx, block=False)
        if el.text:
            para.text(el.text, ctx)
        for child in el:
            if _tag(child) is not None and _tag(child) not in SKIPPED:
                self.inline(child, para, ctx)
            if child.tail:
                para.text(child.tail, ctx)

    def picture(self, el, para: _Paragraph) -> None:
        """An <img> with a data: URI as an inline picture, at most the text's width and half
        its height.  Other sources are not read (the PDF's fetcher reads none either)."""
        m = _DATA_URI.match(el.get("src") or "")
        if not m:
            return
        try:
            data = base64.b64decode(m[3]) if ";base64" in m[2].lower() else \
                unquote_to_bytes(m[3])
            data, width, height = _picture_size(data, self.text_width, self.text_height // 2)
        except Exception:                        # an image no library can read: left out
            return
        para.picture(data, width, height, el.get("alt") or "")

    # ---------------------------------------------------------------- lists and tables

    def list(self, el, where, ctx: _Context) -> None:
        depth = ctx.list_depth + 1
        base = "List Number" if _tag(el) == "ol" else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        num_id = ooxml.restart_numbering(self.doc, self.doc.styles[style]) \
            if base == "List Number" else None
        item_ctx = replace(ctx, paragraph_style=style, list_depth=depth, num_id=num_id)
        for li in el:
            if _tag(li) != "li":
                continue
            self.container(li, where, self._styled(li, item_ctx, block=False),
                           then_style="List Continue")

    def table(self, el, where, ctx: _Context) -> None:
        rows = []                                  # (tr, in <thead>)
        for part in el:
            tag = _tag(part)
            if tag in ("thead", "tbody", "tfoot"):
                rows += [(tr, tag == "thead") for tr in part if _tag(tr) == "tr"]
            elif tag == "tr":
                rows.append((part, False))
        cells, taken, ncols = [], set(), 0           # (row, col, rowspan, colspan, element, tr)
        for r, (tr, _) in enumerate(rows):
            c = 0
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rs = max(1, min(_int(cell.get("rowspan")), len(rows) - r))
                cs = max(1, _int(cell.get("colspan")))
                taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
                cells.append((r, c, rs, cs, cell, tr))
                c += cs
            ncols = max([ncols] + [j + 1 for (i, j) in taken if i == r])
        if not cells:
            return
        table = where.table(len(rows), ncols)
        if not ctx.borderless:
            table.style = self.doc.styles["Table Grid"]
        for r, (tr, header) in enumerate(rows):
            if tr in self.layout.unsplit:
                ooxml.keep_row_on_one_page(table.rows[r])
            if header:
                ooxml.repeat_as_header(table.rows[r])
        grid = [row.cells for row in table.rows]
        widths = _column_widths(el, cells, ncols, self.layout.widths, self.text_width)
        if widths:
            table.autofit = False
            for j, w in enumerate(widths):
                table.columns[j].width = w
        row_ctx = replace(ctx, paragraph_style=TABLE_TEXT, num_id=None, list_depth=0)
        for r, c, rs, cs, cell_el, tr in cells:
            cell = grid[r][c]
            if rs > 1 or cs > 1:
                cell = cell.merge(grid[r + rs - 1][c + cs - 1])
            if widths:
                cell.width = sum(widths[c:c + cs])
            cctx = self._styled(cell_el, self._styled(tr, row_ctx, block=False), block=False)
            if "num" in _classes(cell_el):
                cctx = replace(cctx, paragraph_style=TABLE_NUMBER)
            self.container(cell_el, _Cell(cell, self.style_ids), cctx)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _column_widths(table, cells, ncols: int, percent: dict, total) -> list | None:
    """Column widths (EMU) from the CSS percentages of the table's <col>s or, as under
    `table-layout: fixed`, of its first row's cells; columns without one share the rest.
    None when the CSS gives none (Word then divides the width evenly)."""
    shares = [None] * ncols
    cols = [c for g in table if _tag(g) == "colgroup" for c in g if _tag(c) == "col"]
    if len(cols) == ncols and all(c in percent for c in cols):
        shares = [percent[c] for c in cols]
    else:
        for r, c, rs, cs, cell, tr in cells:
            if r == 0 and cell in percent:
                for k in range(cs):
                    shares[c + k] = percent[cell] / cs
    if all(s is None for s in shares):
        return None
    rest = [j for j, s in enumerate(shares) if s is None]
    if rest:
        each = max(100 - sum(s for s in shares if s is not None), 5 * len(rest)) / len(rest)
        shares = [each if s is None else s for s in shares]
    return [int(total * s / sum(shares)) for s in shares]


def _picture_size(data: bytes, max_width, max_height):
    """(data, width, height) in EMU for python-docx: the picture's own size at its resolution,
    scaled down to fit; a format python-docx cannot read is converted to PNG with Pillow."""
    from docx.image.image import Image

    try:
        image = Image.from_blob(data)
    except Exception:
        from PIL import Image as PILImage

        out = io.BytesIO()
        PILImage.open(io.BytesIO(data)).save(out, format="PNG")
        data = out.getvalue()
        image = Image.from_blob(data)
    width, height = image.width, image.height
    scale = min(1.0, max_width / width, max_height / height)
    return data, int(width * scale), int(height * scale)


def running_header(body) -> str:
    """The text the PDF repeats at the top of every page but the first (the document
    number), or ""."""
    for el in body.iter():
        if RUNNING_HEADER_CLASS in _classes(el):
            return _SPACES.sub(" ", el.text_content()).strip()
    return ""


def write_body(doc, body, text_width, text_height, layout) -> None:
    """Write the children of the HTML <body> into the document; `layout`: what the CSS says
    about widths, page breaks and line breaks (css.layout)."""
    writer = Writer(doc, text_width, text_height, layout)
    writer.container(body, _Body(doc, writer.style_ids), _Context())
