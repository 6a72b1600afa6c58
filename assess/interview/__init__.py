"""The lawyer's questionnaire: one question at a time, only the questions that still matter.

`run_interview(case_path, *, lang, resume, answers, io)` runs the interview and returns the case
file's path.  The questions are data (rules/questions.yaml, read by assess/questions.py).

Relevance by sensitivity: after each answer the partial case is evaluated (unanswered fields are
unknown) with the plain engine, and for every unanswered question its possible answers are tried
(yes/no; amounts around the amount standards in force; dates around 2026-01-01 and the
limitation dates; the choices; a few places and ages).  A question is still relevant when two of
its answers lead to different conclusions: the primary track, whether each track applies, the
amount band, the PSAPL text applied, or a deadline.  The relevant question with the highest
priority is asked next; the interview ends when none is left.

Every answer is written at once to the case file (assess.case.dump_case, atomic); the position
(open lists, the order of the answers for `back`) goes to a small sidecar `<case>.interview.json`,
so that the case file keeps exactly the format `assess evaluate` reads.

Input/output goes through an `io` object (`ask(...) -> str`, `say(text)`): `TerminalIO`
(questionary, for a TTY), `LineIO` (one line per question: pipes, lists of answers) and
`AnswersIO` (a mapping question id -> answer).

The modules, one concept each:
  slots.py     where an answer goes (Slot) and paths in the case data
  session.py   UI-free state: relevance, applying answers, autosave/resume (the sidecar)
  parsing.py   typed answers -> case-file values
  wording.py   question, answer and outcome wording (zh, en)
  terminal.py  the terminal front end: io objects, the dialogue, the summary, run_interview
"""
from .session import RELEVANCE_COMPLETIONS, Session, conclusions, interview_stats
from .slots import Slot
from .terminal import (AnswersIO, Incomplete, Interview, LineIO, TerminalIO, default_io,
                       load_answers, run_interview)
from .wording import W

__all__ = ["AnswersIO", "Incomplete", "Interview", "LineIO", "RELEVANCE_COMPLETIONS", "Session",
           "Slot", "TerminalIO", "W", "conclusions", "default_io", "interview_stats",
           "load_answers", "run_interview"]
