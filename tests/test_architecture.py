"""The layers import one way only; the pure core imports no I/O library."""

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "scicity"

#: what each package of scicity may import from scicity (besides itself)
ALLOWED = {
    "domain": set(),
    "assess": {"domain"},
    "engine": {"domain"},
    "plans": set(),
    "i18n": set(),
    "ingest": {"domain", "plans", "i18n"},
    "store": {"domain", "settings"},
    "demo": {"domain"},
    "matching": {"domain"},
    "reports": {"domain", "assess", "engine", "service", "ingest", "i18n", "plans", "settings"},
    "service": {"domain", "assess", "engine", "ingest", "plans", "store", "settings", "i18n", "matching"},
    "web": {"service", "store", "ingest", "engine", "assess", "domain", "settings", "plans", "reports", "i18n",
            "matching"},
}
PURE = {"domain", "assess"}
PURE_THIRD_PARTY = {"numpy", "pydantic", "pydantic_core", "typing_extensions"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_one_way_imports(package):
    for path in modules(package):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "scicity" or len(parts) < 2:
                continue
            target = parts[1]
            assert target == package or target in ALLOWED[package], f"{path.relative_to(SRC)} imports {name}"


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_core_imports_no_io_library(package):
    stdlib = set(sys.stdlib_module_names)
    for path in modules(package):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top == "scicity":
                continue
            assert top in stdlib or top in PURE_THIRD_PARTY, f"{path.relative_to(SRC)} imports {name}"
            assert top not in {"sqlite3", "socket", "urllib", "http", "csv", "shelve", "dbm"}, f"{path} imports {name}"


def test_modules_stay_small():
    big = [(p.relative_to(SRC), n) for p in SRC.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600]
    assert not big, f"split these modules by responsibility: {big}"
