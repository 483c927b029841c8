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


def _bad_gazelle(tmp_path: Path) -> Path:
    """A gazelle rule of 2025 that overlaps the packaged 2023 one, names an unknown field, has a threshold without a
    unit and a valuation-style mistake: a revenue threshold in USD."""
    text = (GAZELLE.replace('version: "2023"', 'version: "2025"').replace("2023-01-01", "2025-01-01")
            .replace("metric: revenue_cagr_3y", "metric: revenue_cagr_3yr")
            .replace("threshold: {value: 10, unit: CNY m}", "threshold: {value: 10}"))
    path = tmp_path / "gazelle-2025.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, start: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if start in text)


def test_an_overlap_is_reported_with_the_files_other_problems(tmp_path):
    """The overlap was only checked once the rest of the file was right: an office fixed one thing at a time."""
    path = _bad_gazelle(tmp_path)
    found = issues(path)
    assert (_line(path, "effective_from"), ) == tuple(ln for ln, m in found if "overlaps version 2023" in m)
    assert any(ln == _line(path, "revenue_cagr_3yr") and "unknown field 'revenue_cagr_3yr'" in m for ln, m in found)
    assert any(ln == _line(path, "threshold: {value: 10}") and "has no unit" in m for ln, m in found)
    assert len(found) == 3
    with pytest.raises(RulesInvalid) as info:  # the same problems when the file is passed with --rules
        load_rule_book([path])
    assert len(info.value.issues) == 4  # the packaged 2023 file is named too: it overlaps the new one


def test_validate_in_chinese_gives_every_problem_at_file_line(cli, tmp_path):
    path = _bad_gazelle(tmp_path)
    result = cli("tiers", "validate", path, "--lang", "zh", ok=False)
    assert result.exit_code == 1
    text = result.output
    assert "梯度规则文件中有 3 个问题" in text
    assert f"{path}:{_line(path, 'effective_from')} (effective_from)：gazelle 的 2025 版" in text and "施行期间重叠" in text
    assert f"{path}:{_line(path, 'revenue_cagr_3yr')} (criteria[1].metric)：未知字段 'revenue_cagr_3yr'；是否应为" in text
    assert f"{path}:{_line(path, 'value: 10}')} (criteria[2].threshold)：门槛 10 没有单位" in text
    for english in ("overlaps", "unknown field", "has no unit", "problem"):
        assert english not in text.replace(str(path), "")
    ok = cli("tiers", "validate", PACKAGED / "gazelle-2023.yaml", "--lang", "zh").stdout
    assert "gazelle 2023 版" in ok and "3 个条件 — 通过" in ok


def test_a_valuation_threshold_in_cny_is_refused_in_both_languages(cli, tmp_path):
    text = (PACKAGED / "unicorn-2023.yaml").read_text(encoding="utf-8")
    assert "unit: USD bn" in text
    path = tmp_path / "unicorn.yaml"
    path.write_text(text.replace("unit: USD bn", "unit: CNY bn", 1), encoding="utf-8")
    en = cli("tiers", "validate", path, ok=False).output
    line = _line(path, "CNY bn")
    assert f"{path}:{line}" in en and "unit 'CNY bn' does not fit 'valuation_usd', which is in USD" in en
    zh = cli("tiers", "validate", path, "--lang", "zh", ok=False).output
    assert f"{path}:{line}" in zh and "单位 'CNY bn' 与 'valuation_usd' 不符" in zh


def test_an_office_rule_file_with_problems_stops_evaluate_before_any_row_is_judged(cli, tmp_path):
    path = _bad_gazelle(tmp_path)
    cli("init")
    result = cli("tiers", "evaluate", "--rules", path, "--lang", "zh", ok=False)
    assert result.exit_code == 2
    text = result.output
    assert "梯度规则文件中有 4 个问题" in text and f"{path}:{_line(path, 'revenue_cagr_3yr')}" in text
    assert "gazelle-2023.yaml" in text  # the packaged version it overlaps, at its own line
    assert "错误：梯队规则有问题" in text and "提示：" in text
