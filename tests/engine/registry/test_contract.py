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
    # the exchange platform's records: yearly flows, counted or summed
    "contracts_registered": d(entity="contracts"),
    "contract_turnover": d(entity="contracts", sum="amount"),
    "transfer_turnover_with_ip": d(entity="contracts", sum="amount", where={"type": ["transfer", "development"], "ip": True}),
    "university_turnover_ai": d(entity="contracts", sum="amount", where={"seller_type": "university", "field": "ai"}),
    "deals_signed": d(entity="deals", where={"stage": "signed"}),
    "deals_moving": d(entity="deals", where={"stage": ["contacted", "negotiating"]}),
    "achievements_transferred": d(entity="achievements_transferred"),
    "achievements_licensed": d(entity="achievements_transferred", where={"type": "transfer"}),
    "talent_to_enterprise": d(entity="talent_exchanges", where={"direction": "to_enterprise"}),
    "talent_hours": d(entity="talent_exchanges", sum="hours"),
    "instrument_hours": d(entity="instrument_bookings", sum="hours", where={"kind": "instrument"}),
    "bookings": d(entity="instrument_bookings"),
}
SUMS = {name for name, definition in DEFINITIONS.items() if definition.sum is not None}


def same(got: dict, want: dict, name: str) -> bool:
    """Counts exactly; sums of floats to the cent (backends add in their own order)."""
    if name in SUMS:
        return got.keys() == want.keys() and all(got[k] == pytest.approx(want[k], abs=1e-6) for k in want)
    return got == want


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_counts_equal_the_reference(engine, rows, name):
    definition = DEFINITIONS[name]
    got = engine.counts(definition, YEARS, GEO)
    want = reference_counts(rows, definition, YEARS, GEO)
    assert same(got, want, name), {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert any(want.values()), "the sample should give something to count"


@pytest.mark.parametrize("name", ["key_labs_municipal_up", "high_tech", "unicorns", "top_talent", "valid_invention_patents",
                                  "contracts_registered", "deals_signed", "achievements_transferred", "talent_to_enterprise"])
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
        assert same(got[name], reference_counts(rows, definition, YEARS, GEO), name), name


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


def test_exchange_flows_edge_cases_in_the_reference(rows):
    """A record without a unit counts at the root only; a deal with several moves in a year counts once; an achievement
    transferred by two deals counts once; hours left empty add nothing."""
    geo_units = [u.id for u in GEO.walk()]
    contract = {"code": "C-1", "type": "transfer", "amount": 100.0, "seller": "U", "seller_type": "university", "buyer": "E",
                "field": "ai", "ip": True, "government_funded": False, "signed_on": date(2022, 3, 1),
                "registered_on": date(2022, 3, 9), "year": 2022, "unit": "point", "deal": "D-1"}
    data = {
        "exchange_contracts": [contract, {**contract, "code": "C-2", "unit": None, "deal": "D-2"},
                               {**contract, "code": "C-3", "amount": 50.5, "deal": "D-2"}],
        "exchange_deals": [{"code": "D-1", "need": None, "achievement": "A-1"}, {"code": "D-2", "need": None, "achievement": "A-1"}],
    }
    turnover = reference_counts(data, DEFINITIONS["contract_turnover"], [2022], GEO)
    assert turnover[("point", 2022)] == 150.5 and turnover[("city", 2022)] == 250.5 and turnover[("east", 2022)] == 0.0
    assert reference_counts(data, DEFINITIONS["contracts_registered"], [2022], GEO)[("city", 2022)] == 3
    assert reference_counts(data, DEFINITIONS["achievements_transferred"], [2022], GEO)[("axis", 2022)] == 1
    assert set(reference_counts(data, DEFINITIONS["contracts_registered"], [2022], GEO)) == {(u, 2022) for u in geo_units}


def test_flow_definitions_are_checked():
    from scicity.domain.registry_definition import filter_problems

    assert d(entity="contracts").count.value == "introduced"
    problems = dict(filter_problems("patents", None, {}, "amount", None))
    assert "counted, not summed" in problems[("sum",)]
    problems = dict(filter_problems("contracts", None, {"seller_type": "bank"}, "hours", "valid"))
    assert "no numeric field 'hours'" in problems[("sum",)] and "yearly flows" in problems[("count",)]
    assert "unknown seller_type 'bank'" in problems[("where", "seller_type")]
