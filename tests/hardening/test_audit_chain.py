"""The audit log's hash chain: every event carries the hash of its content and of the event before it.

`scicity db verify` reports a chain broken by direct SQL at its first bad row (a changed event, one deleted,
one slipped in), on SQLite and PostgreSQL; parallel writers do not fork the chain; migration 0009 backfills it.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from scicity.domain import Observation, ObservationKey
from scicity.store import Database, ObservationRepository, migrate
from scicity.store.audit_chain import GENESIS, event_hash
from scicity.store.tables import AuditEventRow
from scicity.store.verify import verify


def _seed(database: Database, n: int = 4) -> list[int]:
    repo = ObservationRepository(database)
    for i in range(n):
        repo.apply([Observation("grp", "wcsc", 2020 + i, 100.0 + i, "yearbook"),
                    Observation("rd_exp", "wcsc", 2020 + i, 1e20 if i == 0 else -0.0, "yearbook")], actor="seed",
                   status="draft" if i == 0 else "approved")
    repo.set_status(ObservationKey("grp", "wcsc", 2020), None, "submitted", actor="seed")
    with database.connect() as conn:
        return [int(i) for i in conn.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars()]


def _as_owner(database: Database, *sql: str) -> None:
    """What only a database owner can do: switch the audit log's guards off, change it, switch them on again."""
    with database.session() as s:
        if database.dialect_name == "sqlite":
            for name in ("audit_events_no_update", "audit_events_no_delete"):
                s.execute(text(f"DROP TRIGGER {name}"))
        else:
            s.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        for statement in sql:
            s.execute(text(statement))
        if database.dialect_name != "sqlite":
            s.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def test_every_write_extends_one_unbroken_chain(database: Database) -> None:
    ids = _seed(database)
    with database.connect() as conn:
        rows = conn.execute(text("SELECT id, prev_hash, hash FROM audit_events ORDER BY id")).all()
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert len({r.hash for r in rows}) == len(rows) == len(ids) == 9
    report = verify(database)
    assert report.ok, report.problems
    assert (report.audit_events, report.head_id, report.head_hash) == (9, rows[-1].id, rows[-1].hash)


def test_a_changed_event_breaks_the_chain_at_its_row(database: Database) -> None:
    ids = _seed(database)
    _as_owner(database, f"UPDATE audit_events SET actor = 'mallory' WHERE id = {ids[3]}")
    report = verify(database)
    assert not report.ok and report.first_break == ids[3]
    assert report.problems[0].startswith(f"audit event {ids[3]} (") and "no longer matches its hash" in report.problems[0]
    assert len([p for p in report.problems if p.startswith("audit event")]) == 1  # the rows after it still link


def test_a_changed_value_in_an_event_is_found_even_with_the_observation_changed_to_match(database: Database) -> None:
    ids = _seed(database)
    with database.connect() as conn:
        after = conn.execute(text(f"SELECT after FROM audit_events WHERE id = {ids[6]}")).scalar_one()
    after = json.loads(after) if isinstance(after, str) else after
    after["value"] = 555.0
    doc = json.dumps(after).replace("'", "''")
    cast = "" if database.dialect_name == "sqlite" else "::jsonb"
    with database.session() as s:  # the owner rewrites the value and its audit snapshot consistently
        if database.dialect_name == "sqlite":
            for name in ("audit_events_no_update", "observations_facts_immutable"):
                s.execute(text(f"DROP TRIGGER {name}"))
        else:
            s.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            s.execute(text("ALTER TABLE observations DISABLE TRIGGER USER"))
        s.execute(text(f"UPDATE audit_events SET after = '{doc}'{cast} WHERE id = {ids[6]}"))
        s.execute(text(f"UPDATE observations SET value = 555 WHERE id = {after['id']}"))
    report = verify(database)
    assert report.first_break == ids[6] and report.total_problems == 1, report.problems
    assert "no longer matches its hash" in report.problems[0]


def test_a_deleted_event_breaks_the_chain_at_the_next_row(database: Database) -> None:
    ids = _seed(database)
    _as_owner(database, f"DELETE FROM audit_events WHERE id = {ids[5]}")
    report = verify(database)
    assert report.first_break == ids[6], report.problems
    assert "the chain breaks here" in report.problems[0] and report.problems[0].startswith(f"audit event {ids[6]} (")


