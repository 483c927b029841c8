"""`scicity user …` and `scicity serve` from the command line."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from scicity.cli import app


@pytest.fixture
def run(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    env = {"SCICITY_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200", "NO_COLOR": "1"}
    runner = CliRunner()

    def call(*args: str, code: int = 0, extra: dict[str, str] | None = None):  # noqa: ANN202
        result = runner.invoke(app, list(args), env={**env, **(extra or {})}, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    call("init")
    return call


def test_add_list_set_password_and_token(run) -> None:  # noqa: ANN001
    out = run("user", "add", "li.wei", "--role", "analyst", "--name", "Li Wei")
    password = re.search(r"password: (\S+)", out).group(1)
    assert len(password) >= 10
    run("user", "add", "wang", "--role", "viewer", "--password", "a long passphrase")
    listing = run("user", "list")
    assert "li.wei" in listing and "analyst" in listing and "wang" in listing
    assert "password: " in run("user", "set-password", "wang")
    token = re.search(r"\(shown once\): (sct_\S+)", run("user", "token", "wang", "--name", "script")).group(1)
    assert token.startswith("sct_")
    assert "already a user" in run("user", "add", "wang", code=2)
    assert "unknown role" in run("user", "add", "zhao", "--role", "boss", code=2)
    assert "no user" in run("user", "token", "nobody", code=2)


def test_demo_accounts_one_per_role(run, tmp_path) -> None:  # noqa: ANN001
    target = tmp_path / "accounts.txt"
    out = run("user", "demo", "--write", str(target))
    for role in ("admin", "analyst", "provider", "viewer"):
        assert re.search(rf"{role}\s+user {role}\s+password \S{{10,}}", out)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    # and the exchange platform's transfer office and enterprise user, with the organisation each acts for
    assert re.search(r"user tto\s+password \S{10,}\s+acts for DEMO-UNI-A \(科学城示例大学", out)
    assert re.search(r"user enterprise\s+password \S{10,}\s+acts for \S+", out)
    again = run("user", "demo")  # new passwords, same users
    assert again != out and run("user", "list").count("\n") == 6


def test_serve_refuses_a_missing_or_weak_secret(run) -> None:  # noqa: ANN001
    assert "SCICITY_SECRET_KEY is not set" in run("serve", code=2)
    assert "at least 32" in run("serve", code=2, extra={"SCICITY_SECRET_KEY": "short-secret"})
    assert "placeholder" in run("serve", code=2, extra={"SCICITY_SECRET_KEY": "changeme"})
