"""Column widths from the document's stylesheets (templates/assets/style.css, the templates'
<style> blocks, style="" attributes), so a Word table divides its width as the PDF's does.

Only `width: N%` of table cells and <col> elements is read (tinycss2 parses the CSS,
cssselect2 matches the selectors: both are WeasyPrint's own libraries); the rest of the look
comes from the Word styles (styles.py).
"""
from __future__ import annotations

from pathlib import Path

WIDTH_OF = ("th", "td", "col")


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


def _percentage(declarations):
    """The last `width: N%` among parsed declarations, or None."""
    found = None
    for d in declarations:
        if d.type == "declaration" and d.lower_name == "width":
            values = [t for t in d.value if t.type not in ("whitespace", "comment")]
            if len(values) == 1 and values[0].type == "percentage":
                found = float(values[0].value)
    return found


def percentage_widths(tree, sheets: list[str]) -> dict:
    """{element: width in % of its table} for the cells and <col>s a rule or a style=""
    attribute gives a percentage width (the attribute, else the most specific, latest rule)."""
    import cssselect2
    import tinycss2

    matcher = cssselect2.Matcher()
    for css in sheets:
        for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
            if rule.type != "qualified-rule":
                continue
            width = _percentage(tinycss2.parse_declaration_list(rule.content))
            if width is None:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            for selector in selectors:
                matcher.add_selector(selector, width)
    widths = {}
    for wrapper in cssselect2.ElementWrapper.from_html_root(tree).iter_subtree():
        if wrapper.local_name not in WIDTH_OF:
            continue
        el = wrapper.etree_element
        inline = _percentage(tinycss2.parse_declaration_list(el.get("style") or ""))
        if inline is not None:
            widths[el] = inline
            continue
        matches = matcher.match(wrapper)
        if matches:
            widths[el] = max(matches, key=lambda m: (m[0], m[1]))[3]
    return widths
