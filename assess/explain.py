"""The assessment for people: a terminal rendering of the result dict (rich).

Every label comes from the result (rule titles, explanations and provision texts from the YAML)
or from the small table of interface words below, in Chinese and English.
"""
from __future__ import annotations

from .citations import cite_label

WORDS = {
    "zh": {"title": "仅退款欺诈案件评估", "primary": "主要处理途径", "possible": "尚有可能",
           "conditional": "有条件", "definite": "确定", "applies": "适用", "not": "不适用",
           "tracks": {"civil": "民事", "administrative": "行政（治安管理处罚）",
                      "criminal": "刑事（诈骗罪）", "platform": "对平台的违约请求", "none": "无"},
           "claim": {True: "商家可以主张（取决于平台服务协议和规则）", False: "未见依据"},
           "bands": {"large": "数额较大", "huge": "数额巨大", "especially_huge": "数额特别巨大"},
           "amount": "诈骗数额", "obtained": "已取得", "thresholds": "数额标准",
           "source": "来源", "confidence": "可信度", "applied": "已适用当地标准",
           "range": "未适用经核实的当地标准，采用法定幅度",
           "law": "适用的法律文本", "deadlines": "期限", "passed": "已届满",
           "recommend": "建议", "evidence": "应固定的证据", "change": "什么会改变结论",
           "trace": "推理过程", "cites": "引用", "not_in_force": "该日未施行",
           "warnings": "提示", "band": "档次", "penalty": "处罚", "consequence": "法律后果",
           "as_of": "评估日", "conclusion": "结论", "condition": "条件",
           "status": {"unverified": "现行有效未经核实", "uncertain": "是否仍然适用未定"},
           "place": "处理地", "conditional_on": "取决于"},
    "en": {"title": "Refund-fraud case assessment", "primary": "Primary track",
           "possible": "still possible", "conditional": "conditional", "definite": "definite",
           "applies": "applies", "not": "does not apply",
           "tracks": {"civil": "civil", "administrative": "administrative (PSAPL)",
                      "criminal": "criminal (fraud)", "platform": "contract claim against the platform",
                      "none": "none"},
           "claim": {True: "the merchant may claim (depends on the platform's agreement and rules)",
                     False: "no basis found"},
           "bands": {"large": "large amount", "huge": "huge amount",
                     "especially_huge": "especially huge amount"},
           "amount": "Fraud amount", "obtained": "obtained", "thresholds": "Amount standard",
           "source": "source", "confidence": "confidence", "applied": "local standard applied",
           "range": "no verified local standard applied; statutory range used",
           "law": "Law applied", "deadlines": "Deadlines", "passed": "passed",
           "recommend": "Recommendations", "evidence": "Evidence to secure",
           "change": "What would change this", "trace": "Reasoning", "cites": "cites",
           "not_in_force": "not in force on that date", "warnings": "Notes", "band": "band",
           "penalty": "penalty", "consequence": "consequence", "as_of": "as of",
           "conclusion": "Conclusion", "condition": "if",
           "status": {"unverified": "in force: unverified", "uncertain": "whether it still applies: unsettled"},
           "place": "place",
           "conditional_on": "depends on"},
}


def _applies(value, w, track: str = "") -> str:
    if track == "platform" and value in (True, False):     # a claim the merchant may have
        return w["claim"][value]
    return w["applies"] if value is True else w["not"] if value is False else w["conditional"]


def _money(value, lang) -> str:
    """An amount of the result (a number, or {"min", "max"} with None for no bound) as
    assessment.fmt_value writes an amount interval (至多7,300元, not 0–7,300元)."""
    from .assessment import fmt_value
    from .evaluator import BIG

    if isinstance(value, (int, float)):
        return fmt_value("amount", (value, value), lang)
    if isinstance(value, dict) and "min" in value:
        lo, hi = value["min"], value["max"]
        return fmt_value("amount", (-BIG if lo is None else lo, BIG if hi is None else hi), lang)
    return "未知" if lang == "zh" else "unknown"


def _user(text) -> str:
    """A text from the case file, kept from reading as our own [bold] markup."""
    return str(text).replace("[bold]", "［bold］").replace("[/bold]", "［/bold］")


