"""Reasoning by cases over what is unknown.

A conclusion is *definite* only when every completion of the unknown facts gives it, and
*possible* only when at least one does; an outcome no completion gives is never shown.

Three-valued (Kleene) evaluation is sound but cannot prove a disjunction: "criminal, or else
administrative" comes out as two unknowns.  So the case is split, one unknown at a time, only
where a rule is still undecided:

- a yes/no or choice field of the case file that is unknown (the buyer's intent, the photo method
  of one incident, ...) is tried with each of its values, and the case facts are computed again
  (assess/facts.py), so every fact that depends on the field follows it;
- a number known only as an interval (an unknown amount, the 数额巨大 standard of a province
  without a verified one, an unknown age) is cut at the value a rule compares it with;
- a case fact that is unknown for another reason (an earlier penalty of unknown kind, say) is
  tried with each of its values.

Splitting stops where every rule is decided.  The leaves of this tree cover every completion of
the unknowns exactly once, and each leaf's conclusions hold for all the completions it stands
for.  A conclusion is then definite when it holds in every leaf, possible when it holds in some,
and its condition is the (simplified) disjunction of the paths to those leaves.

Two honest limits, reported as warnings: where an amount and the standard it is compared with
are both unknown and overlap, the comparison cannot be cut further and stays undecided
("residual"); and a case with very many unknowns stops splitting after LEAF_BUDGET leaves.
Splitting for every output at once multiplies the unknowns each output depends on, so such an
analysis is then told what each output analysed alone proves (`analyse(settle=True)`, _settle):
a goal walk that decides only that output, tries the fields that change a fact at the node
before the fact itself or a cut, and splits an unknown age by the buyer's date of birth (an
amount made of the incidents a buyer of 16 or more committed is none or all of them, never a
figure in between); where the sum for the crime is still open, it is split into the sums the
incidents that may count can make (crime_sums), not cut between two standards: an incident on
a day for which statutes/ holds no age of criminal responsibility counts whole or not at all.
An analysis of a case with such an incident is settled like one of unknown age.
"""
from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

from .evaluator import eval_atom, eval_cond, known_key, param_key, run
from .facts import (PENALTY_FACTS, _and, _any, _incidents, _param, _window, case_facts,
                    may_change, penalty_facts_alone)
from .model import NUMERIC_TYPES, NO, UNKNOWN, YES, RulePack

# completions an analysis splits into at most (with the rules decided locally in each, about
# twice as many runs of the engine): what keeps the worst single assessment near 0.3 s
LEAF_BUDGET = 192
# terms simplify() works on; a longer condition could not come down to the few terms a text
# shows (TEXT_TERMS) and is only summarised by the facts it depends on
SIMPLIFY_LIMIT = 16
MINIMISE_LIMIT = 4096               # combinations of values a condition is minimised over
MAX_CUTS = 12                        # numeric cuts on one path (see _Splitter._cut)
TRI = (YES, NO)
# case facts a goal walk derives at one node to find a field that changes a fact there
# (_Splitter.field_here), and in all (as a share of its budget); a case of very many unknown
# answers (200 requests) then splits on the fact as before
FIELD_TRIES = 48
FIELD_TRIES_SHARE = 1
# settling: the sum for the crime (SUM_FACT) is split into the sums the incidents that may count
# can make (crime_sums) when at most SUM_UNSURE of them may or may not count
SUM_FACT = "fraud_amount"
# whether any incident is fraud, split on as a case fact, and the payment that follows it
# (assess/facts.py: that of the incidents that may be fraud, or of all when none is)
FRAUD_FACT, PAID_FACT = "has_fraud_incident", "refund_paid"
SUM_UNSURE = 10
# ... and split on before the answers that make them when they are at most this many
SUMS_FIRST = 16


# =========================================================================== what can be split

@dataclass(frozen=True)
class Var:
    """One unknown the analysis split on.

    kind "field": a case-file field (path like `intent_to_possess`, `buyer.near_relative`,
    `incidents[1].photo_method`); kind "fact": a case fact set directly; kind "cut": a number
    compared with `value` (`fact` `op` `value` is True or False)."""
    key: str
    kind: str
    label: dict
    values: tuple
    fact: str | None = None          # the fact a "fact" or "cut" var is about (or a field's fact)
    ftype: str | None = None         # yesno | choice | amount | number | date
    op: str | None = None            # cut: ">=" | ">" | "<=" | "<"
    value: float | None = None       # cut: the number compared with
    value_labels: dict = field(default_factory=dict, compare=False)   # value -> {zh, en}
    entry: int | None = field(default=None, compare=False)    # a refund request's field: its
    entry_label: dict | None = field(default=None, compare=False)   # number, the field's label


def _walk_fields():
    """(path, F, container) for every yes/no and choice field a case can leave unknown."""
    from .case import FIELDS

    for f in FIELDS:
        if f.kind in ("tri", "enum"):
            yield (f.name,), f
        elif f.kind == "object":
            for sub in f.fields:
                if sub.kind in ("tri", "enum"):
                    yield (f.name, sub.name), sub
        elif f.kind == "list" and f.name == "incidents":
            for sub in f.fields:
                if sub.kind in ("tri", "enum"):
                    yield (f.name, None, sub.name), sub


def _get(case, path):
    if len(path) == 1:
        return getattr(case, path[0], None)
    if len(path) == 2:
        return (getattr(case, path[0], None) or {}).get(path[1])
    return getattr(case.incidents[path[1]], path[2], None)


def _set(case, path, value):
    """A shallow copy of `case` with one field set."""
    new = copy.copy(case)
    if len(path) == 1:
        setattr(new, path[0], value)
    elif len(path) == 2:
        setattr(new, path[0], dict(getattr(case, path[0]) or {}, **{path[1]: value}))
    else:
        incidents = list(case.incidents)
        incidents[path[1]] = replace(incidents[path[1]], **{path[2]: value})
        new.incidents = incidents
    return new


def _yesno_labels():
    return {YES: {"zh": "是", "en": "yes"}, NO: {"zh": "否", "en": "no"}}


def unknown_fields(case, pack: RulePack) -> list[tuple[Var, tuple]]:
    """(Var, path) for every yes/no or choice field of the case that is unknown, in file order."""
    out = []
    many = len(case.incidents) > 1
    for spec, f in _walk_fields():
        paths = [spec] if spec[0] != "incidents" else \
            [(spec[0], i, spec[2]) for i in range(len(case.incidents))]
        for path in paths:
            if len(path) == 1 and not hasattr(case, path[0]):
                continue
            value = _get(case, path)
            if value not in (None, UNKNOWN):
                continue
            name = path[-1]
            fact = pack.facts.get(name)
            label = dict(fact.label) if fact is not None and len(path) < 3 else \
                {"zh": f.statement[0], "en": f.statement[1]} if f.statement else \
                {"zh": f.zh, "en": f.en}
            entry = entry_label = None
            if len(path) == 3 and many:
                entry, entry_label = path[1] + 1, label
                label = {"zh": f"第{entry}次申请：{label['zh']}",
                         "en": f"request {entry}: {label['en']}"}
            if f.kind == "tri":
                values, vlabels = TRI, _yesno_labels()
            else:
                values = tuple(v for v in f.values if v != UNKNOWN)
                vlabels = {v: {"zh": f.values[v], "en": v.replace("_", " ")} for v in values}
            key = path[0] if len(path) == 1 else f"{path[0]}.{path[1]}" if len(path) == 2 \
                else f"{path[0]}[{path[1] + 1}].{path[2]}"
            out.append((Var(key, "field", label, values,
                            fact=name if fact is not None and len(path) < 3 else None,
                            ftype="yesno" if f.kind == "tri" else "choice",
                            value_labels=vlabels, entry=entry, entry_label=entry_label), path))
    return out


