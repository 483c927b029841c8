"""A demo database made once for the report tests, and helpers to build report models from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from scicity.cli import app
from scicity.service.plans import resolve_plan
from scicity.service.report_service import live_model
from scicity.store.db import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class DemoCli:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.runner = CliRunner()

    @property
    def url(self) -> str:
        return f"sqlite:///{self.data_dir}/scicity.db"

    def __call__(self, *args, ok=True):
        env = {"SCICITY_DATA_DIR": str(self.data_dir), "COLUMNS": "200", "NO_COLOR": "1", "SCICITY_LANG": "en"}
        result = self.runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory, monkeypatch_module):
    cli = DemoCli(tmp_path_factory.mktemp("reports") / "data")
    cli("init", "--demo")
    return cli


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    import os

    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            mp.delenv(name)
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def seed_plan():
    return resolve_plan(None).plan


@pytest.fixture(scope="module")
def final_models(demo, seed_plan):
    """The seed plan's final evaluation from the demo database, in both languages."""
    db = Database(demo.url)
    try:
        out = {}
        for lang in ("zh", "en"):
            m = live_model(db, seed_plan, demo.data_dir / "cache", kind="final", as_of=2025, lang=lang)
            m["generated_at"] = NOW.isoformat(timespec="seconds")
            out[lang] = m
        return out
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def status_json(demo):
    return json.loads(demo("status", "--format", "json", "--as-of", "2025", "--lang", "zh", "--no-pipeline").stdout)
