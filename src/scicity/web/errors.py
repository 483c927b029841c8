"""Errors the web layer raises; app.py turns them into pages (HTML) or JSON (API) for people."""

from __future__ import annotations


class WebError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotSignedIn(WebError):
    status_code = 401


class Forbidden(WebError):
    status_code = 403


class NotFoundError(WebError):
    status_code = 404


class BadRequest(WebError):
    status_code = 400


class Conflict(WebError):
    status_code = 409


class CsrfFailed(WebError):
    status_code = 403


class UploadRefused(WebError):
    status_code = 413


class TooManyAttempts(WebError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
