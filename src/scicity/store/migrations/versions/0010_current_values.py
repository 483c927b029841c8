"""The current approved value of every key, kept by the database itself.

Revision ID: 0009_current_values
Revises: 0008_plan_lifecycle
Create Date: 2026-12-02

``current_values`` holds one row per (indicator, unit, period) that has an
approved revision: the highest approved revision and the id of its
observation row. Triggers on ``observations`` keep it in the transaction of
the write — an import or a correction stored as approved (``INSERT``) and an
approval (``UPDATE OF status``) — whoever writes (the repositories, a bulk
load, another process). An approved revision is final (the review workflow
has no way back), so the row only ever moves to a higher revision. The
upgrade fills it from the stored observations. ``observation_id`` is not a
foreign key on purpose: the table is derived data, like an index, and must not
stand in the way of what ``scicity db verify`` is there to detect.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_current_values"
down_revision: str | Sequence[str] | None = "0009_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
#: the upsert both dialects understand (PostgreSQL ≥ 9.5, SQLite ≥ 3.24); the higher revision wins
UPSERT = (
    "INSERT INTO current_values (indicator, unit, period, revision, observation_id) "
    "VALUES (NEW.indicator, NEW.unit, NEW.period, NEW.revision, NEW.id) "
    "ON CONFLICT (indicator, unit, period) DO UPDATE SET revision = excluded.revision, "
    "observation_id = excluded.observation_id WHERE excluded.revision > current_values.revision"
)
BACKFILL = (
    "INSERT INTO current_values (indicator, unit, period, revision, observation_id) "
    "SELECT o.indicator, o.unit, o.period, o.revision, o.id FROM observations o JOIN ("
    "SELECT indicator, unit, period, max(revision) AS revision FROM observations WHERE status = 'approved' "
    "GROUP BY indicator, unit, period) top ON o.indicator = top.indicator AND o.unit = top.unit "
    "AND o.period = top.period AND o.revision = top.revision"
)


def upgrade() -> None:
    op.create_table(
        "current_values",
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("observation_id", BIGINT_PK, nullable=False),
        sa.PrimaryKeyConstraint("indicator", "unit", "period", name="pk_current_values"),
    )
    op.create_index("ix_current_values_unit", "current_values", ["unit"])
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION scicity_current_value() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {UPSERT}; RETURN NULL; END $$"
        )
        op.execute("CREATE TRIGGER observations_current_insert AFTER INSERT ON observations FOR EACH ROW "
                   "WHEN (NEW.status = 'approved') EXECUTE FUNCTION scicity_current_value()")
        op.execute("CREATE TRIGGER observations_current_approve AFTER UPDATE OF status ON observations FOR EACH ROW "
                   "WHEN (NEW.status = 'approved' AND OLD.status <> 'approved') "
                   "EXECUTE FUNCTION scicity_current_value()")
    else:
        op.execute("CREATE TRIGGER observations_current_insert AFTER INSERT ON observations "
                   f"WHEN NEW.status = 'approved' BEGIN {UPSERT}; END")
        op.execute("CREATE TRIGGER observations_current_approve AFTER UPDATE OF status ON observations "
                   f"WHEN NEW.status = 'approved' AND OLD.status <> 'approved' BEGIN {UPSERT}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS observations_current_insert ON observations")
        op.execute("DROP TRIGGER IF EXISTS observations_current_approve ON observations")
        op.execute("DROP FUNCTION IF EXISTS scicity_current_value()")
    else:
        op.execute("DROP TRIGGER IF EXISTS observations_current_insert")
        op.execute("DROP TRIGGER IF EXISTS observations_current_approve")
    op.drop_index("ix_current_values_unit", table_name="current_values")
    op.drop_table("current_values")
