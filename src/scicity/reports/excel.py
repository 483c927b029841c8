"""The report as an Excel workbook (openpyxl): the indicator table with number formats, a sheet per area, a data sheet.

Numbers are stored as numbers (completion and growth as fractions shown as
percentages, values with the indicator's decimals), never as text, so an
office can compute with them. Text that a spreadsheet would run as a formula
is written as text.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from scicity.service.report_text import gettext_for

PERCENT = "0.0%"


def _decimals_format(d: int) -> str:
    return "#,##0" + ("." + "0" * d if d else "")


def _safe(text: Any) -> Any:
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def render_xlsx(model: Mapping[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = model["lang"]
    _ = gettext_for(lang)
    wb = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F8")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def header(ws: Any, names: Sequence[str], row: int = 1) -> None:
        for col, name in enumerate(names, 1):
            cell = ws.cell(row, col, name)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        ws.freeze_panes = ws.cell(row + 1, 1)
        ws.row_dimensions[row].height = 30  # two lines: Excel and Calc do not grow a header row by themselves
        _print_setup(ws, row)

    def widths(ws: Any, values: Sequence[int]) -> None:
        for i, w in enumerate(values, 1):
            ws.column_dimensions[get_column_letter(i)].width = w

    ws = wb.active
    ws.title = _sheet(_("Indicators"))
    ws.cell(1, 1, f"{model['plan']['name']} — {model['title']}").font = Font(bold=True, size=13)
    ws.cell(2, 1, f"{_('As of')} {model['as_of']} · {_('Method')} {model.get('method_title') or model['method']} · {model['overall']['sentence']}")
    cols = [_("No."), _("Indicator"), _("Area"), _("Geography unit"), _("Unit of measure"), _("Attribute"), _("Baseline"),
            _("Baseline year"), _("Target"), _("Target value"), _("Target year"), _("Actual"), _("Year"),
            _("Completion rate"), _("Average annual growth"), _("Gap"), _("Verdict"), _("Change on the year before")]
    header(ws, cols, 4)
    for r, t in enumerate(model["rows"], 5):
        fmt = _decimals_format(t["decimals"])
        values = [t["no"], t["name"], t["area_name"], t["unit_name"], t["measure_text"], t["attribute_text"],
                  None if t["kind"] == "cumulative" else t["baseline_value"], t["baseline_period"], t["target_short"],
                  t["target_value"], t["target_year"], t["judged_value"], t["latest_period"], t["completion_rate"],
                  t["average_annual_growth"], t["gap"], t["label_text"],
                  t["year_change"]["change"] if t.get("year_change") else None]
        for c, v in enumerate(values, 1):
            cell = ws.cell(r, c, _safe(v))
            cell.alignment = wrap if c in (2, 3, 4) else top
            if c in (7, 10, 12, 16, 18) and isinstance(v, (int, float)):
                cell.number_format = fmt
            elif c in (14, 15) and isinstance(v, (int, float)):
                cell.number_format = PERCENT
    widths(ws, [5, 40, 22, 18, 12, 9, 12, 8, 16, 12, 8, 12, 7, 11, 11, 10, 14, 12])
    ws.auto_filter.ref = f"A4:{get_column_letter(len(cols))}{4 + len(model['rows'])}"

    for area in model["areas"]:
        sheet = wb.create_sheet(_sheet(area["name"]))
        sheet.cell(1, 1, area["name"]).font = Font(bold=True, size=13)
        header(sheet, [_("No."), _("Indicator"), _("Verdict"), _("Completion rate"), _("Text")], 3)
        for r, no in enumerate(area["rows"], 4):
            t = model["rows"][no - 1]
            sheet.cell(r, 1, t["no"])
            sheet.cell(r, 2, t["name"]).alignment = wrap
            sheet.cell(r, 3, t["label_text"])
            c = sheet.cell(r, 4, t["completion_rate"])
            c.number_format = PERCENT
            sheet.cell(r, 5, _safe(t["paragraph"])).alignment = wrap
            for c in (1, 3, 4):
                sheet.cell(r, c).alignment = top
            sheet.row_dimensions[r].height = _height(t["paragraph"], 100, t["name"], 30)
        widths(sheet, [5, 30, 14, 11, 100])

    if model["problems"]:
        sheet = wb.create_sheet(_sheet(_("Problems")))
        header(sheet, [_("No."), _("Indicator"), _("Verdict"), _("Completion rate"), _("Gap"), _("Required per year"), _("Achieved per year")])
        for r, p in enumerate(model["problems"], 2):
            for c, v in enumerate([p["no"], p["name"], p["label_text"], p["completion_rate"], p["gap"],
                                   p["required_yearly_change"], p["achieved_yearly_change"]], 1):
                cell = sheet.cell(r, c, _safe(v))
                if c == 4:
                    cell.number_format = PERCENT
                elif c >= 5:
                    cell.number_format = _decimals_format(max(p["decimals"], 1))
        widths(sheet, [5, 36, 12, 11, 10, 12, 12])

    if model["sections"]:
        office = wb.create_sheet(_sheet(_("The office's sections")))
        header(office, [_("Title"), _("Text")])
        r = 2
        for sec in model["sections"]:
            for k, part in enumerate(_cell_parts(sec["text"])):
                office.cell(r, 1, _safe(sec["title"]) if k == 0 else None).alignment = wrap
                office.cell(r, 2, _safe(part)).alignment = wrap
                office.row_dimensions[r].height = min(409.0, _height(part, 110))  # 409 points: the tallest row Excel allows
                r += 1
        widths(office, [24, 110])

    data = wb.create_sheet(_sheet(_("Data")))
    header(data, ["indicator", "unit", "period", "value", "kind", "judged_target", "target_year", "status", "label"])
    r = 2
    for s in model["status"]:
        for p in s["points"]:
            for c, v in enumerate([s["indicator"], s["unit"], p["period"], p["value"], s["target"]["kind"],
                                   s["target"]["judged_target"], s["target"]["year"], s["status"],
                                   (s["review"] or {}).get("label")], 1):
                data.cell(r, c, v)
            r += 1
    widths(data, [28, 10, 8, 14, 12, 14, 11, 12, 14])

    meta = wb.create_sheet(_sheet(_("About")))
    basis = model["data_basis"]
    for r, (k, v) in enumerate([
        (_("Plan"), model["plan"]["name"]), (_("Plan period"), f"{model['plan']['period'][0]}–{model['plan']['period'][1]}"),
        (_("As of"), model["as_of"]), (_("Method"), model.get("method_title") or model["method"]), (_("Generated"), model["generated_at"]),
        (_("Approved values used"), basis.get("approved")), (_("Pending review"), basis.get("pending")),
        (_("Returned"), basis.get("returned")),
    ], 1):
        meta.cell(r, 1, k).font = bold
        if k == _("Generated"):  # an Excel date and time (UTC; Excel has no time zones), not text
            cell = meta.cell(r, 2, _generated(v))
            cell.number_format = GENERATED_FORMAT if isinstance(cell.value, datetime) else "General"
            cell.alignment = Alignment(horizontal="left")
        else:
            meta.cell(r, 2, _safe(v))
    widths(meta, [24, 60])
    wb.properties.title = f"{model['plan']['name']} — {model['title']}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: how the "Generated" cell shows its date and time
GENERATED_FORMAT = 'yyyy-mm-dd hh:mm:ss "UTC"'


def _generated(text: str) -> Any:
    """The model's ISO 8601 time as a naive UTC datetime for Excel; text that is no such time stays text."""
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return _safe(text)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


#: the most characters an Excel cell holds (a longer one makes Excel call the file damaged)
CELL_LIMIT = 32_767


def _cell_parts(text: str) -> list[str]:
    """The office's text as cells: a paragraph per row, a paragraph longer than a cell holds over several rows."""
    from scicity.reports.html import paragraphs

    step = CELL_LIMIT - 1
    return [p[i:i + step] for p in paragraphs(text) for i in range(0, len(p), step)]


def _height(text: str, width: int, *more: Any) -> float:
    """Points for a row whose wrapped ``text`` fills a column ``width`` characters wide (a Chinese character counts two).

    Excel and Calc do not grow rows for wrapped text written by openpyxl, so a long paragraph would show one line.
    """
    pairs = [(text, width), *zip(more[::2], more[1::2], strict=True)]
    lines = max(math.ceil(sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(t)) / max(1, w - 1)) for t, w in pairs)
    return max(15.0, 14.0 * lines + 2)


def _print_setup(ws: Any, header_row: int) -> None:
    """Printed (or made a PDF by Excel, WPS or Calc): landscape A4, all columns on the page width, the header repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{header_row}:{header_row}"


def _sheet(name: str) -> str:
    """A valid sheet title: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
