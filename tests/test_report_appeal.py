"""The police report (报案材料) and the appeal (申诉书) as the merchant files them (issue 10):
the fraud provision the assessment applies, dated texts, requests that match the track, no
report where the police already decided, the appeal following the refund state, evidence only
from the case, and nothing internal (notes, URLs, rule-file hashes, confidence tags)."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from assess import documents
from assess.assessment import evaluate_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 1, 15)
CRABS = EXAMPLES / "crabs-guangzhou-zengcheng.yaml"
CRABS_AS_OF = date(2026, 12, 3)
RENDERED = [("administrative-jiangsu", AS_OF), ("criminal-guangdong", AS_OF),
            ("unknown-intent-hubei", AS_OF), ("crabs-guangzhou-zengcheng", CRABS_AS_OF)]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def html_text(kind: str, case: Path, as_of: date = AS_OF) -> str:
    """The document's text as a reader sees it (tags and the stylesheet removed)."""
    import html as h
    doc = documents.render(kind, case, as_of=as_of, fmt="html").content
    doc = re.sub(r"<(style|title)\b.*?</\1>", "", doc, flags=re.S)
    return squash(h.unescape(re.sub(r"<[^>]+>", "", doc)))


def pdf_text(kind: str, case: Path, tmp_path: Path, as_of: date = AS_OF) -> str:
    """pdftotext of the PDF (pypdf when poppler is not installed)."""
    pdf = documents.render(kind, case, as_of=as_of, fmt="pdf").content
    if shutil.which("pdftotext"):
        f = tmp_path / f"{kind}.pdf"
        f.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True,
                             text=True, check=True).stdout
    else:
        pypdf = pytest.importorskip("pypdf")
        import io
        out = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return squash(out)


