"""Issue 10's "bad input to try", end to end: each case through `scicity registry import` (English and Chinese) and
the web upload (Chinese), refused at file, row and column with nothing written — or, for what only the evaluation
can see, a flagged evaluation naming the year. The rule-file cases are in test_rules_file.py."""

from __future__ import annotations

import html
import os
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from scicity.domain.credit_code import make_credit_code
from scicity.domain.registries import RegistryKind
from scicity.store.db import Database
from scicity.store.registries import RegistryRepository
from tests.registries.conftest import Cli, write_csv
from tests.web.conftest import page_csrf


@dataclass(frozen=True)
class Case:
    kind: str
    header: list[str]
    row: list[object]  # {code} is the enterprise's credit code
    column: str  # the column the problem is located at
    en: str
    zh: str


def _later() -> str:
    return (date.today() + timedelta(days=40)).isoformat()


CASES = {
    "rd_above_sales": Case("financials", ["统一社会信用代码", "年份", "营业收入", "研发费用"], ["{code}", 2025, 5000, 6000],
                           "研发费用", "R&D expenditure 6000 is above Revenue 5000", "研发投入 6000 高于 营业收入 5000"),
    "rd_alone_above_stored_sales": Case("financials", ["credit_code", "year", "rd_expenditure"], ["{code}", "{year}", 9e7],
                                        "rd_expenditure", "with the figures the registry already holds",
                                        "结合名录中该企业和年份已有的数据"),
    "st_staff_above_staff": Case("financials", ["统一社会信用代码", "年份", "从业人员", "科技人员"], ["{code}", 2025, 100, 150],
                                 "科技人员", "S&T staff 150 is above Employees 100", "科技人员 150 高于 从业人员 100"),
    "negative_revenue": Case("financials", ["credit_code", "year", "revenue"], ["{code}", 2025, -5], "revenue",
                             "negative; amounts here cannot be negative", "为负数；这里的金额不能为负"),
    "valuation_in_cny": Case("financials", ["credit_code", "year", "估值(万美元)"], ["{code}", 2025, "8亿元"],
                             "估值(万美元)", "an amount in another currency; this column is in USD 10,000",
                             "是其他币种的金额；此列单位为万美元"),
    "founded_in_the_future": Case("enterprises", ["credit_code", "name_zh", "unit", "founded_on"],
                                  ["{code}", "未来科技（示例）", "science_avenue", _later()], "founded_on",
                                  "is in the future", "在未来；请填写企业的注册日期"),
}


@pytest.fixture
def stored(registry_db_file: Path) -> tuple[str, int]:
    """An enterprise of the demo registries and a year the registry holds its revenue for."""
    db = Database(f"sqlite:///{registry_db_file}")
    try:
        fin = next(f for f in RegistryRepository(db).iter(RegistryKind.FINANCIALS) if f.revenue)
    finally:
        db.dispose()
    return fin.credit_code, fin.year


def _counts(data_dir: Path) -> dict[str, int]:
    db = Database(f"sqlite:///{data_dir / 'scicity.db'}")
    try:
        repo = RegistryRepository(db)
        return {k: repo.count(k) for k in ("enterprises", "financials")}
    finally:
        db.dispose()


