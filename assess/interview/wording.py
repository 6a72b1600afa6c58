"""Question and outcome wording shared by every front end: the words (zh, en), the labels of
answers, tracks and bands, and the one-line outcome shown by `why`."""
from __future__ import annotations

from .slots import _MISSING, Slot, _get

TRACKS = ("criminal", "administrative", "civil")
SHORT_TRACK = {"zh": {"criminal": "刑事", "administrative": "行政", "civil": "民事",
                      "platform": "平台", "none": "无"},
               "en": {"criminal": "criminal", "administrative": "administrative",
                      "civil": "civil", "platform": "platform", "none": "none"}}
COMMANDS = {
    "why": ("?", "？", "why", "为什么"),
    "detail": ("??", "？？", "why detail", "detail", "详细", "为什么详细"),
    "help": ("help", "帮助"),
    "back": ("back", "返回"),
    "review": ("review", "查看"),
    "save": ("save", "保存"),
    "quit": ("quit", "exit", "退出"),
}
EN_LABELS = {
    "ai_generated": "AI-generated", "edited": "edited real photo", "staged": "staged photo",
    "genuine": "genuine photo", "automatic": "refunded automatically by the system",
    "reviewed_without_merchant": "reviewed by the platform without hearing the merchant",
    "reviewed_with_merchant": "reviewed by the platform after hearing the merchant",
    "full": "paid back in full", "partial": "paid back in part", "none": "not paid back",
    "administrative": "administrative penalty", "criminal": "criminal penalty",
}
W = {
    "zh": {
        "possible": "仍可能", "not_ruled_out": "尚未排除", "remaining": "约剩 {n} 题", "answered": "已答 {n} 题",
        "commands": "[? 为什么 · ?? 详细 · 返回 · 查看 · 不确定 · 保存 · 退出]",
        "yesno": "1) 是  2) 否", "unknown_hint": "（不知道请答“不确定”）",
        "invalid": "无法接受：{why}", "again": "请重新输入。",
        "no_unknown": "此题不能回答“不确定”", "empty": "请输入回答（或“不确定”）",
        "not_yesno": "请回答 是 / 否 / 不确定", "not_choice": "请输入选项编号或名称：{opts}",
        "handled_needs_penalty": "这一次若已受过处罚，请先在“买家此前是否受过行政处罚或刑事处罚？”"
                                 "一题中列出这次处罚（种类和日期；之前的回答可以在“查看”中修改），"
                                 "现在可以先回答“不确定”",
        "not_int": "请输入 {lo}–{hi} 之间的整数", "place_ok": "{label}，对吗？（是/否）",
        "place_note": "注意：{note}", "echo": "→ {value}",
        "date_echo": "{date}（星期{day}）", "weekdays": "一二三四五六日",
        "no_file": "找不到文件 {path}；请输入文件路径（相对案件文件所在的文件夹，或完整路径）",
        "file_echo": "{path}  SHA-256 {sha}",
        "learned_before_claim": "这一天（{date}）早于买家第一次申请退款（{first}）。商家通常是在买家"
                                "申请之后才知道被骗的；这个日期决定撤销权和诉讼时效从哪天起算。",
        "confirm_date": "确认按 {date} 保存吗？（是 = 保存；否 = 重新输入）",
        "report_before_claim": "报案日期 {date} 早于买家第一次申请退款（{first}），不可能在申请之前报案。"
                               "请输入公安机关知道这些行为的日期。",
        "saved": "已保存：{path}", "no_back": "这是第一题，没有上一题。",
        "back_to": "返回上一题（当前回答：{value}）",
        "review_title": "已回答的问题：", "review_pick": "输入编号修改，直接回车返回：",
        "review_none": "还没有回答。", "review_bad": "没有这个编号。",
        "why_title": "为什么问这个？", "why_facts": "这个回答用于：",
        "why_detail_title": "为什么问这个？（详细：依据的规则和条文）",
        "why_more": "（输入 ?? 查看依据的规则和条文）",
        "why_consequence": "结论已经确定；这个回答决定处罚的后果：",
        "consequence_open": "后果仍取决于其他回答",
        "why_rules": "读取它的规则：", "why_change": "可能改变的结论：",
        "why_settled": "就目前的回答而言，这一题已不能改变结论。",
        "why_together": "就目前的回答而言，这一题的各个回答得出相同的结论；但不能排除它与尚未回答的问题一起改变结论，所以仍然要问。",
        "why_unfinished": "未知事实过多，分析未完成：以上“可能”“尚可能”的结论只是尚未排除，未逐一核实。",
        "why_provisions": "相关条文：",
        "answer": "答 {value} → {outcome}", "deadline_changes": "期限不同",
        "psapl": "治安管理处罚法 {ed} 年文本", "band": "（{band}）",
        "maybe": "尚可能：{tracks}", "possibly": "可能为{track}", "date_open": "日期尚不确定",
        "quit": "已保存。继续回答：assess interview {path} --resume",
        "interrupted": "已中断；所有回答已保存到 {path}。继续：assess interview {path} --resume",
        "kept_original": "{path} 是手写或编辑过的文件（有注释或自己的格式）；问卷会按自己的格式保存回答，"
                         "原文件已原样复制到 {copy}。",
        "eof": "输入已结束，问卷尚未完成；已保存 {n} 个回答",
        "eof_hint": "继续：assess interview {path} --resume",
        "exists": "案件文件已存在",
        "exists_hint": "继续回答请加 --resume，或换一个文件名",
        "done": "结论已确定，问卷结束（共回答 {n} 题）。",
        "summary": "评估结论", "primary": "主要处理途径", "definite": "确定",
        "conditional": "有条件", "applies": "适用", "not": "不适用",
        "penalty": "后果", "band_title": "数额档次", "amount": "诈骗数额",
        "standard": "当地标准", "law": "适用的治安管理处罚法文本", "deadlines": "期限",
        "passed": "已届满", "how": "理由（HOW）", "cites": "依据", "depends": "取决于",
        "full_report": "完整报告：assess evaluate {path} --as-of {as_of}",
        "offer_docs": "现在生成法律意见书和报案材料吗？（是/否）",
        "offer_docs_again": "请回答 是 或 否（直接回车为否）",
        "confirm_again": "请回答 是 或 否",
        "docs_details": "补充文书所需的信息（不需要的直接回车跳过）：",
        "doc_written": "已生成：{path}", "doc_failed": "未能生成{kind}：{why}",
        "doc_cmd": "生成文书：", "kinds": {"opinion": "法律意见书", "report": "报案材料"},
        "none": "—", "no_answer": "回答文件中没有问题“{key}”的答案",
        "no_answer_hint": "在 {file} 中加上 {key}: …（不知道可写 unknown）",
        "answers_fix": "在回答文件中改正 {key} 的回答",
        "versions": {"2012": "2012年", "2025": "2025年"},
        "more_conditional": "……另有 {n} 项有条件的后果，见完整报告",
        "skipped": "另有 {n} 条规则的结论取决于未回答或不确定的事实，见完整报告。",
        "photos_intro": "照片分析（文件路径相对案件文件所在的文件夹，多个文件用逗号或空格分开；直接回车跳过）：",
        "photos_incident": "第 {n} 次申请（{about}）：买家提交的照片文件？",
        "photos_listing": "商家商品详情页图片的文件？",
        "photos_running": "正在分析照片（标识、内容凭证、相机元数据、与商品图比对）……",
        "photos_none": "没有买家照片文件，未作照片分析。",
        "photos_findings": "照片分析结果（线索，不是结论）：",
        "photos_outcomes": "记入案件文件后，评估会这样说明分析结果与您对照片制作方式的陈述：",
        "photos_conditional": "（有条件）",
        "photos_accept": "把以上分析结果记入案件文件（evidence_analysis）吗？（是/否）",
        "photos_saved": "已记入 {path}。",
        "photos_not_saved": "未记入案件文件；以后可以用 assess evidence --case 案件文件 --write 记入。",
    },
    "en": {
        "possible": "Still possible", "not_ruled_out": "Not ruled out", "remaining": "about {n} left", "answered": "{n} answered",
        "commands": "[? why · ?? detail · back · review · unknown · save · quit]",
        "yesno": "1) yes  2) no", "unknown_hint": " (answer 'unknown' if not known)",
        "invalid": "Not accepted: {why}", "again": "Please answer again.",
        "no_unknown": "this question cannot be answered 'unknown'",
        "empty": "please type an answer (or 'unknown')",
        "not_yesno": "answer yes / no / unknown", "not_choice": "type an option's number or name: {opts}",
        "handled_needs_penalty": "if this request was already punished, first list that penalty "
                                 "(kind and date) under 'Has the buyer been penalised before?' "
                                 "(earlier answers can be changed under 'review'); for now you can "
                                 "answer unknown ('Not sure')",
        "not_int": "type a whole number from {lo} to {hi}", "place_ok": "{label} — correct? (yes/no)",
        "place_note": "Note: {note}", "echo": "→ {value}",
        "date_echo": "{date} ({day})",
        "no_file": "no file {path}; type the file's path (relative to the case file's folder, "
                   "or a full path)",
        "file_echo": "{path}  SHA-256 {sha}",
        "learned_before_claim": "That day ({date}) is before the buyer's first refund request "
                                "({first}). A merchant normally learns of the fraud after the "
                                "request; this date starts the revocation and limitation periods.",
        "confirm_date": "Keep {date}? (yes = keep; no = type it again)",
        "report_before_claim": "The report date {date} is before the buyer's first refund request "
                               "({first}); a report cannot come before it. Type the day the police "
                               "learned of these requests.",
        "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "saved": "Saved: {path}", "no_back": "This is the first question; there is nothing before it.",
        "back_to": "Back to the previous question (current answer: {value})",
        "review_title": "Answers so far:", "review_pick": "Number to change, Enter to go back: ",
        "review_none": "No answers yet.", "review_bad": "No such number.",
        "why_title": "Why is this asked?", "why_facts": "The answer feeds:",
        "why_detail_title": "Why is this asked? (in detail: the rules and provisions)",
        "why_more": "(type ?? for the rules and provisions behind it)",
        "why_consequence": "The conclusions are settled; this answer decides the consequence:",
        "consequence_open": "the consequence still depends on other answers",
        "why_rules": "Rules that read it:", "why_change": "What it could change:",
        "why_settled": "With the answers so far this question can no longer change the outcome.",
        "why_together": "With the answers so far, each answer to this question gives the same conclusions; it is still asked because it cannot be ruled out that, together with questions not yet answered, it changes them.",
        "why_unfinished": "Too many facts are unknown and the analysis stopped early: the outcomes above listed as possible are only not ruled out, not all checked.",
        "why_provisions": "Provisions:",
        "answer": "answer {value} → {outcome}", "deadline_changes": "deadlines differ",
        "psapl": "PSAPL {ed} text", "band": " ({band})", "maybe": "still possible: {tracks}",
        "possibly": "possibly {track}", "date_open": "date not yet known",
        "quit": "Saved. To continue: assess interview {path} --resume",
        "interrupted": "Interrupted; every answer is saved in {path}. To continue: "
                       "assess interview {path} --resume",
        "kept_original": "{path} was written or edited by hand (comments, its own layout); the "
                         "questionnaire saves the answers in its own layout, and the file as it "
                         "was is copied to {copy}.",
        "eof": "input ended before the interview was finished; {n} answers saved",
        "eof_hint": "continue with: assess interview {path} --resume",
        "exists": "the case file already exists",
        "exists_hint": "add --resume to continue with its answers, or choose another file name",
        "done": "The conclusions are settled; the interview is over ({n} questions answered).",
        "summary": "Assessment", "primary": "Primary track", "definite": "definite",
        "conditional": "conditional", "applies": "applies", "not": "does not apply",
        "penalty": "consequence", "band_title": "Amount band", "amount": "fraud amount",
        "standard": "local standard", "law": "PSAPL text applied", "deadlines": "Deadlines",
        "passed": "passed", "how": "How (reasons)", "cites": "cites", "depends": "depends on",
        "full_report": "Full report: assess evaluate {path} --as-of {as_of} --lang en",
        "offer_docs": "Write the legal opinion and the police-report draft now? (yes/no)",
        "offer_docs_again": "answer yes or no (Enter for no)",
        "confirm_again": "answer yes or no",
        "docs_details": "Details for the documents (press Enter to skip any):",
        "doc_written": "Written: {path}", "doc_failed": "Could not write the {kind}: {why}",
        "doc_cmd": "To write the documents:", "kinds": {"opinion": "opinion", "report": "police report"},
        "none": "—", "no_answer": "the answers file has no answer for question '{key}'",
        "no_answer_hint": "add {key}: … to {file} (write unknown if it is not known)",
        "answers_fix": "correct the answer to {key} in the answers file",
        "versions": {"2012": "2012", "2025": "2025"},
        "more_conditional": "… {n} more conditional consequences in the full report",
        "skipped": "{n} more rules depend on facts not answered or not known; see the full report.",
        "photos_intro": "Photo analysis (paths relative to the case file's folder, several files separated by commas or spaces; Enter to skip):",
        "photos_incident": "Request {n} ({about}): the photo files the buyer submitted?",
        "photos_listing": "The files of the merchant's listing photos?",
        "photos_running": "Analysing the photos (labels, manifests, camera metadata, comparison with the listing photos)...",
        "photos_none": "No buyer photo file: no photo analysis.",
        "photos_findings": "What the photo analysis found (indicators, not a verdict):",
        "photos_outcomes": "Once recorded, the assessment relates the analysis to your statement of how the photos were made:",
        "photos_conditional": " (conditional)",
        "photos_accept": "Record these findings in the case file (evidence_analysis)? (yes/no)",
        "photos_saved": "Recorded in {path}.",
        "photos_not_saved": "Not recorded; later: assess evidence --case CASE --write."
    },
}
TRACK_LABEL = {"zh": {"criminal": "刑事（诈骗罪）", "administrative": "行政（治安管理处罚）",
                      "civil": "民事", "platform": "平台责任", "none": "无"},
               "en": {"criminal": "criminal (fraud)", "administrative": "administrative (PSAPL)",
                      "civil": "civil", "platform": "platform liability", "none": "none"}}