# =========================================================================== the buyer's age

BORN = ("buyer", "birth_date")
AGE = ("buyer", "age")
MAX_AGE = 120                       # the largest age assess/case.py accepts
BORN_LABEL = {"zh": "买家出生日期或年龄", "en": "the buyer's date of birth or age"}
# the parameters assess/facts.py decides with, incident by incident, whether an incident counts
# (the sums for the crime; the conduct punishable under the PSAPL)
AGE_PARAMS = ("age.criminal_full", "age.admin_min")


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _born_by(on: date, age: int) -> date:
    """The latest date of birth with which one is `age` years old on `on`."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:                      # 29 February in a common year
        return date(on.year - age, 2, 28)


def birth_pieces(case, ages, as_of: date) -> list[tuple[date, date]]:
    """The dates of birth a case that gives neither birth date nor age may have, cut into pieces
    within which the buyer is, on every incident date (and the as-of date), on the same side of
    each of `ages` (the ages the rules compare the buyer's age with): [(earliest, latest)], the
    first piece from 150 years before the first incident, the last up to the first incident
    (a later birth is refused by assess/case.py)."""
    days = sorted({i.date for i in case.incidents if i.date is not None})
    if not days:
        return []
    latest = days[0]
    if len(days) < len(case.incidents):
        days.append(as_of)                 # an incident without a date: the age on the as-of date
    cuts = sorted({_born_by(d, a) for d in days for a in ages if 0 < a < 150})
    cuts = [c for c in cuts if c < latest]
    ends = [date(max(1, latest.year - 150), 1, 1)] + cuts + [latest]
    pieces = [(ends[0], ends[1])]
    for lo, hi in zip(ends[1:], ends[2:]):
        pieces.append((lo + timedelta(days=1), hi))
    return [(lo, hi) for lo, hi in pieces if lo <= hi]


def _hull(cfs: list):
    """The case facts of a set of completions from those of its two ends: a fact equal at both
    keeps its value, a number or date becomes the interval between them, anything else is
    unknown.  Sound for the facts of the buyer's age within one piece (birth_pieces): each is
    then monotone in the date of birth (which incidents count is the same all through)."""
    a, b = cfs
    if a is b:
        return a

    def one(x, y):
        if x == y:
            return x
        if isinstance(x, tuple) and isinstance(y, tuple):
            return (min(x[0], y[0]), max(x[1], y[1]))
        if isinstance(x, dict) and isinstance(y, dict):
            return {v: x[v] if x[v] == y.get(v) else UNKNOWN for v in x}
        return UNKNOWN
    return replace(a, facts={k: one(x, b.facts[k]) for k, x in a.facts.items()},
                   params={k: one(x, b.params[k]) for k, x in a.params.items()})


# =========================================================================== the tree

@dataclass
class Leaf:
    path: tuple                      # ((Var, value), ...) from the root
    facts: dict
    fired: dict
    residual: bool = False           # some rule stayed undecided here (see the module doc)
    local: dict = field(default_factory=dict)   # rule id -> [(extra path, status)] (phase 2)


@dataclass
class Analysis:
    pack: RulePack
    root: object                     # CaseFacts of the case as given
    leaves: list[Leaf]
    vars: dict                       # key -> Var, every var split on
    warnings: list[str]

    # ----------------------------------------------------------------- status of a conclusion
    def status(self, test, within=None) -> tuple[str, list]:
        """("definite" | "conditional" | "never", condition) of a conclusion; `test(leaf)` is
        YES, NO or UNKNOWN (UNKNOWN only in a residual leaf).  The condition is a list of terms
        (each a dict var key -> set of values), empty for a definite conclusion.  With `within`
        (a test of leaves), only the completions it admits count: "definite" then means "in
        every completion where `within` holds" (a penalty, given that its track applies)."""
        values = tuple(test(leaf) if within is None or within(leaf) != NO else None
                       for leaf in self.leaves)
        return self._decide([(p, v) for p, v in zip(self._paths(), values)], ("rule", values))

    def _paths(self) -> list[dict]:
        """Each leaf's path as a dict var key -> value (made once)."""
        if "_leaf_paths" not in self.__dict__:
            self._leaf_paths = [{v.key: x for v, x in leaf.path} for leaf in self.leaves]
        return self._leaf_paths

    def _decide(self, items: list, key) -> tuple[str, list]:
        """`key` stands for the items (equal keys: equal items)."""
        # many conclusions hold in the same completions (the same items): decided once
        memo = self.__dict__.setdefault("_decided", {})
        if key not in memo:
            memo[key] = self._decide_items(items)
        status, terms = memo[key]
        return status, [{k: set(v) for k, v in t.items()} for t in terms]

    def _decide_items(self, items: list) -> tuple[str, list]:
        seen = {v for _, v in items if v is not None}
        if not seen & {YES, UNKNOWN}:
            return "never", []
        if seen == {YES}:
            return "definite", []
        terms = self._terms(items)
        if getattr(terms, "minimal", False) or "budget" in self.warnings:
            # already short, or an analysis stopped early: its conditions are only summarised
            return "conditional", [{k: set(v) for k, v in t.items()} for t in terms]
        return "conditional", simplify(terms, self.domain)

    def _terms(self, items: list) -> list[dict]:
        """The completions where a conclusion holds, as a disjunction of terms; `items` are
        (path, value) pairs: a leaf's path (var key -> value) and the conclusion's value there
        (None outside `within`).

        The items are first folded into a reduced decision diagram over the vars in the order
        they were split on (a var whose values all lead to the same result is dropped, which
        the splitting tree cannot see by itself: it split on surrender in one branch and not in
        another); each path to a leaf where the conclusion holds is one term.  Combinations no
        leaf stands for (two cuts of one number that contradict each other) are "don't care"."""
        paths = [p for p, _ in items]
        values = [v for _, v in items]
        order = [k for k in self.vars if k != RESIDUAL.key]
        memo: dict = {}
        nodes: dict = {}

        def build(i: int, ids: frozenset):
            results = {values[n] for n in ids} - {None}      # None: outside `within`
            if not results:
                return None                                  # don't care
            if len(results) == 1:
                return ("leaf", results.pop())
            if i == len(order):                               # cannot happen with a sound tree
                return ("leaf", UNKNOWN)
            key = (i, ids)
            if key in memo:
                return memo[key]
            var = order[i]
            if not any(var in paths[n] for n in ids):      # no item here splits on it
                node = build(i + 1, ids)
                memo[key] = node
                return node
            children = []
            for value in self.vars[var].values:
                sub = frozenset(n for n in ids if paths[n].get(var, value) == value)
                children.append(build(i + 1, sub))
            real = {c for c in children if c is not None}
            if len(real) == 1:
                node = real.pop()
            else:
                node = nodes.setdefault((var, tuple(children)), ("node", var, tuple(children)))
            memo[key] = node
            return node

        root = build(0, frozenset(range(len(items))))
        terms: list[dict] = []

        def walk(node, term: dict):
            if node is None:
                return
            if node[0] == "leaf":
                if node[1] == YES:
                    terms.append(dict(term))
                elif node[1] == UNKNOWN:
                    terms.append(dict(term, **{RESIDUAL.key: {YES}}))
                return
            _, var, children = node
            domain = self.vars[var].values
            grouped: dict = {}
            for value, child in zip(domain, children):
                if child is not None:
                    grouped.setdefault(child, set()).add(value)
            for child, vals in grouped.items():
                walk(child, term if len(vals) == len(domain) or
                     all(c is None or c == child for c in children) else dict(term, **{var: vals}))

        walk(root, {})
        if len(terms) > 1:
            terms = self._minimise(root, terms, paths, values)
        return terms

    def _minimise(self, root, terms: list[dict], paths: list, values: list) -> list[dict]:
        """Shorter terms for the same conclusion: each term is widened as long as it admits no
        completion where the conclusion fails (completions outside `within`, or that no leaf
        stands for, may be admitted), then only as many terms are kept as cover the completions
        where it holds.  Done over the vars the diagram reads, when they are few."""
        support: list[str] = []

        def collect(node):
            if node is not None and node[0] == "node":
                if node[1] not in support:
                    support.append(node[1])
                for child in node[2]:
                    collect(child)
        collect(root)
        support.sort(key=list(self.vars).index)
        size = 1
        for k in support:
            size *= len(self.vars[k].values)
        if size > MINIMISE_LIMIT:
            return terms

        import itertools
        domains = [self.vars[k].values for k in support]
        seen: dict = {}                                 # minterm -> values of the items there
        for p, v in zip(paths, values):
            if v is None:
                continue
            choices = [(p[k],) if k in p else d for k, d in zip(support, domains)]
            for combo in itertools.product(*choices):
                seen.setdefault(combo, set()).add(v)
        on, off = [], []
        for combo, here in seen.items():
            if UNKNOWN in here or len(here) > 1:
                return terms                           # keep the diagram's terms
            (on if here == {YES} else off).append(dict(zip(support, combo)))

        def admits(term, m) -> bool:
            return all(m[k] in vals for k, vals in term.items())

        widened = []
        for term in terms:
            term = dict(term)
            for k in reversed(support):
                if k not in term:
                    continue
                wider = {x: y for x, y in term.items() if x != k}
                if not any(admits(wider, m) for m in off):
                    term = wider
            widened.append(term)
        chosen, left = _Cover(), list(on)
        while left:
            best = max(widened, key=lambda t: sum(admits(t, m) for m in left))
            chosen.append(best)
            left = [m for m in left if not admits(best, m)]
        chosen.minimal = True
        return chosen

    def domain(self, key: str) -> tuple:
        return self.vars[key].values if key in self.vars else (YES, NO)

    def rule_status(self, rule_id: str, within=None):
        """Status of "the rule fires"; in a leaf where it was decided locally (phase 2), each
        local case counts with its own path."""
        items, key = [], []
        for leaf, path in zip(self.leaves, self._paths()):
            if within is not None and within(leaf) == NO:
                items.append((path, None))
                key.append(None)
            elif rule_id in leaf.local:
                local = [(tuple((v.key, x) for v, x in ext), value)
                         for ext, value in leaf.local[rule_id]]
                items += [(dict(path, **dict(ext)), value) for ext, value in local]
                key.append(tuple(local))
            else:
                items.append((path, leaf.fired.get(rule_id, NO)))
                key.append(items[-1][1])
        return self._decide(items, ("rule", tuple(key)))

    def fact_status(self, fid: str, value: str = YES, within=None):
        """Status of "derived or case fact `fid` has `value`" (a yes/no fact, or a choice)."""
        return self.status(self.fact_test(fid, value), within)

    @staticmethod
    def fact_test(fid: str, value: str = YES):
        def test(leaf):
            v = leaf.facts[fid]
            if isinstance(v, dict):
                return v.get(value, NO)
            return YES if v == value else UNKNOWN if v == UNKNOWN else NO
        return test


class _Cover(list):
    """Terms that _minimise() already made short: simplify() has nothing left to do."""
    minimal = False


RESIDUAL = Var("undecided", "residual", {"zh": "其他尚待查明的事实", "en":
                                        "the other facts still to be established"},
               (YES, NO))


def simplify(terms: list[dict], domain) -> list[dict]:
    """A disjunction of terms, made shorter without changing what it means: terms that differ
    in the values of one var only are merged (a var with every value is dropped), and a term
    implied by another is removed."""
    terms = [{k: frozenset(v) for k, v in t.items()} for t in terms]
    changed = len(terms) <= SIMPLIFY_LIMIT      # a longer condition is only summarised in words
    while changed:
        changed = False
        # absorption: t1 weaker than t2 (every var of t1 is in t2 with fewer values) -> drop t2
        keep = []
        for i, t in enumerate(terms):
            if any(j != i and _weaker(o, t) and (o != t or j < i) for j, o in enumerate(terms)):
                changed = True
                continue
            keep.append(t)
        terms = keep
        # resolution: X∧(v∈S1) ∨ Y∧(v∈S2) with X implying Y -> X∧(v∈S1∪S2) ∨ Y∧(v∈S2)
        for i, a in enumerate(terms):
            for b in terms:
                if a is b:
                    continue
                for k in a.keys() & b.keys():
                    if a[k] >= b[k] or a[k] | b[k] == a[k]:
                        continue
                    rest_a = {x: y for x, y in a.items() if x != k}
                    rest_b = {x: y for x, y in b.items() if x != k}
                    if _weaker(rest_b, rest_a):
                        merged = dict(rest_a)
                        values = a[k] | b[k]
                        if not values >= frozenset(domain(k)):
                            merged[k] = values
                        terms = terms[:i] + [merged] + terms[i + 1:]
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break
        if changed:
            continue
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                a, b = terms[i], terms[j]
                if a.keys() != b.keys():
                    continue
                diff = [k for k in a if a[k] != b[k]]
                if len(diff) != 1:
                    continue
                k = diff[0]
                merged = dict(a)
                merged[k] = a[k] | b[k]
                if merged[k] >= frozenset(domain(k)):
                    del merged[k]
                terms = [t for n, t in enumerate(terms) if n not in (i, j)] + [merged]
                changed = True
                break
            if changed:
                break
    if any(not t for t in terms):
        return [{}]
    return [{k: set(v) for k, v in t.items()} for t in terms]


def _weaker(a: dict, b: dict) -> bool:
    """True when every completion satisfying b satisfies a."""
    return all(k in b and b[k] <= a[k] for k in a)


# =========================================================================== splitting

def _next_up(x: float) -> float:
    return math.nextafter(x, math.inf)


def _next_down(x: float) -> float:
    return math.nextafter(x, -math.inf)


def _narrow(interval: tuple, op: str, value: float, truth: bool):
    """The part of `interval` where `x op value` has the given truth; None if empty."""
    if not truth:
        op = {">=": "<", ">": "<=", "<=": ">", "<": ">="}[op]
    lo, hi = interval
    if op == ">=":
        lo = max(lo, value)
    elif op == ">":
        lo = max(lo, _next_up(value))
    elif op == "<=":
        hi = min(hi, value)
    else:
        hi = min(hi, _next_down(value))
    return (lo, hi) if lo <= hi else None


def _point(v) -> bool:
    return isinstance(v, tuple) and v[0] == v[1]


# (pack, rules that conclude, readers of each fact, outputs each rule feeds, facts whose
# knowledge a rule reads) by (id(pack), outputs): what _Splitter reads of a rule pack alone
_PACK_VIEWS: dict = {}


class _Splitter:
    def __init__(self, case, lib, pack: RulePack, as_of: date, engine, budget: int,
                 outputs=(), local_for=None, goal: str | None = None):
        self.local_for = local_for
        # settling one output (see _settle): the values of `goal` whose status is still open,
        # and the decided values each has had in a leaf so far
        self.goal = goal
        self.seen: dict = {x: set() for x in _values(pack.facts[goal])} if goal else {}
        self.wanted: set = set()            # the open values of `goal` undecided at this node
        self.tries = budget * FIELD_TRIES_SHARE     # field_here's case facts in all
        self.case, self.lib, self.pack, self.as_of = case, lib, pack, as_of
        self.engine, self.budget = engine, budget
        self.root = case_facts(case, lib, pack, as_of)
        self.influence_cache: dict = {}
        self.facts_cache: dict = {}
        self.vars: dict = {}
        self.warnings: list[str] = []
        self.outputs = dict(outputs)        # fact -> the yes/no fact it matters under, or None
        self.unguarded = {f for f, guard in self.outputs.items() if guard is None}
        # what is read of the rule pack alone is the same for every case: made once
        key = (id(pack), tuple(self.outputs.items()))
        view = _PACK_VIEWS.get(key)
        if view is None or view[0] is not pack:
            self.concluding = [r for r in pack.rules if r.then]
            self.readers: dict = {}
            for rule in pack.rules:
                for name in rule.reads:
                    self.readers.setdefault(name, []).append(rule)
            self.feeds = {rule.id: self._feeds(rule, set()) & set(self.outputs)
                          for rule in pack.rules}
            known = {a.fact for r in pack.rules for a in r.atoms if a.op == UNKNOWN}
            if len(_PACK_VIEWS) >= 8:
                _PACK_VIEWS.clear()
            _PACK_VIEWS[key] = (pack, self.concluding, self.readers, self.feeds, known)
        else:
            _, self.concluding, self.readers, self.feeds, known = view
        self.knowledge = {known_key(f): self.root.facts[f] for f in known}

    # the unknown fields are found when a split or phase 2 needs them (not in an analysis that
    # stops at once: the questionnaire's three-valued evaluations of a long case)
    @cached_property
    def fields(self) -> list:
        out = unknown_fields(self.case, self.pack)
        if self.goal is not None:
            born = self.born_var()
            if born is not None:
                out.append((born, BORN))
        return out

    def born_var(self) -> Var | None:
        """Settling: the buyer's date of birth, when the case gives neither it nor the age, as a
        field whose values are pieces of dates (birth_pieces).  The sums for the crime count only
        the incidents at 16 or older: with the age unknown, the amount is an interval from
        nothing to all, and cutting it at the amount standards finds bands no completion gives
        (one request of 500,001 yuan is 0 or 500,001, never "huge")."""
        if not _age_unknown(self.case):
            return None
        days = [i.date for i in self.case.incidents if i.date is not None]
        # the facts of the buyer's age: those a date of birth changes (30 years before the
        # first incident, say)
        born = _set(self.case, BORN, _born_by(min(days), 30))
        aged = case_facts(born, self.lib, self.pack, self.as_of).facts
        age_facts = {k for k, v in aged.items() if self.pack.facts[k].type == "number" and
                     v != self.root.facts[k]}
        # the ages at which which incidents count changes (assess/facts.py: the sums for the
        # crime from 16, the conduct punishable from 14; a piece must not straddle them), and
        # those the rules deciding the goal compare the buyer's age with
        refs = set(AGE_PARAMS)
        for rule in self.pack.rules:
            if self.goal not in self.feeds[rule.id]:
                continue
            for atom in rule.atoms:
                if atom.op != UNKNOWN and atom.fact in age_facts and isinstance(atom.ref, str):
                    refs.add(atom.ref)
        ages = set()
        for ref in refs:                    # on every incident date, as assess/facts.py reads it
            parameter = self.lib.parameters.get(ref)
            for day in days + [self.as_of]:
                value = parameter.value_at(day) if parameter is not None else None
                if value is not None:
                    ages.add(int(value.value))
        pieces = birth_pieces(self.case, sorted(ages), self.as_of)
        if len(pieces) < 2:
            return None
        values = tuple(f"{lo.isoformat()}/{hi.isoformat()}" for lo, hi in pieces)
        labels = {}
        for v, (lo, hi) in zip(values, pieces):
            labels[v] = {"zh": f"出生于{lo.isoformat()}至{hi.isoformat()}",
                         "en": f"born {lo.isoformat()} to {hi.isoformat()}"}
        # the case file may also give one age for every incident (buyer.age): those
        # completions too, by the same ages
        ends = [0] + sorted(a for a in ages if 0 < a < MAX_AGE) + [MAX_AGE + 1]
        for lo, hi in zip(ends, ends[1:]):
            v = f"age:{lo}/{hi - 1}"
            values += (v,)
            labels[v] = {"zh": f"各次行为时{lo}至{hi - 1}岁", "en": f"aged {lo} to {hi - 1}"}
        return Var("buyer.birth_date", "field", dict(BORN_LABEL), values, ftype="choice",
                   value_labels=labels)

    @cached_property
    def field_of_fact(self) -> dict:
        return {var.fact: var for var, _ in self.fields if var.fact}

    # -------------------------------------------------------------- facts of a node
    def case_for(self, assigned: tuple):
        case = self.case
        for (var, path), value in assigned:
            case = _set(case, path, value)
        return case

    def compute(self, assigned: tuple):
        """The case facts of the completions where the fields `assigned` have their values (a
        piece of dates of birth: the hull of its two ends, _hull)."""
        cases = [self.case]
        for (var, path), value in assigned:
            if path != BORN:
                cases = [_set(c, path, value) for c in cases]
            elif value.startswith("age:"):
                cases = [_set(c, AGE, int(x)) for c in cases for x in value[4:].split("/")]
            else:
                cases = [_set(c, BORN, date.fromisoformat(x)) for c in cases
                         for x in value.split("/")]
        cfs = [case_facts(c, self.lib, self.pack, self.as_of) for c in cases]
        while len(cfs) > 1:
            cfs = [_hull(cfs[:2])] + cfs[2:]
        return cfs[0]

    def facts_for(self, assigned: tuple, overrides: tuple):
        key = tuple((v.key, x) for (v, _), x in assigned)
        cf = self.facts_cache.get(key)
        if cf is None:
            cf = self.root if not assigned else self.compute(assigned)
            self.facts_cache[key] = cf
        facts = dict(cf.facts)
        for var, value in overrides:
            if var.kind == "fact":
                fact = self.pack.facts[var.fact]
                facts[var.fact] = value if fact.type == "yesno" else \
                    {v: YES if v == value else NO for v in fact.values}
            elif var.kind == "sums":
                # the answers split since may rule the sum out (the only incident that made
                # it is no fraud): no completion
                made = self.node_sums(assigned, cf)
                if made is not None and value not in made:
                    return cf, None
                facts[var.fact] = (value, value)
            else:
                narrowed = _narrow(facts[var.fact], var.op, var.value, value == YES)
                if narrowed is None:
                    return cf, None
                facts[var.fact] = narrowed
        fraud = next((x for var, x in overrides if var.kind == "fact" and var.fact == FRAUD_FACT),
                     None)
        if fraud is not None and cf.facts[PAID_FACT] == UNKNOWN:
            # "fraud exists" and "refund paid" move together: one incident may be fraud and
            # unpaid, another paid and genuine (both unknown, yet one of them is "no")
            paid = self.paid_given(assigned)[fraud]
            if paid != UNKNOWN:
                if facts[PAID_FACT] not in (paid, UNKNOWN):
                    return cf, None             # a payment no completion has
                facts[PAID_FACT] = paid
        facts.update(self.knowledge)
        return cf, facts

    def paid_given(self, assigned: tuple) -> dict:
        """PAID_FACT where some incident is fraud (YES) and where none is (NO), at the node
        where the fields `assigned` have their values: the payment of the incidents that may
        be fraud, and of all (as assess/facts.py derives it when "fraud exists" is known)."""
        key = ("paid",) + tuple((v.key, x) for (v, _), x in assigned)
        if key not in self.facts_cache:
            case = self.case
            for (var, path), value in assigned:
                if path != BORN:                # the age changes neither fraud nor payment
                    case = _set(case, path, value)
            incs = _incidents(case, self.lib, self.as_of, [])
            self.facts_cache[key] = {YES: _any([_and(i.fraud, i.paid) for i in incs]),
                                     NO: _any([i.paid for i in incs])}
        return self.facts_cache[key]

    def influence(self, index: int, penalties: bool = False) -> set:
        """The case facts an unknown field changes (tried with each value on the case as given);
        with `penalties`, only among the earlier-penalty facts (facts.penalty_facts_alone)."""
        var, path = self.fields[index]
        key = (var.key, var.values, penalties)
        if key not in self.influence_cache:
            changed: set = set()
            for value in var.values:
                try:
                    if penalties:
                        facts = penalty_facts_alone(_set(self.case, path, value), self.lib,
                                                    self.pack, self.as_of)
                    else:
                        cf = self.compute((((var, path), value),))
                        # the same case as a node that splits on this field first (facts_for)
                        self.facts_cache.setdefault(((var.key, value),), cf)
                        facts = cf.facts
                except Exception:                   # a value the case cannot take: no influence
                    continue
                changed |= {k for k, v in facts.items() if self.root.facts.get(k) != v}
            self.influence_cache[key] = changed
        return self.influence_cache[key]

    def influences(self, index: int, names: list) -> bool:
        """Whether an unknown field changes one of the case facts `names` (influence).  Facts
        that penalty_facts derives alone (facts.py PENALTY_FACTS: the earlier penalties) are
        tried without the rest of the case facts: with the earlier penalties not answered, no
        request's answer changes them, and trying each answer of each request on the whole
        case facts (adding up all the requests again) was most of the time of a first
        opening of the questionnaire at 200 requests."""
        var, path = self.fields[index]
        alone = (var.key, var.values, False) not in self.influence_cache and \
            set(names) <= PENALTY_FACTS and path != BORN
        return bool(self.influence(index, penalties=alone) & set(names))

    @staticmethod
    def may_change(path: tuple, names: list) -> bool:
        """Whether the field at `path` can change any of the facts `names`, as assess/facts.py
        declares (FACT_FIELDS): a field that cannot is not tried (influence)."""
        field = path[0] if len(path) == 1 else f"{path[0]}.{path[-1]}"
        return any(may_change(field, name) for name in names)

    # -------------------------------------------------------------- choosing a split
    def _feeds(self, rule, seen: set) -> set:
        """The facts a rule's conclusions reach, through the rules that read them."""
        out: set = set()
        for fid, _ in rule.then:
            out.add(fid)
            for reader in self.readers.get(fid, ()):
                if reader.id not in seen:
                    seen.add(reader.id)
                    out |= self._feeds(reader, seen)
        return out

    def pending(self, fired: dict, facts: dict) -> list:
        """The undecided rules phase 1 must decide here: every undecided rule that concludes a
        fact, except one whose facts are no output and are read only by rules that are decided
        (or themselves need not be): its conclusion changes nothing, so it is decided locally
        like a rule that concludes nothing (phase 2)."""
        undecided = [r for r in self.concluding if fired.get(r.id) == UNKNOWN]
        outputs = {f for f, guard in self.outputs.items() if guard is None or facts[guard] != NO}
        if self.goal is None:
            def direct(rule) -> bool:
                return any(f in outputs for f, _ in rule.then)
        else:
            # settling: only the rules that can decide a value still open here
            goal = self.pack.facts[self.goal]
            default = goal.type == "yesno" or goal.default in self.wanted

            def direct(rule) -> bool:
                return any(f == self.goal and (default or x in self.wanted) for f, x in rule.then)
        skip: set = set()
        changed = True
        while changed:
            changed = False
            for rule in undecided:
                if rule.id in skip or direct(rule):
                    continue
                if all(fired.get(r.id) != UNKNOWN or r.id in skip or not self.decided_here(r)
                       for f, _ in rule.then for r in self.readers.get(f, ())):
                    skip.add(rule.id)
                    changed = True
        return [r for r in undecided if r.id not in skip]

    def decided_here(self, rule) -> bool:
        """Whether the analysis decides `rule`: a rule that concludes a fact (phase 1), or one
        that concludes nothing and is decided in phase 2 (not one left out by `local_for`, whose
        status nobody reads: it must not make phase 1 decide the facts it reads)."""
        return bool(rule.then) or self.local_for is None or rule.id in self.local_for

    def choose(self, outcome, facts, cf, assigned: tuple, overrides: tuple, pending: list):
        """The next var to split on at a node whose rules are not all decided, or None."""
        used = {path for (var, path), _ in assigned}
        cuts = [var.key for var, _ in overrides if var.kind == "cut"]
        pack = self.pack
        pending_ids = {r.id for r in pending}
        # first what the unguarded outputs (the tracks, the band) depend on, in rule order
        order = sorted((r for stratum in pack.strata for r in stratum if r.id in pending_ids),
                       key=lambda r: not (self.feeds[r.id] & self.unguarded))
        if self.goal is not None and not _point(facts[SUM_FACT]) and any(
                SUM_FACT in (atom.fact, atom.ref) and atom.op != UNKNOWN and
                eval_atom(atom, pack, facts, cf.params, rule.on) == UNKNOWN
                for rule in order if any(f == self.goal for f, _ in rule.then)
                for atom in rule.atoms):
            # settling an output the sum for the crime decides (the band): first the few sums
            # the incidents can make, before the answers that make them (each answer multiplies
            # the cases; several answers make the same sum, and the sum 0 decides at once)
            var = self.sums_var(assigned, cf)
            if var is not None and len(var.values) <= SUMS_FIRST:
                return ("sums", var, None)
        for rule in order:
            for atom in rule.atoms:
                if atom.op == UNKNOWN:
                    continue
                if eval_atom(atom, pack, facts, cf.params, rule.on) != UNKNOWN:
                    continue
                names = [n for n in (atom.fact, atom.ref) if n in pack.facts]
                if any(pack.facts[n].origin == "rules" for n in names):
                    continue                     # decided once its own rules are
                for i, (var, path) in enumerate(self.fields):
                    if path not in used and self.may_change(path, names) and \
                            self.influences(i, names):
                        return ("field", var, path)
                here = self.field_here(assigned, cf, names, used)
                if here is not None:
                    return ("field",) + here
                fact = pack.facts[atom.fact]
                if fact.type not in NUMERIC_TYPES:
                    return ("fact", self._fact_var(atom.fact), None)
                if self.goal is not None and SUM_FACT in names and not _point(facts[SUM_FACT]):
                    var = self.sums_var(assigned, cf)
                    if var is not None:
                        return ("sums", var, None)
                cut = self._cut(atom, facts, cf.params, rule.on, cuts)
                if cut is not None:
                    return ("cut", cut, None)
        return None

    def field_here(self, assigned: tuple, cf, names: list, used: set):
        """Settling, before a case fact is split on by itself or a number is cut: (var, path) of
        an unknown field that changes one of the facts `names` at this node, or None.

        influence() tries a field on the case as given; whether it matters may depend on the
        other answers of the path (which incidents count once the first one's photo method is
        known; the date of birth, once an incident is known to be fraud).  Splitting on the
        case facts themselves loses what ties them (that "fraud exists" and "a refund was
        paid" cannot both hold when the only fraud was not paid), and cutting an amount made
        of some incidents finds sums no completion makes."""
        if self.goal is None:
            return None
        tries = FIELD_TRIES
        for var, path in self.fields:
            if path in used or not self.may_change(path, names):
                continue
            for value in var.values:
                tries -= 1
                self.tries -= 1
                if tries < 0 or self.tries < 0:
                    return None                 # a case of very many unknowns: as before
                try:
                    here, _ = self.facts_for(assigned + (((var, path), value),), ())
                except Exception:                   # a value the case cannot take
                    continue
                if any(here.facts[n] != cf.facts[n] for n in names if n in cf.facts):
                    self._remember(var)
                    return var, path
        return None

    def node_sums(self, assigned: tuple, cf) -> set | None:
        """crime_sums of the completions where the fields `assigned` have their values (a
        piece of dates of birth: one end; which incidents count is the same at the other)."""
        key = ("sums",) + tuple((v.key, x) for (v, _), x in assigned)
        if key not in self.facts_cache:
            case = self.case
            for (var, path), value in assigned:
                if path != BORN:
                    case = _set(case, path, value)
                elif value.startswith("age:"):
                    case = _set(case, AGE, int(value[4:].split("/")[0]))
                else:
                    case = _set(case, BORN, date.fromisoformat(value.split("/")[0]))
            conduct = cf.facts["conduct_date"]
            on = date.fromordinal(int(conduct[0])) if _point(conduct) else self.as_of
            self.facts_cache[key] = crime_sums(
                case, self.lib, self.as_of, _param(self.lib, "fraud.aggregation_window_years",
                                                   on))
        return self.facts_cache[key]

    def sums_var(self, assigned: tuple, cf) -> Var | None:
        """Settling, where the sum for the crime would be cut: the sums the incidents that may
        count can make at this node (crime_sums) as a var, or None (too many).  Cutting the sum
        between two standards finds bands no completion gives where which incidents count is
        not a field of the case: a day for which statutes/ holds no age of criminal
        responsibility (one request of 150,000 yuan before it counts, or not: never 数额较大)."""
        made = self.node_sums(assigned, cf)
        if made is None or len(made) < 2:
            return None
        values = tuple(sorted(made))
        return self._remember(Var(f"sums:{SUM_FACT}:{values!r}", "sums",
                                  dict(self.pack.facts[SUM_FACT].label), values, fact=SUM_FACT,
                                  ftype="amount", value_labels={
                                      v: {lang: _amount_text(v, lang) for lang in ("zh", "en")}
                                      for v in values}))

    def _fact_var(self, fid: str) -> Var:
        fact = self.pack.facts[fid]
        values = TRI if fact.type == "yesno" else tuple(fact.values)
        labels = _yesno_labels() if fact.type == "yesno" else \
            {v: {"zh": v, "en": v} for v in values}
        return self._remember(Var(f"fact:{fid}", "fact", dict(fact.label), values, fact=fid,
                                  ftype=fact.type, value_labels=labels))

    def _cut(self, atom, facts: dict, params: dict, on: str, done: list) -> Var | None:
        """A cut that decides (or narrows) a numeric comparison `atom`, or None (residual).

        Against a known number the other side is cut at it, which decides the comparison.
        Where both sides are intervals, one is cut at an end of the other's interval *as the
        case gave it*, so the cuts on a path are finitely many; MAX_CUTS per path bounds them
        too.  What remains (two overlapping intervals) is residual."""
        if len(done) >= MAX_CUTS:
            return None
        x = facts[atom.fact]
        ref_is_fact = atom.ref in self.pack.facts
        y = facts[atom.ref] if ref_is_fact else params[param_key(atom.ref, on)]
        flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
        candidates = []
        if _point(y):
            candidates.append((atom.fact, atom.op, y[0]))
        elif _point(x) and ref_is_fact:
            candidates.append((atom.ref, flip[atom.op], x[0]))
        else:
            yr = self.root.facts[atom.ref] if ref_is_fact else y
            xr = self.root.facts[atom.fact]
            candidates += [(atom.fact, ">=", end) for end in yr if x[0] < end <= x[1]]
            if ref_is_fact:
                candidates += [(atom.ref, ">=", end) for end in xr if y[0] < end <= y[1]]
        for fid, op, value in candidates:
            var = self._cut_var(fid, op, value)
            if var.key not in done:
                return var
        return None

    def _cut_var(self, fid: str, op: str, value: float) -> Var:
        fact = self.pack.facts[fid]
        key = f"cut:{fid}{op}{value!r}"
        return self._remember(Var(key, "cut", dict(fact.label), (YES, NO), fact=fid,
                                  ftype=fact.type, op=op, value=value,
                                  value_labels=_yesno_labels()))

    def _remember(self, var: Var) -> Var:
        return self.vars.setdefault(var.key, var)

    # -------------------------------------------------------------- the walk
    def walk(self) -> list[Leaf]:
        """Phase 1: split until every rule that concludes a fact is decided; then, in each leaf,
        phase 2 decides the other rules (penalties, advice, deadlines) locally."""
        leaves: list[Leaf] = []
        stack = [((), ())]                          # (assigned fields, fact/cut overrides)
        residual = exhausted = False
        while stack:
            assigned, overrides = stack.pop()
            cf, facts = self.facts_for(assigned, overrides)
            if facts is None:
                continue                            # a cut no completion satisfies
            outcome = run(self.pack, self.engine, facts, cf.params)
            path = tuple((var, value) for (var, _), value in assigned) + overrides
            if self.goal is not None:
                here = outcome.facts[self.goal]
                self.wanted = {x for x, seen in self.seen.items()
                               if len(seen) < 2 and _value(here, x) == UNKNOWN}
                if not self.wanted:             # every value still open is decided here
                    leaves.append(self.leaf(path, outcome, cf))
                    if self.saw(here):
                        break                   # every value is conditional: nothing to prove
                    continue
            pending = self.pending(outcome.fired, outcome.facts)
            if not pending:
                leaves.append(self.leaf(path, outcome, cf))
                continue
            split = None
            if len(leaves) + len(stack) + 2 > self.budget:     # no room for even two cases
                exhausted = True
            else:
                split = self.choose(outcome, outcome.facts, cf, assigned, overrides, pending)
                if split is not None and \
                        len(leaves) + len(stack) + len(split[1].values) > self.budget:
                    exhausted, split = True, None
            if split is None:
                residual = residual or not exhausted
                leaves.append(self.leaf(path, outcome, cf, residual=True))
                if self.goal is not None and self.saw(outcome.facts[self.goal]):
                    break
                continue
            kind, var, fpath = split
            if kind == "field":
                self._remember(var)
                for value in reversed(var.values):
                    stack.append((assigned + (((var, fpath), value),), overrides))
            else:
                for value in reversed(var.values):
                    stack.append((assigned, overrides + ((var, value),)))
        if residual:
            self.warnings.append("residual")
        if exhausted:
            self.warnings.append("budget")
        return leaves

    def saw(self, value) -> bool:
        """Settling: record the value `goal` has in a leaf; True when every value of it has
        been seen both yes and no (all are conditional: the walk can stop)."""
        for x, seen in self.seen.items():
            if _value(value, x) != UNKNOWN:
                seen.add(_value(value, x))
        return all(len(seen) == 2 for seen in self.seen.values())

    def leaf(self, path, outcome, cf, residual: bool = False) -> Leaf:
        leaf = Leaf(path, outcome.facts, outcome.fired, residual)
        if residual:
            return leaf                 # undecided anyway: not worth deciding rule by rule
        for rule in self.pack.rules:
            if self.local_for is not None and rule.id not in self.local_for:
                continue
            if outcome.fired.get(rule.id) == UNKNOWN:      # not needed to decide the rest
                leaf.local[rule.id] = self.local(rule, outcome.facts, cf.params)
        return leaf

    def local(self, rule, facts: dict, params: dict) -> list:
        """Phase 2: the cases of one undecided rule that concludes nothing, over the unknowns
        its own condition reads: [(extra path, status)].  Its conclusion feeds no other rule,
        so splitting the whole case for it would only multiply the leaves."""
        pack = self.pack
        vars_: list[Var] = []
        for atom in rule.atoms:
            if atom.op == UNKNOWN or eval_atom(atom, pack, facts, params, rule.on) != UNKNOWN:
                continue
            fact = pack.facts[atom.fact]
            if fact.type in NUMERIC_TYPES:
                var = self._cut(atom, facts, params, rule.on, [])
            elif fact.origin == "case":
                var = self.field_of_fact.get(atom.fact) or self._fact_var(atom.fact)
            else:
                var = None                          # a derived fact undecided: residual leaf
            if var is None:
                return [((), UNKNOWN)]
            if all(v.key != var.key for v in vars_):
                vars_.append(self._remember(var))
        import itertools

        out = []
        for combo in itertools.product(*(v.values for v in vars_)):
            here = dict(facts)
            feasible = True
            for var, value in zip(vars_, combo):
                if var.kind == "cut":
                    narrowed = _narrow(here[var.fact], var.op, var.value, value == YES)
                    if narrowed is None:
                        feasible = False
                        break
                    here[var.fact] = narrowed
                else:
                    f = pack.facts[var.fact]
                    here[var.fact] = value if f.type == "yesno" else \
                        {v: YES if v == value else NO for v in f.values}
            if feasible:
                out.append((tuple(zip(vars_, combo)),
                            eval_cond(rule.when, pack, here, params, rule.on)))
        return out


def crime_sums(case, lib, as_of: date, years) -> set[float] | None:
    """The sums for the crime (facts._window) the incidents can make: each that may count
    counts or not, the others as they are; None when more than SUM_UNSURE may (the screening
    makes the same sums: assess/screen/amounts.py)."""
    incs = _incidents(case, lib, as_of, [])
    crime = [_and(i.judged, i.criminal_age) for i in incs]
    unsure = [k for k, m in enumerate(crime) if m == UNKNOWN]
    if len(unsure) > SUM_UNSURE or years is None:
        return None
    # with neither the date of birth nor the age given, a buyer old enough on one day is on
    # every later day (the same age of responsibility on both): an incident surely judged, of
    # unknown age, counts whenever an earlier one does (B02610)
    aged = _age_unknown(case)
    param = lib.parameters.get(AGE_PARAMS[0])
    need = [param.value_at(i.day) if aged and param is not None and i.day is not None else None
            for i in incs]
    need = [None if v is None else v.value for v in need]
    out = set()
    for chosen in itertools.product((YES, NO), repeat=len(unsure)):
        counts = dict(zip(unsure, chosen))
        if aged and any(counts.get(k, crime[k]) == YES and need[k] is not None and
                        counts.get(m) == NO and incs[m].judged == YES and need[m] == need[k]
                        and incs[m].day >= incs[k].day
                        for k in range(len(incs)) for m in unsure):
            continue                            # no date of birth makes it
        made = list(incs)
        for k, x in zip(unsure, chosen):
            made[k] = replace(incs[k], fraud=YES, open=YES, criminal_age=x)
        lo, hi = _window(made, years).amount
        if lo != hi:
            return None                         # an unknown amount: the sums are not few
        out.add(lo)
    return out


def _law_gap(case, lib) -> bool:
    """Whether an incident is dated on a day for which statutes/ holds no age of criminal
    responsibility: whether it counts for the crime is then unknown whatever the case says."""
    param = lib.parameters.get(AGE_PARAMS[0])
    return param is not None and any(i.date is not None and param.value_at(i.date) is None
                                      for i in case.incidents)


def analyse(case, lib, pack: RulePack, as_of: date, engine,
            budget: int = LEAF_BUDGET, outputs=(), local_for=None,
            settle: bool = False, goal: str | None = None, _caches=None) -> Analysis:
    """Split the case's unknowns until every rule is decided (see the module doc); `outputs`
    maps the derived facts the caller reports (tracks, band, law text) to None, or to a yes/no
    fact under which alone the output matters (the PSAPL text only where the administrative
    track may apply): they are decided in each leaf where they matter; a derived fact that is
    no output is decided only where another rule needs it.
    `local_for` (rule ids) limits phase 2 to those rules (the others stay undecided in a leaf).
    With `settle`, an analysis that stops at its budget is told what each output analysed
    alone proves (_settle): up to one more analysis per output."""
    s = _Splitter(case, lib, pack, as_of, engine, budget, outputs, local_for, goal)
    if _caches is not None:
        # the same case: what its fields change and the facts of its nodes are the same
        s.influence_cache, s.facts_cache = _caches
    leaves = s.walk()
    vars_ = dict(s.vars)
    vars_[RESIDUAL.key] = RESIDUAL             # a residual leaf, or a locally undecided rule
    analysis = Analysis(pack, s.root, leaves, vars_, s.warnings)
    unguarded = [fid for fid, guard in dict(outputs).items() if guard is None]
    # an amount cut between two standards while the buyer's age is unknown may stand for no
    # completion (Splitter.born_var): an output whose condition reads such a cut is settled too
    stopped = "budget" in s.warnings
    aged = (_age_unknown(case) or _law_gap(case, lib)) and \
        any(v.kind == "cut" for v in vars_.values())
    if settle and (stopped or aged) and len(unguarded) > 1:
        pool = budget                           # the outputs alone share one more budget
        for fid in unguarded:
            statuses = [analysis.fact_status(fid, v) for v in _values(pack.facts[fid])]
            if all(status != "conditional" for status, _ in statuses):
                continue                        # decided already
            if not stopped and not any(vars_[k].kind == "cut" for _, terms in statuses
                                       for term in terms for k in term):
                continue
            # only the output's own status is read: no phase 2 (local_for empty)
            alone = analyse(case, lib, pack, as_of, engine, pool, {fid: None}, local_for=(),
                            goal=fid, _caches=(s.influence_cache, s.facts_cache))
            _settle(analysis, fid, alone)
            pool -= len(alone.leaves)
            if pool < 2:
                break
    return analysis


def _age_unknown(case) -> bool:
    """Whether the case gives neither the buyer's date of birth nor age, for dated incidents."""
    buyer = case.buyer or {}
    return buyer.get("birth_date") is None and buyer.get("age") is None and \
        any(i.date is not None for i in case.incidents)


def _values(fact) -> tuple:
    """The values whose status a result reports of an output fact: "yes" of a yes/no fact."""
    return (YES,) if fact.type == "yesno" else tuple(fact.values)


def _value(v, x: str) -> str:
    """Whether a derived fact's value `v` (yes/no/unknown, or a choice's dict) is `x`."""
    if isinstance(v, dict):
        return v.get(x, NO)
    return v if x == YES else UNKNOWN if v == UNKNOWN else YES if v == x else NO


def _settle(analysis: Analysis, fid: str, alone: Analysis) -> None:
    """Write into the leaves of an analysis that stopped at its budget what the analysis of the
    output `fid` alone proves: a value it has in every completion, or never has.

    Splitting for every output at once multiplies the unknowns of each (the platform's approval,
    the buyer's pregnancy, the police report ...), so a case of a few unknowns can exceed the
    budget before the civil track, say, is decided, although it is the same in every case.
    Alone, an output is split only on what it depends on.  A value proven for every completion
    holds in every leaf, so a leaf that left it unknown (a residual leaf) is told.  A leaf that
    decided it otherwise stands for no completion at all: one where an amount was cut between
    two standards although the sums the claims can make never fall there (the buyer's age
    unknown, Splitter.born_var); it is dropped, with what its rules concluded (the penalty of a
    band no completion has).  Nothing else changes (the rules' own statuses and the conditions
    stay those of the joint analysis)."""
    proven = {}
    for value in _values(analysis.pack.facts[fid]):
        status, _ = alone.fact_status(fid, value)
        if status != "conditional":
            proven[value] = YES if status == "definite" else NO
    if not proven:
        return
    # a rule concluding a value no completion has fires in none
    never = [r.id for r in analysis.pack.rules
             if any(f == fid and proven.get(x) == NO for f, x in r.then)]
    kept = []
    for leaf in analysis.leaves:
        v = leaf.facts[fid]
        if any(_value(v, x) not in (y, UNKNOWN) for x, y in proven.items()):
            continue                            # no completion: dropped
        for rid in never:
            if leaf.fired.get(rid) == UNKNOWN or rid in leaf.local:
                leaf.fired = dict(leaf.fired, **{rid: NO})
                leaf.local.pop(rid, None)
        if isinstance(v, dict):
            if any(v.get(x) != y for x, y in proven.items()):
                leaf.facts = dict(leaf.facts, **{fid: {x: proven.get(x, y)
                                                      for x, y in v.items()}})
        elif v != proven.get(YES, v):
            leaf.facts = dict(leaf.facts, **{fid: proven[YES]})
        kept.append(leaf)
    if kept:                                    # (two sound analyses leave one at least)
        analysis.leaves[:] = kept
    analysis.__dict__.pop("_decided", None)
    analysis.__dict__.pop("_leaf_paths", None)


# =========================================================================== conditions in words

_REL = {"zh": {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于"},
        "en": {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}}
_NEG = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
TEXT_TERMS, TEXT_LITERALS = 4, 10     # longer conditions are summarised (condition_text)
JOIN = {"zh": {"and": "且", "or": "，或者"}, "en": {"and": " and ", "or": "; or "}}
# the same field of several refund requests, named once: (one request, several requests)
REQUESTS = {"zh": ("第{ns}次申请：{label}", "第{ns}次申请：{label}"),
            "en": ("request {ns}: {label}", "requests {ns}: {label}")}
NUMBER_SEP = {"zh": "、", "en": ", "}


def named(items, lang: str) -> list[str]:
    """The names of facts, in order, once each: an item is a label, or (request number, the
    field's label) for a field of one refund request; the same field of several requests is
    named once with their numbers in runs ("第1–3、5次申请：“损坏”照片的制作方式"), so that 200
    requests whose photo method is unknown make one name, not 200."""
    numbers: dict[tuple, list[int]] = {}        # (a request's field?, label) -> numbers
    for item in items:
        key = (True, item[1]) if isinstance(item, tuple) else (False, item)
        numbers.setdefault(key, []).extend([item[0]] if isinstance(item, tuple) else [])
    out = []
    for (request, label), ns in numbers.items():
        if not request:
            out.append(label)
            continue
        runs: list[list[int]] = []
        for n in sorted(set(ns)):
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        text = NUMBER_SEP[lang].join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}"
                                     for r in runs)
        out.append(REQUESTS[lang][len(runs) > 1 or len(runs[0]) > 1].format(ns=text, label=label))
    return out


