"""The command line as a user runs it: validate a config, run the demo."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from exp_assets.cli import main
from exp_assets.config.loader import demo_config_path

REPO = Path(__file__).resolve().parents[1]


def test_validate_lists_experiments_and_assets(capsys):
    assert main(["--config", str(demo_config_path()), "validate"]) == 0
    out = capsys.readouterr().out
    assert "experiment checkout_redesign: daily partitions from 2026-10-01 to 2026-10-28" in out
    assert "asset search_ranking/results_cumulative" in out and "exp.search_ranking_results_cumulative" in out
    assert "job checkout_redesign_pipeline, schedule checkout_redesign_daily" in out


def test_validate_reports_a_bad_config_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(demo_config_path().read_text().replace("control: control", "control: baseline", 1))
    assert main(["--config", str(bad), "validate"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "experiments[0]: control 'baseline' is not one of the variants" in err
    assert "Traceback" not in err


def test_demo_finds_the_planted_effects_and_no_others(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    env.pop("EXP_ASSETS_CONFIG", None)
    done = subprocess.run([sys.executable, "-m", "exp_assets.cli", "demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    verdicts = {}
    experiment = None
    for line in out.splitlines():
        if m := re.match(r"(\w+): cumulative results as of 2026-10-28", line):
            experiment = m.group(1)
        elif experiment and (m := re.match(r"(\w+)\s+treatment\s+.*(SIGNIFICANT ↑|SIGNIFICANT ↓|not significant)", line)):
            verdicts[experiment, m.group(1)] = m.group(2)
    assert verdicts == {
        ("checkout_redesign", "revenue"): "SIGNIFICANT ↑",
        ("checkout_redesign", "orders"): "SIGNIFICANT ↑",
        ("checkout_redesign", "purchased"): "SIGNIFICANT ↑",
        ("checkout_redesign", "page_views"): "not significant",
        ("search_ranking", "page_views"): "SIGNIFICANT ↑",
        ("search_ranking", "revenue"): "not significant",
        ("search_ranking", "purchased"): "not significant",
        ("search_ranking", "large_orders"): "not significant",
    }
    assert "dagster dev -w workspace.yaml -h 127.0.0.1" in out and "bin/dagster dev" in out
    assert (tmp_path / "home" / "dagster.yaml").read_text().count("enabled: false") == 2
    assert (tmp_path / "data" / "warehouse.duckdb").exists()