BAND_LABEL = {"zh": {"large": "数额较大", "huge": "数额巨大", "especially_huge": "数额特别巨大"},
              "en": {"large": "large amount", "huge": "huge amount",
                     "especially_huge": "especially huge amount"}}



class Wording:
    """Labels of questions, answers and outcomes (mixed into the session; needs self.lang,
    self.w, self.qs, self.lib and the session's data)."""

    def yesno_label(self, v: str) -> str:
        if self.lang == "zh":
            return {"yes": "是", "no": "否", "unknown": "不确定"}.get(v, v)
        return v

    def value_label(self, q, v) -> str:
        from ..amounts import format_amount
        from decimal import Decimal

        if v is _MISSING or v is None:
            return self.w["none"]
        if v == "unknown":
            return self.yesno_label("unknown")
        if q.type == "yesno":
            return self.yesno_label(v)
        if q.type == "choice":
            return self.choice_label(q, v)
        if q.type == "amount" and isinstance(v, (int, float)):
            return format_amount(Decimal(str(v)), self.lang)
        return str(v)

    def choice_label(self, q, v) -> str:
        if self.lang == "zh":
            return (q.values or {}).get(v, v)
        return EN_LABELS.get(v, v.replace("_", " "))

    def slot_title(self, slot: Slot) -> str:
        if slot.kind in ("gate", "more"):
            g = self.qs.by_id(slot.qid)
            return g.text("gate" if slot.kind == "gate" else "more", self.lang)
        q = self.question(slot)
        text = q.text("prompt", self.lang)
        if q.group is not None:
            head = q.group.text("heading", self.lang).replace("{n}", str((slot.index or 0) + 1))
            text = f"{head} · {text}"
        return text

    def current_label(self, slot: Slot) -> str:
        if slot.kind == "gate":
            return self.yesno_label(self.groups[slot.qid]["gate"] or "unknown")
        if slot.kind == "more":
            g = self.qs.by_id(slot.qid)
            more = len(self.entries(g)) > (slot.index or 0) + 1 or self.groups[g.id]["open"]
            return self.yesno_label("yes" if more else "no")
        q = self.question(slot)
        v = self.value(slot)
        if v is not _MISSING and q.date_field and _get(self.data, q.field) is _MISSING:
            return str(v)
        return self.value_label(q, v)

    def outcome_text(self, result: dict) -> str:
        w = self.w
        zh = self.lang == "zh"
        primary = result["primary_track"]
        text = TRACK_LABEL[self.lang][primary] if primary != "none" else \
            ("尚未确定" if zh else "not settled")
        if primary != "none" and result.get("primary_track_status") != "definite":
            text = w["possibly"].format(track=text)
        crim = result["tracks"]["criminal"]
        band = crim.get("band")
        if band:
            text += w["band"].format(band=BAND_LABEL[self.lang][band])
        elif primary == "criminal":
            bands = [BAND_LABEL[self.lang][b] for b in crim.get("possible_bands") or [] if b]
            if bands:
                text += w["band"].format(band="/".join(bands))
        more = []
        for t in result["possible_tracks"]:
            if t == primary:
                continue
            label = SHORT_TRACK[self.lang][t]
            if t == "criminal" and not band:
                bands = [BAND_LABEL[self.lang][b] for b in crim.get("possible_bands") or [] if b]
                if bands:
                    label += ("（" + "/".join(bands) + "）") if zh else f" ({'/'.join(bands)})"
            more.append(label)
        if more:
            text += ("；" if zh else "; ") + w["maybe"].format(tracks=" / ".join(more))
        ed = result["law_applied"]["psapl_edition"]
        if isinstance(ed, str) and "administrative" in result["possible_tracks"]:
            text += ("；" if zh else "; ") + w["psapl"].format(ed=ed)
        return text

    def consequence_text(self, result: dict) -> str:
        """The consequences that are certain for this answer (criminal, administrative)."""
        w = self.w
        texts = [p["text"] for t in ("criminal", "administrative")
                 if result["tracks"][t]["applies"] is not False
                 for p in result["tracks"][t]["penalties"] if p["status"] == "definite"]
        return " ".join(texts) or w["consequence_open"]

    def outcome_difference(self, result: dict, others: list) -> str:
        """What sets this outcome apart from the others when the short text is the same:
        whether the civil or platform track applies, and deadlines."""
        w = self.w
        zh = self.lang == "zh"
        parts = []
        for t in ("civil", "platform", "criminal", "administrative"):
            if len({str(o["tracks"][t]["applies"]) for o in others}) > 1:
                a = result["tracks"][t]["applies"]
                flag = w["applies"] if a is True else w["not"] if a is False else w["conditional"]
                parts.append(f"{SHORT_TRACK[self.lang][t]}{'：' if zh else ': '}{flag}")
        mine = {d["id"]: d for d in result["deadlines"]}
        for d in mine.values():
            differs = any(next((x for x in o["deadlines"] if x["id"] == d["id"]), None) is None
                          or next(x for x in o["deadlines"] if x["id"] == d["id"])["date"] !=
                          d["date"] for o in others)
            if differs:
                parts.append(f"{d['label']} {d['date'] or w['date_open']}")
        if not parts and any(o["deadlines"] != result["deadlines"] for o in others):
            parts.append(w["deadline_changes"])
        return ("，" if zh else ", ").join(parts[:3]) or w["deadline_changes"]

    # ------------------------------------------------------------------ parsing answers

    def provision_label(self, pid: str) -> str:
        prov = self.lib.provisions.get(pid)
        if prov is None:
            return pid
        law = self.lib.laws.get(prov.law_id)
        short = (law.short.get(self.lang) or law.short.get("zh")) if law else prov.law_id
        if self.lang == "zh":
            return f"{short}{prov.article}"
        return f"{short} art. {pid.split('/', 1)[1]}"
