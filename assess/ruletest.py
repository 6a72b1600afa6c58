"""YAML test cases for the rule pack (OpenFisca-style): facts and an as-of date in, expected
conclusions out.

A test file:

    defaults:                 # case data shared by every test of the file (deep-merged)
      format: assess-case/1
      place: 广东省深圳市
      ...
    tests:
      - name: 深圳 一类地区 → 数额较大
        as_of: 2026-01-15
        case: {incidents: [{date: 2025-11-17, amount: <yuan>, ...}]}
        expect:
          primary_track: criminal            # dotted paths into the `assess evaluate` JSON
          tracks.criminal.band: large
          fired: [criminal.band.large]       # rules that must fire
          not_fired: [admin.applies]         # rules that must not fire
          cites: [criminal-law/266]          # provisions the reasoning must cite
          deadlines.admin_limitation: 2026-05-17   # a deadline's date by id

`run_tests` returns one result per test with the differences found.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import AssessError
from .yamlio import Node, NodeList, check_keys, load

TEST_KEYS = {"name", "as_of", "case", "expect", "engine", "lang", "description"}
SPECIAL = {"fired", "not_fired", "cites"}


@dataclass
class TestResult:
    name: str
    file: str
    line: int | None
    passed: bool
    differences: list[str] = field(default_factory=list)
    result: dict | None = None
    error: str | None = None
    details: list = field(default_factory=list)     # [Difference] behind `differences`
    case: object = None                              # the parsed case (for coverage)
    as_of: date | None = None
    expect: dict | None = None


@dataclass
class Difference:
    """One expectation that failed: the field, what was expected, what came out."""
    field: str
    expected: object
    got: object
    text: str


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return copy.deepcopy(over)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def lookup(result: dict, path: str):
    """A dotted path into the result (a number picks an item of a list, from 0);
    `deadlines.<id>` gives that deadline's date and `deadlines.<id>.<key>` another of its keys
    (passed, met.date, ...); `deadlines.<n>.<key>` reads the n-th deadline in date order."""
    if path.startswith("deadlines.") and not path.split(".")[1].isdigit():
        wanted, _, rest = path.split(".", 1)[1].partition(".")
        for d in result["deadlines"]:
            if d["id"] == wanted:
                return lookup(d, rest) if rest else d["date"]
        return None
    node = result
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(path)
    return node


def _same(expected, actual) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(expected) == float(actual)
    return str(expected) == str(actual) if expected is not None and actual is not None \
        else expected == actual


def compare(result: dict, expect: dict) -> list[Difference]:
    """The failed expectations, with the expected and the actual value of each."""
    diffs: list[Difference] = []
    fired = {t["rule"]: t["status"] for t in result["trace"]}
    cited = {c["id"] for t in result["trace"] for c in t["cites"]}
    for key, want in expect.items():
        if key == "fired":
            for rid in want:
                if rid not in fired:
                    diffs.append(Difference(f"fired {rid}", "fires", "did not fire",
                                            f"rule {rid}: expected to fire, did not"))
        elif key == "not_fired":
            for rid in want:
                if rid in fired:
                    diffs.append(Difference(f"not_fired {rid}", "does not fire",
                                            f"fired ({fired[rid]})",
                                            f"rule {rid}: expected not to fire, fired "
                                            f"({fired[rid]})"))
        elif key == "cites":
            for pid in want:
                if pid not in cited:
                    diffs.append(Difference(f"cites {pid}", "cited", "not cited",
                                            f"cites {pid}: expected, not cited"))
        else:
            try:
                got = lookup(result, key)
            except KeyError:
                diffs.append(Difference(key, want, "(no such field)",
                                        f"{key}: no such field in the result"))
                continue
            if not _same(want, got):
                diffs.append(Difference(key, want, got, f"{key}: expected {want!r}, got {got!r}"))
    return diffs


def check(result: dict, expect: dict) -> list[str]:
    """Differences between a result and the expectations, one line each."""
    return [d.text for d in compare(result, expect)]


def _show(value) -> str:
    import json
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def format_failure(res: "TestResult") -> str:
    """A failed test as a trainer reads it: where, then expected vs got per field."""
    head = f"FAIL {res.file}:{res.line}  {res.name}"
    if res.error or not res.details:
        return head + "\n" + "\n".join("    " + line for d in res.differences
                                        for line in str(d).splitlines())
    width = max(len(d.field) for d in res.details)
    width = min(max(width, 5), 40)
    rows = [f"    {'field':<{width}}  expected  →  got"]
    for d in res.details:
        rows.append(f"    {d.field:<{width}}  {_show(d.expected)}  →  {_show(d.got)}")
    if res.result is not None:
        r = res.result
        band = (r.get("tracks") or {}).get("criminal", {}).get("band")
        rows.append(f"    (result: primary_track={r.get('primary_track')}, band={band}, "
                    f"rules fired: {', '.join(t['rule'] for t in r.get('trace', []))})")
    return head + "\n" + "\n".join(rows)


def load_tests(path: Path) -> list[tuple[str, int | None, dict]]:
    """(name, line, spec) of every test in a file; errors point at file:line."""
    data = load(path)
    if not isinstance(data, Node) or not isinstance(data.get("tests"), NodeList):
        raise AssessError("a test file is a mapping with a 'tests' list", file=str(path), line=1,
                          expected="defaults: {...}\ntests:\n  - name: ...")
    check_keys(data, {"defaults", "tests", "description"}, {"tests"}, what="test file")
    defaults = _plain(data.get("defaults") or {})
    out = []
    for i, item in enumerate(data["tests"]):
        check_keys(item, TEST_KEYS, {"name", "expect"}, what="test")
        spec = _plain(item)
        spec["case"] = _merge(defaults, spec.get("case") or {})
        out.append((str(item["name"]), data["tests"].item_pos[i][0], spec))
    return out


def find_test_files(paths) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += sorted(p.rglob("*.yaml"))
        elif p.exists():
            files.append(p)
        else:
            raise AssessError("no such test file or folder", file=str(p))
    return files


def run_tests(paths: list[Path], *, base=None, engine: str = "durable",
              explain: bool = True) -> list[TestResult]:
    """Run every test of the given files (or folders of *.yaml files).

    `explain=False` skips the scenarios and what-would-change parts of each result (faster;
    tests expecting those fields then fail).
    """
    from .assessment import evaluate_case
    from .case import parse_case
    from .dates import parse_date

    results = []
    for file in find_test_files(paths):
        for name, line, spec in load_tests(file):
            case = as_of = None
            try:
                as_of = parse_date(spec.get("as_of")) or date.today()
                case = parse_case(spec["case"], filename=f"{file}:{line}", as_of=as_of)
                result = evaluate_case(case, as_of=as_of, engine=spec.get("engine", engine),
                                       lang=spec.get("lang", "zh"), base=base, explain=explain)
                details = compare(result, spec["expect"])
                results.append(TestResult(name, str(file), line, not details,
                                          [d.text for d in details], result, None, details,
                                          case, as_of, spec["expect"]))
            except (AssessError, ValueError) as exc:
                msg = exc.format() if isinstance(exc, AssessError) else str(exc)
                results.append(TestResult(name, str(file), line, False, [msg], None, msg,
                                          [], case, as_of, spec.get("expect")))
    return results


def default_test_paths(base=None) -> list[Path]:
    """The tests of a pack folder (tests/golden/ in it), else the shipped golden tests."""
    from . import paths

    mine = paths.home(base) / "tests" / "golden"
    if mine.is_dir():
        return [mine]
    shipped = paths.CHECKOUT / "tests" / "golden"
    if shipped.is_dir():
        return [shipped]
    raise AssessError("no test folder found", file=str(mine),
                      hint="name test files or folders on the command line")
