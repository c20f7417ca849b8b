"""End to end in a real browser: the demo materialized (which writes its report),
`dagster dev` and `exp-assets report --serve` on 127.0.0.1, and Debian's chromium
(headless, every host but 127.0.0.1 unresolvable) reading what a user sees."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from exp_assets.config import load_config
from exp_assets.config.loader import demo_config_path
from exp_assets.plan import ExperimentPlan

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


def _wait_for(url: str, log: Path, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            if urllib.request.urlopen(url, timeout=5).status == 200:
                return
        except OSError:
            pass
        assert time.time() < deadline, log.read_text()[-3000:]
        time.sleep(1)


def _browser(url: str, tmp: Path, screenshot: Path | None = None, width: int = 1600, height: int = 1200) -> str:
    flags = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        # no network: what the pages show must come from 127.0.0.1 alone
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={tmp / 'chromium'}", f"--window-size={width},{height}", "--virtual-time-budget=20000",
    ]
    if screenshot is not None:  # taken in the same visit as the DOM
        flags.append(f"--screenshot={screenshot}")
    return subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def demo(demo_run) -> tuple[Path, dict]:
    """`exp-assets demo` (conftest.py: at its default scale, in a fresh directory,
    shared with test_cli): that directory and the environment it ran with."""
    root, env, out = demo_run
    assert f"report --serve --out {root / 'home' / 'reports'}" in out
    return root, env


def test_ui_shows_groups_and_the_scorecard(demo):
    tmp_path, env = demo
    shutil.copy(REPO / "workspace.yaml", tmp_path / "workspace.yaml")
    port = _free_port()
    dagster = Path(sys.executable).parent / "dagster"
    server = _start([str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                    tmp_path, env, tmp_path / "dagster_dev.log")
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/server_info", tmp_path / "dagster_dev.log")

        graph = _browser(f"{base}/asset-groups", tmp_path, tmp_path / "asset_groups.png")
        for group in ("checkout_redesign", "search_ranking", "pricing_page"):
            assert group in graph, f"group {group} not on the asset graph page"

        page = _browser(f"{base}/assets/checkout_redesign/results_cumulative?view=events", tmp_path,
                        tmp_path / "results.png")
        assert "results_cumulative" in page
        verdict = re.search(r"<li>revenue / treatment: ([^<]*)</li>", page)
        assert verdict, "verdicts not on the results asset page, one (list) line each"
        assert verdict.group(1).endswith(" SIGNIFICANT ↑"), verdict.group(1)  # the planted +10% on revenue
        assert "revenue / treatment / rel_effect" in page  # spaced keys: the key column wraps them
        assert "rows_scanned_sources" in page and "Show Markdown" in page
        catalog = _browser(f"{base}/assets?asset-selection=kind%3Aresults", tmp_path)
        assert "results_cumulative" in catalog and "unit_totals" not in catalog, "results assets not marked by kind"
        assert (tmp_path / "results.png").stat().st_size > 10_000

        # one click from the results asset to its report page
        overview = _browser(f"{base}/assets/checkout_redesign/results_cumulative", tmp_path,
                            tmp_path / "results_overview.png")
        assert 'href="http://127.0.0.1:8787/checkout_redesign.html"' in overview
    finally:
        _stop(server)
    assert server.poll() is not None


# What a reader of each page must see: text in the DOM, and rendered charts.
CHARTS = re.compile(r'<svg class="main-svg"[^>]*style="background[^>]*>')  # Plotly's first of 3 per chart
EXTERNAL = re.compile(r'\b(?:src|href)="(?:https?:)?//', re.I)


def _rendered_charts(dom: str) -> list[tuple[float, float]]:
    """(width, height) of every chart Plotly drew (its main <svg>, one per chart)."""
    sizes = []
    for tag in CHARTS.findall(dom):
        width, height = (re.search(rf'{a}="([\d.]+)"', tag) for a in ("width", "height"))
        sizes.append((float(width.group(1)) if width else 0.0, float(height.group(1)) if height else 0.0))
    return sizes


def test_report_in_a_browser_without_network(demo):
    """The demo's report served by `exp-assets report --serve`: the index lists every
    experiment with its calls and health, search_ranking's page its SRM banner, its
    Bayesian scorecard and a chart per metric, drawn (non-zero size)."""
    root, env = demo
    reports = root / "home" / "reports"
    port = _free_port()
    log = root / "serve.log"
    server = _start([sys.executable, "-m", "exp_assets.cli", "report", "--serve", "--port", str(port)],
                    root, env, log)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/index.html", log)
        assert f"Serving the report in {reports} at {base}/index.html" in log.read_text()
        shots = root / "screenshots"
        shots.mkdir()
        for width in (1366, 1600):
            index = _browser(f"{base}/index.html", root, shots / f"index_{width}.png", width, 900)
        config = load_config(demo_config_path())
        for experiment in config.experiments:  # a page per experiment, a scorecard row and a chart per metric
            assert f'href="{experiment.id}.html"' in index
            served = urllib.request.urlopen(f"{base}/{experiment.id}.html", timeout=10).read().decode()
            for metric in ExperimentPlan(config, experiment).result_metrics:
                assert f'<td class="metric">{metric.name.replace("_", "_<wbr>")}<br>' in served, metric.name
                assert f'"chart-lift-{metric.name}"' in served, metric.name
        assert "1 failed: Sample ratio (SRM)" in index  # search_ranking's planted SRM, and only there
        assert index.count("failed:") == 1
        assert 'class="chip better"' in index  # a planted effect found

        for width in (1366, 1600):
            page = _browser(f"{base}/search_ranking.html", root, shots / f"search_ranking_{width}.png", width, 3000)
        assert "Health check failed" in page and "SAMPLE RATIO MISMATCH" in page
        for text in ("Scorecard as of 2026-10-28: treatment vs control", "P(beat control)", "expected loss",
                     "page_views", "orders_per_page_view", "Bayesian, N(0, 0.1²) prior on the lift"):
            assert text in page, f"{text!r} not on the search_ranking page"
        assert not EXTERNAL.search(page) and not EXTERNAL.search(index)
        charts = _rendered_charts(page)
        # a lift chart per metric, the chance to beat control, a breakdown per dimension
        assert len(charts) == 6 + 1 + 2, charts
        assert all(w > 300 and h > 200 for w, h in charts), charts

        checkout = _browser(f"{base}/checkout_redesign.html", root, shots / "checkout_redesign_1366.png", 1366, 3000)
        assert "Health check failed" not in checkout and "p-value (adj.)" in checkout
        assert len(_rendered_charts(checkout)) == 15 + 2 and not EXTERNAL.search(checkout)
        for screenshot in shots.iterdir():
            assert screenshot.stat().st_size > 20_000, screenshot
    finally:
        _stop(server)
    assert server.poll() is not None
