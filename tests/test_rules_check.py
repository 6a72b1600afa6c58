"""`assess rules check` on a copy of the pack (made with `assess rules init`) with one planted
error each: the message and the file:line must point at it."""
import subprocess
import sys
from pathlib import Path

import pytest

from assess.paths import statutes_dir

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not any(statutes_dir().glob("*.yaml")),
                                reason="statutes/ not written yet")


def assess(*args, **kw):
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    target = tmp_path_factory.mktemp("pack") / "mine"
    r = assess("rules", "init", target)
    assert r.returncode == 0, r.stderr
    for part in ("rules", "statutes", "templates", "tests/golden"):
        assert (target / part).is_dir()
    return target


@pytest.fixture
def pack(shipped, tmp_path):
    import shutil
    copy = tmp_path / "pack"
    shutil.copytree(shipped, copy)
    return copy


def plant(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) and return the line number of the change."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def findings(pack):
    from assess.rulecheck import check_pack
    return check_pack(pack)


def errors(pack):
    return [f for f in findings(pack) if f.severity == "error"]


def test_the_shipped_pack_has_no_errors():
    found = findings(None)
    assert not [f for f in found if f.severity == "error"], "\n".join(f.format() for f in found)


def test_init_refuses_an_existing_pack(shipped):
    r = assess("rules", "init", shipped)
    assert r.returncode == 2 and "already holds a pack" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_exit_codes_and_format(pack):
    ok = assess("rules", "check", "--dir", pack)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    line = plant(pack / "rules" / "criminal.yaml", "cites: [criminal-law/17#4]",
                 "cites: [criminal-law/1700]")
    bad = assess("rules", "check", "--dir", pack)
    assert bad.returncode == 1
    assert f"criminal.yaml:{line}:" in bad.stdout and ": error: " in bad.stdout
    assert "criminal-law/1700" in bad.stdout and "hint:" in bad.stdout
    missing = assess("rules", "check", "--dir", pack / "nope")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_yaml_syntax_error(pack):
    f = pack / "rules" / "fraud.yaml"
    line = plant(f, "    track: fraud\n", "    track: [fraud\n")
    [e] = [e for e in errors(pack) if e.file == str(f)]
    assert "YAML syntax" in e.message and line <= e.line <= line + 2


def test_duplicate_key(pack):
    f = pack / "rules" / "civil.yaml"
    line = plant(f, "    track: civil\n", "    track: civil\n    track: civil\n")
    [e] = [e for e in errors(pack) if e.file == str(f)]
    assert "duplicate key 'track'" in e.message and (e.file, e.line) == (str(f), line + 1)


def test_unknown_key(pack):
    f = pack / "rules" / "platform.yaml"
    line = plant(f, "    track: platform\n", "    track: platform\n    wen: []\n")
    [e] = [e for e in errors(pack) if e.file == str(f)]
    assert "unknown key 'wen'" in e.message and (e.file, e.line) == (str(f), line + 1)


def test_citation_of_a_missing_provision(pack):
    f = pack / "rules" / "advice.yaml"
    line = plant(f, "cites: [criminal-law/266]", "cites: [criminal-law/2666]")
    [e] = errors(pack)
    assert "criminal-law/2666" in e.message and "not in statutes" in e.message
    assert (e.file, e.line) == (str(f), line) and e.article == "criminal-law/2666"


def test_citation_of_a_version_not_in_force(pack):
    # the 2025 penalty rule can only apply from 2026-01-01; art. 49 of the 2012 text has no
    # version in force then
    f = pack / "rules" / "administrative.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("id: admin.penalty.2025.basic")
    old = "    cites: [psapl/58]\n"
    line = text[: text.index(old, start)].count("\n") + 1
    f.write_text(text[:start] + text[start:].replace(old, "    cites: [psapl/49]\n", 1),
                 encoding="utf-8")
    found = [e for e in findings(pack) if e.code == "cite"]
    assert found, "no citation finding"
    e = found[0]
    assert "psapl/49" in e.message and "2026-01-01" in e.message
    assert (e.file, e.line) == (str(f), line)


