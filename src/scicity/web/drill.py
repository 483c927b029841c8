"""Drill-through on the web: the entities behind a value of a registry indicator (or a formula over one)."""

from __future__ import annotations

import math

from scicity.ingest.plan_file import LoadedPlan
from scicity.service.explain import Explanation, explain_in_store, registry_ids_behind
from scicity.web.contexts import DrillThrough, EntityTable, ReconciliationLine
from scicity.i18n import fmt_number, fmt_plain, translations
from scicity.ingest.registry_columns import COLUMN_LABELS as LABELS
from scicity.ingest.registry_export import cell_text
from scicity.ingest.registry_words import VERBATIM, describe_definition, value_words
from scicity.web.state import WebState

PAGE_SIZE = 20


def explanation(state: WebState, loaded: LoadedPlan, ident: str, period: int, unit: str | None, page: int,
                lang: str, page_size: int = PAGE_SIZE) -> Explanation:
    """:func:`scicity.service.explain.explain` on the approved data, one page of entities (cached per data version)."""
    version = state.version()
    values = state.plan_values(loaded, version)
    key = ("explain", loaded.plan.id, hash(loaded.text), ident, period, unit, page, page_size, lang, version)
    return state.memo(key, lambda: explain_in_store(
        loaded.plan, values, state.settings.database_url, ident, period, unit,
        limit=page_size, offset=(page - 1) * page_size, lang=lang))


def has_entities(loaded: LoadedPlan, ident: str) -> bool:
    return bool(registry_ids_behind(loaded.plan, ident))


def drill_through(state: WebState, loaded: LoadedPlan, ident: str, period: int, unit: str | None, page: int,
                  lang: str, decimals: int = 2, plan_param: str | None = None) -> DrillThrough:
    e = explanation(state, loaded, ident, period, unit, page, lang)
    gettext = translations(lang).gettext
    names = {u.id: u.name.get(lang) for u in loaded.plan.geography.walk()}
    parts = []
    pages = 1
    for p in e.parts:
        m = p.members
        columns = list(m.columns) if m else []
        certified = bool(m and any(r.certifications for r in m.rows))
        entity = p.definition.entity.value
        if lang == "zh":
            columns = [c for c in columns if c != "name_en"]
        rows = []
        for r in (m.rows if m else ()):
            cells = [_cell(entity, c, r.fields.get(c), names, lang) for c in columns]
            if certified:
                cells.append(", ".join(
                    f"{value_words('certifications', 'kind', c['kind'], lang) or c['kind']} {c['valid_from']}–{c['valid_to'] or '…'}"
                    for c in r.certifications))
            rows.append(cells)
        if m:
            pages = max(pages, math.ceil(m.total / PAGE_SIZE))
        parts.append(EntityTable(
            id=p.id, described=describe_definition(p.definition, lang), value=fmt_number(p.value, 0, lang),
            total=m.total if m else None, first=(m.offset + 1) if m and m.rows else 0,
            last=m.offset + len(m.rows) if m else 0,
            columns=[gettext(LABELS.get(c, c)) for c in columns] + ([gettext("Certificates")] if certified else []),
            rows=rows, verbatim=[c in VERBATIM for c in columns] + ([False] if certified else []),
        ))
    v = e.value
    return DrillThrough(
        indicator_id=ident, plan_id=plan_param, period=e.period, unit=e.unit,
        value=fmt_number(v.value if v else None, 0 if e.how == "registry" else decimals, lang),
        measure=e.measure, how=e.how, formula=e.formula, substituted=v.substituted if v else None,
        parts=parts,
        reconciliation=[ReconciliationLine(r.id, fmt_number(r.registry, 0, lang), fmt_plain(r.reported, lang),
                                           fmt_plain(r.difference, lang), r.flagged) for r in e.reconciliation],
        page=page, pages=pages,
    )


def _cell(entity: str, field: str, value: object, unit_names: dict[str, str], lang: str) -> str:
    if value is None:
        return ""
    if field == "unit":
        return unit_names.get(str(value), str(value))
    return value_words(entity, field, value, lang) or cell_text(value)
