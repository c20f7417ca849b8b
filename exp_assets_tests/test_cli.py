"""The command line as a user runs it: validate a config, run the demo."""

from __future__ import annotations

import re
from pathlib import Path

from exp_assets.cli import main
from exp_assets.config.loader import demo_config_path

REPO = Path(__file__).resolve().parents[1]


def test_validate_lists_experiments_and_assets(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the demo's database is data/demo.duckdb, relative to the working directory
    (tmp_path / "data").mkdir()
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
    assert str(bad) in err and "experiments[0].control: control 'baseline' is not one of the variants" in err
    assert "Traceback" not in err


def test_run_is_a_run_of_the_experiments_job_with_its_tag_and_totals(tmp_path, monkeypatch, capsys):
    import dagster as dg

    from exp_assets_tests import fixtures

    db = tmp_path / "wh.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = tmp_path / "project.yaml"
    config.write_text(fixtures.config_text(db))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert main(["--config", str(config), "run", "exp_a", "--end", "2026-01-05"]) == 0
    out = capsys.readouterr().out
    run = dg.DagsterInstance.get().get_runs()[0]
    assert run.job_name == "exp_a_pipeline" and run.tags["exp_assets/experiment"] == "exp_a"
    assert f"run {run.run_id} of job exp_a_pipeline: " in out
    assert f"{int(run.tags['exp_assets/rows_written']):,} rows written" in out
    assert "warning" not in out
    # a late day alone: the run's warning that the days before it are derived reaches the terminal
    assert main(["--config", str(config), "run", "exp_a", "--start", "2026-01-07", "--end", "2026-01-07"]) == 0
    out = capsys.readouterr().out
    assert "\n  warning: 1 earlier day(s) of exp_a are not built (2026-01-06..2026-01-06): " in out


def test_demo_finds_the_planted_effects_and_no_others(demo_run):
    tmp_path, _, out = demo_run  # `exp-assets demo` in a fresh directory (conftest.py)
    verdicts, reductions, experiment = {}, {}, None
    verdict = r"(SIGNIFICANT ↑|SIGNIFICANT ↓|not significant|LIKELY BETTER ↑|LIKELY WORSE ↓|inconclusive)"
    role = r"(?:goal|secondary|guardrail \(−\d+%\))"
    for line in out.splitlines():
        if m := re.match(r"(\w+): cumulative results as of 2026-10-28", line):
            experiment = m.group(1)
        elif experiment and (m := re.match(rf"(\w+)\s+{role}\s+(treatment|discount|premium)\s+.*{verdict}\s+(—|-?\d+%)$",
                                           line)):
            verdicts[experiment, m.group(2), m.group(1)] = m.group(3)
            if m.group(4) != "—":
                reductions[experiment, m.group(2), m.group(1)] = int(m.group(4).rstrip("%"))
    truth = build_demo_truth()
    expected = {}
    for (exp_id, variant, metric), lift in truth.lifts.items():
        bayesian = exp_id == "search_ranking"
        if lift > 0:
            expected[exp_id, variant, metric] = "LIKELY BETTER ↑" if bayesian else "SIGNIFICANT ↑"
        elif lift < 0 and metric == "revenue_per_order":
            expected[exp_id, variant, metric] = "SIGNIFICANT ↓"
        else:
            expected[exp_id, variant, metric] = "inconclusive" if bayesian else "not significant"
    # page views +8% with orders unchanged: fewer orders per page view, by construction
    expected["search_ranking", "treatment", "orders_per_page_view"] = "LIKELY WORSE ↓"
    # orders +10% from exposure on: also within each unit's first 7 days
    expected["checkout_redesign", "treatment", "orders_first_7d"] = "SIGNIFICANT ↑"
    # the kinds the generator's truth does not list, from its mechanism: ordering users +10% from
    # exposure on (checkout_redesign), page views +8% (search_ranking: more of the 5 pages seen),
    # every order's amount -20% with the discount (pricing_page: a unit's largest, smallest, first, last
    # order, and the 90th percentile of all orders)
    for metric in ("order_days", "ordered_week_2", "spent_100", "p80_revenue_per_user"):
        expected["checkout_redesign", "treatment", metric] = "SIGNIFICANT ↑"
    expected["search_ranking", "treatment", "pages_seen"] = "LIKELY BETTER ↑"
    for metric in ("largest_order", "smallest_order", "first_order_amount", "last_order_amount", "p90_order_amount"):
        expected["pricing_page", "discount", metric] = "SIGNIFICANT ↓"
        expected["pricing_page", "premium", metric] = "not significant"
    reported = {k: v for k, v in expected.items() if k in verdicts}
    assert len(verdicts) == 41 and len(reported) == 35
    funnel = [k for k in verdicts if k[2].startswith("checkout_funnel__")]
    assert len(funnel) == 5  # three steps, two step-to-step rates
    assert {k: verdicts[k] for k in reported} == reported
    # CUPED: page views are persistent per user, so the covariate removes much of their variance
    assert all(reductions[k] >= 30 for k in reductions if k[2] == "page_views")
    assert "dagster dev -w workspace.yaml -h 127.0.0.1" in out and "bin/dagster dev" in out
    assert (tmp_path / "home" / "dagster.yaml").read_text().count("enabled: false") == 2
    assert (tmp_path / "data" / "warehouse.duckdb").exists()


def build_demo_truth():
    from exp_assets.demo import build_demo_warehouse
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # the planted lifts do not depend on the scale
        return build_demo_warehouse(Path(tmp) / "truth.duckdb", units_per_experiment=100)
