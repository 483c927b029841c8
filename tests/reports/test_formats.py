"""The four formats: HTML snapshot, DOCX and XLSX structure, PDF pages and embedded CJK fonts."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from scicity.reports.charts import slim_svg
from scicity.reports.formats import formats, get_format, render

from .conftest import NOW

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _structure_of_html(html: str) -> str:
    """The HTML without the chart SVGs (drawn by vl-convert, checked elsewhere) and the data version, one tag per line.

    The data version counts every write to the demo database, so it moves whenever the demo gains records of any kind.
    """
    html = re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)
    html = re.sub(r"(数据版本|data version) \d+", r"\1 N", html)
    return re.sub(r">\s*<", ">\n<", html)


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: review it, then run with UPDATE_SNAPSHOTS=1"


def test_every_format_is_registered_once():
    assert formats() == ["pdf", "docx", "xlsx", "html"]
    with pytest.raises(KeyError, match="unknown report format 'odt'"):
        get_format("odt")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_snapshot(final_models, lang):
    html = render(final_models[lang], "html").decode()
    assert html.count("<svg") == 19  # a chart per indicator, and the map
    assert 'font-family="Noto Sans CJK SC' in html
    _snapshot(f"final_{lang}.html", _structure_of_html(html))


def test_docx_structure(final_models):
    doc = Document(io.BytesIO(render(final_models["zh"], "docx")))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1[:2] == ["总体评价", "主要指标完成情况"]
    assert [a["name"] for a in final_models["zh"]["areas"]] == level1[2:6]
    assert "存在的问题及原因" in level1 and "附件：方法、数据来源与版本" in level1
    assert sum(1 for s, _ in headings if s == "Heading 2") >= 18
    table = doc.tables[2]
    assert [c.text for c in table.rows[0].cells] == ["序号", "指标", "单位", "属性", "基期值", "目标", "实际值（年份）", "完成率", "年均增速", "评价"]
    assert len(table.rows) == 19
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header row repeats on every page
    assert len(doc.inline_shapes) == 19  # the charts and the map
    assert doc.styles["Normal"].element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Noto Sans CJK SC"


def test_docx_has_a_table_of_contents_field_word_updates_on_open(final_models):
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(render(final_models["en"], "docx")))
    body = doc.element.body
    instr = [i.text for i in body.iter(qn("w:instrText"))]
    assert [t for t in instr if t.strip().startswith("TOC")] == [' TOC \\o "1-2" \\h \\z \\u ']
    begin = [f for f in body.iter(qn("w:fldChar")) if f.get(qn("w:fldCharType")) == "begin"]
    assert begin[0].get(qn("w:dirty")) == "true"
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    headings = [p for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    entries = [p for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [p.text for p in entries] == [p.text for p in headings] and len(entries) >= 25
    assert entries[0].text == "Overall judgement" and entries[0].style.name == "toc 1"
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    assert len(links) == len(entries) and set(links) <= marks  # every entry links to its heading
    contents = next(i for i, p in enumerate(doc.paragraphs) if p.style.name == "TOC Heading")
    assert doc.paragraphs[contents].text == "Contents" and doc.paragraphs[contents + 1] is not None
    assert doc.styles["toc 1"].paragraph_format.tab_stops[0].leader is not None  # dotted leaders once Word fills in pages


def test_docx_tables_have_column_widths_and_the_registry_list_stands_apart(final_models):
    doc = Document(io.BytesIO(render(final_models["zh"], "docx")))
    indicators = doc.tables[2]
    widths = [c.width.mm for c in indicators.columns]
    assert round(sum(widths)) == 170 and widths[1] == max(widths)  # the indicator's name gets the widest column
    body = list(doc.element.body)
    tables = [i for i, el in enumerate(body) if el.tag.endswith("}tbl")]
    assert all(b - a > 1 for a, b in zip(tables, tables[1:])), "two tables in a row: Word and WPS would join them"


def _cell_words(text: str) -> list[str]:
    """The pieces of a cell's text a line cannot break inside: Latin words and numbers (Chinese breaks anywhere)."""
    return [w for w in re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+", text) if w]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_docx_table_columns_hold_their_longest_word(final_models, lang):
    """Seen in LibreOffice's PDF of the DOCX: "expected", "facilities", "Completion" and "achieved" broke letter by letter
    in columns narrower than the word. Every word of the indicator and problem tables fits its column, measured with
    the font the document names (Noto Sans CJK SC), less the cells' padding."""
    from PIL import ImageFont

    from scicity.reports.chart_font import source_faces
    from scicity.reports.word import CELL_MARGIN_MM

    faces = source_faces()
    if not faces or "Bold" not in faces:
        pytest.skip("Noto Sans CJK SC regular and bold are not installed")
    fonts = {bold: ImageFont.truetype(faces["Bold" if bold else "Regular"][0], 100, index=faces["Bold" if bold else "Regular"][1])
             for bold in (False, True)}
    doc = Document(io.BytesIO(render(final_models[lang], "docx")))
    problems = next(t for t in doc.tables if len(t.columns) == 7)
    too_wide = []
    for table in (doc.tables[2], problems):
        for r, row in enumerate(table.rows):
            for column, cell in zip(table.columns, row.cells, strict=True):
                room = column.width.mm - 2 * CELL_MARGIN_MM
                for run in cell.paragraphs[0].runs:
                    size = run.font.size.pt if run.font.size else 10.5
                    for word in _cell_words(run.text):
                        mm = fonts[bool(run.bold)].getlength(word) / 100 * size * 25.4 / 72
                        if mm > room:
                            too_wide.append((r, word, round(mm, 1), round(room, 1)))
    assert not too_wide, too_wide


def test_annex_formulas_name_their_inputs_in_the_report_language(final_models):
    formulas = {f["formula_ids"]: f["formula"] for f in final_models["zh"]["annex"]["formulas"] if f["formula_ids"]}
    assert formulas["rd_expenditure / grp * 100"] == "R&D经费支出 ÷ 地区生产总值 × 100"
    en = {f["formula_ids"]: f["formula"] for f in final_models["en"]["annex"]["formulas"] if f["formula_ids"]}
    assert en["rd_expenditure / grp * 100"] == "R&D expenditure ÷ Gross regional product (GRP) × 100"


def test_the_annex_lists_at_most_150_enterprises_and_counts_the_rest(final_models):
    annex = final_models["zh"]["registry_annex"]
    listed = sum(c["total"] for c in annex["counts"] if c["kind"] in {"high_tech", "gazelle", "potential_unicorn", "unicorn"})
    assert len(annex["list"]) == 150 and annex["more"] == listed - 150
    keys = [(e["kind"], e["valid_from"], e["credit_code"]) for e in annex["list"]]
    assert keys == sorted(keys) and all(e["name"] != e["credit_code"] for e in annex["list"])


def test_chart_svg_loses_its_bare_groups_and_keeps_the_rest():
    svg = ('<svg><g fill="none" transform="translate(1,2)"><g><g class="mark"><path d="M0,0l1,1" opacity="1"/></g></g>'
           '<g></g><g transform="translate(3,4)"></g><g><text>x</text></g></g></svg>')
    assert slim_svg(svg) == '<svg><g fill="none" transform="translate(1,2)"><path d="M0,0l1,1"/><text>x</text></g></svg>'
    unbalanced = "<svg><g><path/></svg>"
    assert slim_svg(unbalanced) == unbalanced


def test_xlsx_structure(final_models):
    wb = load_workbook(io.BytesIO(render(final_models["en"], "xlsx")))
    areas = [a["name"][:31] for a in final_models["en"]["areas"]]
    assert wb.sheetnames == ["Indicators", *areas, "Problems", "Data", "About"]
    ws = wb["Indicators"]
    assert [c.value for c in ws[4]][:4] == ["No.", "Indicator", "Area", "Geography unit"]
    assert ws["N5"].number_format == "0.0%"
    assert ws["L10"].number_format == "#,##0.00"  # R&D intensity: two decimals
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$4:$4"
    assert "Trend projection" in ws["A2"].value  # the method as people name it
    area = wb[areas[0]]
    assert area.row_dimensions[4].height >= 29  # a paragraph of two lines or more shows whole
    data = wb["Data"]
    assert data.max_row - 1 == sum(len(s["points"]) for s in final_models["en"]["status"])
    about = {row[0].value: row[1] for row in wb["About"].iter_rows()}
    generated = about["Generated"]
    assert generated.value == NOW.replace(tzinfo=None) and generated.is_date  # an Excel date and time, not text
    assert generated.number_format == 'yyyy-mm-dd hh:mm:ss "UTC"'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_pages_are_drawn_and_cjk_fonts_embedded(final_models, lang, tmp_path):
    pdf = tmp_path / f"final_{lang}.pdf"
    pdf.write_bytes(render(final_models[lang], "pdf"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    embedded = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert sorted(embedded) == ["Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"], fonts  # no monospace fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 15
    assert "A4" in info or "595.28 x 841.89" in info
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages
    for image in images:
        extrema = Image.open(image).convert("L").getextrema()
        assert extrema[0] < 128, f"{image.name} is blank"
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "4", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert ("主要指标完成情况" if lang == "zh" else "Indicator table") in text
