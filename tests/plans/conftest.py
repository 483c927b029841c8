"""Shared helpers for the plan-file tests."""

import pytest

from scicity.ingest.plan_file import PlanInvalid, parse_plan_text


def issues_of(text: str) -> list[tuple[int | None, str]]:
    """The (line, message) of every problem a plan text has; fails the test if it has none."""
    with pytest.raises(PlanInvalid) as info:
        parse_plan_text(text, "plan.yaml")
    return [(i.line, i.message) for i in info.value.issues]
