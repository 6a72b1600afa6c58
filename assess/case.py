"""The case file: the facts a lawyer's questionnaire saves and `assess evaluate CASE` reads.

One table (`FIELDS`) describes every field once; the parser, the JSON Schema, the key order of
saved files and the "did you mean" hints all come from it.  "unknown" is a first-class answer:
every yes/no, choice, amount, date and age field accepts it (also 不确定, 不知道, 未知, ?), and a
missing field means the same.  All problems of a file are collected and raised together as
`AssessErrors`, each with file, line, column, field path, what was expected and a hint.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from . import yamlio
from .amounts import ACCEPTED_FORMS as AMOUNT_FORMS
from .amounts import ACCEPTED_FORMS_ZH as AMOUNT_FORMS_ZH
from .amounts import UNKNOWN_WORDS, is_unknown, parse_amount, to_json_number
from .dates import ACCEPTED_FORMS as DATE_FORMS
from .dates import ACCEPTED_FORMS_ZH as DATE_FORMS_ZH
from .dates import parse_date
from .errors import AssessError, AssessErrors
from .places import EXPECTED_FORM as PLACE_FORM
from .places import Place, resolve_place

Tri = str  # "yes" | "no" | "unknown"

FORMAT = "assess-case/1"
YES, NO, UNKNOWN = "yes", "no", "unknown"

_YES_WORDS = {"yes", "true", "是", "有"}
_NO_WORDS = {"no", "false", "否", "无"}
TRI_FORMS = "yes/no (also true/false, 是/否, 有/无) or unknown (不确定, 不知道, 未知, ?)"
TRI_FORMS_ZH = "是/否（也可写 yes/no、true/false、有/无），或者 不确定（unknown、不知道、未知、?）"
UNKNOWN_LIST = "unknown, 不确定, 不知道, 未知, ?"

# Refund requests one case file may hold: an assessment of 200 takes about a second and its
# documents stay readable (README, "Limits"); more is refused with a message.
MAX_INCIDENTS = 200

# A sanity bound, not a legal date: no refund request on a Chinese shopping platform (and so no
# report or finding about one) is older.  The buyer's birth date and earlier penalties may be.
EARLIEST_EVENT = date(2000, 1, 1)

# Choice fields: canonical value -> Chinese label (the label is accepted as input too).
REFUND_APPROVALS = {"automatic": "系统自动退款", "reviewed_without_merchant": "平台审核（未听取商家意见）",
                    "reviewed_with_merchant": "平台审核（听取商家意见）", "merchant": "商家自行同意退款",
                    "unknown": "未知"}
PHOTO_METHODS = {"ai_generated": "AI生成", "edited": "修图篡改", "staged": "摆拍伪造",
                 "genuine": "真实照片", "unknown": "未知"}
PENALTY_KINDS = {"administrative": "行政处罚", "criminal": "刑事处罚", "unknown": "未知"}
RESTITUTION = {"full": "全部退赔", "partial": "部分退赔", "none": "未退赔", "unknown": "未知"}
# incidents[].handled: was this incident already dealt with (未经处理 or not)?  `yes` is for a
# source that knows only that it was dealt with (e.g. a refund-history export), not how.
HANDLED = {"no": "未经处理", "administrative": "已受行政处罚", "criminal": "已受刑事处罚",
           "yes": "已处理（种类不明）", "unknown": "未知"}
# incidents[].refund_status: where the refund request stands (refund_paid follows from it)
REFUND_STATUS = {"paid": "已退款", "pending": "退款申请待处理", "rejected": "退款申请已被驳回",
                 "unknown": "未知"}
OPERATOR_TYPES = {"company": "公司或其他组织", "individual": "个人（含个体工商户）", "unknown": "未知"}
EVIDENCE_KINDS = {"order": "订单记录", "chat": "聊天记录", "buyer_photo": "买家提交的照片",
                  "packing_video": "发货打包视频", "unboxing_video": "开箱视频",
                  "service_video": "客服视频（视频通话或录屏）", "listing_photo": "商品详情页图片",
                  "platform_record": "平台售后/退款记录", "other": "其他", "unknown": "未知"}
# evidence_analysis.ai_label: the strongest GB 45438 implicit label found in the buyer's photos
AI_LABELS = {"1": "Label=1 属于人工智能生成合成", "2": "Label=2 可能为人工智能生成合成",
             "3": "Label=3 疑似为人工智能生成合成", "none": "未发现标识", "unknown": "未知"}


@dataclass(frozen=True)
class F:
    """One field of the case file."""

    name: str
    kind: str  # format text tri enum date amount age place sha256 object list
    zh: str
    en: str
    values: dict | None = None          # enum: value -> Chinese label
    fields: tuple["F", ...] = ()        # object / list of objects
    required: bool = False
    statement: tuple[str, str] | None = None   # (zh, en) as a condition reads it, where the
    #                                            label is a question


PHOTO = (
    F("file", "text", "照片文件名（相对案件文件所在目录）", "photo file name (relative to the case file)"),
    F("sha256", "sha256", "文件的 SHA-256 值（64位十六进制）", "SHA-256 of the file (64 hex digits)"),
    F("description", "text", "说明", "description"),
    F("obtained", "text", "取得方式（如：向平台调取的原始上传文件）",
      "how it was obtained (e.g. the original upload, obtained from the platform)"),
)
PENALTY = (
    F("date", "date", "处罚日期", "date of the penalty"),
    F("kind", "enum", "处罚种类", "kind of penalty", PENALTY_KINDS),
)
BUYER = (
    F("name", "text", "买家姓名（可匿名，如 张某）", "buyer's name (may be anonymised)"),
    F("account", "text", "买家平台账号", "buyer's platform account"),
    F("age", "age", "行为时年龄（0–120 的整数）", "age at the time of the conduct (integer 0-120)"),
    F("birth_date", "date", "出生日期（与 age 二选一；都填则须一致）",
      "date of birth (give age or birth_date; if both, they must agree)"),
    F("near_relative", "tri", "买家是否为商家的近亲属", "the buyer is a near relative of the merchant"),
    F("prior_penalties", "list", "此前受过的处罚（可为空列表）", "earlier penalties (may be empty)",
      fields=PENALTY),
    F("pregnant_or_nursing", "tri", "是否怀孕或正在哺乳自己不满一周岁的婴儿",
      "pregnant or nursing her own infant under one year"),
)
MERCHANT = (
    F("name", "text", "店铺名称（平台上的名称；店铺本身不是法律主体）",
      "shop name on the platform (a shop is not a legal person)"),
    F("operator", "text", "经营者（公司全称或个人姓名）", "operator of the shop (company or person)"),
    F("operator_type", "enum", "经营者类型", "kind of operator", OPERATOR_TYPES),
    F("legal_representative", "text", "法定代表人或负责人（经营者为公司时）",
      "legal representative (where the operator is a company)"),
    F("operator_id", "text", "统一社会信用代码或身份证号码", "unified social credit code or ID number"),
    F("contact_person", "text", "联系人", "contact person"),
    F("platform_account", "text", "商家平台账号", "merchant's platform account"),
    F("contact", "text", "联系方式", "contact"),
    F("address", "text", "商家地址", "merchant's address"),
)
PLATFORM = (
    F("name", "text", "电商平台名称（如 淘宝）", "e-commerce platform (e.g. 淘宝)"),
    F("refund_approval", "enum", "退款如何批准（平台自动、平台审核或商家自行同意）",
      "how the refund was approved (by the platform automatically or on review, or by the merchant itself)",
      REFUND_APPROVALS),
)
INCIDENT = (
    F("date", "date", "申请仅退款的日期", "date of the refund request"),
    F("order_no", "text", "订单号（请加引号）", "order number (quote it)"),
    F("goods", "text", "商品", "goods"),
    F("amount", "amount", "取得或意图取得的退款金额（元）", "amount obtained or sought (yuan)"),
    F("refund_paid", "tri", "平台或商家是否已实际退款", "the refund was actually paid",
      statement=("退款已实际支付", "the refund was paid")),
    F("refund_status", "enum", "退款申请的状态（已退款、待处理、已驳回）",
      "where the refund request stands (paid, pending, rejected)", REFUND_STATUS),
    F("photo_method", "enum", "“损坏”照片的制作方式", "how the 'damage' photos were made", PHOTO_METHODS),
    F("goods_defective", "tri", "商品是否确有质量问题", "the goods really were defective",
      statement=("商品确有质量问题", "the goods were defective")),
    F("handled", "enum", "该次行为是否已经处理过（已受行政处罚或刑事处罚）",
      "whether this incident was already dealt with (punished administratively or criminally)",
      HANDLED, statement=("该次行为的处理情况", "how this incident was dealt with")),
    F("photos", "list", "买家提交的照片", "photos the buyer submitted", fields=PHOTO),
)
EVIDENCE = (
    F("kind", "enum", "证据种类", "kind of evidence", EVIDENCE_KINDS),
    F("description", "text", "证据说明", "description"),
    F("file", "text", "文件名（相对案件文件所在目录）", "file name (relative to the case file)"),
    F("sha256", "sha256", "文件的 SHA-256 值", "SHA-256 of the file"),
    F("obtained", "text", "取得方式（如：向平台调取的原始上传文件、公证保全）",
      "how it was obtained (e.g. the original upload from the platform, notarised)"),
)
# What the photo analysis (`assess evidence --case CASE`) found in the buyer's photos; written by
# `assess evidence --case CASE --write` or by hand.  Indicators, never a verdict (docs/evidence.md).
EVIDENCE_ANALYSIS = (
    F("analysed_on", "date", "分析日期", "date of the analysis"),
    F("ai_label", "enum", "买家照片中最强的 GB 45438 隐式标识（1、2、3 或 none）",
      "the strongest GB 45438 implicit label in the buyer's photos (1, 2, 3 or none)", AI_LABELS),
    F("ai_label_producer", "text", "该标识记载的内容制作者（ContentProducer）",
      "the content producer that label names (ContentProducer)"),
    F("c2pa_ai_source", "tri", "C2PA 内容凭证记载人工智能来源类型",
      "a C2PA manifest records an AI digital source type"),
    F("derived_from_listing", "tri", "买家照片由商品详情页图片制作（复制或局部改动）",
      "a buyer photo was made from a listing photo (copied or locally changed)"),
    F("changed_region", "tri", "在由商品图制作的买家照片中发现局部改动区域",
      "a locally changed region was found in a buyer photo made from a listing photo"),
)
FIELDS = (
    F("format", "format", f"文件格式标识，固定为 {FORMAT}", f"format tag, always {FORMAT}", required=True),
    F("title", "text", "案件名称", "title of the case"),
    F("place", "place", "案件处理地（省+市+区/县）", "where the case is handled (province + city + county)"),
    F("buyer", "object", "买家（行为人）", "the buyer (the person whose conduct is assessed)", fields=BUYER),
    F("merchant", "object", "商家（被害方）", "the merchant (the victim)", fields=MERCHANT),
    F("platform", "object", "电商平台", "the platform", fields=PLATFORM),
    F("incidents", "list", "每次仅退款申请一条，至少一条", "one entry per refund request, at least one",
      fields=INCIDENT),
    F("intent_to_possess", "tri", "是否有非法占有目的", "intent to unlawfully possess"),
    F("refund_caused_by_photos", "tri", "退款是否因这些照片而批准", "the refund was granted because of the photos"),
    F("merchant_learned_date", "date", "商家知道或应当知道被骗的日期",
      "when the merchant knew or should have known of the fraud"),
    F("restitution", "enum", "退赃退赔情况", "restitution to the merchant", RESTITUTION),
    F("amount_returned", "amount", "已返还商家的金额合计（买家退赔、追缴后发还等，元）",
      "amount already back with the merchant (repaid by the buyer, recovered and returned, ...; yuan)"),
    F("forgiveness", "tri", "是否取得被害人谅解", "the victim has forgiven the buyer"),
    F("surrender", "tri", "是否自动投案", "the buyer surrendered voluntarily"),
    F("confession", "tri", "是否如实供述", "the buyer confessed truthfully"),
    F("interpretation_art2_circumstance", "tri",
      "是否具有诈骗罪司法解释所列从严情节之一（见文档）",
      "one of the circumstances listed by the judicial interpretation on fraud (see the docs)"),
    F("local_listed_circumstance", "tri", "是否具有当地数额标准文件所列情节（如上海）",
      "a circumstance listed by the local standard (e.g. Shanghai)"),
    F("amount_near_large", "tri",
      "您是否判断诈骗数额接近当地“数额较大”标准（如江苏；文件未规定“接近”的幅度）",
      "your judgement: the amount is close to the local large-amount standard (e.g. Jiangsu; "
      "the document gives no figure for 'close')"),
    F("repeated_fraud", "tri", "您是否判断属于“多次诈骗”（如江苏；文件未界定“多次”）",
      "your judgement: repeated fraud (多次诈骗; e.g. Jiangsu; the document does not define it)"),
    F("prior_fraud_penalty", "tri", "买家是否曾因诈骗受过刑事或者行政处罚",
      "the buyer was earlier penalised, criminally or administratively, for fraud"),
    F("admin_serious", "tri", "治安案件是否属于“情节较重”（由当地公安机关裁量基准认定）",
      "serious circumstances under the PSAPL (情节较重, per local police guidelines)"),
    F("admin_egregious", "tri",
      "治安案件是否“情节严重、影响恶劣”（按2025年修订文本，未成年人、七十周岁以上的人因此仍可执行拘留）",
      "the violation is serious with a bad impact (情节严重、影响恶劣; under the 2025 PSAPL text minors and "
      "people aged 70 or over may then be detained after all)"),
    F("admin_repeat_within_year", "tri",
      "行为人是否在一年以内二次以上违反治安管理（含本案；按2025年修订文本，影响未成年人、七十周岁以上的人是否执行拘留）",
      "the buyer violated public-security administration twice or more within one year "
      "(including this case; under the 2025 PSAPL text it decides whether minors and people aged 70 "
      "or over are detained)"),
    F("police_reported", "tri", "是否已向公安机关报案、控告或者举报（或者公安机关已经发现该行为）",
      "the matter was reported to the police (or the police discovered it)"),
    F("police_report_date", "date", "报案日期（公安机关最早知道本案行为的日期）",
      "date of the report (the earliest day the police knew of the conduct)"),
    F("police_case_filed", "tri", "公安机关是否已经立案侦查（刑事立案）",
      "the police opened a criminal investigation (立案)"),
    F("evidence", "list", "商家掌握的证据", "evidence the merchant holds", fields=EVIDENCE),
    F("evidence_analysis", "object", "照片分析结果（assess evidence）：线索，不是结论",
      "what the photo analysis found (assess evidence): indicators, not a verdict",
      fields=EVIDENCE_ANALYSIS),
    F("report_statement", "text", "写入报案材料和申诉书的补充说明（备注 notes 不写入）",
      "a further statement for the police report and the appeal (notes are not printed there)"),
    F("police_decision", "text", "公安机关已作出的处理决定（如：行政拘留八日，追缴违法所得）",
      "the police decision already made (e.g. eight days' detention, proceeds recovered)"),
    F("notes", "text", "备注（仅供内部参考，不写入报案材料和申诉书）",
      "notes (internal; not printed in the police report or the appeal)"),
)


@dataclass
class Incident:
    date: date | None
    order_no: str | None
    goods: str | None
    amount: Decimal | None
    refund_paid: Tri
    photo_method: str
    goods_defective: Tri
    photos: list[dict] = field(default_factory=list)
    handled: str = UNKNOWN          # no | administrative | criminal | yes | unknown (HANDLED)
    refund_status: str = UNKNOWN    # paid | pending | rejected | unknown (REFUND_STATUS)


@dataclass
class Case:
    data: dict
    file: str | None
    sha256: str | None
    title: str | None
    place: Place | None
    buyer: dict
    merchant: dict
    platform: dict
    incidents: list[Incident]
    intent_to_possess: Tri
    refund_caused_by_photos: Tri
    merchant_learned_date: date | None
    restitution: str
    forgiveness: Tri
    surrender: Tri
    confession: Tri
    interpretation_art2_circumstance: Tri
    local_listed_circumstance: Tri
    admin_serious: Tri
    evidence: list[dict]
    notes: str | None
    amount_near_large: Tri = UNKNOWN
    repeated_fraud: Tri = UNKNOWN
    prior_fraud_penalty: Tri = UNKNOWN
    amount_returned: Decimal | None = None
    admin_egregious: Tri = UNKNOWN
    admin_repeat_within_year: Tri = UNKNOWN
    police_reported: Tri = UNKNOWN
    police_report_date: date | None = None
    police_case_filed: Tri = UNKNOWN
    report_statement: str | None = None
    police_decision: str | None = None
    evidence_analysis: dict | None = None   # None: the case records no photo analysis
    warnings: list[str] = field(default_factory=list)   # what parsing changed, said to the user

    def buyer_age_on(self, d: date) -> int | None:
        """The buyer's age on `d`: from birth_date when known, otherwise the age given in the file."""
        born = self.buyer.get("birth_date")
        if born is not None:
            return _age(born, d)
        return self.buyer.get("age")

    @property
    def total_amount(self) -> Decimal | None:
        """Sum of the incident amounts; None when any amount is unknown or there is no incident."""
        if not self.incidents or any(i.amount is None for i in self.incidents):
            return None
        return sum((i.amount for i in self.incidents), Decimal(0))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --------------------------------------------------------------------------- parsing


