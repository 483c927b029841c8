"""The read model: narrow reads, versions per kind of data from the audit log, single flight, stale while computing."""

from __future__ import annotations

import threading

import pytest

from scicity.domain.observation import Observation, ObservationKey, ObservationStatus
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path
from scicity.service.read_model import ReadModel, SingleFlight, plan_ids_using, target_units
from scicity.store import Database, ObservationRepository, UserRepository

LOADED = load_plan_file(default_plan_path())
PLAN = LOADED.plan
ROOT = PLAN.geography.id
CHILD = PLAN.geography.children[0].id


def _seed(db: Database) -> ObservationRepository:
    repo = ObservationRepository(db)
    rows = [Observation("rd_expenditure", u, y, 100.0 + y - 2020, source="t") for u in (ROOT, CHILD) for y in range(2020, 2024)]
    rows += [Observation("grp", u, y, 5000.0, source="t") for u in (ROOT, CHILD) for y in range(2020, 2024)]
    repo.apply(rows, actor="alice")
    return repo


def _rd_intensity(view, year: int) -> float:
    return dict(view.table.points("rd_intensity", ROOT))[year]


def test_status_reads_the_target_units_only_and_the_geography_every_unit(database: Database) -> None:
    _seed(database)
    model = ReadModel(database, poll=0)
    assert target_units(PLAN) == {ROOT}
    view = model.status(LOADED)
    assert {o.unit for o in view.values.inputs.values()} == {ROOT}
    assert view.table.points("rd_intensity", CHILD) == []
    assert dict(model.all_units(LOADED).table.points("rd_intensity", CHILD))[2023] == pytest.approx(103 / 5000 * 100)


def test_an_approval_is_seen_at_the_next_read_and_other_writes_recompute_nothing(database: Database) -> None:
    repo = _seed(database)
    model = ReadModel(database, poll=0)
    first = model.status(LOADED)
    assert model.status(LOADED) is first, "unchanged data: the same state"
    computed = model.stats()["status_computations"]

    UserRepository(database).create("wang", "a long passphrase", "viewer", actor="admin")  # users only
    repo.apply([Observation("not_in_this_plan", ROOT, 2023, 1.0)], actor="alice")  # an id the plan does not use
    assert model.status(LOADED) is first
    assert model.stats()["status_computations"] == computed
    assert model.versions().users > first.version

    repo.apply([Observation("rd_expenditure", ROOT, 2023, 200.0)], actor="bob", status=ObservationStatus.SUBMITTED)
    assert model.status(LOADED) is first, "a submitted value is not approved yet: same verdicts"  # stamp moved, values equal
    repo.set_status(ObservationKey("rd_expenditure", ROOT, 2023), None, ObservationStatus.APPROVED, actor="carol")
    after = model.status(LOADED)
    assert after.version > first.version
    assert _rd_intensity(after, 2023) == pytest.approx(200 / 5000 * 100)


def test_writes_of_another_process_are_picked_up_from_the_audit_log(database: Database) -> None:
    _seed(database)
    model = ReadModel(database, poll=0)
    before = _rd_intensity(model.status(LOADED), 2022)
    other = Database(database.url.render_as_string(hide_password=False))  # another process: own engine, no touch()
    try:
        ObservationRepository(other).apply([Observation("grp", ROOT, 2022, 2500.0)], actor="cli")
    finally:
        other.dispose()
    assert _rd_intensity(model.status(LOADED), 2022) == pytest.approx(before * 2)


def test_one_computation_for_many_concurrent_readers(database: Database) -> None:
    _seed(database)
    model = ReadModel(database, poll=0)
    start = threading.Barrier(8)
    views = []

    def read() -> None:
        start.wait()
        views.append(model.status(LOADED))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(v) for v in views}) == 1
    assert model.stats()["status_computations"] == 1 and model.stats()["value_computations"] == 1


def test_the_previous_state_is_served_while_the_next_is_made() -> None:
    flight: SingleFlight[str] = SingleFlight()
    assert flight.get("k", 1, lambda: "old") == "old"
    entered, release = threading.Event(), threading.Event()

    def slow() -> str:
        entered.set()
        release.wait(5)
        return "new"

    result: list[str] = []
    writer = threading.Thread(target=lambda: result.append(flight.get("k", 2, slow)))
    writer.start()
    assert entered.wait(5)
    assert flight.get("k", 2, lambda: "never") == "old", "a second reader is served the previous state, not blocked"
    release.set()
    writer.join()
    assert result == ["new"] and flight.get("k", 2, lambda: "never") == "new"
    assert flight.computations == 2


def test_reverse_index_of_formulas() -> None:
    index = plan_ids_using(PLAN)
    assert "rd_intensity" in index["grp"] and "rd_intensity" in index["rd_expenditure"]
    assert index["rd_intensity"] == {"rd_intensity"}


def _verdicts(view) -> list[tuple[str, str, str]]:
    return [(r.indicator.id, r.target.comparator.value, repr(r.assessment)) for r in view.rows]


def test_an_approval_re_judges_only_the_targets_it_affects_and_agrees_with_a_full_recomputation(database: Database) -> None:
    repo = _seed(database)
    model = ReadModel(database, poll=0)
    model.status(LOADED)
    judged = model.stats()["rejudged"]
    repo.apply([Observation("grp", ROOT, 2023, 4000.0)], actor="bob")  # approved at once: grp feeds rd_intensity
    incremental = model.status(LOADED)
    targets_of = lambda ids: sum(1 for ind, _ in PLAN.targets() if ind.id in ids)  # noqa: E731
    affected = {i.id for i in PLAN.indicators if i.id == "grp" or (i.formula and "grp" in i.formula)}
    assert model.stats()["rejudged"] - judged == targets_of(affected) < len(PLAN.targets())
    assert _rd_intensity(incremental, 2023) == pytest.approx(103 / 4000 * 100)
    full = ReadModel(database, poll=0).status(LOADED)
    assert _verdicts(incremental) == _verdicts(full)
    assert incremental.table.values == full.table.values
