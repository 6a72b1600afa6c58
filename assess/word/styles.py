"""The Word document's page and styles: A4, the usual margins, Chinese fonts declared as East
Asian fonts, the heading styles, a style of its own for quoted provisions, highlighted blanks,
and the page number "第 X 页 共 Y 页" as PAGE / NUMPAGES fields.

The look copies templates/assets/style.css (sizes, indents); the names of the styles are
Word's own (Heading 1 …) or, for the project's own styles, the English names below — a style
name is an identifier in Word's style list, not a sentence of the document.  The words of the
page number come from templates/strings.yaml (t.page), passed in by assess/documents.py.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Mm, Pt, RGBColor

from . import ooxml

# Fonts every Chinese Word / WPS installation has (LibreOffice substitutes metric-compatible
# ones): 宋体 for body text, 黑体 for headings, 仿宋 for quoted provisions (the usual face of
# quotations in Chinese legal documents).  Latin text: Times New Roman / Arial.
BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Arial", "黑体")
QUOTE_FONT = ("Times New Roman", "仿宋")
MONO_FONT = ("Courier New", "宋体")

PAGE = {"width": Mm(210), "height": Mm(297),                    # A4
        "top": Mm(25.4), "bottom": Mm(25.4), "left": Mm(31.7), "right": Mm(31.7)}   # Word's usual
BODY_SIZE = Pt(10.5)                                             # 五号
INDENT = Pt(21)                                                  # two characters (text-indent: 2em)

# Paragraph styles of this project: name -> (based on, size, bold, alignment, first-line indent,
# left indent, font).  Headings are Word's built-in "Heading n" (navigation pane, table of
# contents), restyled in `_headings`.
PARAGRAPH_STYLES = {
    "Body Text First Indent": ("Normal", None, False, None, INDENT, None, None),
    "Document Number": ("Normal", Pt(10), False, WD_ALIGN_PARAGRAPH.CENTER, None, None, None),
    "Subtitle": ("Normal", Pt(10), False, WD_ALIGN_PARAGRAPH.CENTER, None, None, None),
    "Addressee": ("Normal", None, True, None, None, None, None),
    "Status": ("Normal", None, True, None, None, None, None),
    "Note": ("Normal", Pt(9), False, None, None, None, None),
    "Right": ("Normal", None, False, WD_ALIGN_PARAGRAPH.RIGHT, None, None, None),
    "Table Text": ("Normal", Pt(9.5), False, None, None, None, None),
    "Table Number": ("Table Text", None, False, WD_ALIGN_PARAGRAPH.RIGHT, None, None, None),
    # quoted provisions: the text in a style of its own, with its heading and its dates
    "Provision Title": ("Normal", None, True, None, None, INDENT, HEADING_FONT),
    "Provision Note": ("Normal", Pt(8), False, None, None, INDENT, None),
    "Provision": ("Normal", None, False, None, INDENT, INDENT, QUOTE_FONT),
}
CHARACTER_STYLES = {          # name -> (bold, colour, size, highlight, font)
    "Blank": (True, RGBColor(0xB0, 0x00, 0x00), None, WD_COLOR_INDEX.YELLOW, None),
    "Conditional": (None, RGBColor(0x7A, 0x4B, 0x00), None, None, None),
    "Warning": (None, RGBColor(0x7A, 0x00, 0x00), None, None, None),
    "Small": (None, RGBColor(0x44, 0x44, 0x44), Pt(8), None, None),
    "Hash": (None, None, Pt(7.5), None, MONO_FONT),
}
HEADINGS = {1: Pt(20), 2: Pt(12.5), 3: Pt(11), 4: Pt(10.5), 5: Pt(10.5), 6: Pt(10.5)}
BLANK_HIGHLIGHT = WD_COLOR_INDEX.YELLOW


def new_document(lang: str):
    """An empty python-docx document with the page and the styles set."""
    import docx

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]

    defaults = doc.styles.element.find("{*}docDefaults/{*}rPrDefault/{*}rPr")
    ooxml.set_fonts(defaults, *BODY_FONT)
    ooxml.set_language(defaults, "zh-CN" if lang.startswith("zh") else "en-US")
    normal = doc.styles["Normal"]
    ooxml.set_fonts(normal.element.get_or_add_rPr(), *BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    _headings(doc)
    for name, (base, size, bold, align, first, left, font) in PARAGRAPH_STYLES.items():
        style = doc.styles[name] if name in doc.styles else \
            doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
        style.font.size, style.font.bold, style.font.italic = size, bold or None, None
        style.font.color.rgb = None
        pf = style.paragraph_format
        pf.alignment, pf.first_line_indent, pf.left_indent = align, first, left
        ooxml.set_fonts(style.element.get_or_add_rPr(), *(font or BODY_FONT))
    for name in ("Provision Title", "Provision Note"):
        doc.styles[name].paragraph_format.keep_with_next = True
    table_text = doc.styles["Table Text"].paragraph_format      # compact rows
    table_text.space_after, table_text.line_spacing = Pt(0), 1.15
    for name, (bold, colour, size, highlight, font) in CHARACTER_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.font.bold, style.font.size, style.font.highlight_color = bold, size, highlight
        if colour is not None:
            style.font.color.rgb = colour
        if font:
            ooxml.set_fonts(style.element.get_or_add_rPr(), *font)
    for name in ("List Number", "List Bullet"):
        doc.styles[name].paragraph_format.left_indent = INDENT
        doc.styles[name].paragraph_format.first_line_indent = -INDENT
    return doc


def _headings(doc) -> None:
    """Word's Heading 1-6 in 黑体, black, the sizes of the PDF; Heading 1 (the document's
    title) centred."""
    for level, size in HEADINGS.items():
        style = doc.styles[f"Heading {level}"]
        ooxml.set_fonts(style.element.get_or_add_rPr(), *HEADING_FONT)
        style.font.size, style.font.bold, style.font.italic = size, True, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if level <= 2 else 8)
        style.paragraph_format.space_after = Pt(4)
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def page_numbers(doc, before: str, middle: str, after: str, running: str = "") -> None:
    """The footer: `before` PAGE `middle` NUMPAGES `after`, centred (t.page of strings.yaml);
    with `running` text (the document number), a header on every page but the first, as the
    PDF has it."""
    section = doc.sections[0]
    footers = [section.footer]
    if running:
        section.different_first_page_header_footer = True
        footers.append(section.first_page_footer)
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(running).font.size = Pt(8)
    for footer in footers:
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(before)
        ooxml.add_field(p, "PAGE")
        p.add_run(middle)
        ooxml.add_field(p, "NUMPAGES")
        p.add_run(after)
        for run in p.runs:
            run.font.size = Pt(9)
