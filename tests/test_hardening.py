"""Hostile input (issue 12): each defect reproduced, then refused with a message — exit 2, file,
line and what is expected, never a traceback."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assess import yamlio
from assess.assessment import evaluate_file
from assess.errors import AssessError


def run(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "assess.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_alias_amplification_is_refused_quickly(tmp_path):
    # item 1: 1,000 values repeated 1,000 times by alias is a 6 KB file
    f = tmp_path / "bomb.yaml"
    f.write_text("format: assess-case/1\nx: &a [" + ",".join(["1"] * 1000) + "]\n"
                 "y: [" + ",".join(["*a"] * 1000) + "]\nincidents: []\n", encoding="utf-8")
    with pytest.raises(AssessError) as e:
        evaluate_file(f)
    assert "aliases" in e.value.message and e.value.line == 3
    r = run("evaluate", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{f}:3:" in r.stderr


def test_aliases_within_the_limit_still_load():
    data = yamlio.loads("a: &x [1, 2]\nb: *x\n")
    assert data["b"] == [1, 2]


@pytest.mark.parametrize("text", [
    "notes: " + "[" * 300 + "]" * 300,                                    # lists
    "".join("  " * i + f"k{i}:\n" for i in range(600)),                 # mappings
])
def test_deep_nesting_is_refused(tmp_path, text):
    # item 3: RecursionError at ~170 nested lists / ~500 nested mappings
    f = tmp_path / "deep.yaml"
    f.write_text("format: assess-case/1\n" + text + "\n", encoding="utf-8")
    with pytest.raises(AssessError) as e:
        evaluate_file(f)
    assert "nested more than" in e.value.message and e.value.line is not None


def test_rule_condition_nested_too_deep_is_a_finding(tmp_path):
    # item 3: a rule condition nested 600 deep
    from assess.rulecheck import check_pack
    from assess.rulediff import init_pack

    pack = tmp_path / "pack"
    init_pack(pack)
    f = pack / "rules" / "civil.yaml"
    deep = "".join("  " * (3 + i) + "- any:\n" for i in range(600))
    text = f.read_text(encoding="utf-8").replace(
        "    when:\n      - has_fraud_incident: yes\n      - refund_caused_by_photos: yes\n",
        "    when:\n" + deep + "  " * 603 + "- refund_paid: yes\n", 1)
    f.write_text(text, encoding="utf-8")
    findings = check_pack(pack)
    assert any("nested more than" in x.message and x.file == str(f) for x in findings)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "dir"])
def test_only_regular_files_are_read(tmp_path, special):
    # item 4: /dev/zero was read until MemoryError; a FIFO blocked for ever
    path = special
    if special == "fifo":
        path = str(tmp_path / "case.yaml")
        os.mkfifo(path)
    elif special == "dir":
        path = str(tmp_path)
    with pytest.raises(AssessError) as e:
        yamlio.load(path)
    assert e.value.expected == "a regular text file"
    r = run("evaluate", path, timeout=20)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_file_too_large_is_refused(tmp_path):
    f = tmp_path / "big.yaml"
    with open(f, "wb") as fh:
        fh.truncate(yamlio.MAX_FILE_BYTES + 1)
    with pytest.raises(AssessError) as e:
        yamlio.load(f)
    assert "limit" in e.value.message


def test_not_utf8_names_the_line(tmp_path):
    # item 7: only the byte offset was given
    f = tmp_path / "latin.yaml"
    f.write_bytes("format: assess-case/1\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(AssessError) as e:
        yamlio.load(f)
    assert (e.value.line, e.value.col) == (2, 11)


@pytest.mark.parametrize("text, why", [
    ("河北省深圳市", "names two places"),          # was 河北省: the national range, not 深圳's 6,000
    ("广东省南京市", "names two places"),
    ("广州 深圳", "names two places"),             # was 广州市
    ("省市区县", "cannot find"),                   # was 河南省濮阳市市区
    ("高新区", "cannot find"),                     # was 河北省唐山市新区
])
def test_contradictory_or_partial_places_are_refused(monkeypatch, text, why):
    # item 5
    from assess.places import resolve_place

    monkeypatch.setenv("ASSESS_NO_PLACE_CACHE", "1")
    resolve_place.cache_clear()
    with pytest.raises(ValueError) as e:
        resolve_place(text)
    assert why in str(e.value)


def test_a_contradictory_place_in_a_case_file_is_an_error_at_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_NO_PLACE_CACHE", "1")
    f = tmp_path / "case.yaml"
    f.write_text("format: assess-case/1\nplace: 河北省深圳市\nincidents:\n"
                 "  - {date: 2025-11-03, amount: 6500}\n", encoding="utf-8")
    r = run("evaluate", str(f), timeout=60)
    assert r.returncode == 2 and f"{f}:2:" in r.stderr and "包含两个地点" in r.stderr
    r = run("evaluate", str(f), "--lang", "en", timeout=60)
    assert r.returncode == 2 and "names two places" in r.stderr


def test_an_impossible_incident_date_is_refused(tmp_path):
    # item 6: 1900-01-01 was accepted beside 2025-11-03 (an incident before the covered period
    # but plausible stays a warning: tests/test_facts.py)
    f = tmp_path / "case.yaml"
    f.write_text("format: assess-case/1\nplace: 广东省深圳市南山区\nincidents:\n"
                 "  - {date: 2025-11-03, amount: 3500}\n"
                 "  - {date: 1900-01-01, amount: 3000}\n", encoding="utf-8")
    with pytest.raises(AssessError) as e:
        evaluate_file(f, as_of=__import__("datetime").date(2026, 1, 15))
    assert "1900-01-01" in str(e.value) and e.value.line == 5


def test_markup_and_escape_sequences_in_case_text(tmp_path):
    # item 8: "abc[/bold] def" crashed `assess evaluate` (rich MarkupError); ESC sequences
    # reached the terminal raw
    f = tmp_path / "case.yaml"
    f.write_text('format: assess-case/1\ntitle: "abc[/bold] def\\e]0;pwned\\a\\e[2J"\n'
                 "incidents:\n  - {date: 2025-11-03, amount: 500}\n", encoding="utf-8")
    r = run("evaluate", str(f), "--as-of", "2026-01-15", timeout=60)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "abc" in r.stdout and "def" in r.stdout
    assert "control or invisible character(s) removed" in r.stdout


def test_bidi_and_zero_width_characters_are_removed_and_flagged(tmp_path):
    # item 9: U+202E in the buyer's account reversed the police report's own sentence
    from assess.case import load_case

    f = tmp_path / "case.yaml"
    f.write_text("format: assess-case/1\nbuyer: {account: \"evil\u202eftp.exe\u200b\"}\n"
                 "incidents:\n  - {date: 2025-11-03, amount: 500}\n", encoding="utf-8")
    case = load_case(f, as_of=__import__("datetime").date(2026, 1, 15))
    assert case.buyer["account"] == "evilftp.exe"
    assert any("buyer.account" in w and ":2:" in w for w in case.warnings)
    result = evaluate_file(f, as_of=__import__("datetime").date(2026, 1, 15))
    assert any("buyer.account" in w for w in result["warnings"])


@pytest.mark.parametrize("text, where", [
    ("# a comment\njust a string\n", ":2:1:"),                                   # top-level scalar
    ("format: assess-case/1\nincidents:\n  - {date: 2020-01-01, amount: 500}\n", ":3:12:"),  # first covered day
    ("format: assess-case/1\ntitle: 'a\x1b]0;title\x07'\n", ":2:10:"),   # a raw control character
])
def test_messages_name_the_line(tmp_path, text, where):
    # item 7: these messages had no line number
    f = tmp_path / "case.yaml"
    f.write_text(text, encoding="utf-8")
    r = run("evaluate", str(f), "--as-of", "2026-01-15", timeout=60)
    assert r.returncode == 2 and f"{f}{where}" in r.stderr, r.stderr


def test_as_of_errors_name_the_command_line():
    r = run("evaluate", "examples/criminal-guangdong.yaml", "--as-of", "2026-13-45")
    assert r.returncode == 2 and r.stderr.startswith("command line: error:")
    assert "--as-of" in r.stderr and "<input>" not in r.stderr


@pytest.mark.parametrize("path, old, new, message", [
    ("rules/facts.yaml", "values: [jiangsu-2011, shanghai-2023]", "values: 5",
     "'values' must be a list"),
    ("rules/criminal.yaml", "- near_relative: yes", "- near_relative: {in: 5}",
     "needs a list of values"),
    ("rules/civil.yaml", "from: merchant_learned_date", "from: [merchant_learned_date]",
     "is not a date fact"),
    ("statutes/parameters.yaml", "value: 16\n", "value: -16\n", "is not negative"),
])
def test_bad_values_in_a_rule_pack_are_findings(tmp_path, path, old, new, message):
    # item 15: each gave a TypeError traceback in `rules check` and `evaluate` (the negative
    # parameter evaluated silently)
    from assess.rulediff import init_pack

    pack = tmp_path / "pack"
    init_pack(pack)
    f = pack / path
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    for args in (("rules", "check", "--rules-dir", str(pack)),
                 ("evaluate", "examples/criminal-guangdong.yaml", "--rules-dir", str(pack))):
        r = run(*args, timeout=120)
        assert r.returncode != 0 and "Traceback" not in r.stderr + r.stdout
        assert message in r.stderr + r.stdout and str(f) in r.stderr + r.stdout


# --------------------------------------------------------------------------- documents

def _case_with_evidence(tmp_path, name):
    f = tmp_path / "case" / "case.yaml"
    f.parent.mkdir(exist_ok=True)
    f.write_text("format: assess-case/1\nplace: 广东省深圳市南山区\nincidents:\n"
                 "  - {date: 2025-11-03, amount: 500, refund_paid: yes, photo_method: ai_generated}\n"
                 f"evidence:\n  - {{kind: other, file: '{name}'}}\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/hostname", "link.txt", "fifo"])
def test_evidence_files_are_confined_to_the_case_folder(tmp_path, name):
    # item 10: absolute paths, ../ and symlinks were read and their SHA-256 printed
    from assess.documents import render_html

    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    f = _case_with_evidence(tmp_path, name)
    if name == "link.txt":
        (f.parent / "link.txt").symlink_to(secret)
    if name == "fifo":
        os.mkfifo(f.parent / "fifo")
    doc = render_html("report", f, as_of=__import__("datetime").date(2026, 1, 15))
    import hashlib
    assert hashlib.sha256(b"secret").hexdigest() not in doc.content
    assert any(f"evidence file {name}" in m for m in doc.missing)
    # with an explicit root the file outside the case folder is read
    if name in ("../secret.txt", "link.txt"):
        doc = render_html("report", f, as_of=__import__("datetime").date(2026, 1, 15),
                          evidence_root=tmp_path)
        assert hashlib.sha256(b"secret").hexdigest() in doc.content


def test_a_huge_evidence_file_is_not_hashed(tmp_path, monkeypatch):
    from assess import documents

    f = _case_with_evidence(tmp_path, "big.bin")
    with open(f.parent / "big.bin", "wb") as fh:
        fh.truncate(2048)
    monkeypatch.setattr(documents, "MAX_EVIDENCE_BYTES", 1024)
    doc = documents.render_html("report", f, as_of=__import__("datetime").date(2026, 1, 15))
    assert any("over the limit" in m for m in doc.missing)


@pytest.mark.parametrize("what", ["input", "dir", "fifo", "symlink", "existing", "long"])
def test_output_paths_that_would_destroy_something_are_refused(tmp_path, what):
    # item 11: -o replaced whatever was at the path
    case = tmp_path / "case.yaml"
    case.write_text("format: assess-case/1\nincidents:\n  - {date: 2025-11-03, amount: 500}\n",
                    encoding="utf-8")
    target = {"input": case, "dir": tmp_path, "long": tmp_path / ("长" * 300 + ".pdf")}.get(
        what, tmp_path / "out.pdf")
    if what == "fifo":
        os.mkfifo(target)
    elif what == "symlink":
        target.symlink_to(case)
    elif what == "existing":
        target.write_bytes(b"mine")
    before = case.read_bytes()
    r = run("report", str(case), "-o", str(target), "--as-of", "2026-01-15", timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert case.read_bytes() == before
    if what == "existing":
        assert target.read_bytes() == b"mine" and "--force" in r.stderr
    if what in ("fifo", "symlink"):
        assert os.path.islink(target) or not os.path.isfile(target)


def test_force_overwrites_and_keeps_the_mode(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("format: assess-case/1\nincidents:\n  - {date: 2025-11-03, amount: 500}\n",
                    encoding="utf-8")
    out = tmp_path / "out.html"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    r = run("report", str(case), "-o", str(out), "--as-of", "2026-01-15", "--force", timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") != "old" and (os.stat(out).st_mode & 0o777) == 0o640


def test_templates_run_sandboxed(tmp_path):
    # item 16: {{ cycler.__init__.__globals__.os.system(...) }} ran during `assess opinion`
    from assess.documents import render_html
    from assess.rulediff import init_pack

    pack = tmp_path / "pack"
    init_pack(pack)
    marker = tmp_path / "pwned"
    t = pack / "templates" / "base.html.j2"       # the layout: its text is output
    t.write_text(t.read_text(encoding="utf-8") +
                 "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}",
                 encoding="utf-8")
    with pytest.raises(AssessError) as e:
        render_html("report", "examples/criminal-guangdong.yaml", base=pack,
                    as_of=__import__("datetime").date(2026, 1, 15))
    assert not marker.exists()
    assert "base.html.j2" in (e.value.file or "") and "unsafe" in e.value.message


def test_the_template_cache_is_pruned(tmp_path, monkeypatch):
    # item 18: a file for every template version, never pruned
    from assess import documents

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = documents._bytecode_cache()
    folder = Path(cache.directory)
    stale = folder.parent / "jinja0.0-old"
    stale.mkdir()
    for n in range(documents.CACHE_KEEP + 10):
        (folder / f"__jinja2_{n}.cache").write_bytes(b"x")
    documents._bytecode_cache()
    assert not stale.exists()
    assert len(list(folder.iterdir())) == documents.CACHE_KEEP


@pytest.mark.parametrize("file, old, new, message", [
    ("templates/report.html.j2", "{% block body %}", "{% block body %}{{ t.__class__ }}",
     "internal attribute '__class__'"),
    ("templates/report.html.j2", "{% block body %}", '{% block body %}{% include "../../etc/passwd" %}',
     "outside templates/"),
    ("templates/base.html.j2", "<head>", '<head><link rel="stylesheet" href="https://example.com/x.css">',
     "remote resource"),
    ("templates/strings.yaml", 'en: "Date:"}', '}', "has no en: text"),
    ("templates/strings.yaml", "report:\n", "report:\n  bad: [\n", "YAML syntax error"),
])
def test_rules_check_reports_dangerous_or_broken_templates(tmp_path, file, old, new, message):
    # items 15, 16: rules check missed these
    from assess.rulecheck import check_pack
    from assess.rulediff import init_pack

    pack = tmp_path / "pack"
    init_pack(pack)
    f = pack / file
    text = f.read_text(encoding="utf-8")
    assert old in text, old
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [x for x in check_pack(pack) if message in x.message]
    assert found and found[0].file == str(f) and found[0].line is not None


@pytest.mark.parametrize("amount", ["10000000000000000", "1e308", "1" + "0" * 28, "1e+16"])
def test_absurd_amounts_are_refused_with_a_message(tmp_path, amount):
    # item 2: 10^16 made durable fail ("error code: 204"), 10^28 raised InvalidOperation
    f = tmp_path / "case.yaml"
    f.write_text(f"format: assess-case/1\nincidents:\n  - {{date: 2025-11-03, amount: {amount}}}\n",
                 encoding="utf-8")
    r = run("evaluate", str(f), "--as-of", "2026-01-15", "--lang", "en")
    assert r.returncode == 2 and "Traceback" not in r.stderr and f"{f}:3:" in r.stderr


def test_large_amounts_that_are_accepted_print_as_numbers(tmp_path):
    # item 2: amounts above 10^12 printed as an open range "1,000,000,000,001–?元"
    f = tmp_path / "case.yaml"
    f.write_text("format: assess-case/1\nplace: 广东省深圳市南山区\nintent_to_possess: yes\n"
                 "refund_caused_by_photos: yes\nincidents:\n"
                 "  - {date: 2025-11-03, amount: 9999999999, refund_paid: yes, "
                 "photo_method: ai_generated, goods_defective: no}\n"
                 "  - {date: 2025-11-04, amount: 9999999999, refund_paid: yes, "
                 "photo_method: ai_generated, goods_defective: no}\n", encoding="utf-8")
    r = run("evaluate", str(f), "--as-of", "2026-01-15")
    assert r.returncode == 0, r.stderr
    assert "19,999,999,998元" in r.stdout and "–?" not in r.stdout


# --------------------------------------------------------------------------- interview files

AS_OF = __import__("datetime").date(2026, 1, 15)
CASE_TEXT = ("format: assess-case/1\nplace: 广东省深圳市南山区\nincidents:\n"
             "  - {date: 2025-11-03, amount: 500}\n")


def _resume(path, lines=()):
    import io as _io

    from assess.interview import LineIO, run_interview
    return run_interview(path, io=LineIO(list(lines), out=_io.StringIO()), as_of=AS_OF,
                         resume=True, summary=False)


def test_a_second_interview_on_the_same_case_is_refused(tmp_path):
    # item 12: two interviews on one case file lost updates
    import fcntl

    case = tmp_path / "case.yaml"
    case.write_text(CASE_TEXT, encoding="utf-8")
    with open(tmp_path / "case.yaml.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242")
        held.flush()
        with pytest.raises(AssessError) as e:
            _resume(case)
    assert "another interview (process 4242)" in e.value.message
    assert case.read_text(encoding="utf-8") == CASE_TEXT


def test_autosave_keeps_mode_symlink_and_cleans_up(tmp_path):
    # item 13: mode became 0600, a symlink was replaced by a file, .tmp files were left behind
    real = tmp_path / "real.yaml"
    real.write_text(CASE_TEXT, encoding="utf-8")
    os.chmod(real, 0o644)
    link = tmp_path / "case.yaml"
    link.symlink_to(real)
    stale = tmp_path / ".real.yaml.abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    os.utime(stale, (0, 0))
    with pytest.raises(AssessError) as e:                       # no answers: it stops, saved
        _resume(link)
    assert "--resume" in e.value.hint
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "format: assess-case/1" in real.read_text(encoding="utf-8")
    assert real.read_text(encoding="utf-8") != CASE_TEXT          # saved through the link
    assert (os.stat(real).st_mode & 0o777) == 0o644
    assert not stale.exists()


def test_writing_many_files_to_one_folder_lists_it_once(tmp_path, monkeypatch):
    """The screening writes a case file per flagged buyer into one folder: looking for stale
    temporaries listed the whole folder before every file (18 ms a file at 36,000 files, so the
    cost grew with the square of their number).  A stale temporary of any of them still goes."""
    from assess import case as case_module
    from assess.case import write_atomic

    stale = tmp_path / ".b7.yaml.xyz789.tmp"
    stale.write_text("half", encoding="utf-8")
    os.utime(stale, (0, 0))
    fresh = tmp_path / ".b8.yaml.xyz789.tmp"          # a save under way elsewhere: kept
    fresh.write_text("half", encoding="utf-8")
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(case_module.os, "scandir", lambda p: listed.append(p) or scandir(p))
    for n in range(50):
        write_atomic(tmp_path / f"b{n}.yaml", "x: 1\n", "a case file")
    assert len(listed) == 1
    assert not stale.exists() and fresh.exists()
    assert len(list(tmp_path.glob("b*.yaml"))) == 50


@pytest.mark.parametrize("sidecar", ['{"format": "assess-interview/1", "history": 5}', "dir",
                                     "not json"])
def test_a_malformed_sidecar_is_bad_input(tmp_path, sidecar):
    # item 14: TypeError / IsADirectoryError tracebacks on --resume
    case = tmp_path / "case.yaml"
    case.write_text(CASE_TEXT, encoding="utf-8")
    side = tmp_path / "case.yaml.interview.json"
    if sidecar == "dir":
        side.mkdir()
    else:
        side.write_text(sidecar, encoding="utf-8")
    with pytest.raises(AssessError) as e:
        _resume(case)
    assert "state file" in e.value.message and "move" in e.value.hint
    assert case.read_text(encoding="utf-8") == CASE_TEXT
    r = run("interview", str(case), "--resume", "--as-of", "2026-01-15", timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_learned_date_in_1900_is_refused(tmp_path):
    # item 6: a merchant_learned_date in 1900 was accepted (a date before the first request but
    # plausible is questioned by the interview, not refused: tests/test_interview_everyday.py)
    f = tmp_path / "case.yaml"
    f.write_text("format: assess-case/1\nincidents:\n  - {date: 2025-11-03, amount: 3500}\n"
                 "merchant_learned_date: 1900-01-02\n", encoding="utf-8")
    with pytest.raises(AssessError) as e:
        evaluate_file(f, as_of=AS_OF)
    assert "1900-01-02" in str(e.value) and e.value.line == 4


def test_too_many_incidents_are_refused_quickly(tmp_path):
    # item 17: an opinion for 10,000 incidents took 121 s and 1.85 GB
    import time

    from assess.case import MAX_INCIDENTS
    f = tmp_path / "case.yaml"
    lines = "".join(f"  - {{date: 2025-11-03, amount: 100}}\n" for _ in range(10_000))
    f.write_text("format: assess-case/1\nincidents:\n" + lines, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(AssessError) as e:
        evaluate_file(f, as_of=AS_OF)
    assert time.perf_counter() - start < 5
    assert f"at most {MAX_INCIDENTS}" in e.value.message and e.value.line == 3   # the list


@pytest.mark.parametrize("file, old, new, message", [
    ("report.html.j2", "<h2>{{ r.s_reporter }}</h2>", "<h2>{{ r.s_reporter }}{{ casee.title }}</h2>",
     "the name 'casee'"),
    ("opinion.html.j2", "<h1>{{ o.doc_title }}</h1>", "<h1>{{ o.doc_title|shout }}</h1>",
     "the filter 'shout'"),
    ("macros.html.j2", "{% macro opt(value) -%}", "{% macro opt(value) -%}{% if value is bogus %}{% endif %}",
     "the test 'bogus'"),
])
def test_rules_check_reports_unknown_template_names_and_filters(tmp_path, file, old, new, message):
    # item 15: unknown template variables and filters
    import shutil

    from assess import paths
    from assess.rulecheck import check_templates

    templates = tmp_path / "templates"
    shutil.copytree(paths.templates_dir(None), templates)
    f = templates / file
    text = f.read_text(encoding="utf-8")
    assert old in text, old
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    want = text[:text.index(old)].count("\n") + 1
    found = [x for x in check_templates(templates) if message in x.message]
    assert len(found) == 1
    assert found[0].file == str(f) and found[0].line == want and found[0].severity == "error"
    assert f"{f}:{want}:1: error: template uses {message}" in found[0].format()


def test_shipped_templates_use_only_names_and_filters_the_documents_provide():
    from assess import paths
    from assess.rulecheck import check_templates

    assert [str(x) for x in check_templates(paths.templates_dir(None))
            if "template uses" in x.message] == []


def test_the_names_rules_check_allows_are_those_the_documents_get(tmp_path):
    # item 15: the set rules check compares with is the context render_html builds
    from assess import documents

    case = Path(__file__).resolve().parent.parent / "examples" / "criminal-guangdong.yaml"
    for kind in documents.KINDS:
        ctx = documents.render_html(kind, case, as_of=AS_OF).context
        want = set(documents.CONTEXT_NAMES)
        if kind == "opinion":
            want |= set(documents.OPINION_CONTEXT_NAMES)
        assert set(ctx) == want, kind
