"""What the plan can measure from the exchange platform: contract turnover and counts, by year.

Turnover is in CNY 10,000 (万元), by contract type, field, seller type, IP or
not and unit; achievements transferred (distinct achievements in deals that
reached a registered contract); deals per institution; talent exchanges both
ways; instrument hours shared; match metrics (match rate, the funnel
matched → contacted → signed, median days from need to first match).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from sqlalchemy import func, select

from scicity.store.db import Database
from scicity.store.exchange_tables import (
    BookingRow,
    ContractRow,
    DealEventRow,
    DealRow,
    NeedRow,
    TalentExchangeRow,
)

BREAKDOWNS = ("type", "field", "seller_type", "ip", "unit")


@dataclass(frozen=True)
class ExchangeStats:
    year: int | None
    contracts: int
    turnover: float
    by: dict[str, dict[str, float]] = field(default_factory=dict)
    achievements_transferred: int = 0
    deals_per_institution: dict[str, int] = field(default_factory=dict)
    talent: dict[str, int] = field(default_factory=dict)
    instrument_hours: float = 0.0
    funnel: dict[str, int] = field(default_factory=dict)
    match_rate: float | None = None
    median_days_to_match: float | None = None

    def rows(self) -> list[dict[str, Any]]:
        """Long rows (measure, breakdown, key, value) for CSV and JSON."""
        out = [{"measure": "contract_turnover", "by": "", "key": "", "value": self.turnover},
               {"measure": "contracts", "by": "", "key": "", "value": self.contracts},
               {"measure": "achievements_transferred", "by": "", "key": "", "value": self.achievements_transferred},
               {"measure": "instrument_hours", "by": "", "key": "", "value": self.instrument_hours}]
        out += [{"measure": "contract_turnover", "by": b, "key": k, "value": v}
                for b, values in self.by.items() for k, v in values.items()]
        out += [{"measure": "deals", "by": "institution", "key": k, "value": v}
                for k, v in self.deals_per_institution.items()]
        out += [{"measure": "talent_exchanges", "by": "direction", "key": k, "value": v} for k, v in self.talent.items()]
        out += [{"measure": "deals", "by": "stage_reached", "key": k, "value": v} for k, v in self.funnel.items()]
        if self.match_rate is not None:
            out.append({"measure": "match_rate", "by": "", "key": "", "value": self.match_rate})
        if self.median_days_to_match is not None:
            out.append({"measure": "median_days_to_match", "by": "", "key": "", "value": self.median_days_to_match})
        return out


def exchange_stats(db: Database, year: int | None = None) -> ExchangeStats:
    with db.session() as session:
        q = select(ContractRow)
        if year is not None:
            q = q.where(ContractRow.year == year)
        contracts = list(session.scalars(q))
        by: dict[str, dict[str, float]] = {b: defaultdict(float) for b in BREAKDOWNS}
        for c in contracts:
            for b in BREAKDOWNS:
                key = getattr(c, b)
                by[b]["yes" if key is True else "no" if key is False else (key or "-")] += c.amount
        deals = list(session.scalars(select(DealRow)))
        events = list(session.scalars(select(DealEventRow)))
        if year is not None:
            events = [e for e in events if e.on.year == year]
        reached: dict[str, set[str]] = defaultdict(set)
        for e in events:
            reached[e.stage].add(e.deal)
        transferred = {d.achievement for d in deals if d.contract and d.achievement and d.code in
                       reached.get("registered", {d.code} if year is None else set())}
        per_org = Counter(d.seller_org for d in deals if d.seller_org and (year is None or d.code in reached["matched"]))
        tq = select(TalentExchangeRow.direction, func.count()).group_by(TalentExchangeRow.direction)
        hq = select(func.coalesce(func.sum(BookingRow.hours), 0.0))
        nq = select(NeedRow.code, NeedRow.created_at, NeedRow.published_on)
        if year is not None:
            tq, hq = tq.where(TalentExchangeRow.year == year), hq.where(BookingRow.year == year)
        talent = {k: int(v) for k, v in session.execute(tq)}
        hours = float(session.scalar(hq) or 0.0)
        needs = session.execute(nq).all()
    first_match: dict[str, Any] = {}
    for e in sorted(events, key=lambda e: e.on):
        deal = next((d for d in deals if d.code == e.deal), None)
        if deal is not None and deal.need and e.stage == "matched":
            first_match.setdefault(deal.need, e.on)
    needs_in_year = [n for n in needs if year is None or (n.published_on or n.created_at.date()).year == year]
    matched_needs = [n for n in needs_in_year if n.code in first_match]
    days = [(first_match[n.code] - (n.published_on or n.created_at.date())).days for n in matched_needs]
    stages = ("matched", "contacted", "negotiating", "signed", "registered", "delivered", "dropped")
    return ExchangeStats(
        year, len(contracts), float(sum(c.amount for c in contracts)),
        {b: dict(sorted(v.items())) for b, v in by.items()}, len(transferred), dict(per_org.most_common()), talent,
        hours, {s: len(reached.get(s, ())) for s in stages},
        len(matched_needs) / len(needs_in_year) if needs_in_year else None,
        float(median(days)) if days else None)
