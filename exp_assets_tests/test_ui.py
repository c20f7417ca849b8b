"""End to end in a real browser: the demo materialized, `dagster dev` on
127.0.0.1, and Debian's chromium (headless) reading what a user sees."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (CI installs it: apt-get install chromium)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(command: list[str], cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    # own session and default SIGINT, so the whole tree stops when we signal it
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _browser(url: str, tmp: Path, screenshot: Path | None = None) -> str:
    flags = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp / 'chromium'}", "--window-size=1600,1200", "--virtual-time-budget=20000",
    ]
    if screenshot is not None:
        subprocess.run([*flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=120)
    return subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout


def test_ui_shows_groups_and_the_scorecard(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home"), "EXP_ASSETS_CONFIG": ""}
    demo = subprocess.run([sys.executable, "-m", "exp_assets.cli", "demo", "--units", "3000"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:]
    shutil.copy(REPO / "workspace.yaml", tmp_path / "workspace.yaml")
    port = _free_port()
    dagster = Path(sys.executable).parent / "dagster"
    server = _start([str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                    tmp_path, env, tmp_path / "dagster_dev.log")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{base}/server_info", timeout=5).status == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline, (tmp_path / "dagster_dev.log").read_text()[-3000:]
            time.sleep(1)

        graph = _browser(f"{base}/asset-groups", tmp_path, tmp_path / "asset_groups.png")
        for group in ("checkout_redesign", "search_ranking", "pricing_page"):
            assert group in graph, f"group {group} not on the asset graph page"

        page = _browser(f"{base}/assets/checkout_redesign/results_cumulative?view=events", tmp_path,
                        tmp_path / "results.png")
        assert "results_cumulative" in page
        assert "revenue / treatment: " in page and "significant" in page.lower(), "scorecard not on the results asset page"
        assert "<li>revenue / treatment: " in page, "verdicts are not one (list) line each"
        assert "revenue / treatment / rel_effect" in page  # spaced keys: the key column wraps them
        assert "rows_scanned_sources" in page and "Show Markdown" in page
        catalog = _browser(f"{base}/assets?asset-selection=kind%3Aresults", tmp_path)
        assert "results_cumulative" in catalog and "unit_totals" not in catalog, "results assets not marked by kind"
        assert (tmp_path / "results.png").stat().st_size > 10_000
    finally:
        _stop(server)
    assert server.poll() is not None
