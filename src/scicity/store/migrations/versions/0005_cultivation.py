"""The figures the cultivation tiers need, per enterprise and year (docs/cultivation.md).

Revision ID: 0005_cultivation
Revises: 0004_hardening
Create Date: 2026-12-01

Columns added to ``enterprise_financials``, all nullable (an empty cell is
"not known", which the evaluation reports as unknown).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_cultivation"
down_revision: str | Sequence[str] | None = "0004_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: tuple[tuple[str, sa.types.TypeEngine], ...] = (
    ("st_staff", sa.Integer()),
    ("total_costs", sa.Double()),
    ("total_assets", sa.Double()),
    ("net_assets", sa.Double()),
    ("rd_domestic_share", sa.Double()),
    ("hightech_revenue", sa.Double()),
    ("main_revenue", sa.Double()),
    ("debt_ratio", sa.Double()),
    ("new_equity", sa.Double()),
    ("conversions", sa.Integer()),
    ("ip_class1", sa.Integer()),
    ("ip_class2", sa.Integer()),
    ("valuation_usd", sa.Double()),
    ("financing_usd", sa.Double()),
    ("listed", sa.Boolean()),
    ("major_incident", sa.Boolean()),
    ("dishonest", sa.Boolean()),
    ("restricted_industry", sa.Boolean()),
    ("national_award", sa.Boolean()),
    ("provincial_rd_institution", sa.Boolean()),
    ("led_standard", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("enterprise_financials") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enterprise_financials") as batch:
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
