"""The interview asks for the photo files, shows the analysis and records it when the lawyer
confirms (assess/interview/session.py photo methods, terminal.py Interview.photos); once through
the Session with an answers mapping, once end to end in tmux."""
import io
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from assess.case import load_case
from assess.interview.terminal import AnswersIO, Interview

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "examples" / "photos"
AS_OF = date(2026, 2, 1)


def case_without_photos(folder: Path, handled: bool = True) -> Path:
    for p in PHOTOS.glob("*.jpg"):
        shutil.copy(p, folder / p.name)
    data = yaml.safe_load((PHOTOS / "case-bowl-zhejiang.yaml").read_text("utf-8"))
    data.pop("evidence_analysis")
    data["incidents"][0].pop("photos")
    if handled:
        data["incidents"][0]["handled"] = "no"
    data["evidence"] = [e for e in data["evidence"] if e["kind"] != "listing_photo"]
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def run_photos(path: Path, answers: dict) -> str:
    out = io.StringIO()
    iv = Interview(path, io=AnswersIO(answers, out=out), as_of=AS_OF)
    iv.start(True)
    try:
        iv.photos()
    finally:
        iv.unlock()
    return out.getvalue()


def test_photos_are_asked_analysed_shown_and_recorded_when_confirmed(tmp_path):
    path = case_without_photos(tmp_path)
    out = run_photos(path, {"photos.incident.1": "buyer-photo.jpg",
                            "photos.listing": "listing-1.jpg, listing-2.jpg",
                            "photos.accept": "是"})
    assert "第 1 次申请（2026-01-12，青瓷碗（一套四只））：买家提交的照片文件？" in out
    assert "照片分析结果（线索，不是结论）：" in out
    assert "[强] 文件含 GB 45438-2025 隐式标识" in out
    assert "这张照片就是商家的商品图 listing-1.jpg" in out
    assert "照片分析支持“人工智能生成”的陈述（标识）" in out       # what the rules will say
    case = load_case(path, as_of=AS_OF)
    assert case.evidence_analysis["ai_label"] == "1"
    assert case.evidence_analysis["derived_from_listing"] == "yes"
    photo = case.incidents[0].photos[0]
    assert photo["file"] == "buyer-photo.jpg" and len(photo["sha256"]) == 64
    assert [e["file"] for e in case.evidence if e["kind"] == "listing_photo"] == \
        ["listing-1.jpg", "listing-2.jpg"]


def test_declined_findings_are_not_recorded_and_a_missing_file_is_named(tmp_path):
    path = case_without_photos(tmp_path)
    out = run_photos(path, {"photos.incident.1": "buyer-photo.jpg nothere.jpg",
                            "photos.accept": "否"})
    assert "找不到文件 nothere.jpg" in out
    case = load_case(path, as_of=AS_OF)
    assert case.evidence_analysis is None and not case.incidents[0].photos   # nothing half-added
    assert "没有买家照片文件，未作照片分析。" in out


def test_session_photo_methods_in_english(tmp_path):
    path = case_without_photos(tmp_path)
    iv = Interview(path, io=AnswersIO({}, out=io.StringIO()), as_of=AS_OF, lang="en")
    iv.start(True)
    try:
        assert iv.photo_targets() == [("incident", 0), ("listing", None)]
        assert iv.analyse_photos() is None
        assert iv.add_photos("incident", 0, "buyer-photo.jpg") == ["buyer-photo.jpg"]
        assert iv.add_photos("listing", None, "listing-1.jpg") == ["listing-1.jpg"]
        assert iv.photo_targets() == []
        result = iv.analyse_photos()
        assert result["lang"] == "en" and result["evidence_analysis"]["changed_region"] == "yes"
        titles = [o["title"] for o in iv.evidence_outcomes(result["evidence_analysis"])]
        assert "The analysis supports the statement \"AI-generated\" (label)" in titles
        with pytest.raises(ValueError, match="nothere.jpg"):
            iv.add_photos("listing", None, "nothere.jpg")
        iv.accept_analysis(result)
    finally:
        iv.unlock()
    assert load_case(path, as_of=AS_OF).evidence_analysis["ai_label"] == "1"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_photos_in_a_terminal(tmp_path):
    from test_interview_tmux import Screen

    path = case_without_photos(tmp_path)
    cmd = (f"cd {ROOT} && LANG=C.UTF-8 {sys.executable} -m assess.cli interview {path} --resume "
           f"--as-of 2026-02-01; echo EXIT=$?; sleep 120")
    s = Screen(cmd)
    try:
        s.wait("另一笔订单")
        s.type("否", wait_for="现在生成法律意见书和报案材料吗")
        s.type("是", prompt=False)
        for _ in range(20):                   # the documents' details: all skipped
            if "买家提交的照片文件？" in s.text():
                break
            s.key("Enter")
            time.sleep(1.0)
        s.type("buyer-photo.jpg", wait_for="商家商品详情页图片的文件？")
        screen = s.type("listing-1.jpg listing-2.jpg",
                        wait_for="记入案件文件（evidence_analysis）吗")
        (tmp_path / "pane.txt").write_text(screen, "utf-8")
        assert "照片分析结果（线索，不是结论）：" in screen
        assert "[强] 这张照片就是商家的商品图 listing-1.jpg" in screen
        assert "照片分析支持照片系由商品图改成的陈述" in screen
        s.type("是", prompt=False)
        done = s.wait("EXIT=0", timeout=120, history=200)
        assert "已记入" in done
    finally:
        s.close()
    assert load_case(path, as_of=AS_OF).evidence_analysis["changed_region"] == "yes"
