"""Synthetic demo registries from which the demo series follow exactly. NOT real records.

For every count indicator of the seed plan (see :mod:`scicity.demo.generator`)
and every year 2020–2025, the entities valid at 31 December — or, for the
talent tiers, introduced during the year — number exactly the demo value, for
the whole Science City and, split as :func:`scicity.demo.generator.split`
splits it, for each of the four sub-units the entities are attached to.
Decoys that must not count are included: district-level key laboratories and
R&D institutions, utility models and designs, lapsed patents, talent
introduced before 2020, withdrawn and expired certificates.

Deterministic: the same records on every call and machine. Names carry
"（示例）" / "(synthetic)"; credit codes are valid under GB 32100-2015 but
random (they name no real body).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from scicity.demo.generator import COUNTS, ROOT, SUB_UNITS, YEARS, generate, split
from scicity.demo.registry_actors import EnterpriseBook, make_institutions, make_patents, make_talent
from scicity.demo.registry_runs import runs_for, three_year_certificates, yearly_certificates
from scicity.domain.registries import (
    Certification,
    CertificationKind,
    Enterprise,
    Financials,
    Institution,
    Patent,
    Record,
    RegistryKind,
    Talent,
)

SEED = 20_211_231
#: the registry gives a value every year, where the reported demo series has gaps
REGISTRY_COUNTS: dict[str, tuple[int, ...]] = {"national_industry_platforms": (1, 1, 2, 2, 3, 4)}
#: level indicators counted from certifications: indicator -> certification kinds
CERTIFIED = {
    "tech_enterprises": (CertificationKind.TECH_SME,),
    "high_tech_enterprises": (CertificationKind.HIGH_TECH,),
    "gazelle_enterprises": (CertificationKind.GAZELLE,),
    "unicorn_enterprises": (CertificationKind.POTENTIAL_UNICORN, CertificationKind.UNICORN),
}


@dataclass(frozen=True)
class DemoRegistries:
    institutions: tuple[Institution, ...]
    enterprises: tuple[Enterprise, ...]
    certifications: tuple[Certification, ...]
    financials: tuple[Financials, ...]
    talent: tuple[Talent, ...]
    patents: tuple[Patent, ...]

    def parts(self) -> list[tuple[RegistryKind, tuple[Record, ...]]]:
        """Every registry in import order (enterprises before their certifications and financials)."""
        return [
            (RegistryKind.INSTITUTIONS, self.institutions),
            (RegistryKind.ENTERPRISES, self.enterprises),
            (RegistryKind.CERTIFICATIONS, self.certifications),
            (RegistryKind.FINANCIALS, self.financials),
            (RegistryKind.TALENT, self.talent),
            (RegistryKind.PATENTS, self.patents),
        ]


def series_totals() -> dict[str, tuple[int, ...]]:
    """The root-unit value per year of every count the registries carry (the demo series, gaps filled)."""
    out: dict[str, tuple[int, ...]] = {}
    for indicator, values in COUNTS.items():
        if indicator == "talent_total":
            continue  # total human resources: a statistic, not a registry of persons
        filled = REGISTRY_COUNTS.get(indicator, values)
        out[indicator] = tuple(int(v) for v in filled if v is not None)
    patents = {o.period: int(o.value) for o in generate().first_release
               if o.indicator == "valid_invention_patents" and o.unit == ROOT}
    out["valid_invention_patents"] = tuple(patents[y] for y in YEARS)
    return out


def per_unit(totals: tuple[int, ...]) -> dict[str, list[int]]:
    """Each sub-unit's share of every year's total (the generator's split)."""
    parts = [split(total) for total in totals]
    return {unit: [p[i] for p in parts] for i, unit in enumerate(SUB_UNITS)}


def generate_registries() -> DemoRegistries:
    """The demo registries. Deterministic."""
    rng = random.Random(SEED)
    totals = series_totals()
    institutions = make_institutions(rng, {k: per_unit(v) for k, v in totals.items()})
    book = EnterpriseBook(rng)
    for indicator, kinds in CERTIFIED.items():
        for unit, counts in per_unit(totals[indicator]).items():
            _certify(book, rng, unit, kinds, counts)
    talent = make_talent(rng, {k: per_unit(v) for k, v in totals.items() if k.endswith("_talent")})
    patents = make_patents(rng, per_unit(totals["valid_invention_patents"]), book)
    enterprises, financials = book.finish()
    return DemoRegistries(
        institutions=tuple(institutions),
        enterprises=tuple(enterprises),
        certifications=(*book.certifications, *specialised_titles(book.certifications)),
        financials=tuple(financials),
        talent=tuple(talent),
        patents=tuple(patents),
    )


def _certify(book: EnterpriseBook, rng: random.Random, unit: str, kinds: tuple[CertificationKind, ...],
             counts: list[int]) -> None:
    last = YEARS[-1]
    if kinds == (CertificationKind.HIGH_TECH,):
        runs = runs_for(counts, YEARS, rng, churn=0.04, earliest=2017,
                        prefer_end=lambda run, year: (year - run.first) % 3 == 0)
        for i, run in enumerate(runs):
            code = book.enterprise(unit, i, kinds[0])
            for start, end in three_year_certificates(run, last, rng):
                book.certify(code, CertificationKind.HIGH_TECH, start, end)
        return
    churn = 0.05 if kinds[0] is CertificationKind.TECH_SME else 0.08
    runs = runs_for(counts, YEARS, rng, churn=churn, earliest=2016)
    for i, run in enumerate(runs):
        code = book.enterprise(unit, i, kinds[-1])
        upgrade = run.first + rng.randint(1, 3)  # a potential unicorn may become a unicorn
        for year, start, end in yearly_certificates(run, last, rng, since=2018):
            kind = kinds[0] if len(kinds) == 1 or year < upgrade else kinds[1]
            book.certify(code, kind, start, end)



#: share of the high-tech enterprises that also hold the 专精特新 title; of those, the share that became little giants
SPECIALISED_SHARE = 0.12
LITTLE_GIANT_SHARE = 0.25


def specialised_titles(certifications: list[Certification]) -> list[Certification]:
    """专精特新 titles (three years) for some high-tech enterprises, and 小巨人 titles for some of those a year
    later — so that the funnel shows both tiers and the little-giant rule finds the title it needs.

    Drawn with a random stream of their own, so that the rest of the demo is the same as without them.
    """
    rng = random.Random(SEED + 10)
    holders = sorted({c.credit_code for c in certifications if c.kind is CertificationKind.HIGH_TECH})
    out: list[Certification] = []
    for code in holders:
        if rng.random() >= SPECIALISED_SHARE:
            continue
        year = rng.randint(YEARS[0] + 1, YEARS[-1] - 1)
        out.append(Certification(credit_code=code, kind=CertificationKind.SPECIALISED, valid_from=date(year, 7, 1),
                                 valid_to=date(year + 3, 6, 30), certificate_no=f"DEMO-SPECIALISED-{len(out) + 1:06d}"))
        if year < YEARS[-1] - 1 and rng.random() < LITTLE_GIANT_SHARE:
            out.append(Certification(credit_code=code, kind=CertificationKind.LITTLE_GIANT,
                                     valid_from=date(year + 1, 7, 1), valid_to=date(year + 4, 6, 30),
                                     certificate_no=f"DEMO-LITTLE_GIANT-{len(out) + 1:06d}"))
    return out
