"""Coverage of the rule pack by its tests: per rule, per provision, per condition.

`coverage(results, base=None)` takes what `ruletest.run_tests` returned and says:
- which rules fired (definitely or conditionally) in at least one test, and how often;
- which provisions were reached (cited by a rule that fired): each article (criminal-law/266),
  and each paragraph (款) or item (项) a rule cites on its own (criminal-law/17#4, see
  assess/citations.py), so a trainer sees which part of an article the tests exercise;
- which conditions (atoms) were never seen both true and false: each atom of each rule is
  evaluated on the facts of each test (the case facts plus the derived facts of a run with the
  reference engine), so "tested both ways" means some test made it yes and some test made it no.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .citations import parse_cite, pid_of
from .model import NO, UNKNOWN, YES, Atom, RulePack, leaves


@dataclass
class AtomCoverage:
    rule: str
    text: str                          # e.g. "fraud_amount at_least threshold_large"
    loc: object
    seen: set = field(default_factory=set)

    @property
    def both(self) -> bool:
        return YES in self.seen and NO in self.seen


@dataclass
class Coverage:
    tests: int
    rules: dict[str, dict]             # rule id -> {"definite": n, "conditional": n, "loc": Loc}
    provisions: dict[str, dict]        # provision id -> {"rules": [...], "reached_by": [...]}
    atoms: list[AtomCoverage]
    uncited: list[str] = field(default_factory=list)  # provisions in statutes/ no rule cites

    @property
    def never_fired(self) -> list[str]:
        return [r for r, c in self.rules.items() if not c["definite"] and not c["conditional"]]

    @property
    def unreached_provisions(self) -> list[str]:
        return [p for p, c in self.provisions.items() if not c["reached_by"]]

    @property
    def one_sided(self) -> list[AtomCoverage]:
        return [a for a in self.atoms if not a.both]

    @staticmethod
    def _pct(part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 100.0

    @property
    def rule_percent(self) -> float:
        return self._pct(len(self.rules) - len(self.never_fired), len(self.rules))

    @property
    def provision_percent(self) -> float:
        return self._pct(len(self.provisions) - len(self.unreached_provisions),
                         len(self.provisions))

    @property
    def atom_percent(self) -> float:
        return self._pct(len(self.atoms) - len(self.one_sided), len(self.atoms))

    def to_dict(self) -> dict:
        return {
            "tests": self.tests,
            "rules": {"percent": round(self.rule_percent, 1),
                      "per_rule": {r: {"definite": c["definite"],
                                       "conditional": c["conditional"]}
                                   for r, c in self.rules.items()},
                      "never_fired": self.never_fired},
            "provisions": {"percent": round(self.provision_percent, 1), "level": "article",
                           "per_provision": {p: {"rules": c["rules"],
                                                 "reached_by": c["reached_by"]}
                                             for p, c in self.provisions.items()},
                           "unreached": self.unreached_provisions,
                           "not_cited_by_any_rule": self.uncited},
            "conditions": {"percent": round(self.atom_percent, 1),
                           "not_both_ways": [{"rule": a.rule, "condition": a.text,
                                              "location": str(a.loc),
                                              "seen": sorted(a.seen)} for a in self.one_sided]},
        }

    def report(self, lang: str = "en") -> str:
        out = [f"coverage over {self.tests} tests",
               f"  rules fired:        {self.rule_percent:5.1f}%  "
               f"({len(self.rules) - len(self.never_fired)}/{len(self.rules)})",
               f"  provisions reached: {self.provision_percent:5.1f}%  "
               f"({len(self.provisions) - len(self.unreached_provisions)}/{len(self.provisions)}"
               f"; articles 条 and the paragraphs 款 / items 项 rules cite, as law/art#款.项)",
               f"  conditions both ways: {self.atom_percent:5.1f}%  "
               f"({len(self.atoms) - len(self.one_sided)}/{len(self.atoms)})", "",
               "per rule (definite / conditional firings):"]
        for rid, c in self.rules.items():
            mark = "  " if c["definite"] or c["conditional"] else "✗ "
            out.append(f"  {mark}{rid:<40} {c['definite']:>3} / {c['conditional']:<3} "
                       f"{c['loc'].file}:{c['loc'].line}" if c["loc"] else "")
        out.append("")
        out.append("per provision (rules citing it; ✗ = no citing rule fired in any test):")
        for pid, c in sorted(self.provisions.items()):
            mark = "  " if c["reached_by"] else "✗ "
            out.append(f"  {mark}{pid:<32} rules: {', '.join(c['rules'])}")
        if self.never_fired:
            out += ["", "never fired:"] + [f"  {r}" for r in self.never_fired]
        if self.one_sided:
            out += ["", "conditions never seen both true and false:"]
            for a in self.one_sided:
                seen = "/".join(sorted(a.seen)) or "never evaluated"
                out.append(f"  {a.loc}: {a.rule}: {a.text}  (only {seen})")
        if self.uncited:
            out += ["", "provisions in statutes/ that no rule cites: " + ", ".join(self.uncited)]
        return "\n".join(out)


def atom_text(atom: Atom) -> str:
    if atom.op == UNKNOWN:
        return f"{atom.fact} is unknown"
    if atom.op == "in":
        return f"{atom.fact} in {list(atom.values)}" if len(atom.values) > 1 else \
            f"{atom.fact} = {atom.values[0]}"
    return f"{atom.fact} {atom.word} {atom.ref}"


def outcome_facts(test_result, lib, pack):
    """(facts, params) of a run of the reference engine on the test's case, or None."""
    from .assessment import engine_for
    from .evaluator import run
    from .facts import case_facts

    if test_result.case is None or test_result.as_of is None:
        return None
    cf = case_facts(test_result.case, lib, pack, test_result.as_of)
    outcome = run(pack, engine_for(pack, "plain"), cf.facts, cf.params)
    return outcome.facts, cf.params