# Characters removed from every text of a case: control characters (an ESC sequence can retitle
# or clear a terminal) and invisible ones (bidi controls such as U+202E reverse the sentence
# around them in a document; zero-width characters hide text).  Newlines and tabs stay.
CONTROL_OR_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class _Parser:
    def __init__(self, file: str, as_of: date, entries: dict | None = None):
        self.file = file
        self.as_of = as_of
        self.errors: list[AssessError] = []
        self.warnings: list[str] = []
        self.entries = entries          # list entries parsed before (parse_case's `entries`)
        self.sources: dict[int, dict] = {}  # id of an entry's values -> the entry (memo only)

    # where a key's value or a list item is, for Node/NodeList and for plain containers
    def where(self, container, key=None) -> tuple[int | None, int | None]:
        if isinstance(container, yamlio.Node):
            _, line, col = container.pos(key)
            return line, col
        if isinstance(container, yamlio.NodeList):
            _, line, col = container.pos(key)
            return line, col
        return None, None

    def error(self, container, key, path: str, message: str, expected: str | None = None,
              hint: str | None = None, at_key: bool = False, zh: tuple | None = None) -> None:
        """One problem; `zh` = (message, expected, hint) in Chinese (shown with --lang zh)."""
        if at_key and isinstance(container, yamlio.Node) and key in container.key_pos:
            line, col = container.key_pos[key]
        else:
            line, col = self.where(container, key)
        self.errors.append(AssessError(message, file=self.file, line=line, col=col, field=path,
                                       expected=expected, hint=hint,
                                       zh=dict(zip(("message", "expected", "hint"), zh))
                                       if zh else None))

    # ---- scalar kinds: return (python value, normalised JSON value) or raise _Bad

    def value(self, f: F, raw, container, key, path: str):
        kind = f.kind
        if kind == "text":
            return self.text(raw, container, key, path)
        if raw is None or is_unknown(raw):
            if kind in ("tri", "enum"):
                return UNKNOWN, UNKNOWN
            if kind == "format":
                self.error(container, key, path, "the format tag is empty", expected=FORMAT,
                           zh=("格式标识为空", FORMAT, None))
                return None, FORMAT
            if kind == "place":
                return None, UNKNOWN
            return None, UNKNOWN
        if kind == "format":
            if raw != FORMAT:
                self.error(container, key, path, f"unsupported case file format '{raw}'",
                           expected=FORMAT, hint=f"write 'format: {FORMAT}' (the only version so far)",
                           zh=(f"不支持的案件文件格式“{raw}”", FORMAT,
                               f"写 format: {FORMAT}（目前唯一的版本）"))
            return raw, FORMAT
        if kind == "tri":
            tri = to_tri(raw)
            if tri is None:
                self.error(container, key, path, f"'{raw}' is not a yes/no answer", expected=TRI_FORMS,
                           hint="answer yes, no or unknown",
                           zh=(f"“{raw}”不是“是/否”回答", TRI_FORMS_ZH, "回答 是、否 或 不确定"))
                return UNKNOWN, UNKNOWN
            return tri, tri
        if kind == "enum":
            choice = to_choice(raw, f.values)
            if choice is None:
                options = ", ".join(f.values)
                typed = str(raw).strip().lower()
                close = [v for v in f.values if typed and v.startswith(typed)] or \
                    difflib.get_close_matches(typed, list(f.values), n=1)
                self.error(container, key, path, f"'{raw}' is not a valid choice for {f.name}",
                           expected=f"one of: {options} (or the Chinese labels: "
                                    + ", ".join(f.values.values()) + ")",
                           hint=f"did you mean '{close[0]}'?" if close else f"choose one of: {options}",
                           zh=(f"“{raw}”不是 {f.name}（{f.zh}）的有效选项",
                               "以下之一：" + "、".join(f"{k}（{v}）" for k, v in f.values.items()),
                               f"您是不是要写“{close[0]}”？" if close else f"从以下选一个：{options}"))
                return UNKNOWN, UNKNOWN
            return choice, choice
        if kind == "date":
            try:
                d = parse_date(raw)
            except ValueError as exc:
                self.error(container, key, path, f"{path}: {exc}", expected=DATE_FORMS,
                           hint="write the date as 2025-11-17, or unknown if it is not known",
                           zh=(f"{path}（{f.zh}）：{getattr(exc, 'zh', exc)}", DATE_FORMS_ZH,
                               "日期写成 2025-11-17；不知道就写 unknown"))
                return None, UNKNOWN
            if d is not None and d < EARLIEST_EVENT and not path.startswith("buyer."):
                self.error(container, key, path,
                           f"{path}: the date {d.isoformat()} is before "
                           f"{EARLIEST_EVENT.isoformat()}",
                           expected=f"a date on or after {EARLIEST_EVENT.isoformat()}",
                           hint="check the year; refund requests on shopping platforms, and so "
                                "the reports and findings about them, are not older")
                return None, UNKNOWN
            # the analysis date is when a tool ran, not a fact of the case: it may follow the
            # as-of date of an assessment of the past
            if d is not None and d > self.as_of and path != "evidence_analysis.analysed_on":
                self.error(container, key, path,
                           f"{path}: the date {d.isoformat()} is after the as-of date {self.as_of.isoformat()}",
                           expected=f"a date on or before {self.as_of.isoformat()}",
                           hint="check the year; a fact of the case cannot lie in the future",
                           zh=(f"{path}（{f.zh}）：日期 {d.isoformat()} 晚于评估日 "
                               f"{self.as_of.isoformat()}",
                               f"{self.as_of.isoformat()} 或更早的日期",
                               "请检查年份；案件事实不会发生在将来"))
                return None, UNKNOWN
            return d, (d.isoformat() if d else UNKNOWN)
        if kind == "amount":
            try:
                a = parse_amount(raw)
            except ValueError as exc:
                self.error(container, key, path, f"{path}: {exc}", expected=AMOUNT_FORMS,
                           hint="write the amount in yuan, e.g. 3500 or 三千五百元; unknown if not known",
                           zh=(f"{path}（{f.zh}）：{getattr(exc, 'zh', exc)}", AMOUNT_FORMS_ZH,
                               "以元为单位填写，如 3500 或 三千五百元；不知道就写 unknown"))
                return None, UNKNOWN
            return a, (to_json_number(a) if a is not None else UNKNOWN)
        if kind == "age":
            age = to_age(raw)
            if age is None:
                self.error(container, key, path, f"'{raw}' is not an age", expected="an integer 0..120 or unknown",
                           hint="give the age in whole years at the time of the conduct, or the birth_date",
                           zh=(f"“{raw}”不是年龄", "0 到 120 的整数，或者 unknown",
                               "填行为时的周岁数，或者改填出生日期 birth_date"))
                return None, UNKNOWN
            return age, age
        if kind == "sha256":
            s = str(raw).strip().lower() if isinstance(raw, str) else None
            if s is None or len(s) != 64 or any(c not in "0123456789abcdef" for c in s):
                self.error(container, key, path, f"'{raw}' is not a SHA-256 value",
                           expected="64 hexadecimal digits (quoted)",
                           hint="compute it with `sha256sum FILE`, or leave the key out",
                           zh=(f"“{raw}”不是 SHA-256 值", "64 位十六进制数字（加引号）",
                               "用 `sha256sum 文件` 计算，或者删去这一项"))
                return None, None
            return s, s
        if kind == "place":
            if not isinstance(raw, str):
                self.error(container, key, path, f"'{raw}' is not a place name", expected=PLACE_FORM,
                           hint="write the place as text, e.g. 广东省深圳市南山区",
                           zh=(f"“{raw}”不是地名", "省+市+区/县，如 广东省深圳市南山区",
                               "以文字填写地点，如 广东省深圳市南山区"))
                return None, UNKNOWN
            try:
                return resolve_place(raw.strip()), raw.strip()
            except ValueError as exc:
                self.error(container, key, path, f"{path}: {exc}", expected=PLACE_FORM,
                           hint="write the place more fully: 省+市+区/县, e.g. 广东省东莞市 or 湖北省武汉市江岸区",
                           zh=(f"{path}（{f.zh}）：找不到或无法确定“{raw.strip()}”"
                               + (f"（{str(exc).split(' / ', 1)[1]}）" if " / " in str(exc) else ""),
                               "省+市+区/县，如 广东省深圳市南山区",
                               "把地点写完整：省+市+区/县，如 广东省东莞市 或 湖北省武汉市江岸区"))
                return None, raw.strip()
        raise AssertionError(kind)  # pragma: no cover

    def text(self, raw, container, key, path: str):
        if raw is None:
            return None, None
        if isinstance(raw, bool) or isinstance(raw, (dict, list)):
            what = "a yes/no value" if isinstance(raw, bool) else "a list or mapping"
            self.error(container, key, path, f"{path} must be text, not {what}", expected="text",
                       hint="put the text in quotes, e.g. \"no\"" if isinstance(raw, bool) else None,
                       zh=(f"{path} 应为文字，不能是" + ("是/否值" if isinstance(raw, bool) else "列表或映射"),
                           "文字", "把文字放在引号里，如 \"no\"" if isinstance(raw, bool) else None))
            return None, None
        s = str(raw).strip() if not isinstance(raw, str) else raw.strip()
        cleaned, removed = CONTROL_OR_INVISIBLE.subn("", s)
        if removed:
            line, _ = self.where(container, key)
            self.warnings.append(
                f"{self.file}:{line or '?'}: {path}: {removed} control or invisible character(s) "
                f"removed (they could change how the text reads in a document or a terminal) / "
                f"已删除 {removed} 个控制字符或不可见字符（它们可能改变文书或终端中文字的显示）")
            s = cleaned.strip()
        if isinstance(raw, float) and key == "order_no":
            self.error(container, key, path, f"order number {raw} was read as a decimal number",
                       expected="the order number as quoted text", hint='write it in quotes: order_no: "..."',
                       zh=(f"订单号 {raw} 被读成了小数", "加引号的订单号", '加上引号：order_no: "..."'))
        return (None if is_unknown(s) or not s else s), (s if s else None)

    # ---- containers

    def mapping(self, fields: tuple[F, ...], node, path: str, parent=None, parent_key=None) -> tuple[dict, dict]:
        """Parse a mapping; returns (python values by field name, normalised data in documented order)."""
        if not isinstance(node, dict):
            where = parent if parent is not None else node
            self.error(where, parent_key, path or "(top level)",
                       f"{path or 'the case file'} must be a mapping of keys to values",
                       expected="key: value lines", hint="see docs/case-format.md for the layout",
                       zh=(f"{path or '案件文件'} 应为“键: 值”的映射", "每行“键: 值”",
                           "格式见 docs/case-format.md"))
            return {f.name: self.missing(f) for f in fields}, {}
        names = {f.name: f for f in fields}
        for key in node:
            if key not in names:
                close = difflib.get_close_matches(str(key), list(names), n=1, cutoff=0.5)
                self.error(node, key, _join(path, key), f"unknown key '{key}'"
                           + (f" in {path}" if path else ""),
                           expected="one of: " + ", ".join(names),
                           hint=f"did you mean '{close[0]}'?" if close else "remove it or move it into notes",
                           at_key=True,
                           zh=(f"未知的键“{key}”" + (f"（在 {path} 中）" if path else ""),
                               "以下之一：" + ", ".join(names),
                               f"您是不是要写“{close[0]}”？" if close else "删去，或者移到备注 notes 中"))
        values: dict[str, Any] = {}
        data: dict[str, Any] = {}
        for f in fields:
            sub = _join(path, f.name)
            if f.name not in node:
                if f.required:
                    self.error(node, None, sub, f"the required key '{f.name}' is missing",
                               expected=FORMAT if f.kind == "format" else None,
                               hint=f"add '{f.name}: {FORMAT}' as the first line" if f.kind == "format" else None,
                               zh=(f"缺少必需的键“{f.name}”（{f.zh}）",
                                   FORMAT if f.kind == "format" else None,
                                   f"在第一行加上 {f.name}: {FORMAT}" if f.kind == "format" else None))
                values[f.name] = self.missing(f)
                continue
            raw = node[f.name]
            if f.kind == "object":
                if raw is None:
                    values[f.name] = self.missing(f)
                    continue
                v, d = self.mapping(f.fields, raw, sub, node, f.name)
                values[f.name], data[f.name] = v, d
            elif f.kind == "list":
                v, d = self.sequence(f, raw, sub, node)
                values[f.name], data[f.name] = v, d
            else:
                v, d = self.value(f, raw, node, f.name, sub)
                values[f.name] = v
                if d is not None:
                    data[f.name] = d
        return values, data

    def sequence(self, f: F, raw, path: str, parent) -> tuple[list, list]:
        if raw is None:
            return [], []
        if not isinstance(raw, list):
            self.error(parent, f.name, path, f"{path} must be a list", expected="a list of entries, each starting with '- '",
                       hint="write each entry on its own line starting with '- '",
                       zh=(f"{path}（{f.zh}）应为列表", "每一条以“- ”开头的列表",
                           "每一条单独一行，以“- ”开头"))
            return [], []
        if f.name == "incidents" and not raw:
            self.error(parent, f.name, path, "incidents is an empty list",
                       expected="at least one incident (one per refund request)",
                       hint="add the refund request(s), or leave the key out while the facts are not yet known",
                       zh=("incidents（仅退款申请）是空列表", "至少一条（每次仅退款申请一条）",
                           "填上仅退款申请；事实还不清楚时可以先不写这一项"))
        values, data = [], []
        for i, item in enumerate(raw):
            sub = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.error(raw, i, sub, f"{sub} must be a mapping of keys to values",
                           expected=", ".join(x.name for x in f.fields), hint="indent the keys of each entry under its '- '",
                           zh=(f"{sub} 应为“键: 值”的映射", ", ".join(x.name for x in f.fields),
                               "每一条的键缩进写在它的“- ”下面"))
                continue
            v, d = self.entry(f, item, sub)
            values.append(v)
            data.append(d)
        return values, data

    def entry(self, f: F, item: dict, path: str) -> tuple[dict, dict]:
        """One entry of the list `f`, parsed; with a memo (parse_case's `entries`), taken from
        it when this very entry (the same object, which the memo keeps) was parsed before
        without a problem or a warning: its values do not depend on where it stands then."""
        if self.entries is None:
            return self.mapping(f.fields, item, path)
        key = (f.name, id(item))
        hit = self.entries.get(key)
        if hit is not None and hit[0] is item and hit[1] == self.as_of:
            v = dict(hit[2])
            self.sources[id(v)] = item
            return v, dict(hit[3])
        errors, warnings = len(self.errors), len(self.warnings)
        v, d = self.mapping(f.fields, item, path)
        if len(self.errors) == errors and len(self.warnings) == warnings:
            self.entries[key] = (item, self.as_of, dict(v), dict(d))
            self.sources[id(v)] = item
        return v, d

    def incident(self, values: dict, penalties: list | None, listed: tuple | None) -> Incident:
        """The Incident of a refund request's values (`listed`: the dates of the earlier
        penalties, all _handled reads of them; None when they are not listed); with the memo,
        an entry taken from it (the same object, with the same dates listed) gets the Incident
        made for it before: the cases parsed then share the Incidents of the requests they do
        not change (which nothing changes in place: assess/cases.py copies one to change it)."""
        item = self.sources.get(id(values)) if self.entries is not None else None
        if item is None:
            return _incident(values, penalties)
        key = ("incident", id(item))
        hit = self.entries.get(key)
        if hit is not None and hit[0] is item and hit[1] == (self.as_of, listed):
            return hit[2]
        made = _incident(values, penalties)
        self.entries[key] = (item, (self.as_of, listed), made)
        return made

    @staticmethod
    def missing(f: F):
        if f.kind in ("tri", "enum"):
            return UNKNOWN
        if f.kind == "list":
            return []
        if f.kind == "object":
            return {x.name: _Parser.missing(x) for x in f.fields}
        return None


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def to_tri(raw) -> Tri | None:
    """yes/no/unknown from a YAML value; None when it is not a yes/no answer."""
    if raw is None:
        return UNKNOWN
    if isinstance(raw, bool):
        return YES if raw else NO
    if not isinstance(raw, str):
        return None
    s = raw.strip().lower()
    if s in _YES_WORDS:
        return YES
    if s in _NO_WORDS:
        return NO
    if s in UNKNOWN_WORDS:
        return UNKNOWN
    return None


