"""Synthetic demo data for the seed plan, 2020–2025. NOT real statistics.

The trajectories below are designed, not drawn at random, so that the demo is
the same on every machine and shows every verdict the product can give:

========================== ============================ ==================== ==============
indicator                  story                        mid-term (as of 2023) final (2025)
========================== ============================ ==================== ==============
major_facilities           slow, catches up at the end  at risk              achieved
national_industry_platforms one more every year or two  on track             achieved
rd_institutions            steady, just short           at risk              missed (318)
key_labs                   strong                       on track             achieved
pilot_platforms            one a year                   on track             achieved
rd_intensity               rising too slowly            at risk              missed
gov_st_expenditure_share   accelerating                 on track / at risk   achieved
invention_patents_per_10k  fast                         on track             achieved
strategic_emerging_share   falling                      regressing           missed
tech_enterprises           fast                         on track             achieved
high_tech_enterprises      ends exactly on 500 (> 500)  at risk              missed
gazelle_enterprises        early success                achieved             achieved
unicorn_enterprises        +6 over 2020                 on track             achieved
top_talent (flows)         too few                      off track            missed
outstanding_talent         steady                       on track             achieved
leading_talent             short                        at risk              missed
young_talent               strong                       on track             achieved
talent_total               only baseline and 2025       insufficient data    missed
========================== ============================ ==================== ==============

Ratios are generated through their parts (R&D expenditure and GRP, …) so that
the product computes them as it would from real reports. Counts are also
broken down over the axis and the three centres (the parts add up to the
whole). One GRP figure is revised after first publication, to show vintages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scicity.domain.observation import Observation

YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
SOURCE = "synthetic demo data (scicity demo generator) — not real statistics"
ROOT = "wcsc"
SUB_UNITS = ("science_avenue", "power_reserve_centre", "vitality_centre", "efficiency_centre")
#: shares of each sub-unit in a count, by sub-unit (fixed, sum to 1)
SHARES = (0.40, 0.25, 0.20, 0.15)

#: level and flow indicators reported directly: value per year (None = not reported)
COUNTS: dict[str, tuple[float | None, ...]] = {
    "major_facilities": (1, 1, 2, 2, 3, 3),
    "national_industry_platforms": (1, 1, 2, 2, 3, 4),
    "rd_institutions": (180, 205, 232, 262, 290, 318),
    "key_labs": (62, 70, 79, 90, 98, 106),
    "pilot_platforms": (1, 2, 3, 4, 5, 6),
    "tech_enterprises": (1050, 1320, 1610, 1880, 2150, 2420),
    "high_tech_enterprises": (300, 340, 380, 420, 465, 500),
    "gazelle_enterprises": (28, 35, 44, 53, 58, 61),
    "unicorn_enterprises": (2, 3, 4, 5, 6, 8),
    # yearly flows: persons introduced or cultivated in the year (2020 is before the plan period)
    "top_talent": (3, 4, 5, 5, 6, 7),
    "outstanding_talent": (40, 55, 62, 68, 72, 75),
    "leading_talent": (140, 150, 170, 190, 210, 230),
    "young_talent": (350, 400, 480, 560, 640, 700),
    "talent_total": (120000, None, None, None, None, 186000),
}
#: indicators broken down over the sub-units
BROKEN_DOWN = (
    "rd_institutions",
    "key_labs",
    "tech_enterprises",
    "high_tech_enterprises",
    "gazelle_enterprises",
    "talent_total",
)

#: ratio indicators: (numerator series, denominator series, factor, ratio path, denominator path)
RATIOS: dict[str, tuple[str, str, float, tuple[float, ...], tuple[float, ...]]] = {
    "rd_intensity": (
        "rd_expenditure",
        "grp",
        100,
        (4.5, 4.65, 4.85, 5.0, 5.2, 5.4),
        (1850.0, 2010.0, 2150.0, 2330.0, 2510.0, 2700.0),
    ),
    "gov_st_expenditure_share": (
        "gov_st_expenditure",
        "gov_budget_expenditure",
        100,
        (11.0, 11.8, 12.9, 13.6, 14.8, 15.6),
        (210.0, 226.0, 238.0, 251.0, 262.0, 275.0),
    ),
    "invention_patents_per_10k": (
        "valid_invention_patents",
        "resident_population",
        10000,
        (40.0, 48.0, 56.0, 65.0, 71.0, 76.0),
        (1_100_000.0, 1_135_000.0, 1_170_000.0, 1_210_000.0, 1_250_000.0, 1_290_000.0),
    ),
    "strategic_emerging_share": (
        "sei_output",
        "industrial_output",
        100,
        (88.0, 87.2, 86.5, 85.9, 85.1, 84.6),
        (3200.0, 3460.0, 3700.0, 3950.0, 4180.0, 4400.0),
    ),
}
#: integer-valued series (counts of things or people)
INTEGER_SERIES = {"valid_invention_patents", "resident_population"}
#: a revision: (series, year, first published value); the table value is the revision
REVISIONS = (("grp", 2022, 2118.0),)


@dataclass(frozen=True)
class DemoData:
    """The first releases, and the corrections published later."""

    first_release: tuple[Observation, ...]
    revisions: tuple[Observation, ...]

    @property
    def all(self) -> tuple[Observation, ...]:
        return self.first_release + self.revisions


def _obs(indicator: str, unit: str, year: int, value: float, vintage: date) -> Observation:
    return Observation(indicator, unit, year, float(value), source=SOURCE, vintage=vintage)


def published(year: int) -> date:
    """Figures for a year are published on 31 March of the next year."""
    return date(year + 1, 3, 31)


def split(total: float) -> list[int]:
    """Split an integer total over the sub-units by SHARES, largest remainder, so the parts add up."""
    raw = [total * s for s in SHARES]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: int(round(total)) - sum(parts)]:
        parts[i] += 1
    return parts


def generate() -> DemoData:
    """The full demo data set. Deterministic: the same on every call."""
    first: list[Observation] = []
    for indicator, values in COUNTS.items():
        for year, value in zip(YEARS, values, strict=True):
            if value is None:
                continue
            first.append(_obs(indicator, ROOT, year, value, published(year)))
            if indicator in BROKEN_DOWN:
                for unit, part in zip(SUB_UNITS, split(value), strict=True):
                    first.append(_obs(indicator, unit, year, part, published(year)))
    revised = {(s, y): v for s, y, v in REVISIONS}
    later: list[Observation] = []
    for num, den, factor, ratios, denominators in RATIOS.values():
        for year, ratio, den_value in zip(YEARS, ratios, denominators, strict=True):
            num_value = ratio * den_value / factor
            if num in INTEGER_SERIES:
                num_value = float(round(num_value))
            else:
                num_value = round(num_value, 2)
            first.append(_obs(num, ROOT, year, num_value, published(year)))
            if (den, year) in revised:
                first.append(_obs(den, ROOT, year, revised[(den, year)], published(year)))
                later.append(_obs(den, ROOT, year, den_value, date(year + 2, 3, 31)))
            else:
                first.append(_obs(den, ROOT, year, den_value, published(year)))
    return DemoData(tuple(first), tuple(later))
