"""Schema migrations, run from code (``scicity db upgrade``, ``init`` and ``serve`` call these).

The Alembic scripts live inside the package (``scicity/store/migrations``),
so no ``alembic.ini`` is needed at run time. Developers who want the
``alembic`` command line can build the same configuration with
:func:`alembic_config` (for example to autogenerate a new revision).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from scicity.store.db import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (and at ``url`` when given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("file_template", "%%(rev)s")  # rev_id "0002_registries" -> versions/0002_registries.py
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def upgrade(url: str | URL, revision: str = "head") -> str | None:
    """Bring the database at ``url`` up to ``revision`` (default: the newest); returns the revision reached."""
    with Database(url) as db, db.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    return current_revision(url)


def downgrade(url: str | URL, revision: str) -> str | None:
    """Step the database back to ``revision`` ("base" removes every table). Data in dropped tables is lost."""
    with Database(url) as db, db.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
    return current_revision(url)


def current_revision(url: str | URL) -> str | None:
    """The revision the database is at, or None for a database that was never migrated."""
    with Database(url) as db, db.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this version of scicity."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def is_up_to_date(url: str | URL) -> bool:
    """True when the database is at the newest revision."""
    return current_revision(url) == head_revision()
