"""Fixtures for the registries: the seed plan, a repository on each database, file writers, valid codes."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scicity.domain.credit_code import make_credit_code
from scicity.domain.plan import Plan
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans
from scicity.store import Database
from scicity.store.registries import RegistryRepository


@pytest.fixture(scope="session")
def seed_plan() -> Plan:
    return load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan


@pytest.fixture
def registries(database: Database, clock) -> RegistryRepository:
    return RegistryRepository(database, clock=clock)


@pytest.fixture
def codes() -> list[str]:
    """Twenty valid, distinct credit codes (random, deterministic)."""
    rng = random.Random(7)
    out: list[str] = []
    while len(out) < 20:
        code = make_credit_code(rng, division="500107")
        if code not in out:
            out.append(code)
    return out


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "data") -> Path:
    """Cells as given: str stays text, numbers are numbers, dates are date cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


class Cli:
    """Runs `scicity …` in-process against a database in a temporary data dir."""

    def __init__(self, data_dir: Path) -> None:
        from typer.testing import CliRunner

        self.data_dir = data_dir
        self.runner = CliRunner()

    def __call__(self, *args: object, ok: bool = True):
        from scicity.cli import app

        env = {"SCICITY_DATA_DIR": str(self.data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
        result = self.runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    import os

    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    return Cli(tmp_path / "data")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per module (tests copy it before writing)."""
    data = tmp_path_factory.mktemp("demo") / "data"
    Cli(data)("init", "--demo")
    return data


@pytest.fixture
def demo_cli(demo_dir: Path, cli: Cli) -> Cli:
    import shutil

    shutil.copytree(demo_dir, cli.data_dir)
    return cli
