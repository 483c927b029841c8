"""Certificates of the 专精特新 SME and 专精特新"小巨人" (little giant) titles.

Revision ID: 0009_cultivation_kinds
Revises: 0008_plan_lifecycle
Create Date: 2026-12-02

The check on ``certifications.kind`` lists the kinds a certificate may have;
it now also admits ``specialised`` and ``little_giant`` (the tier ids of the
rule files in scicity/plans/tiers). Downgrading refuses while such
certificates are stored (they would break the old check).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_cultivation_kinds"
down_revision: str | Sequence[str] | None = "0011_public_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("tech_sme", "high_tech", "gazelle", "potential_unicorn", "unicorn")
NEW = ("tech_sme", "high_tech", "specialised", "little_giant", "gazelle", "potential_unicorn", "unicorn")
NAME = "ck_certifications_kind_known"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace(values: Sequence[str]) -> None:
    with op.batch_alter_table("certifications") as batch:
        batch.drop_constraint(NAME, type_="check")
        batch.create_check_constraint(NAME, sa.text(_in("kind", values)))


def upgrade() -> None:
    _replace(NEW)


def downgrade() -> None:
    n = op.get_bind().execute(sa.text(f"SELECT count(*) FROM certifications WHERE NOT ({_in('kind', OLD)})")).scalar()
    if n:
        raise RuntimeError(f"{n} certificate(s) of the 专精特新 or 小巨人 kinds are stored; delete them before downgrading")
    _replace(OLD)
