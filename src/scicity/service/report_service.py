"""Reports from the store: the live model, report drafts frozen and rendered.

A draft that is frozen or published renders from its stored report model (the
numbers of the day it was frozen) with its current sections; a draft renders
from the live data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scicity.domain.plan import Plan
from scicity.service.registry_cache import store_values
from scicity.service.report_inputs import store_context
from scicity.service.report_model import build_report_model, report_year
from scicity.store.db import Database
from scicity.store.report_drafts import ReportDraft, ReportDraftRepository

LANGS = ("zh", "en")


def live_model(
    db: Database,
    plan: Plan,
    cache_dir: Path | None,
    *,
    kind: str,
    as_of: int | None,
    lang: str,
    unit: str | None = None,
    method: str | None = None,
    sections: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The report model on the approved data in the store now."""
    values = store_values(plan, db, cache_dir)
    years = [p for ind in plan.indicators for u in plan.geo_units() for p, _ in values.table.points(ind.id, u)]
    year = report_year(plan, kind, as_of, max(years)) if years else as_of
    context = store_context(db, plan, year, lang, sections=list(sections)) if year is not None else None
    kwargs: dict[str, Any] = {"context": context} if context is not None else {}
    origin = "database (approved values)" + (f" + registries ({values.engine})" if values.from_registry else "")
    return build_report_model(plan, values, kind=kind, as_of=year, lang=lang, unit=unit, method=method, origin=origin, **kwargs)


def freeze_draft(db: Database, plan: Plan, cache_dir: Path | None, draft_id: int, *, actor: str) -> ReportDraft:
    """Build the model in both languages now and store it with the data version."""
    repo = ReportDraftRepository(db)
    draft = repo.get(draft_id)
    models = {lang: live_model(db, plan, cache_dir, kind=draft.kind, as_of=draft.as_of, lang=lang, unit=draft.unit) for lang in LANGS}
    return repo.freeze(draft_id, models, models["zh"]["data_version"], actor=actor)


def draft_model(db: Database, plan: Plan, cache_dir: Path | None, draft: ReportDraft, lang: str) -> dict[str, Any]:
    """The model a draft renders: frozen numbers once frozen, live numbers before; its sections in ``lang``."""
    if draft.frozen_models and lang in draft.frozen_models:
        model = dict(draft.frozen_models[lang])
    else:
        model = live_model(db, plan, cache_dir, kind=draft.kind, as_of=draft.as_of, lang=lang, unit=draft.unit)
    model["sections"] = draft.sections_in(lang)
    model["draft"] = {"id": draft.id, "title": draft.title, "version": draft.version, "state": draft.state,
                      "revision": draft.revision, "data_version": draft.data_version}
    return model
