"""`assess rules check`: everything a trainer can get wrong in a rule pack, with file:line:col.

`check_pack(base)` reads statutes/, rules/, rules/questions.yaml and templates/ of a pack folder
and returns a list of `Finding`s (error / warning / note), each with a location, a message, a hint
and the article concerned.  Nothing is raised for problems in the pack: they become findings.

Checks:
- YAML syntax, unknown and duplicate keys, types (the loaders' own errors, all of them);
- facts no rule reads, case facts no question asks, derived facts no rule concludes;
- citations of provisions that do not exist, or that have no version in force in the period the
  rule can apply to (the period follows from the law editions the rule's condition allows);
- 诈骗罪 amount tables with gaps or overlaps by province (and city tier) and date;
- rules that can never fire (no assignment of the facts makes the condition true);
- two rules concluding different values of one fact on the same facts;
- `wording` against the operators (the drafting words and what they mean: rules/wording.yaml);
- Jinja syntax of templates/*.j2.

The satisfiability search (`Solver`) assigns the case facts a rule depends on — yes/no, each
choice value, numbers just below, at and above every parameter or threshold they are compared
with — and evaluates conditions three-valued, so a partial assignment that already makes the
condition false is abandoned at once.  Derived facts are computed from the rules concluding them,
exactly as the runner combines them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .citations import FORM, parse_cite, part_text
from .errors import AssessError, AssessErrors
from .evaluator import EVERYTHING, eval_atom, eval_cond, param_key
from .model import NO, NUMERIC_TYPES, OPERATORS, UNKNOWN, YES, All, AnyOf, Atom, Cond, Not, \
    RulePack, facts_used, leaves

SEVERITIES = ("error", "warning", "note")


@dataclass
class Finding:
    severity: str                      # error | warning | note
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    article: str | None = None
    code: str = ""                     # a short kind: yaml, cite, never-fires, conflict, ...

    @property
    def location(self) -> str:
        parts = [self.file or "<pack>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.col if self.col is not None else 1))
        return ":".join(parts)

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity}: {self.message}"]
        if self.article:
            lines.append(f"  article: {self.article}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def _from_error(exc: AssessError, code: str = "load") -> list[Finding]:
    errors = exc.errors if isinstance(exc, AssessErrors) else [exc]
    out = []
    for e in errors:
        hint = e.hint
        if e.expected:
            hint = (f"expected {e.expected}" + (f"; {hint}" if hint else ""))
        out.append(Finding("error", e.message, e.file, e.line, e.col, hint, e.article, code))
    return out


def _at(loc, severity, message, hint=None, article=None, code="") -> Finding:
    if loc is None:
        return Finding(severity, message, None, None, None, hint, article, code)
    return Finding(severity, message, loc.file, loc.line, loc.col, hint, article, code)


# =========================================================================== satisfiability

# search nodes for each edition a rule may apply under (check_citations); an edition that is
# neither found nor ruled out within them gives no finding
WINDOW_LIMIT = 2000


class Budget(Exception):
    """The search gave up (too many combinations): no finding is reported."""


class _Facts(dict):
    """Fact values for eval_cond: assigned case facts, unknown for the rest, derived on demand."""

    def __init__(self, solver: "Solver", assigned: dict):
        super().__init__()
        self.solver = solver
        self.assigned = assigned

    def __missing__(self, fid):
        s = self.solver
        fact = s.pack.facts[fid]
        if fact.origin == "rules":
            value = s.derive(fid, self)
        elif fid in self.assigned:
            value = s.encode(fact, self.assigned[fid])
        else:
            value = s.unknown(fact)
        self[fid] = value
        return value


class _Params(dict):
    def __init__(self, solver: "Solver", assigned: dict):
        super().__init__()
        self.assigned = assigned

    def __missing__(self, key):
        v = self.assigned.get(key)
        return EVERYTHING if v is None else (v, v)


THRESHOLD_GROUP = "@thresholds"
THRESHOLD_FACTS = ("threshold_large", "threshold_huge", "threshold_especially_huge")


class Solver:
    """Find an assignment of case facts (and parameter values) that makes conditions true.

    `param_values`: parameter id -> the values it takes over time (None: any number).
    `threshold_rows`: the (large, huge, especially_huge) triples the amount table can give
    (None: any increasing triple).
    """

    def __init__(self, pack: RulePack, param_values: dict | None = None,
                 threshold_rows: list | None = None, limit: int = 20000):
        self.pack = pack
        self.param_values = param_values or {}
        self.threshold_rows = sorted(set(threshold_rows)) if threshold_rows else None
        self.limit = limit
        self.concluders = pack.concluders()
        # which facts are tested for "unknown": only they may take the value unknown
        self.tested_unknown = {a.fact for r in pack.rules for a in leaves(r.when)
                               if a.op == UNKNOWN}
        # numeric comparisons: name -> the names it is compared with
        self.compared: dict[str, set[str]] = {}
        for r in pack.rules:
            for a in leaves(r.when):
                if a.ref is not None:
                    ra = a.ref if a.ref in pack.facts else param_key(a.ref, r.on)
                    self.compared.setdefault(a.fact, set()).add(ra)
                    self.compared.setdefault(ra, set()).add(a.fact)
        self._deps: dict[str, list[str]] = {}

    # ------------------------------------------------------------ values
    def encode(self, fact, value):
        if fact.type == "yesno":
            return value
        if fact.type == "choice":
            if value == UNKNOWN:
                return {v: UNKNOWN for v in fact.values}
            return {v: YES if v == value else NO for v in fact.values}
        return (value, value)

    @staticmethod
    def unknown(fact):
        if fact.type == "yesno":
            return UNKNOWN
        if fact.type == "choice":
            return {v: UNKNOWN for v in fact.values}
        return EVERYTHING

    def derive(self, fid: str, facts: _Facts):
        """A derived fact from its concluding rules, as evaluator.combine does."""
        fact = self.pack.facts[fid]
        status: dict[str, str] = {}
        for rule in self.concluders.get(fid, ()):
            st = eval_cond(rule.when, self.pack, facts, facts.params, rule.on)
            for f, v in rule.then:
                if f == fid:
                    old = status.get(v, NO)
                    status[v] = YES if YES in (old, st) else UNKNOWN if UNKNOWN in (old, st) else NO
        definite = [v for v, s in status.items() if s == YES]
        possible = {v for v, s in status.items() if s == UNKNOWN}
        if fact.type == "yesno":
            if definite:
                return definite[0]
            return UNKNOWN if possible - {fact.default or NO} else fact.default or NO
        if definite:
            return {v: YES if v == definite[0] else NO for v in fact.values}
        if possible:
            cands = possible | ({fact.default} if fact.default else set())
            return {v: UNKNOWN if v in cands else NO for v in fact.values}
        return {v: YES if v == fact.default else NO for v in fact.values}

    # ------------------------------------------------------------ variables
    def _case_deps(self, cond: Cond, on: str, out: list, seen: set) -> None:
        for atom in leaves(cond):
            for name in (atom.fact, atom.ref):
                if name is None:
                    continue
                if name not in self.pack.facts:
                    key = param_key(name, on)
                    if key not in seen:
                        seen.add(key)
                        out.append(key)
                    continue
                if name in seen:
                    continue
                seen.add(name)
                fact = self.pack.facts[name]
                if fact.origin == "case":
                    out.append(name)
                else:
                    for rule in self.concluders.get(name, ()):
                        self._case_deps(rule.when, rule.on, out, seen)

    def variables(self, goals) -> list[str]:
        out: list[str] = []
        seen: set = set()
        for cond, on in goals:
            self._case_deps(cond, on, out, seen)
        # parameters and the threshold table first (numbers are placed around them), then
        # yes/no and choice facts, then the other numbers
        params = [v for v in out if v not in self.pack.facts]
        thresholds = [v for v in out if v in THRESHOLD_FACTS]
        if thresholds and self.threshold_rows is not None:
            thresholds = [THRESHOLD_GROUP]
        discrete = [v for v in out if v in self.pack.facts
                    and self.pack.facts[v].type not in NUMERIC_TYPES]
        numbers = [v for v in out if v in self.pack.facts and v not in THRESHOLD_FACTS
                   and self.pack.facts[v].type in NUMERIC_TYPES]
        return discrete + params + thresholds + numbers

    def domain(self, var: str, assigned: dict) -> list:
        if var == THRESHOLD_GROUP:
            return list(self.threshold_rows)
        if var not in self.pack.facts:                       # a parameter value
            pid = var.rsplit("@", 1)[0]
            values = self.param_values.get(pid)
            if values:
                return sorted(set(values))
            return self._points(var, assigned)
        fact = self.pack.facts[var]
        extra = [UNKNOWN] if var in self.tested_unknown else []
        if fact.type == "yesno":
            return [YES, NO] + extra
        if fact.type == "choice":
            return list(fact.values) + extra
        return self._points(var, assigned)

    def _points(self, var: str, assigned: dict) -> list:
        points: set[float] = set()
        for other in self.compared.get(var, ()):
            v = assigned.get(other)
            if v is not None:
                points.update((v - 0.5, v, v + 0.5))
        if not points and var in THRESHOLD_FACTS:
            return [1.0, 2.0, 3.0]                   # only their order matters here
        return sorted(points) or [0.0]

    # ------------------------------------------------------------ search
    def _axioms_ok(self, assigned: dict) -> bool:
        # a law's edition at the decision is never older than at the conduct
        for fid, fact in self.pack.facts.items():
            if fid.endswith("_at_conduct") and fact.type == "choice":
                other = fid[: -len("_at_conduct")] + "_at_decision"
                a, b = assigned.get(fid), assigned.get(other)
                if a not in (None, UNKNOWN) and b not in (None, UNKNOWN) and \
                        other in self.pack.facts:
                    order = list(fact.values)
                    if a in order and b in order and order.index(a) > order.index(b):
                        return False
        if self.threshold_rows is None:
            t = [assigned.get(f) for f in THRESHOLD_FACTS]
            for x, y in zip(t, t[1:]):
                if x is not None and y is not None and not x < y:
                    return False
        return True

    def status(self, goals, assigned: dict, blocking: bool = False):
        """YES / NO / UNKNOWN of the goals under an assignment; with `blocking`, also the
        variables read by the comparisons still undecided: (status, set)."""
        values = dict(assigned)
        row = values.pop(THRESHOLD_GROUP, None)
        if row is not None:
            values.update(zip(THRESHOLD_FACTS, row))
        facts = _Facts(self, values)
        facts.params = _Params(self, values)
        results = [eval_cond(c, self.pack, facts, facts.params, on) for c, on in goals]
        st = NO if NO in results else YES if all(r == YES for r in results) else UNKNOWN
        if not blocking:
            return st
        out: set = set()
        if st == UNKNOWN:
            seen: set = set()
            for (cond, on), r in zip(goals, results):
                if r == UNKNOWN:
                    self._blocking(cond, on, facts, out, seen)
        return st, out

    def _blocking(self, cond: Cond, on: str, facts: "_Facts", out: set, seen: set) -> None:
        for atom in leaves(cond):
            if eval_atom(atom, self.pack, facts, facts.params, on) != UNKNOWN:
                continue
            for name in (atom.fact, atom.ref):
                if name is None:
                    continue
                if name not in self.pack.facts:
                    out.add(param_key(name, on))
                elif self.pack.facts[name].origin == "case":
                    out.add(THRESHOLD_GROUP if name in THRESHOLD_FACTS and
                            self.threshold_rows is not None else name)
                elif name not in seen:
                    seen.add(name)
                    for rule in self.concluders.get(name, ()):
                        self._blocking(rule.when, rule.on, facts, out, seen)

    def satisfy(self, goals, forced: dict | None = None, limit: int | None = None) -> dict | None:
        """An assignment making every (condition, on) of `goals` surely true, or None; Budget
        after `limit` (default self.limit) search nodes."""
        limit = limit or self.limit
        variables = [v for v in self.variables(goals) if not forced or v not in forced]
        assigned = dict(forced or {})
        nodes = 0

        def point_values(assign):
            out = dict(assign)
            row = out.get(THRESHOLD_GROUP)
            if row is not None:
                out.update(zip(THRESHOLD_FACTS, row))
            return out

        def dfs():
            nonlocal nodes
            nodes += 1
            if nodes > limit:
                raise Budget()
            st, blocking = self.status(goals, assigned, blocking=True)
            if st == NO:
                return None
            if st == YES:
                return dict(assigned)
            # only a variable an undecided comparison reads can change the status: assign the
            # first of those (in the order of `variables`), not every variable in turn
            var = next((v for v in variables if v not in assigned and v in blocking), None)
            if var is None:
                return None
            for value in self.domain(var, point_values(assigned)):
                assigned[var] = value
                if self._axioms_ok(point_values(assigned)):
                    found = dfs()
                    if found is not None:
                        return found
            del assigned[var]
            return None

        return dfs()

    def describe(self, assignment: dict) -> str:
        parts = []
        for k, v in assignment.items():
            if k == THRESHOLD_GROUP:
                parts.append("thresholds=" + "/".join(f"{x:g}" for x in v))
            elif isinstance(v, float):
                parts.append(f"{k}={v:g}")
            else:
                parts.append(f"{k}={v}")
        return ", ".join(parts)


# =========================================================================== wording ↔ operator

# The drafting words (以上、不满 …) and the operators they mean are data: rules/wording.yaml.
FLIP = {"at_least": "under", "under": "at_least", "over": "at_most", "at_most": "over",
        "within": "over"}


def load_wording(rules_dir: Path) -> tuple[dict, dict, dict]:
    """(word -> (same, negation), word -> confused, article labels) from rules/wording.yaml."""
    from .yamlio import check_keys, load

    path = rules_dir / "wording.yaml"
    if not path.exists():
        return {}, {}, {}
    data = load(path)
    check_keys(data, {"article", "words"}, {"words"}, what="wording table")
    words, confused = {}, {}
    for word, spec in (data.get("words") or {}).items():
        check_keys(spec, {"same", "negation", "confused"}, {"same"}, what=f"word '{word}'")
        ops = {k: {str(o) for o in (spec.get(k) or [])} for k in ("same", "negation", "confused")}
        unknown = set().union(*ops.values()) - set(OPERATORS)
        if unknown:
            raise AssessError(f"unknown operator {sorted(unknown)[0]!r} for {word!r}",
                              file=str(path), line=getattr(spec, "line", None),
                              expected=", ".join(OPERATORS))
        words[str(word)] = (ops["same"], ops["negation"])
        confused[str(word)] = ops["confused"]
    article = {str(k): str(v) for k, v in (data.get("article") or {}).items()}
    return words, confused, article


def _words_ops(cond: Cond, negated: bool = False):
    """(atom, the operator word as it acts, counting `not`) for every comparison."""
    if isinstance(cond, Atom):
        if cond.word:
            yield cond, FLIP[cond.word] if negated else cond.word
    elif isinstance(cond, Not):
        yield from _words_ops(cond.item, not negated)
    else:
        for item in cond.items:
            yield from _words_ops(item, negated)


def check_wording(pack: RulePack, rules_dir: Path | None = None) -> list[Finding]:
    """Wording against operators; the words come from `rules_dir`/wording.yaml (default: shipped)."""
    from . import paths

    out = []
    rules_dir = rules_dir or paths.rules_dir(None)
    WORDS, CONFUSED, article = load_wording(rules_dir)
    ART99 = article.get("includes", "")
    for rule in pack.rules:
        comparisons = list(_words_ops(rule.when))
        if not rule.wording:
            continue
        text = str(rule.wording)
        used = {op for _, op in comparisons}
        for word, (same, negation) in WORDS.items():
            if word not in text:
                continue
            wrong = [(a, op) for a, op in comparisons if op in CONFUSED[word]]
            if not wrong and used & (same | negation):
                continue
            if wrong:
                atom, op = wrong[0]
                should = sorted(same)[0]
                out.append(_at(atom.loc, "error",
                               f"rule '{rule.id}': the wording says {word} but '{atom.fact}' "
                               f"is compared with {op} ({OPERATORS[op][1]}); {word} "
                               f"{'includes' if should != 'under' else 'excludes'} the number "
                               f"itself", hint=f"use {should} ({OPERATORS[should][1]})",
                               article=ART99 + "；" + article.get("excludes", ""), code="wording"))
            elif comparisons:
                out.append(_at(rule.loc, "warning",
                               f"rule '{rule.id}': the wording says {word} but no comparison "
                               f"of the rule uses {' or '.join(sorted(same))}",
                               hint="check that the rule compares the number the wording "
                                    "quotes", article=ART99, code="wording"))
    return out


# =========================================================================== locations in YAML

class _Positions:
    """Where a rule's keys are in its file (the rule model keeps only the rule's start)."""

    def __init__(self):
        self._files: dict[str, object] = {}

    def rule_node(self, rule):
        from .yamlio import load

        file = rule.loc.file if rule.loc else None
        if not file:
            return None
        if file not in self._files:
            try:
                self._files[file] = load(file)
            except AssessError:
                self._files[file] = None
        data = self._files[file]
        if not isinstance(data, dict):
            return None
        for item in data.get("rules") or ():
            if isinstance(item, dict) and item.get("id") == rule.id:
                return item
        return None

    def key(self, rule, key: str, index: int | None = None):
        from .model import Loc

        node = self.rule_node(rule)
        if node is None or key not in node:
            return rule.loc
        value = node[key]
        if index is not None and hasattr(value, "item_pos") and index < len(value.item_pos):
            line, col = value.item_pos[index]
            return Loc(node.file, line, col)
        file, line, col = node.pos(key)
        return Loc(file, line, col)


# =========================================================================== facts

def check_facts(pack: RulePack, lib=None) -> list[Finding]:
    """Case facts no rule and no local amount standard reads (the question is then asked for
    nothing)."""
    read = {name for r in pack.rules for name in facts_used(r.when)}
    if lib is not None:                    # a local standard's alternative figures read a fact
        read |= {alt.when for entry in lib.thresholds.provinces.values()
                 for std in entry.standards for alt in std.alternatives}
    read |= {r.deadline.start for r in pack.rules if r.deadline}
    read |= {r.deadline.met_by for r in pack.rules if r.deadline and r.deadline.met_by}
    read |= {name for r in pack.rules for text in r.explain.values()     # shown in a text
             for name in re.findall(r"\{([a-z0-9_]+)\}", text)}
    out = []
    for fid, fact in pack.facts.items():
        if fact.origin == "case" and fid not in read and not fid.startswith("threshold_") \
                and fid not in ("decision_date",):
            out.append(_at(fact.loc, "warning", f"fact '{fid}' is declared but no rule reads it",
                           hint="use it in a rule's `when`, or remove it from facts.yaml",
                           code="unused-fact"))
    return out


# =========================================================================== citations

def _edition_windows(solver: Solver, rule, lib) -> dict[str, tuple[date | None, date | None, str]]:
    """conduct/decision -> (from, to, why): the dates the rule can apply to, from the law
    editions its condition allows.  None bounds are open."""
    windows: dict[str, tuple] = {}
    pack = solver.pack
    depends = set(solver.variables([(rule.when, rule.on)]))
    for fid, fact in pack.facts.items():
        for on in ("conduct", "decision"):
            suffix = f"_edition_at_{on}"
            if not fid.endswith(suffix) or fact.origin != "case" or fact.type != "choice" \
                    or fid not in depends:
                continue
            law = getattr(lib, "laws", {}).get(fid[: -len(suffix)].replace("_", "-"))
            if law is None:
                continue
            spans = {str(e.id): (e.effective_from, e.effective_to) for e in law.editions}
            possible = []
            try:
                for value in fact.values:
                    if solver.satisfy([(rule.when, rule.on)], {fid: value},
                                      limit=WINDOW_LIMIT) is not None:
                        possible.append(value)
            except Budget:
                continue                        # not settled quickly: no finding
            if not possible or len(possible) == len(fact.values):
                continue
            starts = [spans[v][0] for v in possible if v in spans]
            ends = [spans[v][1] for v in possible if v in spans]
            start = None if not starts or None in starts else min(starts)
            end = None if not ends or None in ends else max(ends)
            old = windows.get(on)
            if old:
                start = max(filter(None, (start, old[0])), default=None)
                end = min(filter(None, (end, old[1])), default=None)
            why = f"{fid} = {' or '.join(possible)}"
            windows[on] = (start, end, why if not old else old[2] + "; " + why)
    return windows


def _overlap(v, start, end) -> bool:
    vf, vt = v.effective_from, v.effective_to
    return (end is None or vf is None or vf <= end) and (start is None or vt is None or
                                                         start <= vt)


def _span(start, end) -> str:
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"


def check_citations(pack: RulePack, lib, solver: Solver, where: _Positions) -> list[Finding]:
    out = []
    provisions = getattr(lib, "provisions", {})
    for rule in pack.rules:
        windows = None
        for i, cite in enumerate(rule.cites):
            c = parse_cite(cite)
            loc = where.key(rule, "cites", i)
            if c is None:
                out.append(_at(loc, "error", f"citation '{cite}' is not in the citation form",
                               hint=FORM, code="cite"))
                continue
            pid, on = c.pid, c.on or ""
            prov = provisions.get(pid)
            if prov is None:
                import difflib
                close = difflib.get_close_matches(pid, list(provisions), n=1)
                out.append(_at(loc, "error", f"rule '{rule.id}' cites '{pid}', which is not in "
                                             f"statutes/",
                               hint=f"did you mean '{close[0]}'?" if close else
                               "provision ids look like criminal-law/266; add the provision to "
                               "statutes/", article=pid, code="cite"))
                continue
            versions = list(getattr(prov, "versions", ()) or ())
            if not versions:
                out.append(_at(loc, "error", f"'{pid}' has no version (no text with dates)",
                               article=pid, code="cite"))
                continue
            lacking = [v for v in versions if part_text(v.text, c.para, c.item) is None]
            if lacking:
                out.append(_at(loc, "error", f"rule '{rule.id}' cites '{c.part}', but the "
                                             f"{lacking[0].edition} text of '{pid}' has no such "
                                             f"paragraph (款) or item (项)",
                               hint="paragraphs are separated by an empty line in statutes/; "
                                    "items start with （一）", article=pid, code="cite"))
                continue
            if windows is None:
                windows = _edition_windows(solver, rule, lib)
            on = on or rule.on
            if on not in windows:
                continue
            start, end, why = windows[on]
            inside = [v for v in versions if _overlap(v, start, end)]
            if not inside:
                have = "; ".join(_span(v.effective_from, v.effective_to) for v in versions)
                out.append(_at(loc, "error",
                               f"rule '{rule.id}' cites '{pid}' at the {on} date, but the rule "
                               f"only applies {_span(start, end)} ({why}) and '{pid}' is in "
                               f"force only {have}",
                               hint=f"cite the provision of the text in force then, or write "
                                    f"'{pid}@{'decision' if on == 'conduct' else 'conduct'}' "
                                    f"if the other date is meant", article=pid, code="cite"))
                continue
            # a part of the window without any version in force
            gap = _first_gap(inside, start, end)
            if gap:
                out.append(_at(loc, "warning",
                               f"rule '{rule.id}' cites '{pid}' at the {on} date; the rule can "
                               f"apply {_span(start, end)} ({why}) but '{pid}' has no version "
                               f"in force on {gap.isoformat()}",
                               hint="add the missing version to statutes/, or narrow the rule",
                               article=pid, code="cite"))
    return out


def _first_gap(versions, start, end):
    """The first day of [start, end] no version covers (None: covered)."""
    from datetime import timedelta

    spans = sorted(((v.effective_from or date.min), (v.effective_to or date.max))
                   for v in versions)
    day = start or spans[0][0]
    if start is not None and spans[0][0] > start:
        return start
    for s, e in spans:
        if s > day:
            return day
        if e >= day:
            day = e + timedelta(days=1) if e < date.max else date.max
    if day != date.max and (end is None or day <= end):
        return day
    return None


# =========================================================================== templates

def check_templates(templates: Path) -> list[Finding]:
    out = []
    if not templates.is_dir():
        return out
    import jinja2

    env = jinja2.Environment()
    trees = {}
    for path in sorted(templates.rglob("*.j2")):
        try:
            text = path.read_text(encoding="utf-8")
            tree = env.parse(text, name=path.name, filename=str(path))
        except jinja2.TemplateSyntaxError as exc:
            out.append(Finding("error", f"template syntax error: {exc.message}", str(path),
                               exc.lineno, 1, "check the {% ... %} / {{ ... }} pairs on this "
                                              "line", None, "template"))
            continue
        except UnicodeDecodeError:
            out.append(Finding("error", "template is not UTF-8 text", str(path), None, None,
                               "save the file as UTF-8", None, "template"))
            continue
        out += _unsafe_template(tree, text, path)
        trees[path] = tree
    out += _unknown_names(trees)
    for path in sorted(templates.rglob("*.css")):
        try:
            out += _remote_references(path.read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError):
            pass
    out += _check_strings(templates / "strings.yaml")
    return out


def _unsafe_template(tree, text: str, path: Path) -> list[Finding]:
    """What a template of a pack from someone else must not do: reach Python internals (an
    attribute starting with '_', refused by the sandbox at render time anyway), include a file
    outside templates/, or load anything from the network."""
    from jinja2 import nodes

    out = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else \
            node.arg.value if isinstance(node.arg, nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            out.append(Finding("error", f"template reaches the internal attribute '{name}'",
                               str(path), node.lineno, 1, "templates may use the data they are "
                               "given, not Python internals (they run sandboxed)", None,
                               "template"))
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target = node.template.value if isinstance(node.template, nodes.Const) else None
        if isinstance(target, str) and (target.startswith("/") or ".." in target.split("/")):
            out.append(Finding("error", f"template includes '{target}', outside templates/",
                               str(path), node.lineno, 1, "include only templates in this "
                               "folder", None, "template"))
    return out + _remote_references(text, path)


def _unknown_names(trees: dict) -> list[Finding]:
    """Names and filters a template uses that nothing provides: a name that is not in the
    document context (assess/documents.py CONTEXT_NAMES), not a Jinja global and not set in the
    template or in a template that includes, imports or extends it; a filter or test that is
    neither Jinja's nor the documents'.  The rulebook template gets another context
    (assess/rulebook.py) and Jinja's filters only: only its filters are checked."""
    import jinja2
    from jinja2 import meta, nodes

    from .documents import CONTEXT_NAMES, OPINION_CONTEXT_NAMES, filter_names
    from .rulebook import TEMPLATE as RULEBOOK

    plain = jinja2.Environment()
    documents = set(plain.filters) | filter_names()
    given = set(CONTEXT_NAMES) | set(OPINION_CONTEXT_NAMES) | set(plain.globals)

    def stored(tree) -> set[str]:
        """Every name the template sets: {% set %}, loop variables, macros and their
        parameters, {% import %} targets."""
        names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        names |= {m.name for m in tree.find_all(nodes.Macro)}
        names |= {i.target for i in tree.find_all(nodes.Import)}
        for f in tree.find_all(nodes.FromImport):
            names |= {x[1] if isinstance(x, tuple) else x for x in f.names}
        return names

    by_name = {path.name: path for path in trees}
    sets = {path: stored(tree) for path, tree in trees.items()}
    users: dict = {path: set() for path in trees}     # template -> templates that reach it
    for path, tree in trees.items():
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport,
                                   nodes.Extends)):
            target = node.template.value if isinstance(node.template, nodes.Const) else None
            if target in by_name:
                users[by_name[target]].add(path)

    def visible(path, seen=None) -> set[str]:
        seen = set() if seen is None else seen
        names = set(sets[path])
        for user in users[path] - seen:
            seen.add(user)
            names |= visible(user, seen)
        return names

    out = []
    for path, tree in trees.items():
        filters = set(plain.filters) if path.name == RULEBOOK else documents
        found = {}
        for node in tree.find_all(nodes.Filter):
            if node.name not in filters:
                found.setdefault(("filter", node.name), node.lineno)
        for node in tree.find_all(nodes.Test):
            if node.name not in plain.tests:
                found.setdefault(("test", node.name), node.lineno)
        if path.name != RULEBOOK:
            env = tree.environment                 # every filter and test known, to compile
            env.filters.update({name: str for kind, name in found if kind == "filter"}
                               | {name: str for name in documents - set(env.filters)})
            env.tests.update({name: bool for kind, name in found if kind == "test"})
            unknown = meta.find_undeclared_variables(tree) - given - visible(path)
            for node in tree.find_all(nodes.Name):
                if node.ctx == "load" and node.name in unknown:
                    found.setdefault(("name", node.name), node.lineno)
        for (kind, name), line in sorted(found.items(), key=lambda x: x[1]):
            what = {"name": f"the name '{name}', which the documents do not provide",
                    "filter": f"the filter '{name}', which is not registered",
                    "test": f"the test '{name}', which is not registered"}[kind]
            hint = ("the documents provide: " + ", ".join(sorted(set(CONTEXT_NAMES) |
                                                              set(OPINION_CONTEXT_NAMES)))
                    + " (docs/documents.md)") if kind == "name" else \
                "filters: " + ", ".join(sorted(filters)) if kind == "filter" else \
                "tests: " + ", ".join(sorted(plain.tests))
            out.append(Finding("error", f"template uses {what}", str(path), line, 1, hint,
                               None, "template"))
    return out


