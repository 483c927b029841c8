"""The contract: every definition kind on every backend equals the plain-Python reference."""

from __future__ import annotations

from datetime import date

import pytest

from scicity.domain.registry_definition import RegistryDefinition
from scicity.engine.registry.reference import reference_counts, reference_members

from .conftest import GEO, LIBRARY_WARNINGS

pytestmark = LIBRARY_WARNINGS

YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]


def d(**kw) -> RegistryDefinition:
    return RegistryDefinition.model_validate(kw)


DEFINITIONS = {
    "major_facilities": d(entity="institutions", where={"type": "major_facility"}),
    "key_labs_municipal_up": d(entity="institutions", count="valid", where={"type": "key_lab", "level": ["municipal", "national"]}),
    "national_platforms": d(entity="institutions", where={"type": "national_industry_platform", "level": "national"}),
    "institutions_recognised": d(entity="institutions", count="introduced"),
    "tech_sme": d(entity="enterprises", certification="tech_sme"),
    "high_tech": d(entity="enterprises", count="valid", certification="high_tech"),
    "unicorns": d(entity="enterprises", certification=["unicorn", "potential_unicorn"]),
    "high_tech_sei": d(entity="enterprises", certification="high_tech", where={"strategic_emerging": True}),
    "high_tech_certified_in_year": d(entity="enterprises", count="introduced", certification="high_tech"),
    "enterprises_founded": d(entity="enterprises", count="introduced", where={"industry": ["ai", "chips"]}),
    "enterprises_existing": d(entity="enterprises", count="valid"),
    "top_talent": d(entity="talent", count="introduced", where={"tier": "top"}),
    "talent_present": d(entity="talent", count="valid"),
    "young_talent_programme_a": d(entity="talent", count="introduced", where={"tier": "young", "programme": "A"}),
    "valid_invention_patents": d(entity="patents", count="valid", where={"type": "invention"}),
    "patents_granted": d(entity="patents", count="introduced", where={"type": ["utility_model", "design"]}),
}


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_counts_equal_the_reference(engine, rows, name):
    definition = DEFINITIONS[name]
    got = engine.counts(definition, YEARS, GEO)
    want = reference_counts(rows, definition, YEARS, GEO)
    assert got == want
    assert any(want.values()), "the sample should give something to count"


@pytest.mark.parametrize("name", ["key_labs_municipal_up", "high_tech", "unicorns", "top_talent", "valid_invention_patents"])
@pytest.mark.parametrize("unit", ["city", "axis", "west"])
def test_members_equal_the_reference(engine, rows, name, unit):
    definition = DEFINITIONS[name]
    for year in (2020, 2022):
        members = engine.members(definition, year, unit, GEO, limit=10_000)
        want = reference_members(rows, definition, year, unit, GEO)
        assert [m.key for m in members.rows] == want
        assert members.total == len(want) == engine.counts(definition, [year], GEO)[(unit, year)]


def test_members_are_paged_with_a_total(engine):
    definition = DEFINITIONS["valid_invention_patents"]
    everything = engine.members(definition, 2024, "city", GEO, limit=10_000)
    page = engine.members(definition, 2024, "city", GEO, limit=3, offset=2)
    assert page.total == everything.total > 5
    assert [m.key for m in page.rows] == [m.key for m in everything.rows[2:5]]
    assert page.rows[0].fields["number"] == page.rows[0].key and "granted_on" in page.rows[0].fields


def test_certified_members_carry_their_certificates(engine, rows):
    definition = DEFINITIONS["high_tech"]
    first = rows["enterprises"][0]["credit_code"]  # two overlapping high-tech certificates
    members = engine.members(definition, 2022, "city", GEO, limit=10_000)
    (member,) = [m for m in members.rows if m.key == first]
    assert [c["kind"] for c in member.certifications].count("high_tech") >= 2
    assert member.fields["name_zh"].startswith("企业")


def test_registry_presence(engine):
    assert engine.keeps(DEFINITIONS["high_tech"])
    assert engine.rows_in("talent") == 160


def test_definitions_on_one_registry_share_a_scan_and_agree(engine, rows):
    got = engine.counts_many(DEFINITIONS, YEARS, GEO)
    for name, definition in DEFINITIONS.items():
        assert got[name] == reference_counts(rows, definition, YEARS, GEO), name


def test_the_reference_shares_no_roll_up_code_with_the_engine():
    """A roll-up bug in the engine must not be in the oracle as well: the reference walks the tree itself."""
    import ast
    import inspect

    import scicity.engine.registry.reference as reference

    imported = {
        (node.module, alias.name)
        for node in ast.walk(ast.parse(inspect.getsource(reference)))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scicity.engine")
        for alias in node.names
    }
    assert imported <= {("scicity.engine.registry.layout", "TABLES"), ("scicity.engine.registry.layout", "CERTIFICATIONS")}


def test_the_reference_rolls_up_to_every_ancestor(rows):
    """One patent at the sub-sub-unit 'point' counts at point, axis and city, nowhere else."""
    patent = {"number": "P-1", "type": "invention", "holder": None, "unit": "point", "granted_on": date(2020, 3, 1),
              "lapsed_on": None}
    got = reference_counts({"patents": [patent]}, DEFINITIONS["valid_invention_patents"], [2020], GEO)
    assert got == {("city", 2020): 1, ("axis", 2020): 1, ("point", 2020): 1, ("east", 2020): 0, ("west", 2020): 0}
    assert reference_members({"patents": [patent]}, DEFINITIONS["valid_invention_patents"], 2020, "axis", GEO) == ["P-1"]
