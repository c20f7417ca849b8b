#!/usr/bin/env bash
# Creates the BigQuery emulator's own virtualenv (default .ci/.venv-bqemulator,
# or $EXP_ASSETS_BQEMULATOR_VENV), which the BigQuery tests start as a server.
# Idempotent; needs only PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${EXP_ASSETS_BQEMULATOR_VENV:-.ci/.venv-bqemulator}"
command -v uv >/dev/null 2>&1 || pip install -q uv
uv venv -q --allow-existing -p 3.11 "$venv"
uv pip install -q --compile-bytecode -p "$venv" -r .ci/bqemulator-requirements.txt
# register the spatial extension from its wheel (no download when the server starts)
"$venv/bin/python" -c "import duckdb_extensions; duckdb_extensions.import_extension('spatial')"
"$venv/bin/bqemulator" --help >/dev/null
echo "bqemulator ready in $venv"
