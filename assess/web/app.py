"""The merchants' web app: FastAPI routes over the interview Session, the evidence analysis and
the documents.  Pages are rendered on the server (Jinja2, templates/) and work without
JavaScript; their words are in strings.yaml (zh, en), the questions' words come from the
Session (rules/questions.yaml, assess/interview/wording.py).

Routes (every POST carries the CSRF token; see security.py):
  GET  /                           the cases: start a new one or continue one
  POST /cases                      start a new case
  GET  /lang/{zh|en}?next=PATH     switch the language (a cookie)
  GET  /c/{id}/q[?slot=KEY]        the next question (or the one named: back, review)
  POST /c/{id}/q                   answer it (or go back, or answer 不确定)
  GET  /c/{id}/why?slot=KEY        为什么问这个: the help and what the answers would change
  GET  /c/{id}/review              the answers so far, each with a link to change it
  GET  /c/{id}/evidence            upload photos; the findings of the evidence analysis
  POST /c/{id}/evidence            upload (role=photo|listing, files=…)
  GET  /c/{id}/summary             the assessment in words; the details the documents need
  POST /c/{id}/details             save those details
  GET  /c/{id}/documents/{kind}.pdf  report, appeal or opinion as a PDF
"""
from __future__ import annotations

import sys
import traceback
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..errors import AssessError
from ..interview.slots import _MISSING, Slot
from ..interview.wording import BAND_LABEL, SHORT_TRACK, TRACK_LABEL
from . import uploads
from .security import COOKIE, FIELD, Csrf
from .store import EVIDENCE_DIR, Cases, UnknownCase, default_data_dir

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")
LANG_COOKIE = "assess_lang"
KINDS = ("report", "appeal", "opinion")
EVIDENCE_KINDS = {"photo": "buyer_photo", "listing": "listing_photo"}


def load_strings() -> dict:
    from ..yamlio import load

    table = load(HERE / "strings.yaml")
    return {lang: {k: v[lang] for k, v in table.items()} for lang in LANGS}


class PageError(Exception):
    """A page that cannot be shown: its status and the key of its message in strings.yaml."""

    def __init__(self, status: int, key: str, detail: str | None = None):
        super().__init__(key)
        self.status, self.key, self.detail = status, key, detail