def to_choice(raw, values: dict) -> str | None:
    if raw is None or is_unknown(raw):
        return UNKNOWN if UNKNOWN in values else None
    if isinstance(raw, bool):           # YAML reads yes/no as booleans
        if ("yes" if raw else "no") in values:
            return "yes" if raw else "no"
        if raw is False and "none" in values:
            return "none"  # "restitution: no" means no restitution
        return None
    if isinstance(raw, int):            # `ai_label: 1` is read by YAML as a number
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    s = raw.strip()
    if s.lower() in values:
        return s.lower()
    for value, label in values.items():
        if s == label:
            return value
    return None


def to_age(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        s = raw.strip().removesuffix("周岁").removesuffix("岁").strip()
        if not s.isdigit():
            return None
        raw = int(s)
    if isinstance(raw, int) and 0 <= raw <= 120:
        return raw
    return None


def parse_case(data, *, filename: str = "<input>", as_of: date | None = None,
               entries: dict | None = None) -> Case:
    """Check and normalise case data (from yamlio or a plain dict); AssessErrors lists every problem.

    `entries` (a dict the caller keeps, empty at first) remembers the list entries parsed, for a
    caller that parses many variants of one case sharing most entries (the questionnaire trying
    answers on a long list of refund requests): an entry seen again (the same object) is not
    parsed again.  The caller changes no entry in place while it keeps the memo; the cases
    parsed then share the photo lists of their entries."""
    file = getattr(data, "file", None)
    if not file or file == "<input>":
        file = filename
    as_of = as_of or date.today()
    p = _Parser(file, as_of, entries)
    if data is None:
        raise AssessError("the case file is empty", file=file, line=1, col=1, expected=f"format: {FORMAT} and the facts",
                          hint="see docs/case-format.md or examples/ for a complete case file",
                          zh={"message": "案件文件是空的", "expected": f"format: {FORMAT} 以及案件事实",
                              "hint": "完整的案件文件见 docs/case-format.md 或 examples/"})
    raw_incidents = data.get("incidents") if isinstance(data, dict) else None
    if isinstance(raw_incidents, list) and len(raw_incidents) > MAX_INCIDENTS:
        line, col = p.where(data, "incidents")
        raise AssessError(f"{len(raw_incidents):,} refund requests in one case file; at most "
                          f"{MAX_INCIDENTS} are assessed together", file=file, line=line, col=col,
                          field="incidents", expected=f"at most {MAX_INCIDENTS} incidents",
                          hint="assess the requests that belong together (the same buyer, within "
                               "the period that adds amounts up) in one file")
    values, normalised = p.mapping(FIELDS, data, "")
    if isinstance(data, dict):
        _cross_checks(p, data, values)
    if p.errors:
        p.errors.sort(key=lambda e: (e.line is None, e.line or 0, e.col or 0))
        raise AssessErrors(p.errors)
    case = _build(values, normalised, file, None, p)
    case.warnings = p.warnings
    return case


def entry_refused(data, index: int, *, filename: str = "<input>",
                  as_of: date | None = None) -> bool:
    """True when parse_case(data) is bound to refuse the case because of incidents[index] alone:
    the entry (or the buyer) does not parse, or it says the request was dealt with while the
    earlier penalties are listed and none can be for it (_check_handled).  Decided by parsing
    the buyer and that entry only: what the questionnaire tries for one request of a long list.
    False does not mean that the case is taken."""
    incidents = data.get("incidents") if isinstance(data, dict) else None
    if not isinstance(incidents, list) or not 0 <= index < len(incidents) or \
            len(incidents) > MAX_INCIDENTS:
        return False                             # parse_case decides
    file = getattr(data, "file", None)
    p = _Parser(filename if not file or file == "<input>" else file, as_of or date.today())
    spec = {f.name: f for f in FIELDS}
    if not isinstance(incidents[index], dict):
        return True                              # parse_case: "must be a mapping"
    entry, _ = p.mapping(spec["incidents"].fields, incidents[index], f"incidents[{index}]")
    raw_buyer = data.get("buyer")
    buyer = p.mapping(spec["buyer"].fields, raw_buyer, "buyer", data, "buyer")[0] \
        if raw_buyer is not None else _Parser.missing(spec["buyer"])
    if p.errors:
        return True                              # parse_case finds the same problems
    penalties = _listed_penalties(data, buyer)
    return penalties is not None and _penalty_missing(entry, penalties)


def _cross_checks(p: _Parser, data, values: dict) -> None:
    _check_refund_status(p, data, values)
    _check_total(p, data, values)
    _check_returned(p, data, values)
    _check_handled(p, data, values)
    _police_checks(p, data, values)
    buyer = values["buyer"]
    born, age = buyer.get("birth_date"), buyer.get("age")
    dates = [i["date"] for i in values["incidents"] if i.get("date")]
    node = data.get("buyer") if isinstance(data.get("buyer"), dict) else None
    if born is not None and dates:
        ages = sorted({_age(born, d) for d in dates})
        if ages[0] < 0:
            p.error(node, "birth_date", "buyer.birth_date", "the birth date is after the conduct",
                    expected="a birth date before the incident dates", hint="check the year of birth",
                    zh=("出生日期晚于行为日期", "早于各次申请日期的出生日期", "请检查出生年份"))
        elif age is not None and not ages[0] <= age <= ages[-1]:
            span = str(ages[0]) if ages[0] == ages[-1] else f"{ages[0]}-{ages[-1]}"
            p.error(node, "age", "buyer.age",
                    f"age {age} does not agree with birth_date {born.isoformat()} (age {span} at the time of the conduct)",
                    expected=f"age {span}, or only one of age / birth_date",
                    hint="give the age at the time of the conduct, or leave it out and keep birth_date",
                    zh=(f"年龄 {age} 与出生日期 {born.isoformat()} 不符（行为时 {span} 岁）",
                        f"{span} 岁，或者年龄和出生日期只填一个",
                        "填行为时的年龄，或者删去年龄、保留出生日期"))


def _check_refund_status(p: _Parser, data, values: dict) -> None:
    """refund_status settles refund_paid (paid: yes; pending or rejected: no); both given must
    agree."""
    raw = data.get("incidents") if isinstance(data.get("incidents"), list) else []
    for n, inc in enumerate(values["incidents"]):
        status = inc.get("refund_status") or UNKNOWN
        if status == UNKNOWN:
            continue
        paid = YES if status == "paid" else NO
        given = inc.get("refund_paid")
        if given in (YES, NO) and given != paid:
            p.error(raw[n] if n < len(raw) else None, "refund_status",
                    f"incidents[{n}].refund_status",
                    f"refund_status: {status} ({REFUND_STATUS[status]}) does not agree with "
                    f"refund_paid: {given}",
                    expected=f"refund_paid: {paid}, or only one of the two",
                    hint="keep refund_status and remove refund_paid",
                    zh=(f"退款状态 refund_status: {status}（{REFUND_STATUS[status]}）与 refund_paid: "
                        f"{given} 不一致", f"refund_paid: {paid}，或者两者只填一个",
                        "保留 refund_status，删去 refund_paid"))
        else:
            inc["refund_paid"] = paid


def _check_total(p: _Parser, data, values: dict) -> None:
    """The amounts of a case add up to at most MAX_TOTAL (a sanity bound)."""
    from .amounts import MAX_TOTAL

    total = sum((i["amount"] for i in values["incidents"] if i.get("amount") is not None),
                Decimal(0))
    if total > MAX_TOTAL:
        p.error(data, "incidents", "incidents",
                f"the amounts add up to {to_json_number(total)} yuan, more than {MAX_TOTAL:,}",
                expected=f"amounts adding up to at most {MAX_TOTAL:,} yuan",
                hint="check the digits of the amounts",
                zh=(f"各次金额合计 {to_json_number(total)} 元，超过 {MAX_TOTAL:,} 元",
                    f"合计不超过 {MAX_TOTAL:,} 元", "请核对各次金额的位数"))


def _check_returned(p: _Parser, data, values: dict) -> None:
    """amount_returned cannot exceed what was paid, where every payment is known."""
    returned = values.get("amount_returned")
    incidents = values["incidents"]
    if returned is None or not returned or any(
            i.get("refund_paid") not in (YES, NO) or (i.get("refund_paid") == YES
                                                      and i.get("amount") is None)
            for i in incidents):
        return
    paid = sum((i["amount"] for i in incidents if i["refund_paid"] == YES), Decimal(0))
    if returned > paid:
        p.error(data, "amount_returned", "amount_returned",
                f"amount_returned {to_json_number(returned)} is more than the refunds paid "
                f"({to_json_number(paid)})",
                expected=f"at most {to_json_number(paid)}, the sum of the incidents with "
                         f"refund_paid: yes",
                hint="nothing can come back that was not paid; check the amounts and refund_paid",
                zh=(f"已返还金额 {to_json_number(returned)} 元多于已退款金额（{to_json_number(paid)} 元）",
                    f"最多 {to_json_number(paid)} 元，即 refund_paid: yes 的各次金额之和",
                    "没有支付的钱不会被返还；请检查金额和 refund_paid"))


def _listed_penalties(data, buyer: dict) -> list | None:
    """The earlier penalties (parsed) when the case file lists them (an empty list too); None
    when they are not answered."""
    raw_buyer = data.get("buyer") if isinstance(data.get("buyer"), dict) else {}
    if not isinstance(raw_buyer.get("prior_penalties"), list):
        return None
    return buyer.get("prior_penalties") or []


def _penalty_missing(inc: dict, penalties: list) -> bool:
    """An incident (parsed) said to be dealt with, while none of the listed penalties can be
    for it: none of that kind dated on or after it (or undated)."""
    handled = inc.get("handled")
    if handled not in ("administrative", "criminal", "yes"):
        return False
    kinds = {handled, UNKNOWN} if handled != "yes" else set(PENALTY_KINDS)
    return not any(x.get("kind") in kinds and (x.get("date") is None or inc.get("date") is None
                                               or x["date"] >= inc["date"]) for x in penalties)


def _check_handled(p: _Parser, data, values: dict) -> None:
    """An incident dealt with was punished: when the earlier penalties are listed, one of them
    must be dated on or after it (or be undated)."""
    penalties = _listed_penalties(data, values["buyer"])
    if penalties is None:
        return                                   # not answered: the penalty may be missing
    raw_incidents = data.get("incidents") if isinstance(data.get("incidents"), list) else []
    for n, inc in enumerate(values["incidents"]):
        if not _penalty_missing(inc, penalties):
            continue
        handled = inc["handled"]
        node = raw_incidents[n] if n < len(raw_incidents) else None
        p.error(node, "handled", f"incidents[{n}].handled",
                f"incidents[{n}].handled says the incident was punished "
                f"({HANDLED[handled]}), but buyer.prior_penalties lists no such penalty "
                f"dated on or after it",
                expected="a penalty of that kind in buyer.prior_penalties, dated on or after "
                         "the incident (or undated)",
                hint="add the penalty (date and kind) to buyer.prior_penalties, or answer "
                     "handled: no / unknown",
                zh=(f"incidents[{n}].handled 说这一次已受过处罚（{HANDLED[handled]}），但 "
                    f"buyer.prior_penalties 中没有这一种类、日期在其后的处罚",
                    "buyer.prior_penalties 中有这一种类的处罚，日期不早于这次申请（或未填日期）",
                    "在 buyer.prior_penalties 中加上这次处罚（日期和种类），或者回答 handled: no / unknown"))
def _police_checks(p: _Parser, data, values: dict) -> None:
    """A report date goes with a report, and a report cannot predate every refund request."""
    report = values["police_report_date"]
    if report is None:
        return
    if values["police_reported"] == NO:
        p.error(data, "police_report_date", "police_report_date",
                "a report date is given, but police_reported is no",
                expected="police_reported: yes with the date, or no date",
                hint="answer police_reported: yes, or remove police_report_date",
                zh=("填了报案日期，但 police_reported（是否已报案）为 no", "police_reported: yes 并填日期，或者不填日期",
                    "回答 police_reported: yes，或者删去 police_report_date"))
    dates = [i["date"] for i in values["incidents"] if i.get("date")]
    if dates and report < min(dates):
        p.error(data, "police_report_date", "police_report_date",
                f"the report date {report.isoformat()} is before the first refund request "
                f"({min(dates).isoformat()})",
                expected=f"a date on or after {min(dates).isoformat()}",
                hint="give the day the police learned of these refund requests",
                zh=(f"报案日期 {report.isoformat()} 早于第一次申请退款（{min(dates).isoformat()}）",
                    f"{min(dates).isoformat()} 或更晚的日期", "填公安机关知道这些退款申请的日期"))


def _incident(i: dict, penalties: list | None) -> Incident:
    """A refund request's Incident from its parsed values (penalties: the earlier penalties when
    the case file lists them, else None)."""
    return Incident(date=i["date"], order_no=i["order_no"], goods=i["goods"], amount=i["amount"],
                    refund_paid=i["refund_paid"], photo_method=i["photo_method"],
                    goods_defective=i["goods_defective"], handled=_handled(i, penalties),
                    refund_status=i["refund_status"] if i.get("refund_status") not in
                    (None, UNKNOWN) else "paid" if i["refund_paid"] == YES else UNKNOWN,
                    photos=[{k: v for k, v in ph.items() if v is not None} for ph in i["photos"]])


def _build(values: dict, normalised: dict, file: str | None, sha: str | None,
           parser: _Parser | None = None) -> Case:
    ordered = {"format": FORMAT}
    ordered.update((k, v) for k, v in normalised.items() if k != "format")
    buyer = dict(values["buyer"])
    buyer["prior_penalties"] = [{"date": x["date"], "kind": x["kind"]} for x in buyer.get("prior_penalties") or []]
    platform = dict(values["platform"])
    platform["refund_approval"] = platform.get("refund_approval") or UNKNOWN
    listed = isinstance((normalised.get("buyer") or {}).get("prior_penalties"), list)
    penalties = buyer["prior_penalties"] if listed else None
    if parser is None:
        incidents = [_incident(i, penalties) for i in values["incidents"]]
    else:
        # what an Incident reads of the earlier penalties (the memo's key, with the entry)
        dates = None if penalties is None else tuple(x.get("date") for x in penalties)
        incidents = [parser.incident(i, penalties, dates) for i in values["incidents"]]
    return Case(data=ordered, file=file, sha256=sha, title=values["title"], place=values["place"],
                buyer=buyer, merchant=dict(values["merchant"]), platform=platform, incidents=incidents,
                intent_to_possess=values["intent_to_possess"],
                refund_caused_by_photos=values["refund_caused_by_photos"],
                merchant_learned_date=values["merchant_learned_date"], restitution=values["restitution"],
                forgiveness=values["forgiveness"], surrender=values["surrender"],
                confession=values["confession"],
                interpretation_art2_circumstance=values["interpretation_art2_circumstance"],
                local_listed_circumstance=values["local_listed_circumstance"],
                admin_serious=values["admin_serious"], amount_returned=values["amount_returned"],
                evidence=[dict(e) for e in values["evidence"]], notes=values["notes"],
                amount_near_large=values["amount_near_large"],
                repeated_fraud=values["repeated_fraud"],
                prior_fraud_penalty=(NO if values["prior_fraud_penalty"] in (None, UNKNOWN)
                                     and listed and not buyer["prior_penalties"]
                                     else values["prior_fraud_penalty"]),   # none at all: none for fraud
                admin_egregious=values["admin_egregious"],
                admin_repeat_within_year=values["admin_repeat_within_year"],
                police_reported=values["police_reported"],
                police_report_date=values["police_report_date"],
                police_case_filed=values["police_case_filed"],
                report_statement=values["report_statement"],
                police_decision=values["police_decision"],
                evidence_analysis=(dict(values["evidence_analysis"])
                                   if "evidence_analysis" in normalised else None))


def _handled(incident: dict, penalties: list | None) -> str:
    """incidents[].handled as the case settles it: the answer given, or, when it is not given,
    "no" if the earlier penalties are listed and none of them can be for this incident (none
    dated on or after it, none undated)."""
    value = incident.get("handled") or UNKNOWN
    if value != UNKNOWN or penalties is None or incident.get("date") is None:
        return value
    if any(p.get("date") is None or p["date"] >= incident["date"] for p in penalties):
        return UNKNOWN
    return NO


def load_case(path, *, as_of: date | None = None) -> Case:
    """Read a case file (YAML or JSON) and check it; AssessError(s) for every problem found."""
    path = Path(path)
    data = yamlio.load(path)
    if data is not None and not isinstance(data, dict):
        # a top-level scalar or list has no positions of its own: point at its first line
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
        first = next((n for n, t in enumerate(text, 1) if t.strip() and not t.lstrip().startswith("#")), 1)
        raise AssessError("the case file must be a mapping of keys to values", file=str(path),
                          line=first, col=1, field="(top level)", expected="key: value lines",
                          hint="start with format: assess-case/1 (see examples/)")
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:  # pragma: no cover - the file was just read
        raise AssessError(f"cannot read file: {exc.strerror}", file=str(path)) from None
    case = parse_case(data, filename=str(path), as_of=as_of)
    case.sha256 = sha
    case.file = str(path)
    return case


# --------------------------------------------------------------------------- schema


def _schema_for(f: F) -> dict:
    desc = f"{f.zh} / {f.en}"
    unknown = sorted(UNKNOWN_WORDS)
    if f.kind == "format":
        s = {"const": FORMAT}
    elif f.kind == "text":
        s = {"type": ["string", "number", "null"]}
    elif f.kind == "tri":
        s = {"anyOf": [{"type": "boolean"}, {"type": "null"},
                       {"type": "string", "enum": sorted(_YES_WORDS | _NO_WORDS) + unknown}]}
    elif f.kind == "enum":
        yes_no = [{"type": "boolean"}] if {YES, NO} <= set(f.values) else []   # handled: no
        s = {"anyOf": [{"type": "null"}] + yes_no +
                      [{"type": "string", "enum": list(f.values) + list(f.values.values()) + unknown}]}
    elif f.kind == "date":
        s = {"type": ["string", "null"], "examples": ["2025-11-17", "2025年11月17日", "unknown"]}
    elif f.kind == "amount":
        s = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}, {"type": "null"}],
             "examples": [3500, "3,500", "¥3,500", "三千五百元", "3.5万", "unknown"]}
    elif f.kind == "age":
        s = {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 120}, {"type": "string"}, {"type": "null"}]}
    elif f.kind == "sha256":
        s = {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}
    elif f.kind == "place":
        s = {"type": ["string", "null"], "examples": ["广东省深圳市南山区"]}
    elif f.kind == "object":
        s = _object_schema(f.fields)
        s["type"] = ["object", "null"]
    elif f.kind == "list":
        s = {"type": ["array", "null"], "items": _object_schema(f.fields)}
        if f.name == "incidents":
            s["minItems"] = 1
    else:  # pragma: no cover
        raise AssertionError(f.kind)
    s["description"] = desc
    return s


