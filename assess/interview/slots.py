"""Slots (one answer place: a field, a group's gate, its "another one?") and paths in the case data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_MISSING = object()


@dataclass(frozen=True)
class Slot:
    kind: str                 # "field" | "gate" | "more"
    qid: str                  # the question id (field) or the group id (gate, more)
    index: int | None = None  # the entry of a group

    @property
    def key(self) -> str:
        if self.kind == "gate":
            return self.qid
        if self.kind == "more":
            return f"{self.qid}.more[{self.index}]"
        return self.qid if self.index is None else f"{self.qid}[{self.index}]"

    @property
    def answer_id(self) -> str:
        """The id an answers file uses (without the entry number)."""
        return f"{self.qid}.more" if self.kind == "more" else self.qid

    @staticmethod
    def parse(key: str) -> "Slot":
        if ".more[" in key:
            qid, _, rest = key.partition(".more[")
            return Slot("more", qid, int(rest.rstrip("]")))
        if key.endswith("]") and "[" in key:
            qid, _, rest = key.partition("[")
            return Slot("field", qid, int(rest.rstrip("]")))
        return Slot("field", key)


def _get(data: dict, path: str, default=_MISSING):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _set(data: dict, path: str, value) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _del(data: dict, path: str) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)
    # an emptied mapping (buyer: {}) is left out
    if len(parts) > 1 and isinstance(data.get(parts[0]), dict) and not data[parts[0]]:
        del data[parts[0]]


def _minus_months(d: date, months: int) -> date:
    import calendar
    y, m = divmod(d.month - 1 - months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
