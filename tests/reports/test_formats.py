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

from scicity.reports.formats import formats, get_format, render

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


def test_xlsx_structure(final_models):
    wb = load_workbook(io.BytesIO(render(final_models["en"], "xlsx")))
    areas = [a["name"][:31] for a in final_models["en"]["areas"]]
    assert wb.sheetnames == ["Indicators", *areas, "Problems", "Data", "About"]
    ws = wb["Indicators"]
    assert [c.value for c in ws[4]][:4] == ["No.", "Indicator", "Area", "Geography unit"]
    assert ws["N5"].number_format == "0.0%"
    assert ws["L10"].number_format == "#,##0.00"  # R&D intensity: two decimals
    data = wb["Data"]
    assert data.max_row - 1 == sum(len(s["points"]) for s in final_models["en"]["status"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_pages_are_drawn_and_cjk_fonts_embedded(final_models, lang, tmp_path):
    pdf = tmp_path / f"final_{lang}.pdf"
    pdf.write_bytes(render(final_models[lang], "pdf"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
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
