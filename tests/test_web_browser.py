"""Browser test of the merchants' web app: Playwright drives Debian's chromium (JavaScript off:
the pages must work without it) through the real case end to end — a buyer in 广州市增城区
bought crabs on 2025-11-17 and on 2025-11-18 claimed a refund-only of 195 yuan with AI-made
photos and a video; the merchant approved the refund itself and reported to the police on
2025-11-28.  Answers typed as a merchant would, photo and video upload with the findings, the
summary, the details for the documents, the police report downloaded and read with pdftotext.

Screenshots of each step go to a temporary folder, or to ASSESS_SCREENSHOTS (the committed ones
in docs/screenshots/ were made with ASSESS_SCREENSHOTS=docs/screenshots).
"""
import os
import shutil
import socket
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import evidence_images as ei

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright (pip) is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium (/usr/bin/chromium, apt package chromium) is "
                              "not installed; Playwright's own browser download is not used"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils)"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AS_OF = date(2025, 11, 28)          # the merchant uses the app on the day of the report

# the answers a merchant types or clicks (question id -> text, or ("radio", value));
# a question not listed here is answered 不确定
TYPED = {
    "incident.date": "2025年11月18日",
    "incident.amount": "195元",
    "place": "广州市增城区",
    "incident.refund_paid": ("radio", "yes"),
    "incident.photo_method": ("radio", "ai_generated"),
    "incident.goods_defective": ("radio", "no"),
    "incident.handled": ("radio", "no"),
    "incident.more": ("radio", "no"),
    "intent_to_possess": ("radio", "yes"),
    "refund_caused_by_photos": ("radio", "yes"),
    "merchant_learned_date": "2025-11-27",
    "platform.refund_approval": ("radio", "merchant"),
    "police_reported": ("radio", "yes"),
    "police_report_date": "2025-11-28",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from assess.web.app import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(tmp_path / "data", as_of=AS_OF),
                                       host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tmp_path / "data"
    srv.should_exit = True
    thread.join(10)


@pytest.mark.slow
def test_the_real_case_end_to_end_in_chromium(server, tmp_path):
    base, data = server
    shots = Path(os.environ.get("ASSESS_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "死蟹.jpg"                           # an AI label in the XMP
    photo.write_bytes(ei.jpeg_with_xmp(ei.scene(640, 480, seed=3)))
    video = tmp_path / "开箱视频.mp4"
    video.write_bytes(ei.mp4_with_label())
    listing = tmp_path / "详情页.jpg"
    listing.write_bytes(ei.jpeg(ei.scene(640, 480, seed=8)))

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(java_script_enabled=False, accept_downloads=True,
                                      viewport={"width": 820, "height": 760}, locale="zh-CN")
        page = context.new_page()

        def shot(name, full=False):
            page.screenshot(path=str(shots / f"web-{name}.png"), full_page=full)

        page.goto(base + "/")
        assert "开始新案件" in page.content()
        shot("1-home")
        page.click("text=开始新案件")

        # ------------------------------------------------ the questions, one per page
        seen = []
        for _ in range(60):
            if "/summary" in page.url:
                break
            key = page.get_attribute("input[name=slot]", "value")
            qid = key.split("[")[0]
            status = page.inner_text(".status")
            assert "仍可能" in status or "尚未排除" in status
            if not seen:
                page.fill("input[name=answer]", "下个月某天")       # not a date
                page.click("button[value=answer]")
                assert "不是有效日期" in page.inner_text(".error")
                assert page.input_value("input[name=answer]") == "下个月某天"   # kept
                shot("3-error")
            if len(seen) == 1:
                shot("2-question")
                page.click("text=为什么问这个")
                assert "为什么问这个" in page.content()
                shot("4-why")
                page.click("text=回到问题")
            answer = TYPED.get(qid) or TYPED.get(qid.removesuffix(".more"))
            if answer is None and qid.endswith(".more"):
                answer = ("radio", "no")
            if answer is None:
                page.click("button[value=unknown]")
            elif isinstance(answer, tuple):
                page.check(f"input[name=answer][value={answer[1]}]")
                page.click("button[value=answer]")
            else:
                page.fill("input[name=answer]", answer)
                page.click("button[value=answer]")
            if page.locator("button[name=confirm]").count():
                page.click("button[name=confirm]")
            assert page.locator(".error").count() == 0, (key, page.inner_text("main"))
            seen.append(key)
            if len(seen) == 6:
                page.click("text=查看和修改回答")
                assert "2025-11-18" in page.inner_text("main") and "195" in page.inner_text("main")
                shot("5-review")
                page.click("text=继续回答")
        assert page.url.endswith("/summary"), seen
        assert {"incident.date[0]", "incident.amount[0]", "place"} <= set(seen)
        main = page.inner_text("main")
        assert "评估结论" in main and "行政（治安管理处罚）" in main
        shot("7-summary")

        # ------------------------------------------------ photos and video, findings
        page.click("header >> text=照片证据")
        page.set_input_files("#files-photo", [str(photo), str(video)])
        page.click("form:has(#files-photo) button")
        assert "已保存 2 个文件" in page.inner_text(".notice")
        page.set_input_files("#files-listing", [str(listing)])
        page.click("form:has(#files-listing) button")
        findings = page.inner_text("main")
        assert "分析结果" in findings and findings.count("隐式标识") >= 2   # the photo and the video
        assert "人工智能生成的强线索" in findings and "商品详情页照片" in findings
        shot("6-evidence", full=True)

        # ------------------------------------------------ details for the documents
        page.click("header >> text=评估结论")
        page.check('input[name="a:police_reported"][value=yes]')
        page.fill('input[name="a:incident.goods[0]"]', "大闸蟹")
        page.fill('input[name="a:merchant.name"]', "某某水产旗舰店")
        page.click("text=保存这些信息")
        page.fill('input[name="a:police_report_date"]', "2025-11-28")
        page.click("text=保存这些信息")
        assert "已保存" in page.inner_text("main")
        page.locator("#details").scroll_into_view_if_needed()
        shot("8-details")

        # ------------------------------------------------ the police report as a PDF
        with page.expect_download() as info:
            page.click("a.button:has-text('报案材料')")
        pdf = tmp_path / "report.pdf"
        info.value.save_as(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = "".join(text.split())
        assert "报案材料" in flat and "195" in flat and "大闸蟹" in flat
        assert "增城区" in flat and "2025年11月18日" in flat and "某某水产旗舰店" in flat
        for leak in ("civil.", "V-repo", "http", "github"):
            assert leak not in flat

        # ------------------------------------------------ English, one click away
        page.click("text=English")
        assert "Assessment" in page.inner_text("main")
        shot("9-english")
        browser.close()
    case = next(data.glob("*/case.yaml")).read_text(encoding="utf-8")
    assert "amount: 195" in case and "police_report_date: 2025-11-28" in case
