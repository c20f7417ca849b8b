"""benchmarks/fault_injection.py at a small scale with a fixed seed: kills,
overlapping runs, a source emptied for one run, late rows and an update older
than the lookback, from outside; then the default automation; the tables equal
a clean build and no run is left blocking automation."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "fault_injection.py"


def _load():
    spec = importlib.util.spec_from_file_location("exp_assets_fault_injection", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_faults_from_outside_end_like_a_clean_build_with_nothing_blocking(tmp_path):
    faults = _load()
    settings = faults.Settings(seed=3, units=150, days=6, runs=0, overlaps=1, ticks=0, kill_rate=1.0,
                               max_kill_delay=12.0)
    outcome = faults.Harness(settings, tmp_path, echo=lambda _: None).run()
    assert outcome.ok, outcome.summary()
    assert set(outcome.faults) == {"overlapping runs", "emptied for a run", "late rows", "updates of an old day"}
    assert outcome.runs.get("killed", 0) >= 1 and outcome.runs.get("by automation", 0) >= 1, outcome.summary()


def test_a_difference_names_the_table_and_its_first_rows():
    import pandas as pd

    faults = _load()
    clean = {"t": pd.DataFrame({"day": ["d1", "d2"], "value": [1.0, 2.0]})}
    assert faults.compare(clean, {"t": clean["t"].assign(value=[1.0, 2.0 * (1 + 1e-12)])}) == []
    (problem,) = faults.compare(clean, {"t": clean["t"].assign(value=[1.0, 2.5])})
    assert problem.startswith("table t: 1 of 2 rows differ") and "2.5" in problem and "d2" in problem
    (short,) = faults.compare(clean, {"t": clean["t"].head(1)})
    assert "table t: 1 rows" in short and "clean build only" in short
