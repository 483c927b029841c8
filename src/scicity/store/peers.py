"""Peer zones' values of the plan's indicators, for benchmarking the next plan's targets.

A load replaces a peer's values for the (indicator, year) pairs it brings and
is audited (one event per peer, with how many values were new or changed).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.plan_draft_tables import PeerValueRow
from scicity.store.types import as_utc, utcnow


@dataclass(frozen=True, slots=True)
class PeerValue:
    peer: str
    peer_name: str
    indicator: str
    year: int
    value: float
    measure: str
    synthetic: bool = False
    source: str | None = None


class PeerRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def load(self, values: Sequence[PeerValue], *, actor: str) -> dict[str, int]:
        """Store peer values (all or nothing); returns counts of new, changed and unchanged values."""
        check_actor(actor)
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            per_peer: dict[str, dict[str, int]] = {}
            for v in values:
                row = session.scalar(
                    select(PeerValueRow).where(
                        PeerValueRow.peer == v.peer, PeerValueRow.indicator == v.indicator, PeerValueRow.year == v.year
                    )
                )
                mine = per_peer.setdefault(v.peer, {"new": 0, "changed": 0, "unchanged": 0})
                if row is None:
                    session.add(PeerValueRow(peer=v.peer, peer_name=v.peer_name, indicator=v.indicator, year=v.year,
                                             value=v.value, measure=v.measure, synthetic=v.synthetic, source=v.source,
                                             loaded_by=actor, loaded_at=now))
                    key = "new"
                elif (row.value, row.peer_name, row.measure, row.synthetic, row.source) == (
                    v.value, v.peer_name, v.measure, v.synthetic, v.source
                ):
                    key = "unchanged"
                else:
                    row.value, row.peer_name, row.measure, row.synthetic, row.source = (
                        v.value, v.peer_name, v.measure, v.synthetic, v.source)
                    row.loaded_by, row.loaded_at = actor, now
                    key = "changed"
                mine[key] += 1
                counts[key] += 1
            session.flush()
            for peer, c in per_peer.items():
                if c["new"] or c["changed"]:
                    self.audit.record(session, actor=actor, action="peer.load", entity="peer", entity_id=peer,
                                      before=None, after=c, at=now)
        return counts

    def list(self, indicator: str | None = None) -> builtins.list[PeerValue]:
        """Every stored peer value (or one indicator's), by peer, indicator and year."""
        with self.db.session() as session:
            q = select(PeerValueRow).order_by(PeerValueRow.peer, PeerValueRow.indicator, PeerValueRow.year)
            if indicator is not None:
                q = q.where(PeerValueRow.indicator == indicator)
            return [
                PeerValue(r.peer, r.peer_name, r.indicator, r.year, r.value, r.measure, r.synthetic, r.source)
                for r in session.scalars(q)
            ]