def _remote_references(text: str, path: Path) -> list[Finding]:
    """A <link>, src or @import that loads from the network (documents fetch nothing)."""
    out = []
    pattern = re.compile(r"""(?:@import\s+(?:url\()?|<link[^>]*href=|src=|url\()\s*["']?\s*"""
                         r"""((?:https?:)?//|ftp:|file:)""", re.I)
    for m in pattern.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append(Finding("error", "template or style sheet loads a remote resource",
                           str(path), line, 1, "put the file in templates/assets/ and refer to "
                           "it by its name", None, "template"))
    return out


def _check_strings(path: Path) -> list[Finding]:
    """templates/strings.yaml: readable YAML, and every text in both languages."""
    from . import yamlio

    if not path.is_file():
        return []
    try:
        data = yamlio.load(path)
    except AssessError as exc:
        return _from_error(exc, "template")
    out = []

    def walk(node, where):
        if isinstance(node, dict):
            keys = set(node)
            if ("zh" in keys or "en" in keys) and not keys - {"zh", "en"}:
                for lang in ("zh", "en"):
                    if lang not in keys:
                        file, line, col = node.pos() if hasattr(node, "pos") else (str(path), None, None)
                        out.append(Finding("error", f"'{where}' has no {lang}: text", file, line,
                                           col, "every text exists in Chinese and English",
                                           None, "template"))
                return
            for k, v in node.items():
                walk(v, f"{where}.{k}" if where else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")
    walk(data, "")
    return out


# =========================================================================== never fires / conflicts

def _culprits(solver: Solver, rule) -> list:
    """Items of a top-level `all` whose removal makes the condition satisfiable."""
    items = rule.when.items if isinstance(rule.when, All) else ()
    out = []
    for i, item in enumerate(items):
        rest = All(items[:i] + items[i + 1:], rule.when.loc) if len(items) > 1 else None
        if rest is None:
            continue
        try:
            if solver.satisfy([(rest, rule.on)]) is not None:
                out.append(item)
        except Budget:
            pass
    return out


def _cond_short(cond) -> str:
    from .coverage import atom_text
    if isinstance(cond, Atom):
        return atom_text(cond)
    if isinstance(cond, Not):
        return f"not ({_cond_short(cond.item)})"
    word = "all" if isinstance(cond, All) else "any"
    return f"{word}({', '.join(_cond_short(i) for i in cond.items)})"


def check_never_fires(pack: RulePack, solver: Solver) -> list[Finding]:
    out = []
    for rule in pack.rules:
        try:
            found = solver.satisfy([(rule.when, rule.on)])
        except Budget:
            continue
        if found is None:
            culprits = _culprits(solver, rule)
            hint = ("these conditions contradict the others: " +
                    "; ".join(f"{_cond_short(c)} (line {c.loc.line})" for c in culprits)
                    if culprits else "a fact is tested against a value and its negation, or a "
                                     "number against an impossible range")
            out.append(_at(rule.loc, "error", f"rule '{rule.id}' can never fire: no facts make "
                                              f"its condition true", hint=hint,
                           article=", ".join(rule.cites), code="never-fires"))
    return out


def check_conflicts(pack: RulePack, solver: Solver) -> list[Finding]:
    out = []
    for fid, rules in pack.concluders().items():
        for i, r1 in enumerate(rules):
            for r2 in rules[i + 1:]:
                v1 = dict(r1.then)[fid]
                v2 = dict(r2.then)[fid]
                if v1 == v2:
                    continue
                try:
                    found = solver.satisfy([(r1.when, r1.on), (r2.when, r2.on)])
                except Budget:
                    continue
                if found is not None:
                    out.append(_at(r2.loc, "error",
                                   f"rules '{r1.id}' ({fid} = {v1}) and '{r2.id}' ({fid} = {v2}) "
                                   f"can both fire on the same facts: {solver.describe(found)}",
                                   hint=f"make their conditions exclude each other (first rule "
                                        f"at {r1.loc})",
                                   article=", ".join(dict.fromkeys(r1.cites + r2.cites)),
                                   code="conflict"))
    return out


# =========================================================================== the whole pack

def solver_for(pack: RulePack, lib=None, **kw) -> Solver:
    """A Solver using the parameter values and amount standards of the statutes."""
    params = {}
    rows = None
    if lib is not None:
        for pid, parameter in getattr(lib, "parameters", {}).items():
            values = []
            for v in getattr(parameter, "values", ()) or ():
                x = getattr(v, "value", v)
                if isinstance(x, (int, float)) and not isinstance(x, bool):
                    values.append(float(x))
            if values:
                params[pid] = values
        try:
            from .boundaries import threshold_rows
            rows = []
            bands = ("large", "huge", "especially_huge")
            for row in threshold_rows(lib):
                if not all(row.values.get(b) is not None for b in bands):
                    continue
                for end in (0, 1):
                    rows.append(tuple(float(v[end] if isinstance(v, tuple) else v)
                                      for v in (row.values[b] for b in bands)))
        except Exception:                         # noqa: BLE001 - the table is checked apart
            rows = None
    return Solver(pack, params, rows or None, **kw)


def national_ranges(lib) -> list[tuple]:
    """(large, huge, especially_huge) at the ends of the national ranges, if the table has them."""
    out = []
    table = getattr(lib, "thresholds", None)
    national = getattr(table, "national", None)
    if national:
        try:
            lo = tuple(national[b][0] for b in ("large", "huge", "especially_huge"))
            hi = tuple(national[b][1] for b in ("large", "huge", "especially_huge"))
            out += [lo, hi]
        except (KeyError, TypeError, IndexError):
            pass
    return out


def check_pack(base: str | Path | None = None) -> list[Finding]:
    """Every finding about the pack at `base` (default: the shipped pack), errors first."""
    from . import paths
    from .model import load_rulepack

    home = paths.home(base)
    findings: list[Finding] = []
    if not (home / "rules").is_dir():
        raise AssessError("not a pack folder: no rules/ in it", file=str(home),
                          hint="make one with `assess rules init DIR`")
    lib = None
    try:
        from .statutes import load_library
        lib = load_library(paths.statutes_dir(base))
    except AssessError as exc:
        findings += _from_error(exc, "statutes")
    pack = None
    try:
        pack = load_rulepack(paths.rules_dir(base),
                             set(lib.parameters) if lib is not None else None)
    except AssessError as exc:
        findings += one_per_value(_from_error(exc, "rules"), paths.rules_dir(base))
    findings += check_templates(paths.templates_dir(base))
    if lib is not None:
        findings += check_thresholds(lib)
    if pack is not None:
        where = _Positions()
        findings += check_questions(pack, home)
        if lib is not None:
            solver = solver_for(pack, lib)
            findings += check_facts(pack, lib)
            findings += check_citations(pack, lib, solver, where)
            findings += check_never_fires(pack, solver)
            findings += check_conflicts(pack, solver)
        else:                              # without the parameters and amount standards every
            findings.append(Finding(       # rule comparing with one would seem never to fire
                "note", "the statutes did not load: the checks of unused facts, citations, "
                        "rules that never fire and conflicts were skipped",
                str(paths.statutes_dir(base)), None, None,
                "fix the errors above and run the check again", None, "skipped"))
        try:
            findings += [_relocate_wording(f, pack, where)
                         for f in check_wording(pack, paths.rules_dir(base))]
        except AssessError as exc:
            findings += _from_error(exc, "wording")
    else:
        findings.append(Finding("note", "the rules did not load: the checks of conditions, "
                                        "citations, conflicts and wording were skipped",
                                str(paths.rules_dir(base)), None, None,
                                "fix the errors above and run the check again", None, "skipped"))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order.get(f.severity, 9), f.file or "", f.line or 0, f.col or 0))
    return findings


