"""The experiment report: a page per experiment with every metric's scorecard row
and chart, an index, nothing fetched from the network, written by the CLI; the
call on a metric follows its declared direction. (In a browser: test_ui.py.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from exp_assets import steps
from exp_assets.cli import main
from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.report.data import ExperimentData, load
from exp_assets.report.summary import BETTER, NO_CALL, WORSE, summarize
from exp_assets.report.write import write_reports
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import END, START


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The fixture project's pipeline run over every day (by the steps, without Dagster)."""
    root = tmp_path_factory.mktemp("report")
    db = root / "wh.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = fixtures.make_config(db, metrics=[*fixtures.METRICS, "revenue_per_order", "shop_funnel"])
    plan = ExperimentPlan(config, config.experiments[0])
    wh = fixtures.warehouse(db)
    for _, step in steps.ordered_steps(plan):
        step(wh, DayRange(START, END + ONE_DAY))
    return root, config, plan, wh


@pytest.fixture(scope="module")
def written(project):
    root, config, plan, wh = project
    out = root / "out"
    pages = write_reports(config, wh, out)
    return out, pages, plan


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_a_page_per_experiment_with_every_metric(written):
    out, pages, plan = written
    assert [p.name for p in pages] == ["exp_a.html"]
    page = (out / "exp_a.html").read_text()
    index = (out / "index.html").read_text()
    assert 'href="exp_a.html"' in index and "finished" in index
    metrics = [m.name for m in plan.result_metrics]
    assert len(metrics) == 11  # 5 event metrics, a ratio, 3 funnel steps and 2 step-to-step rates
    for metric in metrics:
        escaped = metric.replace("_", "_<wbr>")
        assert f'<td class="metric">{escaped}<br>' in page, f"{metric}: no scorecard row"
        # a Plotly chart with data: the lift of every view, x values and lifts
        chart = re.search(rf'Plotly\.newPlot\(\s*"chart-lift-{metric}",\s*(\[.*?\]),\s*\{{', page, re.S)
        assert chart, f"{metric}: no lift chart"
        traces = json.loads(chart.group(1))
        lifts = [t for t in traces if t.get("mode") == "lines+markers"]
        assert len(lifts) == 4 and all(t["x"] for t in lifts), f"{metric}: a view without data"
    # what each row measures, in words under its name
    for words in ("amount per unit · ", "events per unit where amount &gt; 50 · ", "revenue / orders over units · ",
                  "share of units reaching the step · ", "step-to-step rate · "):
        assert f'<span class="dir">{words}' in page, words
    assert "chart-breakdown-country" in page  # the experiment's one dimension
    for heading in ("Scorecard as of 2026-01-08", "Health", "Method", "Lift over time", "Breakdowns"):
        assert heading in page
    assert "Sample ratio (SRM)" in page and "Crossovers" in page and "Data present" in page


def test_pages_need_no_network(written):
    out, _, _ = written
    for html in out.glob("*.html"):
        parser = _Links()
        parser.feed(html.read_text())
        assert parser.urls, html
        external = [u for u in parser.urls if re.match(r"^(https?:|//|ftp:)", u, re.I)]
        assert not external, f"{html.name} fetches {external}"
        for url in parser.urls:  # every local file a page refers to is there
            assert (out / url.split("#")[0]).exists() or url.startswith("#"), f"{html.name}: {url} missing"
    assert (out / "plotly.min.js").stat().st_size > 1_000_000  # the library itself, beside the pages
    assert "plotly.min.js" in (out / "exp_a.html").read_text()


