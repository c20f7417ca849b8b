#!/usr/bin/env bash
# What the tests need beyond the project's Python packages, so that the README's
# test command runs the whole suite with nothing skipped: the BigQuery emulator's
# own virtualenv (.ci/setup_bqemulator.sh) and, for the browser tests
# (test_ui.py), Debian's chromium, installed with apt-get when it is missing.
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian's chromium for the browser tests (apt-get)"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
bash .ci/setup_bqemulator.sh
