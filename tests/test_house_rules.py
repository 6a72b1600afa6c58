"""No legal amount, article number or statute text lives in assess/*.py."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sorted((ROOT / "assess").rglob("*.py"))
AMOUNTS = re.compile(r"(?<![\d.])(?:3000|3_000|4000|5000|6000|10000|10_000|30000|50000|60000|"
                     r"70000|100000|100_000|300000|500000|500_000)(?![\d])")
ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两]+条")


def code_lines(path: Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        yield n, line


def test_no_legal_amounts_in_python():
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in PY for n, line in code_lines(p)
            if AMOUNTS.search(line)]
    assert not hits, "legal amounts belong in statutes/:\n" + "\n".join(hits)


def test_no_article_numbers_in_python():
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in PY for n, line in code_lines(p)
            if ARTICLE.search(line)]
    assert not hits, "article numbers belong in statutes/ and rules/:\n" + "\n".join(hits)


def statute_phrases():
    for path in (ROOT / "statutes").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for prov in (data or {}).get("provisions", []) or []:
            for version in prov.get("versions", []):
                for part in re.split(r"[，。；：、\n]", version.get("text", "")):
                    part = part.strip()
                    if len(part) >= 8:
                        yield part


def test_no_statute_text_in_python():
    phrases = set(statute_phrases())
    assert len(phrases) > 100, "the statutes should have been found"
    source = {p: p.read_text(encoding="utf-8") for p in PY}
    hits = [f"{p.relative_to(ROOT)}: {ph}" for ph in phrases for p, text in source.items()
            if ph in text]
    assert not hits, "statute text belongs in statutes/:\n" + "\n".join(hits[:20])


def test_the_checks_would_catch_a_planted_number(tmp_path):
    planted = "threshold = 6000\n# 6000 in a comment is fine\nname = '第二百六十六条'\n"
    assert AMOUNTS.search(planted.splitlines()[0])
    assert ARTICLE.search(planted.splitlines()[2])
