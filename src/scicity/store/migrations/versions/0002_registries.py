"""Registries of the innovation actors: institutions and platforms, enterprises
(certifications, yearly financials), talent, patents, base statistics.

Revision ID: 0002_registries
Revises: 0001_observations_audit_plans
Create Date: 2026-11-28

Placeholder laid by the lead so that later migrations can chain on it; the
registries work fills it in.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0002_registries"
down_revision: str | Sequence[str] | None = "0001_observations_audit_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
