"""One case file per flagged buyer, in the case file format (docs/case-format.md), checked by
assess.case.parse_case and written by assess.case.dump_case, so that `assess evaluate`,
`assess report` and `assess opinion` run on it directly.

It holds what the history holds: the place, the buyer's account and date of birth, and one
incident per claim (date, order number, amount, refund paid, and the photo method, whether the
goods were defective and whether the claim was dealt with where the export says so).  Every
other field is left out: unknown, as the screening took it.
"""
from __future__ import annotations

import re
from pathlib import Path

_UNSAFE = re.compile(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+")


def file_name(buyer_id: str) -> str:
    """A file name for a buyer (an account may hold any character)."""
    import hashlib

    safe = _UNSAFE.sub("_", buyer_id).strip("_")[:60] or "buyer"
    if safe != buyer_id:
        safe += "-" + hashlib.sha256(buyer_id.encode()).hexdigest()[:8]
    return f"{safe}.yaml"


def case_data(buyer: dict, claims: list[dict], place: str | None, title: str) -> dict:
    """The case file of one buyer: `claims` are read claims (read.read_claims) in date order."""
    data: dict = {"format": "assess-case/1", "title": title}
    if place:
        data["place"] = place
    person = {"account": buyer["buyer_id"]}
    if buyer.get("birth_date") is not None:
        person["birth_date"] = buyer["birth_date"]
    data["buyer"] = person
    incidents = []
    for claim in claims:
        inc = {"date": claim["day"], "order_no": claim["order_no"],
               "amount": _number(claim["amount"]), "refund_paid": claim["paid"]}
        if claim["photo_method"] != "unknown":
            inc["photo_method"] = claim["photo_method"]
        if claim["defective"] != "unknown":
            inc["goods_defective"] = claim["defective"]
        if claim["handled"] != "unknown":
            inc["handled"] = claim["handled"]
        incidents.append(inc)
    data["incidents"] = incidents
    return data


def _number(x: float):
    return int(x) if float(x).is_integer() else round(float(x), 2)


def write_case(folder: Path, data: dict, as_of) -> Path:
    """Check the case as assess.case reads it (AssessError: not written), and write it
    atomically."""
    from ..case import dump_case, parse_case

    name = file_name(data["buyer"]["account"])
    path = folder / name
    parse_case(data, filename=str(path), as_of=as_of)     # AssessError: not written
    dump_case(data, path)
    return path

