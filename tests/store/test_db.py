"""The Database wrapper: SQLite set-up, sessions, and a clear error when the server is unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from scicity.settings import get_settings
from scicity.store import Database, DatabaseUnavailable, display_url


def test_sqlite_file_gets_its_directory_wal_and_foreign_keys(tmp_path: Path) -> None:
    file = tmp_path / "deep" / "er" / "scicity.db"
    with Database(f"sqlite:///{file}") as db:
        with db.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert file.parent.is_dir()


def test_in_memory_sqlite_works(tmp_path: Path) -> None:
    with Database("sqlite://") as db:
        db.ping()


def test_session_commits_or_rolls_back(tmp_path: Path) -> None:
    with Database(f"sqlite:///{tmp_path}/t.db") as db:
        with db.session() as s:
            s.execute(text("CREATE TABLE t (x INTEGER)"))
        with pytest.raises(RuntimeError), db.session() as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("boom")
        with db.session() as s:
            s.execute(text("INSERT INTO t VALUES (2)"))
        with db.session() as s:
            assert s.execute(text("SELECT x FROM t")).scalars().all() == [2]


def test_unreachable_postgres_names_the_url_without_password() -> None:
    url = "postgresql+psycopg://scicity:hunter2@127.0.0.1:1/nowhere?connect_timeout=2"
    with Database(url) as db, pytest.raises(DatabaseUnavailable) as info:
        db.ping()
    message = str(info.value)
    assert "127.0.0.1:1/nowhere" in message and "hunter2" not in message
    assert "SCICITY_DATABASE_URL" in message
    assert "hunter2" not in display_url(url) and "hunter2" not in repr(db)


def test_from_settings_uses_the_data_dir(tmp_path: Path) -> None:
    settings = get_settings(data_dir=tmp_path / "data")
    with Database.from_settings(settings) as db:
        db.ping()
    assert (tmp_path / "data" / "scicity.db").exists()
