"""Documents and the interview at the limit of refund requests (a script, not a test).

    python benchmarks/bench_scale.py [--repeat 3] [--resume-only] [--only TEXT]

A case with assess/case.py MAX_INCIDENTS (200) refund requests (tests/test_scale.py long_case):
- the opinion, report and appeal as PDF: warm render time in this process (assessment, HTML with
  the summary and the annex, PDF), pages, peak memory of a separate CLI process;
- `assess interview CASE --resume` up to the first question, in a separate process (imports
  included, as the user waits for it), for the case complete but for three facts, the same with
  "already dealt with?" open for every request, and the worst cases: a fact answered `unknown` in
  every request (RESUME_CASES), which stops the reasoning by cases early, so the questionnaire
  tries the answers of every open question (three-valued) instead.
Targets (issue 12, item 17): resume < 2 s.  The issue measured 121 s / 1.85 GB for an opinion
and 22 s for a resume at 10,000 requests (now refused).

Measured 2026-12-03 on the development machine (2 cores shared with other jobs, load 4–5):
    opinion  warm 2.59–3.62 s, cold CLI 4.45 s, peak ≤ 147 MB, 20 pages, 350 KB
    report   warm 1.69–2.73 s, cold CLI 3.46 s, peak ≤ 147 MB, 10 pages, 218 KB
    appeal   warm 2.86–2.97 s, cold CLI 4.67 s, peak ≤ 147 MB, 10 pages, 180 KB
Resume to the first question, `--resume-only --repeat 3`, on the same machine:
  A: before the sliding windows and the shared relevance pass (one run each, load 2–6);
  B: after them (load 0.8–2.5, 2026-12-03 15:43);
  C: after the relevance pass stopped trying the answers of a request that the case file is
     bound to refuse (case.py entry_refused) and parses each request it does not change once,
     and the reasoning by cases finds the unknown fields only when it splits (load 2.2–3.0,
     16:17; the two first rows say what the load adds);
  C': C again, run just before D on the same machine (load 1.5–2.0, 16:36);
  D: after the facts of a refund request, the sums and the earlier-penalty facts are derived
     once for equal requests (assess/facts.py memos: a case with one request changed derives
     that request and the sums again, nothing else; a photo made in any faked way is the same
     request for the sums), and the reasoning by cases no longer tries a field that
     assess/facts.py FACT_FIELDS / UNREAD_FIELDS say cannot change the fact it must decide
     (the refund status, or any request's answer for the buyer's intent) (load 0.9–1.5, 16:50).
    (seconds)                        A          B          C          C'         D
    three facts open                 1.92–2.06  0.60–0.63  0.54–0.59  0.54–0.58  0.50–0.50
      and dealt with? for each       1.80–2.03  0.59–0.65  0.51–0.54  0.52–0.53  0.48–0.49
    photo method unknown for all     10.8       2.38–2.49  2.09–2.19  2.38–2.43  0.76–0.80
      and dealt with? for each       23.4       7.40–7.50  2.12–2.23  2.45–2.51  0.79–0.82
    refund paid (and status) unknown 10.5       2.94–3.13  2.65–2.71  2.88–2.91  0.82–0.85
      and dealt with? for each       32.5       7.91–7.96  2.70–2.86  2.83–2.91  0.84–0.87
    photo method and defect unknown  16.9       3.06–3.18  2.87–2.95  3.30–3.37  1.38–1.39
      and dealt with? for each       40.9       7.80–8.06  2.97–3.06  3.29–3.41  1.42–1.43
      and earlier penalties not      -          17.3 (1    11.5–11.9  13.4–13.7  8.35–8.54
      answered                                  run, load 2.8)
(the documents' figures above predate the sliding windows.)
The same questions are asked, in the same order (tests/test_interview_long.py); the memos give
exactly the facts of a fresh derivation (tests/test_facts_incremental.py).
Where "dealt with?" answers are refused (no earlier penalty can be for the request), they are
no longer parsed: that was the 4–5 s of the "and dealt with?" rows in B.

2026-12-04 (E): the first opening of the two worst cases (the relevance pass is not in the
sidecar yet).  Measured split before E, one earlier penalty after all requests: about 1,690
assessments asked for, 1,260 made; evaluate_case ~48 % (the case facts ~30 % of the whole),
parse_case ~22 %, the cache keys (json.dumps of the whole data, repr of the whole case) ~22 %.
E, each giving what the plain derivation gives (tests/test_interview_long.py, the end):
  - the cache keys: each request's text is made once per entry object during a pass (the
    answers tried share the unchanged entries) instead of the whole data's JSON for every
    answer; the case key likewise per Incident;
  - parse_case's memo also keeps the Incident of each unchanged request (keyed by the entry and
    the earlier penalties' dates, all it reads of them): one Incident per request in a pass;
  - assess/facts.py: a request's facts found by the Incident object before its content; the
    memberships the sums read made once per request; the window's members once per call; the
    earlier-penalty facts in one pass, and with every request judged derived once per days;
    the parameters and the edition facts once per pack and dates; the photo-method facts from
    the set of methods;
  - the relevance pass tries the answers of one request before it assesses the context they are
    tried in, which it needs only when two answers differ (1,260 assessments become 1,061).
  Measured 2026-12-04 on the shared machine, `--resume-only --repeat 2`, before E (d8f2cdc)
  and with E; the CPU seconds are user + system of the process (steadier while other jobs run):
    (first opening)                   before E, load   E, load 4.9–5.9  E, load 1.3–1.5
                                      3.2–4.9 (CPU s)  (CPU s)          (wall = CPU, s)
    three facts open                  0.57–0.69        0.57–0.58        0.59–0.83
      and dealt with? for each        0.56–0.57        0.58–0.58        0.54–0.56
    photo method unknown for all      0.92–0.94        0.74–0.75        0.76–0.87
      and dealt with? for each        0.93–0.93        0.82–0.87        0.76–0.76
    refund paid unknown for all       1.00–1.05        0.88–0.89        0.80–0.81
      and dealt with? for each        1.10–1.14        0.94–0.96        0.87–0.95
    photo method and defect unknown   1.89–1.98        1.25–1.26        1.17–1.19
      and dealt with? for each        1.71–1.84        1.19–1.24        1.13–1.16
      and earlier penalties not       3.70–4.07        2.07–2.18        1.91–1.97
      answered
      and one earlier penalty after   7.70–8.01        3.94–5.16        3.59–3.72
      all requests
  Before E at load 1.3–1.8 (12:01 UTC, right after): 2.68–2.69 s and 6.41–6.74 s for the last
  two rows (2.71–2.75 s and 6.21–6.33 s on the quiet machine in the morning).  An unchanged
  case resumed again: 0.42–0.58 s in every row, before and after.  An answer in such an
  interview, the relevance pass after it (in-process, load 1.8): "dealt with?" of the last
  request answered in the case of the last row 3.71 → 2.42 CPU s; "any earlier penalty?"
  answered yes (date and kind open) in the case of the row before 9.74 → 5.11 CPU s.
  Then E also made the case file's text once for unchanged answers (the start compared and
  saved it three times, about 50 ms each at 200 requests) and read the amounts once in the
  sums.  12:10–12:12 UTC, load 2.3–4.0, CPU seconds: first openings 0.45–1.09 in the first
  eight rows, 1.89–1.96 and 3.93–4.13 in the last two; an unchanged case resumed again
  0.35–0.42 in every row.  Alternating with the code before E on the same case files (3 and 2
  runs each): 2.74–2.97 → 1.80–1.91 CPU s (earlier penalties not answered; wall 1.92–2.15 s)
  and 6.17–6.84 → 3.87–4.21 CPU s (one earlier penalty after all requests).  At 12:05, load
  1.2, alternating likewise: 2.87–3.01 → 1.89–2.14 s wall clock.
Still over the 2 s goal, and why:
- one earlier penalty after all requests (3.59–3.72 s), and an answer in any interview where
  every "dealt with" answer is taken (2.4–5.1 CPU s, as just above):
  every "dealt with" answer of every request is taken, so each of the 199 requests that do not
  matter costs 5 three-valued assessments of the 200 requests (three answers in the answers so
  far, two in the typical answers; 1,061 in all), and each still runs the rules (evaluate_case
  without the case facts: about 1 ms each, assess/assessment.py and cases.py, which this change
  does not touch) after parsing the case (~0.6 ms) and adding up its 200 requests again (a new
  request makes new sums).  Each answer in such an interview makes a new pass, as long again.
  Under 2 s needs fewer assessments, which only a proof that an answer cannot matter gives:
  e.g. a case file reading "dealt with, kind unknown" as "administrative" where every listed
  penalty that can be for the request is administrative (then two answers are one case), or
  an assessment that is a function of the case facts alone, so that answers giving the same
  facts are assessed once; neither is done (the first changes what the case file means, the
  second is for assess/assessment.py and cases.py).
At the goal, not safely under it: the earlier penalties not answered (1.8–2.1 s as the
machine's other work varies); the reasoning by cases derives the case facts of each answer of
each request (about 1,760 derivations, 840 distinct sums) before the relevance pass proper.

2026-12-04 afternoon (F), assess/interview/session.py, the relevance pass of the last row:
  - a three-valued assessment (completions=1) reads a case only through its case facts and its
    answers outside the requests (the reasoning by cases never splits with one completion), so
    answers giving the same facts are assessed once (_facts_key): "punished administratively"
    and "dealt with, kind unknown" of a request, say.  1,061 assessments become 662;
  - a request's "dealt with?" answer is set on the context's parsed case (cases.py _set) instead
    of the whole case being parsed again: parse_case reads that answer only for the request's
    Incident and for the check entry_refused makes before (1,061 parses become 262).
  The questions asked are those asked before (tests/test_interview_long.py,
  tests/test_interview_relevance.py, recorded at 05aa5d5).  Measured alongside the code before
  F (05aa5d5) on the shared machine, `--resume-only --repeat 2`, CPU seconds (wall within
  0.05 s of them):
    14:44–14:46 UTC, load 1.8–1.9, two alternations (before F / F):
      and earlier penalties not answered      1.84–1.93 / 1.78–1.83
      and one earlier penalty after all       3.55–4.05 / 2.56–2.85
    14:47–14:48 UTC, load 1.8–1.9, every row (before F / F): the first eight rows 0.46–1.30 /
    0.46–1.08; earlier penalties not answered 1.95–2.25 / 1.82; one earlier penalty after all
    3.78–3.93 / 2.72–2.74; an unchanged case resumed again 0.35–0.47 in every row, both.
  The relevance pass after an answer, in-process (tmp script, 14:45–14:46, load 1.8–1.9; the
  pass alone, without the process start and the save): "dealt with?" of the last request
  answered "no" in the case of the last row 2.22–2.23 / 1.43–1.59 CPU s (629 / 359
  assessments); "any earlier penalty?" answered yes (date and kind open) in the case of the
  row before 4.49–5.20 / 2.83–3.11 CPU s (1,486 / 688 assessments).
Still over the 2 s goal after F: one earlier penalty after all requests (2.6–2.9 CPU s to the
first question) and the answer "any earlier penalty? yes" in the case without them (2.8–3.1 CPU
s for the pass alone).  Each of the 199 requests that do not matter still costs five answers
tried (three in the answers so far, two in the typical answers), each with its case facts
derived (about 0.8 ms: the sums of 200 requests again), and three of them assessed (about
1.5 ms: the rules, then the tracks, band, text and deadlines read).  No sound way to decide a
request's relevance without trying its answers was found: the derivation of the facts is not
monotone in the answers (an unknown "dealt with?" counts the request as open for the conduct
date, so "unknown" is no lower bound of "yes" and "no"), which rules out a dominance argument,
and the requests differ in day and amount, so no two give the same facts.  Left: assessments
shared by the facts as the rules read them (the value of every condition of every rule, and
the facts the deadlines read exactly): 662 assessments would become about 50 at the last row
(47 distinct values of the conditions among the 1,060 answers tried, measured); an
estimated 0.7 s less, but it rests on what evaluate_case reads beyond the run of the
rules, in assess/assessment.py and cases.py.

2026-12-04 evening (G): what the slowest rows' time was made of (py-spy, the last row): the case
facts of each answer tried (~40 %), the three-valued assessments (~30 %), parsing (~12 %);
with the earlier penalties unanswered, 57 % was the reasoning by cases trying each answer of
each request on the whole case facts (adding up the 200 requests again) to see whether it
changes the months since an earlier penalty, which no request's answer can while the earlier
penalties are unknown.  Changes (tests/test_interview_relevance.py, test_facts_incremental.py):
  - the relevance pass compares the answers of a request by what the three-valued conclusions
    read (assess/interview/keys.py ConclusionsKey: the value of every atom of every condition
    on the case facts, the exact case facts the deadlines read, the law date, the answers
    outside the requests): 662 assessments become 67 at the last row; the same questions;
  - the reasoning by cases tries a field on the earlier-penalty facts alone where only they
    are asked (facts.penalty_facts_alone; cases._Splitter.influences): the same splits;
  - facts._sums: the ages in one pass, the windows keep their best as they slide (equal
    values on 6,600 random request lists); the earliest conduct date found once.
  Measured alongside the code before (7412d5d), `--resume-only --repeat 1 --only "earlier
  penalt"`, twice each, 17:16–17:17 UTC, load 2.2–2.7 (another job running), CPU s:
    (first opening)                        before G    G
      and earlier penalties not answered   1.90–1.91   1.08–1.19
      and one earlier penalty after all    2.61–2.69   1.63–1.72
  All ten rows with G (17:13–17:14, load 1.5–2.4, --repeat 2): 0.48, 0.48, 0.68–0.70,
  0.74–0.75, 0.79–0.83, 0.72–0.80, 1.10–1.17, 1.07–1.17, 1.12–1.19, 1.63–1.75 CPU s; an
  unchanged case resumed again 0.37–0.43.  An answer in such an interview, the relevance pass
  in-process: after the last request's "dealt with?" 1.12 s (1.43–1.59 before F's figures);
  after "any earlier penalty? yes" 1.64–1.78 s (3.09–3.48 before, alongside).
  This machine sets PYTHONDONTWRITEBYTECODE=1: every process compiles the package (~0.1 s).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_documents import page_count  # noqa: E402
from test_scale import AS_OF, long_case  # noqa: E402

RESUME = """
import sys, time
from assess.errors import AssessError
from assess.interview import run_interview
from datetime import date
try:
    run_interview(sys.argv[1], resume=True, answers=[], as_of=date.fromisoformat(sys.argv[2]),
                  summary=False)