_NOT_CONCLUDED = re.compile(r"^derived fact '([^']+)' is concluded by no rule$")


def one_per_value(findings: list[Finding], rules_dir: Path) -> list[Finding]:
    """The rule loader's errors, one per bad value: a derived fact reported as concluded by no
    rule although a rule file concludes it (that rule failed to load, and its own error is
    reported) is dropped, and the same message at several places (a misspelled parameter id
    every rule refers to) becomes one finding at the first place, listing the others."""
    concluded = _raw_conclusions(rules_dir)
    kept: list[Finding] = []
    first: dict[tuple, Finding] = {}
    others: dict[tuple, list[str]] = {}
    for f in findings:
        m = _NOT_CONCLUDED.match(f.message)
        if m and m.group(1) in concluded:
            continue
        key = (f.severity, f.message)
        if key in first:
            others[key].append(f.location)
            continue
        first[key], others[key] = f, []
        kept.append(f)
    for key, places in others.items():
        if places:
            f = first[key]
            also = f"also at {', '.join(places)}"
            f.hint = f"{f.hint}; {also}" if f.hint else also
    return kept


def _raw_conclusions(rules_dir: Path) -> set[str]:
    """The facts the rule files conclude as written (`then:` keys), read without validation."""
    from .yamlio import load

    out: set[str] = set()
    for path in sorted(Path(rules_dir).glob("*.yaml")):
        if path.name in ("facts.yaml", "questions.yaml", "wording.yaml"):
            continue
        try:
            data = load(path)
        except AssessError:
            continue
        items = data.get("rules") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            then = item.get("then") if isinstance(item, dict) else None
            if isinstance(then, dict):
                out |= {str(k) for k in then}
    return out


