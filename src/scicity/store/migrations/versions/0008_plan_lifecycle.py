"""The next plan: drafts, their targets, versions and comments; peer zones' values.

Revision ID: 0008_plan_lifecycle
Revises: 0007_report_drafts
Create Date: 2026-12-01

A draft goes draft → consultation → adopted; every change is a new version
(who, when, which targets before and after) and is also written to the audit
log. Each target carries its own revision so that two analysts editing the
same target at once cannot overwrite each other (the second gets a conflict).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

revision: str = "0008_plan_lifecycle"
down_revision: str | Sequence[str] | None = "0007_report_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSONDOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "plan_drafts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("base_plan_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("state IN ('draft', 'consultation', 'adopted')", name="ck_plan_drafts_state_known"),
        sa.CheckConstraint("version >= 1", name="ck_plan_drafts_version_positive"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_drafts"),
    )
    op.create_table(
        "plan_draft_targets",
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["plan_drafts.id"], name="fk_plan_draft_targets_draft_id_plan_drafts"),
        sa.PrimaryKeyConstraint("draft_id", "indicator", name="pk_plan_draft_targets"),
    )
    op.create_table(
        "plan_draft_versions",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("changes", JSONDOC, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["plan_drafts.id"], name="fk_plan_draft_versions_draft_id_plan_drafts"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_draft_versions"),
        sa.UniqueConstraint("draft_id", "version", name="uq_plan_draft_versions_draft_id_version"),
    )
    op.create_index("ix_plan_draft_versions_draft_id", "plan_draft_versions", ["draft_id"])
    op.create_table(
        "plan_target_comments",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["plan_drafts.id"], name="fk_plan_target_comments_draft_id_plan_drafts"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_target_comments"),
    )
    op.create_index("ix_plan_target_comments_draft_id", "plan_target_comments", ["draft_id"])
    op.create_table(
        "peer_values",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("peer_name", sa.String(256), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("loaded_by", sa.String(128), nullable=False),
        sa.Column("loaded_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_peer_values"),
        sa.UniqueConstraint("peer", "indicator", "year", name="uq_peer_values_peer_indicator_year"),
    )


def downgrade() -> None:
    op.drop_table("peer_values")
    op.drop_index("ix_plan_target_comments_draft_id", table_name="plan_target_comments")
    op.drop_table("plan_target_comments")
    op.drop_index("ix_plan_draft_versions_draft_id", table_name="plan_draft_versions")
    op.drop_table("plan_draft_versions")
    op.drop_table("plan_draft_targets")
    op.drop_table("plan_drafts")
