"""Between registry rows and domain records: which table holds a kind, its key, its validity columns.

Record fields and table columns carry the same names, so a record becomes a
row by its field values (enums as their text) and back by its constructor.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_

from scicity.domain.registries import RECORD_TYPES, Record, RegistryKind
from scicity.store.errors import InvalidInput
from scicity.store.registry_tables import (
    CertificationRow,
    EnterpriseRow,
    FinancialsRow,
    InstitutionRow,
    PatentRow,
    TalentRow,
)

Key = tuple[Any, ...]
TABLES: dict[RegistryKind, Table] = {
    RegistryKind.INSTITUTIONS: InstitutionRow.__table__,  # type: ignore[dict-item]
    RegistryKind.ENTERPRISES: EnterpriseRow.__table__,  # type: ignore[dict-item]
    RegistryKind.CERTIFICATIONS: CertificationRow.__table__,  # type: ignore[dict-item]
    RegistryKind.FINANCIALS: FinancialsRow.__table__,  # type: ignore[dict-item]
    RegistryKind.TALENT: TalentRow.__table__,  # type: ignore[dict-item]
    RegistryKind.PATENTS: PatentRow.__table__,  # type: ignore[dict-item]
}
#: (start column, end column, end inclusive?) of kinds that are valid over time
VALIDITY: dict[RegistryKind, tuple[str, str, bool]] = {
    RegistryKind.INSTITUTIONS: ("recognised_on", "closed_on", False),
    RegistryKind.CERTIFICATIONS: ("valid_from", "valid_to", True),
    RegistryKind.TALENT: ("introduced_on", "departed_on", False),
    RegistryKind.PATENTS: ("granted_on", "lapsed_on", False),
}


@dataclass(frozen=True)
class KindSpec:
    """A registry as the store sees it: table, record class, key fields, all fields."""

    kind: RegistryKind
    table: Table
    record: type[Record]
    key: tuple[str, ...]
    fields: tuple[str, ...]

    @property
    def has_unit(self) -> bool:
        return "unit" in self.fields

    def key_of(self, record: Record) -> Key:
        return tuple(plain(getattr(record, name)) for name in self.key)

    def to_row(self, record: Record) -> dict[str, Any]:
        return {name: plain(getattr(record, name)) for name in self.fields}

    def from_row(self, row: Any) -> Record:
        return self.record(**dict(zip(self.fields, row)))  # type: ignore[arg-type]  # rows select ``fields`` in order

    def valid_at(self, at: date) -> ColumnElement[bool]:
        if self.kind not in VALIDITY:
            raise InvalidInput(f"{self.kind.value} have no validity dates; list certifications valid at a date instead")
        start, end, inclusive = VALIDITY[self.kind]
        c = self.table.c
        still = c[end] >= at if inclusive else c[end] > at
        return and_(c[start] <= at, or_(c[end].is_(None), still))


def spec(kind: RegistryKind | str) -> KindSpec:
    kind = RegistryKind(kind)
    record = RECORD_TYPES[kind]
    return KindSpec(kind, TABLES[kind], record, record.KEY, record.field_names())


def plain(value: Any) -> Any:
    """Enum members as their text (drivers must not see Enum objects)."""
    return value.value if isinstance(value, Enum) else value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float | int) and not isinstance(b, bool):
        return math.isclose(a, float(b), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(b, float) and isinstance(a, int) and not isinstance(a, bool):
        return math.isclose(float(a), b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(plain(a) == plain(b))


def differences(stored: Any, incoming: Record, fields: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Fields whose incoming value differs from the stored row: name -> (old, new)."""
    out: dict[str, tuple[Any, Any]] = {}
    for name in fields:
        old, new = getattr(stored, name), plain(getattr(incoming, name))
        if not same(old, new):
            out[name] = (old, new)
    return out


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return plain(value)


def key_text(key: Sequence[Any]) -> str:
    """A natural key as text for messages and the audit log: '91500000…/high_tech/2023-05-01'."""
    return "/".join(str(jsonable(part)) for part in key)
