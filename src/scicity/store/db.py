"""The database: one engine and short sessions, one transaction each.

SQLite (the default) and PostgreSQL behave the same through this class:
SQLite gets foreign keys switched on, write-ahead logging for files, a
proper BEGIN at the start of every transaction (so a transaction covers
reads and DDL too, not only writes; ``session(write=True)`` begins with
BEGIN IMMEDIATE, so writers queue for the busy timeout instead of failing),
and its directory created when missing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scicity.domain.message import Msg
from scicity.store.errors import ConcurrentWrite, DatabaseBusy, DatabaseUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, exc
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session

    from scicity.settings import Settings

# SQLAlchemy (about 0.4 s of start-up) is imported when a database is first used through it. A plain SQLite
# file URL given as text is recognised without it, so a command that reads with the sqlite3 driver
# (:mod:`scicity.store.sqlite_reads`, e.g. ``scicity status``) never imports it.


def plain_sqlite_file(url: object) -> Path | None:
    """The file of a plain SQLite file URL given as text (``sqlite:///path``, no query, nothing to unquote).

    None for anything else (other dialects, in-memory databases, URL objects, query strings or ``%``
    escapes): those are parsed by SQLAlchemy as before.
    """
    if not isinstance(url, str) or not url.startswith("sqlite:///"):
        return None
    database = url.removeprefix("sqlite:///")
    if database in ("", ":memory:") or database.startswith("file:") or any(c in database for c in "?%#"):
        return None
    return Path(database)


def _rendered_sqlite(url: str) -> str:
    """A plain SQLite file URL as SQLAlchemy's ``URL.render_as_string`` writes it (the path quoted the same way)."""
    from urllib.parse import quote

    return "sqlite:///" + quote(url.removeprefix("sqlite:///"), safe=" +/")


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    if isinstance(url, str) and plain_sqlite_file(url) is not None:
        return _rendered_sqlite(url)  # no password to hide (the same text: tests/store/test_sqlite_reads.py)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sqlite_file(url: URL) -> Path | None:
    """The database file of an SQLite URL, or None for in-memory databases."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(database)


class Database:
    """An SQLAlchemy engine with the settings scicity relies on.

    >>> db = Database("sqlite://")          # in memory
    >>> with db.session() as s:
    ...     s.execute(text("SELECT 1"))      # doctest: +SKIP
    """

    def __init__(self, url: str | URL, *, echo: bool = False, **engine_options: Any) -> None:
        self._echo = echo
        self._engine_options = engine_options
        self._engine: Engine | None = None
        self._made = threading.Lock()
        #: the file of a plain SQLite file URL, read directly by :mod:`scicity.store.sqlite_reads`; else None
        self.sqlite_file: Path | None = plain_sqlite_file(url)
        if self.sqlite_file is not None:
            self._text = _rendered_sqlite(str(url))
            self._url: URL | None = None
            self.dialect_name = "sqlite"
            self.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            return
        from sqlalchemy.engine import make_url

        self._url = make_url(url)
        self.dialect_name = self._url.get_backend_name()
        if self.dialect_name == "sqlite":
            file = _sqlite_file(self._url)
            if file is not None:
                file.parent.mkdir(parents=True, exist_ok=True)
        self._text = self._url.render_as_string(hide_password=False)

    @property
    def url(self) -> URL:
        """The SQLAlchemy URL (parsed when first asked for)."""
        if self._url is None:
            from sqlalchemy.engine import make_url

            self._url = make_url(self._text)
        return self._url

    def url_text(self, *, hide_password: bool = True) -> str:
        """The URL as text, as ``url.render_as_string`` gives it (without parsing a plain SQLite file URL)."""
        if self.sqlite_file is not None:
            return self._text
        return self.url.render_as_string(hide_password=hide_password)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use (one per database, also when threads ask at once)."""
        if self._engine is None:
            with self._made:
                if self._engine is None:
                    self._engine = self._make_engine()
        return self._engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine

        options = dict(self._engine_options)
        if self.dialect_name == "sqlite":
            engine = create_engine(self.url, echo=self._echo, **options)
            _configure_sqlite(engine, wal=self.sqlite_file is not None or _sqlite_file(self.url) is not None)
            return engine
        options.setdefault("pool_pre_ping", True)
        return create_engine(self.url, echo=self._echo, **options)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.database_url)

    def __repr__(self) -> str:
        return f"Database({self.url_text()!r})"

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A raw connection; a failure to connect says which database could not be reached."""
        from sqlalchemy import exc

        try:
            conn = self.engine.connect()
        except exc.OperationalError as err:
            raise DatabaseUnavailable(self._unreachable_message(err)) from err
        with conn:
            yield conn

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back if it raises.

        ``write=True`` for a transaction that reads and then writes: on SQLite it
        begins with ``BEGIN IMMEDIATE``, taking the write lock first (waiting up
        to the busy timeout for other writers), so that it cannot fail half-way
        with "database is locked" when another writer committed after it read.
        A write lock not had within the busy timeout raises :class:`DatabaseBusy`.
        """
        from sqlalchemy import exc
        from sqlalchemy.orm import Session

        with self.connect() as conn, Session(bind=conn, expire_on_commit=False) as session:
            conn.info["begin"] = "BEGIN IMMEDIATE" if write else "BEGIN"
            try:
                yield session
                session.commit()
            except exc.OperationalError as err:
                session.rollback()
                if self.dialect_name == "sqlite" and _is_busy(err):
                    raise DatabaseBusy(BUSY_MESSAGE) from err
                if _pg_conflict(err):
                    raise ConcurrentWrite(CONFLICT_MESSAGE) from err
                raise
            except exc.DBAPIError as err:
                session.rollback()
                if _pg_conflict(err):
                    raise ConcurrentWrite(CONFLICT_MESSAGE) from err
                raise
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> None:
        """Raise :class:`DatabaseUnavailable` unless the database answers."""
        with self.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        """Close every pooled connection (call when done with the database; nothing to do if never used)."""
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    def _unreachable_message(self, err: exc.OperationalError) -> str:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        where = self.url_text()
        if self.dialect_name == "sqlite":
            return f"Cannot open the SQLite database {where}: {reason}. Check that the file's directory is writable."
        return (
            f"Cannot reach the database {where}: {reason}. "
            "Check that the server is running and that host, port, user and database name are right "
            "(set SCICITY_DATABASE_URL to change them)."
        )


#: seconds SQLite waits for another writer before giving up (PRAGMA busy_timeout)
BUSY_TIMEOUT = 10
#: what a web client is told to wait before trying again when the database was busy
RETRY_AFTER = 5
BUSY_MESSAGE = Msg("the database is busy with another write and did not become free within {seconds} s; "
                   "nothing was written, try again in a few seconds", seconds=BUSY_TIMEOUT)


#: PostgreSQL's deadlock_detected and serialization_failure: two writers crossed; one is rolled back
PG_CONFLICTS = ("40P01", "40001")
CONFLICT_MESSAGE = Msg("another write crossed this one and nothing of it was written; try again")


def _pg_conflict(err: exc.DBAPIError) -> bool:
    return getattr(err.orig, "sqlstate", None) in PG_CONFLICTS


def _is_busy(err: exc.OperationalError) -> bool:
    text = str(err.orig).lower() if err.orig is not None else str(err).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT * 1000}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.info.get("begin", "BEGIN"))
