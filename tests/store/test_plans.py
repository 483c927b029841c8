"""Plans side by side, one default; saving is audited with before/after checksums."""

from __future__ import annotations

import pytest

from scicity.store import AuditRepository, Database, NotFound, PlanRepository
from scicity.store.plans import sha256_of

YAML_V1 = "id: west\nname: {en: Western Science City}\n"
YAML_V2 = YAML_V1 + "baseline_year: 2020\n"


def test_save_get_list_default(database: Database) -> None:
    plans = PlanRepository(database)
    assert plans.default_id() is None and plans.list() == []
    first = plans.save("west", "Western Science City", YAML_V1, actor="admin")
    assert first.is_default and first.sha256 == sha256_of(YAML_V1)
    plans.save("east", "Eastern Park", "id: east\n", actor="admin")
    assert [(p.id, p.is_default) for p in plans.list()] == [("east", False), ("west", True)]
    assert plans.get_text("west") == YAML_V1
    plans.save("east", "Eastern Park", "id: east\n", actor="admin", make_default=True)
    assert plans.default_id() == "east"
    plans.set_default("west", actor="admin")
    assert plans.default_id() == "west"
    assert [p.id for p in plans.list() if p.is_default] == ["west"]


def test_replacing_is_audited_and_repeating_is_not(database: Database) -> None:
    plans = PlanRepository(database)
    plans.save("west", "Western Science City", YAML_V1, actor="admin")
    plans.save("west", "Western Science City", YAML_V1, actor="admin")  # same text: nothing to record
    plans.save("west", "Western Science City", YAML_V2, actor="editor")
    assert plans.get_text("west") == YAML_V2
    events = AuditRepository(database).list(entity="plan")
    assert [e.action for e in events] == ["plan.load", "plan.load"]
    replaced = events[0]
    assert replaced.actor == "editor" and replaced.before is not None and replaced.after is not None
    assert (replaced.before["sha256"], replaced.after["sha256"]) == (sha256_of(YAML_V1), sha256_of(YAML_V2))


def test_unknown_plan_names_the_stored_ones(database: Database) -> None:
    plans = PlanRepository(database)
    plans.save("west", "W", YAML_V1)
    with pytest.raises(NotFound, match=r"no stored plan 'nope' \(stored plans: west\)"):
        plans.get_text("nope")