except AssessError:
    pass                    # the answers end at the first question
"""


# (label, long_case options, fields written `unknown` in every request): the case complete but
# for three facts; then a fact unknown for every request (the worst cases: the reasoning by
# cases stops early, and the questionnaire tries the answers of each open question)
RESUME_CASES = [
    ("three facts open", dict(facts_open=True), ()),
    ("and dealt with? for each", dict(facts_open=True, handled_open=True), ()),
    ("photo method unknown for all", dict(facts_open=True), ("photo_method",)),
    ("  and dealt with? for each", dict(facts_open=True, handled_open=True), ("photo_method",)),
    ("refund paid unknown for all", dict(facts_open=True), ("refund_status", "refund_paid")),
    ("  and dealt with? for each", dict(facts_open=True, handled_open=True),
     ("refund_status", "refund_paid")),
    ("photo method and defect unknown for all", dict(facts_open=True),
     ("photo_method", "goods_defective")),
    ("  and dealt with? for each", dict(facts_open=True, handled_open=True),
     ("photo_method", "goods_defective")),
    # the earlier penalties not answered: "dealt with?" waits for them (questions.yaml `after`)
    ("  and earlier penalties not answered", dict(facts_open=True, handled_open=True),
     ("photo_method", "buyer.prior_penalties")),
    # one earlier penalty after every request: every "dealt with" answer is taken, none is
    # refused, each makes a case of its own (the slowest pass)
    ("  and one earlier penalty after all requests", dict(facts_open=True, handled_open=True),
     ("photo_method", "buyer.prior_penalties=late")),
    # a bare age at the criminal law's limit: the date of birth is asked (the birthday on the
    # first or the last request's day is tried)
    ("photo method unknown, age 16 without date of birth", dict(facts_open=True),
     ("photo_method", "buyer.age=16")),
]


def with_unknown(path: Path, fields: tuple) -> Path:
    """The case file with `fields` answered `unknown` in every refund request (a field of the
    buyer, `buyer.X`, is left out instead; `buyer.age=N` gives the age N without the date of
    birth)."""
    import yaml

    if fields:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for inc in data["incidents"]:
            inc.update({f: "unknown" for f in fields if not f.startswith("buyer.")})
        for f in fields:
            if f.startswith("buyer.age="):
                data["buyer"].pop("birth_date", None)
                data["buyer"]["age"] = int(f.removeprefix("buyer.age="))
            elif f == "buyer.prior_penalties=late":
                data["buyer"]["prior_penalties"] = [{"kind": "administrative",
                                                     "date": AS_OF.replace(day=1).isoformat()}]
            elif f.startswith("buyer."):
                data["buyer"].pop(f.removeprefix("buyer."), None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return path


def child(args: list[str]) -> tuple[float, float, float]:
    """(seconds, peak MB, CPU seconds: user + system) of a separate Python process.  On a
    machine other jobs share, the CPU seconds are the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t
    if r.returncode not in (0, 2):
        raise SystemExit(r.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, max(after.ru_maxrss, before.ru_maxrss) / 1024, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--resume-only", action="store_true", help="skip the documents")
    ap.add_argument("--only", default="", help="only the resume cases whose label has this text")
    args = ap.parse_args()

    from assess.case import MAX_INCIDENTS
    from assess.documents import KINDS, render

    print(f"{MAX_INCIDENTS} refund requests, as of {AS_OF}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        case = long_case(tmp)
        for kind in () if args.resume_only else KINDS:
            out = tmp / f"{kind}.pdf"
            cold, peak, _ = child(["-m", "assess.cli", kind, str(case), "--as-of",
                                   AS_OF.isoformat(), "-o", str(out), "--force"])
            warm = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                pdf = render(kind, case, as_of=AS_OF).content
                warm.append(time.perf_counter() - t)
            pages = page_count(pdf)
            print(f"{kind:<8} warm {min(warm):.2f}–{max(warm):.2f} s, cold CLI {cold:.2f} s, "
                  f"peak ≤ {peak:.0f} MB, {pages} pages, {len(pdf) // 1024} KB")
        for n, (label, kw, unknown) in enumerate(RESUME_CASES):
            if args.only not in label:
                continue
            folder = tmp / f"resume{n}"
            folder.mkdir()
            times, again, cpu, cpu_again = [], [], [], []
            for _ in range(args.repeat):
                for old in folder.iterdir():
                    old.unlink()
                path = with_unknown(long_case(folder, **kw), unknown)
                took, _, used = child(["-c", RESUME, str(path), AS_OF.isoformat()])
                times.append(took)
                cpu.append(used)
                # resumed again, unchanged: the relevance pass is taken from the sidecar
                took, _, used = child(["-c", RESUME, str(path), AS_OF.isoformat()])
                again.append(took)
                cpu_again.append(used)
            print(f"resume, {label:<44} {min(times):.2f}–{max(times):.2f} s to the first "
                  f"question (CPU {min(cpu):.2f}–{max(cpu):.2f} s); again "
                  f"{min(again):.2f}–{max(again):.2f} s (CPU {min(cpu_again):.2f}–"
                  f"{max(cpu_again):.2f} s)")


if __name__ == "__main__":
    main()
