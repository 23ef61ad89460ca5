"""Packages by job: only the web app (``dashboard``) imports Dash or Flask, so ``atlas validate``
and ``atlas export`` run without loading them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.loading import DEMO_DIR

ROOT = Path(__file__).resolve().parents[2]
WEB_MODULES = ("dash", "flask", "dash_leaflet", "dash_extensions")
#: Packages that never import the web libraries, not even inside a function (``layers`` may, in
#: its ``component()`` functions only, which the web app alone calls).
NO_WEB_PACKAGES = ("accounts", "cli", "dataversions", "exports", "geodata", "viewmodel")

LOADED_AFTER = """
import json, sys
import cli
code = cli.main({argv!r})
print(json.dumps({{"code": code,
                  "loaded": sorted(n for n in {names!r} if n in sys.modules)}}))
"""


def _loaded_after(argv: list[str]) -> dict:
    script = LOADED_AFTER.format(argv=argv, names=WEB_MODULES)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [
    ["validate", str(DEMO_DIR)],
    ["validate", str(DEMO_DIR), "--json"],
])
def test_atlas_validate_loads_no_web_library(argv):
    outcome = _loaded_after(argv)
    assert outcome == {"code": 0, "loaded": []}


def test_atlas_export_loads_no_web_library(tmp_path):
    argv = ["export", "--data", str(DEMO_DIR), "--format", "png,csv",
            "--out", f"{tmp_path}/", "--mode", "programmes"]
    outcome = _loaded_after(argv)
    assert outcome == {"code": 0, "loaded": []}
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".csv", ".png"]


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_web_app_imports_dash_or_flask():
    found = [f"{path.relative_to(ROOT)}: {name}"
             for package in NO_WEB_PACKAGES
             for path in sorted((ROOT / package).rglob("*.py"))
             for name in sorted(_imported_names(path) & set(WEB_MODULES))]
    assert found == []
