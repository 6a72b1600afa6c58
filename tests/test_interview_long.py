"""The questionnaire on a case at the limit of refund requests (issue 12, item 17).

The relevance pass skips the answers of one refund request that the case file is bound to refuse
(assess/case.py entry_refused) and parses each request it does not change once (parse_case's
`entries` memo).  Neither may change what is asked: the question sequences below were recorded
before those changes (main at 90573af) on the worst cases of benchmarks/bench_scale.py (a fact
answered `unknown` in every request, "already dealt with?" open for every request) and on a
case with an earlier penalty (then "dealt with" is taken for the requests up to its day and
refused after it).  Timing goals are in benchmarks/bench_scale.py, not here."""
import copy
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
    return [(x.key, None if s.outcomes[x.key] is None else [label for label, _ in
                                                             s.outcomes[x.key]])
            for x in slots]


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
