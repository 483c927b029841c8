"""The database: one engine and short sessions, one transaction each.

SQLite (the default) and PostgreSQL behave the same through this class:
SQLite gets foreign keys switched on, write-ahead logging for files, a
proper BEGIN at the start of every transaction (so a transaction covers
reads and DDL too, not only writes; ``session(write=True)`` begins with
BEGIN IMMEDIATE, so writers queue for the busy timeout instead of failing),
and its directory created when missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from scicity.domain.message import Msg
from scicity.store.errors import ConcurrentWrite, DatabaseBusy, DatabaseUnavailable

if TYPE_CHECKING:
    from scicity.settings import Settings


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
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
        self.url: URL = make_url(url)
        self.dialect_name = self.url.get_backend_name()
        if self.dialect_name == "sqlite":
            file = _sqlite_file(self.url)
            if file is not None:
                file.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url, echo=echo, **engine_options)
            _configure_sqlite(self.engine, wal=file is not None)
        else:
            engine_options.setdefault("pool_pre_ping", True)
            self.engine = create_engine(self.url, echo=echo, **engine_options)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.database_url)

    def __repr__(self) -> str:
        return f"Database({display_url(self.url)!r})"

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A raw connection; a failure to connect says which database could not be reached."""
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
        """Close every pooled connection (call when done with the database)."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    def _unreachable_message(self, err: exc.OperationalError) -> str:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        where = display_url(self.url)
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
