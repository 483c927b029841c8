"""Hostile workbooks through the web server and the CLI: each fails its own request; the server keeps serving."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import scicity
from scicity.settings import Settings
from scicity.store import Database, UserRepository
from tests.web.conftest import PASSWORD, csrf_of
from tests.web.live_server import live_server

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _token(settings: Settings, username: str) -> str:
    db = Database(settings.database_url)
    try:
        return UserRepository(db).create_token(username, "hostile-test", actor="test")[1]
    finally:
        db.dispose()


def _signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login")
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                         "next": "/"})
    assert answer.status_code == 303, answer.text
    return client


def test_the_server_survives_hostile_files_while_serving_another_user(registry_settings, far_cell, zip_bomb) -> None:  # noqa: ANN001
    from scicity.web.app import create_app

    app = create_app(registry_settings)
    token = _token(registry_settings, "analyst")
    answers: list[tuple[str, int, str]] = []
    served: list[tuple[int, float]] = []
    with live_server(app) as base:
        stop = threading.Event()

        def reader() -> None:
            with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
                while not stop.is_set():
                    started = time.monotonic()
                    r = c.get("/api/v1/registries/enterprises", params={"limit": 5})
                    served.append((r.status_code, time.monotonic() - started))

        def api_upload(path: Path) -> None:
            with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}) as c:
                with path.open("rb") as f:
                    r = c.post("/api/v1/registries/enterprises", files={"file": (path.name, f, XLSX)})
                answers.append((f"api {path.name}", r.status_code, r.json()["detail"]))

        def page_upload(path: Path) -> None:
            try:
                _page_upload(path)
            except Exception as exc:  # noqa: BLE001 - the assertion below shows it
                answers.append((f"page {path.name}", -1, repr(exc)))

        def _page_upload(path: Path) -> None:
            c = _signed_in(base, "analyst")
            try:
                csrf = csrf_of(c.get("/data").text)
                with path.open("rb") as f:
                    r = c.post("/data/upload", data={"csrf_token": csrf, "status": "submitted"},
                               files={"file": (path.name, f, XLSX)})
                answers.append((f"page {path.name}", r.status_code, r.text))
            finally:
                c.close()

        threads = [threading.Thread(target=reader)]
        threads += [threading.Thread(target=fn, args=(p,)) for fn in (api_upload, page_upload) for p in (far_cell, zip_bomb)]
        for t in threads:
            t.start()
        for t in threads[1:]:
            t.join(180)
        time.sleep(0.3)
        stop.set()
        threads[0].join(30)
        with httpx.Client(base_url=base, timeout=10) as c:
            assert c.get("/login").status_code == 200  # still serving
    app.state.web.db.dispose()
    assert len(answers) == 4
    for what, status, text in answers:
        assert status == 422, (what, status, text[:500])
        if "far-cell" in what:
            assert "A1:XFD1048576" in text and "17,179,869,184 cells" in text, what
        else:
            assert "10,240 MB when unpacked" in text, what
    assert served and all(status == 200 for status, _ in served), served[:5]
    for folder in ("uploads", "registry-uploads"):
        left = list((registry_settings.data_dir / folder).glob("*")) if (registry_settings.data_dir / folder).exists() else []
        assert left == [], f"{folder} keeps {left}"


def _scicity(data_dir: Path, *args: object) -> subprocess.CompletedProcess[str]:
    src = str(Path(scicity.__file__).resolve().parents[1])
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SCICITY_")},
           "SCICITY_DATA_DIR": str(data_dir), "PYTHONPATH": src, "COLUMNS": "200", "NO_COLOR": "1"}
    code = "import sys; from scicity.cli import app; sys.argv[0] = 'scicity'; app()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("command", [("import",), ("registry", "import", "enterprises")], ids=["data", "registry"])
def test_the_cli_refuses_hostile_files_with_a_clear_error(tmp_path, far_cell, zip_bomb, command) -> None:  # noqa: ANN001
    assert _scicity(tmp_path, "init").returncode == 0
    for path, expected in ((far_cell, "A1:XFD1048576"), (zip_bomb, "10,240 MB when unpacked")):
        result = _scicity(tmp_path, *command, path)
        assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
        assert expected in result.stderr + result.stdout
        assert "nothing was imported" in result.stderr + result.stdout
        assert "Traceback" not in result.stderr
