"""The keys by which the questionnaire's relevance pass tells cases apart, and so assesses each
case it tries once: a data set's text (data_key), what a full assessment reads of a parsed case
(case_key), what a three-valued one reads (facts_key), and what the conclusions of a three-valued
one depend on (ConclusionsKey), which is all the pass compares the answers of a question by."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

from ..evaluator import compile_cond
from ..facts import case_facts


def case_key(case, memo: dict | None = None) -> str:
    """What an assessment reads of a parsed case (assess/assessment.py, facts.py, cases.py): its
    values, and of the data as written only the buyer (facts.py: earlier penalties answered).

    With `memo` (the relevance pass's parse memo, while no Incident changes in place), the text
    of each refund request is made once per Incident object: the cases of one pass share the
    Incidents of the requests they do not change (case.py parse_case `entries`)."""
    values = [getattr(case, f.name) for f in dataclasses.fields(case)
              if f.name not in ("data", "incidents")]
    return repr(values + [(case.data or {}).get("buyer")]) + "\n" + \
        "\n".join(text_of(memo, ("repr", inc), repr) for inc in case.incidents)


def facts_key(case, lib, pack, as_of: date) -> str:
    """What a three-valued assessment (evaluate_case with completions=1) reads of a case: its
    case facts, the parameters at its dates, and its answers outside the refund requests.

    With one completion the reasoning by cases never splits (cases.py _Splitter.walk: no room
    for two cases): the rules run once, on the facts case_facts derives (_Splitter.root), and
    the tracks, band, law text and deadlines are read from that run and those facts (the
    thresholds used too).  Besides the facts it reads of the case only its unknown answers
    outside the requests (a deadline's rule decided alone, cases.py _Splitter.local, tries the
    values of such an answer; a request's answers are never read there) and its name, place and
    warnings, which no conclusion reads.  So two cases with equal keys have the same
    conclusions: the answers of a request that count it out of the sums alike ("punished
    administratively" and "dealt with, kind unknown" where the earlier penalties listed can be
    for it) are assessed once.  The facts are derived once per request and per sums
    (assess/facts.py memos), so evaluate_case finds them there again."""
    cf = case_facts(case, lib, pack, as_of)
    return repr((cf.facts, cf.params, cf.conduct_date, cf.first_conduct_date,
                 cf.decision_date, cf.law_date_conduct, answers_outside_requests(case)))


def text_of(memo: dict | None, what: tuple, make) -> str:
    """make(obj) for what = (kind, obj), remembered in `memo` for that very object (the memo
    keeps it, so that its id is not given to another) when a memo is given."""
    kind, obj = what
    if memo is None:
        return make(obj)
    key = (kind, id(obj))
    hit = memo.get(key)
    if hit is None or hit[0] is not obj:
        hit = memo[key] = (obj, make(obj))
    return hit[1]


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def data_key(data: dict, memo: dict | None = None) -> str:
    """A text that tells data sets apart (what Session.evaluate remembers its results by).  With
    `memo` (during a relevance pass, while no entry changes in place), each refund request's
    text is made once per entry object: the data sets tried share the unchanged entries (_fork).
    JSON has no line break of its own, so the parts joined by line breaks cannot run together,
    and a data set without a list of requests (one JSON text) differs from one with a list."""
    incidents = data.get("incidents") if isinstance(data, dict) else None
    if memo is None or not isinstance(incidents, list):
        return _json(data)
    rest = {k: v for k, v in data.items() if k != "incidents"}
    return "\n".join([_json(rest), "incidents"] +
                     [text_of(memo, ("json", e), _json) for e in incidents])


def answers_outside_requests(case) -> list:
    """A parsed case's answers but its refund requests (and the data as written)."""
    return [getattr(case, f.name) for f in dataclasses.fields(case)
            if f.name not in ("data", "incidents")]


class ConclusionsKey:
    """What the conclusions of a three-valued assessment (evaluate_case with completions=1;
    Session.conclusions reads them: tracks, band, PSAPL text, deadlines) depend on, made from a
    case's facts far more cheaply than the assessment itself.

    With one completion the reasoning by cases never splits (cases.py _Splitter.walk): the
    rules run once on the case facts, and the tracks, band and PSAPL text are read from which
    rules fired and the facts they concluded (assessment.py, cases.py Analysis).  A run is
    fixed by the value of every atom of every condition: a rule's conclusions are constants
    (model.py `then`), so the derived facts, and the atoms reading them, follow from the atoms
    over the case facts.  So the key holds
    - the value of each atom whose facts are all case facts (over the parameters at the
      case's dates, which the law date of the conduct fixes: facts.py _params);
    - the exact value of every case fact read by an atom that also reads a derived fact;
    - for the deadline rules, the exact value of every case fact they read and of their start
      and met-by dates: the dates are read as they are, and a deadline rule the run leaves
      undecided is decided alone on its own facts' values (cases.py _Splitter.local);
    - the case's answers outside the refund requests (facts_key keeps them for the same
      reason: a deadline rule decided alone names their fields).
    Two cases with equal keys have equal conclusions (tests/test_interview_relevance.py
    compares them with the assessment on every answer the pass tries of a long case), however
    their amounts, sums and dates differ where no condition tells them apart: the answers of a
    request that change a sum but not which side of every threshold it lies are assessed once."""

    def __init__(self, pack):
        self.pack = pack
        atoms: dict = {}
        exact: dict = {}
        for rule in pack.rules:
            for atom in rule.atoms:
                names = [n for n in (atom.fact, atom.ref) if n in pack.facts]
                if all(pack.facts[n].origin == "case" for n in names):
                    atoms.setdefault((atom, rule.on), compile_cond(atom, pack, rule.on))
                else:
                    exact.update((n, None) for n in names if pack.facts[n].origin == "case")
            if rule.deadline:
                dl = rule.deadline
                exact.update((n, None) for n in (*rule.reads, dl.start, dl.met_by)
                             if n in pack.facts and pack.facts[n].origin == "case")
        self.atoms = tuple(atoms.values())
        self.exact = tuple(exact)

    def __call__(self, case, cf) -> str:
        """The key of a parsed case whose case facts are `cf` (facts.case_facts)."""
        facts, params = cf.facts, cf.params
        return repr((cf.law_date_conduct, cf.decision_date,
                     [atom(facts, params) for atom in self.atoms],
                     [facts[n] for n in self.exact], answers_outside_requests(case)))