def _object_schema(fields: tuple[F, ...]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "properties": {f.name: _schema_for(f) for f in fields},
            **({"required": [f.name for f in fields if f.required]} if any(f.required for f in fields) else {})}


def case_schema() -> dict:
    """JSON Schema (draft 2020-12) of the case file; descriptions in Chinese / English."""
    s = _object_schema(FIELDS)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.invalid/assess/case-1.schema.json",
            "title": "assess case file / 仅退款案件事实文件",
            "description": "案件事实文件：问卷保存、assess evaluate 读取；缺省或 unknown 表示未知 / "
                           "The facts of one case as saved by the questionnaire and read by `assess evaluate`; "
                           "a missing field or 'unknown' means not known.",
            **s}


# --------------------------------------------------------------------------- saving


class _Bare(str):
    """A yes/no answer written without quotes (YAML reads it back as a boolean, i.e. the same answer)."""


class _Dumper(yaml.SafeDumper):
    pass


# Dates are plain text in case files (the reader keeps them as strings too), so write them unquoted.
_Dumper.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_representer(_Bare, lambda d, v: d.represent_scalar("tag:yaml.org,2002:bool", str(v)))
_Dumper.add_representer(Decimal, lambda d, v: d.represent_data(to_json_number(v)))
_Dumper.add_representer(date, lambda d, v: d.represent_str(v.isoformat()))
_Dumper.add_representer(yamlio.Node, yaml.SafeDumper.represent_dict)
_Dumper.add_representer(yamlio.NodeList, yaml.SafeDumper.represent_list)


