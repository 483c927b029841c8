"""Missing machine parts: a loud skip on a developer machine, a failure in CI."""

import pytest

from tests.environment import PREFIX, unavailable


def test_a_developer_machine_skips_with_the_marked_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=PREFIX + "no chromium"):
        unavailable("no chromium")


def test_ci_fails_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("no chromium")


def test_the_seed_quote_test_uses_it() -> None:
    """The seed-quote test must not carry a skipif that would skip in CI as well."""
    import ast
    from pathlib import Path

    source = (Path(__file__).parent / "plans" / "test_seed_plan.py").read_text(encoding="utf-8")
    assert "skipif" not in source and "unavailable(" in source
    assert any(isinstance(n, ast.FunctionDef) and n.name == "test_every_quote_is_in_the_seed_text"
               for n in ast.walk(ast.parse(source)))
