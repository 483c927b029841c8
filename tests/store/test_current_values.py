"""``current_values``: the highest approved revision per key, kept by the database in the writing transaction.

Every check compares the table (and ``latest()``, which reads it) with the
answer computed from the revisions themselves (``latest_select``: grouping by
key), after imports, corrections, approvals, a rolled-back import, a bulk load
in plain SQL, and the migration's backfill of a database that had values before.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text

from scicity.domain import Observation, ObservationKey, ObservationStatus
from scicity.store import ConcurrentWrite, Database, ObservationRepository, migrate
from scicity.store.observation_queries import filters, latest_select
from scicity.store.observation_rows import to_observation
from scicity.store.tables import CurrentValueRow

S = ObservationStatus


def table(db: Database) -> dict[tuple[str, str, int], tuple[int, int]]:
    c = CurrentValueRow
    with db.session() as s:
        return {(r.indicator, r.unit, r.period): (r.revision, r.observation_id)
                for r in s.execute(select(c.indicator, c.unit, c.period, c.revision, c.observation_id))}


def from_revisions(db: Database) -> dict[tuple[str, str, int], tuple[int, int]]:
    """The same, computed the slow way: the highest approved revision per key."""
    with db.session() as s:
        rows = s.execute(latest_select([S.APPROVED], None, filters(None, None))).all()
    return {(r.indicator, r.unit, r.period): (r.revision, r.id) for r in rows}


def slow_latest(db: Database, indicators=None, units=None) -> dict[ObservationKey, Observation]:  # noqa: ANN001
    with db.session() as s:
        return {(o := to_observation(r)).key: o for r in s.execute(latest_select([S.APPROVED], None,
                                                                                   filters(indicators, units)))}


def test_import_correction_and_approval_move_the_current_value(database: Database) -> None:
    repo = ObservationRepository(database)
    key = ObservationKey("grp", "zone", 2024)
    repo.apply([Observation("grp", "zone", 2024, 1.0)], actor="a", status=S.SUBMITTED)
    assert table(database) == {}  # submitted: nothing approved yet
    repo.set_status(key, 1, S.APPROVED, actor="b")
    assert table(database)[("grp", "zone", 2024)][0] == 1
    repo.apply([Observation("grp", "zone", 2024, 2.0)], actor="a", status=S.SUBMITTED)
    assert table(database)[("grp", "zone", 2024)][0] == 1  # a correction waiting for review changes nothing
    assert repo.latest(["grp"])[key].value == 1.0
    repo.apply([Observation("grp", "zone", 2024, 3.0)], actor="a")  # approved at import: revision 3
    assert table(database)[("grp", "zone", 2024)][0] == 3
    repo.set_status(key, 2, S.APPROVED, actor="b")  # approving an older revision later: the higher one stays
    assert table(database)[("grp", "zone", 2024)][0] == 3
    assert repo.latest(["grp"])[key].value == 3.0
    assert table(database) == from_revisions(database)


def test_a_failed_import_leaves_the_current_values_as_they_were(database: Database) -> None:
    repo = ObservationRepository(database)
    repo.apply([Observation("grp", "zone", 2024, 1.0)], actor="a")
    before = table(database)
    with database.session(write=True) as s:  # a revision 2 stored behind the import's back: it must conflict
        s.execute(text("INSERT INTO observations (indicator, unit, period, value, status, revision, created_by, "
                       "created_at) VALUES ('grp', 'zone', 2025, 5.0, 'submitted', 1, 'x', CURRENT_TIMESTAMP)"))
    after_insert = table(database)
    assert after_insert == before
    from scicity.store import observation_queries

    real = observation_queries.stored_latest

    def stale(session, keys):  # noqa: ANN001, ANN202 — as if the other write came after our look-up
        return {k: v for k, v in real(session, keys).items() if k.period != 2025}

    observation_queries_stored = ObservationRepository.apply.__globals__["stored_latest"]
    ObservationRepository.apply.__globals__["stored_latest"] = stale
    try:
        with pytest.raises(ConcurrentWrite):
            repo.apply([Observation("grp", "zone", 2024, 9.0), Observation("grp", "zone", 2025, 6.0)], actor="a")
    finally:
        ObservationRepository.apply.__globals__["stored_latest"] = observation_queries_stored
    assert table(database) == before == from_revisions(database)
    assert repo.latest(["grp"])[ObservationKey("grp", "zone", 2024)].value == 1.0


def test_random_histories_agree_with_the_revisions(database: Database) -> None:
    rng = random.Random(14)
    repo = ObservationRepository(database)
    keys = [ObservationKey(i, u, p) for i in ("a", "b") for u in ("x", "y") for p in (2021, 2022)]
    for step in range(60):
        k = rng.choice(keys)
        if rng.random() < 0.6:
            status = rng.choice([S.DRAFT, S.SUBMITTED, S.APPROVED])
            repo.apply([Observation(k.indicator, k.unit, k.period, float(step))], actor="a", status=status)
        else:
            waiting = [r for r in repo.records(k) if r.observation.status in (S.DRAFT, S.SUBMITTED)]
            if waiting:
                r = rng.choice(waiting)
                nxt = S.SUBMITTED if r.observation.status is S.DRAFT else rng.choice([S.APPROVED, S.RETURNED])
                repo.set_status(r.id, None, nxt, actor="b", comment="why" if nxt is S.RETURNED else None)
    assert table(database) == from_revisions(database)
    assert len(table(database)) > 3
    assert repo.latest() == slow_latest(database)
    assert repo.latest(["a"], ["x"]) == slow_latest(database, ["a"], ["x"])
    exported = repo.all_latest_for_export(["b"])
    assert [r.observation for r in exported] == sorted(slow_latest(database, ["b"]).values(),
                                                        key=lambda o: (o.indicator, o.unit, o.period))


def test_a_bulk_load_in_plain_sql_is_counted(database: Database) -> None:
    """Rows written without the repositories (a bulk load, another program) are counted too: triggers keep it."""
    with database.session(write=True) as s:
        for rev, status in ((1, "approved"), (2, "approved"), (3, "submitted")):
            s.execute(text("INSERT INTO observations (indicator, unit, period, value, status, revision, created_by, "
                           f"created_at) VALUES ('grp', 'zone', 2020, {rev}.0, '{status}', {rev}, 'bulk', "
                           "CURRENT_TIMESTAMP)"))
    assert table(database)[("grp", "zone", 2020)][0] == 2
    assert table(database) == from_revisions(database)


def test_the_migration_fills_the_table_from_stored_values(db_url: str) -> None:
    migrate.upgrade(db_url, "0009_audit_chain")
    with Database(db_url) as db:
        repo = ObservationRepository(db)
        repo.apply([Observation("grp", "zone", y, float(y)) for y in (2021, 2022)], actor="a")
        repo.apply([Observation("grp", "zone", 2021, 1.5)], actor="a", status=S.SUBMITTED)
        repo.apply([Observation("rd", "zone", 2021, 2.0)], actor="a", status=S.DRAFT)
        repo.apply([Observation("grp", "zone", 2022, 7.0)], actor="a")  # revision 2, approved
    migrate.upgrade(db_url)
    with Database(db_url) as db:
        found = table(db)
        assert {k: rev for k, (rev, _) in found.items()} == {("grp", "zone", 2021): 1, ("grp", "zone", 2022): 2}
        assert found == from_revisions(db)
        assert ObservationRepository(db).latest()[ObservationKey("grp", "zone", 2022)].value == 7.0
    assert migrate.downgrade(db_url, "0009_audit_chain") == "0009_audit_chain"
    assert migrate.upgrade(db_url) == migrate.head_revision()
