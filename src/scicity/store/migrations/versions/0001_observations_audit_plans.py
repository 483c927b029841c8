"""Observations with revisions, import batches, plans, goal status and the append-only audit log.

Revision ID: 0001_observations_audit_plans
Revises:
Create Date: 2026-05-10

The database itself guards two promises, so that they hold even for someone
with a SQL prompt:

- ``audit_events`` is append-only: UPDATE and DELETE (and TRUNCATE on
  PostgreSQL) raise an error.
- an observation's recorded facts (key, revision, value, source, vintage,
  who and when) are never changed in place; only the review fields
  (status, approved_by, approved_at, comment) may be updated.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_observations_audit_plans"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)

AUDIT_MESSAGE = "audit_events is append-only: rows can be added but never changed or deleted"
OBS_MESSAGE = (
    "observations keep every revision as recorded: to correct a value add a new revision; "
    "only status, approved_by, approved_at and comment can change"
)
OBS_FACT_COLUMNS = ("indicator", "unit", "period", "revision", "value", "source", "vintage", "created_by", "created_at", "batch_id")


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.String(512), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
    )
    op.create_table(
        "observations",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("vintage", sa.Date(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("approved_by", sa.String(128), nullable=True),
        sa.Column("approved_at", TIMESTAMP, nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("batch_id", BIGINT_PK, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_observations"),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name="fk_observations_batch_id_import_batches"),
        sa.UniqueConstraint("indicator", "unit", "period", "revision", name="uq_observations_indicator_unit_period_revision"),
        sa.CheckConstraint("revision >= 1", name="ck_observations_revision_positive"),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'returned')", name="ck_observations_status_known"
        ),
    )
    op.create_index("ix_observations_batch_id", "observations", ["batch_id"])
    op.create_table(
        "plans",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("loaded_at", TIMESTAMP, nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
    )
    op.create_index(
        "uq_plans_one_default",
        "plans",
        ["is_default"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(256), nullable=False),
        sa.Column("before", JSON_DOC, nullable=True),
        sa.Column("after", JSON_DOC, nullable=True),
        sa.Column("batch_id", BIGINT_PK, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name="fk_audit_events_batch_id_import_batches"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_actor", "audit_events", ["actor"])
    op.create_index("ix_audit_events_entity_entity_id", "audit_events", ["entity", "entity_id"])
    op.create_table(
        "goal_status",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("goal_id", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("confirmed_by", sa.String(128), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_goal_status"),
        sa.UniqueConstraint("plan_id", "goal_id", "revision", name="uq_goal_status_plan_id_goal_id_revision"),
        sa.CheckConstraint("revision >= 1", name="ck_goal_status_revision_positive"),
        sa.CheckConstraint("status IN ('not_started', 'in_progress', 'achieved')", name="ck_goal_status_status_known"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_guards()
    else:
        _create_sqlite_guards()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in (
            "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
            "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
            "DROP TRIGGER IF EXISTS observations_facts_immutable ON observations",
            "DROP FUNCTION IF EXISTS scicity_audit_append_only()",
            "DROP FUNCTION IF EXISTS scicity_observation_facts_immutable()",
        ):
            op.execute(statement)
    else:
        for name in ("audit_events_no_update", "audit_events_no_delete", "observations_facts_immutable"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("goal_status")
    op.drop_index("ix_audit_events_entity_entity_id", table_name="audit_events")
    op.drop_index("ix_audit_events_actor", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("uq_plans_one_default", table_name="plans")
    op.drop_table("plans")
    op.drop_index("ix_observations_batch_id", table_name="observations")
    op.drop_table("observations")
    op.drop_table("import_batches")


def _create_sqlite_guards() -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END"
        )
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in OBS_FACT_COLUMNS)
    op.execute(
        "CREATE TRIGGER observations_facts_immutable BEFORE UPDATE ON observations "
        f"WHEN {changed} BEGIN SELECT RAISE(ABORT, '{OBS_MESSAGE}'); END"
    )


def _create_postgresql_guards() -> None:
    # SQLSTATE 23001 (restrict_violation) makes drivers raise an integrity error, as SQLite's RAISE(ABORT) does.
    op.execute(
        "CREATE FUNCTION scicity_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION scicity_audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION scicity_audit_append_only()"
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in OBS_FACT_COLUMNS)
    op.execute(
        "CREATE FUNCTION scicity_observation_facts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {changed} THEN RAISE EXCEPTION '{OBS_MESSAGE}' USING ERRCODE = 'restrict_violation'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER observations_facts_immutable BEFORE UPDATE ON observations "
        "FOR EACH ROW EXECUTE FUNCTION scicity_observation_facts_immutable()"
    )
