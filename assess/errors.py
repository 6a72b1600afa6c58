"""One error type for everything a user can get wrong: it says where, what and what is expected.

The CLI prints `AssessError.format()` and exits with code 2; nothing else is shown.
"""
from __future__ import annotations


LABELS = {"en": {"error": "error: ", "field": "field: ", "expected": "expected: ",
                  "article": "article: ", "hint": "hint: "},
          "zh": {"error": "错误：", "field": "字段：", "expected": "应为：", "article": "条文：",
                  "hint": "提示："}}


class AssessError(Exception):
    """A user-facing error with a location (file:line:col), the field, what was expected and a hint."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 col: int | None = None, field: str | None = None, expected: str | None = None,
                 hint: str | None = None, article: str | None = None, zh: dict | None = None):
        super().__init__(message)
        # the same message in Chinese, where one is written: {"message", "expected", "hint"}
        self.zh = zh or {}
        self.message = message
        self.file = file
        self.line = line
        self.col = col
        self.field = field
        self.expected = expected
        self.hint = hint
        self.article = article

    @property
    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def text(self, lang: str = "en") -> dict:
        """message, expected and hint in `lang` (English where no Chinese text is written)."""
        zh = self.zh if lang == "zh" and self.zh.get("message") else {}
        return {k: zh.get(k, getattr(self, k)) if zh else getattr(self, k)
                for k in ("message", "expected", "hint")}

    def format(self, lang: str = "en") -> str:
        t = self.text(lang)
        words = LABELS["zh" if lang == "zh" and self.zh.get("message") else "en"]
        lines = [f"{self.location}: {words['error']}{t['message']}"]
        if self.field:
            lines.append(f"  {words['field']}{self.field}")
        if t["expected"]:
            lines.append(f"  {words['expected']}{t['expected']}")
        if self.article:
            lines.append(f"  {words['article']}{self.article}")
        if t["hint"]:
            lines.append(f"  {words['hint']}{t['hint']}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class AssessErrors(AssessError):
    """Several errors found in one pass (a whole file is checked before giving up)."""

    def __init__(self, errors: list[AssessError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, col=first.col,
                         field=first.field, expected=first.expected, hint=first.hint,
                         article=first.article)

    def format(self, lang: str = "en") -> str:
        return "\n".join(e.format(lang) for e in self.errors)
