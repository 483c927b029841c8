"""What the public view may show of the registries: aggregate counts, and the fields an admin has opted in.

Person records (talent) and enterprise financials and valuations are never
public, whatever is stored: :func:`optable` does not offer them and
:func:`public_fields` drops them.
"""

from __future__ import annotations

from scicity.domain.registries import RegistryKind
from scicity.ingest.registry_columns import COLUMNS
from scicity.store.db import Database
from scicity.store.public_fields import PublicFields

#: never shown record by record to the public
NEVER_PUBLIC = frozenset({RegistryKind.TALENT, RegistryKind.FINANCIALS})


def optable(kind: RegistryKind) -> tuple[str, ...]:
    """The fields of a registry an admin may opt into the public view (none for talent and financials)."""
    if kind in NEVER_PUBLIC:
        return ()
    return tuple(c.field for c in COLUMNS[kind])


def public_fields(db: Database) -> dict[RegistryKind, tuple[str, ...]]:
    """Registry kind -> the fields the public view shows record by record (opted in and allowed), in column order."""
    opted = PublicFields(db).opted()
    out: dict[RegistryKind, tuple[str, ...]] = {}
    for kind in RegistryKind:
        chosen = set(opted.get(kind.value, ()))
        fields = tuple(f for f in optable(kind) if f in chosen)
        if fields:
            out[kind] = fields
    return out


class NotOptable(ValueError):
    """A field that may not be public (or does not exist)."""


def set_public_fields(db: Database, kind: RegistryKind, fields: set[str], *, actor: str) -> tuple[set[str], set[str]]:
    """Opt exactly ``fields`` of ``kind`` into the public view (audited); a field not offered is refused whole."""
    allowed = set(optable(kind))
    wrong = sorted(fields - allowed)
    if wrong:
        raise NotOptable(f"{kind.value}: {', '.join(wrong)}")
    return PublicFields(db).replace(kind.value, fields, actor=actor)
