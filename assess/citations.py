"""Citations as rules write them: a provision, optionally one of its paragraphs (款) and items (项),
optionally the date it is read at.

    criminal-law/266                 the article
    criminal-law/17#4                its fourth paragraph (第四款)
    fraud-interpretation/2#1.3       paragraph 1, item 3 (第一款第三项)
    psapl/49@conduct                 the article in the version in force at the conduct date

Paragraphs and items are found in the verbatim text of statutes/: paragraphs are separated by an
empty line; a paragraph that starts with （一）, （二） … is an item of the paragraph before it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CITE = re.compile(r"^(?P<pid>[a-z0-9-]+/[A-Za-z0-9-]+)"
                  r"(?:#(?P<para>[1-9][0-9]*)(?:\.(?P<item>[1-9][0-9]*))?)?"
                  r"(?:@(?P<on>conduct|decision))?$")
FORM = "law/article[#paragraph[.item]][@conduct|@decision], e.g. criminal-law/17#4 or psapl/49@conduct"
_ITEM = re.compile(r"^（[一二三四五六七八九十]+）")
_NUM = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Cite:
    pid: str                      # the provision (article) id, e.g. criminal-law/17
    para: int | None = None       # 款, from 1
    item: int | None = None       # 项, from 1
    on: str | None = None         # conduct | decision | None (the rule's own date)

    @property
    def part(self) -> str:
        """The cited part without the date: criminal-law/17#4, fraud-interpretation/2#1.3."""
        if self.para is None:
            return self.pid
        return f"{self.pid}#{self.para}" + (f".{self.item}" if self.item else "")


def parse_cite(text: str) -> Cite | None:
    """The parts of a citation, or None when it is not written in the citation form."""
    m = CITE.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        return None
    return Cite(m["pid"], int(m["para"]) if m["para"] else None,
                int(m["item"]) if m["item"] else None, m["on"])


def pid_of(text: str) -> str:
    """The provision id of a citation (the text before any #, . or @)."""
    c = parse_cite(text)
    return c.pid if c else re.split(r"[#@]", text, maxsplit=1)[0]


def paragraphs(text: str) -> list[tuple[str, list[str]]]:
    """[(paragraph, [items])] of a provision's text."""
    out: list[tuple[str, list[str]]] = []
    for block in (b.strip() for b in re.split(r"\n\s*\n", text or "")):
        if not block:
            continue
        if _ITEM.match(block) and out:
            out[-1][1].append(block)
        else:
            out.append((block, []))
    return out


def part_text(text: str, para: int | None, item: int | None = None) -> str | None:
    """The text of paragraph `para` (item `item`) of a provision, None when it has no such part."""
    if para is None:
        return text
    paras = paragraphs(text)
    if not 1 <= para <= len(paras):
        return None
    head, items = paras[para - 1]
    if item is None:
        return "\n\n".join([head] + items)
    return items[item - 1] if 1 <= item <= len(items) else None


def _cn(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _NUM[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUM[tens]) + "十" + (_NUM[ones] if ones else "")


def cite_label(c: dict, lang: str) -> str:
    """A cited provision of the result JSON as people read it: law, article label and 款/项 in
    Chinese; "Criminal Law art. 17(4)" in English."""
    if lang == "zh":
        return f"{c['law']}{c.get('label') or c['article']}"
    parts = "".join(f"({n})" for n in (c.get("paragraph"), c.get("item")) if n)
    number = c["id"].split("/", 1)[1]
    if not number[:1].isdigit():        # an annex or a clause of a standard: its English title
        title = (c.get("title") or {}).get("en")
        return f"{c['law']}, {title}" if title else f"{c['law']} {number}"
    return f"{c['law']} art. {number}{parts}"


def part_label(article: str, cite: Cite) -> str:
    """The article label from statutes/ followed by 第N款 and 第N项 (Chinese numerals)."""
    if cite.para is None:
        return article
    label = f"{article}第{_cn(cite.para)}款"
    return label + (f"第{_cn(cite.item)}项" if cite.item else "")
