"""Qualitative goal status: revisions, latest wins, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scicity.domain import GoalStatus
from scicity.store import AuditRepository, Database, GoalStatusRepository

if TYPE_CHECKING:
    from conftest import ManualClock


def test_record_latest_history(database: Database, clock: ManualClock) -> None:
    goals = GoalStatusRepository(database, clock=clock)
    goals.record("west", "national_lab", "in_progress", actor="officer", evidence="https://example.org/a")
    clock.advance(days=90)
    goals.record("west", "national_lab", GoalStatus.ACHIEVED, actor="director", evidence="approval notice No. 12")
    goals.record("west", "big_facility", "not_started", actor="officer")
    goals.record("other", "national_lab", "achieved", actor="officer")
    latest = goals.latest("west")
    assert {g: (e.status, e.revision) for g, e in latest.items()} == {
        "national_lab": (GoalStatus.ACHIEVED, 2),
        "big_facility": (GoalStatus.NOT_STARTED, 1),
    }
    assert latest["national_lab"].at == clock() and latest["national_lab"].confirmed_by == "director"
    history = goals.history("west", "national_lab")
    assert [e.status for e in history] == [GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED]
    events = AuditRepository(database).list(action="goal.status")
    assert len(events) == 4
    assert events[2].before is not None and events[2].before["status"] == "in_progress"
