"""The audit log is append-only: the repository has no way to change it and the database refuses to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import exc, text

from scicity.domain import Observation, ObservationKey
from scicity.store import AuditRepository, Database, InvalidInput, ObservationRepository


def _one_event(database: Database) -> None:
    repo = AuditRepository(database)
    with database.session() as session:
        repo.record(session, actor="alice", action="test.create", entity="thing", entity_id=1, after={"a": 1})


def test_repository_offers_no_update_or_delete() -> None:
    public = {name for name in dir(AuditRepository) if not name.startswith("_")}
    assert public == {"record", "record_many", "list"}


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"],
    ids=["update", "delete"],
)
def test_database_refuses_changes_to_audit_events(database: Database, statement: str) -> None:
    _one_event(database)
    with pytest.raises(exc.IntegrityError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text(statement))
    (event,) = AuditRepository(database).list()
    assert event.actor == "alice" and event.after == {"a": 1}


@pytest.mark.postgres
def test_postgres_refuses_truncate(pg_url: str) -> None:
    from scicity.store import migrate

    migrate.upgrade(pg_url)
    with Database(pg_url) as database:
        _one_event(database)
        with pytest.raises(exc.IntegrityError, match="append-only"), database.engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
        assert len(AuditRepository(database).list()) == 1


def test_database_refuses_overwriting_an_observation(database: Database) -> None:
    ObservationRepository(database).apply([Observation("rd", "cq", 2021, 1.0)], actor="alice")
    with pytest.raises(exc.IntegrityError, match="new revision"), database.engine.begin() as conn:
        conn.execute(text("UPDATE observations SET value = 2.0"))
    # The review fields may change (that is how status moves).
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE observations SET comment = 'checked'"))
    (record,) = ObservationRepository(database).records(ObservationKey("rd", "cq", 2021))
    assert record.observation.value == 1.0 and record.comment == "checked"


def test_list_filters_newest_first(database: Database) -> None:
    t0 = datetime(2025, 3, 1, tzinfo=UTC)
    repo = AuditRepository(database)
    with database.session() as session:
        for i, (actor, entity) in enumerate([("alice", "plan"), ("bob", "observation"), ("alice", "observation")]):
            repo.record(
                session, actor=actor, action=f"{entity}.x", entity=entity, entity_id=i, at=t0 + timedelta(days=i)
            )
    assert [e.entity_id for e in repo.list()] == ["2", "1", "0"]
    assert [e.entity_id for e in repo.list(actor="alice")] == ["2", "0"]
    assert [e.entity_id for e in repo.list(entity="observation", actor="alice")] == ["2"]
    assert [e.entity_id for e in repo.list(since=t0 + timedelta(days=1))] == ["2", "1"]
    assert [e.entity_id for e in repo.list(until=t0 + timedelta(days=1))] == ["0"]
    assert [e.entity_id for e in repo.list(limit=1)] == ["2"]
    assert repo.list(entity="plan", entity_id=0)[0].at == t0


def test_event_needs_an_actor(database: Database) -> None:
    with pytest.raises(InvalidInput, match="actor"), database.session() as session:
        AuditRepository(database).record(session, actor="", action="x", entity="y", entity_id=1)
