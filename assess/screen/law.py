"""The facts of a place and a conduct date, from assess/facts.py itself: once per distinct place
and date window (assess/screen/facts.py, `breakpoints`), never per claim.

For each pair a case with that place and one incident on the first day of the window is read by
assess.case.parse_case (so the place is resolved as a case file resolves it) and its facts are
computed by assess.facts.case_facts: the 数额 standards at the conduct and the decision date, the
law editions, the legal parameters, and every fact a history does not hold (unknown).  A place
the case reader cannot resolve is left out, as the buyer's case file leaves it out.
"""
from __future__ import annotations

from datetime import date

import polars as pl

from ..errors import AssessError
from . import compile as c


class LawTable:
    """(place text, window start) -> the encoded facts, computed on first use."""

    def __init__(self, lib, pack, as_of: date):
        self.lib, self.pack, self.as_of = lib, pack, as_of
        self.places: dict = {}          # place text -> (place text for the case or None, note)
        self.rows: dict = {}
        self.schema = c.schema(pack)

    def place(self, text: str | None):
        """The place as a case file holds it (None: unknown) and why it is unknown."""
        from ..case import parse_case

        if text is None:
            return None, "no_place"
        if text not in self.places:
            try:
                case = parse_case({"format": "assess-case/1", "place": text}, as_of=self.as_of)
                self.places[text] = (text, None) if case.place else (None, "bad_place")
            except AssessError:
                self.places[text] = (None, "bad_place")
        return self.places[text]

    def row(self, text: str | None, start: date) -> dict:
        from ..case import parse_case
        from ..facts import case_facts

        key = (text, start)
        if key not in self.rows:
            place, _ = self.place(text)
            data = {"format": "assess-case/1", "incidents": [{"date": start}]}
            if place:
                data["place"] = place
            try:
                case = parse_case(data, as_of=self.as_of)
                cf = case_facts(case, self.lib, self.pack, self.as_of)
                row = c.encode_facts(self.pack, cf.facts, cf.params)
                res = cf.thresholds["conduct"]
                row.update(law_error=None, province=res.province, city=case.place.city
                           if case.place else None)
            except AssessError as exc:
                row = {k: None for k in self.schema}
                row.update(law_error=exc.message if hasattr(exc, "message") else str(exc),
                           province=None, city=None)
            self.rows[key] = row
        return self.rows[key]

    def frame(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """The encoded facts for the distinct (place_text, window) pairs of `pairs`."""
        records = []
        for text, start in pairs.select("place_text", "window").unique().iter_rows():
            row = dict(self.row(text, start))
            row["place_text"], row["window"] = text, start
            row["place_note"] = self.place(text)[1]
            records.append(row)
        schema = dict(self.schema, law_error=pl.Utf8, province=pl.Utf8, city=pl.Utf8,
                      place_text=pl.Utf8, window=pl.Date, place_note=pl.Utf8)
        return pl.DataFrame(records, schema=schema)
