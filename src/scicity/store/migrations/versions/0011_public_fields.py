"""The registry fields an admin opts into the public view.

Revision ID: 0009_public_fields
Revises: 0008_plan_lifecycle
Create Date: 2026-12-02

The public view shows registries as aggregate counts; a field in this table
is shown record by record to anonymous readers too. Changes are audited
(``public_field.opt_in`` / ``public_field.opt_out``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_public_fields"
down_revision: str | Sequence[str] | None = "0010_current_values"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "public_fields",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("opted_by", sa.String(128), nullable=False),
        sa.Column("opted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("kind", "field", name="pk_public_fields"),
    )


def downgrade() -> None:
    op.drop_table("public_fields")