def variant(tmp_path: Path, base: str, name: str = "case.yaml", **changes) -> Path:
    """A copy of an example with top-level or first-incident changes (incident__key=value)."""
    data = yaml.safe_load((EXAMPLES / f"{base}.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("incident__"):
            field = key.split("__", 1)[1]
            for inc in data["incidents"]:
                if value is None:
                    inc.pop(field, None)
                else:
                    inc[field] = value
        elif key.startswith("merchant__"):
            data["merchant"][key.split("__", 1)[1]] = value
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def entries(result: dict, track: str, conclusion: str) -> list[dict]:
    return [e for e in result["trace"] if e["track"] == track and conclusion in e["conclusions"]]


# --------------------------------------------------------------------------- the fraud provision

def test_administrative_report_cites_the_psapl_fraud_article_it_applies(tmp_path):
    case = EXAMPLES / "administrative-jiangsu.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    assert result["tracks"]["administrative"]["applies"] is True
    flat = pdf_text("report", case, tmp_path)
    basis = [c for e in entries(result, "administrative", "admin_applies") for c in e["cites"]]
    editions = ([result["law_applied"]["psapl_edition"]]
                if isinstance(result["law_applied"]["psapl_edition"], str)
                else [o["edition"] for o in result["law_applied"]["editions"]])
    quoted = [c for c in basis if c["edition"] in editions]
    assert quoted, "the administrative rule should cite the fraud article"
    for c in quoted:
        assert squash(c["text"]) in flat, c["id"]
        assert c["article"] in flat
    # which text was in force at the conduct, and why the applied one (or each option) applies
    assert "行为时（2025年9月8日）施行的文本" in flat
    for r in result["law_applied"]["rules"]:
        if any("psapl_edition_applied" in e["conclusions"] for e in result["trace"]
               if e["rule"] == r["rule"]):
            assert squash(r["explanation"]) in flat
    # the request matches the track; recovery of the money actually obtained
    assert "依法对被报案人给予治安管理处罚" in flat and "立案侦查" not in flat
    assert "已支付而尚未返还的退款1,200元" in flat
    # every text dated as read: never the old "texts in force on the assessment date"
    assert "条文为评估日有效文本" not in flat
    assert "施行：2013年1月1日至2025年12月31日；依行为时（2025年9月8日）有效的文本" in flat
    assert "施行：2026年1月1日起；依2026年1月15日有效的现行文本" in flat


def test_report_quotes_only_the_psapl_text_applied(tmp_path):
    # decided in 2026 on a basic-tier case: the lighter 2025 text alone is applied
    case = variant(tmp_path, "administrative-jiangsu", admin_serious="no")
    result = evaluate_file(case, as_of=AS_OF)
    assert result["law_applied"]["psapl_edition"] == "2025"
    flat = html_text("report", case)
    texts = {c["edition"]: c for e in entries(result, "administrative", "admin_applies")
             for c in e["cites"]}
    assert squash(texts["2025"]["text"]) in flat
    assert squash(texts["2012"]["text"]) not in flat          # named as the text at the conduct,
    assert "2012年文本第四十九条" in flat                       # not quoted as applied
    assert "本案适用2025年文本" in flat


def test_criminal_report_cites_article_266_the_interpretation_and_the_local_standard(tmp_path):
    case = EXAMPLES / "criminal-guangdong.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    assert result["tracks"]["criminal"]["applies"] is True
    flat = pdf_text("report", case, tmp_path)
    basis = [c for k in ("criminal_applies", "criminal_band")
             for e in entries(result, "criminal", k) for c in e["cites"]]
    assert {c["id"] for c in basis} >= {"criminal-law/266", "fraud-interpretation/1"}
    for c in basis:
        assert squash(c["text"]) in flat, c["id"]
    assert squash(result["thresholds"]["document"]) in flat
    assert "“数额较大”为6,000元以上" in flat
    assert "立案侦查" in flat and "给予治安管理处罚" not in flat
    assert "涉嫌诈骗罪" in flat
    assert "条文为评估日有效文本" not in flat


def test_conditional_criminal_track_is_not_claimed_as_a_crime():
    case = EXAMPLES / "unknown-intent-hubei.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    assert result["tracks"]["criminal"]["applies"] == "conditional"
    flat = html_text("report", case)
    cond = squash(result["tracks"]["criminal"]["condition_text"])
    assert "涉嫌诈骗罪" not in flat
    assert f"如经查明{cond}" in flat and f"如查明{cond}，依法立案侦查" in flat
    # 5,500 paid, restitution unknown: only the part not returned is asked back
    assert "已支付的退款5,500元中尚未返还的部分" in flat


# --------------------------------------------------------------------------- when no report

def test_no_report_where_the_police_already_decided():
    flat = html_text("report", CRABS, CRABS_AS_OF)
    assert "本案不建议提交报案材料" in flat and "无需再次报案" in flat
    assert "行政拘留八日，追缴违法所得195元" in flat            # police_decision printed
    assert "2025年11月28日" in flat                             # when it was reported
    for absent in ("请求事项", "法律依据", "立案侦查", "给予治安管理处罚", "此致"):
        assert absent not in flat


def test_a_passed_psapl_limitation_changes_the_report(tmp_path):
    late = date(2026, 6, 1)                      # six months after the 2025-09-08 request
    # not known whether it was reported: the report warns, with the date the period ended
    case = EXAMPLES / "administrative-jiangsu.yaml"
    result = evaluate_file(case, as_of=late)
    lim = next(d for d in result["deadlines"] if d["id"] == "admin_limitation")
    assert lim["passed"]
    flat = html_text("report", case, late)
    assert "【注意】" + squash(lim["label"]) in flat and "2026年3月8日届满" in flat
    # never reported: no penalty any more, so no report
    case = variant(tmp_path, "administrative-jiangsu", police_reported="no")
    result = evaluate_file(case, as_of=late)
    assert result["tracks"]["administrative"]["applies"] is False
    flat = html_text("report", case, late)
    assert "公安机关已不能再给予治安管理处罚" in flat and "不建议报案" in flat
    assert "请求事项" not in flat and "法律依据" not in flat
    # before the period ends: an ordinary report
    flat = html_text("report", case, AS_OF)
    assert "届满" not in flat and "请求事项" in flat
    # reported within the period: the period was met, no warning (it warned, and the opinion
    # said the measures depending on it could no longer be taken)
    case = variant(tmp_path, "administrative-jiangsu", police_reported="yes",
                   police_report_date="2025-10-01")
    result = evaluate_file(case, as_of=late)
    lim = next(d for d in result["deadlines"] if d["id"] == "admin_limitation")
    assert lim["passed"] is True and lim["met"]["date"] == "2025-10-01"
    flat = html_text("report", case, late)
    assert "【注意】" not in flat and "届满" not in flat
    flat = html_text("opinion", case, late)
    assert "已于期限内报案（2025年10月1日）" in flat and "2026年3月8日届满" not in flat


# --------------------------------------------------------------------------- nothing internal

INTERNAL = [r"https?://", r"www\.", r"\bV-repo\b", r"\bV-2src\b", r"可信度", r"LawRefBook",
            r"X-STORAGE", r"\.ya?ml\b", r"\b(admin|criminal|civil|fraud|law|platform)\.[a-z]",
            r"材料编号"]


@pytest.mark.parametrize("name,as_of", RENDERED)
@pytest.mark.parametrize("kind", ["report", "appeal"])
def test_no_url_hash_confidence_tag_or_notes(kind, name, as_of):
    case = EXAMPLES / f"{name}.yaml"
    flat = html_text(kind, case, as_of)
    for pattern in INTERNAL:
        assert not re.search(pattern, flat), (pattern, re.search(pattern, flat))
    # no hash of a rule, statute or template file, no document id made of hashes, no commit id
    repro = documents.render(kind, case, as_of=as_of, fmt="html").context["repro"]
    digests = [f["sha256"] for k in ("rules", "statutes", "templates") for f in repro[k]]
    assert len(digests) > 10
    lowered = flat.lower()
    for d in digests + [repro["case_sha256"]]:
        assert d[:10] not in lowered
    assert not re.findall(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{10,}", flat)  # no hex
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    if data.get("notes"):
        assert squash(data["notes"]) not in flat


def test_evidence_hashes_are_the_files_and_the_statement_is_printed(tmp_path):
    import hashlib
    case = variant(tmp_path, "administrative-jiangsu",
                   report_statement="买家在聊天中承认照片是修过的。")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "order.png").write_bytes(b"order screenshot")
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["evidence"][2]["sha256"] = "ab" * 32              # listing.jpg: given, no file
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    sha = hashlib.sha256(b"order screenshot").hexdigest()
    for kind in ("report", "appeal"):
        flat = html_text(kind, case)
        assert f"SHA-256:{sha}（据文件计算）" in flat
        assert "SHA-256:" + "ab" * 32 + "（案件文件所载，未据文件核对）" in flat
        assert "evidence/vase.jpg【待补充：SHA-256值（未找到文件）】" in flat
        assert "买家在聊天中承认照片是修过的。" in flat
    # a given hash that does not match the file is flagged, the file's own hash printed
    data["evidence"][0]["sha256"] = "cd" * 32
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    flat = html_text("report", case)
    assert f"SHA-256:{sha}（据文件计算；与案件文件所载值不一致，请核实）" in flat
    assert "cd" * 32 not in flat


# --------------------------------------------------------------------------- parties and place

def test_an_operator_of_unknown_type_reports_as_operator_with_the_shop_as_its_name(tmp_path):
    case = variant(tmp_path, "criminal-guangdong", merchant__operator_type="unknown")
    flat = html_text("report", case)
    assert "报案人（经营者）深圳市某某电子商务有限公司" in flat
    assert "网店某某数码旗舰店（淘宝店铺，平台账号mouumou_flagship）" in flat
    assert "报案人（签名或盖章）：深圳市某某电子商务有限公司" in flat


def test_company_and_individual_operators(tmp_path):
    case = variant(tmp_path, "criminal-guangdong", merchant__operator_type="company",
                   merchant__legal_representative="刘某")
    flat = html_text("report", case)
    assert "报案人（单位名称）深圳市某某电子商务有限公司" in flat and "统一社会信用代码【待补充" in flat
    assert "法定代表人刘某" in flat and "报案人（盖章）：深圳市某某电子商务有限公司" in flat
    assert "法定代表人（签名）：刘某" in flat
    case = variant(tmp_path, "administrative-jiangsu", merchant__operator_type="individual")
    flat = html_text("appeal", case)
    assert "申诉人（姓名）王某" in flat and "身份证号码【待补充" in flat
    assert "申诉人（签名）：王某" in flat and "法定代表人" not in flat
    assert "【待补充：联系方式】" in flat


@pytest.mark.parametrize("place,organ", [
    ("广东省广州市增城区", "广州市公安局增城区分局"),
    ("上海市浦东新区", "上海市公安局浦东新区分局"),
    ("重庆市巫山县", "重庆市巫山县公安局"),
    ("江苏省苏州市昆山市", "昆山市公安局"),
    ("直辖县神农架林区", "神农架林区公安局"),
    ("广东省东莞市石龙镇", "东莞市公安局"),
])
def test_police_organ_suggested_for_the_place(place, organ):
    from assess.places import resolve_place
    assert documents._police_organ(resolve_place(place), ROOT / "templates") == organ


def test_the_report_marks_the_organ_as_a_suggestion(tmp_path):
    case = variant(tmp_path, "administrative-jiangsu", place="广东省广州市增城区")
    flat = html_text("report", case)
    assert "致：广州市公安局增城区分局（或辖区派出所）【建议，请核实】" in flat
    assert "公安（分）局" not in flat


def test_facts_per_incident_name_the_photo_method_and_the_refund():
    flat = html_text("report", EXAMPLES / "administrative-jiangsu.yaml")
    assert "（订单号JD20250908001），收货后于2025年9月8日以商品损坏为由申请“仅退款”，申请金额1,200元" in flat
    assert "经核查，该照片系修图篡改而成" in flat
    assert "平台系统据此自动退款，1,200元已退至被报案人" in flat
    assert "AI生成或篡改" not in flat


# --------------------------------------------------------------------------- the appeal

def test_appeal_without_a_packing_video_does_not_claim_one(tmp_path):
    flat = html_text("appeal", EXAMPLES / "administrative-jiangsu.yaml")
    assert "打包" not in flat
    assert "申诉人提供的商品详情页图片可以证明（见证据3）" in flat
    # the example with a packing video does name it (so the check above can fail)
    assert "发货打包视频可以证明" in html_text("appeal", EXAMPLES / "criminal-guangdong.yaml")
    # no evidence of the goods' condition at all: the ground claims none
    data = yaml.safe_load((EXAMPLES / "administrative-jiangsu.yaml").read_text(encoding="utf-8"))
    data["evidence"] = [e for e in data["evidence"] if e["kind"] != "listing_photo"]
    case = tmp_path / "bare.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    flat = html_text("appeal", case)
    assert "商品不存在买家所称的质量问题。" in flat
    assert "可以证明" not in flat and "商品详情页图片" not in flat and "打包" not in flat


def test_appeal_follows_the_refund_state(tmp_path):
    paid = html_text("appeal", EXAMPLES / "administrative-jiangsu.yaml")
    assert "撤销对订单JD20250908001作出的“仅退款”处理，由买家返还已退款项1,200元" in paid
    assert "向申诉人赔付相应损失" in paid and "驳回买家" not in paid
    pending = html_text("appeal", variant(tmp_path, "administrative-jiangsu",
                                          incident__refund_paid=None,
                                          incident__refund_status="pending"))
    assert "驳回买家就订单JD20250908001提出的“仅退款”申请" in pending
    assert "由买家返还" not in pending and "赔付" not in pending
    rejected = html_text("appeal", variant(tmp_path, "administrative-jiangsu",
                                           incident__refund_paid=None,
                                           incident__refund_status="rejected"))
    assert "【无需申诉】" in rejected and "目前无需向平台申诉" in rejected
    for absent in ("申诉请求", "申诉理由", "撤销", "驳回买家就订单"):
        assert absent not in rejected


def test_appeal_grounds_are_the_platform_rules_and_the_civil_code(tmp_path):
    case = EXAMPLES / "administrative-jiangsu.yaml"
    result = evaluate_file(case, as_of=AS_OF)
    flat = html_text("appeal", case)
    assert "平台服务协议和平台规则" in flat and "【请填写京东平台规则的具体条款】" in flat
    civil = {c["id"]: c for e in result["trace"] if e["track"] == "civil" for c in e["cites"]}
    for cid in ("civil-code/148", "civil-code/985"):
        assert squash(civil[cid]["text"]) in flat
    # one name per party, no rule explanations, no criminal terms
    assert "被申诉人" not in flat and "买家" in flat
    for e in result["trace"]:
        assert squash(e["explanation"]) not in flat
    for word in ("未遂", "着手实行", "非法占有目的", "诈骗", "刑事"):
        assert word not in flat
    # the right to rescind lapsed (crabs, a year after learning): 148 is no longer a ground, and
    # the assessment leaves unjust enrichment after the lapse open (civil.unjust-enrichment-
    # after-lapse), so the appeal rests on the platform's agreement and rules
    crabs = evaluate_file(CRABS, as_of=CRABS_AS_OF)
    assert any(d["id"] == "civil_revocation_1y" and d["passed"] for d in crabs["deadlines"])
    flat = html_text("appeal", CRABS, CRABS_AS_OF)
    civil = {c["id"]: c for e in crabs["trace"] if e["track"] == "civil" for c in e["cites"]}
    assert squash(civil["civil-code/148"]["text"]) not in flat
    assert "平台服务协议和平台规则" in flat


def test_english_report_and_appeal_render():
    for kind in ("report", "appeal"):
        html = documents.render(kind, EXAMPLES / "criminal-guangdong.yaml", as_of=AS_OF,
                                lang="en", fmt="html").content
        assert '<html lang="en">' in html
        assert "【" not in html.split("<body", 1)[1]          # English blanks and notes


def test_a_case_without_refund_claims_gets_no_report_and_no_appeal(tmp_path):
    case = tmp_path / "empty.yaml"
    case.write_text("format: assess-case/1\nplace: 广东省广州市增城区\n", encoding="utf-8")
    report = html_text("report", case)
    assert "没有列出任何“仅退款”申请" in report and "请求事项" not in report
    appeal = html_text("appeal", case)
    assert "【无法生成】" in appeal and "申诉请求" not in appeal


def test_an_appeal_on_a_refund_the_merchant_approved_claims_nothing_from_the_platform():
    # the merchant approved the refund itself (the real case): the platform decided nothing it
    # could be asked to compensate for
    flat = html_text("appeal", CRABS, CRABS_AS_OF)
    assert "赔付" not in flat and "撤销对订单" in flat
    flat = html_text("appeal", EXAMPLES / "criminal-guangdong.yaml")     # the platform decided
    assert "赔付" in flat