def create_app(data_dir=None, *, as_of: date | None = None, base=None) -> FastAPI:
    """The app over the cases in `data_dir` (default: the user's data directory).  `as_of`
    fixes the assessment date of new cases (default: today; a case keeps its own)."""
    import jinja2

    root = Path(data_dir) if data_dir is not None else default_data_dir()
    cases = Cases(root, as_of=as_of, base=base)
    csrf = Csrf()
    strings = load_strings()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    templates = Jinja2Templates(env=env)
    findings_cache: dict = {}

    app = FastAPI(title="assess", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.cases = cases
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # ------------------------------------------------------------------ helpers
    def lang_of(request: Request) -> str:
        lang = request.cookies.get(LANG_COOKIE)
        return lang if lang in LANGS else "zh"

    def page(request: Request, name: str, http_status: int = 200, **ctx) -> HTMLResponse:
        lang = lang_of(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        ctx.setdefault("case_id", None)
        return templates.TemplateResponse(request, name, {
            "t": strings[lang], "lang": lang, "other": "en" if lang == "zh" else "zh",
            "here": quote(here, safe="/?=&"), "csrf": csrf.token(request.state.sid),
            "csrf_field": FIELD, "c": "：" if lang == "zh" else ": ", **ctx}, status_code=http_status)

    def error_page(request: Request, status: int, key: str, detail: str | None = None):
        return page(request, "error.html", http_status=status, message_key=key, detail=detail)

    async def form_of(request: Request, **limits):
        form = await request.form(**limits)
        if not csrf.valid(request.cookies.get(COOKIE), form.get(FIELD),
                          request.headers.get("origin"), request.headers.get("host")):
            raise PageError(403, "error_csrf")
        return form

    def open_case(case_id: str, lang: str):
        return cases.open(case_id, lang)

    def slot_of(session, key) -> Slot:
        try:
            slot = session.slot(key)
            item = session.qs.by_id(slot.qid)
        except (ValueError, KeyError, TypeError):
            raise PageError(400, "error_slot") from None
        grouped = slot.kind == "more" or (slot.kind == "field" and item.group is not None)
        if (slot.kind == "field") != (not hasattr(item, "questions")) or \
                (slot.index is not None) != grouped or not session._exists(slot) or \
                (slot.kind == "more" and slot.index >= len(session.entries(item))):
            raise PageError(400, "error_slot")
        return slot

    def status_line(session, remaining: int) -> dict:
        lang = session.lang
        possible = session.possible_tracks()
        if possible is None:                # the answers are not a valid case
            possible = ["criminal", "administrative", "civil"]
        names = [SHORT_TRACK[lang][t] for t in possible] or [SHORT_TRACK[lang]["none"]]
        return {"possible": (" / " if lang == "en" else "、").join(names),
                "unfinished": session.tracks_unfinished(),
                "remaining": remaining, "answered": len(session.asked)}

    def question_view(session, slot: Slot) -> dict:
        """What a question page shows: the wording, the options, the current answer."""
        view = {"key": slot.key, "title": session.slot_title(slot), "options": [],
                "input": None, "unknown": slot.kind == "gate", "current": None}
        if slot.kind in ("gate", "more"):
            current = session.groups[slot.qid]["gate"] if slot.kind == "gate" else None
            view["options"] = [(v, session.yesno_label(v), current == v) for v in ("yes", "no")]
            return view
        q = session.question(slot)
        value = session.value(slot)
        view["unknown"] = q.unknown
        if q.type == "yesno":
            view["options"] = [(v, session.yesno_label(v), value == v) for v in ("yes", "no")]
        elif q.type == "choice":
            view["options"] = [(v, session.choice_label(q, v), value == v)
                               for v in (q.values or {}) if v != "unknown"]
        else:
            view["input"] = "file" if q.type == "file" else q.type
            # a date of birth gets an example of one, not of a day of the case
            view["placeholder"] = "birth_date" if q.birthday_of else view["input"]
            if value is not _MISSING and value != "unknown":
                view["current"] = session.default_for(slot)
        return view

    def saved_label(session, slot: Slot) -> str:
        """An answer as it was understood: a place as resolved (广东省 广州市 增城区)."""
        label = session.current_label(slot)
        if slot.kind == "field" and session.question(slot).type == "place" and \
                session.value(slot) not in (_MISSING, "unknown"):
            try:
                return session.parse(slot, str(session.value(slot)))[1].label()
            except ValueError:
                pass
        return label

    def why_view(session, slot: Slot) -> dict:
        lang = session.lang
        item = session.qs.by_id(slot.qid)
        if slot.kind == "field" and item.group is not None and not item.about:
            item = item.group
        kind, answers = session.why_answers(slot)
        heading = {"change": "why_change", "consequence": "why_consequence",
                   "together": "why_together", "settled": "why_settled"}[kind]
        return {"title": session.slot_title(slot), "key": slot.key,
                "help": item.text("help", lang) if item.help else None,
                "heading": session.w[heading],
                "answers": [session.w["answer"].format(value=a, outcome=o) for a, o in answers],
                "unfinished": session.w["why_unfinished"] if answers and
                session.why_unfinished(slot) else None,
                "provisions": [session.provision_label(p) for p in item.provisions]}

    # ------------------------------------------------------------------ middleware, errors
    @app.middleware("http")
    async def browser_id(request: Request, call_next):
        sid = request.cookies.get(COOKIE)
        fresh = not sid or len(sid) > 100
        request.state.sid = Csrf.new_id() if fresh else sid
        if request.method == "POST":            # refused before the body is read
            limit = uploads.request_limit() if request.url.path.endswith("/evidence") else \
                uploads.MAX_BYTES + 256 * 1024
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                response = error_page(request, 413, "upload_request_too_large")
                response.headers["Connection"] = "close"
                return response
        response = await call_next(request)
        if fresh:
            response.set_cookie(COOKIE, request.state.sid, httponly=True, samesite="strict")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = \
            "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        return response

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError):
        return error_page(request, exc.status, exc.key, exc.detail)

    @app.exception_handler(UnknownCase)
    async def unknown_case(request: Request, exc: UnknownCase):
        return error_page(request, 404, "error_not_found")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        key = "error_not_found" if exc.status_code in (404, 405) else "error_bad_request"
        return error_page(request, exc.status_code, key)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "error_bad_request")

    @app.exception_handler(AssessError)
    async def assess_error(request: Request, exc: AssessError):
        lang = lang_of(request)
        if exc.message.startswith("another interview"):
            return error_page(request, 409, "error_locked")
        return error_page(request, 400, "error_bad_request", exc.text(lang)["message"])

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        traceback.print_exception(exc, file=sys.stderr)      # for the server's log only
        return error_page(request, 500, "error_internal")

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return page(request, "home.html", cases=cases.listing(), root=str(root))

    @app.post("/cases")
    async def new_case(request: Request):
        await form_of(request)
        case_id = await run_in_threadpool(cases.new, lang_of(request))
        return RedirectResponse(f"/c/{case_id}/q", status_code=303)

    @app.get("/lang/{lang}")
    def switch(request: Request, lang: str, next: str = "/"):
        if lang not in LANGS:
            raise PageError(404, "error_not_found")
        if not next.startswith("/") or next.startswith("//") or "\\" in next:
            next = "/"
        response = RedirectResponse(next, status_code=303)
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response

    @app.get("/c/{case_id}/q", response_class=HTMLResponse)
    def question(request: Request, case_id: str, slot: str | None = None,
                 saved: str | None = None):
        with open_case(case_id, lang_of(request)) as s:
            remaining = s.next_slots()
            if slot is not None:
                current = slot_of(s, slot)
            elif remaining:
                current = remaining[0]
            else:
                if not s.finished:
                    s.finished = True
                    s.save()
                return RedirectResponse(f"/c/{case_id}/summary", status_code=303)
            notice = None
            if saved:
                try:
                    done = slot_of(s, saved)
                    notice = {"title": s.slot_title(done), "value": saved_label(s, done)}
                except PageError:
                    notice = None
            return page(request, "question.html", case_id=case_id, q=question_view(s, current),
                        status=status_line(s, len(remaining)), notice=notice, error=None,
                        raw=None, doubt=None, number=len(s.asked) + 1,
                        can_back=s.previous(current) is not None)

    def answer(request, case_id: str, form: dict, upload) -> Response:
        lang = lang_of(request)
        with open_case(case_id, lang) as s:
            slot = slot_of(s, form.get("slot"))
            action = form.get("action") or "answer"
            if action == "back":
                prev = s.previous(slot)
                target = f"/c/{case_id}/q" + (f"?slot={quote(prev.key)}" if prev else "")
                return RedirectResponse(target, status_code=303)
            raw = "unknown" if action == "unknown" else str(form.get("answer") or "")
            q = s.question(slot) if slot.kind == "field" else None
            error, stored = None, None
            if q is not None and q.type == "file" and upload is not None and action != "unknown":
                try:
                    stored = cases.evidence_dir(case_id) / uploads.store(
                        cases.evidence_dir(case_id), upload[0], upload[1])
                    raw = f"{EVIDENCE_DIR}/{stored.name}"
                except uploads.Refused as exc:
                    error = strings[lang][exc.key].format(**exc.values, **_limits())
            doubt = None
            if error is None:
                try:
                    value, _ = s.parse(slot, raw)
                    found = s.date_doubt(slot, value)
                    if found is not None:
                        refuse, text = found
                        if refuse:
                            raise ValueError(text)
                        if form.get("confirm") != value:
                            doubt = {"text": text, "value": value,
                                     "button": strings[lang]["confirm_button"].format(date=value)}
                    if doubt is None:
                        s.record(slot, value)
                        return RedirectResponse(f"/c/{case_id}/q?saved={quote(slot.key)}",
                                                status_code=303)
                except ValueError as exc:
                    error = s.w["invalid"].format(why=exc)
            if stored is not None:              # not taken: the file is not kept
                stored.unlink(missing_ok=True)
            return question_again(request, s, case_id, slot, error, raw, doubt)

    def question_again(request, s, case_id, slot, error, raw, doubt):
        """The question shown again: the reason next to the field, the typed answer kept."""
        remaining = s.next_slots()
        response = page(request, "question.html", case_id=case_id, q=question_view(s, slot),
                        status=status_line(s, len(remaining)), notice=None, error=error,
                        raw=raw, doubt=doubt, number=len(s.asked) + 1,
                        can_back=s.previous(slot) is not None)
        if error:
            response.status_code = 422
        return response

    @app.post("/c/{case_id}/q")
    async def post_answer(request: Request, case_id: str):
        cases.folder(case_id)
        form = await form_of(request, max_files=1, max_fields=20)
        upload = None
        file = form.get("file")
        if file is not None and hasattr(file, "read") and getattr(file, "filename", None):
            data = await file.read(uploads.MAX_BYTES + 1)
            upload = (file.filename, data)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return await run_in_threadpool(answer, request, case_id, fields, upload)

    @app.get("/c/{case_id}/why", response_class=HTMLResponse)
    def why(request: Request, case_id: str, slot: str = ""):
        with open_case(case_id, lang_of(request)) as s:
            s.next_slots()
            return page(request, "why.html", case_id=case_id, why=why_view(s, slot_of(s, slot)))

    @app.get("/c/{case_id}/review", response_class=HTMLResponse)
    def review(request: Request, case_id: str):
        with open_case(case_id, lang_of(request)) as s:
            rows = [{"key": x.key, "title": s.slot_title(x), "value": s.current_label(x)}
                    for x in s.answered_slots()]
            return page(request, "review.html", case_id=case_id, rows=rows)

    # ------------------------------------------------------------------ evidence
    def evidence_view(case_id: str, lang: str) -> dict:
        from ..evidence.analyse import analyse_files

        with open_case(case_id, lang) as s:
            items = [e for e in s.data.get("evidence") or []
                     if isinstance(e, dict) and e.get("kind") in EVIDENCE_KINDS.values()
                     and isinstance(e.get("file"), str)]
            path = s.path
            stamp = (path.stat().st_mtime_ns, lang)
        if not items:
            return {"files": [], "result": None}
        key = (case_id, stamp)
        if key not in findings_cache:
            findings_cache.clear()
            findings_cache[key] = analyse_files(case=path, lang=lang)
        return {"files": items, "result": findings_cache[key]}

    def _limits() -> dict:
        return {"count": uploads.MAX_FILES, "mb": uploads.MAX_BYTES // (1024 * 1024),
                "total": uploads.MAX_PER_CASE}

    @app.get("/c/{case_id}/evidence", response_class=HTMLResponse)
    def evidence(request: Request, case_id: str, done: int | None = None):
        view = evidence_view(case_id, lang_of(request))
        return page(request, "evidence.html", case_id=case_id, ev=view, limits=_limits(),
                    errors={}, done=done)

    def add_files(request, case_id: str, role: str, files: list) -> Response:
        lang = lang_of(request)
        t = strings[lang]
        errors: dict[str, list[str]] = {}
        if role not in EVIDENCE_KINDS:
            raise PageError(400, "error_bad_request")
        stored = 0
        with open_case(case_id, lang) as s:
            folder = cases.evidence_dir(case_id)
            have = len([p for p in folder.iterdir() if not p.name.startswith(".")])
            if not files:
                errors[role] = [t["upload_none"]]
            elif len(files) > uploads.MAX_FILES:
                errors[role] = [t["upload_too_many"].format(**_limits())]
            elif have + len(files) > uploads.MAX_PER_CASE:
                errors[role] = [t["upload_case_full"].format(n=have, **_limits())]
            else:
                group = s.qs.by_id("evidence")
                for name, data in files:
                    try:
                        stored_name = uploads.store(folder, name, data)
                    except uploads.Refused as exc:
                        errors.setdefault(role, []).append(t[exc.key].format(**{**_limits(),
                                                                                 **exc.values}))
                        continue
                    i = s.new_entry(group)
                    try:
                        s.apply(Slot("field", "evidence.file", i), f"{EVIDENCE_DIR}/{stored_name}")
                        s.apply(Slot("field", "evidence.kind", i), EVIDENCE_KINDS[role])
                        s.apply(Slot("field", "evidence.description", i),
                                t["desc_buyer" if role == "photo" else "desc_listing"])
                    except ValueError as exc:      # not taken: neither entry nor file kept
                        errors.setdefault(role, []).append(str(exc))
                        s.entries(group).pop(i)
                        s.drop_empty_entries(group)
                        (folder / stored_name).unlink(missing_ok=True)
                        continue
                    stored += 1
                s.save()
        if errors:
            view = evidence_view(case_id, lang)
            return page(request, "evidence.html", http_status=422, case_id=case_id, ev=view,
                        limits=_limits(), errors=errors, done=stored or None)
        return RedirectResponse(f"/c/{case_id}/evidence?done={stored}", status_code=303)

    @app.post("/c/{case_id}/evidence")
    async def upload(request: Request, case_id: str):
        cases.folder(case_id)
        form = await form_of(request, max_files=uploads.MAX_FILES + 1, max_fields=10)
        files = []
        for f in form.getlist("files"):
            if hasattr(f, "read") and getattr(f, "filename", None):
                files.append((f.filename, await f.read(uploads.MAX_BYTES + 1)))
        return await run_in_threadpool(add_files, request, case_id, str(form.get("role") or ""),
                                       files)

    # ------------------------------------------------------------------ summary, documents
    def detail_slots(s) -> list[Slot]:
        """The questions for the documents: the open ones, then those answered (to change)."""
        open_ = s.document_slots()
        keys = {x.key for x in open_}
        given = [x for x in s.answered_slots() if x.kind == "field" and x.key not in keys
                 and (s.question(x).ask == "documents" or s.question(x).documents)
                 and (s.question(x).group is None or not s.question(x).group.for_documents)]
        return open_ + given

    def details_view(s, errors=None, raw=None) -> list[dict]:
        out = []
        for slot in detail_slots(s):
            view = question_view(s, slot)
            view["error"] = (errors or {}).get(slot.key)
            view["raw"] = (raw or {}).get(slot.key)
            out.append(view)
        return out

    def summary_page(request, case_id: str, status: int = 200, errors=None, raw=None,
                     saved=False):
        from ..assessment import evaluate_file

        lang = lang_of(request)
        with open_case(case_id, lang) as s:
            result = evaluate_file(s.path, as_of=s.as_of, lang=lang, base=cases.base)
            details = details_view(s, errors, raw)
            finished = not s.next_slots()
        response = page(request, "summary.html", case_id=case_id, r=result,
                        view=summary_view(result, lang, s.w), details=details,
                        w=s.w,
                        finished=finished, errors=errors or {}, saved=saved, kinds=KINDS)
        response.status_code = status
        return response

    @app.get("/c/{case_id}/summary", response_class=HTMLResponse)
    def summary(request: Request, case_id: str, saved: int = 0):
        return summary_page(request, case_id, saved=bool(saved))

    def save_details(request, case_id: str, form: dict) -> Response:
        lang = lang_of(request)
        errors, raw = {}, {}
        with open_case(case_id, lang) as s:
            for slot in detail_slots(s):
                text = str(form.get("a:" + slot.key) or "").strip()
                if not text:
                    continue
                raw[slot.key] = text
                try:
                    value, _ = s.parse(slot, text)
                    found = s.date_doubt(slot, value)
                    if found is not None and found[0]:
                        raise ValueError(found[1])
                    s.apply(slot, value)
                except ValueError as exc:
                    errors[slot.key] = s.w["invalid"].format(why=exc)
            s.save()
        if errors:
            return summary_page(request, case_id, 422, errors, raw)
        return RedirectResponse(f"/c/{case_id}/summary?saved=1#details", status_code=303)

    @app.post("/c/{case_id}/details")
    async def details(request: Request, case_id: str):
        cases.folder(case_id)
        form = await form_of(request, max_files=0, max_fields=100)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return await run_in_threadpool(save_details, request, case_id, fields)

    @app.get("/c/{case_id}/documents/{name}")
    def document(request: Request, case_id: str, name: str):
        from ..documents import render

        kind, _, suffix = name.partition(".")
        if kind not in KINDS or suffix != "pdf":
            raise PageError(404, "error_not_found")
        lang = lang_of(request)
        with open_case(case_id, lang) as s:
            as_of, path = s.as_of, s.path
            try:
                pdf = render(kind, path, as_of=as_of, lang=lang, base=cases.base).content
            except AssessError as exc:
                label = strings[lang]["doc_" + kind]
                raise PageError(400, "error_document", strings[lang]["error_document"].format(
                    kind=label, why=exc.text(lang)["message"])) from None
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{case_id}-{kind}.pdf"'})

    return app


