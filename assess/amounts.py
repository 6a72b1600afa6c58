"""Money amounts as a lawyer types them: 3500, "3,500", "¥3,500", "三千五百元", "3.5万", "叁仟伍佰元整",
and as a merchant says them: "195块", "一百九十五块钱".

Chinese numerals are read by cn2an ("smart" mode) after the currency prefix and the thousands
separators are removed; plain Arabic numbers are read by `Decimal` so that no cent is lost.
`None` means "unknown" (a first-class answer in a case file).
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

UNKNOWN_WORDS: frozenset[str] = frozenset({"unknown", "不确定", "不知道", "未知", "?", "？"})

ACCEPTED_FORMS = ('a number such as 3500 or 3500.50, "3,500", "¥3,500", "人民币3500元", '
                  '"三千五百元", "叁仟伍佰元整", "3.5万", "195块", or "unknown"/"未知"')
ACCEPTED_FORMS_ZH = ('数字，如 3500 或 3500.50、3,500、¥3,500、人民币3500元、三千五百元、叁仟伍佰元整、'
                     '3.5万、195块，或者 unknown/未知')

_PREFIXES = ("人民币", "RMB", "CNY", "¥", "￥")
_GROUPED = re.compile(r"^\d{1,3}(?:[,，]\d{3})+$")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:元)?(?:整)?$")
# everyday words for 元: "195块", "195块钱", "一百九十五块钱", "195元钱"
_YUAN_WORDS = ("块钱", "元钱", "块")


def cents(amount: float) -> int:
    """An amount (at most two decimals: parse_amount) in whole cents."""
    return round(amount * 100)


def add(amounts) -> float:
    """The sum of amounts as the float nearest the exact sum: added up in whole cents
    (1,998.61 + 899.79 + 101.60 is 3,000, where the floats add up to 2,999.9999999999995)."""
    return sum(cents(a) for a in amounts) / 100


def is_unknown(value) -> bool:
    """True when `value` is one of the words that mean "unknown" (any case, surrounding spaces ignored)."""
    return isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS


class InputError(ValueError):
    """A value that cannot be read, with the reason also in Chinese (`zh`)."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


_WHY_ZH = {"not a finite number": "不是有限的数", "a yes/no answer": "这是是/否回答", "empty": "为空",
           "thousands separators must group three digits, as in 3,500": "千位分隔符须每三位一组，如 3,500"}


def _bad(value, why: str | None = None) -> ValueError:
    reason = f" ({why})" if why else ""
    why_zh = _WHY_ZH.get(why or "", why or "")
    return InputError(f"'{value}' is not an amount of money{reason}; accepted forms: {ACCEPTED_FORMS}",
                      f"“{value}”不是可识别的金额" + (f"（{why_zh}）" if why_zh else "")
                      + f"；可以写成：{ACCEPTED_FORMS_ZH}")


# A sanity bound, not a legal figure: no refund-only request is for more, and larger numbers
# reach the bounds the reasoning uses for "no limit" (evaluator.BIG).  The sum of a case's
# amounts is bounded as well (case.py).
MAX_AMOUNT = Decimal(10) ** 10
MAX_TOTAL = Decimal(10) ** 11


def _check(d: Decimal, original) -> Decimal:
    if not d.is_finite():
        raise _bad(original, "not a finite number")
    if d > MAX_AMOUNT:
        raise InputError(f"amount '{original}' is more than {MAX_AMOUNT:,} yuan; no refund is that "
                         f"large — check the digits",
                         f"金额“{original}”超过 {MAX_AMOUNT:,} 元，不可能是一笔退款的金额，请核对位数")
    if d < 0:
        raise InputError(f"amount '{original}' is negative; an amount obtained or sought must be 0 or more",
                         f"金额“{original}”是负数；取得或意图取得的金额应为 0 或以上")
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    cents = d.quantize(Decimal("0.01"))
    if cents != d:
        raise InputError(f"amount '{original}' has more than two decimal places (cents / 分)",
                         f"金额“{original}”超过两位小数（最小单位为分）")
    return cents


def parse_amount(value) -> Decimal | None:
    """Read an amount in yuan; None means unknown.  Raises ValueError naming the accepted forms."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad(value, "a yes/no answer")
    if isinstance(value, Decimal):
        return _check(value, value)
    if isinstance(value, int):
        return _check(Decimal(value), value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise _bad(value, "not a finite number")
        return _check(Decimal(repr(value)), value)
    if not isinstance(value, str):
        raise _bad(value, f"a {type(value).__name__}, not text or a number")
    text = value.strip()
    if not text:
        raise _bad(value, "empty")
    if text.lower() in UNKNOWN_WORDS:
        return None
    for group in re.findall(r"\d[\d,，]*", text):
        if ("," in group or "，" in group) and not _GROUPED.match(group):
            raise _bad(value, "thousands separators must group three digits, as in 3,500")
    s = re.sub(r"[\s,，']", "", text)
    sign = ""
    if s[:1] in "+-－":
        sign, s = ("-" if s[0] != "+" else ""), s[1:]
    for prefix in _PREFIXES:
        if s.upper().startswith(prefix):
            s = s[len(prefix):]
    s = sign + s
    if s.upper().endswith(("RMB", "CNY")):
        s = s[:-3]
    for word in _YUAN_WORDS:
        if s.endswith(word):
            s = s[:-len(word)] + "元"
            break
    if not s:
        raise _bad(value)
    if _PLAIN.match(s):
        try:
            d = Decimal(s.removesuffix("整").removesuffix("元"))
        except InvalidOperation:  # pragma: no cover - the regex guarantees a number
            raise _bad(value) from None
        return _check(d, value)
    import cn2an  # fast import (0.1 s), kept local so that callers that never read amounts skip it

    try:
        number = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise _bad(value) from None
    return _check(Decimal(repr(number)) if isinstance(number, float) else Decimal(number), value)


def to_json_number(d: Decimal) -> int | float:
    """The amount as a JSON number: an int when whole, else a float (at most two decimals)."""
    return int(d) if d == d.to_integral_value() else float(d)


def format_amount(d: Decimal | None, lang: str = "zh") -> str:
    """'3,500元' (zh) or 'CNY 3,500' (en); cents are shown only when there are any; None → 未知/unknown."""
    if d is None:
        return "未知" if lang == "zh" else "unknown"
    d = Decimal(d)
    if d == d.to_integral_value():
        text = f"{int(d):,}"
    else:
        text = f"{d.quantize(Decimal('0.01')):,.2f}"
    return f"{text}元" if lang == "zh" else f"CNY {text}"
