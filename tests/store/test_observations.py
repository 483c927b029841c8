"""Observations: revisions never overwrite, latest and as-of, preview, apply all-or-nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from scicity.domain import Observation, ObservationKey, ObservationStatus
from scicity.domain.changes import ChangeKind
from scicity.store import (
    AuditRepository,
    BatchRepository,
    ConcurrentWrite,
    Database,
    InvalidInput,
    InvalidObservation,
    ObservationRepository,
    ObservationStore,
)
from scicity.store import observation_queries
from scicity.store.tables import AuditEventRow, ImportBatch, ObservationRow

if TYPE_CHECKING:
    from conftest import ManualClock

KEY = ObservationKey("rd_intensity", "science_city", 2021)
DRAFT, APPROVED = ObservationStatus.DRAFT, ObservationStatus.APPROVED


def obs(value: float, period: int = 2021, unit: str = "science_city", **kw: Any) -> Observation:
    return Observation("rd_intensity", unit, period, value, **kw)


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) for t in (ObservationRow, ImportBatch, AuditEventRow)
        )


@pytest.fixture
def repo(database: Database, clock: ManualClock) -> ObservationRepository:
    return ObservationRepository(database, clock=clock)


def test_repository_satisfies_the_protocol(repo: ObservationRepository) -> None:
    assert isinstance(repo, ObservationStore)


def test_a_revision_adds_a_row_and_keeps_the_old_one(repo: ObservationRepository, clock: ManualClock) -> None:
    repo.apply([obs(2.5, source="yearbook 2022", vintage=date(2022, 5, 1))], actor="alice")
    clock.advance(days=30)
    result = repo.apply([obs(2.6, source="yearbook 2023", vintage=date(2023, 5, 1))], actor="bob")
    assert result.counts() == {"new": 0, "changed": 1, "unchanged": 0}
    history = repo.history(KEY)
    assert [(o.revision, o.value, o.vintage, o.created_by) for o in history] == [
        (1, 2.5, date(2022, 5, 1), "alice"),
        (2, 2.6, date(2023, 5, 1), "bob"),
    ]
    assert repo.latest()[KEY].value == 2.6
    assert all(o.created_at is not None and o.created_at.tzinfo is not None for o in history)


def test_unchanged_values_are_not_written(database: Database, repo: ObservationRepository) -> None:
    repo.apply([obs(2.5, source="s"), obs(3.0, period=2022)], actor="alice")
    result = repo.apply([obs(2.5 + 1e-15, source="s"), obs(3.0, period=2022)], actor="alice")
    assert result.counts() == {"new": 0, "changed": 0, "unchanged": 2}
    assert counts(database) == (2, 2, 2)  # the second import is a batch with no rows
    batch = BatchRepository(database).get(result.batch_id or 0)
    assert (batch.row_count, batch.unchanged_count, batch.new_count) == (2, 2, 0)


def test_latest_filters_and_statuses(repo: ObservationRepository) -> None:
    repo.apply([obs(1.0), obs(2.0, unit="axis_north"), obs(5.0, period=2022)], actor="alice")
    repo.apply([obs(1.5)], actor="carol", status=DRAFT)
    approved = repo.latest()
    assert approved[KEY].value == 1.0 and len(approved) == 3
    assert set(repo.latest(units=["axis_north"])) == {ObservationKey("rd_intensity", "axis_north", 2021)}
    assert set(repo.latest(units="axis_north")) == {ObservationKey("rd_intensity", "axis_north", 2021)}
    assert repo.latest(indicators=["other"]) == {}
    any_status = repo.latest(statuses=None)
    assert any_status[KEY].value == 1.5 and any_status[KEY].status is DRAFT
    assert set(repo.latest(statuses=[DRAFT])) == {KEY}


def test_latest_as_of_reproduces_an_earlier_view(repo: ObservationRepository, clock: ManualClock) -> None:
    t1 = clock()
    repo.apply([obs(1.0)], actor="alice")
    t2 = clock.advance(days=1)
    repo.apply([obs(1.1)], actor="alice")
    clock.advance(days=1)
    repo.apply([obs(1.2)], actor="alice", status=DRAFT)
    clock.advance(days=1)
    repo.set_status(KEY, 3, "submitted", actor="alice")
    t4 = clock.advance(days=1)
    repo.set_status(KEY, 3, "approved", actor="boss")

    assert repo.latest(as_of=t1)[KEY].value == 1.0
    assert repo.latest(as_of=t2)[KEY].value == 1.1
    # Revision 3 was recorded before t4 but approved only at t4: approved as of just before, it was not.
    assert repo.latest(as_of=t4 - timedelta(seconds=1))[KEY].value == 1.1
    assert repo.latest(as_of=t4 - timedelta(seconds=1), statuses=None)[KEY].value == 1.2
    assert repo.latest(as_of=t4 - timedelta(seconds=1), statuses=["submitted"])[KEY].revision == 3
    assert repo.latest(as_of=t4, statuses=["submitted"]) == {}
    assert repo.latest(as_of=t4)[KEY].value == 1.2
    assert repo.latest(as_of=t1 - (t2 - t1)) == {}
    with pytest.raises(ValueError, match="no time zone"):
        repo.latest(as_of=datetime(2025, 1, 1))


def test_preview_counts_and_writes_nothing(database: Database, repo: ObservationRepository) -> None:
    repo.apply([obs(1.0), obs(2.0, period=2022, source="a")], actor="alice")
    repo.apply([obs(9.0, period=2023)], actor="carol", status=DRAFT)
    before = counts(database)
    preview = repo.preview(
        [obs(1.0), obs(2.0, period=2022, source="b"), obs(9.0, period=2023), obs(4.0, period=2024)]
    )
    assert preview.counts() == {"new": 1, "changed": 1, "unchanged": 2}  # the draft counts as stored
    assert [c.key.period for c in preview.of(ChangeKind.CHANGED)] == [2022]
    assert counts(database) == before


def test_apply_matches_its_preview(repo: ObservationRepository) -> None:
    repo.apply([obs(1.0), obs(2.0, period=2022)], actor="alice")
    incoming = [obs(1.0), obs(2.5, period=2022), obs(3.0, period=2023)]
    preview = repo.preview(incoming)
    applied = repo.apply(incoming, actor="bob")
    assert applied.changes == preview.changes
    assert applied.counts() == {"new": 1, "changed": 1, "unchanged": 1}
    assert repo.history(ObservationKey("rd_intensity", "science_city", 2022))[-1].revision == 2


def test_apply_writes_batch_and_one_audit_event_per_written_row(database: Database, repo: ObservationRepository) -> None:
    repo.apply([obs(1.0)], actor="alice")
    result = repo.apply([obs(2.0), obs(7.0, period=2022)], actor="bob", file_name="f.csv", sha256="ab")
    events = AuditRepository(database).list(batch_id=result.batch_id)
    assert sorted(e.action for e in events) == ["observation.create", "observation.revise"]
    revise = next(e for e in events if e.action == "observation.revise")
    assert revise.before is not None and revise.after is not None
    assert (revise.before["value"], revise.before["revision"]) == (1.0, 1)
    assert (revise.after["value"], revise.after["revision"], revise.after["id"]) == (2.0, 2, int(revise.entity_id))
    create = next(e for e in events if e.action == "observation.create")
    assert create.before is None and create.actor == "bob"
    batch = BatchRepository(database).get(result.batch_id or 0)
    assert (batch.file_name, batch.sha256, batch.new_count, batch.changed_count) == ("f.csv", "ab", 1, 1)


def test_apply_is_all_or_nothing_when_the_audit_write_fails(database: Database, repo: ObservationRepository) -> None:
    repo.apply([obs(1.0)], actor="alice")
    before = counts(database)

    def fail_on_audit(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"):
            raise RuntimeError("injected failure while writing the audit log")

    event.listen(database.engine, "before_cursor_execute", fail_on_audit)
    try:
        with pytest.raises(RuntimeError, match="injected"):
            repo.apply([obs(2.0), obs(3.0, period=2022)], actor="bob")
    finally:
        event.remove(database.engine, "before_cursor_execute", fail_on_audit)
    assert counts(database) == before
    assert repo.latest()[KEY].value == 1.0


def test_apply_is_all_or_nothing_when_a_constraint_is_violated(database: Database, repo: ObservationRepository) -> None:
    """A concurrent writer's row (injected on the same transaction) makes the unique key fail: nothing stays."""
    repo.apply([obs(1.0)], actor="alice")
    before = counts(database)
    injected = {"done": False}

    def sneak_in_revision_2(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OBSERVATIONS") and not injected["done"]:
            injected["done"] = True
            conn.execute(
                text(
                    "INSERT INTO observations (indicator, unit, period, value, status, revision, created_by, created_at)"
                    " VALUES ('rd_intensity', 'science_city', 2021, 9.9, 'approved', 2, 'mallory', :at)"
                ),
                {"at": datetime(2025, 1, 1)},
            )

    event.listen(database.engine, "before_cursor_execute", sneak_in_revision_2)
    try:
        with pytest.raises(ConcurrentWrite, match="nothing of this import was written"):
            repo.apply([obs(3.0, period=2020), obs(2.0)], actor="bob")
    finally:
        event.remove(database.engine, "before_cursor_execute", sneak_in_revision_2)
    assert injected["done"]
    assert counts(database) == before
    assert [o.value for o in repo.history(KEY)] == [1.0]


def test_invalid_input_is_refused_with_every_problem_named(database: Database, repo: ObservationRepository) -> None:
    bad = [obs(1.0), obs(float("nan"), period=2022), obs(2.0), Observation("x" * 65, "u", 2021, 1.0)]
    with pytest.raises(InvalidObservation) as info:
        repo.apply(bad, actor="alice")
    message = str(info.value)
    assert "item 2" in message and "finite number" in message
    assert "same indicator, unit and period as item 1" in message
    assert "at most 64" in message and "nothing was written" in message
    assert counts(database) == (0, 0, 0)
    with pytest.raises(InvalidInput, match="actor"):
        repo.apply([obs(1.0)], actor=" ")
    with pytest.raises(InvalidObservation, match="cannot be imported as 'returned'"):
        repo.apply([obs(1.0)], actor="alice", status="returned")
    assert counts(database) == (0, 0, 0)


def _statements(database: Database) -> list[tuple[str, int]]:
    """Every SQL statement sent to the driver from now on, with its number of parameter sets."""
    seen: list[tuple[str, int]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, PLR0913
        seen.append((statement, len(parameters) if executemany else 1))

    event.listen(database.engine, "before_cursor_execute", record)
    return seen


@pytest.mark.parametrize("chunk", [1, 3])
def test_lookup_is_chunked(
    database: Database, repo: ObservationRepository, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """More keys than KEY_CHUNK go through the temporary table, inserted KEY_CHUNK * 20 at a time, matched once."""
    monkeypatch.setattr(observation_queries, "KEY_CHUNK", chunk)
    repo.apply([obs(float(p), period=p) for p in range(2000, 2010)], actor="alice")
    incoming = [obs(float(p) + (p % 2), period=p) for p in range(1990, 2015)]  # 25 keys
    seen = _statements(database)
    assert repo.preview(incoming).counts() == {"new": 15, "changed": 5, "unchanged": 5}
    temp = [(sql, n) for sql, n in seen if "scicity_incoming_keys" in sql]
    creates = [sql for sql, _ in temp if sql.lstrip().upper().startswith("CREATE")]
    inserts = [n for sql, n in temp if sql.lstrip().upper().startswith("INSERT")]
    matches = [sql for sql, _ in temp if sql.lstrip().upper().startswith("SELECT")]
    assert len(creates) == 1 and len(matches) == 1
    size = chunk * 20
    assert inserts == [min(size, 25 - start) for start in range(0, 25, size)]  # 20 + 5, or 25 at once


def test_few_keys_are_looked_up_with_one_in_list(
    database: Database, repo: ObservationRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(observation_queries, "KEY_CHUNK", 25)
    repo.apply([obs(float(p), period=p) for p in range(2000, 2010)], actor="alice")
    seen = _statements(database)
    assert repo.preview([obs(float(p), period=p) for p in range(1990, 2015)]).counts()["unchanged"] == 10
    assert not [sql for sql, _ in seen if "scicity_incoming_keys" in sql]
    assert len([sql for sql, _ in seen if "FROM observations" in sql and " IN " in sql]) == 1


def test_export_is_sorted_with_review_fields(repo: ObservationRepository) -> None:
    repo.apply([obs(2.0, period=2022), obs(1.0, unit="a_unit"), obs(3.0)], actor="alice")
    records = repo.all_latest_for_export()
    assert [(r.key.unit, r.key.period) for r in records] == [
        ("a_unit", 2021),
        ("science_city", 2021),
        ("science_city", 2022),
    ]
    assert all(r.approved_at is not None and r.batch_id is not None for r in records)


def test_records_hold_the_row_id(database: Database, repo: ObservationRepository) -> None:
    repo.apply([obs(1.0)], actor="alice")
    (record,) = repo.records(KEY)
    with Session(database.engine) as s:
        assert s.get(ObservationRow, record.id) is not None


def test_a_failed_large_import_leaves_no_temporary_table_behind(
    database: Database, repo: ObservationRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(observation_queries, "KEY_CHUNK", 1)  # force the temporary-table look-up
    incoming = [obs(1.0), obs(2.0, period=2022)]

    def fail_on_audit(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"):
            raise RuntimeError("injected failure")

    event.listen(database.engine, "before_cursor_execute", fail_on_audit)
    try:
        with pytest.raises(RuntimeError, match="injected"):
            repo.apply(incoming, actor="bob")
    finally:
        event.remove(database.engine, "before_cursor_execute", fail_on_audit)
    assert counts(database) == (0, 0, 0)
    assert repo.apply(incoming, actor="bob").counts()["new"] == 2  # same pooled connection, table created anew
    assert repo.preview(incoming).counts()["unchanged"] == 2
