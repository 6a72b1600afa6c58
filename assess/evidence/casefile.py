"""Put the photo analysis into a case file: the top-level `evidence_analysis` block.

`block_yaml(block)` is the YAML text of the block (what `assess evidence --case CASE` offers);
`write_block(case_path, block)` replaces the block in the case file, or adds it at the end,
keeping every other line (and comment) as it is, checks the result as a case file and writes it
atomically (`assess evidence --case CASE --write`).  A JSON case file is not edited: the block
is printed for the user to add.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import AssessError

KEY = "evidence_analysis"
_TOP_KEY = re.compile(rf"^{KEY}\s*:")


def block_yaml(block: dict) -> str:
    """The block as YAML text (quoted where YAML would read a value as a number or a date)."""
    return yaml.safe_dump({KEY: block}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False)


def replace_block(text: str, block: dict) -> str:
    """`text` with its top-level evidence_analysis block replaced by `block` (or added)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line)), None)
    if start is not None:
        end = start + 1
        # the block runs on while lines are indented, blank or comments
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        while end > start + 1 and lines[end - 1].lstrip().startswith("#"):
            end -= 1                                    # a comment before the next key stays
        lines[start:end] = [block_yaml(block)]
        return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines) + block_yaml(block)


def write_block(case_path, block: dict) -> Path:
    """Write `block` into the case file (see the module doc); returns the path written."""
    from ..case import parse_case, write_atomic
    from ..yamlio import loads

    path = Path(case_path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        raise AssessError("a JSON case file is not edited", file=str(path), field=KEY,
                          expected="a YAML case file",
                          hint="add the evidence_analysis block printed above to the file "
                               "yourself")
    new = replace_block(text, block)
    data = loads(new, filename=str(path))
    if not isinstance(data, dict):
        raise AssessError("the case file is not a mapping", file=str(path), field=KEY)
    parse_case(data, filename=str(path))                 # raises with file, line and field
    write_atomic(path, new, what="the case file", field=KEY)
    return path
