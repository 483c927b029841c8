"""Reports on bad input: clear errors, or an honest report."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from scicity.reports.formats import render

from .conftest import DemoCli

SEED = Path(__file__).resolve().parents[2] / "src" / "scicity" / "plans" / "wcsc-14fyp-sti.yaml"


def _csv(path: Path, rows: list[tuple]) -> Path:
    path.write_text("indicator,unit,period,value,source\n" + "".join(f"{a},{b},{c},{d},test\n" for a, b, c, d in rows), encoding="utf-8")
    return path


def test_final_before_the_target_year_is_refused(demo, tmp_path):
    r = demo("report", "final", "--as-of", "2023", "-o", tmp_path / "r.pdf", ok=False)
    assert r.exit_code == 2
    assert "as-of 2023 is before the target year 2025" in r.output and "midterm" in r.output
    assert not (tmp_path / "r.pdf").exists()


def test_a_unit_with_no_targets_is_refused(demo, tmp_path):
    r = demo("report", "final", "--unit", "science_avenue", "-o", tmp_path / "r.html", ok=False)
    assert r.exit_code == 2 and "'science_avenue' has no targets" in r.output
    r = demo("report", "final", "--unit", "atlantis", "-o", tmp_path / "r.html", ok=False)
    assert "no geography unit 'atlantis'" in r.output and "wcsc" in r.output


def test_unknown_format_and_kind(demo, tmp_path):
    r = demo("report", "final", "-o", tmp_path / "r.odt", ok=False)
    assert "unknown report format 'odt' (from the suffix of r.odt)" in r.output
    r = demo("report", "yearly", "-o", tmp_path / "r.pdf", ok=False)
    assert "unknown report kind 'yearly'" in r.output


def test_a_plan_with_no_data(tmp_path):
    empty = DemoCli(tmp_path / "data")
    empty("init")
    r = empty("report", "final", "-o", tmp_path / "r.pdf", ok=False)
    assert r.exit_code == 2 and "has no data at all" in r.output and "scicity import" in r.output


def test_an_indicator_with_only_a_baseline_is_reported_as_such(demo, tmp_path):
    data = _csv(tmp_path / "d.csv", [("talent_total", "wcsc", 2020, 120000), ("key_labs", "wcsc", 2020, 60),
                                     ("key_labs", "wcsc", 2022, 80)])
    out = tmp_path / "r.html"
    demo("report", "midterm", "--as-of", "2022", "--lang", "en", "--plan", SEED, "--data", data, "-o", out)
    html = out.read_text(encoding="utf-8")
    assert "Total human (talent) resources: only the baseline value 120,000 persons (2020) is known" in html
    assert "Municipal-level and above key laboratories: 80 labs in 2022, up 20 labs from 60 labs in 2020." in html
    assert "Technology-based enterprises: no data have been reported yet." in html


def test_midterm_uses_the_office_vocabulary(demo, tmp_path):
    out = tmp_path / "m.html"
    demo("report", "midterm", "--as-of", "2023", "--lang", "zh", "-o", out)
    html = out.read_text(encoding="utf-8")
    assert "中期评估报告" in html
    assert "截至2023年，18项指标目标中" in html
    assert any(word in html for word in ("提前实现", "快于预期", "基本符合预期", "滞后"))
    assert "完成率" in html


def test_office_text_with_html_long_paragraphs_and_chinese_punctuation(final_models, tmp_path):
    model = dict(final_models["zh"])
    long = "科技创新。" * 3000
    model["sections"] = [
        {"key": "problems", "title": "问题<b>与</b>原因", "text": "<script>alert('x')</script>\n\n" + long},
        {"key": "recommendations", "title": "建议", "text": "。，、；：？！……——"},
    ]
    html = render(model, "html").decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "问题&lt;b&gt;与&lt;/b&gt;原因" in html
    assert long in html and "。，、；：？！……——" in html
    doc = Document(io.BytesIO(render(model, "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "<script>alert('x')</script>" in texts and long in texts
    pdf = tmp_path / "office.pdf"
    pdf.write_bytes(render(model, "pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert('x')</script>" in text and "。，、；：？！……——" in text
    assert text.replace("\n", "").count("科技创新。") >= 2990  # the long paragraph is broken into lines, not cut

    longer = "创" * 40_000  # longer than an Excel cell holds (32,767)
    model["sections"] = [*model["sections"], {"key": "free", "title": "=SUM(A1)", "text": longer}]
    wb = load_workbook(io.BytesIO(render(model, "xlsx")))
    office = wb["编制单位撰写的章节"]
    cells = [c.value for row in office.iter_rows(min_row=2) for c in row]
    assert "<script>alert('x')</script>" in cells and long in cells and "。，、；：？！……——" in cells
    assert "".join(v for v in cells if v and set(v) == {"创"}) == longer  # split over rows, nothing lost
    assert all(len(v) <= 32_767 for v in cells if v) and "'=SUM(A1)" in cells  # a title is never run as a formula


def test_annual_report_says_what_changed_on_the_year_before(demo, tmp_path):
    out = tmp_path / "a.html"
    demo("report", "annual", "--as-of", "2024", "--lang", "en", "-o", out)
    html = out.read_text(encoding="utf-8")
    assert "Annual report 2024" in html and "Change on the year before" in html
    assert "Compared with 2023, it changed by" in html
    r = demo("report", "annual", "--as-of", "2031", "-o", tmp_path / "b.html", ok=False)
    assert "an annual report is for a year of the plan period 2021–2025, not 2031" in r.output


def test_final_while_the_target_year_has_not_ended_is_refused(demo, tmp_path):
    year = datetime.now(UTC).year
    text = SEED.read_text(encoding="utf-8").replace("period: [2021, 2025]", f"period: [{year - 4}, {year}]")
    text = text.replace("baseline_year: 2020", f"baseline_year: {year - 5}").replace("target_year: 2025", f"target_year: {year}")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    data = _csv(tmp_path / "d.csv", [("key_labs", "wcsc", year - 5, 60), ("key_labs", "wcsc", year - 1, 80)])
    r = demo("report", "final", "--plan", plan, "--data", data, "-o", tmp_path / "r.pdf", ok=False)
    assert r.exit_code == 2 and f"the target year {year} of plan" in r.output and "has not ended yet" in r.output
    assert "make a 'midterm' or 'annual' report" in r.output and not (tmp_path / "r.pdf").exists()
    r = demo("report", "midterm", "--plan", plan, "--data", data, "--as-of", year - 1, "-o", tmp_path / "m.html")
    assert (tmp_path / "m.html").exists()


def test_a_draft_of_a_plan_with_no_data_cannot_be_frozen(tmp_path):
    empty = DemoCli(tmp_path / "data")
    empty("init")
    r = empty("report", "draft", "create", "final", "--as-of", "2025", "--title", "总结评估")
    assert "created report draft 1" in r.output
    r = empty("report", "draft", "freeze", "1", ok=False)
    assert r.exit_code == 2 and "has no data at all" in r.output and "scicity import" in r.output
    r = empty("report", "draft", "show", "1", "--lang", "en")
    assert " draft " in r.output and "report.freeze" not in r.output  # still a draft, nothing recorded
    r = empty("report", "draft", "render", "1", "-o", tmp_path / "r.pdf", ok=False)
    assert r.exit_code == 2 and "has no data at all" in r.output and not (tmp_path / "r.pdf").exists()


def test_an_existing_directory_as_output_gets_the_file_named_by_the_report(demo, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    r = demo("report", "final", "--lang", "zh", "--format", "html", "-o", out)
    assert (out / "wcsc-14fyp-sti-final-2025-zh.html").exists() and list(out.iterdir()) == [out / "wcsc-14fyp-sti-final-2025-zh.html"]
    assert "已写入" in r.output and "共 18 项目标" in r.output  # the summary in the report's language
    r = demo("report", "final", "-o", out, ok=False)  # a directory and no format: which one is asked
    assert r.exit_code == 2 and "--format" in r.output and "Traceback" not in r.output
