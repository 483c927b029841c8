"""Plan files shipped with scicity. The seed plan is the default."""

from __future__ import annotations

from pathlib import Path

DEFAULT_PLAN_ID = "wcsc-14fyp-sti"
_HERE = Path(__file__).parent


def packaged_plans() -> dict[str, Path]:
    """Plan id -> file, for every plan file shipped in this package."""
    return {p.stem: p for p in sorted(_HERE.glob("*.yaml"))}


def default_plan_path() -> Path:
    return packaged_plans()[DEFAULT_PLAN_ID]
