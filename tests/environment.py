"""Tests that need something of the machine (PostgreSQL, Chromium, the seed text): skip loudly, or fail in CI.

``unavailable(message)`` skips the test with a reason that starts with
:data:`PREFIX`; the terminal summary in ``tests/conftest.py`` lists every
such skip at the end of the run, so a developer machine says what it did
not test. When the ``CI`` environment variable is set the same call fails
the test instead: CI must run everything.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

PREFIX = "NOT TESTED on this machine: "


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def unavailable(message: str) -> NoReturn:
    """Skip (developer machine) or fail (CI) because something the test needs is missing."""
    if in_ci():
        pytest.fail(f"{message}. CI is set, so this test must run, not skip.", pytrace=False)
    pytest.skip(PREFIX + message)