def summary_view(result: dict, lang: str, w: dict) -> dict:
    """The assessment in words for the summary page (no rule ids, no confidence tags)."""
    from ..explain import _money

    tracks = []
    for track in ("criminal", "administrative", "civil", "platform"):
        info = result["tracks"][track]
        a = info["applies"]
        flag = w["applies"] if a is True else w["not"] if a is False else w["conditional"]
        band = None
        if track == "criminal" and a is not False and (info.get("band") or
                                                       info.get("band_status") == "conditional"):
            bands = [BAND_LABEL[lang][b] for b in info.get("possible_bands") or [] if b]
            band = BAND_LABEL[lang].get(info.get("band") or "", " / ".join(bands)) or None
        penalties = [{"text": p["text"], "definite": p["status"] == "definite",
                      "condition": p.get("condition_text") or ""}
                     for p in info.get("penalties", [])] if a is not False else []
        definite = [p for p in penalties if p["definite"]]
        conditional = [p for p in penalties if not p["definite"]]
        tracks.append({"label": TRACK_LABEL[lang][track], "flag": flag, "applies": a,
                       "band": band, "condition": info.get("condition_text") or "",
                       "penalties": definite + conditional[:4],     # as the terminal shows
                       "more": w["more_conditional"].format(n=len(conditional) - 4)
                       if len(conditional) > 4 else None})
    reasons = [t for t in result["trace"] if t["track"] != "advice"]
    return {
        "headline": result["headline"]["text"],
        "tracks": tracks,
        "amount": _money(result["amounts"]["fraud_amount"], lang),
        "obtained": _money(result["amounts"].get("obtained"), lang)
        if result["amounts"].get("obtained") is not None else None,
        "standards": [f"{BAND_LABEL[lang][b]} {_money(v, lang)}"
                      for b, v in result["thresholds"]["used"].items()],
        "deadlines": sorted(result["deadlines"], key=lambda d: (d["date"] is None,
                                                                d["date"] or "")),
        "change": [x["text"] for x in result.get("what_would_change") or []],
        "advice": [x["text"] for x in result.get("recommendations") or []],
        "evidence": [x["text"] for x in result.get("evidence") or []],
        "reasons": [{"title": t["title"], "text": t["explanation"]} for t in reasons
                    if t["status"] == "definite"],
        "open_reasons": len([t for t in reasons if t["status"] != "definite"]),
    }