def _file(tmp_path: Path, case: Case, code: str, year: int) -> Path:
    row = [str(v).format(code=code, year=year) if isinstance(v, str) else v for v in case.row]
    return write_csv(tmp_path / f"{case.kind}-bad.csv", case.header, [row])


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_at_its_cell_in_both_languages_and_nothing_is_written(
        name, tmp_path, monkeypatch, registry_db_file, registry_client, registry_settings, stored):
    case = CASES[name]
    code, year = stored
    if case.kind == "enterprises":  # a new enterprise
        code = make_credit_code(random.Random(11), division="500107")
    path = _file(tmp_path, case, code, year)
    data = tmp_path / "cli-data"
    data.mkdir()
    shutil.copy(registry_db_file, data / "scicity.db")
    before = _counts(data)
    cli = Cli(data)
    for var in [v for v in os.environ if v.startswith("SCICITY_")]:
        monkeypatch.delenv(var)
    en = cli("registry", "import", case.kind, path, ok=False)
    assert en.exit_code != 0
    assert f"{path.name}, row 2, column '{case.column}'" in en.output and case.en in en.output, en.output
    assert "nothing was imported" in en.output
    monkeypatch.setenv("SCICITY_LANG", "zh")
    zh = cli("registry", "import", case.kind, path, ok=False)
    assert f"{path.name}，第 2 行，“{case.column}”列" in zh.output and case.zh in zh.output, zh.output
    assert "未导入任何内容" in zh.output
    assert _counts(data) == before
    # the web upload, in Chinese
    web = registry_client("analyst")
    web.cookies.set("scicity_lang", "zh")
    web_before = _counts(registry_settings.data_dir)
    r = web.post(f"/registries/{case.kind}/upload", data={"csrf_token": page_csrf(web)},
                 files={"file": (path.name, path.read_bytes(), "text/csv")})
    assert r.status_code == 422
    problem = html.unescape(re.sub(r"<[^>]+>", " ", re.search(r'<tr class="bad">(.*?)</tr>', r.text, re.S).group(1)))
    assert "第 2 行" in problem and case.column in problem and case.zh in problem, problem
    assert "confirm-upload" not in r.text and _counts(registry_settings.data_dir) == web_before


def test_a_missing_year_in_a_three_year_window_is_unknown_naming_the_year_on_the_card_api_and_cli(
        tmp_path, monkeypatch, demo_db_file):
    """Figures of 2023 and 2025 but none of 2024: the high-tech R&D ratio over three years is unknown, and every
    place that shows it says which year is missing, in the reader's language."""
    from fastapi.testclient import TestClient

    from scicity.domain.registries import Enterprise
    from scicity.settings import get_settings
    from scicity.web.app import create_app
    from tests.cultivation.web_registry import figures
    from tests.web.conftest import SECRET, login

    code = make_credit_code(random.Random(5), division="500107")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_db_file, data / "scicity.db")
    db = Database(f"sqlite:///{data / 'scicity.db'}")
    RegistryRepository(db).apply_many([
        (RegistryKind.ENTERPRISES, [Enterprise(credit_code=code, name_zh="缺年科技（示例）", unit="wcsc",
                                               founded_on=date(2015, 3, 1))], None),
        (RegistryKind.FINANCIALS, [figures(code, 2023), figures(code, 2025)], None)], actor="test")
    db.dispose()
    app = create_app(get_settings(data_dir=data, secret_key=SECRET, database_url=""))
    with TestClient(app, follow_redirects=False) as client:
        login(client, "viewer")
        card = client.get(f"/api/v1/cultivation/enterprises/{code}?year=2025").json()
        rd = next(c for t in card if t["tier"] == "high_tech" for c in t["criteria"] if c["id"] == "rd_ratio")
        assert rd["status"] == "unknown" and rd["missing"] == ["figures of 2024"]
        assert rd["missing_text"] == ["figures of 2024"]
        client.cookies.set("scicity_lang", "zh")
        page = client.get(f"/cultivation/enterprises/{code}?year=2025").text
        row = re.search(r'<tr class="status-unknown"><td>近三个会计年度研发费用.*?</tr>', page, re.S)
        assert row is not None and "2024年的数据" in row.group(0)
    for var in [v for v in os.environ if v.startswith("SCICITY_")]:
        monkeypatch.delenv(var)
    cli = Cli(data)
    en = cli("tiers", "gap", code, "--tier", "high_tech", "--year", "2025").stdout
    assert "figures of 2024" in en and "unknown (figures missing)" in en
    zh = cli("tiers", "gap", code, "--tier", "high_tech", "--year", "2025", "--lang", "zh").stdout
    assert "2024年的数据" in zh and "缺数据" in zh
