"""docs/methods.md names every method, native label and setting (kept honest by this test)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scicity.assess import get_method, methods

DOC = Path(__file__).resolve().parents[2] / "docs" / "methods.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_method_and_native_label_is_documented(text):
    for name in methods():
        assert f"`{name}`" in text, name
        for label in get_method(name).native_labels:
            assert label in text, (name, label)


def test_every_setting_is_documented_with_its_default(text):
    for name in methods():
        options = get_method(name).default_options
        if options is None:
            continue
        cls = type(options).__name__
        assert cls in text, cls
        for f in dataclasses.fields(options):
            value = getattr(options, f.name)
            if not isinstance(value, (int, float)):
                continue  # e.g. the fitted constants of the default projection, documented with their table
            assert f"{f.name}={value:g}" in text, (cls, f.name, value)


def test_every_flag_used_in_code_is_documented(text):
    src = Path(__file__).resolve().parents[2] / "src" / "scicity" / "assess"
    import re

    flags = set()
    for path in src.rglob("*.py"):
        flags |= set(re.findall(r'flags?\.append\("([a-z0-9_.]+)"\)', path.read_text(encoding="utf-8")))
        flags |= set(re.findall(r'\("(opensdg_[a-z0-9_.]+)",', path.read_text(encoding="utf-8")))
    assert flags
    missing = sorted(f for f in flags if f not in text)
    assert not missing, f"document these flags in docs/methods.md: {missing}"


def test_package_docstring_example_runs():
    import doctest

    import scicity.assess

    result = doctest.testmod(scicity.assess, verbose=False)
    assert result.attempted >= 1 and result.failed == 0
