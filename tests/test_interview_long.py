"""The questionnaire on a case at the limit of refund requests (issue 12, item 17).

The relevance pass skips the answers of one refund request that the case file is bound to refuse
(assess/case.py entry_refused) and parses each request it does not change once (parse_case's
`entries` memo).  Neither may change what is asked: the question sequences below were recorded
before those changes (main at 90573af) on the worst cases of benchmarks/bench_scale.py (a fact
answered `unknown` in every request, "already dealt with?" open for every request) and on a
case with an earlier penalty (then "dealt with" is taken for the requests up to its day and
refused after it).  Timing goals are in benchmarks/bench_scale.py, not here."""
import copy
import itertools
from pathlib import Path

import pytest
import yaml

from assess.case import MAX_INCIDENTS, entry_refused, parse_case
from assess.errors import AssessErrors
from test_scale import AS_OF, EXAMPLE, long_case


def _case(folder: Path, unknown: tuple, penalties=(), n: int = MAX_INCIDENTS) -> Path:
    """tests/test_scale.py long_case (intent, restitution, confession and "dealt with?" open)
    with `unknown` answered `unknown` in every request and the earlier penalties listed
    (None: not answered)."""
    path = long_case(folder, n, facts_open=True, handled_open=True)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for inc in data["incidents"]:
        inc.update({f: "unknown" for f in unknown})
    if penalties is None:
        data["buyer"].pop("prior_penalties", None)
    else:
        data["buyer"]["prior_penalties"] = list(penalties)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _pass(s) -> list:
    """One relevance pass: the questions still to ask, and for each the answers that lead to
    different conclusions (None: the reasoning by cases says it matters)."""
    slots = s.relevant()
    return [(x.key, s.outcomes[x.key]) for x in slots]


@pytest.mark.parametrize("unknown", [("photo_method",), ("photo_method", "goods_defective")])
def test_the_worst_cases_ask_what_they_asked_before(tmp_path, unknown):
    from assess.interview import Session

    s = Session(_case(tmp_path, unknown), as_of=AS_OF)
    s.start(resume=True)
    try:
        # none of the 200 "dealt with?" questions: "no" changes nothing (no earlier penalty),
        # the other answers are refused (no earlier penalty can be for the request)
        assert _pass(s) == [("intent_to_possess", None), ("admin_serious", ["是", "否"])]
        s.record(s.slot("intent_to_possess"), "yes")
        assert _pass(s) == [("admin_serious", ["是", "否"])]
    finally:
        s.unlock()


@pytest.mark.parametrize("day, last_asked", [("2025-07-30", True), ("2025-07-29", False)])
def test_dealt_with_is_asked_where_a_penalty_can_be_for_it(tmp_path, day, last_asked):
    from assess.interview import Session

    # 60 requests, 2025-06-01 to 2025-07-30, one earlier administrative penalty: the last
    # request's "dealt with?" matters (tried: not dealt with / punished administratively) when
    # the penalty can be for it, and is not asked when every such answer is refused
    path = _case(tmp_path, (), [{"date": day, "kind": "administrative"}], n=60)
    s = Session(path, as_of=AS_OF)
    s.start(resume=True)
    try:
        last = [("incident.handled[59]", ["未经处理", "已受行政处罚"])] if last_asked else []
        assert _pass(s) == last + [("incident.more[59]", ["否", "是"]),
                                   ("intent_to_possess", None),
                                   ("admin_serious", ["是", "否"])]
    finally:
        s.unlock()


def _incidents(n: int = 3) -> dict:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["incidents"] = [{"date": f"2025-06-0{k + 1}", "amount": 100, "photo_method":
                          "ai_generated", "goods_defective": "no"} for k in range(n)]
    return data


@pytest.mark.parametrize("penalties, handled, refused", [
    ([], "administrative", [True, True, True]),
    ([], "yes", [True, True, True]),
    ([], "no", [False, False, False]),
    ([], "unknown", [False, False, False]),
    (None, "administrative", [False, False, False]),          # not answered: may be missing
    ([{"date": "2025-06-02", "kind": "administrative"}], "administrative", [False, False, True]),
    ([{"date": "2025-06-02", "kind": "administrative"}], "criminal", [True, True, True]),
    ([{"date": "2025-06-02", "kind": "administrative"}], "yes", [False, False, True]),
    ([{"kind": "unknown"}], "criminal", [False, False, False]),  # undated, of unknown kind
])
def test_entry_refused_is_what_parse_case_refuses(penalties, handled, refused):
    data = _incidents()
    if penalties is None:
        data["buyer"].pop("prior_penalties", None)
    else:
        data["buyer"]["prior_penalties"] = penalties
    got = []
    for i in range(3):
        d = copy.deepcopy(data)
        d["incidents"][i]["handled"] = handled
        got.append(entry_refused(d, i, as_of=AS_OF))
        try:
            parse_case(d, as_of=AS_OF)
            taken = True
        except AssessErrors as exc:
            taken = False
            assert [e.field for e in exc.errors] == [f"incidents[{i}].handled"]
        assert taken != got[-1], (i, handled)
    assert got == refused


