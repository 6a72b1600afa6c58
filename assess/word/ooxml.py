"""The few things python-docx has no API for, each a small edit of python-docx's own XML.

python-docx (1.2) cannot yet: declare an East Asian font (it sets only w:ascii/w:hAnsi), mark a
table row as a header row that repeats on every page (w:tblHeader) or as a row not to split
(w:cantSplit), insert a field (PAGE, NUMPAGES), or start a numbered list again at 1.  Each
function below does one of these on an element python-docx made; nothing here builds a
document by hand.
"""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Theme font attributes take precedence over named fonts in the same w:rFonts: they go, so the
# named fonts apply (the default template's headings use the theme's Latin "major" font).
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Name the Latin and the East Asian font in run properties (w:rPr of a style or of the
    document defaults): w:rFonts ascii/hAnsi and eastAsia."""
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def set_language(rpr, lang: str, east_asian: str = "zh-CN") -> None:
    """The document's language (spelling, and which characters count as East Asian) in the
    run defaults' w:rPr: w:lang val and eastAsia (the default template has a w:lang)."""
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), east_asian)
    el.attrib.pop(qn("w:bidi"), None)


def repeat_as_header(row) -> None:
    """Mark a table row as a header row: Word and LibreOffice repeat it on every page the
    table runs over (w:trPr/w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_row_on_one_page(row) -> None:
    """Do not split a table row across pages (w:trPr/w:cantSplit)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))   # before w:tblHeader, as the schema orders


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a simple field (w:fldSimple, e.g. PAGE or NUMPAGES) to a paragraph; the
    placeholder shows until the word processor computes the field."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def restart_numbering(document, style) -> int:
    """A new numbering instance (w:num) of the list style's numbering, starting at 1 again;
    returns its id for `number_paragraph`.  Without it every numbered list of the document
    would continue the previous one."""
    numbering = document.part.numbering_part.element
    num_id = style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def number_paragraph(paragraph, num_id: int, level: int = 0) -> None:
    """Put a paragraph in the numbering instance `num_id` (w:numPr) at `level`."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id

