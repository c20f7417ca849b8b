"""The layers point one way: import-linter checks the contracts in
pyproject.toml (each layer imports only the layers below it; Dagster only in
the Dagster layers). A violation names the import chain that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _lint(root: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package and pyproject.toml under `root` (put first on sys.path)."""
    code = f"import sys; sys.path.insert(0, {str(root)!r}); from importlinter.cli import lint_imports_command; " \
           "lint_imports_command()"
    return subprocess.run([sys.executable, "-c", code, "--no-cache"], cwd=root, capture_output=True, text=True)


def test_imports_follow_the_layers():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_up_the_layers_is_caught(tmp_path):
    """The contract can fail: on a copy of the package in which the statistics
    import the asset factory, the check names that import."""
    shutil.copytree(REPO / "exp_assets", tmp_path / "exp_assets", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    power = tmp_path / "exp_assets" / "stats" / "power.py"
    power.write_text(power.read_text() + "\nfrom exp_assets.assets import factory  # noqa: E402\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "exp_assets.stats is not allowed to import exp_assets.assets" in result.stdout
    assert "exp_assets.stats.power -> exp_assets.assets.factory" in result.stdout
