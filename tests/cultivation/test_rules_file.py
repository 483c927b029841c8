"""Tier rule files: the packaged ones load; every problem of a bad file is reported at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scicity.ingest.tier_rules_file import PACKAGED, RulesInvalid, load_rule_book, validate_rule_file

GAZELLE = (PACKAGED / "gazelle-2023.yaml").read_text(encoding="utf-8")


def issues(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(RulesInvalid) as info:
        validate_rule_file(path)
    return [(i.line, i.message) for i in info.value.issues]


def test_packaged_rules_cover_every_tier_and_version():
    book = load_rule_book()
    assert book.tiers() == ["tech_sme", "high_tech", "specialised", "little_giant", "gazelle",
                            "potential_unicorn", "unicorn"]
    assert [v.version for v in book.of("tech_sme")] == ["2017", "2026"]
    assert [v.version for v in book.of("specialised")] == ["2022", "2026"]
    assert [v.version for v in book.of("little_giant")] == ["2022", "2026"]
    for v in book.versions:
        assert v.source and all(c.article for c in v.criteria)


@pytest.mark.parametrize(("tier", "year", "version"), [
    ("tech_sme", 2025, "2017"), ("tech_sme", 2026, "2026"), ("specialised", 2023, "2022"),
    ("specialised", 2026, "2026"), ("gazelle", 2027, "2023"), ("gazelle", 2028, None), ("high_tech", 2021, "2016"),
])
def test_a_year_is_judged_by_the_rules_in_force_that_year(tier, year, version):
    rule = load_rule_book().for_year(tier, year)
    assert (rule.version if rule else None) == version


def test_every_packaged_file_validates_alone():
    for path in sorted(PACKAGED.glob("*.yaml")):
        assert validate_rule_file(path).tier in path.name


def test_an_office_file_with_the_same_tier_and_version_replaces_the_packaged_one(tmp_path):
    mine = tmp_path / "gazelle.yaml"
    mine.write_text(GAZELLE.replace("value: 15, unit", "value: 20, unit"), encoding="utf-8")
    book = load_rule_book([tmp_path])
    growth = next(c for c in book.for_year("gazelle", 2025).criteria if c.id == "growth")
    assert growth.threshold.value == 20


def test_overlapping_versions_are_refused_at_the_line_of_effective_from(tmp_path):
    mine = tmp_path / "gazelle-2025.yaml"
    mine.write_text(GAZELLE.replace('version: "2023"', 'version: "2025"').replace("2023-01-01", "2025-01-01"),
                    encoding="utf-8")
    found = issues(mine)
    line = next(n for n, text in enumerate(mine.read_text().splitlines(), 1) if text.startswith("effective_from"))
    assert any(ln == line and "overlaps version 2023" in msg for ln, msg in found), found


def test_unknown_field_unit_less_threshold_and_wrong_unit_are_all_reported(tmp_path):
    text = (GAZELLE.replace("metric: revenue_cagr_3y", "metric: revenue_cagr_3yr")
            .replace("threshold: {value: 10, unit: CNY m}", "threshold: {value: 10}")
            .replace('version: "2023"', 'version: "2031"').replace("2023-01-01", "2031-01-01")
            .replace("2027-12-31", "2031-12-31"))
    text = text.replace("  - {id: model,", "  - {id: size, name_zh: 规模, name_en: size, article: x, metric: sales, "
                        "comparator: \">=\", threshold: {value: 5, unit: USD m}}\n  - {id: model,")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    found = issues(path)
    lines = path.read_text().splitlines()
    at = {msg.split(" ")[0]: ln for ln, msg in found}
    assert any("unknown field 'revenue_cagr_3yr'" in m and "revenue_cagr_3y" in m for _, m in found)
    assert any("has no unit" in m for _, m in found)
    assert any("unit 'USD m' does not fit 'sales'" in m for _, m in found)
    for ln, msg in found:
        assert ln is not None and 1 <= ln <= len(lines), (ln, msg)
    assert at


def test_unknown_key_and_yaml_syntax(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(GAZELLE.replace("source:", "sauce:"), encoding="utf-8")
    found = issues(path)
    assert any("unknown key 'sauce'" in m for _, m in found) and any("missing required key 'source'" in m for _, m in found)
    path.write_text("tier: [gazelle\n", encoding="utf-8")
    assert issues(path)[0][1].startswith("YAML syntax")
