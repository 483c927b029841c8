"""Nothing accepted is silently dropped: values right of the header, formulas without a computed value."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from scicity.ingest.detect import read_any
from scicity.ingest.problems import ImportRejected
from scicity.ingest.registry_reader import read_registry
from scicity.service.plans import resolve_plan


@pytest.fixture(scope="module")
def plan():  # noqa: ANN201
    return resolve_plan(None).plan


def _problems(fn, *args) -> list[str]:  # noqa: ANN001
    with pytest.raises(ImportRejected) as caught:
        fn(*args)
    return [str(p) for p in caught.value.problems]


def test_a_value_right_of_the_header_in_a_csv(tmp_path: Path, plan) -> None:  # noqa: ANN001
    f = tmp_path / "data.csv"
    f.write_text("indicator,unit,period,value\ngrp,wcsc,2023,100,,,surprise\n", encoding="utf-8")
    assert _problems(read_any, f, plan) == [
        "data.csv, row 2, column 'G': a value in a column without a header; add the header or delete the value"]


def test_a_value_under_a_blank_header_in_a_registry_file(tmp_path: Path, plan) -> None:  # noqa: ANN001
    f = tmp_path / "labs.csv"
    f.write_text("code,name_zh,type,level,unit,recognised_on,\n"
                 "KL-1,实验室,key_lab,national,science_avenue,2015-01-01,surprise\n"
                 "KL-2,实验室二,key_lab,national,science_avenue,2015-01-01,,,more\n", encoding="utf-8")
    problems = _problems(read_registry, f, "institutions", plan)
    assert any("row 2, column 'G': a value in a column without a header" in p for p in problems), problems
    assert any("row 3, column 'I': a value in a column without a header" in p for p in problems), problems


def _with_formula_without_value(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "unit", "period", "value", "source"])
    ws.append(["grp", "wcsc", 2023, 100, "=CONCAT(\"year\",\"book\")"])
    wb.save(path)  # openpyxl stores formulas without a computed value (an empty <v></v>)
    with zipfile.ZipFile(path) as z:
        assert b"<f>" in z.read("xl/worksheets/sheet1.xml")
    return path


def test_a_formula_without_a_cached_value_is_a_problem_at_its_cell(tmp_path: Path, plan) -> None:  # noqa: ANN001
    f = _with_formula_without_value(tmp_path / "formula.xlsx")
    assert _problems(read_any, f, plan) == [
        "formula.xlsx, sheet 'Sheet', row 2, column 'E': a formula without a computed value (the file was saved by a "
        "program that does not calculate formulas); open it in Excel and save it again, or type the value"]


def test_a_formula_with_its_value_is_read(tmp_path: Path, plan) -> None:  # noqa: ANN001
    f = _with_formula_without_value(tmp_path / "formula.xlsx")
    fixed = tmp_path / "fixed.xlsx"
    with zipfile.ZipFile(f) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="E2"><f>', b'<c r="E2" t="str"><f>').replace(b"</f><v></v></c>", b"</f><v>yearbook</v></c>")
            out.writestr(info.filename, data)
    [row] = read_any(fixed, plan)
    assert row.source == "yearbook"
