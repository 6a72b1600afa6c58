from decimal import Decimal

import pytest

from assess.amounts import UNKNOWN_WORDS, format_amount, parse_amount


@pytest.mark.parametrize("text, expected", [
    ("三千五百元", "3500"),
    ("3.5万", "35000"),
    ("¥3,500", "3500"),
    ("￥3,500", "3500"),
    ("叁仟伍佰元整", "3500"),
    ("人民币3500元", "3500"),
    ("人民币叁仟伍佰元整", "3500"),
    ("3,500.50", "3500.50"),
    ("3500", "3500"),
    ("3500元整", "3500"),
    ("1万5千", "15000"),
    ("两千", "2000"),
    ("CNY 3500", "3500"),
    (3500, "3500"),
    (3500.5, "3500.50"),
    (0, "0"),
    ("0", "0"),
])
def test_accepted_forms(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("word", sorted(UNKNOWN_WORDS) + ["Unknown", " 未知 ", None])
def test_unknown(word):
    assert parse_amount(word) is None


@pytest.mark.parametrize("bad", ["-3500", -1, "-¥3,500", "负三千"])
def test_negative_rejected(bad):
    with pytest.raises(ValueError, match="negative"):
        parse_amount(bad)


@pytest.mark.parametrize("bad", ["abc", "", True, "35,00", [1], "3500.555"])
def test_nonsense_rejected_with_forms(bad):
    with pytest.raises(ValueError) as info:
        parse_amount(bad)
    msg = str(info.value)
    assert "accepted forms" in msg or "decimal places" in msg


def test_message_names_forms():
    with pytest.raises(ValueError) as info:
        parse_amount("abc")
    assert "三千五百元" in str(info.value) and "3.5万" in str(info.value)


def test_format_amount():
    assert format_amount(Decimal("3500")) == "3,500元"
    assert format_amount(Decimal("3500"), lang="en") == "CNY 3,500"
    assert format_amount(Decimal("3500.50")) == "3,500.50元"
    assert format_amount(Decimal("6800"), "en") == "CNY 6,800"
    assert format_amount(None) == "未知"
