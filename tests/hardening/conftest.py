"""Hostile files for the hardening tests (built once per session: the zip bomb takes a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import far_cell_xlsx, zip_bomb_xlsx


@pytest.fixture
def demo_settings(db_url: str, tmp_path: Path):  # noqa: ANN201
    """Settings of a web app over the demo database (plan, data, one user per role), once per store."""
    from scicity.settings import get_settings
    from tests.web.conftest import SECRET, build_demo_database

    build_demo_database(db_url)
    return get_settings(data_dir=tmp_path / "data", secret_key=SECRET, database_url=db_url)


@pytest.fixture
def demo_client(demo_settings):  # noqa: ANN001, ANN201
    """``demo_client("analyst")``: a TestClient signed in (None: anonymous), over ``demo_settings``."""
    from fastapi.testclient import TestClient

    from scicity.web.app import create_app
    from tests.web.conftest import login

    app = create_app(demo_settings)
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return login(client, username) if username else client

    yield make
    for c in clients:
        c.close()
    app.state.web.db.dispose()


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="session")
def far_cell(hostile_dir: Path) -> Path:
    return far_cell_xlsx(hostile_dir / "far-cell.xlsx")


@pytest.fixture(scope="session")
def zip_bomb(hostile_dir: Path) -> Path:
    return zip_bomb_xlsx(hostile_dir / "bomb.xlsx")


# the web fixtures (demo database, settings, apps, signed-in clients)
from tests.web.conftest import (  # noqa: E402, F401
    app,
    client_for,
    demo_db_file,
    make_app,
    registry_client,
    registry_db_file,
    registry_settings,
    web_settings,
)


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A new store in ``tmp_path`` made by ``scicity init``, and a function running the CLI on it (no SCICITY_* of
    the caller's environment)."""
    import os

    from typer.testing import CliRunner

    from scicity.cli import app

    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    env = {"SCICITY_DATA_DIR": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"}
    runner = CliRunner()

    def run(*args: str):  # noqa: ANN202
        return runner.invoke(app, list(args), env=env)

    assert run("init").exit_code == 0
    return run
