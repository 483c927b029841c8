"""The draft of the next plan as an Excel workbook for consultation: one row per target, with odds and effort."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from scicity.service.plan_checks import KIND_TEXT, LEVEL_TEXT
from scicity.service.plan_lifecycle import Workspace

HEADERS = (
    "indicator id", "Name", "Measure", "target kind", "comparator", "baseline year", "baseline value", "Target",
    "target year", "p_meet", "required yearly change", "achieved yearly change (last plan)", "last plan's target",
    "comments on the target",
)


def workspace_xlsx(ws: Workspace, lang: str = "en", gettext: Callable[[str], str] = lambda s: s,
                   comments: dict[str, list[str]] | None = None) -> bytes:
    """The workbook: sheet 'targets' (one row per target) and sheet 'checks'."""
    _ = gettext
    comments = comments or {}
    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    sheet.append([_(h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    plan = ws.plan
    for row in ws.rows:
        ind = next(i for i in plan.indicators if i.id == row.indicator_id)
        target = ind.targets[0]
        h = row.history
        sheet.append([
            ind.id, ind.name.get(lang), ind.measure, _(target.kind.value), target.comparator.value, plan.baseline_year,
            None if h is None else h.baseline_value, row.value, plan.target_year,
            None if row.odds is None or row.odds.p_meet is None else round(row.odds.p_meet, 4),
            None if row.odds is None else row.odds.required_yearly_change,
            None if h is None else h.achieved_yearly_change(),
            None if h is None else h.target.value,
            "\n".join(comments.get(ind.id, [])),
        ])
    for i, width in enumerate((28, 40, 18, 12, 10, 12, 12, 12, 12, 10, 16, 18, 14, 40), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    checks = book.create_sheet("checks")
    checks.append([_("kind of check"), _("check result"), _("indicator ids"), _("finding")])
    for cell in checks[1]:
        cell.font = Font(bold=True)
    for c in ws.checks:
        checks.append([_(KIND_TEXT[c.kind]), _(LEVEL_TEXT[c.level]), ", ".join(c.indicators), c.text(gettext, lang)])
    checks.column_dimensions["D"].width = 120
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