def render_lines(result: dict) -> list[str]:
    """The assessment as plain lines of text (rich markup allowed)."""
    lang = result.get("lang", "zh")
    w = WORDS[lang]
    zh = lang == "zh"
    sep = "：" if zh else ": "     # no space in Chinese: a long text wraps in place
    gap = "" if zh else " "
    semi, comma = ("；", "，") if zh else ("; ", ", ")
    lp, rp = ("（", "）") if zh else (" (", ")")

    def cond(item: dict) -> str:
        """The mark of a conditional item, with its condition when there is one."""
        if item.get("status") == "definite":
            return ""
        if item.get("condition_text"):
            return f"{lp}{w['condition']}{sep if zh else ' '}{item['condition_text']}{rp}"
        return f"{lp}{w['conditional']}{rp}"
    out: list[str] = []
    case = result["case"]
    place = (case.get("place") or {})
    out.append(f"[bold]{w['title']}[/bold]  {_user(case.get('title') or case.get('file') or '')}")
    out.append(f"{w['as_of']}{sep}{result['as_of']}   {w['place']}{sep}"
               f"{' '.join(x for x in (place.get('province'), place.get('city'), place.get('county')) if x) or '—'}")
    out.append(f"{w['amount']}{sep}{_money(result['amounts']['fraud_amount'], lang)}"
               f"{lp}{w['obtained']}{sep}{_money(result['amounts']['obtained'], lang)}{rp}")
    listing = "、" if zh else ", "
    out.append(f"[bold]{w['conclusion']}{sep}{result['headline']['text']}[/bold]")
    out.append("")
    for track in ("criminal", "administrative", "civil", "platform"):
        info = result["tracks"][track]
        line = f"• {w['tracks'][track]}{sep}{_applies(info['applies'], w, track)}"
        if info.get("condition_text"):
            line += f"\n    [{w['condition']}{sep if zh else ' '}{info['condition_text']}]"
        # the band of a track that does not apply (an attempt not prosecuted) is not shown
        if track == "criminal" and info.get("bands") and info["applies"] is not False:
            bands = [w["bands"][b["band"]] + cond(b) for b in info["bands"]]
            line += f"\n    {w['band']}{sep}{' / '.join(bands)}"
        out.append(line)
        for p in info.get("penalties", []):
            mark = cond(p)
            label = w["penalty"] if track in ("criminal", "administrative") else w["consequence"]
            out.append(f"    {label}{sep}{p['text']}{mark}")
    law = result["law_applied"]
    if law["rules"] and result["tracks"]["administrative"]["applies"] is not False:
        out.append("")
        out.append(f"[bold]{w['law']}[/bold]")
        for r in law["rules"]:
            mark = cond(r)
            out.append(f"  {r['explanation']}{mark}")
    th = result["thresholds"]
    out.append("")
    out.append(f"[bold]{w['thresholds']}[/bold]{sep}" + comma.join(
        f"{w['bands'][b]} {_money(v, lang)}" for b, v in th["used"].items()))
    out.append(f"  {w['applied'] if th.get('applied') else w['range']}{semi}"
               f"{w['confidence']}{sep}{th.get('quality')}{semi}"
               f"{w['source']}{sep}{th.get('document') or '—'}")
    if result["deadlines"]:
        out.append("")
        out.append(f"[bold]{w['deadlines']}[/bold]")
        for d in result["deadlines"]:
            mark = cond(d)
            passed = f" [{d['met']['label']} {d['met']['date']}]" if d.get("met") else \
                f" [{w['passed']}]" if d.get("passed") else ""
            out.append(f"  {d['date'] or '?'}  {d['label']}{mark}{passed}")
    if result["what_would_change"]:
        out.append("")
        out.append(f"[bold]{w['change']}[/bold]")
        for c in result["what_would_change"]:
            out.append(f"  - {c['text']}")
    if result["recommendations"]:
        out.append("")
        out.append(f"[bold]{w['recommend']}[/bold]")
        for r in result["recommendations"]:
            mark = cond(r)
            out.append(f"  - {r['text']}{mark}")
    if result["evidence"]:
        out.append("")
        out.append(f"[bold]{w['evidence']}[/bold]")
        for i, e in enumerate(result["evidence"], 1):
            out.append(f"  {i}. {e['text']}")
    out.append("")
    out.append(f"[bold]{w['trace']}[/bold]")
    for t in result["trace"]:
        mark = w["definite"] if t["status"] == "definite" else w["conditional"]
        mark = f"{lp}{mark}{rp}"
        out.append(f"  [{t['rule']}]{gap}{t['title']}{mark}{sep}{t['explanation']}")
        if t.get("condition_text"):
            out.append(f"      {w['condition']}{sep if zh else ' '}{t['condition_text']}")
        cites = []
        for c in t["cites"]:
            flag = "" if c["in_force"] else f"{lp}{w['not_in_force']} {c['date']}{rp}"
            # Chinese: no space, so a line wraps inside the text and not before the tag
            doubt = f"；{w['status'][c['status']]}" if zh and c.get("status") else \
                f"; {w['status'][c['status']]}" if c.get("status") else ""
            cites.append(f"{cite_label(c, lang)}{gap}[{c['confidence']}{doubt}]{flag}")
        out.append(f"      {w['cites']}{sep}{('；' if lang == 'zh' else '; ').join(cites)}")
    if result.get("warnings"):
        out.append("")
        out.append(f"[bold]{w['warnings']}[/bold]")
        for msg in result["warnings"]:
            out.append(f"  - {msg}")
    return out


def print_result(result: dict) -> None:
    """Print the result to the terminal, wrapped here (assess/wrapping.py: Chinese line-break
    rules, continuation lines indented under their item) and not by rich."""
    import re

    from rich.console import Console
    from rich.markup import escape

    from .wrapping import wrap

    console = Console(highlight=False)
    cols = max(console.width - 1, 20)
    for line in render_lines(result):
        indent = " " * (len(line) - len(line.lstrip(" ")))
        for part in wrap(line, cols, indent=indent + "  ", first="", markup=True):
            # only our own [bold] tags are markup; rule ids, [V-repo] tags and the user's text
            # print as they are
            pieces = re.split(r"(\[/?bold\])", part)
            console.print("".join(p if p in ("[bold]", "[/bold]") else escape(p)
                                  for p in pieces), soft_wrap=True)
