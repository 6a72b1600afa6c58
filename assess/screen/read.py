"""Reading a refund-history export: CSV, JSONL or Parquet, scanned lazily.

Column names are mapped to the screening's names (`--map claim_date=申请时间`), and every value
is read with the case file's own readers (assess/case.py, amounts.py, dates.py, places.py), each
distinct value once: a column of a million claims holds a few thousand distinct dates and a few
hundred places.  A value that cannot be read makes its row bad: the row is kept aside with its
number (counted from 1, the header not counted) and the reason, and the run goes on.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from ..case import HANDLED, PHOTO_METHODS
from ..errors import AssessError
from ..model import NO, UNKNOWN, YES

REQUIRED = ("buyer_id", "order_no", "claim_date", "amount", "refund_paid")
PLACE = ("place", "province", "city")
OPTIONAL = ("photo_method", "goods_defective", "handled", "buyer_birth_date")
COLUMNS = REQUIRED + PLACE + OPTIONAL
TRI = (YES, NO, UNKNOWN)
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}
INFER_ROWS = 20_000                  # rows a JSONL scan reads to type its columns
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")

# the reason codes of a bad row (their words: assess/screen/strings.yaml, reasons)
REASONS = ("bad_json", "missing", "bad_date", "future_date", "bad_amount", "bad_yesno", "bad_photo_method",
           "bad_handled", "bad_birth_date", "birth_after_claim")


def parse_mapping(items) -> dict[str, str]:
    """["claim_date=申请时间", ...] -> {"claim_date": "申请时间"}."""
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, source = str(item).partition("=")
        name, source = name.strip(), source.strip()
        if not sep or not name or not source:
            raise AssessError(f"--map '{item}' is not of the form column=header", field="--map",
                              expected="column=header, e.g. claim_date=申请时间")
        if name not in COLUMNS:
            import difflib
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            raise AssessError(f"--map names an unknown column '{name}'", field="--map",
                              expected=", ".join(COLUMNS),
                              hint=f"did you mean '{close[0]}'?" if close else None)
        out[name] = source
    return out


JSONL_CHUNK = 1 << 17                 # lines converted at a time


def _jsonl_to_parquet(path: Path, work: Path) -> Path:
    """A JSONL export as Parquet, line by line, so that a line that is not a JSON object
    becomes a bad row (column _bad) instead of stopping the run; the line number is kept."""
    import json

    out = work / "history.parquet"
    writer = None
    chunk: list[dict] = []

    def flush():
        nonlocal writer
        if not chunk:
            return
        frame = pl.DataFrame(chunk, schema=None, infer_schema_length=None,
                             strict=False).with_columns(pl.all().cast(pl.Utf8))
        part = work / f"jsonl-{writer or 0:06d}.parquet"
        frame.write_parquet(part)
        writer = (writer or 0) + 1
        chunk.clear()

    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                value = None
            if isinstance(value, dict):
                row = {str(k): (None if v is None else
                                ("yes" if v is True else "no" if v is False else str(v)))
                       for k, v in value.items() if not isinstance(v, (dict, list))}
                row["_line"] = str(n)
            else:
                row = {"_line": str(n), "_bad": "bad_json"}
            chunk.append(row)
            if len(chunk) >= JSONL_CHUNK:
                flush()
    flush()
    parts = sorted(work.glob("jsonl-*.parquet"))
    if not parts:
        raise AssessError("the export holds no line", file=str(path), field="HISTORY",
                          expected="one JSON object per line")
    pl.concat([pl.scan_parquet(p) for p in parts], how="diagonal").sink_parquet(out)
    return out


def scan(path: str | Path, mapping: dict[str, str] | None = None,
         work: Path | None = None) -> pl.LazyFrame:
    """The export as a lazy frame with the screening's column names, every value as text (or as
    the number or date the file already types it as), and a row number "row" from 1."""
    path = Path(path)
    if not path.is_file():
        raise AssessError("no such file", file=str(path), field="HISTORY",
                          expected="a CSV, JSONL or Parquet export of refund claims",
                          zh={"message": "文件不存在", "expected": "CSV、JSONL 或 Parquet 格式的退款申请导出表"})
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise AssessError(f"unknown export format '{path.suffix}'", file=str(path),
                          field="HISTORY", expected=", ".join(sorted(FORMATS)),
                          zh={"message": f"无法识别的导出格式“{path.suffix}”",
                              "expected": "、".join(sorted(FORMATS)),
                              "hint": "Excel 表格请另存为 CSV（UTF-8）"})
    try:
        if kind == "csv":
            lf = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy",
                             truncate_ragged_lines=True)
        elif kind == "jsonl":
            if work is None:
                import tempfile
                work = Path(tempfile.mkdtemp(prefix="assess-screen-"))
            lf = pl.scan_parquet(_jsonl_to_parquet(path, work))
        else:
            lf = pl.scan_parquet(path)
        names = lf.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise AssessError(f"cannot read the export: {str(exc).splitlines()[0]}", file=str(path),
                          field="HISTORY", expected={"csv": "a CSV file with a header", "jsonl": "one JSON object per line",
                                    "parquet": "a Parquet file"}[kind]) from None
    mapping = dict(mapping or {})
    rename = {}
    for name, source in mapping.items():
        if source not in names:
            raise AssessError(f"--map {name}={source}: the export has no column '{source}'",
                              file=str(path), line=1, field="--map",
                              expected=", ".join(names[:30]),
                              zh={"message": f"--map {name}={source}：导出表中没有“{source}”这一列",
                                  "expected": "、".join(names[:30])})
        rename[source] = name
    lf = lf.rename({s: n for s, n in rename.items() if s != n})
    have = set(lf.collect_schema().names())
    missing = [c for c in REQUIRED if c not in have]
    if "place" not in have and not {"province", "city"} <= have:
        missing.append("place (or province and city)")
    if missing:
        raise AssessError(f"the export lacks the column(s) {', '.join(missing)}", file=str(path),
                          line=1, field="header", expected=", ".join(REQUIRED) +
                          ", place or province+city",
                          hint="name an export's own header with --map, e.g. "
                               "--map claim_date=申请时间 (docs/screening.md); an export saved "
                               "by Excel in GBK must be saved as UTF-8 first",
                          zh={"message": f"导出表缺少以下列：{'、'.join(missing)}",
                              "expected": "、".join(REQUIRED) + "，以及 place 或 province+city",
                              "hint": "用 --map 指明导出表自己的表头，例如 --map claim_date=申请时间"
                                      "（见 docs/screening.md）；Excel 以 GBK 保存的表格请先另存为 UTF-8"})
    keep = [c for c in COLUMNS if c in have]
    if "_line" in have:                      # JSONL: the line number, and lines not read
        bad = pl.col("_bad") if "_bad" in have else pl.lit(None, pl.Utf8)
        return lf.select(pl.col("_line").cast(pl.UInt32).alias("row"), *keep,
                         bad.alias("_bad"))
    return lf.select(keep).with_row_index("row", offset=1)


# --------------------------------------------------------------------------- reading values

def _distinct_map(expr: pl.Expr, parse, dtype) -> pl.Expr:
    """`parse` (text -> (value, reason code or None)) applied once per distinct text of each
    batch; a struct {value, error}."""
    cache: dict = {}
    out_type = pl.Struct({"value": dtype, "error": pl.Utf8})

    def run(s: pl.Series) -> pl.Series:
        batch = s.unique().to_list()
        for v in batch:
            if v not in cache:
                cache[v] = parse(v)
        if len(s) < 64:
            return pl.Series(s.name, [{"value": cache[v][0], "error": cache[v][1]}
                                      for v in s.to_list()], dtype=out_type)
        # each row's position among the batch's distinct texts (an Enum of them; a missing
        # value after them) picks its value and error
        texts = [v for v in batch if v is not None]
        if None not in cache:
            cache[None] = parse(None)
        keys = texts + [None]
        code = (s.cast(pl.Enum(texts)).to_physical().cast(pl.UInt32) if texts else
                pl.Series([None] * len(s), dtype=pl.UInt32)).fill_null(len(texts))
        return pl.DataFrame([
            pl.Series("value", [cache[k][0] for k in keys], dtype=dtype).gather(code),
            pl.Series("error", [cache[k][1] for k in keys], dtype=pl.Utf8).gather(code),
        ]).to_struct(s.name)

    return expr.map_batches(run, return_dtype=out_type, is_elementwise=True)


@lru_cache(maxsize=1)
def _export_words() -> dict:
    """assess/screen/values.yaml: status words of platform exports (YAML reads the keys yes
    and no as True and False)."""
    import yaml
    return yaml.safe_load((Path(__file__).parent / "values.yaml").read_text(encoding="utf-8"))


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _date(v):
    from ..dates import parse_date

    if _blank(v):
        return None, "missing"
    try:
        return parse_date(_TIME.sub("", v.strip())), None
    except ValueError:
        return None, "bad_date"


def _birth(v):
    from ..dates import parse_date

    if _blank(v):
        return None, None
    try:
        return parse_date(_TIME.sub("", v.strip())), None
    except ValueError:
        return None, "bad_birth_date"


def _amount(v):
    from ..amounts import parse_amount

    if _blank(v):
        return None, "missing"
    try:
        value = parse_amount(v)
    except ValueError:
        return None, "bad_amount"
    return (None, "missing") if value is None else (float(value), None)


def _paid(v):
    from ..case import REFUND_STATUS, to_choice, to_tri

    if _blank(v):
        return None, "missing"
    tri = to_tri(v)
    if tri is not None:
        return tri, None
    for answer, words in _export_words()["refund_paid"].items():
        if v.strip() in words:
            return ("yes" if answer in (True, "yes") else "no"), None
    status = to_choice(v, REFUND_STATUS)
    if status is None:
        return None, "bad_yesno"
    return {"paid": "yes", "unknown": "unknown"}.get(status, "no"), None


def _yesno(v):
    from ..case import to_tri

    tri = to_tri(None if _blank(v) else v)
    return (None, "bad_yesno") if tri is None else (tri, None)


def _photo(v):
    from ..case import PHOTO_METHODS, to_choice

    value = to_choice(None if _blank(v) else v, PHOTO_METHODS)
    return (None, "bad_photo_method") if value is None else (value, None)


def _handled(v):
    from ..case import HANDLED, to_choice, to_tri

    if _blank(v):
        return "unknown", None
    value = to_choice(v, HANDLED)
    if value is None and to_tri(v) is not None:
        value = to_tri(v)
    return (None, "bad_handled") if value is None else (value, None)


def _as_text(lf: pl.LazyFrame, name: str) -> pl.Expr:
    dtype = lf.collect_schema()[name]
    col = pl.col(name)
    if dtype == pl.Boolean:
        return pl.when(col).then(pl.lit("yes")).when(~col).then(pl.lit("no"))
    return col if dtype == pl.Utf8 else col.cast(pl.Utf8)


def _date_col(lf: pl.LazyFrame, name: str, parse) -> pl.Expr:
    dtype = lf.collect_schema()[name]
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        value = pl.col(name).cast(pl.Date)
        error = pl.when(value.is_null()).then(pl.lit(parse(None)[1])).otherwise(None)
        return pl.struct(value.alias("value"), error.cast(pl.Utf8).alias("error"))
    text = _as_text(lf, name)
    fast = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    slow = _distinct_map(text, parse, pl.Date)
    return pl.when(fast.is_not_null()).then(
        pl.struct(fast.alias("value"), pl.lit(None, pl.Utf8).alias("error"))).otherwise(slow)


def _amount_col(lf: pl.LazyFrame, name: str) -> pl.Expr:
    dtype = lf.collect_schema()[name]
    if dtype.is_numeric():
        x = pl.col(name).cast(pl.Float64)
        bad = x.is_nan() | x.is_infinite() | (x < 0) | ((x * 100).round(6) % 1 != 0)
        error = pl.when(x.is_null()).then(pl.lit("missing")).when(bad).then(pl.lit("bad_amount"))
        return pl.struct(pl.when(error.is_null()).then(x).alias("value"),
                         error.cast(pl.Utf8).alias("error"))
    text = _as_text(lf, name)
    plain = text.str.strip_chars()
    # plain numbers, and numbers with thousands separators in groups of three (1,280.00), as
    # amounts.parse_amount reads them; anything else goes to parse_amount itself
    fast = pl.when(plain.str.contains(r"^(\d{1,12}|\d{1,3}(,\d{3}){1,3})(\.\d{1,2})?$")).then(
        plain.str.replace_all(",", "").cast(pl.Float64, strict=False))
    slow = _distinct_map(text, _amount, pl.Float64)
    return pl.when(fast.is_not_null()).then(
        pl.struct(fast.alias("value"), pl.lit(None, pl.Utf8).alias("error"))).otherwise(slow)


def _text_col(lf: pl.LazyFrame, name: str, parse, values) -> pl.Expr:
    """A column of the case file's words: an Enum of the words `parse` can give (`values`), so
    that the plan compares small integers, not texts, on every claim."""
    return _distinct_map(_as_text(lf, name), parse, pl.Enum(list(values)))


def read_claims(lf: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """The claims with their values read: columns row, buyer_id, order_no, day (Date), amount
    (Float64), paid, photo_method, defective, handled (the case file's words, as Enums), birth
    (Date), place_text, and `error` (the first reason code of the row, null for a good row) with
    `error_column`."""
    have = set(lf.collect_schema().names())
    parsed: dict[str, pl.Expr] = {
        "day": _date_col(lf, "claim_date", _date),
        "amount": _amount_col(lf, "amount"),
        "paid": _text_col(lf, "refund_paid", _paid, TRI),
    }
    if "photo_method" in have:
        parsed["photo_method"] = _text_col(lf, "photo_method", _photo, PHOTO_METHODS)
    if "goods_defective" in have:
        parsed["defective"] = _text_col(lf, "goods_defective", _yesno, TRI)
    if "handled" in have:
        parsed["handled"] = _text_col(lf, "handled", _handled, HANDLED)
    if "buyer_birth_date" in have:
        parsed["birth"] = _date_col(lf, "buyer_birth_date", _birth)
    source = {"day": "claim_date", "amount": "amount", "paid": "refund_paid",
              "defective": "goods_defective", "birth": "buyer_birth_date"}
    buyer = _as_text(lf, "buyer_id").str.strip_chars()
    order = _as_text(lf, "order_no").str.strip_chars()
    if "place" in have:
        place = _as_text(lf, "place").str.strip_chars()
    else:
        place = pl.concat_str([_as_text(lf, "province").fill_null(""),
                               _as_text(lf, "city").fill_null("")]).str.strip_chars()
    frame = lf.select(
        "row", *(["_bad"] if "_bad" in have else []), buyer.alias("buyer_id"),
        order.alias("order_no"),
        pl.when(place != "").then(place).alias("place_text"),
        **{f"_{k}": v for k, v in parsed.items()})
    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col("buyer_id").is_null() | (pl.col("buyer_id") == ""), "missing", "buyer_id"),
        (pl.col("order_no").is_null() | (pl.col("order_no") == ""), "missing", "order_no")]
    values = {}
    for key in parsed:
        checks.append((pl.col(f"_{key}").struct.field("error").is_not_null(),
                       None, source.get(key, key)))
        values[key] = pl.col(f"_{key}").struct.field("value")
    frame = frame.with_columns(**values)
    checks.append((pl.col("day") > pl.lit(as_of), "future_date", "claim_date"))
    if "_bad" in have:
        checks.insert(0, (pl.col("_bad").is_not_null(), "bad_json", "(line)"))
    if "birth" in parsed:
        checks.append((pl.col("birth") > pl.col("day"), "birth_after_claim", "buyer_birth_date"))
    error = pl.lit(None, pl.Utf8)
    column = pl.lit(None, pl.Utf8)
    for cond, code, col in reversed(checks):
        key = next((k for k, s in source.items() if s == col), col)
        reason = pl.lit(code) if code else pl.col(f"_{key}").struct.field("error")
        error = pl.when(cond.fill_null(False)).then(reason).otherwise(error)
        column = pl.when(cond.fill_null(False)).then(pl.lit(col)).otherwise(column)
    frame = frame.with_columns(error=error, error_column=column)
    defaults = {"photo_method": "unknown", "defective": "unknown", "handled": "unknown"}
    for key, value in defaults.items():
        if key not in parsed:
            frame = frame.with_columns(pl.lit(value).alias(key))
    if "birth" not in parsed:
        frame = frame.with_columns(pl.lit(None, pl.Date).alias("birth"))
    return frame.drop([f"_{k}" for k in parsed] + (["_bad"] if "_bad" in have else []))
