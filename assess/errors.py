"""One error type for everything a user can get wrong: it says where, what and what is expected.

The CLI prints `AssessError.format()` and exits with code 2; nothing else is shown.
"""
from __future__ import annotations


class AssessError(Exception):
    """A user-facing error with a location (file:line:col), the field, what was expected and a hint."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 col: int | None = None, field: str | None = None, expected: str | None = None,
                 hint: str | None = None, article: str | None = None):
        super().__init__(message)
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

    def format(self) -> str:
        lines = [f"{self.location}: error: {self.message}"]
        if self.field:
            lines.append(f"  field: {self.field}")
        if self.expected:
            lines.append(f"  expected: {self.expected}")
        if self.article:
            lines.append(f"  article: {self.article}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
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

    def format(self) -> str:
        return "\n".join(e.format() for e in self.errors)