def _relocate_wording(f: Finding, pack, where: _Positions) -> Finding:
    """Point wording warnings about the whole rule at its `wording:` line."""
    if f.severity == "warning" and f.code == "wording":
        for rule in pack.rules:
            if f"rule '{rule.id}'" in f.message:
                loc = where.key(rule, "wording")
                f.file, f.line, f.col = loc.file, loc.line, loc.col
    return f


# =========================================================================== questions

# The case-file fields (docs/case-format.md) that assess/facts.py computes each case fact from.
FACT_FIELDS = {
    # the photo analysis (case field evidence_analysis) is made from the photo files the
    # interview asks for (the evidence files; buyer photos per request, listing photos)
    **{f: ("evidence.file", "incidents.photos") for f in (
        "evidence_analysed", "ai_label_present", "ai_label", "ai_label_producer_known",
        "c2pa_ai_source", "photo_derived_from_listing", "changed_region_found")},
    "has_fraud_incident": ("incidents.photo_method", "incidents.goods_defective"),
    "photos_fabricated": ("incidents.photo_method",),
    "photo_method": ("incidents.photo_method",),
    "goods_defective": ("incidents.goods_defective",),
    "refund_paid": ("incidents.refund_paid",),
    "fraud_amount": ("incidents.amount",),
    "fraud_amount_paid": ("incidents.amount", "incidents.refund_paid"),
    "fraud_incident_count": ("incidents",),
    "criminal_amount_obtained": ("incidents.amount", "incidents.refund_paid"),
    "admin_amount_obtained": ("incidents.amount", "incidents.refund_paid"),
    "criminal_money_outstanding": ("amount_returned", "restitution", "incidents.refund_paid"),
    "admin_money_outstanding": ("amount_returned", "restitution", "incidents.refund_paid"),
    "incidents_added_up": ("incidents.date", "incidents.handled"),
    "aggregation_window_start": ("incidents.date",),
    "aggregation_window_end": ("incidents.date",),
    "incidents_outside_window": ("incidents.date",),
    "fraud_amount_outside_window": ("incidents.date", "incidents.amount"),
    "unhandled_fraud_incident": ("incidents.handled",),
    "incidents_handled": ("incidents.handled",),
    "fraud_amount_handled": ("incidents.handled", "incidents.amount"),
    "fraud_amount_before_criminal_age": ("buyer.birth_date", "incidents.amount"),
    "amount_outstanding": ("amount_returned", "restitution", "incidents.refund_paid"),
    "buyer_age": ("buyer.age", "buyer.birth_date"),
    "buyer_age_first": ("buyer.age", "buyer.birth_date"),
    "buyer_criminal_age": ("buyer.age", "buyer.birth_date"),
    "buyer_criminal_age_first": ("buyer.age", "buyer.birth_date"),
    "criminal_age_first": ("buyer.age", "buyer.birth_date"),
    "criminal_age_last": ("buyer.age", "buyer.birth_date"),
    "admin_age_first": ("buyer.age", "buyer.birth_date"),
    "near_relative": ("buyer.near_relative",),
    "pregnant_or_nursing": ("buyer.pregnant_or_nursing",),
    "first_admin_violation": ("buyer.prior_penalties",),
    "months_since_prior_admin_penalty": ("buyer.prior_penalties",),
    "months_since_last_act": ("incidents.date",),
    "months_last_act_to_report": ("police_report_date", "incidents.date"),
    "years_since_merchant_learned": ("merchant_learned_date",),
    "years_since_first_conduct": ("incidents.date",),
    "refund_approval": ("platform.refund_approval",),
    "conduct_date": ("incidents.date",),
    "first_conduct_date": ("incidents.date",),
    "decision_date": ("as_of",),
    "threshold_large": ("place", "incidents.date"),
    "threshold_huge": ("place", "incidents.date"),
    "threshold_especially_huge": ("place", "incidents.date"),
    "threshold_known": ("place", "incidents.date"),
    "threshold_changed": ("place", "incidents.date"),
    "threshold_other_serious": ("place", "incidents.date"),
    "threshold_other_especially_serious": ("place", "incidents.date"),
    "local_other_serious_set": ("place", "incidents.date"),
    "local_standard": ("place", "incidents.date"),
}
NOT_ASKED = {"decision_date"}           # the as-of date is given on the command line


