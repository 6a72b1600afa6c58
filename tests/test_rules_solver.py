"""The static analyses of `assess rules check` on small packs: never fires, conflicts, wording."""
import textwrap

from assess.model import load_rulepack
from assess.rulecheck import Solver, check_conflicts, check_never_fires, check_wording

FACTS = """facts:
  - {id: amount, type: amount, origin: case, label: {zh: 数额, en: amount}}
  - {id: age, type: number, origin: case, label: {zh: 年龄, en: age}}
  - {id: intent, type: yesno, origin: case, label: {zh: 目的, en: intent}}
  - {id: paid, type: yesno, origin: case, label: {zh: 已付, en: paid}}
  - {id: method, type: choice, values: [ai, genuine], origin: case, label: {zh: 方式, en: method}}
  - {id: done, type: yesno, origin: rules, label: {zh: 既遂, en: done}}
  - {id: tried, type: yesno, origin: rules, label: {zh: 未遂, en: tried}}
  - {id: band, type: choice, values: [none, low, high], default: none, origin: rules, label: {zh: 档, en: band}}
"""
HEAD = """rules:
  - id: r.done
    title: {zh: 既遂, en: done}
    track: fraud
    when: [{intent: yes}, {paid: yes}]
    then: {done: yes}
    cites: [x/1]
    explain: {zh: 说明, en: text}
  - id: r.tried
    title: {zh: 未遂, en: tried}
    track: fraud
    when: [{intent: yes}, {paid: no}]
    then: {tried: yes}
    cites: [x/1]
    explain: {zh: 说明, en: text}
"""


def rule(rid, when, then="{band: low}", extra=""):
    return textwrap.indent(textwrap.dedent(f"""\
        - id: {rid}
          title: {{zh: 规则, en: rule}}
          track: criminal
          when: {when}
          then: {then}
          cites: [x/2]
          explain: {{zh: 说明, en: text}}
        """) + extra, "  ")


def pack(tmp_path, *rules):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(HEAD + "".join(rules), encoding="utf-8")
    return load_rulepack(tmp_path)


PARAMS = {"p.low": [3000.0], "p.high": [30000.0], "p.age": [16.0]}


def test_the_shipped_rules_all_can_fire_and_do_not_conflict():
    from assess.paths import rules_dir
    p = load_rulepack(rules_dir())
    solver = Solver(p, {"age.criminal_full": [16], "age.adult": [18], "age.admin_min": [14],
                        "age.admin_no_detention_upper": [16], "age.elderly_no_detention": [70],
                        "age.probation_elderly": [75], "psapl.repeat_window_months": [6, 12]},
                    [(3000, 30000, 500000), (6000, 100000, 500000)])
    assert check_never_fires(p, solver) == []
    assert check_conflicts(p, solver) == []


def test_a_value_and_its_negation_never_fire(tmp_path):
    p = pack(tmp_path, rule("r.bad", "[{intent: yes}, {not: {intent: yes}}]"))
    [f] = check_never_fires(p, Solver(p, PARAMS))
    assert f.severity == "error" and "r.bad" in f.message and "never fire" in f.message
    assert f.file.endswith("r.yaml") and f.line == 16


def test_contradiction_through_derived_facts_is_found(tmp_path):
    # done needs paid=yes, tried needs paid=no: both at once is impossible
    p = pack(tmp_path, rule("r.both", "[{done: yes}, {tried: yes}]"))
    [f] = check_never_fires(p, Solver(p, PARAMS))
    assert "r.both" in f.message
    assert "done = yes" in f.hint or "tried = yes" in f.hint


def test_an_impossible_numeric_range_never_fires(tmp_path):
    p = pack(tmp_path, rule("r.range", "[{amount: {at_least: p.high}}, {amount: {under: p.low}}]"),
             rule("r.ok", "[{amount: {at_least: p.low}}, {amount: {under: p.high}}]",
                  "{band: high}"))
    found = check_never_fires(p, Solver(p, PARAMS))
    assert [f.message.split("'")[1] for f in found] == ["r.range"]


def test_exclusive_ranges_do_not_conflict_but_overlapping_ones_do(tmp_path):
    ok = pack(tmp_path, rule("r.low", "[{amount: {at_least: p.low}}, {amount: {under: p.high}}]"),
              rule("r.high", "[{amount: {at_least: p.high}}]", "{band: high}"))
    assert check_conflicts(ok, Solver(ok, PARAMS)) == []
    bad = pack(tmp_path, rule("r.low", "[{amount: {at_least: p.low}}, {amount: {at_most: p.high}}]"),
               rule("r.high", "[{amount: {at_least: p.high}}]", "{band: high}"))
    [f] = check_conflicts(bad, Solver(bad, PARAMS))
    assert "r.low" in f.message and "r.high" in f.message and "amount=30000" in f.message
    assert f.line == 23                                     # the second rule


def test_wording_against_operator(tmp_path):
    p = pack(tmp_path,
             rule("r.over", "[{amount: {over: p.low}}]", extra="  wording: 三千元以上\n"),
             rule("r.fine", "[{amount: {at_least: p.low}}]", "{band: high}",
                  extra="  wording: 三千元以上\n"),
             rule("r.age", "[{age: {under: p.age}}]", "{band: high}",
                  extra="  wording: 已满十六周岁的人犯罪\n"),
             rule("r.exceed", "[{amount: {at_least: p.low}}]", "{band: high}",
                  extra="  wording: 超过三千元\n"))
    found = check_wording(p)
    assert [f.message.split("'")[1] for f in found] == ["r.over", "r.exceed"]
    over, exceed = found
    assert over.severity == "error" and "以上" in over.message and "at_least" in over.hint
    assert over.line == 19 and "第九十九条" in over.article
    assert "超过" in exceed.message and "over" in exceed.hint
