"""One confirmed status of a qualitative goal, as the store gives it (without SQLAlchemy: reports read it directly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scicity.domain.plan import GoalStatus


@dataclass(frozen=True, slots=True)
class GoalStatusEntry:
    plan_id: str
    goal_id: str
    revision: int
    status: GoalStatus
    evidence: str | None  # text or a link to the document that shows it
    confirmed_by: str
    at: datetime
