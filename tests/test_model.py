"""The rule model: loading errors point at file:line, and three-valued evaluation is right."""
import pytest

from assess.engine_durable import DurableEngine
from assess.errors import AssessError
from assess.evaluator import BIG, PlainEngine, run
from assess.model import load_rulepack

FACTS = """facts:
  - {id: amount, type: amount, origin: case, label: {zh: 数额, en: amount}}
  - {id: limit, type: amount, origin: case, label: {zh: 标准, en: limit}}
  - {id: intent, type: yesno, origin: case, label: {zh: 目的, en: intent}}
  - {id: method, type: choice, values: [ai, genuine], origin: case, label: {zh: 方式, en: method}}
  - {id: crime, type: yesno, origin: rules, label: {zh: 犯罪, en: crime}}
  - {id: civil, type: yesno, origin: rules, label: {zh: 民事, en: civil}}
"""
RULES = """rules:
  - id: r.crime
    title: {zh: 犯罪, en: crime}
    track: criminal
    when:
      - intent: yes
      - method: ai
      - amount: {at_least: limit}
    then: {crime: yes}
    cites: [x/1]
    explain: {zh: 说明, en: text}
  - id: r.civil
    title: {zh: 民事, en: civil}
    track: civil
    when:
      any:
        - crime: yes
        - all: [{method: ai}, {not: {intent: yes}}]
    then: {civil: yes}
    cites: [x/2]
    explain: {zh: 说明, en: text}
"""


def pack_in(tmp_path, rules=RULES, facts=FACTS):
    (tmp_path / "facts.yaml").write_text(facts, encoding="utf-8")
    (tmp_path / "main.yaml").write_text(rules, encoding="utf-8")
    return load_rulepack(tmp_path)


def facts(amount=(5000.0, 5000.0), limit=(3000.0, 10000.0), intent="yes", method="ai"):
    return {"amount": amount, "limit": limit, "intent": intent,
            "method": {"ai": "yes" if method == "ai" else "unknown" if method == "?" else "no",
                       "genuine": "yes" if method == "genuine" else "unknown" if method == "?"
                       else "no"}}


@pytest.mark.parametrize("engine", [PlainEngine, DurableEngine])
@pytest.mark.parametrize("case,crime,civil", [
    (dict(), "unknown", "unknown"),                              # 5000 within 3000–10000
    (dict(amount=(12000.0, 12000.0)), "yes", "yes"),
    (dict(amount=(2000.0, 2000.0)), "no", "no"),
    (dict(amount=(2000.0, 2000.0), intent="no"), "no", "yes"),
    (dict(amount=(12000.0, 12000.0), intent="unknown"), "unknown", "unknown"),
    (dict(amount=(12000.0, 12000.0), method="genuine"), "no", "no"),
    (dict(amount=(12000.0, 12000.0), method="?"), "unknown", "unknown"),
    (dict(amount=(-BIG, BIG), limit=(6000.0, 6000.0)), "unknown", "unknown"),
    (dict(amount=(6000.0, 6000.0), limit=(6000.0, 6000.0)), "yes", "yes"),
])
def test_three_valued_evaluation(tmp_path, engine, case, crime, civil):
    pack = pack_in(tmp_path)
    out = run(pack, engine(pack), facts(**case), {})
    assert (out.facts["crime"], out.facts["civil"]) == (crime, civil)


def error_of(tmp_path, rules=RULES, facts=FACTS) -> AssessError:
    with pytest.raises(AssessError) as info:
        pack_in(tmp_path, rules, facts)
    return info.value


@pytest.mark.parametrize("old,new,line,words", [
    ("      - intent: yes\n      - method: ai", "      - intnt: yes\n      - method: ai", 6,
     "unknown fact 'intnt'"),
    ("{at_least: limit}", "{at_least: 3000}", 8, "not a number typed into the rule"),
    ("{at_least: limit}", "{atleast: limit}", 8, "unknown comparison 'atleast'"),
    ("then: {crime: yes}", "then: {crime: maybe}", 9, "'maybe' is not a value of 'crime'"),
    ("      - method: ai\n      - amount", "      - method: paper\n      - amount", 7,
     "'paper' is not a value of 'method'"),
    ("    explain: {zh: 说明, en: text}\n  - id: r.civil",
     "    explain: {zh: 说明}\n  - id: r.civil", 11, "both a Chinese and an English text"),
    ("  - id: r.civil", "  - id: r.crime", 12, "used twice"),
    ("    track: civil", "    track: civl", 14, "unknown track"),
    ("    cites: [x/1]", "    cites: [x/1]\n    cite: [x/1]", 11, "unknown key 'cite'"),
])
def test_rule_errors_name_file_line_and_what(tmp_path, old, new, line, words):
    assert old in RULES
    err = error_of(tmp_path, RULES.replace(old, new, 1))
    text = err.format()
    assert words in text
    assert f"main.yaml:{line}:" in text


def test_a_circle_of_rules_is_refused(tmp_path):
    rules = RULES.replace("      - intent: yes\n      - method: ai",
                          "      - intent: yes\n      - civil: yes", 1)
    assert "circle" in error_of(tmp_path, rules).format()


def test_fact_vocabulary_errors(tmp_path):
    bad = FACTS.replace("type: yesno, origin: case", "type: boolean, origin: case", 1)
    err = error_of(tmp_path, facts=bad).format()
    assert "facts.yaml:4:" in err and "unknown fact type 'boolean'" in err
    dup = FACTS + "  - {id: crime, type: yesno, origin: rules, label: {zh: 犯罪, en: crime}}\n"
    assert "declared twice" in error_of(tmp_path, facts=dup).format()
