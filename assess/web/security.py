"""CSRF protection for every form: a random browser id in a SameSite=Strict, HttpOnly cookie and,
in each form, a token that is an HMAC of that id under a secret the server draws at start-up.
A POST without the cookie, with a token that does not match, or with an Origin header naming
another host is refused."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

COOKIE = "assess_sid"
FIELD = "csrf_token"


class Csrf:
    def __init__(self, secret: bytes | None = None):
        self.secret = secret or secrets.token_bytes(32)

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(24)

    def token(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode(), hashlib.sha256).hexdigest()

    def valid(self, sid: str | None, token, origin: str | None, host: str | None) -> bool:
        if origin and origin != "null" and urlsplit(origin).netloc != (host or ""):
            return False
        if not sid or not isinstance(token, str) or not token:
            return False
        return hmac.compare_digest(self.token(sid), token)
