"""Documents: the lawyer's opinion (法律意见书), the merchant's police report (报案材料) and the
appeal to the platform (申诉书), as PDF or HTML.

Everything a reader sees comes from templates/: the Jinja2 templates (one base layout, one
stylesheet) and templates/strings.yaml (every label, heading and sentence in Chinese and
English).  This module only gathers data: the parsed case, the assessment result (whose trace
carries the provision texts in the version in force), content hashes for the document number
and the reproducibility record.  No legal number, article or statute text lives here.

Missing facts: a template asks for a fact with ``need(value, "buyer.account")``.  A missing
value is recorded and the template prints a marked blank (【待补充：买家账号】).  With
``strict=True`` any recorded blank is an error (exit 2) naming the facts; otherwise the caller
gets the list back as warnings.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import traceback
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import __version__, paths
from .errors import AssessError

KINDS = {"opinion": "opinion.html.j2", "report": "report.html.j2", "appeal": "appeal.html.j2"}
LANGS = ("zh", "en")
FORMATS = ("pdf", "html")
STRINGS_FILE = "strings.yaml"
ASSETS = "assets"


@dataclass
class Rendered:
    """A rendered document and the facts it had to leave blank."""

    kind: str
    fmt: str
    content: bytes | str
    missing: list[str] = field(default_factory=list)       # "buyer.account (买家账号)"
    context: dict | None = None


# --------------------------------------------------------------------------- strings

def _pick_lang(node, lang: str, where: str, file: str):
    """Turn {key: {zh: .., en: ..}} trees into {key: text} for one language."""
    if isinstance(node, dict):
        keys = set(node)
        if keys and keys <= set(LANGS):
            if lang not in node or node[lang] is None:
                raise AssessError(f"template string '{where}' has no '{lang}' text", file=file,
                                  field=where, expected="zh: … and en: …")
            return node[lang]
        return {k: _pick_lang(v, lang, f"{where}.{k}" if where else str(k), file)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_pick_lang(v, lang, f"{where}[{i}]", file) for i, v in enumerate(node)]
    return node


def load_strings(templates: Path, lang: str) -> dict:
    import yaml

    file = templates / STRINGS_FILE
    try:
        raw = yaml.load(file.read_text(encoding="utf-8"),      # libyaml: 10× faster
                        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise AssessError(f"cannot read the template strings: {exc.strerror}", file=str(file),
                          hint="templates/strings.yaml holds the documents' wording") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AssessError(f"template strings are not valid YAML: {getattr(exc, 'problem', exc)}",
                          file=str(file), line=mark.line + 1 if mark else None,
                          col=mark.column + 1 if mark else None) from None
    if not isinstance(raw, dict):
        raise AssessError("template strings must be a mapping", file=str(file))
    return _pick_lang(raw, lang, "", str(file))


# --------------------------------------------------------------------------- formatting filters

def _as_date(value):
    if value is None or value == "unknown":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _number(x) -> str:
    if isinstance(x, Decimal):
        x = float(x)
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}"


def _filters(t: dict, home: Path) -> dict:
    fmt = t["format"]
    prefix = str(home.resolve()) + os.sep

    def relpath(value):
        """A path under the data folder without the machine-specific prefix."""
        s = str(value)
        return s[len(prefix):] if s.startswith(prefix) else s

    def date_filter(value):
        d = _as_date(value)
        if d is None:
            return value if isinstance(value, str) else ""
        return fmt["date"].format(y=d.year, m=d.month, d=d.day, month=fmt["months"][d.month - 1])

    def money(value):
        if value is None or value == "unknown":
            return ""
        if isinstance(value, dict):              # {"min": .., "max": ..}
            lo, hi = value.get("min"), value.get("max")
            if lo is not None and hi is not None:
                return fmt["money_range"].format(lo=_number(lo), hi=_number(hi))
            if lo is not None:
                return fmt["money_at_least"].format(n=_number(lo))
            return ""
        return fmt["money"].format(n=_number(value))

    def fill(template, **kw):
        # Markup.format escapes plain values (case data) and keeps Markup (macro output)
        from markupsafe import Markup, escape
        return Markup(escape(str(template))).format(**kw)

    def lookup(key, mapping, default=None):
        return mapping.get(str(key) if not isinstance(key, str) and key is not None else key,
                           default if default is not None else key)

    def css_string(value):
        from markupsafe import Markup
        s = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
        s = s.replace("<", "\\3C ").replace(">", "\\3E ")
        return Markup(f'"{s}"')

    return {"date": date_filter, "money": money, "number": _number, "fill": fill,
            "css_string": css_string, "lookup": lookup, "relpath": relpath}


# --------------------------------------------------------------------------- data for templates

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _photo_sha(item: dict, case_dir: Path) -> tuple[str | None, str | None]:
    """(sha256, where it came from): given in the case file, or computed from the file."""
    if item.get("sha256"):
        return item["sha256"], "given"
    name = item.get("file")
    if name:
        p = (case_dir / name)
        try:
            if p.is_file():
                return _sha256_file(p), "computed"
        except OSError:
            pass
    return None, None


def _case_view(case, result: dict) -> dict:
    """The case as plain data for the templates (values as given, None when unknown)."""
    case_dir = Path(case.file).resolve().parent if case.file else Path.cwd()
    incidents = []
    for n, inc in enumerate(case.incidents, 1):
        photos = []
        for ph in inc.photos:
            sha, how = _photo_sha(ph, case_dir)
            photos.append({"file": ph.get("file"), "description": ph.get("description"),
                           "sha256": sha, "sha256_source": how})
        incidents.append({"n": n, "date": inc.date, "order_no": inc.order_no, "goods": inc.goods,
                          "amount": inc.amount, "refund_paid": inc.refund_paid,
                          "photo_method": inc.photo_method, "goods_defective": inc.goods_defective,
                          "photos": photos})
    incidents.sort(key=lambda i: (i["date"] is None, i["date"] or date.min, i["n"]))

    # numbered evidence: the merchant's items in file order, then buyer photos not yet listed
    evidence, seen_files = [], {}
    for e in case.evidence:
        sha, how = _photo_sha(e, case_dir) if e.get("file") else (e.get("sha256"), "given")
        item = {"kind": e.get("kind") or "unknown", "description": e.get("description"),
                "file": e.get("file"), "sha256": sha, "sha256_source": how if sha else None,
                "incidents": []}
        evidence.append(item)
        if e.get("file"):
            seen_files[e["file"]] = item
    for inc in incidents:
        for ph in inc["photos"]:
            if ph["file"] and ph["file"] in seen_files:
                item = seen_files[ph["file"]]
                item["incidents"].append(inc["n"])
                if not item["sha256"] and ph["sha256"]:
                    item["sha256"], item["sha256_source"] = ph["sha256"], ph["sha256_source"]
                continue
            item = {"kind": "buyer_photo", "description": ph["description"], "file": ph["file"],
                    "sha256": ph["sha256"], "sha256_source": ph["sha256_source"],
                    "incidents": [inc["n"]]}
            evidence.append(item)
            if ph["file"]:
                seen_files[ph["file"]] = item
    for n, item in enumerate(evidence, 1):
        item["n"] = n

    first = _as_date((result.get("dates") or {}).get("first_conduct"))
    buyer = dict(case.buyer)
    buyer["age_at_conduct"] = case.buyer_age_on(first) if first else buyer.get("age")
    place = case.place
    return {
        "file": Path(case.file).name if case.file else None,
        "sha256": case.sha256,
        "title": case.title,
        "place": ({"text": place.text, "label": place.label(), "province": place.province,
                   "city": place.city, "county": place.county} if place else None),
        "buyer": buyer, "merchant": dict(case.merchant), "platform": dict(case.platform),
        "incidents": incidents,
        "total_amount": case.total_amount,
        "facts": {k: getattr(case, k) for k in (
            "intent_to_possess", "refund_caused_by_photos", "merchant_learned_date",
            "restitution", "forgiveness", "surrender", "confession",
            "interpretation_art2_circumstance", "local_listed_circumstance", "admin_serious")},
        "evidence": evidence,
        "notes": case.notes,
    }


def _file_digests(root: Path, sub: str, patterns=("*.yaml", "*.yml")) -> list[dict]:
    folder = root / sub
    out = []
    if folder.is_dir():
        files = sorted({p for pat in patterns for p in folder.rglob(pat) if p.is_file()})
        for p in files:
            out.append({"path": p.relative_to(root).as_posix(), "sha256": _sha256_file(p)})
    return out


def _reproducibility(kind: str, result: dict, case, base, templates: Path) -> dict:
    home = paths.home(base)
    rules = _file_digests(home, "rules")
    statutes = _file_digests(home, "statutes")
    tmpl = []
    used = [templates / n for n in (STRINGS_FILE, "base.html.j2", "macros.html.j2", KINDS[kind])]
    used += sorted(templates.glob("_*.j2")) + sorted(p for p in (templates / ASSETS).rglob("*"))
    for p in sorted(set(used)):
        if p.is_file():
            tmpl.append({"path": "templates/" + p.relative_to(templates).as_posix(),
                         "sha256": _sha256_file(p)})
    return {"tool": result["tool"], "as_of": result["as_of"], "case_file": case.file,
            "case_sha256": case.sha256, "rules": rules, "statutes": statutes,
            "templates": tmpl}


def _doc_id(kind: str, lang: str, repro: dict) -> str:
    blob = json.dumps({"kind": kind, "lang": lang, "repro": {k: v for k, v in repro.items()
                                                             if k != "case_file"}},
                      sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class _Needs:
    """Records the facts a template needed but the case file does not give."""

    def __init__(self, labels: dict):
        self.labels = labels
        self.missing: dict[str, str] = {}

    def __call__(self, value, key: str, index=None):
        if value is None or (isinstance(value, str) and not value.strip()) or value == "unknown":
            path = key if index is None else key.replace(".", f"[{index}].", 1)
            self.missing.setdefault(path, self.labels.get(key, key))
            return None
        return value


# --------------------------------------------------------------------------- rendering

_JINJA_OPTIONS = dict(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _bytecode_cache():
    """Compiled templates kept on disk (keyed by each template's source, so an edited template
    is compiled again; the folder is named after the options, which the key does not cover):
    compiling them costs about 0.2 s a render.  None if there is no cache."""
    import hashlib

    from jinja2 import FileSystemBytecodeCache, __version__ as jinja_version

    options = hashlib.sha256(repr(sorted(_JINJA_OPTIONS.items())).encode()).hexdigest()[:12]
    folder = paths.cache_dir() / "templates" / f"jinja{jinja_version}-{options}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def _environment(templates: Path, t: dict, home: Path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined,
                      bytecode_cache=_bytecode_cache(), **_JINJA_OPTIONS)
    env.filters.update(_filters(t, home))
    return env


def _template_error(exc: Exception, templates: Path) -> AssessError:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return AssessError(f"template syntax error: {exc.message}",
                           file=exc.filename or exc.name, line=exc.lineno,
                           hint="fix the template (Jinja2 syntax: {{ … }}, {% … %})")
    if isinstance(exc, TemplateNotFound):
        return AssessError(f"template not found: {exc.name}", file=str(templates),
                           hint="templates/ needs base.html.j2 and one template per document")
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".j2", ".html"))]
    where = frames[-1] if frames else None
    return AssessError(f"template error: {exc}", file=where.filename if where else str(templates),
                       line=where.lineno if where else None,
                       hint="check the names used in the template (see docs/documents.md)")


def render_html(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
                base=None, engine: str = "durable", strict: bool = False) -> Rendered:
    """Render one document to HTML (no PDF).  Missing facts are listed in `.missing`."""
    from .assessment import evaluate_case
    from .case import load_case

    if kind not in KINDS:
        raise AssessError(f"unknown document '{kind}'", field="kind",
                          expected=", ".join(KINDS))
    if lang not in LANGS:
        raise AssessError(f"unknown language '{lang}'", field="--lang", expected="zh or en")
    as_of = as_of or date.today()
    templates = paths.templates_dir(base)
    if not (templates / KINDS[kind]).is_file():
        raise AssessError(f"template not found: {KINDS[kind]}", file=str(templates),
                          hint="run from the project folder or pass --rules-dir")
    case = load_case(case_path, as_of=as_of)
    result = evaluate_case(case, as_of=as_of, engine=engine, lang=lang, base=base)
    t = load_strings(templates, lang)
    repro = _reproducibility(kind, result, case, base, templates)
    digest = _doc_id(kind, lang, repro)
    needs = _Needs(t.get("fields", {}))
    ctx = {
        "kind": kind, "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
        "t": t, "result": result, "case": _case_view(case, result),
        "doc": {"id": digest, "short": digest[:12].upper(), "as_of": as_of,
                "year": as_of.year, "created": f"{as_of.isoformat()}T00:00:00+08:00"},
        "repro": repro, "need": needs,
    }
    try:
        env = _environment(templates, t, paths.home(base))
        html = env.get_template(KINDS[kind]).render(**ctx)
    except AssessError:
        raise
    except Exception as exc:            # template problems: one line with file:line
        raise _template_error(exc, templates) from None
    missing = [f"{path} ({label})" for path, label in needs.missing.items()]
    if strict and missing:
        raise AssessError(f"the {kind} needs facts the case file does not give: "
                          + "; ".join(missing), file=str(case_path), field="--strict",
                          hint="add them to the case file, or leave out --strict to print "
                               "marked blanks")
    return Rendered(kind, "html", html, missing, ctx)


def render(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
           fmt: str = "pdf", strict: bool = False, base=None, engine: str = "durable",
           fetcher=None) -> Rendered:
    """Render a document; `.content` is PDF bytes or an HTML string, `.missing` the blanks."""
    if fmt not in FORMATS:
        raise AssessError(f"unknown format '{fmt}'", field="--format", expected="pdf or html")
    if fmt == "pdf":
        from .fonts import check_fonts
        check_fonts()
    out = render_html(kind, case_path, as_of=as_of, lang=lang, base=base, engine=engine,
                      strict=strict)
    if fmt == "html":
        return out
    from .pdf import html_to_pdf

    templates = paths.templates_dir(base)
    try:
        pdf = html_to_pdf(out.content, base_url=templates, assets_dir=templates / ASSETS,
                          fetcher=fetcher)
    except AssessError as exc:
        if exc.file is None:
            exc.file = str(case_path)
        raise
    return Rendered(kind, "pdf", pdf, out.missing, out.context)


def render_document(kind: str, case_path, *, as_of: date | None = None, lang: str = "zh",
                    fmt: str = "pdf", strict: bool = False, base=None) -> bytes | str:
    """PDF bytes or an HTML string for `kind` (opinion, report, appeal)."""
    return render(kind, case_path, as_of=as_of, lang=lang, fmt=fmt, strict=strict,
                  base=base).content


def write_document(kind: str, case_path, out, *, as_of: date | None = None, lang: str = "zh",
                   fmt: str | None = None, strict: bool = False, base=None) -> list[str]:
    """Render and write atomically to `out`; returns the missing facts (warnings)."""
    out = Path(out)
    if fmt is None:
        fmt = "html" if out.suffix.lower() in (".html", ".htm") else "pdf"
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise AssessError(f"cannot write {out}: the folder {folder} does not exist",
                          file=str(out), field="-o", hint="create the folder or choose another path")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise AssessError(f"cannot write {out}: permission denied", file=str(out), field="-o",
                          hint="choose a writable path")
    doc = render(kind, case_path, as_of=as_of, lang=lang, fmt=fmt, strict=strict, base=base)
    data = doc.content.encode("utf-8") if isinstance(doc.content, str) else doc.content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AssessError(f"cannot write {out}: {exc.strerror}", file=str(out), field="-o",
                          hint="choose a writable path") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise AssessError(f"cannot write {out}: {exc.strerror}", file=str(out), field="-o",
                          hint="choose a writable path") from None
    return doc.missing
