"""Shared helpers for the assessment tests."""

from __future__ import annotations

from scicity.assess import TargetSpec
from scicity.domain.plan import Comparator, Direction, TargetKind


def spec(
    comparator: str = ">",
    value: float = 5.5,
    *,
    high: float | None = None,
    kind: TargetKind = TargetKind.LEVEL,
    baseline: int = 2020,
    target: int = 2025,
    direction: Direction = Direction.HIGHER,
    milestones: tuple[tuple[int, float], ...] = (),
) -> TargetSpec:
    return TargetSpec(Comparator(comparator), value, high, kind, baseline, target, direction, milestones)


def points(*values: float, start: int = 2020) -> list[tuple[int, float]]:
    """Consecutive yearly points from ``start``."""
    return [(start + i, v) for i, v in enumerate(values)]
