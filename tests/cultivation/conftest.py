"""Fixtures for the cultivation tests: those of the registries (seed plan, repository, codes, writers) and the CLI."""

from tests.cli.conftest import cli  # noqa: F401
from tests.registries.conftest import codes, registries, seed_plan  # noqa: F401
from tests.web.conftest import demo_db_file, registry_client, registry_db_file, registry_settings  # noqa: F401, E402
