"""The pure core: plan, indicator, target, observation. No I/O library is imported here."""

from scicity.domain.observation import Observation, ObservationKey, ObservationStatus, latest_revisions
from scicity.domain.plan import (
    Area,
    Comparator,
    Direction,
    GeoUnit,
    Goal,
    GoalStatus,
    Indicator,
    Milestone,
    Plan,
    Series,
    Target,
    TargetKind,
    Text,
)

__all__ = [
    "Area",
    "Comparator",
    "Direction",
    "GeoUnit",
    "Goal",
    "GoalStatus",
    "Indicator",
    "Milestone",
    "Observation",
    "ObservationKey",
    "ObservationStatus",
    "Plan",
    "Series",
    "Target",
    "TargetKind",
    "Text",
    "latest_revisions",
]
