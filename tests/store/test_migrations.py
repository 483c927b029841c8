"""Migrations build the schema from nothing, on both dialects, and match the table classes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from scicity.store import Database, migrate
from scicity.store.schema import SCHEMA_HEAD
from scicity.store.tables import all_metadata

TABLES = {"observations", "import_batches", "plans", "audit_events", "goal_status", "alembic_version"}


def test_upgrade_from_empty(db_url: str) -> None:
    assert migrate.current_revision(db_url) is None
    assert not migrate.is_up_to_date(db_url)
    reached = migrate.upgrade(db_url)
    assert reached == migrate.head_revision() == SCHEMA_HEAD
    assert migrate.is_up_to_date(db_url)
    with Database(db_url) as db:
        assert TABLES <= set(inspect(db.engine).get_table_names())


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    migrate.upgrade(db_url)
    assert migrate.upgrade(db_url) == migrate.head_revision()


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    migrate.upgrade(db_url)
    assert migrate.downgrade(db_url, "base") is None
    with Database(db_url) as db:
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert migrate.upgrade(db_url) == migrate.head_revision()


def test_table_classes_match_the_migrated_schema(database: Database) -> None:
    """The declarative classes and the migrations describe the same schema (no autogenerate diff)."""
    with database.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, all_metadata())
    assert differences == []


def test_triggers_are_created(database: Database) -> None:
    with database.connect() as conn:
        if database.dialect_name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            sql = "SELECT DISTINCT trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()"
        names = set(conn.exec_driver_sql(sql).scalars())
    assert any(n.startswith("audit_events") for n in names)
    assert "observations_facts_immutable" in names


def test_schema_head_constant_matches_alembic(database):
    from scicity.store.migrate import head_revision
    from scicity.store.schema import SCHEMA_HEAD, schema_revision

    assert SCHEMA_HEAD == head_revision()
    assert schema_revision(database) == SCHEMA_HEAD
