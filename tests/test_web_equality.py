"""One interview model, two front ends: golden and example cases answered through the web app
(HTTP, tests/web_driver.py) and through the terminal (AnswersIO) give identical case files and
identical interview state (the questions asked, in the same order).

A few cases run by default; ASSESS_WEB_ALL=1 runs every golden case and example (slow)."""
import json
import os
from datetime import date

import pytest
from fastapi.testclient import TestClient

from assess.interview import AnswersIO, run_interview
from assess.web.app import create_app
from test_interview import ALL, answers_for
from web_driver import answer_all

FEW = [c for c in ALL if c[0] in ("example: crabs-guangzhou-zengcheng",
                                  "example: criminal-guangdong")] + \
      [c for c in ALL if "三次退款累计" in c[0]][:1]
CASES = ALL if os.environ.get("ASSESS_WEB_ALL") else FEW


def test_the_few_are_there():
    assert len(FEW) == 3


@pytest.mark.slow
@pytest.mark.parametrize("name,data,as_of", CASES, ids=[c[0] for c in CASES])
def test_web_and_terminal_write_the_same_case(tmp_path, name, data, as_of: date):
    answers = answers_for(data)
    terminal = tmp_path / "terminal" / "case.yaml"
    terminal.parent.mkdir()
    run_interview(terminal, io=AnswersIO(answers, out=open(os.devnull, "w")), as_of=as_of,
                  summary=False)
    client = TestClient(create_app(tmp_path / "web", as_of=as_of))
    case_id, asked, _ = answer_all(client, answers)
    web = tmp_path / "web" / case_id / "case.yaml"
    assert web.read_text(encoding="utf-8") == terminal.read_text(encoding="utf-8")
    state = [json.loads(p.with_name("case.yaml.interview.json").read_text(encoding="utf-8"))
             for p in (web, terminal)]
    assert state[0] == state[1]
    assert state[0]["asked"] == asked and state[0]["finished"] is True
