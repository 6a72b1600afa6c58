"""Who a label's ContentProducer names: codes mapped to companies by producers.yaml (sourced)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("producers.yaml")
# The shape of a unified social credit code: 18 characters, digits and capitals without I O S V Z.
USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


@functools.lru_cache(maxsize=4)
def table(path: str | None = None) -> dict[str, dict]:
    data = yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8")) or {}
    out = {}
    for entry in data.get("producers") or []:
        if entry.get("code") and entry.get("company") and entry.get("source"):
            out[str(entry["code"]).upper()] = entry
    return out


def identify(content_producer: str | None, path: str | None = None) -> dict | None:
    """{value, code, company, service, source, known} for a ContentProducer value; None if empty.

    A listed code is found anywhere in the value (a service-provider code may embed the unified
    social credit code among other characters); otherwise a free-standing 18-character code is
    reported as "not in the list", and any other value is reported as given.
    """
    if not content_producer:
        return None
    text = str(content_producer).upper()
    for code, entry in table(path).items():
        if code in text:
            return {"value": content_producer, "code": code, "company": entry["company"],
                    "service": entry.get("service"), "source": entry["source"], "known": True}
    match = USCC.search(text)
    return {"value": content_producer, "code": match.group(0) if match else None,
            "company": None, "known": False}
