"""Registry-based projection of a tier's count in a target year, with an interval.

    count(T) = valid now − expiring by T × (1 − renewal rate) + (T − now) × (pool × conversion rate + other new)

- *valid now*: enterprises holding a valid certificate of the tier on 31 December of the base year;
- *expiring by T*: of those, the ones whose certificate ends before 31 December of T (not yet renewed);
- *renewal rate*: of the registry's certificates that ended by the base year, the share followed by a
  new one of the same tier for the same enterprise within a year;
- *pool × conversion rate*: enterprises the rules say qualify but hold no certificate, times the share of
  such enterprises in the registry's past years that were certified by the end of the next year;
- *other new*: new certificates a year to enterprises the rules did not show as qualifying (figures
  missing, expert parts), averaged over the past years.

The interval takes the Wilson 95 % bounds of both rates and the range of *other new* over the past years.
The pool is assumed to refill at the same size every year (docs/cultivation.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from scicity.domain.registries import certificate_valid_at
from scicity.service.cultivation import Evaluation

Z = 1.96


def wilson(successes: int, n: int) -> tuple[float, float, float]:
    """(rate, low, high) with the Wilson score interval at 95 %; (0, 0, 1) without observations."""
    if n == 0:
        return 0.0, 0.0, 1.0
    p = successes / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class TierProjection:
    tiers: tuple[str, ...]
    base_year: int
    target_year: int
    valid_now: int
    expiring: int
    renewal_rate: float
    renewal_low: float
    renewal_high: float
    renewals_observed: int
    pool: int
    conversion_rate: float
    conversion_low: float
    conversion_high: float
    conversions_observed: int
    other_new: float
    other_low: float
    other_high: float
    projected: float
    low: float
    high: float

    def json(self) -> dict[str, object]:
        out = asdict(self)
        out["tiers"] = list(self.tiers)
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def _holders(evaluation: Evaluation, tiers: tuple[str, ...], at: date) -> dict[str, date | None]:
    """Enterprises holding a valid certificate of ``tiers`` at ``at`` -> the end of their latest one."""
    out: dict[str, date | None] = {}
    for code, facts in evaluation.facts.items():
        valid = [c for c in facts.certificates if c.kind in tiers and certificate_valid_at(c.valid_from, c.valid_to, at)]
        if valid:
            ends = [c.valid_to for c in valid]
            out[code] = None if None in ends else max(e for e in ends if e is not None)
    return out


def project(evaluation: Evaluation, tiers: tuple[str, ...], target_year: int, base_year: int | None = None
            ) -> TierProjection:
    years = evaluation.years
    base = base_year if base_year is not None else max(years)
    at = date(base, 12, 31)
    horizon = date(target_year, 12, 31)
    holders = _holders(evaluation, tiers, at)
    expiring = sum(1 for end in holders.values() if end is not None and end < horizon)
    # renewal history
    ended = renewed = 0
    for facts in evaluation.facts.values():
        certs = sorted((c for c in facts.certificates if c.kind in tiers), key=lambda c: c.valid_from)
        for c in certs:
            if c.valid_to is None or c.valid_to >= at:
                continue
            ended += 1
            if any(o.valid_from > c.valid_from and o.valid_from <= c.valid_to + timedelta(days=366) for o in certs):
                renewed += 1
    r, r_low, r_high = wilson(renewed, ended)
    # conversion of qualifiers and other new certificates, from the past years
    converted = candidates = 0
    others: list[int] = []
    for y in years:
        if y >= base or (y + 1) not in years:
            continue
        now, nxt = date(y, 12, 31), date(y + 1, 12, 31)
        held_now = _holders(evaluation, tiers, now)
        held_next = _holders(evaluation, tiers, nxt)
        qualifying = {res.credit_code for t in tiers for res in evaluation.of(t, y) if res.on_figures}
        pool_y = qualifying - set(held_now)
        candidates += len(pool_y)
        converted += len(pool_y & set(held_next))
        others.append(len(set(held_next) - set(held_now) - pool_y))
    c, c_low, c_high = wilson(converted, candidates)
    qualifying_now = {res.credit_code for t in tiers for res in evaluation.of(t, base) if res.on_figures}
    pool_now = len(qualifying_now - set(holders))
    other = sum(others) / len(others) if others else 0.0
    o_low, o_high = (min(others), max(others)) if others else (0.0, 0.0)
    steps = max(target_year - base, 0)

    def count(rate: float, conv: float, extra: float) -> float:
        return len(holders) - expiring * (1 - rate) + steps * (pool_now * conv + extra)

    return TierProjection(tiers, base, target_year, len(holders), expiring, r, r_low, r_high, ended, pool_now, c,
                          c_low, c_high, candidates, other, float(o_low), float(o_high), count(r, c, other),
                          count(r_low, c_low, o_low), count(r_high, c_high, o_high))
