"""The wide XLSX data template, generated from the plan (openpyxl).

Sheets: a README (说明) explaining how to fill it in, one sheet per plan
area with its indicators, a 'Series' sheet with the raw series (the parts of
the ratio indicators), and a very hidden ``_scicity`` sheet that marks the
file as a template (see :mod:`scicity.ingest.template_layout`).

Value cells accept decimals only (Excel data validation: ≥ 0 where the plan
says the id cannot be negative, |x| ≤ 10^15), with an input message naming
the unit of measure. Computed indicators are shown greyed with their formula
and are locked: the sheets are protected (without a password, against
accidents, not people) so that only value and source cells take typing.
Reading the template back is :func:`read_template`; :func:`read_any` tells
the kinds of data file apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scicity.domain.observation import Observation, ObservationKey
from scicity.domain.plan import Indicator, Plan, Series
from scicity.ingest.detect import read_any
from scicity.ingest.template_layout import (
    COMPUTED_NOTE,
    FACTS,
    FIRST_YEAR_COLUMN,
    FORMAT_LINE,
    HEADERS,
    MARKER,
    META_SHEET,
    README_LINES,
    README_TITLE,
    SERIES_TITLE,
    VERSION,
    base_lang,
    other_lang,
    sheet_title,
)
from scicity.ingest.template_reader import read_template
from scicity.ingest.cells import MAX_ABS, MAX_YEAR, MIN_YEAR
from scicity.ingest.xlsx_write import set_number, set_text

__all__ = ["read_any", "read_template", "write_template"]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ID_FONT = Font(color="808080", size=9)
_COMPUTED_FONT = Font(color="808080", italic=True)
_COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
_OPEN = Protection(locked=False)
Row = Indicator | Series


def write_template(
    plan: Plan,
    path: Path,
    *,
    years: Sequence[int] | None = None,
    unit: str | None = None,
    lang: str = "en",
    observations: Mapping[ObservationKey, Observation] | None = None,
) -> None:
    """Write a template for one geographic unit (default: the plan's root), pre-filled from ``observations``."""
    unit = unit or plan.geography.id
    if unit not in plan.geo_units():
        raise ValueError(f"{unit!r} is not a geographic unit of plan {plan.id!r} "
                         f"(known: {', '.join(plan.geo_units())})")
    year_list = sorted(set(years)) if years is not None else list(range(plan.baseline_year, plan.target_year + 1))
    if not year_list or not all(MIN_YEAR <= y <= MAX_YEAR for y in year_list):
        raise ValueError(f"years must be a non-empty list of years in {MIN_YEAR}–{MAX_YEAR}, got {years!r}")
    lang = base_lang(lang)
    stored = observations or {}
    book = Workbook()
    taken: set[str] = set()
    readme = book.active
    assert readme is not None
    readme.title = sheet_title(README_TITLE[lang], taken)
    data_sheets: list[str] = []
    for title, rows in _groups(plan, lang):
        ws = book.create_sheet(sheet_title(title, taken))
        _fill_sheet(ws, plan, rows, year_list, unit, lang, stored)
        data_sheets.append(ws.title)
    _fill_readme(readme, plan, unit, year_list, lang, data_sheets)
    meta = book.create_sheet(META_SHEET)
    for row in ([MARKER, VERSION], ["plan", plan.id], ["unit", unit], ["lang", lang],
                *(["sheet", name] for name in data_sheets)):
        meta.append(row)
    meta.sheet_state = "veryHidden"
    book.save(Path(path))


def _groups(plan: Plan, lang: str) -> list[tuple[str, list[Row]]]:
    by_area: dict[str, list[Row]] = {}
    for ind in plan.indicators:
        by_area.setdefault(ind.area, []).append(ind)
    groups: list[tuple[str, list[Row]]] = []
    for area in plan.areas:
        if area.id in by_area:
            groups.append((area.name.get(lang), by_area.pop(area.id)))
    groups.extend((area_id, rows) for area_id, rows in by_area.items())
    if plan.series:
        groups.append((SERIES_TITLE[lang], list(plan.series)))
    return groups


def _fill_sheet(ws: Worksheet, plan: Plan, rows: list[Row], years: list[int], unit: str, lang: str,
                stored: Mapping[ObservationKey, Observation]) -> None:
    other = other_lang(lang)
    words = HEADERS[lang]
    header = [words["id"], words["name"], words["other_name"], words["measure"], *years, words["source"]]
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    source_col = FIRST_YEAR_COLUMN + len(years)
    first, last = get_column_letter(FIRST_YEAR_COLUMN), get_column_letter(source_col - 1)
    for r, item in enumerate(rows, start=2):
        computed = isinstance(item, Indicator) and item.formula is not None
        ws.cell(r, 1, item.id).font = _ID_FONT
        ws.cell(r, 2, item.name.get(lang))
        ws.cell(r, 3, item.name.zh if other == "zh" else item.name.en)
        ws.cell(r, 4, item.measure_in(lang))
        if computed:
            assert isinstance(item, Indicator)
            note = _in(COMPUTED_NOTE, lang).format(formula=item.formula)
            ws.cell(r, source_col, note)
            for c in range(1, source_col + 1):
                ws.cell(r, c).font, ws.cell(r, c).fill = _COMPUTED_FONT, _COMPUTED_FILL
            continue
        sources: set[str] = set()
        for c, year in enumerate(years, start=FIRST_YEAR_COLUMN):
            cell = ws.cell(r, c)
            cell.protection = _OPEN
            obs = stored.get(ObservationKey(item.id, unit, year))
            if obs is not None:
                set_number(cell, obs.value)
                if obs.source:
                    sources.add(obs.source)
        source = ws.cell(r, source_col)
        set_text(source, sources.pop() if len(sources) == 1 else None)
        source.protection = _OPEN
        ws.add_data_validation(_validation(item, f"{first}{r}:{last}{r}", lang))
    ws.freeze_panes = ws.cell(2, FIRST_YEAR_COLUMN)
    for c, width in ((1, 24), (2, 42), (3, 30), (4, 18), (source_col, 44)):
        ws.column_dimensions[get_column_letter(c)].width = width
    for c in range(FIRST_YEAR_COLUMN, source_col):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validation(item: Row, cells: str, lang: str) -> DataValidation:
    low = "0" if item.non_negative else f"{-MAX_ABS:.0f}"
    rule_en = "a number ≥ 0" if item.non_negative else "a number"
    rule_zh = "不小于0的数字" if item.non_negative else "数字"
    name = item.name.get(lang)
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1=low,
        formula2=f"{MAX_ABS:.0f}",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="数值无效" if lang == "zh" else "Not a valid value",
        error=(f"请填写{rule_zh}（单位：{item.measure_in('zh')}），不加%或分隔符。" if lang == "zh" else
               f"Type {rule_en} in {item.measure}, without % or separators.")[:225],
        promptTitle="数值" if lang == "zh" else "Value",
        prompt=(f"{name[:80]}（{item.measure_in('zh')}）。仅填数字，无数据请留空。" if lang == "zh" else
                f"{name[:80]} — {item.measure}. Number only; leave empty if none.")[:255],
    )
    dv.add(cells)
    return dv