def test_an_event_slipped_in_is_found(database: Database) -> None:
    ids = _seed(database)
    _as_owner(database, "INSERT INTO audit_events (id, at, actor, action, entity, entity_id) VALUES "
              f"({ids[-1] + 1}, CURRENT_TIMESTAMP, 'mallory', 'plan.load', 'plan', 'x')")
    report = verify(database)
    assert report.first_break == ids[-1] + 1 and "carries no hash" in report.problems[0], report.problems


def test_a_chain_rewritten_from_a_row_on_is_caught_by_the_head_kept_before(database: Database) -> None:
    _seed(database)
    kept = verify(database)
    head = (kept.head_id, kept.head_hash)
    # the owner rewrites an event *and* every hash after it: the chain alone cannot tell
    with database.session() as s:
        rows = s.query(AuditEventRow).order_by(AuditEventRow.id).all()
        rows[2].actor = "mallory"
        prev = rows[1].hash
        updates = []
        for row in rows[2:]:
            digest = event_hash(prev, row)
            updates.append((row.id, prev, digest, row.actor))
            prev = digest
        s.expunge_all()
    _as_owner(database, *(f"UPDATE audit_events SET prev_hash = '{p}', hash = '{h}', actor = '{a}' WHERE id = {i}"
                          for i, p, h, a in updates))
    assert verify(database).ok
    report = verify(database, head=head)
    assert not report.ok and "the chain was rewritten from there on" in report.problems[0], report.problems


def test_parallel_writers_do_not_fork_the_chain(db_url: str, database: Database) -> None:
    barrier = threading.Barrier(6)
    failures: list[BaseException] = []

    def write(i: int) -> None:
        with Database(db_url) as db:
            repo = ObservationRepository(db)
            barrier.wait()
            try:
                for year in range(3):
                    repo.apply([Observation("grp", f"u{i}", 2000 + year, float(i))], actor=f"writer{i}")
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    with database.connect() as conn:
        links = conn.execute(text("SELECT count(*), count(DISTINCT prev_hash) FROM audit_events")).one()
    assert tuple(links) == (18, 18)  # no two events link to the same one
    report = verify(database)
    assert report.ok and report.audit_events == 18, report.problems


def test_migration_0009_backfills_the_chain_and_keeps_the_guard(db_url: str) -> None:
    migrate.upgrade(db_url, "0008_plan_lifecycle")
    with Database(db_url) as db, db.session() as s:
        for i in range(3):
            s.execute(text("INSERT INTO audit_events (at, actor, action, entity, entity_id, after) VALUES "
                           "(:at, 'old', 'plan.load', 'plan', :id, :after)"),
                      {"at": datetime(2025, 1, 1, 12, 0, i, 123456, tzinfo=UTC), "id": f"p{i}",
                       "after": json.dumps({"n": i, "x": 1.5, "名": "计划"})})
    migrate.upgrade(db_url)
    with Database(db_url) as db:
        with db.connect() as conn:
            rows = conn.execute(text("SELECT prev_hash, hash FROM audit_events ORDER BY id")).all()
        assert rows[0].prev_hash == GENESIS and all(r.hash for r in rows) and len(rows) == 3
        report = verify(db)
        assert report.ok and report.audit_events == 3, report.problems
        ObservationRepository(db).apply([Observation("grp", "wcsc", 2023, 1.0)], actor="new")
        assert verify(db).ok
        with pytest.raises(Exception, match="append-only"), db.session() as s:
            s.execute(text("UPDATE audit_events SET actor = 'mallory'"))


def test_the_cli_names_the_first_bad_row_and_prints_the_head(tmp_path, cli_store) -> None:  # noqa: ANN001
    run = cli_store
    f = tmp_path / "d.csv"
    f.write_text("indicator,unit,period,value\ngrp,wcsc,2023,100\ngrp,wcsc,2024,101\n", encoding="utf-8")
    assert run("import", str(f)).exit_code == 0
    ok = run("db", "verify")
    assert ok.exit_code == 0 and "hash chain of" in ok.stdout and "is unbroken" in ok.stdout, ok.output
    head = ok.stdout.split("head: ", 1)[1].split()[0]
    assert run("db", "verify", "--head", head).exit_code == 0
    assert run("db", "verify", "--head", "12:abc").exit_code == 2
    db = Database(f"sqlite:///{tmp_path}/scicity.db")
    with db.connect() as conn:
        first = conn.execute(text("SELECT min(id) FROM audit_events WHERE entity = 'observation'")).scalar_one()
    _as_owner(db, f"UPDATE audit_events SET entity_id = entity_id || '0' WHERE id = {first}")
    db.dispose()
    bad = run("db", "verify")
    assert bad.exit_code == 1 and f"breaks first at event {first}" in bad.output, bad.output
