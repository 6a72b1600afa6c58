"""The text `assess evidence` prints, and the YAML snippet it offers for the case file."""
from __future__ import annotations

import yaml

from .findings import word


def render_text(result: dict) -> str:
    lang = result["lang"]
    lines = [word("not_verdict", lang), ""]
    for e in result["files"]:
        lines.append(f"== {e['file']}  [{word('role_' + e['role'], lang)}]")
        if e.get("sha256"):
            lines.append(f"   {word('sha256', lang)}: {e['sha256']}")
            lines.append(f"   {word('size', lang)}: {e['size']} {word('bytes', lang)}"
                         f"   {word('type', lang)}: {e.get('type') or '—'}"
                         + (f"   {word('pixels', lang)}: {e['width']}×{e['height']}"
                            if e.get("width") else ""))
        lines += _findings(e["findings"], lang)
        for c in result["comparisons"]:
            if c["photo"] == e["file"] and e["role"] == "photo":
                lines += _findings(c["findings"], lang)
        lines.append("")
    lines.append(word("facts", lang) + ":")
    for key, value in result["facts"].items():
        lines.append(f"   {key}: {value}")
    lines.append("")
    lines += [f"* {limit}" for limit in result["method_limits"]]
    return "\n".join(lines)


def _findings(items: list[dict], lang: str) -> list[str]:
    out = []
    for f in items:
        out.append(f" - [{f['strength_text']}] {f['text']}")
        if f.get("limits"):
            out.append(f"     {word('limits', lang)}: {f['limits']}")
    return out


def case_snippet(result: dict) -> str:
    """YAML for the case file: the hashes of the files analysed, and the evidence_analysis
    block the rules read (docs/case-format.md)."""
    from .casefile import block_yaml

    lang = result["lang"]
    body = yaml.safe_dump(result["for_case_file"], allow_unicode=True, sort_keys=False,
                          default_flow_style=False)
    head = f"# {word('snippet', lang)}\n"
    block = f"# {word('block_note', lang)}\n" + block_yaml(result["evidence_analysis"])
    return head + body + block
