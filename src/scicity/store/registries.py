"""The registries in the database: preview and apply imports, look up, list and export records.

An import is all or nothing: one transaction, one import batch, one audit
event ("registry.import") holding the counts, the units whose records it
inserted or changed (``units``: the new and the old unit of each; for
certificates and financials, their enterprises' units — what a registry
count needs to re-count, see :mod:`scicity.service.registry_tally`) and,
for changed records, the fields before and after (the first
:data:`AUDITED_CHANGES` of them). New
records are inserted and changed ones updated by their natural key with
bulk statements (executemany), never row by row; records absent from the
file are left as they are. Only the fields a file carries are compared and
updated, so a file without, say, a ``host`` column leaves hosts alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from scicity.domain.registries import OF_ENTERPRISE, Record, RegistryKind
from scicity.store.audit import AuditRepository, check_actor, event_params
from scicity.store.db import Database
from scicity.store.errors import InvalidInput
from scicity.store.registry_rows import Key, KindSpec, differences, jsonable, key_text, spec
from scicity.store.registry_tables import EnterpriseRow
from scicity.store.tables import ImportBatch
from scicity.store.types import as_utc, utcnow

AUDITED_CHANGES = 1_000
KEY_CHUNK = 500
#: above this many incoming records the stored keys are read in one scan of the table
SCAN_FROM = 5_000
ACTION = "registry.import"


@dataclass(frozen=True)
class RegistryChanges:
    """What an import of one registry does (preview) or did (apply)."""

    kind: RegistryKind
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    #: natural key text -> {field: (old, new)} for the first changed records
    changes: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    batch_id: int | None = None

    def counts(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}


@dataclass
class _Plan:
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    changes: RegistryChanges
    units: set[str] = field(default_factory=set)  # units of the records inserted or changed (old and new)


class RegistryRepository:
    """Registries of institutions, enterprises, certifications, financials, talent and patents."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    # -- importing ---------------------------------------------------------------
    def preview(self, kind: RegistryKind | str, records: Sequence[Record], *,
                fields: Collection[str] | None = None) -> RegistryChanges:
        """What :meth:`apply` would do; writes nothing."""
        s = spec(kind)
        with self.db.session() as session:
            return self._plan(session, s, records, fields, batch_id=None).changes

    def apply(self, kind: RegistryKind | str, records: Sequence[Record], *, actor: str,
              fields: Collection[str] | None = None, file_name: str | None = None,
              sha256: str | None = None) -> RegistryChanges:
        """Insert new and update changed records, in one transaction with one batch and one audit event."""
        return self.apply_many([(RegistryKind(kind), records, fields)], actor=actor, file_name=file_name,
                               sha256=sha256)[0]

    def apply_many(self, parts: Sequence[tuple[RegistryKind, Sequence[Record], Collection[str] | None]], *,
                   actor: str, file_name: str | None = None, sha256: str | None = None) -> list[RegistryChanges]:
        """Several registries in one transaction (enterprises before their certifications); a batch per part."""
        check_actor(actor)
        now = as_utc(self.clock(), "clock")
        out: list[RegistryChanges] = []
        with self.db.session(write=True) as session:
            for kind, records, fields in parts:
                s = spec(kind)
                batch_id = self._new_batch(session, file_name, sha256, actor, now, len(records))
                planned = self._plan(session, s, records, fields, batch_id=batch_id)
                self._write(session, s, planned, fields)
                c = planned.changes
                session.execute(
                    update(ImportBatch).where(ImportBatch.id == batch_id).values(
                        new_count=c.new, changed_count=c.changed, unchanged_count=c.unchanged)
                )
                self.audit.record_many(session, [_event(actor, now, s, c, batch_id, file_name, len(records),
                                                        planned.units)])
                out.append(c)
        return out

    # -- reading ---------------------------------------------------------------
    def stored(self, kind: RegistryKind | str, keys: Sequence[Key]) -> dict[Key, Record]:
        """The stored records of ``keys`` (natural keys), by key; keys not stored are left out."""
        s = spec(kind)
        with self.db.session() as session:
            return {k: s.from_row(row) for k, row in _stored(session, s, list(keys)).items()}

    def known_credit_codes(self, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` are in the enterprise registry (IN lists for a few, one scan for many)."""
        with self.db.session() as session:
            return _known_codes(session, set(codes))

    def list(self, kind: RegistryKind | str, *, units: Collection[str] | None = None, valid_at: date | None = None,
             limit: int | None = None) -> list[Record]:
        """Records ordered by natural key; ``units`` keeps those attached to these units, ``valid_at`` those valid then."""
        return list(self.iter(kind, units=units, valid_at=valid_at, limit=limit))

    def iter(self, kind: RegistryKind | str, *, units: Collection[str] | None = None, valid_at: date | None = None,
             limit: int | None = None) -> Iterator[Record]:
        s = spec(kind)
        stmt = select(*(s.table.c[name] for name in s.fields)).order_by(*(s.table.c[k] for k in s.key))
        if units is not None:
            if s.has_unit:
                stmt = stmt.where(s.table.c.unit.in_(list(units)))
            else:  # certifications and financials: by their enterprise's unit
                of_units = select(EnterpriseRow.credit_code).where(EnterpriseRow.unit.in_(list(units)))
                stmt = stmt.where(s.table.c.credit_code.in_(of_units))
        if valid_at is not None:
            stmt = stmt.where(s.valid_at(valid_at))
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.db.session() as session:
            for row in session.execute(stmt.execution_options(yield_per=10_000)):
                yield s.from_row(row)

    def certifications_from(self, units: Collection[str], first: date, last: date) -> dict[tuple[str, date], int]:
        """How many certifications of each kind start on each day from ``first`` to ``last`` (enterprises of ``units``)."""
        c = spec(RegistryKind.CERTIFICATIONS).table.c
        stmt = (select(c.kind, c.valid_from, func.count()).where(c.valid_from.between(first, last), _of_units(c, units))
                .group_by(c.kind, c.valid_from))
        with self.db.session() as session:
            return {(kind, day): int(n) for kind, day, n in session.execute(stmt)}

    def certifications_listed(self, units: Collection[str], first: date, last: date, kinds: Collection[str],
                              limit: int) -> tuple[list[Record], int]:
        """The first ``limit`` certifications of ``kinds`` starting from ``first`` to ``last`` (by kind, date and credit
        code) and how many there are: a report's annex reads only the rows it lists."""
        s = spec(RegistryKind.CERTIFICATIONS)
        c = s.table.c
        where = (c.valid_from.between(first, last), c.kind.in_(list(kinds)), _of_units(c, units))
        stmt = (select(*(c[name] for name in s.fields)).where(*where)
                .order_by(c.kind, c.valid_from, c.credit_code).limit(limit))
        with self.db.session() as session:
            total = int(session.execute(select(func.count()).select_from(s.table).where(*where)).scalar_one())
            return [s.from_row(row) for row in session.execute(stmt)], total

    def enterprises(self, codes: Collection[str]) -> dict[str, Record]:
        """The enterprises with these credit codes, by code."""
        s = spec(RegistryKind.ENTERPRISES)
        stmt = select(*(s.table.c[name] for name in s.fields)).where(s.table.c.credit_code.in_(list(codes)))
        with self.db.session() as session:
            return {row.credit_code: s.from_row(row) for row in session.execute(stmt)}

    def count(self, kind: RegistryKind | str) -> int:
        s = spec(kind)
        with self.db.session() as session:
            return int(session.execute(select(func.count()).select_from(s.table)).scalar_one())

    # -- helpers -----------------------------------------------------------------
    def _plan(self, session: Session, s: KindSpec, records: Sequence[Record], fields: Collection[str] | None,
              *, batch_id: int | None) -> _Plan:
        compared = [f for f in s.fields if f not in s.key and (fields is None or f in fields)]
        by_key = _unique(s, records)
        if s.kind in OF_ENTERPRISE:
            _check_enterprises(session, {r.credit_code for r in records})  # type: ignore[union-attr]
        stored = _stored(session, s, list(by_key))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        shown: dict[str, dict[str, tuple[Any, Any]]] = {}
        unchanged = 0
        units: set[str] = set()
        touched: set[str] = set()  # credit codes of certificates and financials written
        for key, record in by_key.items():
            old = stored.get(key)
            if old is None:
                row = s.to_row(record)
                inserts.append({**row, "batch_id": batch_id})
                if s.has_unit:
                    units.add(row["unit"])
                else:
                    touched.add(row["credit_code"])
                continue
            diff = differences(old, record, compared)
            if not diff:
                unchanged += 1
                continue
            row = s.to_row(record)
            if s.has_unit:
                units.update((row["unit"], old.unit))
            else:
                touched.add(row["credit_code"])
            updates.append({**{f"k_{k}": row[k] for k in s.key}, **{f"v_{c}": row[c] for c in compared},
                            "v_batch_id": batch_id})
            if len(shown) < AUDITED_CHANGES:
                shown[key_text(key)] = diff
        changes = RegistryChanges(s.kind, len(inserts), len(updates), unchanged, shown, batch_id)
        if touched and batch_id is not None:  # a preview needs no units
            units.update(_units_of(session, touched))
        return _Plan(inserts, updates, changes, {u for u in units if u is not None})

    def _write(self, session: Session, s: KindSpec, planned: _Plan, fields: Collection[str] | None) -> None:
        if planned.inserts:
            session.execute(insert(s.table), planned.inserts)
        if planned.updates:
            compared = [f for f in s.fields if f not in s.key and (fields is None or f in fields)]
            stmt = (
                update(s.table)
                .where(*(s.table.c[k] == bindparam(f"k_{k}") for k in s.key))
                .values({c: bindparam(f"v_{c}") for c in [*compared, "batch_id"]})
            )
            session.connection().execute(stmt, planned.updates)

    @staticmethod
    def _new_batch(session: Session, file_name: str | None, sha256: str | None, actor: str, now: datetime,
                   rows: int) -> int:
        values = {"file_name": file_name, "sha256": sha256, "actor": actor, "created_at": now, "row_count": rows,
                  "new_count": 0, "changed_count": 0, "unchanged_count": 0}
        return int(session.execute(insert(ImportBatch).returning(ImportBatch.id), values).scalar_one())


def _unique(s: KindSpec, records: Sequence[Record]) -> dict[Key, Record]:
    by_key: dict[Key, Record] = {}
    repeated: list[str] = []
    for record in records:
        if not isinstance(record, s.record):
            raise InvalidInput(f"a {type(record).__name__} cannot be imported into the {s.kind.value} registry")
        key = s.key_of(record)
        if key in by_key:
            repeated.append(key_text(key))
        by_key[key] = record
    if repeated:
        raise InvalidInput(f"{len(repeated)} {s.kind.value} record(s) given twice ({', '.join(repeated[:5])}); "
                           "keep one of each; nothing was written")
    return by_key


def _known_codes(session: Session, codes: set[str]) -> set[str]:
    column = EnterpriseRow.credit_code
    if len(codes) >= SCAN_FROM:
        return {code for code in session.scalars(select(column).execution_options(yield_per=50_000)) if code in codes}
    wanted = sorted(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), KEY_CHUNK):
        found.update(session.scalars(select(column).where(column.in_(wanted[start : start + KEY_CHUNK]))))
    return found


def _units_of(session: Session, codes: set[str]) -> set[str]:
    """The units of the enterprises of ``codes`` (IN lists for a few, one scan for many)."""
    code, unit = EnterpriseRow.credit_code, EnterpriseRow.unit
    if len(codes) >= SCAN_FROM:
        return {u for c, u in session.execute(select(code, unit).execution_options(yield_per=50_000)) if c in codes}
    wanted = sorted(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), KEY_CHUNK):
        found.update(session.scalars(select(unit).where(code.in_(wanted[start : start + KEY_CHUNK])).distinct()))
    return found


def _check_enterprises(session: Session, codes: set[str]) -> None:
    missing = sorted(codes - _known_codes(session, codes)) if codes else []
    if missing:
        raise InvalidInput(f"{len(missing)} credit code(s) are not in the enterprise registry "
                           f"({', '.join(missing[:5])}); import the enterprises first; nothing was written")


def _stored(session: Session, s: KindSpec, keys: list[Key]) -> dict[Key, Any]:
    """The stored rows of ``keys`` (one scan of the table for large imports, IN lists for small ones)."""
    cols = [s.table.c[name] for name in s.fields]
    key_cols = [s.table.c[k] for k in s.key]
    if len(keys) >= SCAN_FROM:
        wanted = set(keys)
        rows = session.execute(select(*cols).execution_options(yield_per=50_000))
        return {k: row for row in rows if (k := tuple(getattr(row, n) for n in s.key)) in wanted}
    out: dict[Key, Any] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        cond = key_cols[0].in_([k[0] for k in chunk]) if len(key_cols) == 1 else tuple_(*key_cols).in_(chunk)
        for row in session.execute(select(*cols).where(cond)):
            out[tuple(getattr(row, n) for n in s.key)] = row
    return out


def _event(actor: str, now: datetime, s: KindSpec, c: RegistryChanges, batch_id: int, file_name: str | None,
           rows: int, units: set[str]) -> dict[str, Any]:
    before = {k: {f: jsonable(old) for f, (old, _new) in diff.items()} for k, diff in c.changes.items()}
    after: dict[str, Any] = {
        "registry": s.kind.value, "file_name": file_name, "rows": rows, **c.counts(), "units": sorted(units),
        "changed_records": {k: {f: jsonable(new) for f, (_old, new) in diff.items()} for k, diff in c.changes.items()},
        "changed_records_omitted": c.changed - len(c.changes),
    }
    return event_params(actor=actor, action=ACTION, entity=s.kind.value, entity_id=batch_id, at=now,
                        before={"changed_records": before} if before else None, after=after, batch_id=batch_id)


def _of_units(c: Any, units: Collection[str]) -> Any:
    """Rows of a registry kept per enterprise (certifications) whose enterprise is attached to one of ``units``."""
    return c.credit_code.in_(select(EnterpriseRow.credit_code).where(EnterpriseRow.unit.in_(list(units))))
