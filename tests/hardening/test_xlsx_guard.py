"""The workbook check: declared range, cell references and unpacked sizes are looked at before reading."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from scicity.ingest.problems import ImportRejected
from scicity.ingest.xlsx_guard import WorkbookLimits, check_workbook
from scicity.ingest.workbook import open_workbook
from tests.hardening.hostile import HEADER, zip_bomb_xlsx


def _problems(path: Path, limits: WorkbookLimits = WorkbookLimits()) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        check_workbook(path, limits)
    return [str(p) for p in caught.value.problems]


def test_one_cell_at_xfd1048576_is_refused_before_reading(far_cell: Path) -> None:
    assert far_cell.stat().st_size < 10_000
    [problem] = _problems(far_cell)
    assert "sheet 'Sheet'" in problem and "A1:XFD1048576" in problem and "17,179,869,184 cells" in problem
    with pytest.raises(ImportRejected):  # every reader opens workbooks through this check
        open_workbook(far_cell)


def test_a_false_dimension_does_not_hide_the_far_cell(far_cell: Path, tmp_path: Path) -> None:
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(far_cell) as src, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1:E1"/>')
                assert b'ref="A1:E1"' in data
            out.writestr(info.filename, data)
    [problem] = _problems(lying)
    assert "has cells across A1:XFD1048576" in problem


def test_a_zip_bomb_is_refused_from_its_directory(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 20 * 1024 * 1024  # under the upload limit
    [problem] = _problems(zip_bomb)
    assert "expands to 10,240 MB when unpacked" in problem and "limit of 1,024 MB" in problem


def test_a_sheet_is_measured_as_it_unpacks(tmp_path: Path) -> None:
    bomb = zip_bomb_xlsx(tmp_path / "small-bomb.xlsx", size=40 * 1024 * 1024)
    assert _problems(bomb, WorkbookLimits(max_uncompressed=30 * 1024 * 1024))
    check_workbook(bomb, WorkbookLimits(max_uncompressed=60 * 1024 * 1024))  # under the limit: fine


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for year in range(2020, 2026):
        ws.append(["grp", "zone", year, 100.0 + year, "bureau"])
    wb.save(tmp_path / "ok.xlsx")
    check_workbook(tmp_path / "ok.xlsx")
    check_workbook(tmp_path / "ok.xlsx", WorkbookLimits(max_cells=35))
    assert _problems(tmp_path / "ok.xlsx", WorkbookLimits(max_cells=34))  # 7 rows × 5 columns
