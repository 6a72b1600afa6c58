"""`screen_history`: a refund history in, one row per buyer and one case file per flagged buyer
out (what `assess screen` calls).

The history is read once, streaming, into buyer partitions (claims of one buyer always land in
the same partition: a hash of the buyer id), so that memory holds a partition per core (WORKERS),
not the history; each partition then runs the plan (assess/screen/plan.py).  A history of no more
partitions than are screened at once is partitioned in memory (no round trip through the disk).
With
engine="dask" the partitions run as tasks of a Dask graph (assess/screen/distributed.py).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from ..errors import AssessError
from . import read
from .plan import evaluate_buyers

ROWS_PER_PARTITION = 2**19            # claims a partition holds at most, on average (524,288)
ROWS_PER_SLICE = 250_000              # buyers the output is sorted by at once
ROW_GROUP = 20_000                    # rows the streaming engine reads of a work file at once
# work files are read once or twice, whole: fast compression, no statistics; the buyers of a
# partition are written sorted, so that an output slice reads a run of their rows (a slice of the
# file: the row groups outside it are skipped)
WORK_FILE = {"compression": "lz4", "statistics": False, "row_group_size": ROW_GROUP}
BUYER_FILE = {"compression": "lz4", "row_group_size": ROW_GROUP}
OUT_FORMATS = ("csv", "parquet", "jsonl")
WORKERS = min(4, os.cpu_count() or 1)   # partitions screened at once on one machine
BYTES_PER_ROW = {"csv": 60, "jsonl": 150, "parquet": 12}      # about, for the partition count


@lru_cache(maxsize=1)
def strings() -> dict:
    import yaml
    return yaml.safe_load((Path(__file__).parent / "strings.yaml").read_text(encoding="utf-8"))


def compiled(base=None):
    """(lib, pack, compiled pack) of the shipped rules (or of `base`)."""
    from ..assessment import load
    from .compile import compile_pack

    lib, pack = load(base)
    key = id(pack)
    cache = compiled.__dict__.setdefault("cache", {})
    if key not in cache or cache[key][0] is not pack:
        cache[key] = (pack, compile_pack(pack))
    return lib, pack, cache[key][1]


def fmt_amount(x: pl.Expr, top: float | None = None) -> pl.Expr:
    """assessment.fmt_number as an expression: 12,345 or 12,345.60.  With `top` (no value of
    the column above it, none below 0), the thousands separators are put between the groups of
    three digits of the whole yuan (as many groups as `top` has); else by reversing the digits
    around a regular expression (any number; about twice the work)."""
    n = x.floor().cast(pl.Int64)
    cents = ((x - x.floor()) * 100).round(0).cast(pl.Int64)
    if top is None:
        whole = n.cast(pl.Utf8).str.reverse().str.replace_all(r"(\d{3})", "${1},") \
            .str.reverse().str.strip_prefix(",")
    else:
        groups = 1
        while 1000 ** groups <= top:
            groups += 1
        pieces = []             # from the highest group: unpadded in a number that starts there
        for k in range(groups - 1, -1, -1):
            g = n // 1000 ** k if k == groups - 1 else (n // 1000 ** k) % 1000
            digits = g.cast(pl.Utf8)
            if k < groups - 1:
                digits = pl.when(n >= 1000 ** (k + 1)) \
                    .then((g + 1000).cast(pl.Utf8).str.slice(1)).otherwise(digits)
            pieces.append(pl.when(n >= 1000 ** k).then(digits) if k else digits)
        whole = pl.when(n.is_not_null()).then(
            pl.concat_str(pieces, separator=",", ignore_nulls=True))
    return pl.when(cents > 0).then(pl.concat_str([whole, pl.lit("."),
                                                  cents.cast(pl.Utf8).str.zfill(2)])) \
        .otherwise(whole)


def _range(lo: str, hi: str, top: float | None = None, up_to: str = "{amount}") -> pl.Expr:
    """lo, or lo–hi when they differ, or `up_to` filled with hi when lo is 0 (至多7,300, not
    0–7,300; fmt_amount: no value above `top`)."""
    low, high = pl.col(lo), pl.col(hi)
    return pl.when((low == 0) & (high > 0)).then(
        _template(up_to, {"amount": fmt_amount(high, top)})).otherwise(
        pl.concat_str([fmt_amount(low, top), pl.when(low == high).then(
            pl.lit("")).otherwise(pl.concat_str([pl.lit("–"), fmt_amount(high, top)]))]))


def _template(text: str, values: dict[str, pl.Expr]) -> pl.Expr:
    """A string-table text with {placeholders} filled from expressions."""
    pieces, pos = [], 0
    for m in re.finditer(r"\{(\w+)\}", text):
        pieces.append(pl.lit(text[pos:m.start()]))
        pieces.append(values[m.group(1)].cast(pl.Utf8).fill_null("?"))
        pos = m.end()
    pieces.append(pl.lit(text[pos:]))
    return pl.concat_str(pieces)


REASONS = ("error", "criminal_definite", "criminal_conditional", "criminal_other",
           "administrative", "civil", "none")          # the texts of strings.yaml, reasons


def _bands() -> pl.Expr:
    return pl.col("possible_bands").fill_null("").str.split("|").list.set_difference(["none"])


def reason_kind() -> pl.Expr:
    """Which text of REASONS a buyer's row gets."""
    track = pl.col("primary_track")
    return (pl.when(pl.col("error").is_not_null()).then(pl.lit("error"))
            .when((track == "criminal") & (pl.col("criminal") == "definite")
                  & pl.col("band").is_not_null()).then(pl.lit("criminal_definite"))
            .when((track == "criminal") & (_bands().list.len() > 0))
            .then(pl.lit("criminal_conditional"))
            .when(track == "criminal").then(pl.lit("criminal_other"))
            .when(track == "administrative").then(pl.lit("administrative"))
            .when(track == "civil").then(pl.lit("civil"))
            .otherwise(pl.lit("none")))