def fact_fields(fid: str) -> tuple[str, ...]:
    if fid in FACT_FIELDS:
        return FACT_FIELDS[fid]
    if "_edition_at_" in fid:
        return ("incidents.date",)
    return (fid,)


def _strings(node, keys=("field", "fields", "sets", "set", "fact", "facts", "path", "writes")):
    """Every string under one of `keys` anywhere in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys:
                if isinstance(v, str):
                    yield v
                elif isinstance(v, dict):
                    yield from (str(x) for x in v.keys())
                    yield from _strings(v, keys)
                elif isinstance(v, list):
                    for x in v:
                        if isinstance(x, str):
                            yield x
                        else:
                            yield from _strings(x, keys)
            else:
                yield from _strings(v, keys)
    elif isinstance(node, list):
        for x in node:
            yield from _strings(x, keys)


def _norm_field(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", path).replace(".*", "").strip(".")


def asked_fields(home: Path) -> tuple[set[str] | None, Path]:
    """The case fields the questions of rules/questions.yaml set (None: no questions file)."""
    from .yamlio import load

    path = home / "rules" / "questions.yaml"
    if not path.is_file():
        return None, path
    data = load(path)
    return {_norm_field(s) for s in _strings(data)}, path


def check_questions(pack: RulePack, home: Path) -> list[Finding]:
    try:
        fields, path = asked_fields(home)
    except AssessError as exc:
        return _from_error(exc, "questions")
    if fields is None:
        return [Finding("note", "no rules/questions.yaml: the check that every case fact is "
                                "asked by some question was skipped", str(path), None, None,
                        None, None, "skipped")]
    try:                                   # the questions module's own validation, if any
        from . import questions as qmod
        loader = getattr(qmod, "load_questions", None)
        if loader is not None:
            try:
                loader(path, pack) if loader.__code__.co_argcount >= 2 else loader(path)
            except TypeError:
                loader(path)
    except ImportError:
        pass
    except AssessError as exc:
        return _from_error(exc, "questions")
    read = {name for r in pack.rules for name in facts_used(r.when)}
    out = []
    for fid, fact in pack.facts.items():
        if fact.origin != "case" or fid in NOT_ASKED or fid not in read:
            continue
        wanted = fact_fields(fid)
        if any(w in fields or fid in fields or w.split(".")[-1] in fields or
               any(f.endswith("." + w.split(".")[-1]) for f in fields) for w in wanted):
            continue
        out.append(_at(fact.loc, "warning",
                       f"no question asks for '{fid}' (case field "
                       f"{' or '.join(wanted)}); a rule reads it, so an interview leaves it "
                       f"unknown", hint=f"add a question setting {wanted[0]} to "
                                        f"rules/questions.yaml", code="unasked"))
    return out


# =========================================================================== amount tables

def check_thresholds(lib) -> list[Finding]:
    """Gaps and overlaps of the amount standards by province (and city tier) and date."""
    try:
        from .boundaries import threshold_rows
        rows = threshold_rows(lib)
    except AssessError as exc:
        return _from_error(exc, "thresholds")
    except ImportError:
        return []
    out = []
    basis = lib.thresholds.basis_label or lib.thresholds.basis
    groups: dict[tuple, list] = {}
    for row in rows:
        if row.kind == "national" or row.when:
            continue                       # the loader checks the ranges and alternatives
        groups.setdefault((row.province, row.tier_key), []).append(row)
    for (province, tier), items in groups.items():
        items.sort(key=lambda r: r.start or date.min)
        for a, b in zip(items, items[1:]):
            a_end = a.end or date.max
            b_start = b.start or date.min
            if b_start <= a_end:
                out.append(Finding("error", f"amount standards overlap for {b.label}: "
                                            f"{_span(a.start, a.end)} and {_span(b.start, b.end)}",
                                   b.file, b.line, b.col,
                                   "end the earlier entry the day before the later one starts",
                                   basis, "threshold"))
            elif (b_start - a_end).days > 1:
                from datetime import timedelta
                out.append(Finding("error", f"gap in the amount standards for {b.label}: nothing "
                                            f"applies {_span(a_end + timedelta(days=1), b_start - timedelta(days=1))}",
                                   b.file, b.line, b.col,
                                   "make the later entry start the day after the earlier one "
                                   "ends, or add an entry for the gap",
                                   basis, "threshold"))
        for row in items:
            vals = [row.values.get(b) for b in ("large", "huge", "especially_huge")]
            if all(v is not None for v in vals) and not vals[0] < vals[1] < vals[2]:
                out.append(Finding("error", f"amount standards of {row.label} "
                                            f"({_span(row.start, row.end)}) are not increasing: "
                                            f"{' / '.join(f'{v:g}' for v in vals)}",
                                   row.file, row.line, row.col,
                                   "数额较大 < 数额巨大 < 数额特别巨大", basis,
                                   "threshold"))
    return out
