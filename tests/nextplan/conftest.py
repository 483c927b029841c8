import os

import pytest
from tests.cli.conftest import Cli


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
