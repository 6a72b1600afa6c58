"""The encoded statutes: texts equal the reference, the data loads, broken files are reported
with file and line, versions switch on the right day."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from assess.errors import AssessError
from assess.statutes import CONFIDENCE, load_library, statute_show, statutes_list

ROOT = Path(__file__).resolve().parent.parent
STATUTES = ROOT / "statutes"
SHARED = ROOT / ".." / "shared" / "reference" / "law-texts.md"
VENDORED = ROOT / "tests" / "reference" / "law-texts.md"
REFERENCE = SHARED if SHARED.exists() else VENDORED
# Further verbatim texts gathered for the legal-soundness work: a text found in no section of
# law-texts.md must be a block (or an article of a block) of this file.
SHARED_2 = SHARED.with_name("law-texts-2.md")
VENDORED_2 = VENDORED.with_name("law-texts-2.md")
REFERENCE_2 = SHARED_2 if SHARED_2.exists() else VENDORED_2

# The sections of the reference that hold each law's texts (a section runs to the next one).
STARTS = ["## 1.", "## 2.", "### 2A", "### 2B", "### 2C", "## 3.", "### 3b", "### 3c", "## 4.",
          "## 5.", "## 6.", "### 6.1", "### 6.2", "## 7.", "## 9."]
SECTION = {"civil-code": "## 1.", "psapl@2012": "### 2A", "psapl@2025": "### 2B",
           "admin-penalty-law": "### 2C", "criminal-law": "## 3.",
           "anti-telecom-fraud-law": "### 3b", "telecom-fraud-opinion": "### 3c",
           "fraud-interpretation": "## 4.", "ai-labeling-measures": "### 6.1",
           "deep-synthesis-provisions": "### 6.1", "gb-45438": "### 6.2", "ecommerce-law": "## 7."}
HEAD = re.compile(r"^(第[一二三四五六七八九十百千零]+条) ")


@pytest.fixture(scope="module")
def lib():
    return load_library(STATUTES)


@pytest.fixture(scope="module")
def reference():
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    starts = [(i, s) for i, line in enumerate(lines) for s in STARTS if line.startswith(s)]
    sections = {}
    for k, (i, s) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        sections[s] = lines[i:end]
    return sections


def text_blocks(lines: list[str]) -> list[str]:
    out, cur = [], None
    for line in lines:
        if cur is None:
            if line.startswith("```text"):
                cur = []
        elif line.startswith("```"):
            out.append("\n".join(cur))
            cur = None
        else:
            cur.append(line)
    return out


def segments(block: str) -> list[tuple[str | None, str]]:
    """A block split at article heads: (head or None for a preamble, text)."""
    segs, cur, head = [], [], None
    for line in block.split("\n"):
        m = HEAD.match(line)
        if m:
            if cur:
                segs.append((head, "\n".join(cur).strip("\n")))
            cur, head = [line], m.group(1)
        else:
            cur.append(line)
    if cur:
        segs.append((head, "\n".join(cur).strip("\n")))
    return segs


def section_key(prov, version) -> str:
    return f"psapl@{version.edition}" if prov.law_id == "psapl" else prov.law_id


@pytest.fixture(scope="module")
def reference_2():
    """Every article segment of every text block of law-texts-2.md, and every run of whole
    paragraphs of a block: documents numbered 一、二、… and (一)(二)… have no 第…条 heads to
    split at, so each of their parts is a run of paragraphs."""
    lines = REFERENCE_2.read_text(encoding="utf-8").split("\n")
    for extra in sorted(VENDORED.parent.glob("repo-*.md")):   # texts cut from a repository
        lines += extra.read_text(encoding="utf-8").split("\n")
    blocks = text_blocks(lines)
    out = [seg for block in blocks for seg in segments(block)]
    for block in blocks:
        paras = re.split(r"\n\s*\n", block.strip("\n"))
        out += [(None, "\n\n".join(paras[i:j])) for i in range(len(paras))
                for j in range(i + 1, len(paras) + 1)]
    return out


@pytest.mark.parametrize("shared, vendored", [(SHARED, VENDORED), (SHARED_2, VENDORED_2)])
def test_reference_is_the_shared_one_or_its_copy(shared, vendored):
    assert vendored.exists()
    if shared.exists():
        assert shared.read_bytes() == vendored.read_bytes(), \
            f"tests/reference/{vendored.name} must be a verbatim copy of the shared reference"


def test_every_text_equals_the_reference(lib, reference, reference_2):
    mismatches, used = [], set()
    for prov in lib.provisions.values():
        for v in prov.versions:
            key = section_key(prov, v)
            if key not in SECTION:
                if any(t == v.text for _, t in reference_2):
                    continue                     # verbatim from law-texts-2.md
                mismatches.append(f"{prov.id} [{v.edition}] ({v.file}:{v.line}): text is no "
                                  f"block or article of law-texts-2.md, and law-texts.md has no "
                                  f"section for '{key}'")
                continue
            lines = reference[SECTION[key]]
            blocks = text_blocks(lines)
            segs = [(key, i, j, h, t) for i, b in enumerate(blocks)
                    for j, (h, t) in enumerate(segments(b))]
            m = HEAD.match(v.text)
            where = f"{prov.id} [{v.edition}] ({v.file}:{v.line})"
            if m:
                same = [s for s in segs if s[3] == m.group(1)]
                if len(same) != 1:
                    mismatches.append(f"{where}: {len(same)} blocks with head {m.group(1)} "
                                      f"in {SECTION[key]}")
                elif same[0][4] != v.text:
                    mismatches.append(f"{where}: text differs from the reference block")
                else:
                    used.add(same[0][:3])
                if m.group(1) != prov.article:
                    mismatches.append(f"{where}: text head {m.group(1)} != article "
                                      f"{prov.article}")
                continue
            exact = [s for s in segs if s[4] == v.text]
            if exact:
                used.add(exact[0][:3])
                continue
            section = "\n".join(lines)
            if f'"{v.text}"' in section:        # an inline quotation of the reference
                continue
            if v.confidence in ("P", "W", "M") and v.text in section and v.note:
                continue                         # a described item, tagged and explained
            if any(t == v.text for _, t in reference_2):
                continue                         # verbatim from law-texts-2.md
            mismatches.append(f"{where}: text not found in {SECTION[key]} of the reference")
    assert not mismatches, "\n".join(mismatches)
    # every block (and every article of a block) of the encoded sections is encoded
    missing = []
    for key, start in SECTION.items():
        if key in ("deep-synthesis-provisions", "ai-labeling-measures"):
            continue
        for i, b in enumerate(text_blocks(reference[start])):
            for j, (h, t) in enumerate(segments(b)):
                if (key, i, j) not in used:
                    missing.append(f"{start} block {i + 1} {h or t[:20]}")
    assert not missing, "reference texts not encoded:\n" + "\n".join(missing)


def test_shipped_data_loads(lib):
    assert {"civil-code", "psapl", "admin-penalty-law", "criminal-law", "anti-telecom-fraud-law",
            "fraud-interpretation", "telecom-fraud-opinion", "ecommerce-law",
            "ai-labeling-measures", "deep-synthesis-provisions", "gb-45438"} <= set(lib.laws)
    expected = {
        "civil-code": [7, 148, 149, 152, 155, 157, 188, 577, 584, 985, 987, 1165, 1184],
        "psapl": [8, 9, 11, 12, 19, 20, 21, 22, 23, 24, 25, 49, 51, 58, 59, 62, 72, 91, 100,
                  109, 119, 136, 144],
        "admin-penalty-law": [30, 36, 37],
        "criminal-law": [12, 13, 17, "17-1", 23, 37, 64, 67, 72, 87, 88, 89, 266],
        "anti-telecom-fraud-law": [2],
        "fraud-interpretation": list(range(1, 12)),
        "ecommerce-law": [9, 31, 32, 33, 34, 38, 39, 59, 60, 61, 62, 63],
        "ai-labeling-measures": list(range(3, 15)),
        "deep-synthesis-provisions": [16, 18],
        "cpl-interpretation": [175, 176, 655],
        "economic-crime-provisions": [10, 11, 12],
        "civil-code-general-interpretation": [21, 39],
    }
    for law, numbers in expected.items():
        for n in numbers:
            assert f"{law}/{n}" in lib.provisions, f"{law}/{n} missing"
    assert "fraud-interpretation/preamble" in lib.provisions
    for pid in ("psapl/12", "psapl/20", "psapl/21", "psapl/22", "psapl/119", "psapl/8",
                "psapl/11"):
        assert [v.edition for v in lib.provisions[pid].versions] == ["2012", "2025"], pid
    for prov in lib.provisions.values():
        for v in prov.versions:
            assert v.confidence in CONFIDENCE
    for pid in ("civil-code/148", "civil-code/152", "civil-code/157", "psapl/49", "psapl/58",
                "psapl/12", "psapl/19", "psapl/20", "psapl/21", "psapl/22", "psapl/23",
                "psapl/25", "criminal-law/12", "criminal-law/17", "criminal-law/23",
                "criminal-law/37", "criminal-law/64", "criminal-law/67", "criminal-law/72",
                "criminal-law/87", "criminal-law/266", "admin-penalty-law/37",
                *[f"fraud-interpretation/{n}" for n in range(1, 7)]):
        assert all(v.gloss_en for v in lib.provisions[pid].versions), f"{pid} lacks gloss_en"
    tags = {n: lib.provisions[f"ai-labeling-measures/{n}"].versions[0].confidence
            for n in range(3, 15)}
    assert tags == {3: "P", 4: "P", 5: "P", 6: "P", 7: "P", 8: "V-2src", 9: "P", 10: "V-2src",
                    11: "P", 12: "P", 13: "P", 14: "V-2src"}
    assert lib.provisions["ai-labeling-measures/12"].versions[0].note


def test_parameters(lib):
    p = lib.parameter
    on12, on25 = date(2025, 12, 31), date(2026, 1, 1)
    assert p("age.admin_min").value_at(on12).value == 14 == p("age.admin_min").value_at(on25).value
    assert p("age.adult").value_at(on25).value == 18
    assert p("age.criminal_full").value_at(on25).value == 16
    assert p("age.admin_no_detention_upper").value_at(on12).cites == ("psapl/21",)
    assert p("age.admin_no_detention_upper").value_at(on25).cites == ("psapl/23",)
    assert p("age.elderly_no_detention").value_at(on25).value == 70
    assert p("age.probation_elderly").value_at(on25).value == 75
    assert p("limitation.psapl_months").value_at(on12).cites == ("psapl/22",)
    assert p("limitation.psapl_months").value_at(on25).cites == ("psapl/25",)
    assert [p(f"limitation.criminal_years.{b}").value_at(on25).value
            for b in ("large", "huge", "especially_huge")] == [5, 15, 20]
    assert p("limitation.revocation_years").value_at(on25).value == 1
    assert p("limitation.revocation_absolute_years").value_at(on25).value == 5
    assert p("limitation.civil_claim_years").value_at(on25).value == 3
    assert p("psapl.repeat_window_months").value_at(on12).value == 6
    assert p("psapl.repeat_window_months").value_at(on25).value == 12
    assert p("psapl.fine_max_basic").value_at(on12).value == 500
    assert p("psapl.fine_max_basic").value_at(on25).value == 2000
    assert p("psapl.fine_max_serious").value_at(on12).value == 1000
    assert p("psapl.fine_max_serious").value_at(on25).value == 3000
    assert [p(f"psapl.detention_{k}_days").value_at(on25).value
            for k in ("basic_min", "basic_max", "serious_min", "serious_max")] == [5, 10, 10, 15]
    assert [p(f"criminal.{k}").value_at(on25).value
            for k in ("large_max_years", "huge_min_years", "huge_max_years",
                      "especially_huge_min_years")] == [3, 3, 10, 10]
    for param in lib.parameters.values():
        for v in param.values:
            assert any(v.wording in ver.text for c in v.cites
                       for ver in lib.provisions[c].versions), param.id
    with pytest.raises(AssessError):
        lib.parameter("age.nonexistent")


def test_version_at_boundaries(lib):
    last, first = date(2025, 12, 31), date(2026, 1, 1)
    p12 = lib.provision("psapl/12")
    assert p12.version_at(last).edition == "2012"
    assert p12.version_at(first).edition == "2025"
    assert p12.version_at(date(2012, 12, 31)) is None
    assert lib.provision("psapl/49").version_at(last) is not None
    assert lib.provision("psapl/49").version_at(first) is None
    assert lib.provision("psapl/58").version_at(last) is None
    assert lib.provision("psapl/58").version_at(first).text.startswith("第五十八条")
    v21 = lib.provision("psapl/21")
    assert "不执行行政拘留" in v21.version_at(last).text
    assert "从宽处理" in v21.version_at(first).text
    assert lib.provision("psapl/25").versions[0].replaces == "psapl/22"
    assert lib.provision("psapl/58").versions[0].replaces == "psapl/49"


def test_list_and_show(lib):
    rows = statutes_list(lib)
    assert len(rows) == len(lib.provisions)
    row = next(r for r in rows if r["id"] == "psapl/21")
    assert [v["effective_from"] for v in row["versions"]] == ["2013-01-01", "2026-01-01"]
    shown = statute_show(lib, "psapl/49", date(2026, 3, 1))
    assert shown["in_force"] is False and shown["versions"] == []
    assert shown["replaced_by"] == ["psapl/58", "psapl/59"]
    shown = statute_show(lib, "psapl/58", date(2026, 3, 1))
    assert shown["versions"][0]["confidence"] == "V-2src"
    assert len(statute_show(lib, "psapl/12", None)["versions"]) == 2
    with pytest.raises(AssessError) as exc:
        statute_show(lib, "psapl/588", None)
    assert "psapl/58" in exc.value.format()


# =========================================================================== broken copies

def copy_statutes(tmp_path: Path) -> Path:
    target = tmp_path / "statutes"
    shutil.copytree(STATUTES, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` in a file; returns the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def errors_of(folder: Path) -> list[AssessError]:
    with pytest.raises(AssessError) as exc:
        load_library(folder)
    return getattr(exc.value, "errors", [exc.value])


def find(errors, text: str) -> AssessError:
    hits = [e for e in errors if text in e.message]
    assert hits, f"no error containing {text!r} in:\n" + "\n".join(e.format() for e in errors)
    return hits[0]


def test_unknown_key(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "psapl.yaml", "        gloss_en:", "        glos_en:")
    e = find(errors_of(d), "unknown key 'glos_en'")
    assert e.file.endswith("psapl.yaml") and e.line == line
    assert "gloss_en" in (e.hint or "")


def test_duplicate_key(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "civil-code.yaml", "  kind: law\n", "  kind: law\n  kind: law\n") + 1
    e = find(errors_of(d), "duplicate key 'kind'")
    assert e.file.endswith("civil-code.yaml") and e.line == line


def test_missing_required_key(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "admin-penalty-law.yaml", "    article: \"第三十七条\"\n", "")
    e = find(errors_of(d), "lacks the required key 'article'")
    assert e.file.endswith("admin-penalty-law.yaml") and e.line == line - 1


def test_impossible_date(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "ecommerce-law.yaml", 'effective_from: "2019-01-01"',
                'effective_from: "2019-02-30"', count=2)
    errs = errors_of(d)
    e = find(errs, "impossible date: 2019-02-30")
    assert e.file.endswith("ecommerce-law.yaml") and e.line == line
    assert e.field == "effective_from" and "YYYY-MM-DD" in e.expected


def test_not_a_date(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "parameters.yaml", 'effective_from: "2021-01-01"', "effective_from: 2021")
    e = find(errors_of(d), "is not a date")
    assert e.file.endswith("parameters.yaml") and e.line == line


def test_confidence_outside_the_legend(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "criminal-law.yaml", "        confidence: V-repo\n",
                "        confidence: verified\n")
    e = find(errors_of(d), "confidence 'verified'")
    assert e.file.endswith("criminal-law.yaml") and e.line == line
    assert "V-2src" in e.expected


def test_overlapping_versions(tmp_path):
    d = copy_statutes(tmp_path)
    text = (d / "psapl.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: psapl/12\n")
    chunk = text[start:text.index("  - id: psapl/19\n")]
    broken = chunk.replace('effective_to: "2025-12-31"', 'effective_to: "2026-03-31"')
    (d / "psapl.yaml").write_text(text.replace(chunk, broken), encoding="utf-8")
    line = text[:start + chunk.index('- edition: "2025"')].count("\n") + 1
    errs = errors_of(d)
    e = find(errs, "versions of 'psapl/12': the entry from 2026-01-01 overlaps")
    assert e.file.endswith("psapl.yaml") and e.line == line
    assert "2025-12-31" in e.hint
    find(errs, "stays in force after its edition '2012' ended")


def test_gap_between_versions(tmp_path):
    d = copy_statutes(tmp_path)
    text = (d / "psapl.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: psapl/12\n")
    chunk = text[start:text.index("  - id: psapl/19\n")]
    broken = chunk.replace('effective_from: "2026-01-01"', 'effective_from: "2026-02-01"')
    (d / "psapl.yaml").write_text(text.replace(chunk, broken), encoding="utf-8")
    line = text[:start + chunk.index('- edition: "2025"')].count("\n") + 1
    e = find(errors_of(d), "versions of 'psapl/12': gap between")
    assert e.line == line and "2026-01-01" in e.expected


def test_effective_to_before_effective_from(tmp_path):
    d = copy_statutes(tmp_path)
    text = (d / "civil-code.yaml").read_text(encoding="utf-8")
    old = '      - edition: "2020"\n        effective_from: "2021-01-01"\n'
    line = text[: text.index(old)].count("\n") + 1
    edit(d / "civil-code.yaml", old, old + '        effective_to: "2020-12-31"\n')
    e = find(errors_of(d), "effective_to 2020-12-31 is before effective_from 2021-01-01")
    assert e.file.endswith("civil-code.yaml") and e.line == line


def test_duplicate_provision_across_files(tmp_path):
    d = copy_statutes(tmp_path)
    text = (d / "anti-telecom-fraud-law.yaml").read_text(encoding="utf-8")
    text = text.replace("id: anti-telecom-fraud-law\n", "id: anti-telecom-fraud-law-2\n")
    text = text.replace("anti-telecom-fraud-law/2", "anti-telecom-fraud-law-2/2")
    (d / "copy.yaml").write_text(text, encoding="utf-8")
    shutil.copy(d / "civil-code.yaml", d / "zz-civil-code-again.yaml")
    errs = errors_of(d)
    e = find(errs, "duplicate law id 'civil-code'")
    assert e.file.endswith("zz-civil-code-again.yaml")
    e = find(errs, "duplicate provision id 'civil-code/7'")
    assert e.file.endswith("zz-civil-code-again.yaml") and e.line > 1


def test_provision_prefix_must_be_the_law_id(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "ecommerce-law.yaml", "  - id: ecommerce-law/9\n", "  - id: e-commerce/9\n")
    e = find(errors_of(d), "does not start with its law id 'ecommerce-law/'")
    assert e.file.endswith("ecommerce-law.yaml") and e.line == line


def test_references_must_exist(tmp_path):
    d = copy_statutes(tmp_path)
    line_c = edit(d / "parameters.yaml", "cites: [criminal-law/17]", "cites: [criminal-law/71]")
    line_r = edit(d / "psapl.yaml", "replaces: psapl/49", "replaces: psapl/490")
    line_b = edit(d / "thresholds" / "fraud-amounts.yaml", "basis: fraud-interpretation/1",
                  "basis: fraud-interpretation/100")
    errs = errors_of(d)
    e = find(errs, "cites 'criminal-law/71'")
    assert e.file.endswith("parameters.yaml") and e.line == line_c
    e = find(errs, "replaces 'psapl/490'")
    assert e.file.endswith("psapl.yaml") and e.line < line_r
    e = find(errs, "basis 'fraud-interpretation/100'")
    assert e.file.endswith("fraud-amounts.yaml") and e.line == line_b


def test_wording_must_be_quoted_from_the_cited_text(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "parameters.yaml", 'wording: "已满十六周岁的人犯罪，应当负刑事责任"',
                'wording: "年满十六周岁的人犯罪，应当负刑事责任"')
    e = find(errors_of(d), "does not occur in the text of criminal-law/17")
    assert e.file.endswith("parameters.yaml") and e.line == line


def test_all_errors_of_a_load_are_reported_together(tmp_path):
    d = copy_statutes(tmp_path)
    edit(d / "psapl.yaml", "        gloss_en:", "        glos_en:")
    edit(d / "criminal-law.yaml", "        confidence: V-repo\n", "        confidence: X\n")
    errs = errors_of(d)
    assert {Path(e.file).name for e in errs} >= {"psapl.yaml", "criminal-law.yaml"}
    assert all(e.line for e in errs)


def test_yaml_syntax_error_has_a_location(tmp_path):
    d = copy_statutes(tmp_path)
    line = edit(d / "gb-45438.yaml", "  kind: national-standard\n",
                "  kind: [national-standard\n")
    e = errors_of(d)[0]
    assert e.file.endswith("gb-45438.yaml") and e.line >= line


def test_status_of_a_version_is_checked(tmp_path):
    """A doubt about whether a text still applies is one of the listed statuses, with a note."""
    d = copy_statutes(tmp_path)
    line = edit(d / "psapl.yaml", "        gloss_en:", "        status: maybe\n        gloss_en:")
    e = find(errors_of(d), "unknown status 'maybe'")
    assert e.file.endswith("psapl.yaml") and e.line == line
    assert "unverified" in e.expected and "uncertain" in e.expected
    d2 = copy_statutes(tmp_path / "2")
    edit(d2 / "psapl.yaml", "        gloss_en:", "        status: uncertain\n        gloss_en:")
    find(errors_of(d2), "'status_note' of")


def test_status_is_shown_with_the_version(tmp_path):
    d = copy_statutes(tmp_path)
    edit(d / "psapl.yaml", "        gloss_en:",
         "        status: unverified\n        status_note: {zh: 未见废止, en: no repeal found}\n"
         "        gloss_en:")
    lib = load_library(d)
    shown = [v for p in lib.provisions.values() if p.law_id == "psapl" for v in p.versions
             if v.status]
    assert len(shown) == 1 and shown[0].status_note == {"zh": "未见废止", "en": "no repeal found"}
    assert any(v["status"] == "unverified"
               for v in statute_show(lib, shown[0].provision_id)["versions"])
