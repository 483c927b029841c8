"""Review workflow: draft → submitted → approved | returned; returned → submitted. Audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from scicity.domain import Observation, ObservationKey, ObservationStatus
from scicity.store import AuditRepository, Database, InvalidObservation, InvalidTransition, NotFound
from scicity.store import ObservationRepository

if TYPE_CHECKING:
    from conftest import ManualClock

KEY = ObservationKey("patents", "science_city", 2022)
S = ObservationStatus


@pytest.fixture
def repo(database: Database, clock: ManualClock) -> ObservationRepository:
    repo = ObservationRepository(database, clock=clock)
    repo.apply([Observation("patents", "science_city", 2022, 120.0)], actor="clerk", status=S.DRAFT)
    return repo


def test_full_path_to_approval(database: Database, repo: ObservationRepository, clock: ManualClock) -> None:
    assert repo.latest() == {}
    repo.set_status(KEY, 1, "submitted", actor="clerk")
    returned = repo.set_status(KEY, 1, S.RETURNED, actor="chief", comment="source missing")
    assert returned.comment == "source missing" and returned.observation.status is S.RETURNED
    repo.set_status(KEY, None, S.SUBMITTED, actor="clerk")
    approved_at = clock.advance(hours=2)
    record = repo.set_status(returned.id, None, S.APPROVED, actor="chief")
    assert record.observation.approved_by == "chief" and record.approved_at == approved_at
    assert repo.latest()[KEY].value == 120.0
    actions = [e.action for e in AuditRepository(database).list(entity="observation", entity_id=record.id)]
    assert actions == [
        "observation.approve",
        "observation.submit",
        "observation.return",
        "observation.submit",
        "observation.create",
    ]
    last = AuditRepository(database).list(limit=1)[0]
    assert last.before is not None and last.after is not None
    assert (last.before["status"], last.after["status"]) == ("submitted", "approved")


@pytest.mark.parametrize(
    ("path", "bad"),
    [([], S.APPROVED), ([], S.RETURNED), ([S.SUBMITTED], S.DRAFT), ([S.SUBMITTED, S.APPROVED], S.SUBMITTED)],
    ids=["draft-approved", "draft-returned", "submitted-draft", "approved-is-final"],
)
def test_invalid_transitions_are_refused(
    repo: ObservationRepository, path: list[ObservationStatus], bad: ObservationStatus
) -> None:
    for status in path:
        repo.set_status(KEY, 1, status, actor="chief")
    with pytest.raises(InvalidTransition, match=f"cannot become '{bad.value}'"):
        repo.set_status(KEY, 1, bad, actor="chief", comment="why")
    assert repo.history(KEY)[0].status is (path[-1] if path else S.DRAFT)


def test_return_needs_a_comment(repo: ObservationRepository) -> None:
    repo.set_status(KEY, 1, S.SUBMITTED, actor="clerk")
    with pytest.raises(InvalidObservation, match="comment"):
        repo.set_status(KEY, 1, S.RETURNED, actor="chief")


def test_unknown_targets(repo: ObservationRepository) -> None:
    with pytest.raises(NotFound, match="revision 7"):
        repo.set_status(KEY, 7, S.SUBMITTED, actor="clerk")
    with pytest.raises(NotFound, match="id 999999"):
        repo.set_status(999999, None, S.SUBMITTED, actor="clerk")
    with pytest.raises(ValueError):
        repo.set_status(KEY, 1, "published", actor="clerk")