def _ordered(fields: tuple[F, ...], data) -> Any:
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    names = {f.name: f for f in fields}
    for f in fields:
        if f.name not in data:
            continue
        v = data[f.name]
        if f.kind == "object":
            v = _ordered(f.fields, v)
        elif f.kind == "list" and isinstance(v, list):
            v = [_ordered(f.fields, x) for x in v]
        elif f.kind == "tri" and isinstance(v, str) and v in (YES, NO):
            v = _Bare(v)
        elif isinstance(v, Decimal):
            v = to_json_number(v)
        out[f.name] = v
    for k, v in data.items():  # keys outside the format are kept (the reader will point at them)
        if k not in names:
            out[k] = v
    return out


def case_text(case_or_data) -> str:
    """The case file's text as assess writes it (YAML, UTF-8, documented key order)."""
    data = case_or_data.data if isinstance(case_or_data, Case) else case_or_data
    body = yaml.dump(_ordered(FIELDS, data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return "# assess case file / 案件事实文件 — see docs/case-format.md\n" + body


def dump_case(case_or_data, path) -> None:
    """Write the case file as YAML (UTF-8, documented key order) atomically: temp file + os.replace."""
    write_atomic(Path(path), case_text(case_or_data), "the case file")


def write_atomic(path: Path, content: str | bytes, what: str = "the file",
                 field: str | None = None) -> None:
    """Write `content` (text as UTF-8, or bytes) to `path` so that a crash leaves the old or the new content, never half:
    a temporary file in the same folder, fsynced, renamed over the target, and the folder
    fsynced.  A symlink is written through (its target is replaced, the link stays), the mode
    of the file replaced is kept, and temporary files a killed run left behind are removed."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    folder = path.parent
    _remove_stale_temporaries(folder, path.name)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise AssessError(f"cannot write {what}: {exc.strerror}", file=str(path),
                          field=field) from None
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:        # a short prefix: the name may be long (_remove_stale_temporaries knows it)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AssessError(f"cannot write {what}: {exc.strerror}", file=str(path), field=field,
                          hint="check that the folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)                  # mkstemp makes 0600; keep what the file had
        os.replace(tmp, path)
        try:
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)                # the rename itself survives a crash
            finally:
                os.close(dfd)
        except OSError:
            pass
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise AssessError(f"cannot write {what}: {exc.strerror}", file=str(path),
                              field=field,
                              hint="check that the folder exists and is writable") from None
        raise


# folder -> {name[:40] -> its temporary files}, listed once per process: the first write to a
# folder looks for what a killed run left there (listing the folder for every file made writing
# the screening's case files grow with the square of their number)
_STALE: dict[str, dict[str, list[str]]] = {}


def _remove_stale_temporaries(folder: Path, name: str, older_than: float = 60.0) -> None:
    """Temporary files of `name` left by a run that was killed while saving (write_atomic's
    names: .<name[:40]>.<random>.tmp), found when this process first writes to the folder."""
    import time

    found = _STALE.get(str(folder))
    if found is None:
        if len(_STALE) >= 1024:
            _STALE.clear()
        found = _STALE[str(folder)] = {}
        try:
            for entry in os.scandir(folder):
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    stem = entry.name[1:-len(".tmp")].rpartition(".")[0]
                    found.setdefault(stem, []).append(entry.path)
        except OSError:
            pass
    for tmp in found.pop(name[:40], ()):
        try:
            if time.time() - os.stat(tmp).st_mtime > older_than:
                os.unlink(tmp)
        except OSError:
            pass
