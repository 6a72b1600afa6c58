"""Drive the web app's questionnaire over HTTP (fastapi TestClient) with an answers mapping, the
way the terminal's AnswersIO answers it: question id -> answer, a list answering a group's
entries in turn."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from assess.interview import Slot
from assess.interview.terminal import _answer_text

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SLOT = re.compile(r'name="slot" value="([^"]+)"')
CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')


def token(html: str) -> str:
    return TOKEN.search(html).group(1)


def answer_for(answers: dict, key: str) -> str:
    slot = Slot.parse(key)
    for k in (slot.key, slot.answer_id):
        if k in answers:
            value = answers[k]
            if isinstance(value, list):
                value = value[slot.index or 0]
            return _answer_text(value)
    raise KeyError(key)


def new_case(client: TestClient):
    home = client.get("/")
    r = client.post("/cases", data={"csrf_token": token(home.text)})
    assert r.status_code == 200, r.text
    case_id = re.search(r"/c/([0-9]{8}-[0-9a-f]{8})/q", str(r.url)).group(1)
    return case_id, r


def answer_all(client: TestClient, answers: dict, limit: int = 200):
    """Answer every question; returns (case id, the keys asked in order, last response)."""
    case_id, r = new_case(client)
    asked = []
    for _ in range(limit):
        m = SLOT.search(r.text)
        if m is None:
            break
        key = m.group(1).replace("&#34;", '"')
        text = answer_for(answers, key)
        data = {"csrf_token": token(r.text), "slot": key, "answer": text, "action": "answer"}
        r = client.post(f"/c/{case_id}/q", data=data)
        if CONFIRM.search(r.text):                  # a date to confirm: kept as written
            data["confirm"] = CONFIRM.search(r.text).group(1)
            r = client.post(f"/c/{case_id}/q", data=data)
        assert r.status_code == 200, (key, text, r.status_code, r.text[-2000:])
        asked.append(key)
    else:
        raise AssertionError("the questionnaire did not end")
    assert str(r.url).endswith(f"/c/{case_id}/summary"), r.url
    return case_id, asked, r
