"""The workbench works on an intranet: every asset is the node's own, and vendored files are
exactly the versions recorded."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "api" / "web"
VENDORED = {
    "htmx-2.0.11.min.js": "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717",
}
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
)


def test_vendored_libraries_are_the_recorded_versions() -> None:
    vendor = WEB / "static" / "vendor"
    scripts = {path.name for path in vendor.glob("*.js")}
    assert scripts == set(VENDORED), "a vendored script is missing or not recorded"
    for name, digest in VENDORED.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
        assert digest in (vendor / "README.md").read_text(encoding="utf-8")


def test_no_template_or_asset_loads_anything_from_outside_the_node() -> None:
    files = [*WEB.glob("templates/*.html"), *WEB.glob("static/*.css"), *WEB.glob("static/*.js")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{path.name} refers to an outside address"


def test_pages_load_the_vendored_htmx_by_its_versioned_name() -> None:
    base = (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    assert all(f"/static/vendor/{name}" in base for name in VENDORED)
