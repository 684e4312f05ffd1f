"""Dependencies point inward: the domain knows only the stdlib and eventsourcing.domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_domain_imports_only_the_stdlib_eventsourcing_domain_and_itself() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"domain"}
    offenders = {
        f"{path.name}: {module}"
        for path in DOMAIN.glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] not in allowed_roots and module != "eventsourcing.domain"
    }
    assert offenders == set()
    assert "eventsourcing.domain" in imported_modules(DOMAIN / "table.py")