def _in(pair: tuple[str, str], lang: str) -> str:
    """The English or the Chinese of an (English, Chinese) pair."""
    return pair[1] if lang == "zh" else pair[0]


def _fill_readme(ws: Worksheet, plan: Plan, unit: str, years: list[int], lang: str, sheets: list[str]) -> None:
    geo = plan.geo_units()[unit]
    ws.append([plan.name.get(lang)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    facts = [
        (_in(FACTS["plan"], lang), plan.name.get(lang)),
        (_in(FACTS["unit"], lang), f"{geo.name.get(lang)}（{unit}）" if lang == "zh" else f"{geo.name.get(lang)} ({unit})"),
        (_in(FACTS["years"], lang), f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])),
        (_in(FACTS["sheets"], lang), ("、" if lang == "zh" else ", ").join(sheets)),
    ]
    for label, value in facts:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = _HEADER_FONT
    ws.append([])
    for line in README_LINES:
        ws.append([_in(line, lang)])
    ws.cell(ws.max_row - len(README_LINES) + 1, 1).font = _HEADER_FONT
    ws.append([])
    ws.append([_in(FORMAT_LINE, lang).format(marker=MARKER, version=VERSION, sheet=META_SHEET)])
    ws.cell(ws.max_row, 1).font = _ID_FONT
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
