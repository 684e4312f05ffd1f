"""Imports point one way: domain ← service layer / projections ← infra adapters ← entry points,
with the composition root (infra/bootstrap.py) on top of everything but the entry points."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "service_layer", "infra", "consumers", "api")
COMPOSITION_ROOT = "infra.bootstrap"
# What each layer may import from the project; libraries are not limited except in the domain.
MAY_IMPORT = {
    "domain": {"domain"},
    "projections": {"domain", "projections"},
    "service_layer": {"domain", "projections", "service_layer"},
    "infra": {"domain", "projections", "service_layer", "infra"},
    "consumers": {"domain", "projections", "service_layer", "infra", "consumers"},
    "api": set(PACKAGES),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_the_domain_imports_only_the_stdlib_eventsourcing_domain_and_itself() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"domain"}
    offenders = {
        f"{path.name}: {module}"
        for path in (ROOT / "domain").glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] not in allowed_roots and module != "eventsourcing.domain"
    }
    assert offenders == set()
    assert "eventsourcing.domain" in imported_modules(ROOT / "domain" / "table.py")


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_imports_only_the_layers_beneath_it(package: str) -> None:
    offenders = set()
    for path in (ROOT / package).rglob("*.py"):
        name = module_name(path)
        for module in imported_modules(path):
            root = module.split(".")[0]
            if root not in PACKAGES or name == COMPOSITION_ROOT:
                continue
            if module == COMPOSITION_ROOT and package != "api":
                offenders.add(f"{name} imports the composition root")
            elif root not in MAY_IMPORT[package]:
                offenders.add(f"{name} imports {module}")
    assert offenders == set()


def test_the_architecture_test_would_catch_an_inward_import(tmp_path: Path) -> None:
    """The check itself can fail: a projection importing the service layer is named."""
    probe = tmp_path / "probe.py"
    probe.write_text("from service_layer.store import TablesApplication\n", encoding="utf-8")
    imported = imported_modules(probe)
    assert {module.split(".")[0] for module in imported} - MAY_IMPORT["projections"] == {
        "service_layer"
    }


# Modules allowed to be longer, and why; each must still be long (no stale exceptions).
LONG_BY_DESIGN = {
    "domain.table": "the aggregate and its 18 declared events: their stored topics name it",
    "domain.vocabulary": "every label users see lives in one module",
}


def test_no_module_is_much_over_three_hundred_lines() -> None:
    long = {
        module_name(path)
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > 330
    }
    assert long == set(LONG_BY_DESIGN)
