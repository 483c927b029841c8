"""Matching on the exchange platform, as the CLI, the pages and the API use it.

:class:`ExchangeMatcher` builds one :class:`~scicity.matching.hybrid.HybridIndex`
per kind (achievements, experts, facilities, needs, enterprises) from the store
once, then keeps it current with :meth:`ExchangeMatcher.add` — adding a record
never rebuilds an index. Passage vectors are cached on disk by text hash
(``<data_dir>/exchange_vectors.npz``), so a second run embeds only new text.

Writes by other processes (a CLI import while the web app runs) are noticed
through the audit log, which every exchange write appends to in its own
transaction: before each search :meth:`ExchangeMatcher.refresh` reads the
exchange events after the last one it has seen (one indexed range query) and
puts the records they name into the built indexes — an import's batch (new and
changed rows carry its id), a publication or withdrawal, a need a deal closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from scicity.domain.exchange import Achievement, ExchangeKind, ExchangeRecord, Expert, Facility, Need
from scicity.matching.embedder import E5Embedder, Embedder
from scicity.matching.hybrid import Doc, HybridIndex, Match
from scicity.matching.signals import ENGLISH, Profile, Signal
from scicity.store.db import Database
from scicity.store.exchange import ExchangeRepository, to_record
from scicity.store.exchange_tables import AchievementRow, DealRow, ExpertRow, FacilityRow, NeedRow
from scicity.store.tables import AuditEventRow

ROW_OF_KIND = {"achievements": AchievementRow, "needs": NeedRow, "experts": ExpertRow, "facilities": FacilityRow}

TARGETS_OF_NEED = ("achievements", "experts", "facilities")
TARGETS_OF_ACHIEVEMENT = ("needs", "enterprises")


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def doc_of(record: ExchangeRecord) -> Doc:
    """The document a record is matched as (text in both languages, profile, owner)."""
    if isinstance(record, Achievement):
        return Doc(record.code, "achievement", _join(record.title_zh, record.title_en, record.abstract_zh,
                                                     record.abstract_en),
                   record.title_zh or record.title_en or record.code,
                   Profile(field=record.field, ipc=record.ipc, trl=record.trl, unit=record.unit,
                           terms=tuple(t.value for t in record.terms)), record.owner)
    if isinstance(record, Need):
        return Doc(record.code, "need", _join(record.title_zh, record.title_en, record.problem_zh, record.problem_en,
                                              record.industry),
                   record.title_zh or record.title_en or record.code,
                   Profile(field=record.field, ipc=record.ipc, min_trl=record.min_trl, unit=record.unit,
                           terms=tuple(t.value for t in record.terms)), record.enterprise)
    if isinstance(record, Expert):
        return Doc(record.code, "expert", _join(record.name, record.name_en, record.keywords, record.bio_zh,
                                                record.bio_en),
                   record.name, Profile(field=record.field, unit=record.unit), record.institution)
    if isinstance(record, Facility):
        return Doc(record.code, "facility", _join(record.name_zh, record.name_en, record.description),
                   record.name_zh or record.name_en or record.code, Profile(field=record.field, unit=record.unit),
                   record.owner)
    raise TypeError(f"{type(record).__name__} records are not matched")


def query_of(record: Achievement | Need) -> tuple[str, Profile]:
    doc = doc_of(record)
    return doc.text, doc.profile


@dataclass(frozen=True)
class MatchResults:
    query: str
    by_kind: dict[str, list[Match]]


class ExchangeMatcher:
    def __init__(self, db: Database, *, embedder: Embedder | None = None, data_dir: Path | None = None,
                 use_embeddings: bool = True) -> None:
        self.repo = ExchangeRepository(db)
        self.db = db
        if embedder is None and use_embeddings:
            embedder = E5Embedder(cache=(data_dir / "exchange_vectors.npz") if data_dir else None)
        self.embedder = embedder
        self.indexes: dict[str, HybridIndex] = {}
        self.seen = self._last_event()  # audit events up to this id are in every index built from now on
        self._refresh_lock = threading.Lock()

    def _last_event(self) -> int:
        with self.db.session() as session:
            return int(session.scalar(select(func.max(AuditEventRow.id))) or 0)

    def refresh(self) -> int:
        """Take in exchange records written since the last look (by any process); the number of records taken in."""
        with self._refresh_lock:
            with self.db.session() as session:
                events = session.execute(
                    select(AuditEventRow.id, AuditEventRow.action, AuditEventRow.entity, AuditEventRow.entity_id,
                           AuditEventRow.batch_id)
                    .where(AuditEventRow.id > self.seen, AuditEventRow.entity.like("exchange.%"))
                    .order_by(AuditEventRow.id)).all()
                if not events:
                    return 0
                found: dict[str, dict[str, ExchangeRecord]] = {}
                for _id, action, entity, entity_id, batch_id in events:
                    kind = entity.removeprefix("exchange.")
                    if kind == "deal" and action == "exchange.deal.move":  # a signed deal may close its need
                        kind = "needs"
                        where = NeedRow.code.in_(select(DealRow.need).where(DealRow.code == entity_id))
                    elif kind not in ROW_OF_KIND:
                        continue
                    elif action == "exchange.import" and batch_id is not None:
                        where = ROW_OF_KIND[kind].batch_id == batch_id
                    else:
                        where = ROW_OF_KIND[kind].code == entity_id
                    if kind not in self.indexes:  # not built yet: it will read the table when it is
                        continue
                    for row in session.scalars(select(ROW_OF_KIND[kind]).where(where)):
                        found.setdefault(kind, {})[row.code] = to_record(ExchangeKind(kind), row)
                self.seen = int(events[-1][0])
            return sum(self.add(record) for records in found.values() for record in records.values())

    def index(self, kind: str) -> HybridIndex:
        if kind not in self.indexes:
            # thousands of enterprises named by one industry each: words and fields suffice, no embeddings
            index = HybridIndex(None if kind == "enterprises" else self.embedder)
            if kind == "enterprises":
                index.add(self._enterprise_docs())
            else:
                records = self.repo.list(kind, open_only=kind == "needs")
                index.add([doc_of(r) for r in records if not getattr(r, "status", None) == "withdrawn"])
            self.indexes[kind] = index
            save = getattr(self.embedder, "save", None)
            if save is not None:
                save()
        return self.indexes[kind]

    def _enterprise_docs(self) -> list[Doc]:
        from sqlalchemy import select

        from scicity.store.registry_tables import EnterpriseRow

        with self.db.session() as session:
            rows = session.execute(select(EnterpriseRow.credit_code, EnterpriseRow.name_zh, EnterpriseRow.name_en,
                                          EnterpriseRow.industry, EnterpriseRow.unit)
                                   .where(EnterpriseRow.industry.is_not(None))).all()
        return [Doc(code, "enterprise", _join(zh, en, industry), zh or en or code,
                    Profile(field=industry, unit=unit), code) for code, zh, en, industry, unit in rows]

    def add(self, record: ExchangeRecord) -> bool:
        """Put a new or changed record into its kind's index (if built); nothing is rebuilt. True if it changed it."""
        kind = {Achievement: "achievements", Need: "needs", Expert: "experts", Facility: "facilities"}.get(
            type(record))
        if kind not in self.indexes:
            return False
        index = self.indexes[kind]
        if (isinstance(record, Need) and record.closed) or getattr(record, "status", None) == "withdrawn":
            return index.retire(record.code)
        return index.add([doc_of(record)]) > 0

    def _search(self, text: str, profile: Profile, kinds: Sequence[str], k: int,
                exclude: set[str] | None = None) -> MatchResults:
        self.refresh()
        vector = self.embedder.query(text) if self.embedder is not None else None
        return MatchResults(text, {kind: self.index(kind).search(text, profile, k=k, query_vector=vector,
                                                                 exclude=exclude)
                                   for kind in kinds})

    def for_need(self, code: str, k: int = 10) -> MatchResults:
        need = self.repo.get(ExchangeKind.NEEDS, code)
        assert isinstance(need, Need)
        text, profile = query_of(need)
        return self._search(text, profile, TARGETS_OF_NEED, k)

    def for_achievement(self, code: str, k: int = 10) -> MatchResults:
        achievement = self.repo.get(ExchangeKind.ACHIEVEMENTS, code)
        assert isinstance(achievement, Achievement)
        text, profile = query_of(achievement)
        # the achievement's profile is the query's; a need's minimum TRL is read from the need's side
        return self._search(text, profile, TARGETS_OF_ACHIEVEMENT, k)

    def for_text(self, text: str, k: int = 10, kinds: Sequence[str] = TARGETS_OF_NEED) -> MatchResults:
        return self._search(text, Profile(), kinds, k)


def signal_text(signal: Signal, gettext: Callable[[str], str], name_of: Callable[[str], str] | None = None,
                sep: str = ", ") -> str:
    """A matched signal or unmet constraint in the reader's language: its field and terms in words (the
    catalogue's), its geographic unit by name (``name_of``), lists joined with ``sep`` (、 in Chinese)."""
    values = dict(signal.values)
    if values.get("field"):
        values["field"] = gettext(values["field"])
    if values.get("unit") and name_of is not None:
        values["unit"] = name_of(values["unit"])
    for key in ("terms", "wanted", "offered"):
        if values.get(key):
            values[key] = sep.join(gettext(t.strip()) for t in values[key].split(","))
    return gettext(ENGLISH[signal.key]).format(**values)
