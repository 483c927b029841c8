"""Server-side web sessions, API token expiry, observations guarded like the audit log.

Revision ID: 0004_hardening
Revises: 0003_users_and_roles
Create Date: 2026-12-01

- ``web_sessions``: one row per sign-in (only the SHA-256 of the session key
  is kept); signing out, a password change or deactivation ends it for good.
- ``api_tokens.expires_at``: an optional expiry.
- observations: no DELETE (and no TRUNCATE on PostgreSQL); on SQLite no
  ``REPLACE`` / ``INSERT OR REPLACE`` over an existing row of observations or
  audit events (REPLACE deletes the old row without firing delete triggers
  unless ``recursive_triggers`` is on, so a BEFORE INSERT trigger refuses an
  insert whose id or key is already taken).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_hardening"
down_revision: str | Sequence[str] | None = "0003_users_and_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
OBS_DELETE = "observations are append-only: a row cannot be deleted; record a correction as a new revision"
REPLACE = "{table} rows cannot be replaced: an insert may not reuse the id or key of a stored row"


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", BIGINT_PK, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("ended_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_web_sessions_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.add_column("api_tokens", sa.Column("expires_at", TIMESTAMP, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION scicity_observations_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{OBS_DELETE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation'; END $$"
        )
        op.execute("CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations "
                   "FOR EACH ROW EXECUTE FUNCTION scicity_observations_no_delete()")
        op.execute("CREATE TRIGGER observations_no_truncate BEFORE TRUNCATE ON observations "
                   "FOR EACH STATEMENT EXECUTE FUNCTION scicity_observations_no_delete()")
    else:
        op.execute("CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations "
                   f"BEGIN SELECT RAISE(ABORT, '{OBS_DELETE}'); END")
        op.execute(
            "CREATE TRIGGER observations_no_replace BEFORE INSERT ON observations WHEN EXISTS ("
            "SELECT 1 FROM observations WHERE id = NEW.id OR (indicator = NEW.indicator AND unit = NEW.unit "
            "AND period = NEW.period AND revision = NEW.revision)) "
            f"BEGIN SELECT RAISE(ABORT, '{REPLACE.format(table='observations')}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events WHEN EXISTS ("
            "SELECT 1 FROM audit_events WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{REPLACE.format(table='audit_events')}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS observations_no_delete ON observations")
        op.execute("DROP TRIGGER IF EXISTS observations_no_truncate ON observations")
        op.execute("DROP FUNCTION IF EXISTS scicity_observations_no_delete()")
    else:
        for name in ("observations_no_delete", "observations_no_replace", "audit_events_no_replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