def test_a_rule_that_can_never_fire(pack):
    f = pack / "rules" / "criminal.yaml"
    line = plant(f, "  - id: criminal.surrender\n",
                 "  - id: criminal.impossible\n"
                 "    title: {zh: 既遂又未遂, en: both}\n"
                 "    track: criminal\n"
                 "    when:\n"
                 "      - fraud_completed: yes\n"
                 "      - fraud_attempt: yes\n"
                 "    cites: [criminal-law/23]\n"
                 "    explain: {zh: 不可能, en: impossible}\n\n"
                 "  - id: criminal.surrender\n")
    [e] = errors(pack)
    assert "criminal.impossible" in e.message and "never fire" in e.message
    assert (e.file, e.line) == (str(f), line)
    assert "fraud_completed" in e.hint or "fraud_attempt" in e.hint


def test_wording_against_operator(pack):
    f = pack / "rules" / "criminal.yaml"
    line = plant(f, "fraud_amount: {at_least: threshold_huge}", "fraud_amount: {over: threshold_huge}")
    found = [e for e in errors(pack) if e.code == "wording"]
    [e] = found
    assert "以上" in e.message and "over" in e.message and "at_least" in e.hint
    assert (e.file, e.line) == (str(f), line) and "第九十九条" in e.article


def test_two_rules_concluding_different_bands(pack):
    f = pack / "rules" / "criminal.yaml"
    plant(f, "fraud_amount: {under: threshold_huge}", "fraud_amount: {at_most: threshold_huge}")
    [e] = [e for e in errors(pack) if e.code == "conflict"]
    assert "criminal.band.large" in e.message and "criminal.band.huge" in e.message
    text = f.read_text(encoding="utf-8")
    assert e.file == str(f)
    assert e.line == text[: text.index("id: criminal.band.huge")].count("\n") + 1


def test_template_syntax(pack):
    bad = pack / "templates" / "broken.html.j2"
    bad.write_text("<p>\n{% if x %}\n<b>{{ x }</b>\n", encoding="utf-8")
    [e] = errors(pack)
    assert e.file == str(bad) and e.line in (2, 3, 4) and "template" in e.message


def test_unused_fact_warning(pack):
    f = pack / "rules" / "facts.yaml"
    line = plant(f, "  - id: near_relative\n",
                 "  - id: victim_elderly\n    type: yesno\n    origin: case\n"
                 "    label: {zh: 被害人系老年人, en: elderly victim}\n  - id: near_relative\n")
    [w] = [w for w in findings(pack) if w.code == "unused-fact" and "victim_elderly" in w.message]
    assert "victim_elderly" in w.message and (w.file, w.line) == (str(f), line)


def test_a_case_fact_no_question_asks(pack):
    q = pack / "rules" / "questions.yaml"
    text = q.read_text(encoding="utf-8")
    i = text.index("  - id: buyer.near_relative\n")
    j = text.index("\n  - id:", i + 5)
    q.write_text(text[:i] + text[j + 1:], encoding="utf-8")
    facts = (pack / "rules" / "facts.yaml").read_text(encoding="utf-8")
    line = facts[: facts.index("  - id: near_relative\n")].count("\n") + 1
    [w] = [w for w in findings(pack) if w.code == "unasked"]
    assert "near_relative" in w.message and "buyer.near_relative" in w.hint
    assert (w.file, w.line) == (str(pack / "rules" / "facts.yaml"), line)


def test_without_questions_the_check_is_skipped_with_a_note(pack):
    (pack / "rules" / "questions.yaml").unlink()
    notes = [f for f in findings(pack) if f.severity == "note"]
    assert any("questions.yaml" in n.message and "skipped" in n.message for n in notes)


def test_an_unknown_operator_in_the_wording_table(pack):
    f = pack / "rules" / "wording.yaml"
    line = plant(f, "以上: {same: [at_least]", "以上: {same: [at_lest]")
    [e] = errors(pack)
    assert e.file.endswith("wording.yaml") and e.line == line
    assert "at_lest" in e.message and "以上" in e.message


