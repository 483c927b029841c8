"""scicity.assess is pure: it imports only the standard library, numpy and scicity.domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import scicity.assess

PACKAGE = Path(scicity.assess.__file__).resolve().parent
ALLOWED_THIRD_PARTY = {"numpy"}
ALLOWED_OWN = ("scicity.assess", "scicity.domain")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: inside scicity.assess by construction
                found.add("scicity.assess")
            elif node.module:
                found.add(node.module)
    return found


def test_assess_imports_only_stdlib_numpy_and_domain():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    offenders = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top == "scicity":
                ok = name == "scicity" or name.startswith(ALLOWED_OWN)
            else:
                ok = top in stdlib or top in ALLOWED_THIRD_PARTY
            if not ok:
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert not offenders, "scicity.assess must stay pure (stdlib + numpy + scicity.domain); found: " + ", ".join(offenders)


def test_modules_stay_small():
    long = {p.name: n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, f"split these modules: {long}"
