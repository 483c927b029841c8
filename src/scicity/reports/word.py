"""The report as a Word document (python-docx): real headings, styles, tables and images, to be finished in Word or WPS.

Headings use the built-in 'Heading 1/2/3' styles (so Word's navigation pane
and table of contents work), tables the 'Table Grid' style with a header row
repeated on every page, charts are PNG pictures rendered from the same SVG
as the HTML. East Asian text is set in Noto Sans CJK SC (Word falls back to
its own CJK font where it is not installed).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from scicity.i18n import fmt_number
from scicity.reports.charts import chart_png, prerender, spec_png
from scicity.reports.html import paragraphs
from scicity.reports.word_toc import fill_toc, toc_styles
from scicity.service.report_text import generated_text, gettext_for

FONT = "Noto Sans CJK SC"
#: left and right padding of every table cell (Word's default is 1.9 mm: in 8 pt tables "expected" and "facilities" then
#: broke letter by letter in LibreOffice, seen on its PDF of the seed plan's final report)
CELL_MARGIN_MM = 1.0
#: column widths (mm, 170 in all) of the indicator table: each column at least its longest word at 8 pt in Noto Sans
#: CJK SC plus the padding ("institutions" 15 mm, bold "Completion" 16.3 mm, "未完成（差距" 16.9 mm), the name the rest
INDICATOR_WIDTHS = (8, 35.5, 18, 15, 14, 15.5, 13, 18.5, 13.5, 19)
PROBLEM_WIDTHS = (8, 77.5, 19, 18.5, 15, 16, 16)


def render_docx(model: Mapping[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT  # noqa: F401  (portrait A4)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    lang = model["lang"]
    _ = gettext_for(lang)
    prerender([s for s in model["status"] if s["points"]], lang, specs=[model["map"]] if model.get("map") else [])
    doc = Document()
    _styles(doc, Pt)
    toc_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    _page_number_footer(section, lang)
    doc.core_properties.title = f"{model['plan']['name']} — {model['title']}"
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-GB"

    # cover
    if model["plan"].get("issuer"):
        doc.add_paragraph(model["plan"]["issuer"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph(model["plan"]["name"], style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(model["title"] + (f" · {model['unit_name']}" if model.get("unit_name") else ""), style="Subtitle")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    basis = model["data_basis"]
    facts = [
        (_("Plan period"), f"{model['plan']['period'][0]}–{model['plan']['period'][1]} ({_('baseline')} {model['plan']['baseline_year']})"),
        (_("As of"), str(model["as_of"])),
        (_("Issuer"), model["plan"].get("issuer") or "—"),
        (_("Data basis"), _("approved values only: {approved} values used; {pending} still pending review, {returned} returned").format(
            approved=basis.get("approved", "—"), pending=basis.get("pending", "—"), returned=basis.get("returned", "—"))),
        (_("Method"), model.get("method_title") or model["method"]),
        (_("Generated"), generated_text(model["generated_at"], lang)),
    ]
    _table(doc, None, facts)
    doc.add_page_break()
    doc.add_paragraph(_("Contents"), style="TOC Heading")
    toc = doc.add_paragraph()  # the TOC field goes here once every heading is written
    doc.add_page_break()

    num = lambda v, d=1: fmt_number(v, d, lang)  # noqa: E731
    pct = lambda v: "—" if v is None else f"{fmt_number(v * 100, 1, lang)}%"  # noqa: E731
    # a remark in brackets: full-width in Chinese; in English after a space ("achieved（gap" broke letter by letter)
    aside = (lambda text: f"（{text}）") if lang == "zh" else (lambda text: f" ({text})")  # noqa: E731

    doc.add_heading(_("Overall judgement"), level=1)
    doc.add_paragraph(model["overall"]["sentence"])
    counts = model["overall"]["counts"]
    _table(doc, [model["overall"]["counts_text"][k] for k in counts] + [_("Total")],
           [[str(n) for n in counts.values()] + [str(model["overall"]["total"])]])

    doc.add_heading(_("Indicator table"), level=1)
    header = [_("No."), _("Indicator"), _("Unit of measure"), _("Attribute"), _("Baseline"), _("Target"),
              _("Actual (year)"), _("Completion rate"), _("Average annual growth"), _("Verdict")]
    rows = []
    for t in model["rows"]:
        actual = "—" if t["judged_value"] is None else f"{num(t['judged_value'], t['decimals'])}{' Σ' if t['kind'] == 'cumulative' else ''} ({t['latest_period']})"
        base = "—" if t["kind"] == "cumulative" or t["baseline_value"] is None else f"{num(t['baseline_value'], t['decimals'])} ({t['baseline_period']})"
        verdict = t["label_text"] + (aside(f"{_('gap')} {num(t['gap'], t['decimals'])}") if t["label"] == "not_completed" and t["gap"] else "")
        if t["label"] == "not_completed" and t["gap"] == 0:  # a strict target (">") met exactly: 100 %, yet not achieved
            verdict += aside(_("reached, not exceeded"))
        rows.append([str(t["no"]), t["name"], t["measure_text"], t["attribute_text"], base, f"{t['target_short']} ({t['target_year']})",
                     actual, pct(t["completion_rate"]), pct(t["average_annual_growth"]), verdict])
    _table(doc, header, rows, font_size=Pt(8), numeric={0, 4, 5, 6, 7, 8}, widths=INDICATOR_WIDTHS)

    for area in model["areas"]:
        doc.add_heading(area["name"], level=1)
        for no in area["rows"]:
            t = model["rows"][no - 1]
            doc.add_heading(f"{t['no']}. {t['name']} — {t['label_text']}", level=2)
            status = model["status"][no - 1]
            if status["points"]:
                doc.add_picture(io.BytesIO(chart_png(status, lang)), width=Mm(150))
            doc.add_paragraph(t["paragraph"])

    if model["goals"]:
        doc.add_heading(_("Qualitative goals"), level=1)
        _table(doc, [_("Goal"), _("Year"), _("Status"), _("Evidence")], [
            [g["name"], str(g["year"] or "—"), g["status_text"] + ("" if g["confirmed"] else f" ({_('not yet confirmed')})"),
             (g["evidence"] or "—") + (f" — {g['confirmed_by']}, {g['at']}" if g["confirmed_by"] else "")]
            for g in model["goals"]
        ], widths=(55, 15, 30, 70))

    doc.add_heading(_("Spatial layout"), level=1)
    if model.get("map"):
        doc.add_picture(io.BytesIO(spec_png(model["map"])), width=Mm(120))
    _table(doc, [_("Unit"), _("Kind"), _("Targets"), _("With data")],
           [["　" * u["depth"] + u["name"], _(u["kind"]), str(u["targets"]), str(u["with_data"])] for u in model["spatial"]],
           numeric={2, 3}, widths=(80, 30, 30, 30))

    doc.add_heading(_("Problems and their causes"), level=1)
    if model["problems"]:
        doc.add_paragraph(_("Targets missed or lagging, the largest shortfall first, with the yearly change they required against the change achieved."))
        _table(doc, [_("No."), _("Indicator"), _("Verdict"), _("Completion rate"), _("Gap"), _("Required per year"), _("Achieved per year")], [
            [str(p["no"]), p["name"], p["label_text"], pct(p["completion_rate"]), num(p["gap"], p["decimals"]),
             num(p["required_yearly_change"], _change_decimals(p["decimals"], p["required_yearly_change"])),
             num(p["achieved_yearly_change"], _change_decimals(p["decimals"], p["achieved_yearly_change"]))]
            for p in model["problems"]
        ], font_size=Pt(8), numeric={0, 3, 4, 5, 6}, widths=PROBLEM_WIDTHS)
    else:
        doc.add_paragraph(_("No target was missed or is lagging."))
    doc.add_heading(_("Data quality"), level=2)
    notes = list(model["quality"])
    if basis.get("pending"):
        notes.insert(0, _("{n} values are still pending review and are not used.").format(n=basis["pending"]))
    if basis.get("returned"):
        notes.insert(0, _("{n} values were returned to their senders and are not used.").format(n=basis["returned"]))
    for note in notes or [_("No reconciliation differences, no unapproved values.")]:
        doc.add_paragraph(note, style="List Bullet")
    for s in model["sections"]:
        if s["key"] == "problems":
            doc.add_heading(s["title"], level=2)
            _office_text(doc, s["text"])
    for s in model["sections"]:
        if s["key"] != "problems":
            doc.add_heading(s["title"], level=1)
            _office_text(doc, s["text"])

    annex = model["annex"]
    doc.add_heading(_("Annex: methods, sources and vintages"), level=1)
    doc.add_heading(_("Methods"), level=2)
    for t in annex["methods_text"]:
        doc.add_paragraph(t, style="List Bullet")
    if annex.get("formulas"):
        doc.add_heading(_("How indicators are computed"), level=2)
        _table(doc, [_("Indicator"), _("Formula or registry count"), _("Definition")],
               [[f["name"], f["formula"] or _("registry count"), f["definition"] or ""] for f in annex["formulas"]], font_size=Pt(8),
               widths=(45, 60, 65))
    doc.add_heading(_("Sources"), level=2)
    sep = "、" if lang == "zh" else ", "
    _table(doc, [_("Source"), _("Indicators")], [[s["source"], sep.join(s["indicators"])] for s in annex["sources"]], font_size=Pt(8),
           widths=(70, 100))
    if annex.get("vintages"):
        doc.add_heading(_("Vintages"), level=2)
        _table(doc, [_("Source"), _("Publication dates")], [[v["source"], ", ".join(v["vintages"])] for v in annex["vintages"]], font_size=Pt(8))
    if annex.get("approvers"):
        doc.add_heading(_("Approvers"), level=2)
        _table(doc, [_("Approved by"), _("Values")], [[a["who"], str(a["count"])] for a in annex["approvers"]],
               font_size=Pt(8), numeric={1}, widths=(120, 50))
    reg = model.get("registry_annex") or {}
    if reg.get("counts"):
        doc.add_heading(_("Annex: enterprises newly certified"), level=1)
        _table(doc, [_("Certification")] + [str(y) for y in reg["years"]] + [_("Total")],
               [[c["kind_text"]] + [str(n) for n in c["by_year"]] + [str(c["total"])] for c in reg["counts"]],
               # the certification's name on one line (it wrapped letter by letter in equal columns)
               font_size=Pt(8), numeric=set(range(1, len(reg["years"]) + 2)),
               widths=(44, *([(170 - 44) / (len(reg["years"]) + 1)] * (len(reg["years"]) + 1))))
        doc.add_paragraph(_("The enterprises, by kind and date of certification:"))  # keeps Word from joining the two tables
        _table(doc, [_("Certification"), _("Enterprise"), _("Credit code"), _("Since")],
               [[e["kind_text"], e["name"], e["credit_code"], e["valid_from"]] for e in reg["list"]], font_size=Pt(8),
               widths=(26, 86, 36, 22))
        if reg.get("more"):
            doc.add_paragraph(_("… and {n} more: see 'scicity registry export certifications'.").format(n=reg["more"]))
    fill_toc(doc, toc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _change_decimals(decimals: int, value: float | None) -> int:
    return decimals or (0 if value is not None and abs(value) >= 100 else 1)


def _styles(doc: Any, Pt: Any) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        style = doc.styles[name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    doc.styles["Normal"].font.size = Pt(10.5)


def _table(doc: Any, header: Sequence[str] | None, rows: Sequence[Sequence[Any]], *, header_col: bool = False,
           font_size: Any = None, numeric: set[int] | None = None, widths: Sequence[float] | None = None) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if header is None:  # a two-column facts table without a header row
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        _cell_margins(table)
        for key, value in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(key), str(value)
            for run in cells[0].paragraphs[0].runs:
                run.bold = True
        return table
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    _cell_margins(table)
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
            if font_size is not None:
                run.font.size = font_size
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = "" if text is None else str(text)
            para = cell.paragraphs[0]
            if numeric and i in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if font_size is not None:
                for run in para.runs:
                    run.font.size = font_size
    if widths:
        _widths(table, widths)
    return table


def _cell_margins(table: Any) -> None:
    """Left and right cell padding of :data:`CELL_MARGIN_MM` (``w:tblCellMar``, read by Word, WPS and LibreOffice)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_MARGIN_MM * 1440 / 25.4)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    # in the schema's order (Word refuses a file whose table properties are out of order)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _widths(table: Any, widths: Sequence[float]) -> None:
    """Column widths in mm, on the grid and on every cell (Word reads the cells, LibreOffice the grid)."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _office_text(doc: Any, text: str) -> None:
    for p in paragraphs(text):
        doc.add_paragraph(p)  # plain text: markup typed by the office stays text


def _page_number_footer(section: Any, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