def test_entry_refused_for_an_entry_that_does_not_parse():
    data = _incidents()
    data["incidents"][1]["amount"] = "a lot"
    assert entry_refused(data, 1, as_of=AS_OF)
    assert not entry_refused(data, 0, as_of=AS_OF)      # decided by that entry alone
    data["incidents"][2] = "2025-06-03"
    assert entry_refused(data, 2, as_of=AS_OF)
    with pytest.raises(AssessErrors):
        parse_case(data, as_of=AS_OF)


def test_the_entries_memo_parses_the_same_case(tmp_path):
    data = yaml.safe_load(_case(tmp_path, ("photo_method",)).read_text(encoding="utf-8"))
    memo: dict = {}
    plain = parse_case(data, as_of=AS_OF)
    assert parse_case(data, as_of=AS_OF, entries=memo) == plain
    assert sum(name == "incidents" for name, _ in memo) == MAX_INCIDENTS
    assert parse_case(data, as_of=AS_OF, entries=memo) == plain         # every entry remembered
    # an entry changed (a new object, as the questionnaire makes it) is parsed anew
    changed = dict(data, incidents=list(data["incidents"]))
    changed["incidents"][5] = dict(changed["incidents"][5], photo_method="genuine",
                                   amount="三百元")
    case = parse_case(changed, as_of=AS_OF, entries=memo)
    assert case == parse_case(changed, as_of=AS_OF)
    assert case.incidents[5].photo_method == "genuine" and case.incidents[5].amount == 300
    assert plain.incidents[5].photo_method == "unknown"
    # another as-of date is not taken from the memo (dates are checked against it)
    early = dict(data, incidents=data["incidents"][:10])
    with pytest.raises(AssessErrors) as exc:
        parse_case(early, as_of=AS_OF.replace(year=2025, month=6, day=5), entries=memo)
    assert "incidents[9].date" in [e.field for e in exc.value.errors]


# --------------------------------------------------------------------------- the shortcuts
# of the relevance pass at 200 requests (each must give what the plain derivation gives)

def test_the_entries_memo_shares_the_incidents_of_unchanged_requests(tmp_path):
    data = yaml.safe_load(_case(tmp_path, ("photo_method",),
                                [{"date": "2025-07-01", "kind": "administrative"}])
                          .read_text(encoding="utf-8"))
    memo: dict = {}
    base = parse_case(data, as_of=AS_OF, entries=memo)
    changed = dict(data, incidents=list(data["incidents"]))
    changed["incidents"][5] = dict(changed["incidents"][5], handled="no")
    case = parse_case(changed, as_of=AS_OF, entries=memo)
    assert case == parse_case(changed, as_of=AS_OF)
    # one Incident per unchanged request (what the facts' memos and the cache keys find by
    # object), a new one for the request changed
    assert all(a is b for k, (a, b) in enumerate(zip(base.incidents, case.incidents)) if k != 5)
    assert case.incidents[5] is not base.incidents[5] and case.incidents[5].handled == "no"
    # the same dates of another kind: the same Incidents (they read only the dates)
    other = dict(data, buyer=dict(data["buyer"], prior_penalties=[
        {"date": "2025-07-01", "kind": "criminal"}]))
    case = parse_case(other, as_of=AS_OF, entries=memo)
    assert case == parse_case(other, as_of=AS_OF)
    assert all(a is b for a, b in zip(base.incidents, case.incidents))
    # the earlier penalties' dates settle an unanswered "dealt with" (case._handled): other
    # dates, other Incidents (request 30 is of 2025-07-01: a penalty of that day can be for it)
    assert base.incidents[30].handled == "unknown"
    earlier = dict(data, buyer=dict(data["buyer"], prior_penalties=[
        {"date": "2025-06-01", "kind": "administrative"}]))
    case = parse_case(earlier, as_of=AS_OF, entries=memo)
    assert case == parse_case(earlier, as_of=AS_OF)
    assert case.incidents[30].handled == "no"


