"""The demo enterprises' figures for the cultivation tiers. Synthetic, NOT real records.

Drawn from a random stream of each enterprise's own (seeded by its credit
code), so that the other demo registries — and the demo series the tests
recount — stay exactly as they were. The mix is chosen so that every outcome
appears: enterprises that qualify, near misses, figures missing (unknown),
criteria an expert must judge, high-tech certificates expiring, enterprises
moving up a tier.
"""

from __future__ import annotations

import random
from typing import Any

USD_PER_CNY = 1 / 7.1
#: share of enterprises with one figure left empty in one year (they come out "unknown")
MISSING_SHARE = 0.06


class FigureStream:
    """One enterprise's figures, year after year, with its own random stream."""

    def __init__(self, code: str, rank: int) -> None:
        self.rng = random.Random(f"cultivation-{code}")
        self.rank = rank
        rng = self.rng
        self.st_share = rng.uniform(0.12, 0.45) if rank else rng.uniform(0.04, 0.3)
        self.ht_share = rng.uniform(0.58, 0.92) if rank >= 2 else rng.uniform(0.3, 0.8)
        self.main_share = rng.uniform(0.72, 0.99)
        self.assets = rng.uniform(0.8, 1.6)
        self.equity = rng.uniform(0.25, 0.75)
        self.domestic = rng.uniform(55, 100) if rng.random() < 0.15 else rng.uniform(75, 100)
        self.conversions = rng.randint(0, 6)
        self.cost = rng.uniform(0.8, 0.97)
        self.missing_year = rng.choice((2021, 2022, 2023, 2024, 2025)) if rng.random() < MISSING_SHARE else None
        self.missing_field = rng.choice(("rd_domestic_share", "total_costs", "st_staff", "net_assets"))
        self.incident = rng.random() < 0.01
        self.award = rng.random() < 0.03
        self.institution = rng.random() < 0.05
        self.standard = rng.random() < 0.04
        self.financing = rng.uniform(0.06, 0.2)

    def year(self, year: int, revenue: float, employees: int, valuation: float | None) -> dict[str, Any]:
        rng = self.rng
        self.equity = min(0.85, self.equity * rng.uniform(0.98, 1.06))
        total_assets = round(revenue * self.assets, 1)
        net_assets = round(total_assets * self.equity, 1)
        out: dict[str, Any] = {
            "st_staff": min(employees, max(1, round(employees * self.st_share * rng.uniform(0.9, 1.1)))),
            "total_costs": round(revenue * self.cost, 1),
            "total_assets": total_assets,
            "net_assets": net_assets,
            "rd_domestic_share": round(self.domestic, 1),
            "hightech_revenue": round(revenue * min(0.98, self.ht_share * rng.uniform(0.95, 1.05)), 1),
            "main_revenue": round(revenue * self.main_share, 1),
            "debt_ratio": round(100 * (1 - net_assets / total_assets), 1),
            "new_equity": round(revenue * rng.uniform(0.05, 0.6), 1) if rng.random() < 0.2 else 0.0,
            "conversions": max(0, self.conversions + rng.randint(-1, 1)),
            "listed": False,
            "major_incident": self.incident and year == 2025,
            "dishonest": False,
            "restricted_industry": False,
            "national_award": self.award,
            "provincial_rd_institution": self.institution,
            "led_standard": self.standard,
        }
        usd = (valuation if valuation is not None else revenue * self.rng.uniform(0.2, 1.5)) * USD_PER_CNY
        out["valuation_usd"] = round(usd, -1)  # the rest: a valuation from a financing round or a book value
        out["financing_usd"] = round(usd * self.financing, -1)
        if self.missing_year == year:
            out[self.missing_field] = None
        return out
