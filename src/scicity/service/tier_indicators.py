"""Which plan indicators count certified tiers, and the state of the registries they are counted in.

Kept apart from :mod:`scicity.service.cultivation` so that ``scicity status`` can find its kept pipeline
projections (per registry state) without importing the tier engine, the rule reader or the registry models.
"""

from __future__ import annotations

from scicity.store.data_version import registry_version

__all__ = ["TIER_INDICATORS", "registry_version"]  # registry_version: defined in the store, asked for here

#: tiers whose count a plan indicator is (the demo seed plan's ids)
TIER_INDICATORS: dict[str, tuple[str, ...]] = {
    "tech_enterprises": ("tech_sme",),
    "high_tech_enterprises": ("high_tech",),
    "gazelle_enterprises": ("gazelle",),
    "unicorn_enterprises": ("unicorn", "potential_unicorn"),
}
