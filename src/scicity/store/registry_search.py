"""Browsing a registry: filter by geography units, validity at a date and a text search; count and page.

What the web pages and the API list. Every filter reaches the database as a
bound parameter; the text search is a case-insensitive substring match
(``LIKE`` with ``%`` and ``_`` in the text escaped) on the names and codes of
the registry (:data:`SEARCHED`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from scicity.domain.registries import Record, RegistryKind
from scicity.store.db import Database
from scicity.store.registry_rows import KindSpec, spec
from scicity.store.registry_tables import EnterpriseRow

#: the columns the text search looks in, per registry
SEARCHED: dict[RegistryKind, tuple[str, ...]] = {
    RegistryKind.INSTITUTIONS: ("code", "name_en", "name_zh", "host"),
    RegistryKind.ENTERPRISES: ("credit_code", "name_zh", "name_en", "industry"),
    RegistryKind.CERTIFICATIONS: ("credit_code", "certificate_no"),
    RegistryKind.FINANCIALS: ("credit_code",),
    RegistryKind.TALENT: ("person_id", "programme"),
    RegistryKind.PATENTS: ("number", "holder"),
}


@dataclass(frozen=True)
class RegistryFilter:
    """Which records: attached to one of ``units`` (None: all), valid at ``valid_at``, matching ``text``."""

    units: Collection[str] | None = None
    valid_at: date | None = None
    text: str | None = None


@dataclass(frozen=True)
class RegistryPage:
    total: int
    records: list[Record]


def has_validity(kind: RegistryKind | str) -> bool:
    """Can this registry be filtered by validity at a date? (not enterprises and financials)"""
    return RegistryKind(kind) not in (RegistryKind.ENTERPRISES, RegistryKind.FINANCIALS)


def _where(s: KindSpec, stmt: Select[Any], f: RegistryFilter) -> Select[Any]:
    if f.units is not None:
        if s.has_unit:
            stmt = stmt.where(s.table.c.unit.in_(list(f.units)))
        else:  # certifications and financials: by their enterprise's unit
            of_units = select(EnterpriseRow.credit_code).where(EnterpriseRow.unit.in_(list(f.units)))
            stmt = stmt.where(s.table.c.credit_code.in_(of_units))
    if f.valid_at is not None:
        stmt = stmt.where(s.valid_at(f.valid_at))  # InvalidInput for registries without validity dates
    text = (f.text or "").strip().lower()
    if text:
        stmt = stmt.where(or_(*(func.lower(s.table.c[name]).contains(text, autoescape=True)
                                for name in SEARCHED[s.kind])))
    return stmt


def search(db: Database, kind: RegistryKind | str, f: RegistryFilter, *, limit: int, offset: int = 0) -> RegistryPage:
    """One page of records (ordered by natural key) and how many match in all."""
    s = spec(kind)
    counted = _where(s, select(func.count()).select_from(s.table), f)
    stmt = _where(s, select(*(s.table.c[name] for name in s.fields)), f)
    stmt = stmt.order_by(*(s.table.c[k] for k in s.key)).limit(limit).offset(offset)
    with db.session() as session:
        total = int(session.execute(counted).scalar_one())
        records = [s.from_row(row) for row in session.execute(stmt)]
    return RegistryPage(total, records)


def iter_matching(db: Database, kind: RegistryKind | str, f: RegistryFilter) -> Iterator[Record]:
    """Every matching record, ordered by natural key (for downloads)."""
    s = spec(kind)
    stmt = _where(s, select(*(s.table.c[name] for name in s.fields)), f).order_by(*(s.table.c[k] for k in s.key))
    with db.session() as session:
        for row in session.execute(stmt.execution_options(yield_per=10_000)):
            yield s.from_row(row)


def counts(db: Database) -> dict[RegistryKind, int]:
    """How many records each registry holds."""
    out: dict[RegistryKind, int] = {}
    with db.session() as session:
        for kind in RegistryKind:
            table = spec(kind).table
            out[kind] = int(session.execute(select(func.count()).select_from(table)).scalar_one())
    return out
