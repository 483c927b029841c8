"""Observations are guarded like the audit log against direct SQL; `scicity db verify` reports what an owner changed."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text

from scicity.domain import Observation
from scicity.store import Database, ObservationRepository
from scicity.store.verify import verify

REFUSED = (exc.IntegrityError, exc.OperationalError, exc.DatabaseError)


def _seed(database: Database) -> int:
    repo = ObservationRepository(database)
    repo.apply([Observation("grp", "wcsc", 2023, 100.0, "yearbook")], actor="seed")
    repo.apply([Observation("grp", "wcsc", 2023, 101.0, "yearbook")], actor="seed")
    with database.connect() as conn:
        return int(conn.execute(text("SELECT min(id) FROM observations")).scalar_one())


def _refused(database: Database, sql: str) -> None:
    with pytest.raises(REFUSED), database.session() as s:
        s.execute(text(sql))


def test_observation_rows_cannot_be_deleted_replaced_or_rewritten(database: Database) -> None:
    row_id = _seed(database)
    _refused(database, f"DELETE FROM observations WHERE id = {row_id}")
    _refused(database, f"UPDATE observations SET value = 5 WHERE id = {row_id}")
    if database.dialect_name == "sqlite":
        cols = ("id, indicator, unit, period, value, status, source, vintage, revision, created_by, created_at, "
                "approved_by, approved_at, comment, batch_id")
        _refused(database, f"REPLACE INTO observations ({cols}) SELECT id, indicator, unit, period, 999, status, "
                 f"source, vintage, revision, created_by, created_at, approved_by, approved_at, comment, batch_id "
                 f"FROM observations WHERE id = {row_id}")
        _refused(database, "REPLACE INTO audit_events (id, at, actor, action, entity, entity_id, before, after, "
                 "batch_id) SELECT id, at, 'mallory', action, entity, entity_id, before, after, batch_id "
                 "FROM audit_events WHERE id = (SELECT min(id) FROM audit_events)")
    else:
        _refused(database, "TRUNCATE observations CASCADE")
    report = verify(database)
    assert report.ok, report.problems
    assert (report.observations, report.events) == (2, 2)


def test_verify_reports_what_an_owner_changed_behind_the_guards(database: Database) -> None:
    row_id = _seed(database)
    with database.session() as s:  # what only a database owner can do: switch the guards off
        if database.dialect_name == "sqlite":
            for name in ("observations_facts_immutable", "observations_no_delete", "observations_no_replace"):
                s.execute(text(f"DROP TRIGGER {name}"))
        else:
            s.execute(text("ALTER TABLE observations DISABLE TRIGGER USER"))
        s.execute(text(f"UPDATE observations SET value = 555 WHERE id = {row_id}"))
        s.execute(text(f"DELETE FROM observations WHERE id = {row_id + 1}"))
        s.execute(text("INSERT INTO observations (id, indicator, unit, period, value, status, revision, created_by, "
                       f"created_at) VALUES ({row_id + 100}, 'grp', 'wcsc', 2024, 1.0, 'approved', 1, 'mallory', "
                       "CURRENT_TIMESTAMP)"))
    report = verify(database)
    assert not report.ok and report.total_problems == 3, report.problems
    text_ = "\n".join(report.problems)
    assert f"observation {row_id} (grp/wcsc/2023 revision 1): differs from audit event" in text_
    assert "value 100.0 → 555.0" in text_
    assert f"observation {row_id + 1}: audit event" in text_ and "the row is gone" in text_
    assert "(grp/wcsc/2024 revision 1): no audit event records it" in text_


def test_the_cli_verifies(tmp_path, cli_store) -> None:  # noqa: ANN001
    run = cli_store
    f = tmp_path / "d.csv"
    f.write_text("indicator,unit,period,value\ngrp,wcsc,2023,100\n", encoding="utf-8")
    assert run("import", str(f)).exit_code == 0
    ok = run("db", "verify")
    assert ok.exit_code == 0 and "ok: 1 observations match their 1 audit events" in ok.stdout
    db = Database(f"sqlite:///{tmp_path}/scicity.db")
    with db.session() as s:
        s.execute(text("DROP TRIGGER observations_facts_immutable"))
        s.execute(text("UPDATE observations SET value = 1"))
    db.dispose()
    bad = run("db", "verify")
    assert bad.exit_code == 1 and "value 100.0 → 1.0" in bad.output and "changed outside scicity" in bad.output
