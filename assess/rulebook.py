"""The rulebook for teaching: each provision's text, the rules encoding it, the questions asking
its facts, the provincial amount standards (statutes/thresholds/fraud-amounts.yaml, with their
sources and quality, and what was searched where none is verified), and an index.
`build_rulebook(output, base=None, lang="zh")` writes HTML (Jinja2, templates/rulebook.html.j2,
autoescaped; its words are the `rulebook` section of templates/strings.yaml) or PDF (the HTML
through assess.pdf.html_to_pdf, or WeasyPrint directly when that module is absent).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .citations import pid_of
from .errors import AssessError

TEMPLATE = "rulebook.html.j2"
TEXT_KEYS = ("text", "question", "ask", "prompt", "label", "title")


def _text(value, lang):
    if isinstance(value, dict):
        return value.get(lang) or value.get("zh") or next(iter(value.values()), "")
    return "" if value is None else str(value)


def load_questions(home: Path, lang: str) -> list[dict]:
    """Questions of rules/questions.yaml as {id, text, fields}; [] without the file."""
    from .rulecheck import _norm_field, _strings
    from .yamlio import load

    path = home / "rules" / "questions.yaml"
    if not path.is_file():
        return []
    data = load(path)
    out = []

    def walk(node):
        if isinstance(node, dict):
            fields = {_norm_field(s) for s in _strings({"x": node}, ("field", "fields", "sets",
                                                                      "set", "fact", "facts",
                                                                      "path", "writes"))} \
                if any(k in node for k in ("field", "fields", "sets", "set", "fact", "facts",
                                           "path", "writes")) else set()
            text = next((node[k] for k in TEXT_KEYS if k in node), None)
            if fields and text is not None:
                out.append({"id": str(node.get("id", "")), "text": _text(text, lang),
                            "fields": sorted(fields),
                            "line": getattr(node, "line", None)})
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(data)
    return out


def _money(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def threshold_tables(lib, pack, t: dict, lang: str) -> dict:
    """The amount table as the rulebook shows it: the national range; per province each
    standard (period, document, sources, quality, whether it is applied, one row per city tier
    and per alternative circumstance); the provinces without a standard and what was searched."""
    from .thresholds import BANDS

    table = lib.thresholds
    w = t["rulebook"]

    def iso(d):
        return d.isoformat() if d else None

    def period(std) -> str:
        start = iso(std.effective_from) or w["th_unknown_start"]
        return f"{start} – {iso(std.effective_to) or w['th_open']}"

    def fact_label(fid: str) -> str:
        fact = pack.facts.get(fid)
        return fact.label[lang] if fact else fid

    provinces, unverified = [], []
    for name, entry in table.provinces.items():
        if not entry.standards:
            unverified.append({"name": name, "note": entry.note or ""})
            continue
        standards = []
        for std in entry.standards:
            bases = [(tier.name.get(lang) or tier.name.get("zh", ""), tier.cities, tier.values,
                      tier.note) for tier in std.tiers] or [(w["th_all"], (), std.values, None)]
            rows = []
            for area, cities, values, note in bases:
                rows.append({"area": area, "cities": list(cities), "note": note,
                             "values": [_money(values.get(b)) for b in BANDS], "other": None})
                for alt in std.alternatives:
                    merged = dict(values, **alt.values)
                    other = None
                    if alt.other_serious:
                        other = w["th_other_serious"].format(
                            a=_money(alt.other_serious.get("other_serious")),
                            b=_money(alt.other_serious.get("other_especially_serious")))
                    rows.append({"area": area + " · " + w["th_when"].format(
                                     fact=fact_label(alt.when)),
                                 "cities": [], "note": None, "other": other,
                                 "values": [_money(merged.get(b)) for b in BANDS]})
            standards.append({
                "period": period(std), "document": std.document,
                "sources": list(std.sources), "note": std.note,
                "alt_notes": [{"when": w["th_when"].format(fact=fact_label(a.when)),
                               "note": a.note} for a in std.alternatives if a.note],
                "quality": t["quality"].get(std.quality, std.quality),
                "applied": std.quality in table.apply_quality, "rows": rows})
        provinces.append({"name": name, "standards": standards, "note": entry.note})
    national = [{"band": t["bands"][b], "min": _money(table.national[b][0]),
                 "max": _money(table.national[b][1])} for b in BANDS if b in table.national]
    applied = t["format"]["list_sep"].join(t["quality"].get(q, q) for q in table.apply_quality)
    return {"basis": table.basis_label or table.basis, "wording": table.wording,
            "national": national, "bands": [t["bands"][b] for b in BANDS],
            "intro": w["th_intro"].format(applied=applied),
            "provinces": provinces, "unverified": unverified}


def load_words(base, lang: str) -> dict:
    """templates/strings.yaml of the pack (its `rulebook` section), or the tool's own when the
    pack's copy predates that section."""
    from . import paths
    from .documents import load_strings

    for folder in (paths.templates_dir(base), paths.CHECKOUT / "templates",
                   paths.SHIPPED / "templates"):
        if (folder / "strings.yaml").is_file():
            words = load_strings(folder, lang)
            if "rulebook" in words:
                return words
    raise AssessError("templates/strings.yaml has no rulebook section",
                      file=str(paths.templates_dir(base) / "strings.yaml"),
                      hint="copy the section from the shipped pack (assess rules init)")


