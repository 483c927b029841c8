"""Fixtures for the web application: a demo database with one user per role, an app, signed-in clients.

The demo database (seed plan, synthetic data, users) is built once per test
session and copied for every test that uses it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scicity.demo.generator import generate
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans
from scicity.settings import Settings, get_settings
from scicity.store import Database, ObservationRepository, PlanRepository, UserRepository, migrate

SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "correct horse battery"
#: user name -> (role, department)
USERS = {
    "admin": ("admin", None),
    "analyst": ("analyst", None),
    "analyst2": ("analyst", None),
    "provider": ("provider", "stats"),
    "viewer": ("viewer", None),
}
STATS_IDS = ("top_talent", "outstanding_talent", "leading_talent", "young_talent", "talent_total", "gazelle_enterprises")


def build_demo_database(url: str) -> None:
    migrate.upgrade(url)
    db = Database(url)
    text = packaged_plans()[DEFAULT_PLAN_ID].read_text(encoding="utf-8")
    PlanRepository(db).save(DEFAULT_PLAN_ID, "seed", text, actor="test", make_default=True)
    data = generate()
    repo = ObservationRepository(db)
    repo.apply(list(data.first_release), actor="demo-generator")
    repo.apply(list(data.revisions), actor="demo-generator")
    users = UserRepository(db)
    users.save_department("stats", "Statistics bureau", STATS_IDS, actor="test")
    for name, (role, dept) in USERS.items():
        users.create(name, PASSWORD, role, actor="test", display_name=f"Test {name}", department_id=dept)
    db.dispose()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-db")
    build_demo_database(f"sqlite:///{folder}/scicity.db")
    return folder / "scicity.db"


@pytest.fixture
def web_settings(tmp_path: Path, demo_db_file: Path) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(demo_db_file, data_dir / "scicity.db")
    return get_settings(data_dir=data_dir, secret_key=SECRET, database_url="")


@pytest.fixture
def make_app(web_settings: Settings):  # noqa: ANN201
    from scicity.web.app import create_app

    def make(**overrides):  # noqa: ANN003, ANN202
        settings = web_settings.model_copy(update=overrides) if overrides else web_settings
        return create_app(settings)

    return make


@pytest.fixture
def app(make_app):  # noqa: ANN001, ANN201
    return make_app()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text),
                                            "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client_for(app) -> Iterator[Callable[[str | None], TestClient]]:  # noqa: ANN001
    """``client_for("analyst")``: a TestClient signed in as that user (None: anonymous)."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return login(client, username) if username else client

    yield make
    for c in clients:
        c.close()


def page_csrf(client: TestClient, path: str = "/login") -> str:
    return csrf_of(client.get(path).text)


@pytest.fixture(scope="session")
def registry_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with the demo registries too (what ``scicity init --demo`` loads)."""
    from scicity.demo.registries import generate_registries
    from scicity.store.registries import RegistryRepository

    folder = tmp_path_factory.mktemp("registry-db")
    url = f"sqlite:///{folder}/scicity.db"
    build_demo_database(url)
    db = Database(url)
    parts = [(kind, records, None) for kind, records in generate_registries().parts()]
    RegistryRepository(db).apply_many(parts, actor="demo-generator", file_name="demo: registries")
    db.dispose()
    return folder / "scicity.db"


@pytest.fixture
def registry_settings(tmp_path: Path, registry_db_file: Path) -> Settings:
    data_dir = tmp_path / "registry-data"
    data_dir.mkdir()
    shutil.copy(registry_db_file, data_dir / "scicity.db")
    return get_settings(data_dir=data_dir, secret_key=SECRET, database_url="")


@pytest.fixture
def registry_client(registry_settings: Settings) -> Iterator[Callable[[str | None], TestClient]]:
    """``registry_client("viewer")``: a signed-in client of an app over the demo data with registries."""
    from scicity.web.app import create_app

    app = create_app(registry_settings)
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return login(client, username) if username else client

    yield make
    for c in clients:
        c.close()
