"""The rule model (assess/model.py) compiled to Polars column expressions.

Nothing of the law is written here: every rule of rules/*.yaml is translated, condition by
condition, from the same RulePack the single-case evaluator runs (assess/evaluator.py), and the
numbers it compares with are the facts and parameters the screening reads from statutes/.

Encoding of the three truth values in one Int8 column (Kleene logic becomes arithmetic):

    no = 0, unknown = 1, yes = 2;   and = min, or = max, not = 2 - x

Facts as columns (one row per buyer):
- yesno fact F:           column "F" (Int8 as above)
- choice fact F, value v: column "F=v" (Int8: the membership of v)
- amount / number / date: columns "F.lo" and "F.hi" (Float64, the interval; dates as ordinals)
- parameter P at date D:  columns "P@D.lo" and "P@D.hi" (the same number twice)
A rule's status is the column "rule:<id>"; derived facts are combined from the rules concluding
them exactly as evaluator.combine does.
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..evaluator import param_key
from ..model import NO, UNKNOWN, YES, All, AnyOf, Atom, Cond, Not, Rule, RulePack, leaves

TRI = {NO: 0, UNKNOWN: 1, YES: 2}
TRI_NAME = {v: k for k, v in TRI.items()}
_N, _U, _Y = (pl.lit(v, dtype=pl.Int8) for v in (0, 1, 2))


def lo(name: str) -> str:
    return f"{name}.lo"


def hi(name: str) -> str:
    return f"{name}.hi"


def member(fact: str, value: str) -> str:
    return f"{fact}={value}"


def rule_col(rule_id: str) -> str:
    return f"rule:{rule_id}"


def fact_columns(pack: RulePack, fid: str) -> list[str]:
    """The columns that hold one fact."""
    fact = pack.facts[fid]
    if fact.type == "yesno":
        return [fid]
    if fact.type == "choice":
        return [member(fid, v) for v in fact.values]
    return [lo(fid), hi(fid)]


def param_columns(ref: str, on: str) -> list[str]:
    key = param_key(ref, on)
    return [lo(key), hi(key)]


def _not(x: pl.Expr) -> pl.Expr:
    return (_Y - x).cast(pl.Int8)


def _all(items: list[pl.Expr]) -> pl.Expr:
    return pl.min_horizontal(items).cast(pl.Int8) if len(items) > 1 else items[0]


def _any(items: list[pl.Expr]) -> pl.Expr:
    return pl.max_horizontal(items).cast(pl.Int8) if len(items) > 1 else items[0]


def _tri(sure: pl.Expr, possible: pl.Expr) -> pl.Expr:
    return pl.when(sure).then(_Y).when(possible).then(_U).otherwise(_N)


def _compare(op: str, x: tuple[pl.Expr, pl.Expr], y: tuple[pl.Expr, pl.Expr]) -> pl.Expr:
    """evaluator._cmp on intervals."""
    (xl, xh), (yl, yh) = x, y
    if op == ">=":
        return _tri(xl >= yh, xh >= yl)
    if op == ">":
        return _tri(xl > yh, xh > yl)
    if op == "<=":
        return _tri(xh <= yl, xl <= yh)
    if op == "<":
        return _tri(xh < yl, xl < yh)
    raise ValueError(op)                                 # pragma: no cover - the loader forbids it


def atom_expr(atom: Atom, pack: RulePack, on: str) -> pl.Expr:
    """evaluator.eval_atom as an expression."""
    fact = pack.facts[atom.fact]
    if atom.op == UNKNOWN:
        if fact.type == "yesno":
            return pl.when(pl.col(atom.fact) == 1).then(_Y).otherwise(_N)
        cols = [pl.col(member(atom.fact, v)) for v in fact.values]
        return pl.when((pl.max_horizontal(cols) == 1)).then(_Y).otherwise(_N)
    if atom.op == "in":
        if fact.type == "yesno":
            x = pl.col(atom.fact)
            wanted = [TRI[v] for v in atom.values]
            return pl.when(x == 1).then(_U).when(x.is_in(wanted)).then(_Y).otherwise(_N)
        return _any([pl.col(member(atom.fact, v)) for v in atom.values])
    x = (pl.col(lo(atom.fact)), pl.col(hi(atom.fact)))
    if atom.ref in pack.facts:
        y = (pl.col(lo(atom.ref)), pl.col(hi(atom.ref)))
    else:
        a, b = param_columns(atom.ref, on)
        y = (pl.col(a), pl.col(b))
    return _compare(atom.op, x, y)


def cond_expr(cond: Cond, pack: RulePack, on: str) -> pl.Expr:
    """evaluator.eval_cond as an expression."""
    if isinstance(cond, Atom):
        return atom_expr(cond, pack, on)
    if isinstance(cond, Not):
        return _not(cond_expr(cond.item, pack, on))
    items = [cond_expr(item, pack, on) for item in cond.items]
    if isinstance(cond, All):
        return _all(items)
    if isinstance(cond, AnyOf):
        return _any(items)
    raise TypeError(cond)                                # pragma: no cover


def _status_any(rules: list[Rule], fid: str, value: str, status: int) -> pl.Expr:
    hits = [pl.col(rule_col(r.id)) == status for r in rules if (fid, value) in r.then]
    return pl.any_horizontal(hits) if hits else pl.lit(False)


def combine_exprs(pack: RulePack, rules: list[Rule], targets: set[str]) -> dict[str, pl.Expr]:
    """evaluator.combine: the columns of the derived facts `targets` from the rule statuses.
    Two different definite values of one fact (an error of the rules the evaluator reports) set
    the column "conflict" of the buyer, who is then routed to the evaluator."""
    out: dict[str, pl.Expr] = {}
    conflicts = []
    for fid in sorted(targets):
        fact = pack.facts[fid]
        values = (YES, NO) if fact.type == "yesno" else fact.values
        sure = {v: _status_any(rules, fid, v, 2) for v in values}
        maybe = {v: _status_any(rules, fid, v, 1) for v in values}
        n_sure = pl.sum_horizontal([s.cast(pl.Int8) for s in sure.values()])
        conflicts.append(n_sure > 1)
        if fact.type == "yesno":
            default = fact.default or NO
            others = [maybe[v] for v in values if v != default]
            expr = pl.when(sure[YES]).then(_Y).when(sure[NO]).then(_N)
            if others:
                expr = expr.when(pl.any_horizontal(others)).then(_U)
            out[fid] = expr.otherwise(pl.lit(TRI[default], dtype=pl.Int8))
        else:
            any_sure = pl.any_horizontal(list(sure.values()))
            any_maybe = pl.any_horizontal(list(maybe.values()))
            for v in values:
                is_default = pl.lit(v == fact.default)
                out[member(fid, v)] = (
                    pl.when(any_sure).then(pl.when(sure[v]).then(_Y).otherwise(_N))
                    .when(any_maybe).then(pl.when(maybe[v] | is_default).then(_U).otherwise(_N))
                    .otherwise(pl.when(is_default).then(_Y).otherwise(_N)))
    out["conflict"] = pl.any_horizontal(conflicts) if conflicts else pl.lit(False)
    return out


@dataclass
class CompiledPack:
    """The rule pack as a list of stages: each stage is one `with_columns` (the rule statuses of
    a stratum, then the derived facts final after it); `splits`: the facts split by cases
    (split_facts) and the stages that depend on each (downstream)."""
    pack: RulePack
    stages: list[dict[str, pl.Expr]]
    splits: list[tuple[str, list[dict[str, pl.Expr]]]]

    def apply(self, frame: pl.LazyFrame | pl.DataFrame):
        conflict = pl.lit(False)
        for stage in self.stages:
            stage = dict(stage)
            if "conflict" in stage:
                conflict = conflict | stage.pop("conflict")
                stage["conflict"] = conflict
            frame = frame.with_columns(**stage)
        return frame

    def after(self, fids: frozenset) -> list[dict[str, pl.Expr]]:
        """downstream(fids), compiled once."""
        cache = self.__dict__.setdefault("_after", {})
        if fids not in cache:
            cache[fids] = downstream(self.pack, fids)
        return cache[fids]

    def split(self, frame: pl.DataFrame, key: str, undecided: list[str]) -> pl.DataFrame:
        """Reasoning by cases on the split facts, one at a time, for the rows (key: one per
        buyer) where the fact is unknown and a column of `undecided` is too: the stages that
        depend on it run once with the fact "no" and once "yes" (by_cases)."""
        for fid, stages in self.splits:
            todo = frame.lazy().filter((pl.col(fid) == 1)
                                       & pl.any_horizontal([pl.col(c) == 1 for c in undecided])) \
                .select(key).collect()
            if todo.height:
                cases = pl.concat([todo.select(key, pl.lit(v, dtype=pl.Int8).alias(fid))
                                   for v in (0, 2)])
                frame = by_cases(frame, key, cases, stages)
        return frame


def by_cases(frame: pl.DataFrame, key: str, cases: pl.DataFrame,
             stages: list[dict[str, pl.Expr]]) -> pl.DataFrame:
    """`frame` (one row per key) with the columns of `stages` decided by cases: `cases` holds
    one row per case of a key (the key and the values its case gives some columns), the stages
    run on each case, and a column unknown in the row is decided where every case of its key
    decides it alike.  Sound when the cases of a key cover every completion of its unknowns."""
    cols = [c for stage in stages for c in stage]
    given = [c for c in cases.columns if c != key]
    reads = {name for stage in stages for e in stage.values() for name in e.meta.root_names()}
    rows = cases.join(frame.select(key, *sorted(reads - set(given) - set(cols) - {key})),
                      on=key)
    for stage in stages:
        rows = rows.with_columns(**stage)
    decided = rows.group_by(key).agg(
        **{f"{c}~min": pl.col(c).min() for c in cols}, **{f"{c}~max": pl.col(c).max() for c in cols})
    # the keys' rows in `frame`, their new values, and these set in place of the old (a join
    # with `frame`, as DataFrame.update does, would copy every column of it)
    new = frame.select(key, *cols).with_row_index("~row").join(decided, on=key).select(
        "~row", **{c: pl.when(pl.col(c) != 1).then(pl.col(c))
                   .when(pl.col(f"{c}~min") == 2).then(_Y)
                   .when(pl.col(f"{c}~max") == 0).then(_N).otherwise(_U) for c in cols})
    at = new["~row"]
    schema = frame.schema                   # (built anew on each call: once, not per column)
    return frame.with_columns(frame[c].clone().scatter(at, new[c].cast(schema[c]))
                              for c in cols)


def _polarity(cond: Cond, negated: bool, out: dict[str, set[str]], pack: RulePack) -> None:
    """The values each yes/no fact of a condition is required to have somewhere in it."""
    if isinstance(cond, Atom):
        if pack.facts[cond.fact].type == "yesno" and cond.op == "in":
            values = set(cond.values)
            out.setdefault(cond.fact, set()).update({YES, NO} - values if negated else values)
    elif isinstance(cond, Not):
        _polarity(cond.item, not negated, out, pack)
    else:
        for item in cond.items:
            _polarity(item, negated, out, pack)


def split_facts(pack: RulePack, outputs: tuple[str, ...]) -> list[str]:
    """The yes/no facts that the rules concluding one of `outputs` read with both values (civil:
    revocation while the right has not lapsed, restitution after it lapsed).  Three-valued logic
    leaves "X or not X" open while X is unknown; splitting X, as reasoning by cases does
    (assess/cases.py), decides it."""
    reads: list[dict[str, set[str]]] = []
    for rule in pack.rules:
        if any(fid in outputs for fid, _ in rule.then):
            reads.append({})
            _polarity(rule.when, False, reads[-1], pack)
    both: dict[str, set[str]] = {}
    for values in reads:
        for fid, v in values.items():
            both.setdefault(fid, set()).update(v)
    return list(dict.fromkeys(fid for values in reads for fid in values
                              if both[fid] >= {YES, NO}))


def downstream(pack: RulePack, fid: str | frozenset) -> list[dict[str, pl.Expr]]:
    """The stages of the compiled pack that depend on the fact `fid` (or any of a set: the rules
    reading it, the facts they conclude, the rules reading those, ...), in stratum order: what
    changes when `fid` is given a value."""
    given = {fid} if isinstance(fid, str) else set(fid)
    affected_facts = set(given)
    affected_rules: set[str] = set()
    for rules in pack.strata:
        for rule in rules:
            if any(a.fact in affected_facts or a.ref in affected_facts
                   for a in leaves(rule.when)):
                affected_rules.add(rule.id)
                affected_facts.update(f for f, _ in rule.then)
    ready = pack.facts_ready()
    stages: list[dict[str, pl.Expr]] = []
    for k, rules in enumerate(pack.strata):
        mine = {rule_col(r.id): cond_expr(r.when, pack, r.on) for r in rules
                if r.id in affected_rules}
        if mine:
            stages.append(mine)
        done = ready.get(k)
        if done and done[0] & (affected_facts - given):
            combined = combine_exprs(pack, done[1], done[0] & (affected_facts - given))
            combined.pop("conflict")
            stages.append(combined)
    return stages


def compile_pack(pack: RulePack) -> CompiledPack:
    """Every stratum of the pack: its rules' conditions, then evaluator.combine for the derived
    facts whose last concluding rule is in it (RulePack.facts_ready), as in evaluator.run."""
    ready = pack.facts_ready()
    stages: list[dict[str, pl.Expr]] = []
    for k, rules in enumerate(pack.strata):
        stages.append({rule_col(r.id): cond_expr(r.when, pack, r.on) for r in rules})
        done = ready.get(k)
        if done:
            stages.append(combine_exprs(pack, done[1], done[0]))
    from ..assessment import TRACK_FACT
    splits = [(fid, downstream(pack, fid))
              for fid in split_facts(pack, tuple(TRACK_FACT.values()) + ("criminal_band",))]
    return CompiledPack(pack, stages, splits)


def case_fact_columns(pack: RulePack) -> list[str]:
    """Every column the compiled pack reads: the case facts and the parameters."""
    cols = []
    for fid, fact in pack.facts.items():
        if fact.origin == "case":
            cols += fact_columns(pack, fid)
    for ref in pack.params:
        for on in ("conduct", "decision"):
            cols += param_columns(ref, on)
    return cols


def encode_facts(pack: RulePack, facts: dict, params: dict) -> dict:
    """One case's facts and parameters (as assess/facts.py gives them) as column values."""
    row: dict = {}
    for fid, fact in pack.facts.items():
        if fact.origin != "case":
            continue
        value = facts[fid]
        if fact.type == "yesno":
            row[fid] = TRI[value]
        elif fact.type == "choice":
            for v in fact.values:
                row[member(fid, v)] = TRI[value[v]]
        else:
            row[lo(fid)], row[hi(fid)] = float(value[0]), float(value[1])
    for ref in pack.params:
        for on in ("conduct", "decision"):
            value = params[param_key(ref, on)]
            a, b = param_columns(ref, on)
            row[a], row[b] = float(value[0]), float(value[1])
    return row


def schema(pack: RulePack) -> dict:
    """Polars dtypes of the columns encode_facts gives."""
    out = {}
    for col in case_fact_columns(pack):
        out[col] = pl.Float64 if col.endswith((".lo", ".hi")) else pl.Int8
    return out
