"""Settings: environment variables with the SCICITY_ prefix, a factory, defaults under ./var."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from scicity.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"SCICITY_{name.upper()}", raising=False)


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = get_settings()
    assert s.data_dir == tmp_path / "var"
    assert s.database_url == f"sqlite:///{tmp_path}/var/scicity.db"
    assert (s.plan, s.lang, s.secret_key, s.demo) == (None, "en", None, False)


def test_environment_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCICITY_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SCICITY_LANG", "zh")
    monkeypatch.setenv("SCICITY_DEMO", "true")
    s = get_settings()
    assert s.database_url == f"sqlite:///{tmp_path}/d/scicity.db" and s.lang == "zh" and s.demo
    monkeypatch.setenv("SCICITY_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert get_settings().database_url == "postgresql+psycopg://u@h/db"
    assert get_settings(lang="en").lang == "en"


def test_every_field_has_help_text() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValidationError, match="lang"):
        get_settings(lang="fr")
    with pytest.raises(ValidationError, match="placeholder"):
        get_settings(secret_key="changeme")
    assert get_settings(secret_key="x" * 40).secret_key is not None
