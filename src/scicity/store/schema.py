"""The schema version, read without Alembic (fast: for every command that only reads).

Alembic is imported only to migrate (:mod:`scicity.store.migrate`). Reading
the version a database is at needs one query; ``SCHEMA_HEAD`` names the
newest migration shipped, and a test checks it against Alembic's own head.
"""

from __future__ import annotations

from scicity.store.db import Database

#: the newest migration in scicity/store/migrations/versions (checked by a test)
SCHEMA_HEAD = "0012_cultivation_kinds"


def schema_revision(db: Database) -> str | None:
    """The migration the database is at, or None for a database never migrated."""
    if db.sqlite_file is not None:  # without SQLAlchemy (scicity.store.sqlite_reads)
        from scicity.store.sqlite_reads import schema_revision as read

        return read(db.sqlite_file)
    from sqlalchemy import inspect, text

    with db.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
