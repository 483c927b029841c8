"""schemathesis against the app's own OpenAPI: no 5xx, responses match their schema (bounded examples).

The app is built at import time (schemathesis needs the schema to generate the
tests), on a demo database in a temporary directory; requests carry an
analyst's API token.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from scicity.settings import get_settings
from scicity.store import Database, UserRepository
from scicity.web.app import create_app
from tests.web.conftest import SECRET, build_demo_database

_DIR = Path(tempfile.mkdtemp(prefix="scicity-fuzz-"))
build_demo_database(f"sqlite:///{_DIR}/scicity.db")
APP = create_app(get_settings(data_dir=_DIR, secret_key=SECRET, database_url=""))
_, TOKEN = UserRepository(Database(f"sqlite:///{_DIR}/scicity.db")).create_token("analyst", "fuzz", actor="test")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_fails_and_matches_its_schema(case) -> None:  # noqa: ANN001
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