def _keys(cites) -> list[str]:
    """The article of each citation, and the cited paragraph (款) or item (项) when there is one:
    criminal-law/17#4 counts for criminal-law/17 and for criminal-law/17#4."""
    out: list[str] = []
    for cite in cites:
        c = parse_cite(cite)
        for key in (pid_of(cite), c.part if c else None):
            if key and key not in out:
                out.append(key)
    return out


def coverage(results, *, base=None, lib=None, pack: RulePack | None = None) -> Coverage:
    """Coverage of the pack (default: the one at `base`) by the test results."""
    from .errors import AssessError
    from .evaluator import eval_atom

    if lib is None or pack is None:
        from .assessment import load
        lib, pack = load(base)
    rules = {r.id: {"definite": 0, "conditional": 0, "loc": r.loc} for r in pack.rules}
    provisions: dict[str, dict] = {}
    for r in pack.rules:
        for key in _keys(r.cites):
            entry = provisions.setdefault(key, {"rules": [], "reached_by": []})
            if r.id not in entry["rules"]:
                entry["rules"].append(r.id)
    atoms = [(r, AtomCoverage(r.id, atom_text(a), a.loc), a) for r in pack.rules
             for a in leaves(r.when)]
    for res in results:
        if res.result is not None:
            for t in res.result["trace"]:
                if t["rule"] in rules:
                    rules[t["rule"]][t["status"]] += 1
                    rule = pack.rule(t["rule"])
                    for key in _keys(rule.cites):
                        reached = provisions[key]["reached_by"]
                        if t["rule"] not in reached:
                            reached.append(t["rule"])
        try:
            got = outcome_facts(res, lib, pack)
        except AssessError:
            got = None
        if got is None:
            continue
        facts, params = got
        for rule, cov, atom in atoms:
            cov.seen.add(eval_atom(atom, pack, facts, params, rule.on))
    uncited = sorted(set(getattr(lib, "provisions", {}) or {}) - set(provisions))
    return Coverage(len(results), rules, provisions, [a for _, a, _ in atoms], uncited)
