"""The golden cases (tests/golden/*.yaml) on both engines."""
from pathlib import Path

import pytest

from assess.ruletest import load_tests, run_tests

GOLDEN = Path(__file__).parent / "golden"
CASES = [(f, name) for f in sorted(GOLDEN.glob("*.yaml")) for name, _, _ in load_tests(f)]


def test_there_are_enough_golden_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("engine", ["durable", "plain"])
def test_golden_cases(engine):
    results = run_tests([GOLDEN], engine=engine)
    failures = [f"{r.file}:{r.line} {r.name}\n    " + "\n    ".join(r.differences)
                for r in results if not r.passed]
    assert not failures, "\n".join(failures)
    assert len(results) == len(CASES)


def test_a_wrong_expectation_is_reported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("""
defaults:
  format: assess-case/1
  place: 广东省深圳市南山区
  buyer: {age: 30, near_relative: no, prior_penalties: []}
  incidents: [{date: 2025-11-17, amount: 6000, refund_paid: yes, photo_method: ai_generated, goods_defective: no}]
  intent_to_possess: yes
  refund_caused_by_photos: yes
tests:
  - name: wrong on purpose
    as_of: 2026-01-15
    expect: {primary_track: administrative, fired: [admin.applies]}
""", encoding="utf-8")
    [result] = run_tests([bad])
    assert not result.passed
    assert "primary_track: expected 'administrative', got 'criminal'" in result.differences
    assert "rule admin.applies: expected to fire, did not" in result.differences
