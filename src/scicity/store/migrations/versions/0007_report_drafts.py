"""Report drafts: the office's sections per report, frozen report models, published versions.

Revision ID: 0007_report_drafts
Revises: 0006_exchange
Create Date: 2026-12-01

A draft is edited (its sections, in both languages), frozen (the report model
is stored with the data version, so it re-renders to the same numbers later)
and published (immutable). A re-issue is a new row with the next version of
the same series. Every change is also an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0007_report_drafts"
down_revision: str | Sequence[str] | None = "0006_exchange"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON_DOC = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "report_drafts",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", BIGINT_PK, nullable=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(64), nullable=True),
        sa.Column("title", sa.String(256), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sections", JSON_DOC, nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=True),
        sa.Column("frozen_models", JSON_DOC, nullable=True),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("frozen_by", sa.String(128), nullable=True),
        sa.Column("frozen_at", TIMESTAMP, nullable=True),
        sa.Column("published_by", sa.String(128), nullable=True),
        sa.Column("published_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_report_drafts"),
        sa.ForeignKeyConstraint(["supersedes"], ["report_drafts.id"], name="fk_report_drafts_supersedes_report_drafts"),
        sa.UniqueConstraint("series_id", "version", name="uq_report_drafts_series_id_version"),
        sa.CheckConstraint("state IN ('draft', 'frozen', 'published')", name="ck_report_drafts_state_known"),
        sa.CheckConstraint("kind IN ('final', 'midterm', 'annual')", name="ck_report_drafts_kind_known"),
        sa.CheckConstraint("version >= 1", name="ck_report_drafts_version_positive"),
    )


def downgrade() -> None:
    op.drop_table("report_drafts")
