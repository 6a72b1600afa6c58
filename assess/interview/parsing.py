"""Typed answers -> case-file values (yes/no, choices, amounts, dates, ages, places)."""
from __future__ import annotations

from datetime import date

from .slots import Slot
from .wording import EN_LABELS

UNKNOWN_INPUT = ("unknown", "不确定", "不知道", "未知")
YES_INPUT = ("yes", "y", "是", "有", "对", "是的", "1", "true")
NO_INPUT = ("no", "n", "否", "无", "没有", "不是", "2", "false")


class Parsing:
    """Reading a typed answer (mixed into the session; needs self.lang, self.w, self.as_of)."""

    def parse(self, slot: Slot, raw: str):
        """(value, echo) for a typed answer; raises ValueError with the reason."""
        w = self.w
        low = raw.strip().lower()
        if slot.kind in ("gate", "more"):
            if low in YES_INPUT:
                return "yes", None
            if low in NO_INPUT:
                return "no", None
            if slot.kind == "gate" and low in UNKNOWN_INPUT:
                return "unknown", None
            raise ValueError(w["not_yesno"] if slot.kind == "gate" else
                             w["not_yesno"].replace(" / 不确定", "").replace(" / unknown", ""))
        q = self.question(slot)
        if not low:
            if q.type == "text":
                return None, None
            raise ValueError(w["empty"])
        if low in UNKNOWN_INPUT:
            if not q.unknown:
                raise ValueError(w["no_unknown"])
            return "unknown", None
        if q.type == "yesno":
            if low in YES_INPUT:
                return "yes", None
            if low in NO_INPUT:
                return "no", None
            raise ValueError(w["not_yesno"])
        if q.type == "choice":
            options = [v for v in (q.values or {}) if v != "unknown"]
            if low.isdigit() and 1 <= int(low) <= len(options):
                return options[int(low) - 1], None
            for v in options:
                if low in (v, (q.values or {}).get(v, "").lower(), EN_LABELS.get(v, "").lower()):
                    return v, None
            # everyday words (rules/questions.yaml `synonyms`): "P图的", "AI生成的", "摆拍的"
            for word in (low, low.removesuffix("的"), low.removesuffix("的照片"),
                         low.removesuffix("的图")):
                if word in q.synonyms:
                    v = q.synonyms[word]
                    return v, self.choice_label(q, v)
            raise ValueError(w["not_choice"].format(
                opts=", ".join(f"{i}) {self.choice_label(q, v)}" for i, v in enumerate(options, 1))))
        if q.type == "amount":
            from ..amounts import format_amount, parse_amount, to_json_number
            try:
                a = parse_amount(raw)
            except ValueError as exc:
                if self.lang != "zh":
                    raise
                why = str(exc)
                if "negative" in why:
                    raise ValueError("金额不能为负数") from None
                if "decimal places" in why:
                    raise ValueError("金额最多两位小数（分）") from None
                raise ValueError(f"“{raw}”不是可识别的金额；可以写成 3500、3,500、¥3,500、"
                                 f"人民币3500元、三千五百元、3.5万") from None
            if a is None:
                return "unknown", None
            return to_json_number(a), format_amount(a, self.lang)
        if q.type == "date":
            d = self.parse_date(raw)
            return d.isoformat(), self.date_echo(d)
        if q.type == "integer":
            from ..case import to_age
            lo, hi = q.validation.get("min", 0), q.validation.get("max", 120)
            n = to_age(raw)
            if n is None and q.date_field:
                try:
                    d = self.parse_date(raw)
                except ValueError:
                    d = None
                if d is not None:
                    return ("date", d.isoformat()), d.isoformat()
            if n is None or not lo <= n <= hi:
                raise ValueError(w["not_int"].format(lo=lo, hi=hi))
            return n, None
        if q.type == "file":
            import hashlib
            import os

            path = self.resolve_file(raw)
            if not path.is_file():
                raise ValueError(self.w["no_file"].format(path=path))
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                raise ValueError(self.w["no_file"].format(path=f"{path} ({exc.strerror})")) \
                    from None
            try:
                name = os.path.relpath(path, self.path.parent)
            except ValueError:                      # another drive (Windows)
                name = str(path)
            if name.startswith(".."):
                name = str(path.resolve())
            return name, self.w["file_echo"].format(path=name, sha=digest)
        if q.type == "place":
            from ..places import resolve_place
            try:
                place = resolve_place(raw.strip())
            except ValueError as exc:
                # the resolver says why in both languages ("… / 中文"): keep the reason
                en, _, zh = str(exc).partition(" / ")
                if self.lang != "zh":
                    raise ValueError(en) from None
                raise ValueError(zh or f"找不到“{raw.strip()}”；请写完整：省+市+区/县，"
                                       f"例如 广东省深圳市南山区") from None
            return raw.strip(), place
        return raw.strip(), None

    def parse_date(self, raw: str) -> date:
        """A date as typed; "11月17日" (no year) is the last such day on or before the as-of date."""
        from ..dates import parse_date, parse_relative

        try:
            d = parse_relative(raw, self.as_of) or parse_date(raw)
        except ValueError as exc:
            if "has no year" not in str(exc):
                if self.lang == "zh":
                    raise ValueError(f"“{raw}”不是有效日期；可以写成 2025-11-17、"
                                     f"2025年11月17日、11月17日、昨天、上周五 或 3天前") from None
                raise
            d = parse_date(raw, default_year=self.as_of.year)
            if d is not None and d > self.as_of:
                d = parse_date(raw, default_year=self.as_of.year - 1)
        if d is None:
            raise ValueError(self.w["empty"])
        if d > self.as_of:
            raise ValueError((f"{d.isoformat()} 晚于评估日 {self.as_of.isoformat()}"
                              if self.lang == "zh" else
                              f"{d.isoformat()} is after the as-of date {self.as_of.isoformat()}"))
        return d

    def date_echo(self, d: date) -> str:
        """2025-11-28（星期五） / 2025-11-28 (Friday): what a typed date was read as."""
        return self.w["date_echo"].format(date=d.isoformat(), day=self.w["weekdays"][d.weekday()])
