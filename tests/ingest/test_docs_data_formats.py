"""docs/data-formats.md stays honest: its headers and example messages are what the code does."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scicity.ingest.columns import HEADERS
from scicity.ingest.problems import ImportRejected
from scicity.ingest.template import read_any, write_template

from .files import HEADER, write_csv, write_xlsx

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-formats.md"


def problem_lines(path: Path, plan) -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        read_any(path, plan)
    return str(exc.value).splitlines()[1:]


def test_every_accepted_header_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for header in HEADERS:
        assert f"`{header}`" in text, header


def test_example_messages_are_real(tmp_path, plan):
    text = DOC.read_text(encoding="utf-8")
    csv_path = write_csv(tmp_path / "data.csv", [
        ["rd_expenditur", "wcsc", "2023", "567.8", "", ""],
        ["grp", "wcsc", "2023年", "1,234", "", ""],
        ["high_tech_enterprises", "wcsc", "2023", "12%", "", ""],
        ["grp", "%", "2024", "NaN", "", "03/04/2024"],
        ["grp", "wcsc", "2023", "-5", "", ""],
        ["grp", "wcsc", "2023", "1234", "", ""],
    ])
    xlsx_path = write_xlsx(tmp_path / "data.xlsx", {"Talent": [HEADER[:4], ["talent_change", "wcsc", 2023.5, "1 234"]],
                                                    "Sheet2": [["x"]]})
    template = tmp_path / "template.xlsx"
    write_template(plan, template)
    wb = openpyxl.load_workbook(template)
    wb["Series"]["F3"] = "1,234"
    wb["Innovation input"]["E2"] = 2.5
    wb.save(template)
    for path in (csv_path, xlsx_path, template):
        for line in problem_lines(path, plan):
            assert line in text, line
