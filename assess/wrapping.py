"""Wrapping text for the terminal, Chinese and English alike.

* CJK characters take two columns (wcwidth); ASCII words stay together; Chinese breaks between
  any two characters.
* Closing punctuation never starts a line (避头): the mark stays with the character before it
  and the two move to the next line together; opening punctuation never ends one (避尾).
* `markup=True`: rich's `[bold]`/`[/bold]` tags take no room, and every wrapped line opens and
  closes its own tags, so each line is valid rich markup by itself.
"""
from __future__ import annotations

import re

NO_LINE_START = set("，。、；：？！）》」』】〕”’…·%,.;:?!)]}")
NO_LINE_END = set("（《「『【〔“‘([{")            # opening marks go with the text after them
_TAGS = re.compile(r"(\[/?bold\])")


def width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    from wcwidth import wcswidth, wcwidth

    w = wcswidth(text)
    if w >= 0:
        return w
    return sum(max(wcwidth(c), 0) for c in text)


def _units(para: str, markup: bool) -> list[str]:
    tokens: list[str] = []
    for part in (_TAGS.split(para) if markup else [para]):
        if markup and _TAGS.fullmatch(part):
            tokens.append(part)
            continue
        word = ""
        for ch in part:              # keep ASCII words together, break anywhere between CJK
            if ch.isascii() and not ch.isspace():
                word += ch
                continue
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        if word:
            tokens.append(word)
    units: list[str] = []
    opening = ""                     # an opening tag goes with the text after it
    for tok in tokens:
        if (tok == "[bold]" and markup) or tok in NO_LINE_END:
            opening += tok
        elif units and not units[-1].isspace() and (
                tok in NO_LINE_START or (markup and tok == "[/bold]")):
            units[-1] += opening + tok   # closing marks and tags go with the text before them
            opening = ""
        else:
            units.append(opening + tok)
            opening = ""
    if opening:
        units.append(opening)
    return units


def _columns(unit: str, markup: bool) -> int:
    return width(_TAGS.sub("", unit) if markup else unit)


def wrap(text: str, cols: int = 78, indent: str = "", first: str | None = None,
         markup: bool = False) -> list[str]:
    """Wrap text to `cols` terminal columns; later lines start with `indent`, the first with
    `first` (default: `indent`)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        prefix = first if (first is not None and not out) else indent
        line, used = prefix, width(prefix)
        for unit in _units(para, markup):
            w = _columns(unit, markup)
            if used + w > cols and line.strip() and w:
                out.append(line.rstrip())
                line, used = indent, width(indent)
                if unit == " ":
                    continue
            line += unit
            used += w
        out.append(line.rstrip())
    return _balance(out) if markup else out


def _balance(lines: list[str]) -> list[str]:
    """Close a [bold] left open at the end of a line and open it again on the next."""
    out, open_ = [], False
    for line in lines:
        text = ("[bold]" if open_ else "") + line
        for tag in _TAGS.findall(line):
            open_ = tag == "[bold]"
        out.append(text + ("[/bold]" if open_ else ""))
    return out
