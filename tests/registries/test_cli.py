"""`scicity registry …` and `scicity init --demo` with real files."""

from __future__ import annotations

from scicity.demo.registries import generate_registries
from tests.registries.conftest import write_csv


def test_init_demo_loads_the_registries(demo_cli):
    listed = demo_cli("registry", "list", "institutions", "--unit", "vitality_centre", "--valid-at", "2023-12-31",
                      "--limit", "3").stdout
    assert "institutions valid at 2023-12-31 in vitality_centre" in listed
    assert "3 institutions shown (more not shown: raise --limit)" in listed
    again = demo_cli("init", "--demo").stdout
    assert "demo registries not loaded again" in again


def test_export_then_dry_run_import_changes_nothing(demo_cli, tmp_path):
    for kind in ("institutions", "enterprises", "certifications", "financials", "talent", "patents"):
        out = tmp_path / f"{kind}.csv"
        assert f"records to {out}" in demo_cli("registry", "export", kind, out).stdout
        result = demo_cli("registry", "import", kind, out, "--dry-run").stdout
        assert "0 new · 0 changed" in result and "nothing written" in result, result


def test_import_new_and_changed_then_again_unchanged(demo_cli, tmp_path):
    lab = next(i.code for i in generate_registries().institutions if i.type == "key_lab")
    f = write_csv(tmp_path / "labs.csv", ["code", "名称", "类型", "级别", "地区", "认定日期"],
                  [["KL-NEW", "新实验室（示例）", "重点实验室", "市级", "efficiency_centre", "2025/3/1"],
                   [lab, "改名实验室（示例）", "key_lab", "national", "science_avenue", "2015-01-01"]])
    dry = demo_cli("registry", "import", "institutions", f, "--dry-run")
    assert "1 new · 1 changed" in dry.stdout
    assert "read as year-month-day" in dry.stderr
    done = demo_cli("registry", "import", "institutions", f, "--actor", "lab-office").stdout
    assert "imported institutions" in done and "1 new · 1 changed" in done
    assert lab in done  # the changed record is listed with its old and new values
    again = demo_cli("registry", "import", "institutions", f).stdout
    assert "0 new · 0 changed · 2 unchanged" in again


def test_a_bad_file_imports_nothing_and_exits_1(demo_cli, tmp_path):
    f = write_csv(tmp_path / "certs.csv", ["credit_code", "kind", "valid_from", "valid_to"],
                  [["91350100M000100Y43", "gazelle", "2023-05", ""], ["91350100M000100Y44", "gazelle", "2023-05-01", ""]])
    result = demo_cli("registry", "import", "certifications", f, ok=False)
    assert result.exit_code == 1
    assert "certs.csv, row 2, column 'valid_from': found '2023-05' — only a year and month" in result.output
    assert "certs.csv, row 3, column 'credit_code': found '91350100M000100Y44' — check character should be '3'" \
        in result.output
    assert "certs.csv, row 2, column 'credit_code': no enterprise with credit code 91350100M000100Y43" in result.output
    assert "nothing was imported" in result.output


def test_list_refuses_bad_options(demo_cli):
    assert "unknown geography unit 'nowhere'" in demo_cli("registry", "list", "talent", "--unit", "nowhere", ok=False).output
    assert "--valid-at '5/1/2023': ambiguous" in demo_cli("registry", "list", "talent", "--valid-at", "5/1/2023",
                                                          ok=False).output
    assert "no validity dates" in demo_cli("registry", "list", "financials", "--valid-at", "2023-12-31", ok=False).output


def test_help_mentions_base_statistics(cli):
    assert "scicity import" in cli("registry", "--help").stdout
