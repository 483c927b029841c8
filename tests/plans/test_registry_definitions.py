"""Registry definitions in plan files: the model, and every problem with file:line."""

from scicity.domain.registry_definition import CountKind, RegistryDefinition, RegistryEntity
from scicity.ingest.plan_file import load_plan_file, parse_plan_text
from scicity.plans import default_plan_path
from tests.plans.conftest import issues_of

PLAN = """\
id: p
name: {en: P}
period: [2021, 2025]
baseline_year: 2020
target_year: 2025
areas:
  - {id: a, name: {en: A}}
series:
  - {id: patents, name: {en: Patents}, measure: patents, registry: {entity: patents, where: {type: invention}}}
  - {id: population, name: {en: Population}, measure: persons}
indicators:
  - id: labs
    area: a
    name: {en: Labs}
    measure: labs
    registry:
      entity: institutions
      count: valid
      where: {type: key_lab, level: [municipal, national]}
  - id: per_10k
    area: a
    name: {en: Patents per 10k}
    measure: patents per 10,000 people
    formula: patents / population * 10000
geography: {id: root, name: {en: Root}, children: [{id: east, name: {en: East}}]}
"""


def test_a_plan_with_registry_definitions_loads():
    plan = parse_plan_text(PLAN)
    labs = plan.indicator("labs").registry
    assert labs.entity is RegistryEntity.INSTITUTIONS and labs.count is CountKind.VALID
    assert labs.conditions() == (("level", ("municipal", "national")), ("type", ("key_lab",)))
    assert set(plan.registry_definitions()) == {"patents", "labs"}
    assert plan.series_by_id()["patents"].registry.describe() == "patents valid at year end where type = invention"


def test_definitions_describe_themselves():
    d = RegistryDefinition.model_validate({"entity": "enterprises", "certification": ["unicorn", "potential_unicorn"]})
    assert d.describe() == "enterprises with a unicorn or potential_unicorn certificate valid at year end"
    t = RegistryDefinition.model_validate({"entity": "talent", "count": "introduced", "where": {"tier": "top"}})
    assert t.describe() == "talent introduced in the year where tier = top"


def test_every_registry_problem_with_its_line():
    text = PLAN.replace("where: {type: key_lab, level: [municipal, national]}", "where: {type: key_lab, level: [municipal, galactic], colour: red}")
    text = text.replace("registry: {entity: patents, where: {type: invention}}", "registry: {entity: patents, certification: high_tech}")
    found = issues_of(text)
    messages = " | ".join(m for _, m in found)
    assert "unknown level 'galactic' for institutions" in messages
    assert "institutions have no field 'colour'" in messages
    assert "'certification' is only for entity enterprises, not patents" in messages
    lines = {m.split(" ")[0] + m.split(" ")[1]: line for line, m in found}
    assert lines["unknownlevel"] == 19 and lines["'certification'is"] == 9


def test_unknown_entity_and_count_kind_are_named_once():
    text = PLAN.replace("entity: institutions", "entity: labs").replace("count: valid", "count: sometimes")
    found = issues_of(text)
    assert [line for line, _ in found] == [17, 18]
    assert "'institutions', 'enterprises', 'talent', 'patents', 'contracts', 'deals'" in found[0][1] + found[1][1]
    assert "'valid' or 'introduced'" in found[0][1] + found[1][1]


def test_unit_filters_point_at_the_roll_up_and_values_must_fit_the_field():
    text = PLAN.replace("where: {type: key_lab, level: [municipal, national]}", "where: {unit: east, host: true}")
    messages = " | ".join(m for _, m in issues_of(text))
    assert "do not filter on unit" in messages and "host takes text values" in messages


def test_formula_and_registry_are_exclusive():
    text = PLAN.replace("    formula: patents / population * 10000\n", "    formula: patents / population * 10000\n    registry: {entity: patents}\n")
    assert any("formula or by a registry, not both" in m for _, m in issues_of(text))


def test_the_seed_plan_counts_its_registries():
    plan = load_plan_file(default_plan_path()).plan
    defs = plan.registry_definitions()
    assert set(defs) == {
        "major_facilities", "national_industry_platforms", "rd_institutions", "key_labs", "pilot_platforms",
        "tech_enterprises", "high_tech_enterprises", "gazelle_enterprises", "unicorn_enterprises",
        "top_talent", "outstanding_talent", "leading_talent", "young_talent", "valid_invention_patents",
        # the exchange platform's flows, monitored without targets
        "tech_contract_turnover", "tech_contracts", "deals_signed", "achievements_transferred", "talent_exchanges",
        "instrument_hours_shared",
    }
    assert "talent_total" not in defs and "grp" not in defs
    assert {s.id for s in plan.monitored()} == {k for k, d in defs.items() if d.spec.flow}
    assert defs["tech_contract_turnover"].sum == "amount" and defs["deals_signed"].conditions() == (("stage", ("signed",)),)
    assert not any(i.id in {s.id for s in plan.monitored()} for i, _ in plan.targets())  # no target invented
    assert {d.count.value for k, d in defs.items() if k.endswith("_talent")} == {"introduced"}
    assert defs["key_labs"].conditions() == (("level", ("municipal", "national")), ("type", ("key_lab",)))


def test_the_reference_plan_shows_registry_definitions():
    from pathlib import Path

    plan = load_plan_file(Path(__file__).resolve().parents[2] / "docs" / "plan-reference.yaml").plan
    defs = plan.registry_definitions()
    assert {d.count.value for d in defs.values()} == {"valid", "introduced"}
    assert any(d.certifications() for d in defs.values()) and any(d.conditions() for d in defs.values())
    assert "valid_invention_patents" in plan.indicator("invention_patents_per_10k").formula


def test_exchange_flows_are_checked_with_their_place():
    text = PLAN.replace("registry: {entity: patents, where: {type: invention}}",
                        "registry: {entity: contracts, count: valid, sum: hours, where: {seller_type: bank}}")
    assert text != PLAN
    messages = " | ".join(m for _, m in issues_of(text))
    assert "contracts are yearly flows" in messages and "no numeric field 'hours'" in messages
    assert "unknown seller_type 'bank' for contracts" in messages
