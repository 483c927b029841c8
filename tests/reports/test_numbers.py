"""Every number in a report is the number of `scicity status --format json` for the same as-of."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from scicity.i18n import fmt_number
from scicity.reports.formats import render


def test_the_model_carries_the_status_json_unchanged(final_models, status_json):
    assert final_models["zh"]["status"] == status_json


def test_table_rows_take_their_numbers_from_the_status_json(final_models, status_json):
    for row, j in zip(final_models["zh"]["rows"], status_json, strict=True):
        rv = j["review"]
        assert row["indicator"] == j["indicator"]
        assert row["judged_value"] == j["judged_value"]
        assert row["latest_period"] == j["latest_period"]
        assert row["completion_rate"] == rv["completion_rate"]
        assert row["average_annual_growth"] == rv["average_annual_growth"]
        assert row["gap"] == rv["gap"]
        assert row["label"] == rv["label"]
        assert row["target_value"] == j["target"]["value"]
        assert row["attribute"] == j["attribute"] == "expected"


def test_final_verdicts_follow_the_status(final_models, status_json):
    for j in status_json:
        assert j["review"]["label"] == ("completed" if j["status"] == "achieved" else "not_completed")
    counts = final_models["zh"]["overall"]["counts"]
    assert counts == {"completed": 11, "not_completed": 7}
    assert final_models["zh"]["overall"]["sentence"] == "截至2025年，18项指标目标中，11项完成，7项未完成。"


def test_xlsx_cells_equal_the_status_json(final_models, status_json):
    wb = load_workbook(io.BytesIO(render(final_models["zh"], "xlsx")))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[4]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == len(status_json)
    for cells, j in zip(rows, status_json, strict=True):
        assert cells[col["指标"]] == j["name"]
        assert cells[col["实际值"]] == pytest.approx(j["judged_value"])
        assert cells[col["年份"]] == j["latest_period"]
        assert cells[col["完成率"]] == pytest.approx(j["review"]["completion_rate"])
        growth = j["review"]["average_annual_growth"]
        assert cells[col["年均增速"]] == (pytest.approx(growth) if growth is not None else None)
        assert cells[col["目标值"]] == j["target"]["value"]


def test_html_table_prints_the_status_numbers(final_models, status_json):
    html = render(final_models["en"], "html").decode()
    table = html.split('<table class="indicators">', 1)[1].split("</table>", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", r) for r in table.split("<tr>")[2:]]
    assert len(cells) == len(status_json)
    for text, j, row in zip(cells, status_json, final_models["en"]["rows"], strict=True):
        assert fmt_number(j["judged_value"], row["decimals"], "en") in text
        assert f"{fmt_number(j['review']['completion_rate'] * 100, 1, 'en')}%" in text
        assert str(j['latest_period']) in text
