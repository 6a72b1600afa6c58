"""Calendar dates as typed in a case file: 2025-11-17, 2025年11月17日, 2025/11/17, 2025.11.17.

Dates written with Chinese numerals (二〇二五年十一月十七日) are first turned into digits by
cn2an.  "11月17日" (no year) is accepted only when the caller supplies a default year.
`None` means "unknown".  Whether a date lies in the future is checked by the caller, which knows
the as-of date.

`parse_relative(text, today)` reads the everyday words a merchant uses in the questionnaire:
今天, 昨天, 前天, 大前天, "3天前" / "三天前", 上周五 (Friday of the previous calendar week, weeks
starting on Monday), 本周一 / 这周一, 上上周五, and in English today, yesterday, "3 days ago",
"last friday".  A case file holds only calendar dates: the questionnaire turns these into one and
echoes it.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from .amounts import UNKNOWN_WORDS, InputError

ACCEPTED_FORMS = "YYYY-MM-DD (2025-11-17), 2025年11月17日, 2025/11/17 or 2025.11.17, or unknown/未知"
ACCEPTED_FORMS_ZH = "2025-11-17、2025年11月17日、2025/11/17 或 2025.11.17，或者 unknown/未知"

_FULL = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2}))$")
_CN_DIGITS = re.compile(r"[〇零一二三四五六七八九十两]")

_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3,
              "today": 0, "yesterday": 1}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_AGO = re.compile(r"^(\d+|[一二两三四五六七八九十]+)\s*(?:天|日)\s*(?:前|以前|之前)$")
_EN_AGO = re.compile(r"^(\d+)\s*days?\s+ago$")
_WEEK = re.compile(r"^(上上|上|本|这|这个|上个)?\s*(?:周|星期|礼拜)([一二三四五六日天末])$")
_EN_WEEK = re.compile(r"^(last|this)\s+(" + "|".join(_EN_WEEKDAYS) + r")$")


def _make(year: int, month: int, day: int, original) -> date:
    if year < 1900:
        raise InputError(f"'{original}' is not a plausible date (year {year}); expected {ACCEPTED_FORMS}",
                         f"“{original}”不像是日期（{year}年）；应写成 {ACCEPTED_FORMS_ZH}")
    if not 1 <= month <= 12:
        raise InputError(f"'{original}' is not a valid date: there is no month {month}; expected {ACCEPTED_FORMS}",
                         f"“{original}”不是有效日期：没有{month}月；应写成 {ACCEPTED_FORMS_ZH}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InputError(f"'{original}' is not a valid date: {year}-{month:02d} has {last} days; "
                         f"expected {ACCEPTED_FORMS}",
                         f"“{original}”不是有效日期：{year}年{month}月只有{last}天；应写成 {ACCEPTED_FORMS_ZH}")
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
        raise InputError(f"'{value}' is not a date; expected {ACCEPTED_FORMS}",
                         f"“{value}”不是日期；应写成 {ACCEPTED_FORMS_ZH}")
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
            raise InputError(f"'{value}' has no year; expected {ACCEPTED_FORMS}",
                             f"“{value}”没有年份；应写成 {ACCEPTED_FORMS_ZH}")
        return _make(default_year, int(m.group(1)), int(m.group(2) or m.group(3)), value)
    raise InputError(f"'{value}' is not a date; expected {ACCEPTED_FORMS}",
                     f"“{value}”不是日期；应写成 {ACCEPTED_FORMS_ZH}")


def parse_relative(text, today: date) -> date | None:
    """A relative date (昨天, 上周五, 3天前, yesterday, last friday) counted back from `today`;
    None when the text is not one of these forms."""
    from datetime import timedelta

    if not isinstance(text, str):
        return None
    t = re.sub(r"\s+", " ", text.strip().lower()).removesuffix("的时候").removesuffix("那天")
    if t in _DAYS_BACK:
        return today - timedelta(days=_DAYS_BACK[t])
    m = _AGO.match(t) or _EN_AGO.match(t)
    if m:
        n = m.group(1)
        if not n.isdigit():
            import cn2an
            try:
                n = int(cn2an.cn2an(n, "smart"))
            except (ValueError, KeyError, IndexError, TypeError):
                return None
        return today - timedelta(days=int(n))
    monday = today - timedelta(days=today.weekday())
    m = _WEEK.match(t)
    if m:
        back = {"上上": 2, "上": 1, "上个": 1}.get(m.group(1) or "", 0)
        d = monday - timedelta(weeks=back) + timedelta(days=_WEEKDAYS[m.group(2)])
        if not m.group(1) and d > today:            # a bare 周五: the last Friday
            d -= timedelta(weeks=1)
        return d
    m = _EN_WEEK.match(t)
    if m:
        back = 1 if m.group(1) == "last" else 0
        return monday - timedelta(weeks=back) + timedelta(days=_EN_WEEKDAYS.index(m.group(2)))
    return None
