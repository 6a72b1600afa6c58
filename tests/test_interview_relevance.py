"""The relevance pass shares its three-valued assessments (issue 12, item 17).

The answers of one refund request tried by the pass are assessed three-valued (evaluate_case
with completions=1), which reads a case only through its case facts (assess/facts.py
case_facts): answers that give the same facts are assessed once (session._facts_key).  An
answer to "already dealt with?" is set on the context's parsed case instead of the whole case
being parsed again (Session._evaluate_answer).  What is
asked must not change: the passes below were recorded on main at 05aa5d5, before the sharing,
on a case where the reasoning by cases stops early (the refund payment unknown in every
request), so that every answer of every open question is tried.  Timing goals are in
benchmarks/bench_scale.py, not here."""
import copy
import json
from pathlib import Path

import pytest

from test_interview_long import _case, _pass
from test_scale import AS_OF

PENALTIES = [{"date": "2026-11-01", "kind": "administrative"},
             {"date": "2025-06-10", "kind": "criminal"}]

# (answer recorded before the pass, the pass), recorded at 05aa5d5
RECORDED = [
    (None, [("incident.handled[39]", ["未经处理", "已受行政处罚"]),
            ("incident.more[39]", ["否", "是"]), ("intent_to_possess", None),
            ("admin_serious", ["是", "否"]), ("prior_penalty.more[1]", ["否", "是"])]),
    (("incident.handled[39]", "no"),
     [("incident.more[39]", ["否", "是"]), ("intent_to_possess", None),
      ("admin_serious", ["是", "否"]), ("prior_penalty.more[1]", ["否", "是"])]),
    (("intent_to_possess", "yes"),
     [("incident.more[39]", ["否", "是"]), ("admin_serious", ["是", "否"]),
      ("prior_penalty.more[1]", ["否", "是"])]),
]


@pytest.fixture
def session(tmp_path):
    from assess.interview import Session

    # 40 requests, the refund payment unknown in each, "dealt with?" open for each, an earlier
    # administrative penalty after every request and a criminal one after the tenth
    s = Session(_case(tmp_path, ("refund_paid", "refund_status"), PENALTIES, n=40), as_of=AS_OF)
    s.start(resume=True)
    yield s
    s.unlock()


def test_the_passes_ask_what_they_asked_before(session):
    for answer, expected in RECORDED:
        if answer is not None:
            session.record(session.slot(answer[0]), answer[1])
        assert _pass(session) == expected, answer


def test_answers_with_the_same_case_facts_are_assessed_once(session, monkeypatch):
    import assess.assessment as assessment
    from assess.facts import case_facts

    made: list[str] = []
    evaluate_case = assessment.evaluate_case

    def counted(case, **kw):
        if kw.get("completions") == 1:
            cf = case_facts(case, session.lib, session.pack, AS_OF)
            made.append(json.dumps([cf.facts, sorted(cf.params.items()),
                                    str(cf.law_date_conduct)], sort_keys=True, default=str))
        return evaluate_case(case, **kw)

    monkeypatch.setattr(assessment, "evaluate_case", counted)
    assert _pass(session) == RECORDED[0][1]
    # every request's answers are tried (the reasoning by cases stopped early), and they give
    # fewer case facts than answers ("punished administratively" and "dealt with, kind
    # unknown" count a request out alike): each set of facts is assessed once
    assert len(made) > 40
    assert len(made) == len(set(made))


def test_the_facts_key_tells_apart_what_the_conclusions_read(session):
    """Cases with equal keys have equal three-valued conclusions, and the key changes with an
    answer that changes the facts (the last request not dealt with moves the conduct date)."""
    import copy

    from assess.assessment import evaluate_case
    from assess.case import parse_case
    from assess.interview.session import _facts_key, conclusions

    keys = {}
    for value in ("no", "administrative", "yes"):
        data = copy.deepcopy(session.data)
        data["incidents"][39]["handled"] = value
        case = parse_case(data, as_of=AS_OF)
        key = _facts_key(case, session.lib, session.pack, AS_OF)
        result = evaluate_case(case, as_of=AS_OF, engine="plain", explain=False,
                               completions=1, brief=True)
        keys.setdefault(key, set()).add(conclusions(result))
    assert all(len(found) == 1 for found in keys.values())
    assert len(keys) == 2           # "administrative" and "yes" give the same facts here


def test_dealt_with_answers_are_set_not_parsed(session, monkeypatch):
    """The case file answers no "dealt with?" and its typical answer is "no": a case parsed
    with a request punished (or dealt with, kind unknown) is an answer tried, which is set on
    the parsed context instead."""
    import assess.case as case_module

    parsed: list[dict] = []
    parse_case = case_module.parse_case

    def counted(data, **kw):
        parsed.append(data)
        return parse_case(data, **kw)

    monkeypatch.setattr(case_module, "parse_case", counted)
    assert _pass(session) == RECORDED[0][1]
    assert parsed
    assert not [d for d in parsed for inc in d.get("incidents") or []
                if inc.get("handled") in ("administrative", "criminal", "yes")]


@pytest.mark.parametrize("assumed", [False, True])
def test_an_answer_set_on_the_context_is_the_case_parsed(session, assumed):
    """For every request and every "dealt with?" answer the case file takes, the case set on
    the parsed context gives what parsing the answered case gives: the same Incidents and the
    same case facts (so the same three-valued conclusions)."""
    from assess.case import entry_refused, parse_case
    from assess.cases import _set
    from assess.interview.session import _facts_key

    base = session.context_base()
    tried = 0
    for slot in session.open_slots():
        q = session.question(slot) if slot.kind == "field" else None
        if q is None or q.field != "handled":
            continue
        for ctx, is_assumed in session.contexts(slot, base):
            if is_assumed != assumed:
                continue
            context = parse_case(ctx, as_of=AS_OF)
            for value in ("no", "administrative", "criminal", "yes"):
                data = copy.deepcopy(ctx)
                data["incidents"][slot.index]["handled"] = value
                if entry_refused(data, slot.index, as_of=AS_OF):
                    continue
                set_ = _set(context, ("incidents", slot.index, "handled"), value)
                whole = parse_case(data, as_of=AS_OF)
                assert set_.incidents == whole.incidents, (slot.key, value)
                assert _facts_key(set_, session.lib, session.pack, AS_OF) == \
                    _facts_key(whole, session.lib, session.pack, AS_OF), (slot.key, value)
                tried += 1
    assert tried >= 40 * 2          # "no" and "administrative" at least, for every request
