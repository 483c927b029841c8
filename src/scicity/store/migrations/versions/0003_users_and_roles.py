"""Users, roles, departments, the indicators each department reports, API tokens.

Revision ID: 0003_users_and_roles
Revises: 0002_registries
Create Date: 2026-11-28

Placeholder laid by the lead so that the chain is fixed; the web application
work fills it in.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0003_users_and_roles"
down_revision: str | Sequence[str] | None = "0002_registries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
