"""The merchants' web app (FastAPI, Uvicorn, Jinja2): the questionnaire one question per page on
the interview Session shared with the terminal, photo uploads with the evidence analysis, the
assessment in words and the documents as PDFs.

    serve(host="127.0.0.1", port=8000, data=None, allow_network=False)   (assess serve)
    create_app(data_dir=None, as_of=None, base=None) -> FastAPI
"""
from .server import serve

__all__ = ["serve"]
