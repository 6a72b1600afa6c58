"""The screening plan: claims in, one row per buyer out.  The same function runs on one machine
(assess/screen/run.py, on the whole history or on buyer partitions) and inside each partition of
the distributed engine (assess/screen/distributed.py).

    claims (read.py) -> buyer facts (facts.py) -> + place/date facts (law.py, once per pair)
    -> the compiled rule pack (compile.py) -> reasoning by cases where cheap (cases.py)
    -> tracks, band, amount (this module)

What the result means: the three-valued evaluation of the rules on the buyer's case facts,
refined by the cases of cases.py.  A track that is "definite" or "never" here is so in every
completion of the unknowns (both are sound), so `assess evaluate` gives the same or, where it
stopped at its budget, less; a "conditional" track is one that depends on facts the history
does not hold (the intent, how the refund was approved, ...), and `assess evaluate` on the
buyer's case file gives its condition (docs/screening.md).
"""
from __future__ import annotations

from datetime import date

import polars as pl

from ..assessment import BAND_VALUES, TRACK_FACT, TRACK_ORDER
from . import compile as c
from .amounts import claim_lists
from .cases import KEY, columns_read, reason_by_cases
from .facts import CLAIM_FACTS, IN_MEMORY, buyer_facts, window_start, yuan

STATUS = {2: "definite", 1: "conditional", 0: "never"}
FLOOR = date(1900, 1, 1)


