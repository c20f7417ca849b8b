"""Where the report's files go and the URL `exp-assets report --serve` shows
them at. Kept free of heavy imports: the asset factory reads it for links."""

from __future__ import annotations

import os
from pathlib import Path

DIR_ENV_VAR = "EXP_ASSETS_REPORT_DIR"
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8787  # `exp-assets report --serve`'s default port
INDEX = "index.html"


def report_dir() -> Path:
    """$EXP_ASSETS_REPORT_DIR, else `reports` in the Dagster instance's directory
    ($DAGSTER_HOME, default ./.dagster_home, as the CLI uses): the CLI and the
    report asset run by `dagster dev` share DAGSTER_HOME, so they find the same pages."""
    chosen = os.environ.get(DIR_ENV_VAR)
    if chosen:
        return Path(chosen).resolve()
    return (Path(os.environ.get("DAGSTER_HOME") or ".dagster_home") / "reports").resolve()


def page_name(experiment_id: str) -> str:
    return f"{experiment_id}.html"


def summary_name(experiment_id: str) -> str:
    """The page's one-line summary as JSON; the index is built from these."""
    return f"{experiment_id}.summary.json"


def served_url(file_name: str = INDEX, port: int = SERVE_PORT) -> str:
    return f"http://{SERVE_HOST}:{port}/{file_name}"
