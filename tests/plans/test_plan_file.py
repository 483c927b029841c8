"""Plan files: every problem at once, with file:line."""

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from scicity.domain.plan import Plan
from scicity.ingest.plan_file import PlanInvalid, load_plan_file, parse_plan_text
from scicity.plans import default_plan_path
from tests.plans.conftest import issues_of

DOCS = Path(__file__).resolve().parents[2] / "docs"

GOOD = """\
id: p
name: {en: P}
period: [2021, 2025]
baseline_year: 2020
target_year: 2025
areas:
  - {id: a, name: {en: A}}
series:
  - {id: x, name: {en: X}, measure: CNY}
  - {id: y, name: {en: Y}, measure: CNY}
  - {id: n, name: {en: N}, measure: persons}
indicators:
  - id: r
    area: a
    name: {en: R}
    measure: "%"
    formula: x / y * 100
    targets:
      - {comparator: ">", value: 5}
geography: {id: root, name: {en: Root}, children: [{id: east, name: {en: East}}]}
"""


def test_good_plan_loads():
    plan = parse_plan_text(GOOD)
    assert plan.indicator("r").formula == "x / y * 100"


def test_every_problem_is_reported_at_once_with_lines():
    text = GOOD.replace("target_year: 2025", "target_year: 2025\ncolour: red")
    text = text.replace("area: a\n", "area: b\n").replace("x / y * 100", "x / zz * 100")
    text = text.replace('{comparator: ">", value: 5}', '{comparator: "=>", value: 5, unit: nowhere}')
    found = issues_of(text)
    messages = " | ".join(m for _, m in found)
    assert "unknown key 'colour'" in messages
    assert "unknown area 'b'" in messages
    assert "unknown series or indicator 'zz'" in messages
    assert "comparator '=>' is not one of" in messages
    assert "unknown geography unit 'nowhere'" in messages
    lines = dict((m.split(" ")[0] + m.split(" ")[1], line) for line, m in found)
    assert lines["unknownkey"] == 6
    assert all(line is not None for line, _ in found)


def test_tab_indentation_names_the_line():
    text = GOOD.replace("  - {id: a, name: {en: A}}", "\t- {id: a, name: {en: A}}")
    assert issues_of(text) == [(7, "a tab is used for indentation; YAML needs spaces")]


def test_duplicate_key_names_both_lines():
    text = GOOD.replace("baseline_year: 2020", "baseline_year: 2020\nbaseline_year: 2019")
    ((line, message),) = issues_of(text)
    assert line == 5 and "duplicate key 'baseline_year'" in message and "line 4" in message


def test_duplicate_ids_and_shared_namespace():
    text = GOOD.replace("  - {id: n, name: {en: N}, measure: persons}", "  - {id: x, name: {en: X2}, measure: CNY}")
    text = text.replace("  - id: r\n", "  - id: y\n")
    messages = [m for _, m in issues_of(text)]
    assert any("duplicate id 'x'" in m for m in messages)
    assert any("used by a series too" in m for m in messages)


def test_formula_cycle():
    text = GOOD.replace("formula: x / y * 100", "formula: s / y * 100").replace(
        "geography:",
        "  - {id: s, area: a, name: {en: S}, measure: CNY, formula: r * y}\ngeography:",
    )
    messages = [m for _, m in issues_of(text)]
    assert any(m.startswith("formula cycle: ") for m in messages)


def test_unit_mismatch():
    text = GOOD.replace("x / y * 100", "x / n * 100")
    messages = [m for _, m in issues_of(text)]
    assert any("unit mismatch" in m for m in messages)
    text = GOOD.replace("x / y * 100", "x + n")
    assert any("cannot be added" in m for _, m in issues_of(text))


def test_bad_formula_syntax_and_code_injection():
    text = GOOD.replace("x / y * 100", "__import__('os').system('rm -rf /')")
    assert any("only numbers, ids" in m for _, m in issues_of(text))


def test_between_needs_high_and_years_in_order():
    text = GOOD.replace('{comparator: ">", value: 5}', "{comparator: between, value: 5}")
    assert any("needs 'high'" in m for _, m in issues_of(text))
    text = GOOD.replace('{comparator: ">", value: 5}', '{comparator: ">", value: 5, year: 2019}')
    assert any("not after the baseline year" in m for _, m in issues_of(text))


def test_empty_and_not_a_mapping():
    assert issues_of("") == [(None, "the plan file is empty")]
    assert issues_of("- a\n- b\n")[0][1].startswith("a plan file must be a mapping")


def test_missing_file(tmp_path):
    with pytest.raises(PlanInvalid, match="file not found"):
        load_plan_file(tmp_path / "nope.yaml")


def test_non_utf8_file(tmp_path):
    f = tmp_path / "gbk.yaml"
    f.write_bytes("id: 规划\n".encode("gbk"))
    with pytest.raises(PlanInvalid, match="not UTF-8"):
        load_plan_file(f)


def test_reference_example_loads_and_uses_every_feature():
    plan = load_plan_file(DOCS / "plan-reference.yaml").plan
    kinds = {t.kind.value for _, t in plan.targets()}
    comparators = {t.comparator.value for _, t in plan.targets()}
    assert kinds == {"level", "increment", "cumulative", "average_growth", "points_change", "reduction", "not_below_baseline"}
    assert {">", ">=", "<=", "between"} <= comparators
    assert any(t.milestones for _, t in plan.targets())


def test_published_json_schema_is_current_and_accepts_the_plans():
    published = json.loads((DOCS / "plan.schema.json").read_text(encoding="utf-8"))
    assert published == Plan.model_json_schema(), "regenerate with: scicity plan schema -o docs/plan.schema.json"
    for path in (default_plan_path(), DOCS / "plan-reference.yaml"):
        jsonschema.validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")), published)