def test_the_cache_key_of_a_data_set_tells_what_json_tells():
    from assess.interview.keys import data_key

    memo: dict = {}
    first = {"amount": 100, "handled": "no"}
    data = {"buyer": {"age": 30}, "incidents": [first, {"amount": 200}]}
    same = copy.deepcopy(data)                              # equal, other objects
    variants = [data, same, dict(data, incidents=[first, {"amount": 201}]),
                dict(data, incidents=[first]), dict(data, incidents=[]),
                {"buyer": {"age": 30}}, dict(data, buyer={"age": 31}),
                dict(data, incidents=[dict(first, handled="administrative"), {"amount": 200}]),
                dict(data, incidents=[{"amount": 100}, {"amount": 200, "handled": "no"}]),
                dict(data, incidents=[first, {"amount": "200\n"}])]
    for a in variants:
        for b in variants:
            plain = data_key(a) == data_key(b)            # the JSON text of the whole
            assert (data_key(a, memo) == data_key(b, memo)) == plain, (a, b)
    assert data_key(data, memo) == data_key(same, memo)
    assert data_key({"incidents": []}, memo) != data_key({}, memo)


def test_the_memberships_of_a_request_are_those_of_its_answers():
    from assess.facts import _and, _Incident
    from assess.model import NO, UNKNOWN, YES

    tri = (YES, NO, UNKNOWN)
    negate = {YES: NO, NO: YES, UNKNOWN: UNKNOWN}
    for fraud, open_, paid, criminal, admin in itertools.product(tri, repeat=5):
        i = _Incident(fraud=fraud, open=open_, paid=paid, amount=100.0, day=None,
                      age=(20.0, 20.0), crim_age=(20.0, 20.0), criminal_age=criminal,
                      admin_age=admin, handled="no")
        judged = _and(fraud, open_)
        assert (i.judged, i.fraud_paid, i.done, i.crime, i.young, i.punishable) == (
            judged, _and(fraud, paid), _and(fraud, negate[open_]), _and(judged, criminal),
            _and(judged, negate[criminal]), _and(judged, admin))


@pytest.mark.parametrize("methods", [(), ("genuine",), ("genuine", "unknown"), ("edited",),
                                     ("edited", "genuine"), ("unknown",), ("staged", "unknown"),
                                     ("ai_generated", "edited", "genuine"), ("genuine", "genuine")])
def test_the_photo_method_facts_read_every_request(methods):
    from assess.facts import FAKED, GENUINE, incident_facts
    from assess.model import NO, UNKNOWN, YES

    class Request:
        def __init__(self, method, defective):
            self.photo_method, self.goods_defective = method, defective

    for defects in itertools.product(("yes", "no", "unknown"), repeat=len(methods)):
        case = type("Case", (), {"incidents": [Request(m, d) for m, d in zip(methods, defects)],
                                 "buyer": None, "restitution": "unknown",
                                 "buyer_age_on": lambda self, on: None})()
        got = incident_facts(case, [], 2.0, AS_OF)
        known = bool(methods) and all(m in FAKED + (GENUINE,) for m in methods)
        assert got["photo_method"] == {m: YES if m in methods else NO if known else UNKNOWN
                                       for m in FAKED + (GENUINE,)}
        assert got["photos_fabricated"] == (
            YES if set(methods) & set(FAKED) else
            NO if methods and all(m == GENUINE for m in methods) else UNKNOWN)
        assert got["goods_defective"] == (NO if "no" in defects else YES if defects and all(
            d == "yes" for d in defects) else UNKNOWN)


def test_the_case_file_text_is_made_once_for_unchanged_answers(tmp_path, monkeypatch):
    import assess.case
    from assess.interview import Session

    path = _case(tmp_path, (), n=20)
    made = []
    real = assess.case.case_text
    monkeypatch.setattr(assess.case, "case_text", lambda data: made.append(1) or real(data))
    s = Session(path, as_of=AS_OF)
    s.start(resume=True)            # compared with the file as written by hand, then saved
    try:
        s.save()
        assert len(made) == 1
        assert s.kept is not None and path.read_text(encoding="utf-8") == real(s.data)
        s.record(s.slot("intent_to_possess"), "yes")            # changed: made again
        assert len(made) == 2
        assert path.read_text(encoding="utf-8") == real(s.data)
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["intent_to_possess"] in ("yes",
                                                                                       True)
    finally:
        s.unlock()
