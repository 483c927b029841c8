"""From the demo's 14th plan to an adopted 15th, on the command line; peers imported and shown."""

from openpyxl import load_workbook

from scicity.ingest.plan_file import load_plan_file


def test_draft_edit_consult_adopt_and_compare(demo_cli, tmp_path):
    out = tmp_path / "15th.yaml"
    demo_cli("plan", "draft", "--period", "2026-2030", "-o", out)
    drafted = load_plan_file(out).plan.indicator("tech_enterprises").targets[0].value  # whatever the default method proposes
    assert "stored" in demo_cli("plan", "next", "start", out).output
    shown = demo_cli("plan", "next", "show", "wcsc-15fyp-sti").output
    assert "Technology-based enterprises" in shown and "1 (cli)" in shown
    demo_cli("plan", "next", "set", "wcsc-15fyp-sti", "tech_enterprises", "3900", "--revision", "1", "--as", "alice")
    late = demo_cli("plan", "next", "set", "wcsc-15fyp-sti", "tech_enterprises", "3700", "--revision", "1", "--as", "bob", ok=False)
    assert late.exit_code != 0 and "conflict" in late.output and "changed by alice to 3900" in late.output
    demo_cli("plan", "next", "comment", "wcsc-15fyp-sti", "tech_enterprises", "peer B has 2,900", "--as", "bob")
    history = demo_cli("plan", "next", "history", "wcsc-15fyp-sti").output
    assert "tech_enterprises: 2420" not in history and f"tech_enterprises: {drafted:g} → 3900 (by alice)" in history
    early = demo_cli("plan", "next", "adopt", "wcsc-15fyp-sti", ok=False)
    assert early.exit_code != 0 and "consultation first" in early.output
    demo_cli("plan", "next", "consult", "wcsc-15fyp-sti")
    xlsx, yaml = tmp_path / "c.xlsx", tmp_path / "c.yaml"
    demo_cli("plan", "next", "export", "wcsc-15fyp-sti", "-o", xlsx)
    demo_cli("plan", "next", "export", "wcsc-15fyp-sti", "-o", yaml)
    sheet = load_workbook(xlsx)["targets"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["tech_enterprises"][7] == 3900 and 0 < rows["tech_enterprises"][9] < 1
    assert "bob: peer B has 2,900" in rows["tech_enterprises"][13]
    assert load_plan_file(yaml).plan.indicator("tech_enterprises").targets[0].value == 3900
    assert "now the default plan" in demo_cli("plan", "next", "adopt", "wcsc-15fyp-sti").output
    listed = demo_cli("plan", "list").output
    assert "wcsc-15fyp-sti" in listed and "14th" in listed and "(default)" in listed.split("15th")[1]
    status = demo_cli("status").output
    assert "15th Five-Year Plan" in status  # the default plan is now the 15th
    assert "14th" in demo_cli("status", "--plan", "wcsc-14fyp-sti").output  # the 14th stays one option away
    both = demo_cli("plan", "next", "compare", "--last", "wcsc-14fyp-sti").output
    assert "missed" in both and "achieved" in both and ">= 3 (2025)" in both and "(2030)" in both


def test_peers_import_refuses_bad_rows_and_shows_standing(demo_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("peer,peer_name,indicator,year,value,unit\nx,X,nope,2025,1,enterprises\n", encoding="utf-8")
    result = demo_cli("plan", "peers", "import", bad, "--plan", "wcsc-14fyp-sti", ok=False)
    assert result.exit_code != 0 and "row 2, column indicator" in result.output
    shown = demo_cli("plan", "peers", "show", "tech_enterprises", "--plan", "wcsc-14fyp-sti").output
    assert "Synthetic peer A" in shown and "(synthetic values)" in shown
    good = tmp_path / "good.csv"
    good.write_text("peer,peer_name,indicator,year,value,unit\nzj,Zhangjiang,tech_enterprises,2025,6000,enterprises\n",
                    encoding="utf-8")
    assert "1 new" in demo_cli("plan", "peers", "import", good, "--plan", "wcsc-14fyp-sti").output
    props = demo_cli("plan", "propose", "--from", "wcsc-14fyp-sti", "--period", "2026-2030", "-i", "tech_enterprises").output
    assert "a peer's level Zhangjiang: 6,000" in props


def test_propose_in_chinese_names_the_peers_and_writes_per_year_and_comparators(demo_cli):
    zh = demo_cli("plan", "propose", "--from", "wcsc-14fyp-sti", "--period", "2026-2030", "-i", "rd_intensity",
                  "-i", "major_facilities", "--lang", "zh").output
    assert "合成对标区A" in zh and "synthetic_peer_a" not in zh and "/年" in zh and "/yr" not in zh, zh
    assert " >=" not in zh and "存量 ≥" in zh and "存量 >" in zh, zh
    en = demo_cli("plan", "propose", "--from", "wcsc-14fyp-sti", "--period", "2026-2030", "-i", "rd_intensity").output
    assert "Synthetic peer A (coastal science city)" in en and "合成" not in en and "/yr" in en