def test_the_wording_table_drives_the_check(pack):
    # teach the table that 以上 means `over`: the shipped 以上 rules now disagree with it
    f = pack / "rules" / "wording.yaml"
    plant(f, "以上: {same: [at_least], negation: [under], confused: [over]}",
          "以上: {same: [over], negation: [at_most], confused: [at_least]}")
    found = [x for x in errors(pack) if x.code == "wording"]
    assert found and all("以上" in x.message for x in found)


def test_a_citation_of_a_paragraph_the_article_does_not_have(pack):
    f = pack / "rules" / "criminal.yaml"
    line = plant(f, "cites: [criminal-law/17#4]", "cites: [criminal-law/17#9]")
    [e] = errors(pack)
    assert e.file.endswith("criminal.yaml") and e.line == line
    assert "criminal-law/17#9" in e.message and "no such paragraph" in e.message


def test_a_citation_not_in_the_citation_form(pack):
    f = pack / "rules" / "criminal.yaml"
    line = plant(f, "cites: [criminal-law/17#4]", "cites: [criminal-law/17 para 4]")
    [e] = errors(pack)
    assert e.line == line and "citation form" in e.message


# --------------------------------------------------------------- one bad value, one finding

def test_a_misspelled_parameter_in_a_rule_gives_one_finding(pack):
    """The rule with the bad name does not load, so the fact it concludes is concluded by no
    rule: that is the same mistake, not a second finding."""
    f = pack / "rules" / "administrative.yaml"
    text = f.read_text(encoding="utf-8")
    block = text[text.index("  - id: admin.crime-excluded-by-age"):]
    offset = text.index("  - id: admin.crime-excluded-by-age")
    line = text[: offset + block.index("{at_least: age.admin_min}")].count("\n") + 1
    f.write_text(text[:offset] + block.replace("{at_least: age.admin_min}",
                                               "{at_least: age.admin_mn}", 1), encoding="utf-8")
    found = errors(pack)
    assert len(found) == 1, "\n".join(x.format() for x in found)
    assert found[0].line == line and "age.admin_mn" in found[0].message
    assert "age.admin_min" in found[0].hint


def test_a_misspelled_value_in_a_conclusion_gives_one_finding(pack):
    line = plant(pack / "rules" / "administrative.yaml", "crime_excluded_by_age: yes",
                 "crime_excluded_by_age: yess")
    found = errors(pack)
    assert len(found) == 1, "\n".join(x.format() for x in found)
    assert found[0].line == line and "'yess' is not a value" in found[0].message
    assert not [x for x in found if "concluded by no rule" in x.message]


def test_a_renamed_parameter_gives_one_finding_listing_every_use(pack):
    plant(pack / "statutes" / "parameters.yaml", "  - id: age.admin_min\n",
          "  - id: age.admin_mn\n")
    found = errors(pack)
    assert len(found) == 1, "\n".join(x.format() for x in found)
    assert "'age.admin_min' is neither a fact nor a parameter" in found[0].message
    assert "age.admin_mn" in found[0].hint and "also at" in found[0].hint
    assert "law-in-force.yaml:" in found[0].hint


def test_a_bad_parameter_value_gives_no_never_fires_findings(pack):
    """Without the statutes the rules comparing with a parameter would all seem never to fire."""
    line = plant(pack / "statutes" / "parameters.yaml", "        value: 14\n",
                 "        value: abc\n") + 0
    every = findings(pack)
    found = [x for x in every if x.severity == "error"]
    assert len(found) == 1, "\n".join(x.format() for x in found)
    assert found[0].file.endswith("parameters.yaml") and found[0].line == line
    assert not [x for x in every if x.code == "never-fires"]
    assert not [x for x in every if x.severity == "warning"]
    assert [x for x in every if x.severity == "note" and "did not load" in x.message]


def test_a_misspelled_quality_gives_one_finding(pack):
    plant(pack / "statutes" / "thresholds" / "fraud-amounts.yaml", "quality: good",
          "quality: goood")
    found = errors(pack)
    assert len(found) == 1, "\n".join(x.format() for x in found)
    assert "goood" in found[0].message
