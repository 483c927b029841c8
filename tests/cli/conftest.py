import os

import pytest
from typer.testing import CliRunner

from scicity.cli import app


class Cli:
    """Runs `scicity …` in-process against a database in a temporary data dir."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.runner = CliRunner()

    def __call__(self, *args, ok=True):
        env = {"SCICITY_DATA_DIR": str(self.data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
        result = self.runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def cli(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    return Cli(tmp_path / "data")


@pytest.fixture
def demo_cli(cli):
    cli("init", "--demo")
    return cli
