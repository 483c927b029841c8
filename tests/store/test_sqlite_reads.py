"""The sqlite3 reads of a plain SQLite file give what the SQLAlchemy repositories give for the same file.

Each read is done twice on one migrated database: through ``Database("sqlite:///…")`` (a plain file URL:
:mod:`scicity.store.sqlite_reads`) and through ``Database(URL)`` (a URL object: SQLAlchemy, as for every
other database); the answers must be equal, field by field, after imports, corrections, reviews, plans
and registry writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from scicity.domain import Observation, ObservationKey, ObservationStatus
from scicity.service.read_model import CATEGORIES
from scicity.store import AuditRepository, Database, ObservationRepository, PlanRepository
from scicity.store.current_reads import approved_values, stored_plans
from scicity.store.data_version import NOT_REGISTRY_ENTITIES, data_version, registry_version
from scicity.store.db import display_url, plain_sqlite_file
from scicity.store.schema import SCHEMA_HEAD, schema_revision

S = ObservationStatus


@pytest.fixture
def both(sqlite_database: Database) -> Iterator[tuple[Database, Database]]:
    """The same file, read directly (plain URL text) and through SQLAlchemy (a URL object)."""
    direct = Database(sqlite_database.url_text(hide_password=False))
    orm = Database(make_url(direct.url_text(hide_password=False)))
    assert direct.sqlite_file is not None and orm.sqlite_file is None
    yield direct, orm
    direct.dispose()
    orm.dispose()


def _written(db: Database) -> None:
    repo = ObservationRepository(db)
    repo.apply([Observation("grp", "zone", 2023, 1.5, source="bureau", vintage=date(2024, 3, 1)),
                Observation("grp", "zone", 2024, 2.0), Observation("grp", "east", 2024, 7.25),
                Observation("rd", "zone", 2024, 2.5)], actor="clerk")
    repo.apply([Observation("grp", "zone", 2024, 2.5, source="revised")], actor="clerk")  # revision 2, approved
    repo.apply([Observation("grp", "zone", 2024, 9.0)], actor="clerk", status=S.SUBMITTED)  # not approved: not read
    repo.apply([Observation("rd", "east", 2024, 3.0)], actor="clerk", status=S.SUBMITTED)
    repo.set_status(ObservationKey("rd", "east", 2024), 1, S.APPROVED, actor="head")
    plans = PlanRepository(db)
    plans.save("beta", "Beta", "id: beta\n", actor="office")
    plans.save("alpha", "Alpha", "id: alpha\n# 中文\n", actor="office", make_default=True)


def test_every_read_agrees_with_sqlalchemy(both: tuple[Database, Database]) -> None:
    direct, orm = both
    _written(direct)
    assert schema_revision(direct) == schema_revision(orm) == SCHEMA_HEAD
    assert stored_plans(direct) == stored_plans(orm) == ("alpha", {"alpha": "id: alpha\n# 中文\n", "beta": "id: beta\n"})
    for ids in (None, ["grp"], {"grp", "rd", "nothing"}, "rd", []):
        fast, slow = approved_values(direct, ids), approved_values(orm, ids)
        assert fast == slow and list(fast) == list(slow), ids  # every field, and the order
    values = approved_values(direct)
    assert values[ObservationKey("grp", "zone", 2024)].revision == 2
    first = values[ObservationKey("grp", "zone", 2023)]
    assert first.vintage == date(2024, 3, 1) and first.created_at is not None and first.created_at.utcoffset() is not None
    assert values[ObservationKey("rd", "east", 2024)].approved_by == "head"
    assert ObservationRepository(orm).latest() == values
    assert data_version(direct) == data_version(orm) > 0
    assert registry_version(direct) == registry_version(orm) == 0  # no registry written yet


def test_registry_version_moves_only_with_registry_events(both: tuple[Database, Database]) -> None:
    direct, orm = both
    _written(direct)
    before = data_version(direct)
    with direct.session(write=True) as session:
        AuditRepository(direct).record(session, actor="clerk", action="import", entity="enterprise", entity_id="x")
    assert registry_version(direct) == registry_version(orm) == data_version(orm) == before + 1
    ObservationRepository(direct).apply([Observation("grp", "zone", 2025, 4.0)], actor="clerk")
    assert registry_version(direct) == registry_version(orm) == before + 1
    assert data_version(direct) == data_version(orm) > before + 1


def test_the_registry_split_is_the_read_models():
    assert NOT_REGISTRY_ENTITIES == set(CATEGORIES)


def test_a_database_never_migrated_has_no_revision(tmp_path: Path) -> None:
    direct = Database(f"sqlite:///{tmp_path}/empty.db")
    orm = Database(make_url(f"sqlite:///{tmp_path}/empty.db"))
    assert schema_revision(direct) is None and schema_revision(orm) is None
    orm.dispose()


@pytest.mark.parametrize("path", ["/tmp/plain/x.db", "/tmp/a b/x.db", "/tmp/a@b:c/x.db", "/tmp/中文/x.db",
                                  "relative/x.db", "/tmp/a=b&c;d/x.db"])
def test_a_plain_file_url_is_written_as_sqlalchemy_writes_it(path: str) -> None:
    url = f"sqlite:///{path}"
    assert plain_sqlite_file(url) == Path(path)
    parsed = make_url(url)
    assert display_url(url) == parsed.render_as_string(hide_password=True)
    assert make_url(display_url(url)).database == path  # read back: the same file


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?mode=ro&uri=true",
                                 "sqlite:///x.db?timeout=3", "sqlite:///a%20b.db", "postgresql://u:p@h/db"])
def test_anything_else_goes_through_sqlalchemy(url: str) -> None:
    assert plain_sqlite_file(url) is None
    assert plain_sqlite_file(make_url("sqlite:///x.db")) is None  # a URL object: already parsed by SQLAlchemy


def test_the_same_reads_work_on_every_database(database: Database) -> None:
    """On PostgreSQL (and SQLite) through the functions status calls: the repositories' answers."""
    _written(database)
    assert schema_revision(database) == SCHEMA_HEAD
    assert stored_plans(database) == ("alpha", {"alpha": "id: alpha\n# 中文\n", "beta": "id: beta\n"})
    assert approved_values(database, ["grp", "rd"]) == ObservationRepository(database).latest(["grp", "rd"])
    assert len(approved_values(database)) == 5
    assert data_version(database) > registry_version(database) == 0
