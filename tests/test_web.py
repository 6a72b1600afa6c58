"""HTTP tests of the merchants' web app (assess/web/): every route, bad input, CSRF, uploads
(oversized, wrong type, too many, hostile names), path traversal, the case lock shared with the
terminal, and `assess serve`'s loopback default."""
import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from PIL import Image

from assess.errors import AssessError
from assess.interview import Session
from assess.web import server, uploads
from assess.web.app import create_app
from web_driver import SLOT, answer_all, new_case, token

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 3)
CASE_ID = re.compile(r"^[0-9]{8}-[0-9a-f]{8}$")


def jpeg(seed: int = 1, size=(64, 48)) -> bytes:
    img = Image.new("RGB", size, (seed * 40 % 256, 120, 200))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def client(tmp_path):
    return TestClient(create_app(tmp_path / "data", as_of=AS_OF))


def post(client, url, page_html, **data):
    return client.post(url, data={"csrf_token": token(page_html), **data})


def main_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html[html.index("<main>"):html.index("</main>")])


# ---------------------------------------------------------------------- home, language, errors

def test_home_lists_cases_and_offers_a_new_one(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "开始新案件" in r.text and "还没有案件" in r.text
    assert "assess_sid" in r.headers["set-cookie"] and "samesite=strict" in \
        r.headers["set-cookie"].lower()
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    case_id, _ = new_case(client)
    assert CASE_ID.match(case_id)
    assert case_id in client.get("/").text


def test_english_is_one_click_away_and_next_cannot_leave_the_site(client):
    r = client.get("/lang/en?next=/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "Start a new case" in client.get("/").text
    assert client.get("/lang/en?next=//evil.example/x", follow_redirects=False) \
        .headers["location"] == "/"
    assert client.get("/lang/en?next=https://evil.example/", follow_redirects=False) \
        .headers["location"] == "/"
    assert client.get("/lang/xx").status_code == 404


def test_unknown_pages_and_cases_are_a_page_not_a_trace(client):
    for url in ("/nope", "/c/20260101-deadbeef/q", "/c/..%2F..%2Fetc/q", "/c/../../etc/passwd",
                "/c/20260101-DEADBEEF/summary", "/static/../app.py"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Traceback" not in r.text
    assert "找不到" in client.get("/c/20260101-deadbeef/q").text


def test_a_case_folder_outside_the_pattern_or_a_symlink_is_not_served(client, tmp_path):
    case_id, _ = new_case(client)
    data = tmp_path / "data"
    (data / "20260101-0000000a").symlink_to(data / case_id)
    assert client.get("/c/20260101-0000000a/q").status_code == 404


def test_an_internal_error_shows_a_page_without_a_stack_trace(tmp_path, monkeypatch):
    client = TestClient(create_app(tmp_path / "d", as_of=AS_OF), raise_server_exceptions=False)
    case_id, _ = new_case(client)

    def boom(self):
        raise RuntimeError("secret detail")
    monkeypatch.setattr(Session, "answered_slots", boom)
    r = client.get(f"/c/{case_id}/review")
    assert r.status_code == 500
    assert "内部错误" in r.text and "secret detail" not in r.text and "Traceback" not in r.text


# ---------------------------------------------------------------------- CSRF

def test_every_form_is_refused_without_a_valid_csrf_token(client):
    case_id, page = new_case(client)
    key = SLOT.search(page.text).group(1)
    forms = [("/cases", {}), (f"/c/{case_id}/q", {"slot": key, "answer": "2025-11-18"}),
             (f"/c/{case_id}/details", {}), (f"/c/{case_id}/evidence", {"role": "photo"})]
    for url, data in forms:
        for bad in ({}, {"csrf_token": "0" * 64}):
            r = client.post(url, data={**data, **bad})
            assert r.status_code == 403, url
            assert "跨站请求伪造" in r.text
    # a right token from another browser (another cookie) is refused too
    other = TestClient(client.app)
    other.get("/")
    r = other.post(f"/c/{case_id}/q", data={"slot": key, "answer": "2025-11-18",
                                           "csrf_token": token(page.text)})
    assert r.status_code == 403
    # and so is a form posted from another site with the right token
    r = client.post(f"/c/{case_id}/q", data={"slot": key, "answer": "2025-11-18",
                                             "csrf_token": token(page.text)},
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    # nothing was saved
    case = yaml.safe_load((client.app.state.cases.case_path(case_id)).read_text())
    assert "date" not in (case.get("incidents") or [{}])[0]


# ---------------------------------------------------------------------- the questions

def test_a_question_page_shows_the_outcome_why_back_review_and_unknown(client):
    case_id, r = new_case(client)
    text = main_text(r.text)
    assert "尚未排除" in text and "刑事" in text      # nothing known yet (the analysis is capped)
    assert "为什么问这个" in text and "查看和修改回答" in text and "不确定" in text
    assert "上一题" not in text                          # nothing before the first question
    key = SLOT.search(r.text).group(1)
    r = post(client, f"/c/{case_id}/q", r.text, slot=key, answer="2025-11-18", action="answer")
    assert "已保存" in r.text and "2025-11-18" in r.text
    second = SLOT.search(r.text).group(1)
    assert second != key and "上一题" in r.text
    r = post(client, f"/c/{case_id}/q", r.text, slot=second, action="back")
    assert SLOT.search(r.text).group(1) == key
    assert 'value="2025-11-18"' in r.text                # the current answer, to change
    why = client.get(f"/c/{case_id}/why", params={"slot": second})
    assert why.status_code == 200 and "为什么问这个" in why.text
    review = client.get(f"/c/{case_id}/review")
    assert "买家哪天申请的仅退款" in review.text and "2025-11-18" in review.text
    assert f"/c/{case_id}/q?slot=incident.date%5B0%5D" in review.text


def test_a_place_is_shown_as_it_was_understood(client):
    case_id, r = new_case(client)
    r = post(client, f"/c/{case_id}/q", r.text, slot="place", answer="广州市增城区")
    assert "→ 广东省广州市增城区" in r.text
    assert "place: 广州市增城区" in client.app.state.cases.case_path(case_id).read_text()


def test_a_bad_answer_is_shown_next_to_the_field_and_the_typing_is_kept(client):
    case_id, r = new_case(client)
    key = SLOT.search(r.text).group(1)
    r = post(client, f"/c/{case_id}/q", r.text, slot=key, answer="明年某天", action="answer")
    assert r.status_code == 422
    assert 'class="error"' in r.text and "不是有效日期" in r.text
    assert 'value="明年某天"' in r.text and 'aria-invalid="true"' in r.text
    assert "Traceback" not in r.text


def test_unknown_and_bad_slots(client):
    case_id, r = new_case(client)
    key = SLOT.search(r.text).group(1)
    r = post(client, f"/c/{case_id}/q", r.text, slot=key, action="unknown")
    assert r.status_code == 200 and "不确定" in r.text
    saved = yaml.safe_load(client.app.state.cases.case_path(case_id).read_text())
    assert saved["incidents"][0]["date"] == "unknown"
    for bad in ("nope", "incident.date[x]", "incident.date[7]", "incident.more", "", "place[0]",
                "incident.more[3]"):
        r2 = post(client, f"/c/{case_id}/q", r.text, slot=bad, answer="yes")
        assert r2.status_code == 400, bad
        assert "没有这个问题" in r2.text
        assert client.get(f"/c/{case_id}/q", params={"slot": bad}).status_code == 400
        assert client.get(f"/c/{case_id}/why", params={"slot": bad}).status_code == 400


def test_a_date_before_the_claim_is_confirmed_or_refused(client):
    case_id, r = new_case(client)
    path = client.app.state.cases.case_path(case_id)
    r = post(client, f"/c/{case_id}/q", r.text, slot="incident.date[0]", answer="2025-11-18")
    r = post(client, f"/c/{case_id}/q", r.text, slot="merchant_learned_date",
             answer="2025-11-01", action="answer")
    assert r.status_code == 200 and "早于买家第一次申请退款" in r.text
    assert "merchant_learned_date" not in path.read_text()       # not yet saved
    r = post(client, f"/c/{case_id}/q", r.text, slot="merchant_learned_date",
             answer="2025-11-01", action="answer", confirm="2025-11-01")
    assert "merchant_learned_date: 2025-11-01" in path.read_text()
    r = post(client, f"/c/{case_id}/q", r.text, slot="police_report_date", answer="2025-11-10")
    assert r.status_code == 422 and "不可能在申请之前报案" in r.text
    assert "police_report_date" not in path.read_text()


def test_the_case_lock_is_shared_with_the_terminal(client):
    case_id, r = new_case(client)
    path = client.app.state.cases.case_path(case_id)
    terminal = Session(path, as_of=AS_OF)
    terminal.start(resume=True)                        # the terminal holds the case
    try:
        blocked = client.get(f"/c/{case_id}/q")
        assert blocked.status_code == 409 and "正在别处回答" in blocked.text
    finally:
        terminal.unlock()
    assert client.get(f"/c/{case_id}/q").status_code == 200
    # and the web releases it after each request: the terminal can take it
    again = Session(path, as_of=AS_OF)
    again.start(resume=True)
    again.unlock()


def test_an_answer_given_in_the_terminal_is_seen_by_the_web(client):
    case_id, r = new_case(client)
    path = client.app.state.cases.case_path(case_id)
    s = Session(path, as_of=AS_OF)
    s.start(resume=True)
    try:
        s.record(s.next_slots()[0], "2025-11-18")
    finally:
        s.unlock()
    assert "2025-11-18" in client.get(f"/c/{case_id}/review").text


# ---------------------------------------------------------------------- uploads, evidence

def upload(client, case_id, files, role="photo"):
    page = client.get(f"/c/{case_id}/evidence")
    return client.post(f"/c/{case_id}/evidence", data={"csrf_token": token(page.text),
                                                       "role": role}, files=files)


def test_photos_are_stored_under_generated_names_and_analysed(client):
    case_id, _ = new_case(client)
    folder = client.app.state.cases.folder(case_id)
    r = upload(client, case_id, [("files", ("../../../evil name.jpg", jpeg(1), "image/jpeg")),
                                 ("files", ("x.png", jpeg(2), "image/png"))])
    assert r.status_code == 200, r.text[-500:]
    assert "已保存 2 个文件" in r.text and "分析结果" in r.text
    stored = sorted(p.name for p in (folder / "evidence").iterdir())
    assert len(stored) == 2 and all(re.fullmatch(r"[0-9a-f]{24}\.jpg", n) for n in stored)
    assert not list(folder.parent.parent.glob("evil*")) and not list(folder.glob("evil*"))
    case = yaml.safe_load((folder / "case.yaml").read_text())
    ev = case["evidence"]
    assert [e["kind"] for e in ev] == ["buyer_photo", "buyer_photo"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) for e in ev)
    assert {e["file"] for e in ev} == {f"evidence/{n}" for n in stored}
    r = upload(client, case_id, [("files", ("l.jpg", jpeg(3), "image/jpeg"))], role="listing")
    assert "商品详情页照片" in r.text
    assert "SHA-256 " + ev[0]["sha256"] in r.text


def test_wrong_type_empty_oversized_and_too_many_files_are_refused(client, monkeypatch):
    case_id, _ = new_case(client)
    folder = client.app.state.cases.folder(case_id)
    r = upload(client, case_id, [("files", ("photo.jpg", b"#!/bin/sh\necho hi\n", "image/jpeg"))])
    assert r.status_code == 422 and "按文件内容判断" in r.text
    r = upload(client, case_id, [("files", ("e.jpg", b"", "image/jpeg"))])
    assert r.status_code == 422
    r = upload(client, case_id, [("files", ("half.jpg", jpeg(1)[:200], "image/jpeg"))])
    assert r.status_code == 422 and "不是 JPEG" in r.text
    monkeypatch.setattr(uploads, "MAX_BYTES", 1000)
    r = upload(client, case_id, [("files", ("big.jpg", jpeg(1, (400, 400)), "image/jpeg"))])
    assert r.status_code == 422 and "超过" in r.text
    monkeypatch.setattr(uploads, "MAX_BYTES", 20 * 1024 * 1024)
    r = upload(client, case_id, [("files", (f"{i}.jpg", jpeg(i), "image/jpeg"))
                                 for i in range(uploads.MAX_FILES + 1)])
    assert r.status_code in (400, 422)
    r = upload(client, case_id, [])
    assert r.status_code == 422 and "请选择" in r.text
    r = upload(client, case_id, [("files", ("a.jpg", jpeg(1), "image/jpeg"))], role="../x")
    assert r.status_code == 400
    assert not [p for p in (folder / "evidence").iterdir()]
    assert "evidence:" not in (folder / "case.yaml").read_text()


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(client, monkeypatch):
    case_id, _ = new_case(client)
    monkeypatch.setattr(uploads, "request_limit", lambda: 5000)
    r = upload(client, case_id, [("files", ("big.jpg", b"\xff" * 20000, "image/jpeg"))])
    assert r.status_code == 413 and "太大" in r.text
    monkeypatch.setattr(uploads, "MAX_BYTES", 1000)        # any other form: one file's worth
    page = client.get(f"/c/{case_id}/q")
    r = client.post(f"/c/{case_id}/q", data={"csrf_token": token(page.text),
                                             "slot": "incident.date[0]", "answer": "x" * 300_000})
    assert r.status_code == 413


def test_a_case_holds_at_most_so_many_files(client, monkeypatch):
    case_id, _ = new_case(client)
    monkeypatch.setattr(uploads, "MAX_PER_CASE", 2)
    assert upload(client, case_id, [("files", ("a.jpg", jpeg(1), "image/jpeg")),
                                    ("files", ("b.jpg", jpeg(2), "image/jpeg"))]).status_code == 200
    r = upload(client, case_id, [("files", ("c.jpg", jpeg(3), "image/jpeg"))])
    assert r.status_code == 422 and "每个案件最多 2 个文件" in r.text


# ---------------------------------------------------------------------- the real case, summary, documents

@pytest.fixture(scope="module")
def crab(tmp_path_factory):
    from test_interview import answers_for
    from assess.yamlio import load

    data = load(ROOT / "examples" / "crabs-guangzhou-zengcheng.yaml")
    client = TestClient(create_app(tmp_path_factory.mktemp("crab"), as_of=AS_OF))
    case_id, asked, r = answer_all(client, answers_for(data))
    return client, case_id, asked, r


def test_the_real_case_ends_on_the_summary_in_plain_chinese(crab):
    client, case_id, asked, r = crab
    assert "incident.amount[0]" in asked and "place" in asked
    text = main_text(r.text)
    assert "评估结论" in text and "结论" in text and "民事" in text
    assert "撤销权消灭" in text                         # a deadline, in words
    assert "civil." not in text and "V-repo" not in text   # no rule ids, no confidence tags
    saved = yaml.safe_load(client.app.state.cases.case_path(case_id).read_text())
    assert saved["place"] == "广东省广州市增城区" and saved["incidents"][0]["amount"] == 195
    # after the end the question page leads to the summary
    assert str(client.get(f"/c/{case_id}/q").url).endswith("/summary")
    en = TestClient(client.app, cookies={"assess_lang": "en"})
    assert "Assessment" in en.get(f"/c/{case_id}/summary").text


def test_details_for_the_documents_bad_input_is_shown_at_the_field(crab):
    client, case_id, _, r = crab
    path = client.app.state.cases.case_path(case_id)
    names = re.findall(r'name="(a:[^"]+)"', r.text)
    assert {"a:police_reported", "a:incident.goods[0]", "a:merchant.name"} <= set(names)
    r = post(client, f"/c/{case_id}/details", r.text,
             **{"a:police_reported": "yes", "a:incident.goods[0]": "大闸蟹"})
    assert r.status_code == 200 and "已保存" in r.text
    saved = yaml.safe_load(path.read_text())
    assert saved["police_reported"] is True and saved["incidents"][0]["goods"] == "大闸蟹"
    assert 'name="a:police_report_date"' in r.text        # opened by the answer
    bad = post(client, f"/c/{case_id}/details", r.text, **{"a:police_report_date": "上个世纪"})
    assert bad.status_code == 422
    assert re.search(r'a:police_report_date-error" role="alert">[^<]*不是有效日期', bad.text)
    assert 'value="上个世纪"' in bad.text
    early = post(client, f"/c/{case_id}/details", r.text, **{"a:police_report_date": "2025-11-01"})
    assert early.status_code == 422 and "不可能在申请之前报案" in early.text
    ok = post(client, f"/c/{case_id}/details", r.text, **{"a:police_report_date": "2025-11-28"})
    assert ok.status_code == 200
    assert str(yaml.safe_load(path.read_text())["police_report_date"]) == "2025-11-28"


def test_documents_download_as_pdf(crab):
    client, case_id, _, _ = crab
    r = client.get(f"/c/{case_id}/documents/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    assert f'filename="{case_id}-report.pdf"' in r.headers["content-disposition"]
    for bad in ("secret.pdf", "report.html", "report", "..%2Freport.pdf"):
        assert client.get(f"/c/{case_id}/documents/{bad}").status_code == 404, bad


def test_a_case_that_cannot_be_read_is_a_message(client):
    case_id, _ = new_case(client)
    path = client.app.state.cases.case_path(case_id)
    path.write_text("format: assess-case/1\nplace: [1, 2\n", encoding="utf-8")
    r = client.get(f"/c/{case_id}/q")
    assert r.status_code == 400 and "Traceback" not in r.text


# ---------------------------------------------------------------------- assess serve

def test_serve_binds_loopback_unless_allowed_and_then_warns(tmp_path, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with pytest.raises(AssessError) as err:
        server.serve("0.0.0.0", 8000, tmp_path)
    assert "--allow-network" in err.value.hint and not calls
    said = []
    server.serve("127.0.0.1", 8123, tmp_path / "d", say=said.append)
    assert calls[-1] == {"host": "127.0.0.1", "port": 8123, "log_level": "warning"}
    assert said == [f"assess: http://127.0.0.1:8123/   data: {tmp_path / 'd'}"]
    said.clear()
    server.serve("0.0.0.0", 8000, tmp_path, allow_network=True, say=said.append)
    assert "no login" in said[0] and "没有登录" in said[0]
    with pytest.raises(AssessError):
        server.serve("127.0.0.1", 70000, tmp_path)


def test_serve_command_refuses_a_network_host(tmp_path):
    from typer.testing import CliRunner

    from assess.cli import app

    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert r.exit_code == 2 and "--allow-network" in r.output


def test_a_file_question_takes_an_upload_checked_like_the_others(client):
    # evidence.file is a `file` question (the documents' evidence list): the page offers a file
    # input, the upload is checked by content and stored under a generated name, the SHA-256 kept
    case_id, _ = new_case(client)
    folder = client.app.state.cases.folder(case_id)
    upload(client, case_id, [("files", ("a.jpg", jpeg(1), "image/jpeg"))])
    page = client.get(f"/c/{case_id}/q", params={"slot": "evidence.file[0]"})
    assert 'type="file" name="file"' in page.text and 'enctype="multipart/form-data"' in page.text
    png = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(png, "PNG")
    data = {"csrf_token": token(page.text), "slot": "evidence.file[0]", "action": "answer"}
    bad = client.post(f"/c/{case_id}/q", data=data,
                      files={"file": ("../../x.png", b"GIF89a not really", "image/png")})
    assert bad.status_code == 422 and "按文件内容判断" in bad.text
    ok = client.post(f"/c/{case_id}/q", data=data,
                     files={"file": ("../../x.png", png.getvalue(), "image/png")})
    assert ok.status_code == 200, ok.text[-800:]
    entry = yaml.safe_load((folder / "case.yaml").read_text())["evidence"][0]
    assert re.fullmatch(r"evidence/[0-9a-f]{24}\.png", entry["file"])
    import hashlib
    assert entry["sha256"] == hashlib.sha256(png.getvalue()).hexdigest()


def test_every_page_word_is_in_chinese_and_english():
    from assess.web.app import HERE

    table = yaml.safe_load((HERE / "strings.yaml").read_text(encoding="utf-8"))
    for key, texts in table.items():
        assert set(texts) == {"zh", "en"} and all(texts.values()), key
    used = set()
    for template in (HERE / "templates").glob("*.html"):
        used |= set(re.findall(r"\bt\.([a-z_]+)", template.read_text(encoding="utf-8")))
    for source in (HERE / "app.py", HERE / "uploads.py"):
        used |= set(re.findall(r'"((?:upload|error|doc|desc|role)_[a-z_]+)"',
                               source.read_text(encoding="utf-8")))
    assert used and used <= set(table), used - set(table)


def test_a_bare_age_at_16_asks_the_date_of_birth_with_its_own_example(client):
    """16 typed for the buyer's age (8,000 yuan in 重庆): the next page asks the date of birth,
    its placeholder is an example date of birth, and one that disagrees with 16 is refused next
    to the field with the typing kept."""
    from test_interview import answers_for
    from web_driver import CONFIRM, answer_for

    data = {"place": "重庆市渝中区", "buyer": {"age": 16}, "intent_to_possess": "yes",
            "refund_caused_by_photos": "yes",
            "incidents": [{"date": "2026-11-20", "amount": 8000, "refund_paid": "yes",
                           "photo_method": "ai_generated", "goods_defective": "no",
                           "handled": "no"}]}
    answers = answers_for(data)
    case_id, r = new_case(client)
    for _ in range(40):
        key = SLOT.search(r.text).group(1).replace("&#34;", '"')
        if key == "buyer.birth_date":
            break
        fields = {"slot": key, "answer": answer_for(answers, key), "action": "answer"}
        r = post(client, f"/c/{case_id}/q", r.text, **fields)
        if CONFIRM.search(r.text):
            r = post(client, f"/c/{case_id}/q", r.text, confirm=CONFIRM.search(r.text).group(1),
                     **fields)
        assert r.status_code == 200, (key, r.text[-1000:])
    else:
        raise AssertionError("the date of birth was not asked")
    assert "买家的出生日期是哪天" in r.text and 'placeholder="例：2009-12-30' in r.text
    r = post(client, f"/c/{case_id}/q", r.text, slot=key, answer="2001-05-03", action="answer")
    if CONFIRM.search(r.text):
        r = post(client, f"/c/{case_id}/q", r.text, slot=key, answer="2001-05-03",
                 action="answer", confirm=CONFIRM.search(r.text).group(1))
    assert r.status_code == 422 and "与出生日期 2001-05-03 不符" in r.text
    assert 'value="2001-05-03"' in r.text
