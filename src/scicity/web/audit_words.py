"""The audit log for people: action and record names, and before/after as a list of changed fields."""

from __future__ import annotations

import json
from collections.abc import Callable

#: action id -> English words (message ids of their translations)
ACTIONS: dict[str, str] = {
    "observation.create": "value entered",
    "observation.revise": "value corrected",
    "observation.draft": "value saved as draft",
    "observation.submit": "value submitted",
    "observation.approve": "value approved",
    "observation.return": "value returned",
    "plan.load": "plan loaded",
    "plan.set_default": "default plan set",
    "goal.status": "goal status recorded",
    "registry.import": "registry imported",
    "user.create": "user created",
    "user.update": "user updated",
    "user.set_password": "password changed",
    "user.set_lang": "language chosen",
    "department.save": "department saved",
    "api_token.create": "API token created",
    "api_token.revoke": "API token revoked",
    "public_field.opt_in": "field made public",
    "public_field.opt_out": "field no longer public",
    "exchange.import": "exchange records imported",
    "exchange.draft": "exchange record saved as draft",
    "exchange.pending": "exchange record sent for review",
    "exchange.published": "exchange record published",
    "exchange.withdrawn": "exchange record withdrawn",
    "exchange.interest": "interest in a deal expressed",
    "exchange.deal.move": "deal moved on",
    "peer.load": "peer values loaded",
    "plan_draft.create": "next-plan draft started",
    "plan_draft.edit_target": "draft target changed",
    "plan_draft.state": "draft state changed",
    "plan_draft.comment": "draft commented",
    "report.create": "report draft created",
    "report.edit": "report draft edited",
    "report.freeze": "report frozen",
    "report.publish": "report published",
    "report.reissue": "report re-issued",
}
#: record kind (the audit event's entity) -> English words
ENTITIES: dict[str, str] = {
    "observation": "value", "plan": "plan", "goal": "qualitative goal", "user": "user", "department": "department",
    "api_token": "API token", "institutions": "institutions and platforms", "enterprises": "enterprises",
    "certifications": "enterprise certifications", "financials": "enterprise financials", "talent": "talent",
    "patents": "patents", "public_field": "public registry field",
    "exchange.achievements": "achievements", "exchange.needs": "needs", "exchange.experts": "experts",
    "exchange.facilities": "shared facilities", "exchange.bookings": "facility bookings", "exchange.deals": "deals",
    "exchange.deal": "deal", "exchange.contracts": "technology contracts", "exchange.talent_exchanges": "talent exchanges",
    "peer": "peer", "plan_draft": "next-plan draft", "report_draft": "report draft",
}
#: fields of before/after documents -> English words (others are shown as they are)
FIELDS: dict[str, str] = {
    "indicator": "indicator", "unit": "geographic unit", "period": "year", "value": "value", "status": "status",
    "source": "source", "vintage": "vintage", "revision": "revision", "comment": "comment", "role": "role",
    "display_name": "name", "department_id": "department", "active": "active", "name": "name", "lang": "language",
    "username": "user name", "registry": "registry", "column": "column", "new": "new", "changed": "changed", "unchanged": "unchanged", "rows": "rows",
    "file_name": "file", "registry": "registry", "created_by": "entered by", "approved_by": "approver", "indicators": "indicators",
}
#: not shown: keys, times, record lists, and ``units`` (the units an import touched, for the read model's counts)
HIDDEN = frozenset({"id", "created_at", "approved_at", "batch_id", "changed_records", "changed_records_omitted", "units",
                    "password_hash", "sha256"})


def action_words(action: str, _: Callable[[str], str]) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


def entity_words(entity: str, _: Callable[[str], str]) -> str:
    return _(ENTITIES[entity]) if entity in ENTITIES else entity


def record_words(entity: str, entity_id: object, _: Callable[[str], str], name_of: Callable[[str], str]) -> str:
    """The record an event is about, by its name: a public field as registry and column heading, a user,
    department, indicator or unit by its name; other records by their id (a code, a number)."""
    ident = "" if entity_id is None else str(entity_id)
    if entity == "public_field" and "." in ident:
        kind, _dot, column = ident.partition(".")
        return f"{entity_words(kind, _)} · {column_words(column, _)}"
    if entity in ("user", "department", "goal", "plan", "observation"):
        return name_of(ident)
    return ident


def column_words(column: str, _: Callable[[str], str]) -> str:
    """A registry column by its heading (the field id when it has none)."""
    from scicity.ingest.registry_columns import COLUMN_LABELS

    return _(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column


def difference(before: object, after: object, _: Callable[[str], str], name_of: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(field, before, after) of each field that changed (or was set, for a new record), in words."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    out = []
    for key in [*a, *(k for k in b if k not in a)]:
        if key in HIDDEN or b.get(key) == a.get(key):
            continue
        out.append((_(FIELDS[key]) if key in FIELDS else key, _shown(b.get(key), key, _, name_of),
                    _shown(a.get(key), key, _, name_of)))
    return out


def _shown(value: object, key: str, _: Callable[[str], str], name_of: Callable[[str], str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in ("indicator", "unit", "department_id", "created_by", "approved_by"):
        return name_of(str(value))
    if key in ("status", "role"):
        return _(str(value))
    if key == "registry" and str(value) in ENTITIES:
        return _(ENTITIES[str(value)])
    if key == "column" and isinstance(value, str):
        return column_words(value, _)
    if key == "stage" and isinstance(value, str):
        return _(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)[:200]
    return str(value)
