"""Registry counts kept per (definition, unit, year): after every import they equal a full count.

Each write goes through the repository (one transaction, one audit event
naming the units it touched); the tally is then asked for the counts and
compared with a fresh engine counting everything, on SQLite and PostgreSQL.
The tally must have counted the additive definitions again at the touched
units only (``partial_counts``), not whole (``full_counts``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from scicity.domain.registries import Certification, Enterprise, Institution, Patent, Talent
from scicity.domain.registry_definition import RegistryDefinition
from scicity.engine.registry.connect import connect_store
from scicity.engine.registry.sample import sample_rows, write_sql
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path
from scicity.service.read_model import ReadModel, changed_indicators
from scicity.service.reconciled_values import count_registries
from scicity.service.registry_tally import additive, change_of, roll_up
from scicity.store import Database
from scicity.store.audit import AuditRepository
from scicity.store.registries import RegistryRepository

LOADED = load_plan_file(default_plan_path())
PLAN = LOADED.plan
YEARS = [2019, 2020, 2021, 2022, 2023]
TODAY = date(2024, 3, 1)
#: the plan's definitions and a plain count of enterprises (what a registry-backed "enterprises" indicator is)
DEFINITIONS = {
    **PLAN.registry_definitions(),
    "all_enterprises": RegistryDefinition.model_validate({"entity": "enterprises", "count": "valid"}),
    "new_emerging": RegistryDefinition.model_validate(
        {"entity": "enterprises", "count": "introduced", "where": {"strategic_emerging": True}}),
}
UNITS = [u.id for u in PLAN.geography.walk()]
LEAF = next(u.id for u in PLAN.geography.walk() if not u.children)
OTHER = next(u.id for u in PLAN.geography.walk() if not u.children and u.id != LEAF)


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def _full(db: Database):  # noqa: ANN202
    engine = connect_store(_url(db))
    try:
        return count_registries(PLAN, engine, YEARS, DEFINITIONS, today=TODAY)
    finally:
        engine.close()


def _kept(model: ReadModel):  # noqa: ANN202
    engine = model.tally.engine(model.versions().registries)
    try:
        return count_registries(PLAN, engine, YEARS, DEFINITIONS, today=TODAY)  # type: ignore[arg-type]
    finally:
        engine.close()


def _same(model: ReadModel, db: Database) -> None:
    kept, full = _kept(model), _full(db)
    assert kept.missing == full.missing
    assert sorted(kept.observations, key=lambda o: o.key) == sorted(full.observations, key=lambda o: o.key)


def _value(counts, ident: str, unit: str, year: int) -> float:  # noqa: ANN001
    (value,) = [o.value for o in counts.observations if (o.indicator, o.unit, o.period) == (ident, unit, year)]
    return value


@pytest.fixture
def filled(database: Database) -> Database:
    write_sql(_url(database), sample_rows(UNITS, seed=11, size=60))
    return database


def test_imports_re_count_the_touched_units_only_and_equal_a_full_count(filled: Database) -> None:
    model = ReadModel(filled, poll=0)
    _same(model, filled)
    full = model.tally.full_counts
    assert full == len(DEFINITIONS) - len(_full(filled).missing), "every kept registry counted once"
    repo = RegistryRepository(filled)

    # new enterprises with certificates, in one transaction (enterprises first)
    new = [Enterprise(credit_code=f"91500000TALLY{i:04d}X", name_en=f"Tally {i}", founded_on=date(2021, 3, 1), unit=LEAF,
                      strategic_emerging=True) for i in range(5)]
    certs = [Certification(credit_code=e.credit_code, kind="high_tech", valid_from=date(2021, 5, 1)) for e in new]
    before = _kept(model)
    repo.apply_many([("enterprises", new, None), ("certifications", certs, None)], actor="importer")
    after = _kept(model)
    assert _value(after, "all_enterprises", LEAF, 2022) == _value(before, "all_enterprises", LEAF, 2022) + 5
    assert _value(after, "high_tech_enterprises", PLAN.geography.id, 2021) == \
        _value(before, "high_tech_enterprises", PLAN.geography.id, 2021) + 5
    _same(model, filled)
    assert model.tally.full_counts == full, "an enterprise import re-counts the touched units, not every row"
    assert model.tally.partial_counts > 0

    # a correction moving a certified enterprise to another unit (its old and new unit re-counted)
    moved = replace(new[0], unit=OTHER)
    repo.apply("enterprises", [moved, *new[1:]], actor="importer")  # a replace-import: four unchanged, one changed
    _same(model, filled)
    assert _value(_kept(model), "all_enterprises", OTHER, 2022) == _value(after, "all_enterprises", OTHER, 2022) + 1

    # corrections that end validity (a closed institution, a lapsed patent, a certificate ended): as good as deleted
    inst = repo.list("institutions", units=[LEAF])[0] if repo.list("institutions", units=[LEAF]) else None
    if inst is not None:
        repo.apply("institutions", [replace(inst, closed_on=date(2019, 6, 30))], actor="importer")
        _same(model, filled)
    repo.apply("patents", [Patent(number="ZLTALLY01", type="invention", granted_on=date(2020, 2, 2),
                                  lapsed_on=date(2022, 12, 31), unit=LEAF)], actor="importer")
    repo.apply("certifications", [replace(certs[1], valid_to=date(2021, 12, 31))], actor="importer")
    repo.apply("institutions", [Institution(code="TALLY-LAB", type="key_lab", level="national", unit=OTHER,
                                            recognised_on=date(2020, 1, 1))], actor="importer")
    _same(model, filled)
    assert model.tally.full_counts == full, "corrections re-count their units only"

    # talent does not add up over units (a person at two units counts once above them): counted whole, alone
    repo.apply("talent", [Talent(person_id="PTALLY", tier="top", introduced_on=date(2022, 4, 1), unit=LEAF),
                          Talent(person_id="PTALLY", tier="young", introduced_on=date(2022, 4, 1), unit=OTHER)],
               actor="importer")
    _same(model, filled)
    talent = sum(1 for d in DEFINITIONS.values() if not additive(d) and d.entity.value == "talent")
    assert talent and model.tally.full_counts == full + talent


def test_a_write_that_does_not_name_its_units_counts_its_registry_again(filled: Database) -> None:
    model = ReadModel(filled, poll=0)
    _same(model, filled)
    full = model.tally.full_counts
    # rows written with an event that names no units (an older importer): the tally cannot narrow the count
    write_sql(_url(filled), {"enterprises": [{"credit_code": "91500000NOUNIT01X", "name_en": "No unit named",
                                              "founded_on": date(2020, 1, 1), "unit": LEAF, "industry": "ai",
                                              "strategic_emerging": False}]})
    with filled.session(write=True) as session:
        AuditRepository(filled).record(session, actor="importer", action="registry.import", entity="enterprises",
                                       entity_id=0, after={"registry": "enterprises", "new": 1})
    _same(model, filled)
    enterprise_definitions = sum(1 for d in DEFINITIONS.values() if d.entity.value == "enterprises")
    assert model.tally.full_counts == full + enterprise_definitions, "only the definitions reading enterprises"


def test_the_read_model_shows_an_import_through_the_tally(filled: Database) -> None:
    model = ReadModel(filled, poll=0, today=lambda: TODAY)
    root = PLAN.geography.id
    first = dict(model.status(LOADED).table.points("high_tech_enterprises", root))
    code = "91500000VIEW0001X"
    RegistryRepository(filled).apply_many(
        [("enterprises", [Enterprise(credit_code=code, name_en="Seen", founded_on=date(2020, 1, 1), unit=LEAF)], None),
         ("certifications", [Certification(credit_code=code, kind="high_tech", valid_from=date(2020, 1, 1))], None)],
        actor="importer")
    second = dict(model.status(LOADED).table.points("high_tech_enterprises", root))
    assert second[2023] == first[2023] + 1


def test_import_events_name_old_and_new_units(filled: Database) -> None:
    repo = RegistryRepository(filled)
    e = Enterprise(credit_code="91500000UNITS001X", name_en="Mover", founded_on=date(2020, 1, 1), unit=LEAF)
    repo.apply("enterprises", [e], actor="importer")
    repo.apply("enterprises", [replace(e, unit=OTHER)], actor="importer")
    repo.apply("certifications", [Certification(credit_code=e.credit_code, kind="gazelle", valid_from=date(2021, 1, 1))],
               actor="importer")
    repo.apply("enterprises", [replace(e, unit=OTHER)], actor="importer")  # unchanged: no unit
    events = AuditRepository(filled).list(action="registry.import", limit=4)
    units = [change_of(ev.id, ev.entity, ev.after).units for ev in sorted(events, key=lambda ev: ev.id)]
    assert units == [frozenset({LEAF}), frozenset({LEAF, OTHER}), frozenset({OTHER}), frozenset()]


def test_roll_up_sums_each_subtree() -> None:
    pairs = [("a", "a"), ("b", "b"), ("b", "a"), ("c", "c"), ("c", "b"), ("c", "a")]
    own = {("a", 2020): 1, ("b", 2020): 2, ("c", 2020): 4}
    assert roll_up(own, pairs, [2020]) == {("a", 2020): 7, ("b", 2020): 6, ("c", 2020): 4}


def test_a_registry_becomes_kept_with_its_first_import(database: Database) -> None:
    rows = sample_rows(UNITS, seed=3, size=30)
    del rows["talent"]
    write_sql(_url(database), rows)
    model = ReadModel(database, poll=0)
    first = _kept(model)
    assert any(DEFINITIONS[i].entity.value == "talent" for i in first.missing)
    RegistryRepository(database).apply("talent", [Talent(person_id="PFIRST", tier="top", introduced_on=date(2021, 4, 1),
                                                         unit=LEAF)], actor="importer")
    _same(model, database)
    assert not any(DEFINITIONS[i].entity.value == "talent" for i in _kept(model).missing)


def test_an_import_re_judges_only_the_indicators_whose_counts_moved_and_agrees_with_a_full_computation(
        filled: Database) -> None:
    model = ReadModel(filled, poll=0, today=lambda: TODAY)
    first = model.status(LOADED)
    judged = model.stats()["rejudged"]
    code = "91500000PART0001X"
    RegistryRepository(filled).apply_many(
        [("enterprises", [Enterprise(credit_code=code, name_en="Part", founded_on=date(2020, 1, 1), unit=LEAF)], None),
         ("certifications", [Certification(credit_code=code, kind="high_tech", valid_from=date(2020, 1, 1))], None)],
        actor="importer")
    second = model.status(LOADED)
    moved = changed_indicators(first.table, second.table)
    assert moved == {"high_tech_enterprises"}, "only the count that moved"
    targets_of = lambda ids: sum(1 for ind, _ in PLAN.targets() if ind.id in ids)  # noqa: E731
    assert model.stats()["rejudged"] - judged == targets_of(moved) < len(PLAN.targets())
    unmoved = [r for r in second.rows if r.indicator.id not in moved]
    assert unmoved and all(any(r is p for p in first.rows) for r in unmoved), "the other rows are kept as they were"
    full = ReadModel(filled, poll=0, today=lambda: TODAY).status(LOADED)
    assert _verdicts(second) == _verdicts(full) and second.table.values == full.table.values
    assert second.values.reconciliation == full.values.reconciliation and second.values.notes == full.values.notes

    # an import no count of the plan sees (an enterprise without certificates): nothing judged again
    RegistryRepository(filled).apply("enterprises", [Enterprise(credit_code="91500000PART0002X", name_en="Bare",
                                                                 founded_on=date(2020, 1, 1), unit=LEAF)],
                                     actor="importer")
    judged = model.stats()["rejudged"]
    third = model.status(LOADED)
    assert third.version > second.version and model.stats()["rejudged"] == judged
    assert _verdicts(third) == _verdicts(second) and len(third.rows) == len(PLAN.targets())


def _verdicts(view) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(r.indicator.id, r.target.comparator.value, repr(r.assessment)) for r in view.rows]


def test_a_restarted_model_takes_the_kept_tally_back_unless_a_registry_was_written_meanwhile(filled: Database,
                                                                                             tmp_path) -> None:  # noqa: ANN001
    cache = tmp_path / "cache"
    first = ReadModel(filled, cache, poll=0, today=lambda: TODAY)
    before = first.status(LOADED)
    assert first.tally.full_counts > 0 and first.tally.file is not None and first.tally.file.exists()

    restarted = ReadModel(filled, cache, poll=0, today=lambda: TODAY)  # a new process, the same data folder
    again = restarted.status(LOADED)
    assert restarted.tally.full_counts == 0 and restarted.tally.partial_counts == 0, "nothing counted at start"
    assert _verdicts(again) == _verdicts(before) and again.table.values == before.table.values
    _same(restarted, filled)

    # an import while no server ran: the kept tally is stale, so the next start counts whole
    code = "91500000DOWN0001X"
    RegistryRepository(filled).apply_many(
        [("enterprises", [Enterprise(credit_code=code, name_en="Down", founded_on=date(2020, 1, 1), unit=LEAF)], None),
         ("certifications", [Certification(credit_code=code, kind="high_tech", valid_from=date(2020, 1, 1))], None)],
        actor="importer")
    third = ReadModel(filled, cache, poll=0, today=lambda: TODAY)
    seen = dict(third.status(LOADED).table.points("high_tech_enterprises", PLAN.geography.id))
    assert third.tally.full_counts > 0
    assert seen[2023] == dict(before.table.points("high_tech_enterprises", PLAN.geography.id))[2023] + 1
    _same(third, filled)

    # a write of other data (an observation) while down leaves the kept tally good
    from scicity.domain.observation import Observation
    from scicity.store import ObservationRepository

    ObservationRepository(filled).apply([Observation("grp", PLAN.geography.id, 2023, 1.0)], actor="cli")
    fourth = ReadModel(filled, cache, poll=0, today=lambda: TODAY)
    fourth.status(LOADED)
    assert fourth.tally.full_counts == 0
    _same(fourth, filled)