def test_the_cli_writes_the_report(project, tmp_path, capsys, monkeypatch):
    root, config, plan, _ = project
    path = tmp_path / "project.yaml"
    path.write_text(fixtures.config_text(root / "wh.duckdb", metrics=[*fixtures.METRICS, "revenue_per_order", "shop_funnel"]))
    out = tmp_path / "pages"
    assert main(["--config", str(path), "report", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out / 'exp_a.html'}" in printed
    assert f"report --serve --out {out}" in printed and "http://127.0.0.1:8787/index.html" in printed
    assert {p.name for p in out.iterdir()} >= {"index.html", "exp_a.html", "plotly.min.js"}
    # one experiment by name; an unknown one is named in the error
    assert main(["--config", str(path), "report", "exp_a", "--out", str(out)]) == 0
    assert main(["--config", str(path), "report", "nope", "--out", str(out)]) == 2
    assert "unknown experiment 'nope'" in capsys.readouterr().err
    # the default directory: $EXP_ASSETS_REPORT_DIR, else $DAGSTER_HOME/reports
    monkeypatch.delenv("EXP_ASSETS_REPORT_DIR", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert main(["--config", str(path), "report"]) == 0
    assert (tmp_path / "home" / "reports" / "exp_a.html").exists()


def test_serve_needs_a_written_report(tmp_path, capsys):
    with pytest.raises(SystemExit, match="no report in .*write it first with `exp-assets report`"):
        main(["report", "--serve", "--out", str(tmp_path)])


def _data(plan: ExperimentPlan, rel_effect: float, p: float) -> ExperimentData:
    """One day of overall cumulative results for `orders`: a treatment row with this lift and p."""
    base = {c: None for c in ("days_since_exposure", "chance_to_beat_control", "expected_loss", "reason")}
    rows = [
        {**base, "as_of_date": END, "rollup": "cumulative", "metric": "orders", "variant": v, "dimension": "overall",
         "dimension_value": "all", "units": 100, "mean": 1.0, "control_mean": 1.0, "abs_effect": rel_effect,
         "rel_effect": rel_effect, "rel_ci_lower": rel_effect - 0.1, "rel_ci_upper": rel_effect + 0.1,
         "rel_ci_lower_adjusted": float("nan"), "rel_ci_upper_adjusted": float("nan"),
         "p_value": p, "p_value_adjusted": p, "cuped_applied": False}
        for v in ("control", "treatment")
    ]
    return ExperimentData(plan, END, {"cumulative": pd.DataFrame(rows)})


@pytest.mark.parametrize("higher_is_better, rel_effect, p, expected", [
    (True, 0.2, 0.001, BETTER), (True, -0.2, 0.001, WORSE), (False, -0.2, 0.001, BETTER),
    (False, 0.2, 0.001, WORSE), (False, 0.2, 0.5, NO_CALL),
])
def test_the_call_follows_the_metric_direction(tmp_path, higher_is_better, rel_effect, p, expected):
    text = fixtures.config_text(tmp_path / "w.duckdb").replace(
        "{name: orders, source: orders, type: count}",
        f"{{name: orders, source: orders, type: count, higher_is_better: {str(higher_is_better).lower()}}}")
    from exp_assets.config import parse_config

    config = parse_config(text, "test.yaml")
    summary = summarize(_data(ExperimentPlan(config, config.experiments[0]), rel_effect, p), "exp_a.html")
    (call,) = summary.calls
    assert (call.metric, call.variant, call.outcome, call.higher_is_better) == \
        ("orders", "treatment", expected, higher_is_better)
    assert (call.lower, call.upper) == pytest.approx((rel_effect - 0.1, rel_effect + 0.1))  # no adjusted: plain


def test_an_experiment_without_results_gets_a_page_saying_so(tmp_path):
    db = tmp_path / "empty.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables(units=10))
    config = fixtures.make_config(db)
    pages = write_reports(config, fixtures.warehouse(db), tmp_path / "out")
    assert "No results yet" in pages[0].read_text()
    assert "no results yet" in (tmp_path / "out" / "index.html").read_text()
    assert load(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0])).latest is None


def test_the_page_shows_roles_the_recommendation_and_the_goals_power(project, tmp_path):
    """Roles are presentation: the same tables, read with a config that names them."""
    root, _, _, wh = project
    roles = ("    goal_metrics: [revenue]\n    guardrails: [{metric: views, margin: 0.05}]\n"
             "    minimum_detectable_effect: 0.05")
    config = fixtures.make_config(root / "wh.duckdb", metrics=[*fixtures.METRICS, "revenue_per_order", "shop_funnel"],
                                  stats=roles)
    plan = ExperimentPlan(config, config.experiments[0])
    data = load(wh, plan)
    assert set(data.moments["metric"]) >= {"revenue", "views"} and set(data.moments["dimension"]) == {"overall"}
    assert (pd.to_datetime(data.moments["as_of_date"]).dt.date == END).all()

    (page,) = write_reports(config, wh, tmp_path)
    html = page.read_text()
    summary = json.loads((tmp_path / "exp_a.summary.json").read_text())
    action = summary["recommendation"].split(":")[0]
    assert action in ("ship", "do not ship", "keep running", "investigate")
    # the experiment has ended (results as of its end date): never "keep running"
    assert action != "keep running"
    assert '<span class="action' in html and 'id="recommendation"' in html
    assert '<span class="role goal">goal</span>' in html and '<span class="role guardrail">guardrail (−5%)</span>' in html
    assert '<span class="role secondary">secondary</span>' in html
    assert "MDE now" in html and "power for +5%" in html and "days to 90% power" in html
    assert summary["recommendation"] in (tmp_path / "index.html").read_text().replace("&#x27;", "'")


@pytest.mark.parametrize("engine", ["snowflake", "bigquery"], indirect=True)
def test_every_engine_gives_the_same_recommendation_and_power(engine, tmp_path):
    """The moments the recommendation reads come through each engine's adapter as
    numbers: the recommendation and the power equal a DuckDB run's."""
    from exp_assets.recommendation import decide
    from exp_assets.report.data import latest_moments

    options = dict(metrics=["revenue", "views"], stats=(
        "    goal_metrics: [revenue]\n    guardrails: [{metric: views, margin: 0.05}]\n"
        "    minimum_detectable_effect: 0.05"))

    def run(wh, plan):  # the steps up to rollup_moments, what the recommendation reads
        for name, step in steps.ordered_steps(plan):
            if not name.startswith("results_"):
                step(wh, DayRange(START, END + ONE_DAY))
        return decide(plan, latest_moments(wh, plan, END), END, failed_checks=[])

    db = tmp_path / "reference.duckdb"
    fixtures.write_raw(db, fixtures.raw_tables())
    config = fixtures.make_config(db, **options)
    (expected,) = run(fixtures.warehouse(db), ExperimentPlan(config, config.experiments[0]))
    (found,) = run(*engine.setup(fixtures.raw_tables(), **options))
    assert found.recommendation == expected.recommendation
    assert expected.recommendation.action == "do not ship"  # the fixture's ended without a clear effect
    (goal,), (reference,) = found.goals, expected.goals
    assert goal.units == reference.units and goal.mde is not None
    for field in ("mde", "power", "days_to_power"):
        assert getattr(goal, field) == pytest.approx(getattr(reference, field), rel=1e-9), field
