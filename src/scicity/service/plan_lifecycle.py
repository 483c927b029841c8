"""The next plan's life: a stored draft, its targets edited and judged, consultation, adoption.

A draft is kept as the drafted YAML text plus the current target values (each
with its revision, see :mod:`scicity.store.plan_drafts`); the plan file at any
moment is the text with the current values written in. Adopting validates
that file, stores it as a plan and makes it the default; the last plan stays
stored and viewable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML

from scicity.domain.plan import Plan
from scicity.engine.indicator_values import ValueTable
from scicity.ingest.plan_file import parse_plan_text
from scicity.service.next_plan import Mark, compare_plans
from scicity.service.plan_checks import Check, check_targets
from scicity.service.proposals import History, Odds, evaluate, history_of
from scicity.service.status import StatusRow
from scicity.store.db import Database
from scicity.store.plan_drafts import PlanDraftRepository, StoredDraft
from scicity.store.plans import PlanRepository


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def render_text(draft: StoredDraft) -> str:
    """The draft's plan file with its current target values."""
    yaml = _yaml()
    doc = yaml.load(draft.yaml_text)
    for ind in doc.get("indicators", []):
        current = draft.targets.get(ind["id"])
        if current is not None and ind.get("targets"):
            value = current.value
            ind["targets"][0]["value"] = int(value) if float(value).is_integer() else value
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


def draft_plan(draft: StoredDraft) -> Plan:
    return parse_plan_text(render_text(draft), f"<draft {draft.id}>")


def start_draft(db: Database, text: str, base_plan_id: str, *, actor: str) -> StoredDraft:
    """Store a drafted plan file as a draft (it must be a valid plan file)."""
    plan = parse_plan_text(text, "<draft>")
    targets = {i.id: i.targets[0].value for i in plan.indicators if i.targets}
    return PlanDraftRepository(db).create(plan.id, base_plan_id, plan.name.en, text, targets, actor=actor)


def adopt(db: Database, draft_id: str, *, actor: str) -> StoredDraft:
    """Adopt a draft in consultation: store it as a plan, make it the default, and mark the draft adopted."""
    repo = PlanDraftRepository(db)
    draft = repo.get(draft_id)
    if draft.state != "consultation":
        from scicity.store.errors import InvalidTransition

        raise InvalidTransition(
            f"draft {draft_id!r} is in {draft.state!r}: put it to consultation first ('consultation' → 'adopted')"
        )
    text = render_text(draft)
    plan = parse_plan_text(text, f"<draft {draft_id}>")
    PlanRepository(db).save(plan.id, plan.name.en, text, actor=actor, make_default=True)
    return repo.set_state(draft_id, "adopted", actor=actor)


@dataclass(frozen=True)
class TargetRow:
    """One target of a draft as the workspace shows it."""

    history: History | None
    indicator_id: str
    value: float
    revision: int
    updated_by: str
    odds: Odds | None
    comments: int


@dataclass(frozen=True)
class Workspace:
    draft: StoredDraft
    plan: Plan
    rows: list[TargetRow]
    checks: list[Check]
    marks: dict[str, Mark] = field(default_factory=dict)  # carried / changed / new against the last plan


def workspace(db: Database, draft_id: str, last: Plan, table: ValueTable, *, overrides: dict[str, float] | None = None) -> Workspace:
    """The draft's targets with their odds and effort against the last plan's history, and the checks.

    ``overrides`` are values being tried (not stored): the workspace shows their odds at once.
    """
    repo = PlanDraftRepository(db)
    draft = repo.get(draft_id)
    plan = draft_plan(draft)
    counts = repo.comment_counts(draft_id)
    values = {k: t.value for k, t in draft.targets.items()} | dict(overrides or {})
    rows: list[TargetRow] = []
    for ind in plan.indicators:
        current = draft.targets.get(ind.id)
        if current is None:
            continue
        history = None
        if any(i.id == ind.id for i in last.indicators):
            history = history_of(last, table, last.indicator(ind.id), plan.baseline_year, plan.target_year)
        value = values[ind.id]
        odds = evaluate(history, value) if history is not None else None
        rows.append(TargetRow(history, ind.id, value, current.revision, current.updated_by, odds, counts.get(ind.id, 0)))
    checks = check_targets(plan, values, last, table, plan.baseline_year)
    return Workspace(draft, plan, rows, checks, {m.indicator: m for m in compare_plans(last, plan)})


@dataclass(frozen=True)
class Continuing:
    """An indicator in both plans: each plan's target and verdict."""

    indicator_id: str
    last: StatusRow
    new: StatusRow


def continuing(last_rows: list[StatusRow], new_rows: list[StatusRow]) -> list[Continuing]:
    """The indicators that continue from the last plan to the new one, both plans' rows side by side."""
    old = {r.indicator.id: r for r in last_rows}
    return [Continuing(r.indicator.id, old[r.indicator.id], r) for r in new_rows if r.indicator.id in old]
