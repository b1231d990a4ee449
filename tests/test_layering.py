"""The arrows run down only: home -> features -> core/accounts (STYLE.md).

Reads every module's imports with the ast module, so a forbidden import fails
here even when it is inside a function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURES = {"blog", "gallery", "chat", "search"}
# Comments serve blog and gallery, which register with comments/registry.py.
FORBIDDEN = {
    "core": FEATURES | {"home", "accounts"},
    "accounts": FEATURES | {"home"},
    "config": FEATURES | {"home", "accounts"},
    "blog": {"home"},
    "gallery": {"home"},
    "chat": {"home"},
    "comments": FEATURES | {"home"},
}
# The project's wiring, which names every app by design.
WIRING = {"config/urls.py", "config/asgi.py"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_above_it(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            imported_packages(path) & FORBIDDEN[package]
        )
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in WIRING
    }
    assert {path: names for path, names in offenders.items() if names} == {}