def var_name(var: Var, lang: str):
    """What `named` takes for a var: its label, or (request number, field label)."""
    return (var.entry, var.entry_label[lang]) if var.entry is not None else var.label[lang]


def _amount_text(value: float, lang: str) -> str:
    from .assessment import fmt_number

    return f"{fmt_number(value)}元" if lang == "zh" else f"CNY {fmt_number(value)}"


def _number_text(var: Var, lang: str) -> str:
    from .assessment import fmt_number

    if var.ftype == "date":
        return date.fromordinal(int(var.value)).isoformat()
    if var.ftype == "amount":
        return _amount_text(var.value, lang)
    return fmt_number(var.value)


def _inside(label: str, lang: str) -> str:
    """A label as it reads inside an English sentence ("The refund …" -> "the refund …")."""
    if lang == "en" and label[:1].isupper() and label[1:2].islower():
        return label[0].lower() + label[1:]
    return label


def literal_text(var: Var, values: set, lang: str) -> str:
    """One var with its admitted values, in words: 具有非法占有目的 / 并非“…” / 当地“数额巨大”标准不高于50,000元."""
    label = _inside(var.label[lang], lang)
    if var.kind == "residual":
        return label
    if var.kind == "cut":
        op = var.op if values == {YES} else _NEG[var.op]
        sep = "" if lang == "zh" else " "
        return f"{label}{sep}{_REL[lang][op]}{sep}{_number_text(var, lang)}"
    if var.ftype == "yesno":
        if values == {YES}:
            return label
        if lang != "zh":
            return f"not ({label})"
        # a label that quotes a term itself (治安案件“情节较重”) is not quoted again
        return f"并非{label}" if "“" in label else f"并非“{label}”"
    names = [var.value_labels.get(v, {}).get(lang, v) for v in var.values if v in values]
    joined = "或".join(names) if lang == "zh" else " or ".join(names)
    return f"{label}为{joined}" if lang == "zh" else f"{label}: {joined}"


