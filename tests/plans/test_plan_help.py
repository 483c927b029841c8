"""Plan-file help: hints for unquoted '%' and ': ' in values; warnings for odd target years and duplicate targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scicity.cli import app
from scicity.ingest.plan_file import PlanInvalid, load_plan_file, parse_plan_text, parse_plan_text_with_warnings

PLAN = (Path(__file__).resolve().parents[1] / "cli" / "data" / "two_periods.yaml").read_text(encoding="utf-8")
LAST = '      - {comparator: ">", value: 5000, year: 2012}'


def with_target(lines: str) -> str:
    assert LAST in PLAN
    return PLAN.replace(LAST, lines)


@pytest.mark.parametrize("line, hint", [
    ("source_quote: Researchers reach 5,000: a record", 'contains ": "'),
    ("source_quote: %5 more researchers", "starts with % must be quoted"),
])
def test_unquoted_colon_or_percent_gets_a_hint(line, hint):
    text = with_target(f'      - comparator: ">"\n        value: 5000\n        {line}')
    with pytest.raises(PlanInvalid) as exc:
        parse_plan_text(text, "p.yaml")
    (issue,) = exc.value.issues
    assert issue.line == 28 and hint in issue.message


def test_quoted_values_are_fine():
    text = with_target('      - comparator: ">"\n        value: 5000\n        source_quote: "Target: 5.5% of GRP"')
    assert parse_plan_text(text).indicator("researchers").targets[0].source_quote == "Target: 5.5% of GRP"


def test_target_year_outside_the_period_and_duplicate_targets_are_warnings():
    text = with_target(LAST + '\n      - {comparator: ">", value: 6000, year: 2012}\n      - {comparator: ">", value: 9000, year: 2020}')
    plan, warnings = parse_plan_text_with_warnings(text, "p.yaml")
    assert len(plan.indicator("researchers").targets) == 3
    messages = [(w.line, w.message) for w in warnings]
    assert (27, "a second target for 'researchers', unit 'nation' and year 2012 (the first is target 1 of this "
                "indicator); say which counts, or give them different units or years") in messages
    assert (28, "target year 2020 lies outside the plan period 2006–2012") in messages
    assert len(warnings) == 2


def test_plan_validate_prints_warnings_and_succeeds(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(with_target(LAST + '\n      - {comparator: ">", value: 9000, year: 2020}'), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "validate", str(f)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "warning:" in result.output and "outside the plan period" in result.output
    assert load_plan_file(f).warnings


def test_the_shipped_plans_have_no_warnings():
    root = Path(__file__).resolve().parents[2]
    for path in (root / "docs" / "plan-reference.yaml", root / "src" / "scicity" / "plans" / "wcsc-14fyp-sti.yaml"):
        assert load_plan_file(path).warnings == (), path