def _top(rows: pl.DataFrame, columns: tuple[str, ...]) -> float | None:
    """The largest value of `columns` for fmt_amount (None when one is below 0)."""
    ends = rows.select(lo=pl.min_horizontal(pl.col(columns).min()),
                       hi=pl.max_horizontal(pl.col(columns).max())).row(0)
    return None if ends[0] is not None and ends[0] < 0 else (ends[1] or 0)


def with_reasons(buyers: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The one-line reason of each buyer's row, from the string table.  Each text is filled on
    the rows that get it (from the columns it reads), so that the amounts are formatted only
    where a text shows them."""
    s = strings()
    words = s["reasons"]
    band = pl.coalesce(pl.col("band"), _bands().list.first(), pl.lit("large"))
    band_word = band.replace_strict({k: v[lang] for k, v in s["bands"].items()},
                                    default=s["bands"]["large"][lang], return_dtype=pl.Utf8)
    sep = "；" if lang == "zh" else "; "
    notes = {k: sep + v[lang] for k, v in s["notes"].items() if "{" not in v[lang]}
    kinds = buyers.select(reason_kind()).to_series()
    reason = pl.Series("reason", [None] * buyers.height, dtype=pl.Utf8)
    for kind in REASONS:
        mine = kinds == kind
        lo, hi = ("obtained_min", "obtained_max") if kind == "administrative" else \
            ("amount_min", "amount_max")
        if "{amount}" in words[kind][lang]:
            # a buyer whose amount is one number shows it once, and it is formatted once
            one = (buyers[lo] == buyers[hi]).fill_null(False)
            parts = [(mine & one, True), (mine & ~one, False)]
        else:
            parts = [(mine, None)]
        for rows_of, single in parts:
            at = rows_of.arg_true()
            if not at.len():
                continue
            top = _top(buyers.select(lo, hi)[at], (lo, hi)) if single is not None else None
            amount = fmt_amount(pl.col(lo), top) if single else \
                _range(lo, hi, top, s["amount_up_to"][lang])
            values = {"claims": pl.col("claims"), "amount": amount,
                      "band": band_word, "start": pl.col("window_start"),
                      "end": pl.col("window_end"), "error": pl.col("error")}
            text = _template(words[kind][lang], values)
            for col in ("place_note", "note"):
                text = pl.concat_str([text, pl.col(col).replace_strict(
                    notes, default="", return_dtype=pl.Utf8).fill_null("")])
            rows = buyers.select(list(dict.fromkeys(text.meta.root_names())))[at]
            reason = reason.scatter(at, rows.select(text).to_series())
    return buyers.with_columns(reason=reason)


_SUFFIX = {"csv": "csv", "parquet": "parquet", "jsonl": "ndjson"}     # Polars' method names


def _write(frame: pl.DataFrame | pl.LazyFrame, path: Path, fmt: str) -> None:
    """Write a frame (a lazy one through the streaming engine: sink_*) and rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    verb = "sink_" if isinstance(frame, pl.LazyFrame) else "write_"
    getattr(frame, verb + _SUFFIX[fmt])(tmp)
    tmp.replace(path)


def write_ordered(sources: list[pl.LazyFrame], path: Path, fmt: str,
                  slice_rows: int | None) -> None:
    """`ordered` of the buyers of `sources` (one per partition, each sorted in that order)
    written to `path` without holding them whole: the sort keys alone (track, amount, buyer id)
    are sorted to cut the output into slices of `slice_rows` buyers.  A slice's buyers are a
    run of consecutive rows of each source (the sources are sorted alike), so each slice reads
    its runs of rows from the sources one at a time, is sorted, and is written after the one
    before.  Up to `slice_rows` buyers (all, if it is None; the sources need not be sorted then)
    are one slice, without the pass over the keys."""
    r, a, b = _ORDER_KEY
    schema = pl.concat(sources, how="diagonal_relaxed").collect_schema()
    total = sum(src.select(pl.len()).collect().item() for src in sources)
    if not total:
        runs = []
    elif slice_rows is None or total <= slice_rows:
        runs = [[(k, 0, None) for k in range(len(sources))]]
    else:
        keys = pl.concat([src.select(r.alias("r"), a.alias("a"), b.alias("b"))
                          .with_row_index("row").with_columns(source=pl.lit(k, pl.UInt32))
                          .collect() for k, src in enumerate(sources)], how="diagonal_relaxed") \
            .sort("r", "a", "b", descending=[False, True, False])
        spans = keys.select("source", "row", part=pl.int_range(pl.len()) // slice_rows) \
            .group_by("part", "source").agg(start=pl.col("row").min(), rows=pl.len()) \
            .sort("part", "source")
        del keys
        runs = [list(zip(p["source"], p["start"], p["rows"]))
                for p in spans.partition_by("part", maintain_order=True)]

    def gather(run: list[tuple]) -> pl.DataFrame:
        frame = pl.concat([(sources[k] if rows is None else sources[k].slice(start, rows))
                           .collect() for k, start, rows in run], how="diagonal_relaxed")
        return frame.select([pl.col(n).cast(t) for n, t in schema.items()])

    def slices():
        for run in runs:
            yield ordered(gather(run)).with_columns(pl.col(pl.List(pl.Utf8)).list.join("|"))
        if not runs:
            yield gather([(k, 0, None) for k in range(len(sources))])

    def each_slice(write) -> None:
        """write(k, frame) for each slice in order, in a thread of its own, while the next
        slice is gathered and sorted (Polars writes outside the GIL): memory holds two."""
        with ThreadPoolExecutor(max_workers=1) as writer:
            done = None
            for k, frame in enumerate(slices()):
                if done is not None:
                    done.result()
                done = writer.submit(write, k, frame)
            if done is not None:
                done.result()

    if fmt == "parquet":            # one Parquet file from the slices, by the streaming engine
        folder = path.parent / (path.name + ".slices")
        shutil.rmtree(folder, ignore_errors=True)          # left by an interrupted run
        folder.mkdir()
        files: list[Path] = []

        def write_file(k: int, frame: pl.DataFrame) -> None:
            frame.write_parquet(folder / f"{k:05d}.parquet", **WORK_FILE)
            files.append(folder / f"{k:05d}.parquet")
        each_slice(write_file)
        _write(pl.scan_parquet(files), path, fmt)
        shutil.rmtree(folder)
        return
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:      # CSV and JSONL: the slices appended

        def append(k: int, frame: pl.DataFrame) -> None:
            if fmt == "csv":
                frame.write_csv(f, include_header=k == 0)
            else:
                frame.write_ndjson(f)
        each_slice(append)
    tmp.replace(path)


def _partitions(history, mapping, as_of: date, work: Path, at_least: int = 1,
                in_memory: int = 0) -> tuple[list[Path] | list[pl.DataFrame], int]:
    """Read and check every row once, streaming, into partitions by buyer (at least
    `at_least`: one per worker of a parallel engine): parquet files, or, when the history makes
    no more than `in_memory` partitions (as many as are screened at once, so that memory would
    hold them all anyway), frames in memory (no round trip through the disk)."""
    lf = read.scan(history, mapping, work)
    size = Path(history).stat().st_size
    per_row = BYTES_PER_ROW[read.FORMATS[Path(history).suffix.lower()]]
    n = max(at_least, min(256, size // (ROWS_PER_PARTITION * per_row)))
    claims = read.read_claims(lf, as_of).with_columns(
        part=(pl.col("buyer_id").fill_null("").hash(seed=0) % n).cast(pl.UInt32))
    if n <= in_memory:
        # one scan of the history, split as it is read
        frames = pl.collect_all([claims.filter(pl.col("part") == k).drop("part")
                                 for k in range(n)])
        return [f for f in frames if f.height], n
    # small row groups: the sink buffers one per open partition file
    claims.sink_parquet(pl.PartitionBy(work / "claims", key="part", include_key=False),
                        mkdir=True, **WORK_FILE)
    parts = sorted(p for p in (work / "claims").iterdir() if p.is_dir())
    return parts, n


def screen_history(history: str | Path, out: str | Path | None = None, *,
                   as_of: date | None = None, fmt: str = "csv",
                   mapping: dict[str, str] | None = None, lang: str = "zh",
                   engine: str = "polars", cases: bool = True, exact: bool = False,
                   progress=None, base=None) -> dict:
    """Screen a refund history (CSV, JSONL or Parquet; read.py) and write into the folder `out`
    (default: beside the history, <name>-screening/):

    - buyers.<fmt>: one row per buyer (tracks with status definite / conditional / never, band,
      amounts, claims, first and last date, a one-line reason);
    - bad_rows.<fmt>: every row that could not be read, with its number, column and reason;
    - cases/<buyer>.yaml: the case file of each flagged buyer (criminal or administrative
      track possible);
    - summary.json.
    With `exact`, the buyers whose case file has a conditional track are routed to the
    single-case evaluator (refine).  Returns the summary.  `progress(stage, done, total)` is
    called as the work advances."""
    if fmt not in OUT_FORMATS:
        raise AssessError(f"unknown output format '{fmt}'", field="--format",
                          expected=", ".join(OUT_FORMATS))
    if lang not in ("zh", "en"):
        raise AssessError(f"unknown language '{lang}'", field="--lang", expected="zh or en")
    as_of = as_of or date.today()
    history = Path(history)
    out = Path(out) if out else history.with_name(history.stem + "-screening")
    out.mkdir(parents=True, exist_ok=True)
    tick = progress or (lambda *a: None)
    s = strings()
    work = Path(tempfile.mkdtemp(prefix="assess-screen-"))
    try:
        tick("read", 0, 1)
        workers = (os.cpu_count() or 1) if engine == "dask" else 1
        # the history is read (by Polars, outside the GIL) while the rules load and compile
        with ThreadPoolExecutor(max_workers=1) as reader:
            reading = reader.submit(_partitions, history, mapping, as_of, work, workers,
                                    WORKERS if engine == "polars" else 0)
            lib, pack, plan = compiled(base)
            parts, _ = reading.result()
        in_memory = bool(parts) and isinstance(parts[0], pl.DataFrame)
        tick("read", 1, 1)
        (work / "buyers").mkdir()
        kept: list[Path | pl.DataFrame] = []
        bad_parts, rows = [], 0

        def finished(k: int, result):
            """A partition's buyers, finished, to a file: memory holds one partition (per
            worker).  (file, or frame for partitions held in memory, or None; bad rows; number
            of rows)."""
            buyers_k, bad_k, rows_k = result
            where = None
            if buyers_k.height and in_memory:      # sorted once, when written
                where = finish(buyers_k, lang, sort=False)
            elif buyers_k.height:
                where = work / "buyers" / f"{k:05d}.parquet"
                finish(buyers_k, lang).write_parquet(where, **BUYER_FILE)
            return where, bad_k, rows_k

        def keep(done) -> None:
            nonlocal rows
            where, bad_k, rows_k = done
            rows += rows_k
            bad_parts.append(bad_k)
            if where is not None:
                kept.append(where)

        if engine == "dask":
            from .distributed import run_partitions
            for k, result in enumerate(run_partitions(parts, as_of, base)):
                keep(finished(k, result))
        elif engine == "polars":
            from .law import LawTable
            law = LawTable(lib, pack, as_of)
            # a partition's plan runs mostly on one core: one partition per core at a time
            # (Polars works outside the GIL); memory holds that many partitions
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                results = pool.map(lambda k: finished(k, screen_partition(
                    parts[k], as_of, lib, pack, plan, law)), range(len(parts)))
                for k, done in enumerate(results):
                    keep(done)
                    tick("screen", k + 1, len(parts))
        else:
            raise AssessError(f"unknown engine '{engine}'", field="--engine",
                              expected="polars or dask")
        # the finished buyers of each partition: the output is gathered from them in slices
        sources = [_scan(f) for f in kept] or [finish(pl.DataFrame(), lang).lazy()]
        bad = pl.concat(bad_parts, how="diagonal_relaxed") if bad_parts else pl.DataFrame()
        bad = bad_rows(bad, lang)
        written = 0
        if cases:
            # only the flagged buyers are held: they get case files (and, with `exact`, the
            # single-case evaluator)
            flagged = pl.concat([src.filter(pl.col("flagged")).collect() for src in sources],
                                how="diagonal_relaxed")
            ok = write_cases(flagged, parts, out / "cases", as_of, lang, tick)
            good = [b for b, v in ok.items() if v]
            written = len(good)
            names = {b: "cases/" + _name(b) for b in good}
            flagged = flagged.with_columns(case_file=pl.col("buyer_id").replace_strict(
                names, default=None, return_dtype=pl.Utf8))
            from ..case import MAX_INCIDENTS
            note = s["notes"]["too_many"][lang].format(max=MAX_INCIDENTS)
            if flagged.height:          # (no buyer at all: every row was bad, or none given)
                flagged = flagged.with_columns(reason=pl.when(
                    pl.col("flagged") & (pl.col("claims") > MAX_INCIDENTS)).then(
                    pl.col("reason") + ("；" if lang == "zh" else "; ") + note)
                    .otherwise(pl.col("reason")))
                if exact:
                    flagged = refine(flagged, out, as_of, lang, tick)
                flagged = ordered(flagged)
            sources = [src.filter(~pl.col("flagged")).with_columns(
                case_file=pl.lit(None, pl.Utf8)) for src in sources] + [flagged.lazy()]
        stats = pl.concat([src.group_by("primary_track").agg(
            n=pl.len(), flagged=pl.col("flagged").sum().cast(pl.Int64)).collect()
            for src in sources], how="diagonal_relaxed").group_by("primary_track").sum()
        # partitions held in memory are one slice (unsorted: sorted once, as it is written)
        write_ordered(sources, out / f"buyers.{fmt}", fmt, None if in_memory else ROWS_PER_SLICE)
        _write(bad, out / f"bad_rows.{fmt}", fmt)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tracks = dict(zip(stats["primary_track"].to_list(), stats["n"].to_list()))
    counts = {t: int(tracks.get(t, 0)) for t in ("criminal", "administrative", "civil", "none",
                                                 "error")}
    n_buyers = int(stats["n"].sum()) if stats.height else 0
    summary = {"history": str(history), "out": str(out), "as_of": as_of.isoformat(),
               "engine": engine, "rows": rows, "bad_rows": bad.height,
               "buyers": n_buyers, "flagged": int(stats["flagged"].sum()) if stats.height else 0,
               "primary_tracks": counts, "case_files": written,
               "files": {"buyers": f"buyers.{fmt}", "bad_rows": f"bad_rows.{fmt}",
                         "cases": "cases/"}}
    summary["message"] = s["summary"][lang].format(
        rows=rows, bad=bad.height, buyers=n_buyers, criminal=counts["criminal"],
        administrative=counts["administrative"], cases=written, out=out)
    from ..case import write_atomic
    write_atomic(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                 "the summary")
    return summary


def _name(buyer_id: str) -> str:
    from .casefiles import file_name
    return file_name(buyer_id)


def _scan(part: Path | pl.DataFrame) -> pl.LazyFrame:
    """A partition (a folder of parquet files), a buyer file, or a frame in memory."""
    if isinstance(part, pl.DataFrame):
        return part.lazy()
    return pl.scan_parquet(part / "*.parquet" if part.is_dir() else part)


def screen_partition(part: Path | pl.DataFrame, as_of: date, lib, pack, plan, law):
    """(buyers, bad rows, number of rows) of one partition of claims."""
    claims = _scan(part)
    good = claims.filter(pl.col("error").is_null())
    bad = claims.filter(pl.col("error").is_not_null()).collect()
    rows = claims.select(pl.len()).collect().item()
    if rows == bad.height:
        return pl.DataFrame(), bad, rows
    buyers = evaluate_buyers(good, lib, pack, plan, law, as_of)
    return buyers, bad, rows


def finish(buyers: pl.DataFrame, lang: str, sort: bool = True) -> pl.DataFrame:
    """The flag and the one-line reason of every buyer, sorted (most serious first) unless
    `sort` is false."""
    if not buyers.height:
        return pl.DataFrame(schema={"buyer_id": pl.Utf8, "primary_track": pl.Utf8,
                                    "flagged": pl.Boolean, "reason": pl.Utf8})
    flagged = pl.col("primary_track").is_in(["criminal", "administrative"])
    for col in ("note", "band", "possible_bands", "window_start", "window_end", "criminal",
                "amount_min", "amount_max", "obtained_min", "obtained_max"):
        if col not in buyers.columns:            # only refused buyers
            buyers = buyers.with_columns(pl.lit(None).alias(col))
    buyers = with_reasons(buyers.with_columns(flagged=flagged), lang)
    return ordered(buyers) if sort else buyers


TRACK_RANK = {"criminal": 0, "administrative": 1, "civil": 2, "none": 3, "error": 4}
# the output order: most serious first, then the largest amount, then the buyer id
_ORDER_KEY = (pl.col("primary_track").replace_strict(TRACK_RANK, return_dtype=pl.Int8),
              pl.col("amount_max").fill_null(0), pl.col("buyer_id"))


def ordered(buyers):
    """Most serious first, then the largest amount."""
    return buyers.sort(*_ORDER_KEY, descending=[False, True, False])


TRACKS = ("civil", "administrative", "criminal", "platform")


def refine(buyers: pl.DataFrame, out: Path, as_of: date, lang: str, tick) -> pl.DataFrame:
    """The single-case evaluator (`assess evaluate`, with its reasoning by cases) on the case file
    of every flagged buyer with a conditional track: what it decides replaces the screening's,
    and `decided_by` says so.  Both are sound, so where the evaluator stopped at its budget and
    left open what the screening decided, the screening's answer stays (a track, the band), and
    the possible bands are those both find possible."""
    from ..assessment import TRACK_ORDER, evaluate_file

    todo = buyers.filter(pl.col("case_file").is_not_null() & pl.any_horizontal(
        [pl.col(t) == "conditional" for t in TRACKS]))
    applies = {True: "definite", False: "never", "conditional": "conditional"}
    updates = []
    for k, row in enumerate(todo.iter_rows(named=True)):
        new = {"buyer_id": row["buyer_id"], "decided_by": "evaluator"}
        try:
            r = evaluate_file(out / row["case_file"], as_of=as_of, lang=lang)
            crim = r["tracks"]["criminal"]
            status = {t: applies[r["tracks"][t]["applies"]] for t in TRACKS}
            status = {t: row[t] if v == "conditional" else v for t, v in status.items()}
            mine = (row["possible_bands"] or "").split("|")
            bands = [b or "none" for b in crim["possible_bands"]]
            primary = next((t for t in TRACK_ORDER if status[t] != "never"), "none")
            new.update(status, primary_track=primary, band=crim["band"] or row["band"],
                       possible_bands="|".join(b for b in bands if b in mine), error=None)
        except AssessError as exc:
            new.update(primary_track="error", error=exc.text(lang)["message"])
        updates.append(new)
        tick("exact", k + 1, todo.height)
    if not updates:
        return buyers
    columns = dict.fromkeys(c for u in updates for c in u)
    frame = pl.DataFrame(updates, schema={c: buyers.schema[c] for c in columns})
    buyers = buyers.update(frame, on="buyer_id", include_nulls=True)
    buyers = buyers.with_columns(
        flagged=pl.col("primary_track").is_in(["criminal", "administrative"]))
    return ordered(with_reasons(buyers, lang))


def bad_rows(bad: pl.DataFrame, lang: str) -> pl.DataFrame:
    words = strings()["bad_rows"]
    if not bad.height:
        return pl.DataFrame(schema={"row": pl.UInt32, "buyer_id": pl.Utf8, "column": pl.Utf8,
                                    "reason_code": pl.Utf8, "reason": pl.Utf8})
    return bad.select(
        "row", "buyer_id", pl.col("error_column").alias("column"),
        pl.col("error").alias("reason_code"),
        pl.col("error").replace_strict({k: v[lang] for k, v in words.items()},
                                       default=pl.col("error")).alias("reason")).sort("row")


def write_cases(buyers: pl.DataFrame, parts: list[Path], folder: Path, as_of: date, lang: str,
                tick) -> dict[str, bool]:
    """One case file per flagged buyer (casefiles.py); a buyer whose claims exceed what one case
    file may hold is noted instead."""
    from ..case import MAX_INCIDENTS
    from .casefiles import case_data, write_case

    flagged = buyers.filter(pl.col("flagged"))
    folder.mkdir(parents=True, exist_ok=True)
    ok: dict[str, bool] = {}
    info = {r["buyer_id"]: r for r in flagged.iter_rows(named=True)}
    title = strings()["case_title"][lang]
    done = 0
    for part in parts:
        claims = (_scan(part)
                  .filter(pl.col("error").is_null() & pl.col("buyer_id").is_in(list(info)))
                  .sort("buyer_id", "day", "row").collect())
        # partition_by splits the frame in one pass (iterating a group_by gathers each group)
        for group in claims.partition_by("buyer_id", maintain_order=True):
            buyer_id = group["buyer_id"][0]
            row = info[buyer_id]
            if group.height > MAX_INCIDENTS:
                ok[buyer_id] = False
                continue
            data = case_data(row, group.to_dicts(),
                             row["place"] if not row.get("place_note") else None,
                             title.format(id=buyer_id))
            try:
                write_case(folder, data, as_of)
                ok[buyer_id] = True
            except AssessError:
                ok[buyer_id] = False
            done += 1
            if done % 200 == 0:
                tick("cases", done, len(info))
    tick("cases", len(info), len(info))
    return ok