def _status(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(STATUS, return_dtype=pl.Utf8)


def evaluate_buyers(claims: pl.LazyFrame, lib, pack, compiled: c.CompiledPack, law,
                    as_of: date) -> pl.DataFrame:
    """The per-buyer result of the good claims (read.read_claims, error is null)."""
    # only the columns the output row and the reasoning by cases read are computed and kept
    keep = columns_read(pack, compiled) | \
        {n for e in summary_exprs(pack, lib) for n in e.meta.root_names()}
    # of the buyer facts, those the rules' conditions, `keep` and the refused buyers' rows read:
    # the others (facts that rules only name in their explanations and deadlines) are not
    # computed
    reads = keep | {"place_text", "window"} | \
        {n for e in failed_exprs() for n in e.meta.root_names()} | \
        {n for stage in compiled.stages for e in stage.values() for n in e.meta.root_names()}
    facts, crime = buyer_facts(claims, lib, as_of)
    facts = facts.with_columns(window=window_start(lib, pl.col("conduct"), FLOOR))
    buyers = facts.select([n for n in facts.collect_schema().names() if n in reads]) \
        .collect(engine=IN_MEMORY)
    table = law.frame(buyers)
    claim_cols = {col for fid in CLAIM_FACTS for col in c.fact_columns(pack, fid)}
    # (only the law's columns read: the join copies each onto every buyer)
    table = table.select([col for col in table.columns if col in reads and col not in claim_cols])
    joined = buyers.join(table, on=["place_text", "window"], how="left", nulls_equal=True)
    ok = joined.lazy().filter(pl.col("law_error").is_null())
    applied = compiled.apply(ok).select(sorted(keep)).collect(engine=IN_MEMORY)
    applied = reason_by_cases(claim_lists(applied, KEY, crime, pack), compiled)
    out = summarise(applied.lazy(), pack, lib).collect(engine=IN_MEMORY)
    failed = joined.filter(pl.col("law_error").is_not_null())
    if failed.height:
        out = pl.concat([out, summarise_failed(failed)], how="diagonal_relaxed")
    return out


def _band_cols(pack) -> dict[str, pl.Expr]:
    bands = [b for b in BAND_VALUES]
    band_col = {b: pl.col(c.member("criminal_band", b)) for b in bands}
    none_col = pl.col(c.member("criminal_band", "none"))
    # "a|b": the bands possible (string functions: list functions are slow on many rows)
    possible = pl.concat_str([pl.when(band_col[b] > 0).then(pl.lit(b)) for b in bands],
                             separator="|", ignore_nulls=True)
    n_possible = pl.sum_horizontal([(band_col[b] > 0).cast(pl.Int8) for b in bands])
    definite = pl.lit(None, pl.Utf8)
    for b in reversed(bands):
        definite = pl.when((n_possible == 1) & (band_col[b] == 2)).then(pl.lit(b)) \
            .otherwise(definite)
    possible = pl.when((none_col > 0) & (n_possible > 0)).then(
        pl.concat_str([possible, pl.lit("none")], separator="|")).when(n_possible == 0) \
        .then(pl.lit("none")).otherwise(possible)
    return {"band": definite, "possible_bands": possible}


def summarise(frame, pack, lib):
    """Tracks, band, amounts and the summary of each buyer as the output row."""
    return frame.select(summary_exprs(pack, lib))


def summary_exprs(pack, lib) -> list[pl.Expr]:
    """The output row's columns as expressions.  The note "law_gap" marks a buyer whose conduct
    date could fall before the first day statutes/ covers once unknown `handled` answers are
    tried: `assess evaluate` may then refuse the case."""
    from ..facts import earliest_conduct_date

    earliest = earliest_conduct_date(lib, pack) or FLOOR
    tracks = {f"{t}": _status(fid) for t, fid in TRACK_FACT.items()}
    primary = pl.lit("none")
    for t in reversed(TRACK_ORDER):
        primary = pl.when(pl.col(TRACK_FACT[t]) > 0).then(pl.lit(t)).otherwise(primary)
    editions = [v for v in pack.facts["psapl_edition_applied"].values]
    edition = pl.lit(None, pl.Utf8)
    for v in reversed(editions):
        edition = pl.when(pl.col(c.member("psapl_edition_applied", v)) == 2).then(pl.lit(v)) \
            .otherwise(edition)
    named = dict(
        # two rules concluding different values of one fact: `assess evaluate` refuses such a
        # case (an error of the rule pack, reported by `assess rules check` too)
        primary_track=pl.when(pl.col("conflict")).then(pl.lit("error")).otherwise(primary),
        decided_by=pl.lit("compiled"),
        **tracks,
        **_band_cols(pack),
        amount_min=pl.col(c.lo("fraud_amount")),
        amount_max=pl.col(c.hi("fraud_amount")),
        obtained_min=pl.col(c.lo("fraud_amount_paid")),
        obtained_max=pl.col(c.hi("fraud_amount_paid")),
        threshold_large_min=pl.col(c.lo("threshold_large")),
        threshold_large_max=pl.col(c.hi("threshold_large")),
        claims=pl.col("n_claims"),
        claims_added_up=pl.col(c.lo("fraud_incident_count")).cast(pl.Int64),
        total_amount=yuan(pl.col("total_cents")),
        first_date=pl.col("first"), last_date=pl.col("last"),
        window_start=pl.col("w_start"), window_end=pl.col("w_end"),
        psapl_edition=edition,
        admin_time_barred=_status("admin_time_barred"),
        place=pl.col("place_text"),
        place_note=pl.col("place_note"),
        note=pl.when(pl.col("conduct_min") < pl.lit(earliest)).then(pl.lit("law_gap")),
        province=pl.col("province"), city=pl.col("city"),
        birth_date=pl.col("birth"),
        error=pl.when(pl.col("conflict")).then(pl.lit(
            "rules conclude different values of one fact on these facts (assess evaluate on "
            "the case file names them)")))
    return [pl.col("buyer_id")] + [e.alias(k) for k, e in named.items()]


def summarise_failed(frame: pl.DataFrame) -> pl.DataFrame:
    """Buyers whose case the core refuses (a conduct date before statutes/ holds every value)."""
    return frame.select(failed_exprs())


def failed_exprs() -> list[pl.Expr]:
    return [
        pl.col("buyer_id"), pl.lit("error").alias("primary_track"),
        pl.lit("compiled").alias("decided_by"),
        pl.col("n_claims").alias("claims"), yuan(pl.col("total_cents")).alias("total_amount"),
        pl.col("first").alias("first_date"), pl.col("last").alias("last_date"),
        pl.col("place_text").alias("place"), pl.col("place_note"),
        pl.col("birth").alias("birth_date"),
        pl.col("law_error").alias("error")]
