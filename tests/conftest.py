"""Shared fixtures: real databases (SQLite and PostgreSQL), a migrated Database, a manual clock.

- ``db_url``: a fresh, empty database URL, once per dialect: ``[sqlite]`` (a
  file in tmp_path) and ``[postgres]`` (marker ``postgres``; a new schema in a
  database created for this test session and dropped at its end).
- ``database``: ``db_url`` migrated to the newest revision, as a ``Database``.
- ``sqlite_url`` / ``sqlite_database``: the same, SQLite only.
- ``clock``: a ``ManualClock`` to pass as ``clock=`` to repositories.

PostgreSQL comes from ``SCICITY_TEST_PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); the server is only
used to create and drop a ``scicity_test_<random>`` database. When it cannot
be reached, PostgreSQL tests are skipped, unless ``CI`` is set: then they fail.
Every such skip (see ``tests/environment.py``) is listed again at the end of
the run by ``pytest_terminal_summary``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from scicity.store import Database, migrate
from tests.environment import PREFIX, unavailable
from tests.mail import Inbox, serve

PG_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DIALECTS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


class ManualClock:
    """A clock that stands still until moved: ``clock()`` gives the time, ``clock.advance(hours=1)`` moves it."""

    def __init__(self, start: datetime = datetime(2025, 1, 1, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[URL]:
    """A PostgreSQL database created for this test session (and worker), dropped at the end."""
    server = make_url(os.environ.get("SCICITY_TEST_PG_URL", PG_DEFAULT_URL))
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except exc.OperationalError as err:
        admin.dispose()
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        message = (
            f"PostgreSQL is not reachable at {server.render_as_string(hide_password=True)} ({reason}); "
            "start it or set SCICITY_TEST_PG_URL"
        )
        unavailable(message)
    name = f"scicity_test_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_url(pg_session_url: URL) -> str:
    """A fresh, empty schema in the session database, as a URL whose search_path points at it."""
    schema = f"t_{secrets.token_hex(6)}"
    engine = create_engine(pg_session_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return _render(pg_session_url.update_query_dict({"options": f"-csearch_path={schema}"}))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{os.fspath(tmp_path)}/scicity.db"


@pytest.fixture(params=DIALECTS)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database, once per dialect."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


def _migrated(url: str) -> Iterator[Database]:
    migrate.upgrade(url)
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated database, once per dialect."""
    yield from _migrated(db_url)


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    """A migrated SQLite database (for tests that need only one dialect)."""
    yield from _migrated(sqlite_url)


#: py4j (Spark's gateway) leaves its sockets to the JVM for the garbage collector; only those are ignored,
#: only on Spark tests: the product's own leaked connections (SQLite, PostgreSQL, files) still fail every test.
SPARK_SOCKET_WARNINGS = (
    "ignore:unclosed <socket.socket:ResourceWarning",
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("spark") is not None:
            for spec in SPARK_SOCKET_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly, at the end, which tests did not run because this machine lacks something."""
    missing: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        if PREFIX in reason:
            what = reason.split(PREFIX, 1)[1]
            missing[what] = missing.get(what, 0) + 1
    if not missing:
        return
    total = sum(missing.values())
    terminalreporter.section(f"{total} tests NOT RUN: this machine lacks what they need", sep="!", red=True, bold=True)
    for what, n in sorted(missing.items()):
        terminalreporter.write_line(f"{n:5d} skipped: {what}", yellow=True, bold=True)
    terminalreporter.write_line("Install what is named above, or set CI=1 to make these skips failures.", bold=True)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real local SMTP server (aiosmtpd): its inbox and port."""
    yield from serve()
