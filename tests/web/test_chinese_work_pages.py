"""The plan's working tools in Chinese: the exchange platform, the cultivation pages, the next plan and the reports,
read by every role over the whole demo (registries, exchange records, deals, peers) as `scicity init --demo`
loads it — no Latin-script word outside the proper terms (tests/web/latin.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scicity.settings import Settings, get_settings
from scicity.store.db import Database
from tests.web.conftest import SECRET, login
from tests.web.latin import latin_words

ROLES = ("viewer", "provider", "analyst", "admin")
#: technical terms inside the demo records' own Chinese titles and descriptions (as an office writes them)
RECORD_TERMS = "CAR-T ERP MOSFET NCM811"


@pytest.fixture(scope="module")
def work_db_file(registry_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with registries, the exchange records and deals, and the peer zones."""
    from scicity.cli.exchange_cmd import load_demo as exchange_demo
    from scicity.cli.plan_lifecycle_cmd import load_demo_peers
    from scicity.ingest.plan_file import load_plan_file
    from scicity.plans import DEFAULT_PLAN_ID, packaged_plans

    file = tmp_path_factory.mktemp("work-db") / "scicity.db"
    shutil.copy(registry_db_file, file)
    db = Database(f"sqlite:///{file}")
    exchange_demo(db)
    load_demo_peers(db, load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan)
    db.dispose()
    return file


@pytest.fixture
def work_client(work_db_file: Path, tmp_path: Path) -> Iterator[Callable[[str], TestClient]]:
    from scicity.web.app import create_app

    data_dir = tmp_path / "work-data"
    data_dir.mkdir()
    shutil.copy(work_db_file, data_dir / "scicity.db")
    settings: Settings = get_settings(data_dir=data_dir, secret_key=SECRET, database_url="")
    app = create_app(settings)
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.headers["accept-language"] = "zh-CN,zh;q=0.9"
        clients.append(client)
        return login(client, username)

    yield make
    for c in clients:
        c.close()


def _pages(client: TestClient) -> list[str]:
    """Every page of the working tools, with the records and enterprises the demo holds."""
    pages = ["/exchange", "/exchange/deals", "/exchange/match?achievement=DEMO-ACH-001", "/exchange/match?need=DEMO-NEED-003",
             "/exchange/new/achievements", "/exchange/new/needs", "/exchange/records/experts/new",
             "/exchange/records/facilities/new", "/exchange/records/contracts/new", "/exchange/records/talent_exchanges/new",
             "/exchange/records/achievements/DEMO-ACH-001", "/exchange/match?q=电池",
             "/next-plan", "/reports", "/cultivation", "/cultivation/pool", "/cultivation/expiry"]
    pool = client.get("/cultivation/pool").text
    if "/cultivation/enterprises/" in pool:
        code = pool.split("/cultivation/enterprises/", 1)[1].split('"', 1)[0].split("?", 1)[0]
        pages.append(f"/cultivation/enterprises/{code}")
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_the_working_tools_read_in_chinese(work_client, role: str) -> None:  # noqa: ANN001
    client = work_client(role)
    english: dict[str, set[str]] = {}
    for path in _pages(client):
        r = client.get(path)
        if r.status_code in (303, 401, 403):
            continue
        assert r.headers["content-type"].startswith("text/html"), (path, r.status_code)
        words = latin_words(r.text, typed=(path if r.status_code >= 400 else "") + " " + RECORD_TERMS)
        if words:
            english[f"{path} ({r.status_code})"] = words
    assert not english, "English words on Chinese pages:\n" + "\n".join(
        f"  {p}: {' '.join(sorted(w))}" for p, w in english.items())
