"""The CLI as a user meets it: output, exit codes and messages for bad input."""
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "criminal-guangdong.yaml"


def assess(*args, **kw):
    return subprocess.run([sys.executable, "-m", "assess.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, **kw)


def test_evaluate_json_has_the_promised_fields():
    r = assess("evaluate", EXAMPLE, "--as-of", "2026-01-15", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    for key in ("primary_track", "tracks", "law_applied", "thresholds", "deadlines",
                "recommendations", "trace", "what_would_change"):
        assert key in data
    assert data["primary_track"] == "criminal"
    assert data["tracks"]["criminal"]["band"] == "large"
    assert data["thresholds"]["province"] == "广东省"
    step = next(t for t in data["trace"] if t["rule"] == "criminal.band.large")
    assert any(c["id"] == "criminal-law/266" and "数额较大" in c["text"] for c in step["cites"])


def test_evaluate_text_in_chinese_and_english():
    zh = assess("evaluate", EXAMPLE, "--as-of", "2026-01-15")
    en = assess("evaluate", EXAMPLE, "--as-of", "2026-01-15", "--lang", "en")
    assert zh.returncode == en.returncode == 0
    assert "刑事（诈骗罪）" in zh.stdout and "数额较大" in zh.stdout
    assert "criminal (fraud)" in en.stdout and "large amount" in en.stdout


def test_bad_inputs_give_a_located_message_and_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: assess-case/1\nplace: 广东省深圳市\nincidents:\n"
                   "  - {date: 2025-02-30, amount: -5, refund_paid: yes, photo_method: ai}\n"
                   "colour: red\n", encoding="utf-8")
    r = assess("evaluate", bad)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"{bad}:4" in r.stderr and f"{bad}:5" in r.stderr
    assert "incidents[0].amount" in r.stderr and "colour" in r.stderr
    missing = assess("evaluate", tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "not found" in missing.stderr
    date = assess("evaluate", EXAMPLE, "--as-of", "2026-13-01")
    assert date.returncode == 2 and "--as-of" in date.stderr and "Traceback" not in date.stderr


def test_a_broken_rule_file_is_reported_with_its_location(tmp_path):
    import shutil
    for name in ("rules", "statutes", "templates"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    path = tmp_path / "rules" / "criminal.yaml"
    text = path.read_text(encoding="utf-8").replace("fraud_amount: {at_least: threshold_large}",
                                                    "fraud_amount: {at_least: 6000}", 1)
    path.write_text(text, encoding="utf-8")
    r = assess("evaluate", EXAMPLE, "--rules-dir", tmp_path)
    assert r.returncode == 2, r.stdout
    assert "criminal.yaml:" in r.stderr and "not a number typed into the rule" in r.stderr


def test_statutes_list_and_show():
    r = assess("statutes", "list")
    assert r.returncode == 0 and "criminal-law/266" in r.stdout and "psapl/58" in r.stdout
    r = assess("statutes", "show", "psapl/58", "--date", "2026-03-01")
    assert r.returncode == 0 and "二千元以下罚款" in r.stdout
    r = assess("statutes", "show", "psapl/999")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_schema_is_json():
    r = assess("schema")
    assert r.returncode == 0 and json.loads(r.stdout)["type"] == "object"


def test_conduct_before_the_encoded_law_is_refused_with_the_first_covered_day(tmp_path):
    old = tmp_path / "old.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("date: 2025-11-", "date: 2019-11-")
    old.write_text(text, encoding="utf-8")
    r = assess("evaluate", old, "--as-of", "2026-01-15")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "the conduct date 2019-11-" in r.stderr and str(old) in r.stderr
    assert "incidents on or after 2021-03-01" in r.stderr


def test_a_bug_is_said_in_one_line_with_its_own_exit_code(monkeypatch):
    # an exception that is not the project's error is a bug: one line, exit code 70, no traceback
    # (unless ASSESS_DEBUG=1), so a user is not shown Python internals for a fault of ours
    from typer.testing import CliRunner

    import assess.assessment
    from assess.cli import app

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(assess.assessment, "evaluate_file", broken)
    monkeypatch.delenv("ASSESS_DEBUG", raising=False)
    r = CliRunner().invoke(app, ["evaluate", str(ROOT / "examples" / "criminal-guangdong.yaml")])
    assert r.exit_code == 70
    assert "internal error: ZeroDivisionError: division by zero" in r.output
    assert "bug in assess" in r.output and "Traceback" not in r.output
    monkeypatch.setenv("ASSESS_DEBUG", "1")
    r = CliRunner().invoke(app, ["evaluate", str(ROOT / "examples" / "criminal-guangdong.yaml")])
    assert isinstance(r.exception, ZeroDivisionError)


def test_the_band_of_an_attempt_not_prosecuted_is_not_shown_under_the_criminal_track(tmp_path):
    """An attempt that did not aim at a huge amount is not prosecuted: the criminal track does
    not apply, and the text does not print a band under it (the amount's band is still in the
    JSON, and in the opinion's table of the facts a rule used)."""
    from assess.assessment import evaluate_file
    from assess.explain import render_lines

    text = (ROOT / "examples" / "attempt-chongqing.yaml").read_text(encoding="utf-8")
    assert "amount: 8万元" in text
    path = tmp_path / "attempt.yaml"
    path.write_text(text.replace("amount: 8万元", "amount: 8000元"), encoding="utf-8")
    result = evaluate_file(path, as_of=date(2026, 1, 15))
    crim = result["tracks"]["criminal"]
    assert crim["applies"] is False and [b["band"] for b in crim["bands"]] == ["large"]
    lines = "\n".join(render_lines(result))
    criminal = lines.split("• ")[1]
    assert criminal.startswith("刑事") and "档次" not in criminal, criminal
    from assess.web.app import summary_view     # the merchants' web app says the same
    from assess.interview.wording import W
    web = summary_view(result, "zh", W["zh"])["tracks"][0]
    assert web["applies"] is False and web["band"] is None
    huge = evaluate_file(ROOT / "examples" / "attempt-chongqing.yaml", as_of=date(2026, 1, 15))
    assert "档次：数额巨大" in "\n".join(render_lines(huge)).split("• ")[1]
