"""Hostile files for the hardening tests (built once per session: the zip bomb takes a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.hostile import far_cell_xlsx, zip_bomb_xlsx


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
