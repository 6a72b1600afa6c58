"""Calendar dates as typed in a case file: 2025-11-17, 2025年11月17日, 2025/11/17, 2025.11.17.

Dates written with Chinese numerals (二〇二五年十一月十七日) are first turned into digits by
cn2an.  "11月17日" (no year) is accepted only when the caller supplies a default year.
`None` means "unknown".  Whether a date lies in the future is checked by the caller, which knows
the as-of date.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from .amounts import UNKNOWN_WORDS

ACCEPTED_FORMS = "YYYY-MM-DD (2025-11-17), 2025年11月17日, 2025/11/17 or 2025.11.17, or unknown/未知"

_FULL = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2}))$")
_CN_DIGITS = re.compile(r"[〇零一二三四五六七八九十两]")


def _make(year: int, month: int, day: int, original) -> date:
    if year < 1900:
        raise ValueError(f"'{original}' is not a plausible date (year {year}); expected {ACCEPTED_FORMS}")
    if not 1 <= month <= 12:
        raise ValueError(f"'{original}' is not a valid date: there is no month {month}; expected {ACCEPTED_FORMS}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"'{original}' is not a valid date: {year}-{month:02d} has {last} days; "
                         f"expected {ACCEPTED_FORMS}")
    return date(year, month, day)


def parse_date(value, *, default_year: int | None = None) -> date | None:
    """Read a date; None means unknown.  Raises ValueError naming the value and the accepted forms."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"'{value}' is not a date; expected {ACCEPTED_FORMS}")
    text = value.strip()
    if text.lower() in UNKNOWN_WORDS:
        return None
    if _CN_DIGITS.search(text):
        import cn2an

        try:
            text = cn2an.transform(text, "cn2an")
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    m = _FULL.match(text)
    if m:
        year = int(m.group(1))
        month = int(m.group(2) or m.group(4))
        day = int(m.group(3) or m.group(5))
        return _make(year, month, day, value)
    m = _NO_YEAR.match(text)
    if m:
        if default_year is None:
            raise ValueError(f"'{value}' has no year; expected {ACCEPTED_FORMS}")
        return _make(default_year, int(m.group(1)), int(m.group(2) or m.group(3)), value)
    raise ValueError(f"'{value}' is not a date; expected {ACCEPTED_FORMS}")