# a summarised condition names the facts it depends on, worded to follow 若 / "if" (the
# documents print a condition as "（若……）" / "(if …)")
SUMMARY = {"zh": "{facts}的情况符合相应条件", "en": "the facts on {facts} are as required"}


def is_summary(text: str) -> bool:
    """Whether a condition text is a summary (condition_text) rather than the condition."""
    return any(text.endswith(s.split("{facts}")[1]) for s in SUMMARY.values())


def condition_text(analysis: Analysis, terms: list[dict], lang: str) -> str:
    """A condition (list of terms) in words; "" for one that always holds.  A condition too
    long to read is summarised by the facts it depends on, and so is one that holds the facts
    the analysis left unsplit (RESIDUAL, where it stopped at its budget): its terms would name
    values that do not decide anything alone ("…为修图篡改或摆拍伪造或真实照片且其他…", read by
    the police as "genuine photos" being a condition of fraud)."""
    if not terms or terms == [{}]:
        return ""
    residual = any(analysis.vars[k].kind == "residual" for t in terms for k in t)
    if residual or len(terms) > TEXT_TERMS or sum(map(len, terms)) > TEXT_LITERALS:
        labels = named([var_name(analysis.vars[k], lang) for t in terms for k in t], lang)
        return SUMMARY[lang].format(facts=("、" if lang == "zh" else "; ").join(
            _inside(label, lang) for label in labels))
    parts = []
    for term in terms:
        lits = [literal_text(analysis.vars[k], v, lang) for k, v in term.items()]
        parts.append(JOIN[lang]["and"].join(lits))
    return JOIN[lang]["or"].join(parts)


def condition_json(analysis: Analysis, terms: list[dict], lang: str) -> list:
    """A condition as data: a list of terms (any may hold), each a list of literals (all hold)."""
    out = []
    for term in terms:
        lits = []
        for key, values in term.items():
            var = analysis.vars[key]
            lits.append({"var": key, "kind": var.kind, "fact": var.fact,
                         "values": [v for v in var.values if v in values],
                         "text": literal_text(var, values, lang)})
        out.append(lits)
    return out


def condition_facts(analysis: Analysis, terms: list[dict]) -> list[str]:
    """The facts (or, for fields without a fact of their own, the field paths) a condition
    reads, in order, once each."""
    out: list[str] = []
    for term in terms:
        for key in term:
            var = analysis.vars[key]
            name = var.fact or key
            if name not in out:
                out.append(name)
    return out
