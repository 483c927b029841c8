"""Which plan indicators count certified tiers, and the state of the registries they are counted in.

Kept apart from :mod:`scicity.service.cultivation` so that ``scicity status`` can find its kept pipeline
projections (per registry state) without importing the tier engine, the rule reader or the registry models.
"""

from __future__ import annotations

from scicity.store.db import Database

#: tiers whose count a plan indicator is (the demo seed plan's ids)
TIER_INDICATORS: dict[str, tuple[str, ...]] = {
    "tech_enterprises": ("tech_sme",),
    "high_tech_enterprises": ("high_tech",),
    "gazelle_enterprises": ("gazelle",),
    "unicorn_enterprises": ("unicorn", "potential_unicorn"),
}


def registry_version(db: Database) -> int:
    """The newest audit event of a registry write (imports, entries): the state of the registries."""
    from sqlalchemy import func, select

    from scicity.service.read_model import CATEGORIES
    from scicity.store.tables import AuditEventRow

    a = AuditEventRow
    with db.connect() as conn:
        return int(conn.execute(select(func.max(a.id)).where(a.entity.not_in(sorted(CATEGORIES)))).scalar() or 0)
