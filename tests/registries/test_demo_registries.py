"""The demo registries give the demo series exactly: the same numbers either way.

Every count is recomputed here in plain Python from the records, with the
validity rule of docs/registries.md and the roll-up of sub-units to the
Science City, and compared with the demo observations.
"""

from __future__ import annotations

from datetime import date

import pytest

from scicity.demo.generator import BROKEN_DOWN, ROOT, SUB_UNITS, YEARS, generate
from scicity.demo.registries import REGISTRY_COUNTS, generate_registries
from scicity.domain.credit_code import is_valid_credit_code

REG = generate_registries()
ANCESTORS = {ROOT: (ROOT,), **{u: (u, ROOT) for u in SUB_UNITS}}
ENTERPRISE_UNIT = {e.credit_code: e.unit for e in REG.enterprises}


def _institutions(type_, levels=None):
    return lambda year: [(i.code, i.unit) for i in REG.institutions
                         if i.type == type_ and (levels is None or i.level in levels)
                         and i.recognised_on <= date(year, 12, 31)
                         and (i.closed_on is None or i.closed_on > date(year, 12, 31))]


def _certified(*kinds):
    def select(year):
        d = date(year, 12, 31)
        return [(c.credit_code, ENTERPRISE_UNIT[c.credit_code]) for c in REG.certifications
                if c.kind in kinds and c.valid_from <= d and (c.valid_to is None or d <= c.valid_to)]
    return select


def _introduced(tier):
    return lambda year: [(t.person_id, t.unit) for t in REG.talent if t.tier == tier and t.introduced_on.year == year]


def _valid_inventions(year):
    d = date(year, 12, 31)
    return [(p.number, p.unit) for p in REG.patents
            if p.type == "invention" and p.granted_on <= d and (p.lapsed_on is None or p.lapsed_on > d)]


DEFINITIONS = {
    "major_facilities": _institutions("major_facility"),
    "national_industry_platforms": _institutions("national_industry_platform"),
    "rd_institutions": _institutions("rd_institution", {"municipal", "national"}),
    "key_labs": _institutions("key_lab", {"municipal", "national"}),
    "pilot_platforms": _institutions("pilot_platform"),
    "tech_enterprises": _certified("tech_sme"),
    "high_tech_enterprises": _certified("high_tech"),
    "gazelle_enterprises": _certified("gazelle"),
    "unicorn_enterprises": _certified("unicorn", "potential_unicorn"),
    "top_talent": _introduced("top"),
    "outstanding_talent": _introduced("outstanding"),
    "leading_talent": _introduced("leading"),
    "young_talent": _introduced("young"),
    "valid_invention_patents": _valid_inventions,
}


def counts(indicator: str, year: int) -> dict[str, int]:
    """Distinct entities per unit, each counted for its unit and every ancestor."""
    seen: dict[str, set[str]] = {u: set() for u in ANCESTORS}
    for key, unit in DEFINITIONS[indicator](year):
        for ancestor in ANCESTORS[unit]:
            seen[ancestor].add(key)
    return {u: len(keys) for u, keys in seen.items()}


SERIES = {(o.indicator, o.unit, o.period): o.value for o in generate().first_release}


@pytest.mark.parametrize("indicator", sorted(DEFINITIONS))
def test_registry_counts_equal_the_demo_series(indicator):
    checked = 0
    for i, year in enumerate(YEARS):
        got = counts(indicator, year)
        if indicator in REGISTRY_COUNTS:
            assert got[ROOT] == REGISTRY_COUNTS[indicator][i], (indicator, year)
        for unit in (ROOT, *SUB_UNITS):
            expected = SERIES.get((indicator, unit, year))
            if expected is not None:
                assert got[unit] == expected, (indicator, unit, year, got[unit], expected)
                checked += 1
    per_unit = 1 + len(SUB_UNITS) if indicator in BROKEN_DOWN else 1
    minimum = 2 if indicator == "national_industry_platforms" else 6 * per_unit
    assert checked >= minimum


def test_decoys_exist_and_do_not_count():
    assert any(i.type == "key_lab" and i.level == "district" for i in REG.institutions)
    assert any(i.type == "rd_institution" and i.level == "district" for i in REG.institutions)
    assert {p.type.value for p in REG.patents} == {"invention", "utility_model", "design"}
    assert any(p.lapsed_on is not None and p.type == "invention" for p in REG.patents)
    assert any(t.introduced_on.year < 2020 for t in REG.talent)
    assert any(i.closed_on is not None for i in REG.institutions if i.type == "key_lab")


def test_high_tech_certificates_last_three_years_with_renewals_and_expiries():
    high = [c for c in REG.certifications if c.kind == "high_tech"]
    full = [c for c in high if (c.valid_to - c.valid_from).days in (1094, 1095)]
    assert len(full) > 0.8 * len(high)
    by_code: dict[str, list] = {}
    for c in high:
        by_code.setdefault(c.credit_code, []).append(c)
    renewed = [cs for cs in by_code.values() if len(cs) > 1]
    assert renewed, "some certificates are renewed"
    expired = [cs for cs in by_code.values() if max(c.valid_to for c in cs) < date(2025, 12, 31)]
    assert expired, "some enterprises let their certificate expire"


def test_records_are_sound_and_labelled_synthetic():
    for _, records in REG.parts():
        for record in records:
            assert record.problems() == [], record
    assert all(is_valid_credit_code(e.credit_code) for e in REG.enterprises)
    assert all("示例" in (e.name_zh or "") and "synthetic" in (e.name_en or "") for e in REG.enterprises)
    assert all(e.founded_on < min((c.valid_from for c in REG.certifications if c.credit_code == e.credit_code),
                                  default=date(2100, 1, 1)) for e in REG.enterprises[:200])
    assert len({e.credit_code for e in REG.enterprises}) == len(REG.enterprises)
    assert len({p.number for p in REG.patents}) == len(REG.patents)
    assert len({(t.person_id, t.tier) for t in REG.talent}) == len(REG.talent)
    assert len({(c.credit_code, c.kind, c.valid_from) for c in REG.certifications}) == len(REG.certifications)
    assert any(len([t for t in REG.talent if t.person_id == p]) == 2 for p in {t.person_id for t in REG.talent[:3000]})


def test_generation_is_deterministic():
    assert generate_registries() == REG
