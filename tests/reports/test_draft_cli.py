"""`scicity report draft …` end to end: create → edit (file and --text) → freeze → new data → publish → re-issue, audited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import DemoCli

LONG = "科技创新是引领发展的第一动力，" * 2000  # one paragraph of 30,000 characters
SECTIONS = f"""\
sections:
  - key: problems
    title_zh: 存在的主要问题及原因分析
    title_en: Problems and their causes
    text_zh: |
      <script>alert('x')</script>一是科技型企业数量增长不及预期。
      {LONG}
    text_en: "First, <b>fewer</b> technology-based enterprises than planned."
  - key: free
    title_zh: 标点
    title_en: Punctuation
    text_zh: 。，、；：？！……——
"""


@pytest.fixture(scope="module")
def cli(tmp_path_factory, monkeypatch_module):
    cli = DemoCli(tmp_path_factory.mktemp("draft-cli") / "data")
    cli("init", "--demo")
    return cli


def _table_value(html: str, name: str) -> str:
    table = html.split('<table class="indicators">', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if name in r)
    return re.sub(r"<[^>]+>", " ", row)


def test_the_life_of_a_draft_on_the_command_line(cli, tmp_path):
    r = cli("report", "draft", "create", "final", "--as-of", "2025", "--title", "“十四五”规划实施情况总结评估", "--actor", "ana")
    draft = int(re.search(r"created report draft (\d+)", r.output).group(1))
    sections = tmp_path / "sections.yaml"
    sections.write_text(SECTIONS, encoding="utf-8")
    r = cli("report", "draft", "edit", draft, "--sections", sections, "--actor", "ana")
    assert "revision 2, 2 section(s)" in r.output
    r = cli("report", "draft", "edit", draft, "--section", "recommendations", "--lang", "en", "--title", "Recommendations",
            "--text", "Keep the incubators open.", "--revision", "2", "--actor", "bo")
    assert "revision 3, 3 section(s)" in r.output
    r = cli("report", "draft", "edit", draft, "--section", "1", "--lang", "en", "--text", "late", "--revision", "2", ok=False)
    assert r.exit_code == 2 and "edited meanwhile (revision 3, you edited 2)" in r.output

    shown = json.loads(cli("report", "draft", "show", draft, "--format", "json").stdout)
    assert [s["key"] for s in shown["sections"]] == ["problems", "free", "recommendations"]
    assert shown["sections"][0]["text_zh"].startswith("<script>alert('x')</script>一是") and LONG in shown["sections"][0]["text_zh"]
    assert shown["sections"][1]["text_zh"] == "。，、；：？！……——"

    r = cli("report", "draft", "freeze", draft, "--actor", "ana")
    frozen_at = int(re.search(r"data version (\d+)", r.output).group(1))
    before = tmp_path / "before.html"
    cli("report", "draft", "render", draft, "--lang", "en", "-o", before)

    new = tmp_path / "new.csv"
    new.write_text("indicator,unit,period,value,source\ntalent_total,wcsc,2025,205000,revised\n", encoding="utf-8")
    cli("import", new)
    r = cli("report", "draft", "show", draft, "--lang", "en")
    assert f"data version {frozen_at}" in r.output and "the data have changed since it was frozen" in r.output
    after = tmp_path / "after.html"
    cli("report", "draft", "render", draft, "--lang", "en", "-o", after)
    html = after.read_text(encoding="utf-8")
    assert _table_value(html, "Total human") == _table_value(before.read_text(encoding="utf-8"), "Total human")
    assert "186,000" in _table_value(html, "Total human") and "205,000" not in html  # the frozen number, not the new one
    assert "&lt;b&gt;fewer&lt;/b&gt;" in html and "<b>fewer</b>" not in html  # office text is text
    zh = tmp_path / "after-zh.html"
    cli("report", "draft", "render", draft, "--lang", "zh", "-o", zh)
    text = zh.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text and "<script>alert" not in text
    assert LONG in text and "。，、；：？！……——" in text

    cli("report", "draft", "publish", draft, "--actor", "chief")
    r = cli("report", "draft", "edit", draft, "--section", "1", "--lang", "zh", "--text", "改", ok=False)
    assert r.exit_code == 2 and "published and cannot change" in r.output and f"report draft reissue {draft}" in r.output
    r = cli("report", "draft", "freeze", draft, ok=False)
    assert r.exit_code == 2 and "only a draft can be frozen" in r.output
    r = cli("report", "draft", "reissue", draft, "--actor", "ana")
    second = int(re.search(r"created report draft (\d+): version 2", r.output).group(1))
    v2 = tmp_path / "v2.html"
    cli("report", "draft", "render", second, "--lang", "en", "-o", v2)
    assert "205,000" in _table_value(v2.read_text(encoding="utf-8"), "Total human")  # a re-issue takes the new data

    listed = json.loads(cli("report", "draft", "list", "--format", "json").stdout)
    assert [(d["id"], d["version"], d["state"]) for d in listed][:2] == [(second, 2, "draft"), (draft, 1, "published")]
    assert json.loads(cli("report", "draft", "list", "--state", "published", "--format", "json").stdout)[0]["id"] == draft
    audit = json.loads(cli("report", "draft", "show", draft, "--format", "json").stdout)["audit"]
    assert [(e["actor"], e["action"]) for e in reversed(audit)] == [
        ("ana", "report.create"), ("ana", "report.edit"), ("bo", "report.edit"), ("ana", "report.freeze"), ("chief", "report.publish"),
    ]


def test_bad_sections_files_change_nothing(cli, tmp_path):
    r = cli("report", "draft", "create", "midterm", "--as-of", "2023", "--title", "中期评估")
    draft = int(re.search(r"created report draft (\d+)", r.output).group(1))
    cases = {
        "- key: problems\n  title_zh: 问题\n  txt_zh: 打错的字段\n": "section 1: unknown field(s) txt_zh",
        "key: problems\n": "expected a list of sections",
        "- key: annex\n  title_zh: 附件\n": "section 1: key 'annex' is not one of problems, recommendations, free",
        "- key: free\n  text_zh: 没有标题\n": "section 1: give a title in Chinese or English",
        "- [unclosed\n": "not YAML or JSON",
        "- key: free\n  title_zh: 好\n- just text\n": "section 2: expected a mapping",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.yaml"
        path.write_text(text, encoding="utf-8")
        r = cli("report", "draft", "edit", draft, "--sections", path, ok=False)
        assert r.exit_code == 2 and message in r.output, (text, r.output)
    shown = json.loads(cli("report", "draft", "show", draft, "--format", "json").stdout)
    assert shown["revision"] == 1 and [s["key"] for s in shown["sections"]] == ["problems", "recommendations"]
    r = cli("report", "draft", "edit", draft, "--section", "free", "--text", "无语言", ok=False)
    assert "add --lang zh or --lang en" in r.output
    r = cli("report", "draft", "edit", draft, "--section", "9", "--lang", "zh", "--text", "x", ok=False)
    assert "has no section 9 (it has 2)" in r.output
    r = cli("report", "draft", "edit", draft, ok=False)
    assert "nothing to change" in r.output
    r = cli("report", "draft", "show", 999, ok=False)
    assert r.exit_code == 2 and "there is no report draft 999" in r.output


def test_a_draft_that_cannot_be_made_is_refused(cli):
    before = cli("report", "draft", "list", "--format", "json").stdout
    r = cli("report", "draft", "create", "final", "--as-of", "2023", "--title", "t", ok=False)
    assert r.exit_code == 2 and "as-of 2023 is before the target year 2025" in r.output
    r = cli("report", "draft", "create", "final", "--as-of", "2025", "--title", "t", "--unit", "science_avenue", ok=False)
    assert "'science_avenue' has no targets" in r.output
    r = cli("report", "draft", "create", "final", "--as-of", "2025", "--title", "t", "--unit", "atlantis", ok=False)
    assert "no geography unit 'atlantis'" in r.output
    r = cli("report", "draft", "create", "weekly", "--as-of", "2025", "--title", "t", ok=False)
    assert "unknown report kind 'weekly'" in r.output
    r = cli("report", "draft", "create", "annual", "--as-of", "2024", "--title", " ", ok=False)
    assert "needs a title of 1 to 256 characters" in r.output
    assert cli("report", "draft", "list", "--format", "json").stdout == before  # nothing was created


def test_the_sections_example_in_the_docs_is_read(cli, tmp_path):
    docs = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    example = docs.split("## `scicity report draft create KIND`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "s.yaml").write_text(example, encoding="utf-8")
    r = cli("report", "draft", "create", "final", "--as-of", "2025", "--title", "docs", "--sections", tmp_path / "s.yaml")
    draft = int(re.search(r"created report draft (\d+)", r.output).group(1))
    shown = json.loads(cli("report", "draft", "show", draft, "--format", "json").stdout)
    assert [s["key"] for s in shown["sections"]] == ["problems", "free"]