def rulebook_data(base=None, lang: str = "zh") -> dict:
    """Everything the template shows, as plain data."""
    from . import paths
    from .assessment import load
    from .coverage import atom_text
    from .model import facts_used
    from .rulecheck import fact_fields
    from .rulediff import _cond_text

    lib, pack = load(base)
    home = paths.home(base)
    questions = load_questions(home, lang)
    by_field: dict[str, list[dict]] = {}
    for q in questions:
        for f in q["fields"]:
            by_field.setdefault(f, []).append(q)
            by_field.setdefault(f.split(".")[-1], []).append(q)

    def questions_for(fid: str) -> list[dict]:
        fact = pack.facts[fid]
        if fact.origin == "rules":
            return []
        found = []
        for f in fact_fields(fid) + (fid,):
            for q in by_field.get(f, []) + by_field.get(f.split(".")[-1], []):
                if q not in found:
                    found.append(q)
        return found

    def rule_view(rule) -> dict:
        used = facts_used(rule.when)
        return {
            "id": rule.id, "title": rule.title[lang], "track": rule.track, "on": rule.on,
            "source": f"{Path(rule.loc.file).name}:{rule.loc.line}" if rule.loc else "",
            "when": _cond_text(rule.when), "atoms": [],
            "then": [f"{f} = {v}" for f, v in rule.then],
            "wording": rule.wording, "explain": rule.explain[lang],
            "penalty": rule.penalty[lang] if rule.penalty else None,
            "cites": list(rule.cites),
            "facts": [{"id": f, "label": pack.facts[f].label[lang],
                       "origin": pack.facts[f].origin} for f in used if f in pack.facts],
            "questions": [q for f in used if f in pack.facts for q in questions_for(f)],
        }

    citing: dict[str, list] = {}
    for rule in pack.rules:
        for cite in rule.cites:
            citing.setdefault(pid_of(cite), []).append(rule)
    laws = []
    for law_id, law in lib.laws.items():
        provs = []
        for pid, prov in lib.provisions.items():
            if prov.law_id != law_id:
                continue
            versions = [{"from": v.effective_from.isoformat() if v.effective_from else None,
                         "to": v.effective_to.isoformat() if v.effective_to else None,
                         "edition": v.edition, "text": v.text,
                         "gloss": getattr(v, "gloss_en", None) if lang == "en" else None,
                         "confidence": getattr(v, "confidence", None)}
                        for v in prov.versions]
            unique = []
            for r in citing.get(pid, []):
                if all(r is not u for u in unique):
                    unique.append(r)
            rules = [rule_view(r) for r in unique]
            seen_q, qs = set(), []
            for r in rules:
                for q in r["questions"]:
                    if id(q) not in seen_q:
                        seen_q.add(id(q))
                        qs.append(q)
            provs.append({"id": pid, "anchor": pid.replace("/", "-"),
                          "article": prov.article, "title": _text(prov.title, lang),
                          "versions": versions, "rules": rules, "questions": qs})
        if provs:
            laws.append({"id": law_id, "name": _text(law.name, lang), "provisions": provs})
    index = sorted(
        [{"key": r.id, "kind": "rule", "anchor": "rule-" + r.id,
          "where": [pid_of(c) for c in r.cites]} for r in pack.rules] +
        [{"key": f, "kind": "fact", "anchor": "fact-" + f, "where": [
            r.id for r in pack.rules if f in facts_used(r.when) or f in dict(r.then)]}
         for f in pack.facts], key=lambda e: e["key"])
    t = load_words(base, lang)
    facts = [{"id": f.id, "label": f.label[lang], "type": f.type,
              "origin": t["rulebook"]["origin"].get(f.origin, f.origin),
              "choices": list(f.values), "questions": questions_for(f.id)}
             for f in pack.facts.values()]
    return {"lang": lang, "t": t, "w": t["rulebook"], "title": t["rulebook"]["title"],
            "date": date.today().isoformat(), "digest": pack.digest[:12], "laws": laws,
            "facts": facts, "index": index, "questions": questions,
            "thresholds": threshold_tables(lib, pack, t, lang), "uncited_rules": []}


def render_rulebook_html(base=None, lang: str = "zh") -> str:
    import jinja2

    from . import paths

    folders = [paths.templates_dir(base), paths.templates_dir(None)]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(f) for f in folders]),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    try:
        template = env.get_template(TEMPLATE)
    except jinja2.TemplateNotFound:
        raise AssessError("the rulebook template is missing", file=str(folders[0] / TEMPLATE),
                          hint="copy it from the shipped pack (assess rules init)") from None
    except jinja2.TemplateSyntaxError as exc:
        raise AssessError(f"template syntax error: {exc.message}", file=exc.filename,
                          line=exc.lineno) from None
    return template.render(**rulebook_data(base, lang))


def build_rulebook(output: str | Path, base=None, lang: str = "zh") -> Path:
    """Write the rulebook to `output` (.html or .pdf)."""
    from . import paths

    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise AssessError("the rulebook is written as .html or .pdf", file=str(output),
                          field="-o", expected="rulebook.html or rulebook.pdf")
    html = render_rulebook_html(base, lang)
    if output.suffix.lower() in (".html", ".htm"):
        output.write_text(html, encoding="utf-8")
        return output
    try:
        from .pdf import html_to_pdf
    except ImportError:
        html_to_pdf = None
    templates = paths.templates_dir(base)
    if html_to_pdf is not None:
        data = html_to_pdf(html, base_url=templates, assets_dir=templates / "assets")
    else:                                              # pragma: no cover - pdf.py is shipped
        from weasyprint import HTML
        data = HTML(string=html, base_url=str(templates)).write_pdf()
    output.write_bytes(data)
    return output
