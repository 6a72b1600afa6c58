"""The relevance pass shares its three-valued assessments (issue 12, item 17).

The answers of one refund request tried by the pass are assessed three-valued (evaluate_case
with completions=1), whose conclusions follow from the values of the rules' conditions on the
case facts (assess/facts.py case_facts): answers that give the same values are assessed once
(assess/interview/keys.py ConclusionsKey).  An
answer to "already dealt with?" is set on the context's parsed case instead of the whole case
being parsed again (Session._evaluate_answer).  What is
asked must not change: the passes below were recorded on main at 05aa5d5, before the sharing,
on a case where the reasoning by cases stops early (the refund payment unknown in every
request), so that every answer of every open question is tried.  Timing goals are in
benchmarks/bench_scale.py, not here."""
import copy
import json
from datetime import date, timedelta
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


def test_answers_with_the_same_conclusions_key_are_assessed_once(session, monkeypatch):
    import assess.assessment as assessment
    from assess.facts import case_facts
    from assess.interview.keys import ConclusionsKey

    key = ConclusionsKey(session.pack)
    made: list[str] = []
    evaluate_case = assessment.evaluate_case

    inside = []                 # the answers' assessments (not those of the contexts)

    def counted(case, **kw):
        if inside:
            made.append(key(case, case_facts(case, session.lib, session.pack, AS_OF)))
        return evaluate_case(case, **kw)

    tried = []
    answer = session._evaluate_answer

    def counted_answer(slot, ctx, data):
        tried.append(slot.key)
        inside.append(1)
        try:
            return answer(slot, ctx, data)
        finally:
            inside.pop()

    monkeypatch.setattr(assessment, "evaluate_case", counted)
    monkeypatch.setattr(session, "_evaluate_answer", counted_answer)
    assert _pass(session) == RECORDED[0][1]
    # every request's answers are tried (the reasoning by cases stopped early: two or more
    # answers of each of the 40 requests), and most give the same values of the conditions as
    # another: each key is assessed once
    assert len(set(tried)) >= 40 and len(tried) >= 80
    assert made and len(made) == len(set(made))
    assert len(made) < len(tried) / 4


def test_equal_conclusions_keys_give_equal_conclusions(session):
    """On every answer the pass tries of every request, in both contexts (the answers so far,
    and with the typical answers), and on the answers of the same case with the photo method
    unknown instead: the cases sharing a ConclusionsKey have the same three-valued conclusions,
    and cases with different conclusions have different keys."""
    from assess.assessment import evaluate_case
    from assess.case import entry_refused, parse_case
    from assess.facts import case_facts
    from assess.interview.keys import ConclusionsKey
    from assess.interview.session import conclusions

    key = ConclusionsKey(session.pack)
    groups: dict = {}
    base = session.context_base()
    for slot in session.open_slots():
        q = session.question(slot) if slot.kind == "field" else None
        if q is None or q.group is None:
            continue
        for ctx, _ in session.contexts(slot, base):
            for value in session.try_values(q, slot, {}):
                data = copy.deepcopy(ctx)
                data["incidents"][slot.index][q.field] = value
                if entry_refused(data, slot.index, as_of=AS_OF):
                    continue
                case = parse_case(data, as_of=AS_OF)
                result = evaluate_case(case, as_of=AS_OF, engine="plain", explain=False,
                                       completions=1, brief=True)
                k = key(case, case_facts(case, session.lib, session.pack, AS_OF))
                groups.setdefault(k, set()).add(conclusions(result))
    assert all(len(found) == 1 for found in groups.values())
    assert len(groups) > 1                  # the answers do change conclusions


def test_the_facts_key_tells_apart_what_the_conclusions_read(session):
    """Cases with equal keys have equal three-valued conclusions, and the key changes with an
    answer that changes the facts (the last request not dealt with moves the conduct date)."""
    import copy

    from assess.assessment import evaluate_case
    from assess.case import parse_case
    from assess.interview.keys import facts_key
    from assess.interview.session import conclusions

    keys = {}
    for value in ("no", "administrative", "yes"):
        data = copy.deepcopy(session.data)
        data["incidents"][39]["handled"] = value
        case = parse_case(data, as_of=AS_OF)
        key = facts_key(case, session.lib, session.pack, AS_OF)
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
    from assess.interview.keys import facts_key

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
                assert facts_key(set_, session.lib, session.pack, AS_OF) == \
                    facts_key(whole, session.lib, session.pack, AS_OF), (slot.key, value)
                tried += 1
    assert tried >= 40 * 2          # "no" and "administrative" at least, for every request


def test_equal_conclusions_keys_give_equal_conclusions_on_random_cases():
    """Random cases (tests/casegen.py: amounts at the thresholds, places, ages, unknown answers)
    and, for each, the answers the relevance pass tries of a refund request (each "dealt
    with?" answer of each request, each photo method of the first) and the last request a few
    days later: wherever two of all these cases share a ConclusionsKey, their three-valued
    conclusions are the same.  Cases of one
    key differ in their amounts, dates and places, so a key that left out what a conclusion
    reads (a deadline's start date, a comparison with a threshold) fails here."""
    import random

    from casegen import random_as_of, random_case

    from assess.assessment import evaluate_case, load
    from assess.case import parse_case
    from assess.errors import AssessError
    from assess.facts import case_facts
    from assess.interview.keys import ConclusionsKey
    from assess.interview.session import conclusions

    lib, pack = load(None)
    key = ConclusionsKey(pack)
    rng = random.Random(20261204)
    groups: dict = {}
    assessed = 0
    for _ in range(300):
        data = random_case(rng, unknown_rate=rng.choice([0.1, 0.3, 0.5]))
        as_of = random_as_of(rng, data)
        if rng.random() < 0.5:
            data["police_report_date"] = (as_of - timedelta(days=rng.randrange(0, 40))).isoformat()
        variants = [data]
        for k in range(len(data["incidents"])):
            for value in ("no", "administrative", "criminal", "yes", "unknown"):
                v = copy.deepcopy(data)
                v["incidents"][k]["handled"] = value
                variants.append(v)
        for method in ("ai_generated", "genuine", "unknown"):
            v = copy.deepcopy(data)
            v["incidents"][0]["photo_method"] = method
            variants.append(v)
        for days in (1, 2, 3):          # the last request a few days later: the same sides of
            v = copy.deepcopy(data)     # every threshold, but other deadlines
            last = v["incidents"][-1]
            last["date"] = (date.fromisoformat(last["date"]) + timedelta(days=days)).isoformat()
            variants.append(v)
        for v in variants:
            try:
                case = parse_case(v, as_of=as_of)
                result = evaluate_case(case, as_of=as_of, engine="plain", explain=False,
                                       completions=1, brief=True)
            except AssessError:
                continue
            k = key(case, case_facts(case, lib, pack, as_of))
            groups.setdefault(k, set()).add(conclusions(result))
            assessed += 1
    assert all(len(found) == 1 for found in groups.values())
    assert assessed > 2000
    assert len(groups) < assessed * 2 / 3   # cases do share keys
