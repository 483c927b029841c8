"""Alembic environment for scicity.

Run from :mod:`scicity.store.migrate`, which hands over an open connection in
``config.attributes["connection"]``. When run by the ``alembic`` command line
instead, the URL comes from the ``sqlalchemy.url`` option.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from scicity.store.db import Database
from scicity.store.tables import all_metadata

config = context.config
target_metadata = all_metadata()


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Write the SQL to standard output instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: set sqlalchemy.url or use scicity.store.migrate.upgrade(url)")
    with Database(url) as db, db.connect() as conn:
        _configure_and_run(conn)
        conn.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
