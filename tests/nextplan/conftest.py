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


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory):
    """One demo database per module (init --demo takes seconds)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("SCICITY_")}
    for name in saved:
        del os.environ[name]
    cli = Cli(tmp_path_factory.mktemp("nextplan") / "data")
    cli("init", "--demo")
    yield cli
    os.environ.update(saved)
