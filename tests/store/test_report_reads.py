"""The report's reads of a plain SQLite file (sqlite3) give what the SQLAlchemy repositories give for the same file.

As in ``test_sqlite_reads.py``: one migrated database read directly (a plain file URL) and through SQLAlchemy (a URL
object), after observations of every status and revision, goal confirmations and registry imports.
"""

from __future__ import annotations

from datetime import date

import pytest

from scicity.domain import Observation, ObservationKey, ObservationStatus
from scicity.domain.registries import Certification, CertificationKind, Enterprise, RegistryKind
from scicity.store import Database
from scicity.store.goals import GoalStatusRepository
from scicity.store.observations import ObservationRepository
from scicity.store.registries import RegistryRepository
from scicity.store.report_reads import (
    certifications_from,
    certifications_listed,
    enterprises,
    latest_goal_statuses,
    latest_statuses,
)

from .test_sqlite_reads import both  # noqa: F401  (the fixture: the same file, direct and through SQLAlchemy)

S = ObservationStatus
K = CertificationKind


def _written(db: Database) -> None:
    obs = ObservationRepository(db)
    obs.apply([Observation("grp", "zone", 2023, 1.5), Observation("grp", "zone", 2024, 2.0),
               Observation("rd", "east", 2024, 3.0)], actor="clerk")
    obs.apply([Observation("grp", "zone", 2024, 9.0)], actor="clerk", status=S.SUBMITTED)  # revision 2: pending
    obs.apply([Observation("rd", "east", 2025, 4.0)], actor="clerk", status=S.SUBMITTED)
    obs.set_status(ObservationKey("rd", "east", 2025), 1, S.RETURNED, actor="head", comment="单位有误")
    obs.apply([Observation("other", "zone", 2024, 1.0)], actor="clerk", status=S.DRAFT)
    goals = GoalStatusRepository(db)
    goals.record("plan", "g1", "in_progress", actor="office", evidence="文件")
    goals.record("plan", "g1", "achieved", actor="head", evidence="https://example.org/x")
    goals.record("plan", "g2", "not_started", actor="office")
    goals.record("other", "g1", "achieved", actor="office")
    reg = RegistryRepository(db)
    reg.apply(RegistryKind.ENTERPRISES, [
        Enterprise(credit_code="91500000000000001A", name_zh="甲公司", name_en="A Ltd", unit="zone",
                   founded_on=date(2019, 5, 1), strategic_emerging=True),
        Enterprise(credit_code="91500000000000002B", name_zh="乙公司", unit="east"),
        Enterprise(credit_code="91500000000000003C", name_en="C Ltd", unit="west"),
    ], actor="clerk")
    reg.apply(RegistryKind.CERTIFICATIONS, [
        Certification(credit_code="91500000000000001A", kind=K.HIGH_TECH, valid_from=date(2022, 3, 1), valid_to=date(2024, 12, 31),
                      certificate_no="GR2022"),
        Certification(credit_code="91500000000000001A", kind=K.GAZELLE, valid_from=date(2023, 6, 1)),
        Certification(credit_code="91500000000000002B", kind=K.HIGH_TECH, valid_from=date(2022, 3, 1)),
        Certification(credit_code="91500000000000003C", kind=K.HIGH_TECH, valid_from=date(2023, 1, 1)),  # another unit
        Certification(credit_code="91500000000000002B", kind=K.TECH_SME, valid_from=date(2020, 4, 1)),  # before the period
    ], actor="clerk")


def test_every_report_read_agrees_with_sqlalchemy(both: tuple[Database, Database]) -> None:  # noqa: F811
    direct, orm = both
    _written(direct)
    for ids in (["grp", "rd", "other"], ["rd"], [], ["nothing"]):
        assert latest_statuses(direct, ids) == latest_statuses(orm, ids), ids
    assert sorted(latest_statuses(direct, ["grp", "rd", "other"])) == [
        (2023, "approved"), (2024, "approved"), (2024, "draft"), (2024, "submitted"), (2025, "returned")]
    goals = latest_goal_statuses(direct, "plan")
    assert goals == latest_goal_statuses(orm, "plan") and set(goals) == {"g1", "g2"}
    assert goals["g1"].status.value == "achieved" and goals["g1"].at.utcoffset() is not None
    assert latest_goal_statuses(direct, "none") == latest_goal_statuses(orm, "none") == {}
    first, last = date(2021, 1, 1), date(2025, 12, 31)
    for units in ({"zone", "east"}, {"zone"}, {"west", "zone", "east"}, set()):
        assert certifications_from(direct, units, first, last) == certifications_from(orm, units, first, last), units
        for kinds, limit in (([K.HIGH_TECH.value, K.GAZELLE.value], 150), ([K.HIGH_TECH.value], 1), ([], 5)):
            fast, slow = (certifications_listed(db, units, first, last, kinds, limit) for db in (direct, orm))
            assert fast == slow, (units, kinds, limit)
    counts = certifications_from(direct, {"zone", "east"}, first, last)
    assert counts == {("high_tech", date(2022, 3, 1)): 2, ("gazelle", date(2023, 6, 1)): 1}
    listed, total = certifications_listed(direct, {"zone", "east"}, first, last, [K.HIGH_TECH.value], 1)
    assert total == 2 and [c.credit_code for c in listed] == ["91500000000000001A"]
    assert listed[0].valid_to == date(2024, 12, 31) and listed[0].kind is K.HIGH_TECH
    codes = {"91500000000000001A", "91500000000000002B", "nothing"}
    found = enterprises(direct, codes)
    assert found == enterprises(orm, codes) and set(found) == codes - {"nothing"}
    assert found["91500000000000001A"].founded_on == date(2019, 5, 1) and found["91500000000000001A"].strategic_emerging is True
    assert enterprises(direct, set()) == enterprises(orm, set()) == {}


def test_the_report_reads_work_on_every_database(database: Database) -> None:
    """On PostgreSQL (and SQLite) through the repositories."""
    _written(database)
    assert sorted(latest_statuses(database, ["grp", "rd", "other"]))[0] == (2023, "approved")
    assert set(latest_goal_statuses(database, "plan")) == {"g1", "g2"}
    assert sum(certifications_from(database, {"zone", "east"}, date(2021, 1, 1), date(2025, 12, 31)).values()) == 3


@pytest.mark.parametrize("units", [set(), {"nowhere"}])
def test_no_units_no_certifications(both: tuple[Database, Database], units: set[str]) -> None:  # noqa: F811
    direct, orm = both
    _written(direct)
    assert certifications_listed(direct, units, date(2021, 1, 1), date(2025, 12, 31), ["high_tech"], 10) == ([], 0)
    assert certifications_listed(orm, units, date(2021, 1, 1), date(2025, 12, 31), ["high_tech"], 10) == ([], 0)
