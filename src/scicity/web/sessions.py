"""Signed session cookies (itsdangerous): who is signed in, their CSRF token, when it expires.

The cookie holds ``{"u": user id or None, "v": password version, "c": CSRF token,
"s": server-side session key}``,
signed and time-stamped with the secret key; it is refused once older than
``session_max_age`` seconds, or when the user's password changed since (the
version no longer matches), or once its server-side session has ended
(sign-out, password change, deactivation: ``scicity.store.web_sessions``). HttpOnly, SameSite=Lax, Secure when configured.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import time

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

COOKIE_NAME = "scicity_session"
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class SessionData:
    user_id: int | None
    password_version: int
    csrf: str
    #: the key of the server-side session (``web_sessions``) of a signed-in user
    sid: str | None = None

    @staticmethod
    def fresh(user_id: int | None = None, password_version: int = 0, sid: str | None = None) -> SessionData:
        return SessionData(user_id, password_version, secrets.token_urlsafe(24), sid)


class ClockSigner(TimestampSigner):
    """A timestamp signer reading the time through ``clock`` (tests move it to expire sessions)."""

    clock = staticmethod(time.time)

    def get_timestamp(self) -> int:
        return int(self.clock())


class SessionCodec:
    def __init__(self, secret_key: str, max_age: int, *, secure: bool) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="scicity-session", signer=ClockSigner)
        self.max_age = max_age
        self.secure = secure

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps({"u": data.user_id, "v": data.password_version, "c": data.csrf, "s": data.sid})

    def loads(self, cookie: str | None) -> SessionData | None:
        """The session in the cookie, or None when absent, forged or expired."""
        if not cookie or len(cookie) > 4096:
            return None
        try:
            raw: Any = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("c"), str):
            return None
        user_id = raw.get("u")
        version = raw.get("v")
        if user_id is not None and not isinstance(user_id, int):
            return None
        sid = raw.get("s")
        return SessionData(user_id, version if isinstance(version, int) else 0, raw["c"],
                           sid if isinstance(sid, str) else None)

    def serializer(self, salt: str) -> URLSafeTimedSerializer:
        """Another serializer signed with the session key (e.g. for the one-time status message)."""
        return URLSafeTimedSerializer(self._serializer.secret_keys[-1], salt=salt)

    def cookie_options(self) -> dict[str, Any]:
        return {"key": COOKIE_NAME, "max_age": self.max_age, "httponly": True, "samesite": "lax",
                "secure": self.secure, "path": "/"}


def weak_secret_reason(key: str | None) -> str | None:
    """Why a secret key is not good enough to sign sessions, or None when it is."""
    if key is None or not key.strip():
        return "SCICITY_SECRET_KEY is not set"
    if len(key) < MIN_SECRET_LENGTH:
        return f"SCICITY_SECRET_KEY is {len(key)} characters long; use at least {MIN_SECRET_LENGTH}"
    if len(set(key)) < 10:
        return "SCICITY_SECRET_KEY repeats too few characters to be random"
    return None
