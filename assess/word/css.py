"""What the document's stylesheets (templates/assets/style.css, the templates' <style> blocks,
style="" attributes) say about layout that Word keeps too, so new template content comes
through without a change here:

* `width: N%` of table cells and <col>s → the Word table's column widths;
* `break-before: page` (or `page-break-before: always`) → the paragraph starts a new page;
* `white-space: pre | pre-line | pre-wrap` → line breaks in the text are kept;
* `break-inside: avoid` (or `page-break-inside: avoid`) on a table row → the row is not split
  across pages.

tinycss2 parses the CSS and cssselect2 matches the selectors (both are WeasyPrint's own
libraries); the cascade is the usual one (style attribute, then the most specific and latest
rule).  Everything else about the look comes from the Word styles (styles.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PROPERTIES = ("width", "break-before", "page-break-before", "white-space", "break-inside",
              "page-break-inside")
PAGE_BREAKS = {"break-before": {"page", "left", "right", "recto", "verso"},
               "page-break-before": {"always", "left", "right"}}
KEEP_LINES = {"pre", "pre-line", "pre-wrap", "break-spaces"}
_PERCENT = re.compile(r"([\d.]+)%")


@dataclass
class Layout:
    widths: dict = field(default_factory=dict)       # element -> width in % of its table
    page_breaks: set = field(default_factory=set)    # elements that start a new page
    keep_lines: set = field(default_factory=set)     # elements whose line breaks are kept
    unsplit: set = field(default_factory=set)        # elements not to split across pages


def stylesheets(tree, base: Path | None) -> list[str]:
    """The CSS of the document: linked stylesheets found under `base` (as the PDF's fetcher,
    nothing outside it is read), then the <style> blocks, in document order."""
    sheets = []
    root = Path(base).resolve() if base else None
    for el in tree.iter("link", "style"):
        if el.tag == "style":
            sheets.append(el.text or "")
        elif root and "stylesheet" in (el.get("rel") or "").split() and el.get("href"):
            path = (root / el.get("href")).resolve()
            if path.is_relative_to(root) and path.is_file():
                sheets.append(path.read_text(encoding="utf-8", errors="replace"))
    return sheets


def _declarations(tokens) -> dict:
    """{property: value} of the PROPERTIES among parsed declarations (lower case)."""
    import tinycss2

    found = {}
    for d in tokens:
        if d.type == "declaration" and d.lower_name in PROPERTIES:
            found[d.lower_name] = tinycss2.serialize(d.value).strip().lower()
    return found


def layout(tree, sheets: list[str]) -> Layout:
    """The Layout of an HTML tree under its stylesheets."""
    import cssselect2
    import tinycss2

    matcher = cssselect2.Matcher()
    for css in sheets:
        for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
            if rule.type != "qualified-rule":
                continue
            values = _declarations(tinycss2.parse_declaration_list(rule.content))
            if not values:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            for selector in selectors:
                matcher.add_selector(selector, values)
    out = Layout()
    for wrapper in cssselect2.ElementWrapper.from_html_root(tree).iter_subtree():
        values = {}
        for _, _, _, payload in sorted(matcher.match(wrapper), key=lambda m: (m[0], m[1])):
            values.update(payload)
        el = wrapper.etree_element
        if el.get("style"):
            values.update(_declarations(tinycss2.parse_declaration_list(el.get("style"))))
        width = _PERCENT.fullmatch(values.get("width", ""))
        if width and wrapper.local_name in ("th", "td", "col"):
            out.widths[el] = float(width[1])
        if any(values.get(p) in v for p, v in PAGE_BREAKS.items()):
            out.page_breaks.add(el)
        if values.get("white-space") in KEEP_LINES:
            out.keep_lines.add(el)
        if "avoid" in (values.get("break-inside"), values.get("page-break-inside")):
            out.unsplit.add(el)
    return out
