"""What Dagster records of a run: each partition of a single-run range its own
day's figures, the run's SQL and totals once, and CLI runs under the
experiment's job with its tag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
import yaml
from dagster._core.storage.tags import REPOSITORY_LABEL_TAG
from dagster._serdes import serialize_value

from exp_assets import steps
from exp_assets.assets import job_name
from exp_assets.run import run_experiment
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql.dialects import pretty
from exp_assets_tests import fixtures
from exp_assets_tests.fixtures import DAYS, END, START

REPO = Path(__file__).resolve().parents[1]


def _project(tmp_path, name="wh.duckdb"):
    db = tmp_path / name
    fixtures.write_raw(db, fixtures.raw_tables())
    return db, fixtures.make_config(db)


def _events(result, artifact: str) -> dict[str, dict]:
    """partition key -> metadata values of `artifact`'s materialization in the run."""
    return {
        e.materialization.partition: {k: v.value for k, v in e.materialization.metadata.items()}
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["exp_a", artifact])
    }


def test_each_partition_of_a_range_run_records_its_own_day(tmp_path):
    db, config = _project(tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", instance=instance)
    assert result.success
    tables = fixtures.output_tables(db)
    published = tables["exp_a_results_cumulative"]
    results = _events(result, "results_cumulative")
    totals = _events(result, "unit_totals")
    assert sorted(results) == sorted(totals) == [str(d) for d in DAYS]
    lifts = set()
    for day in (DAYS[1], DAYS[3]):  # two different days of the one run
        rows = published[published.as_of_date == pd.Timestamp(day)]
        md = results[str(day)]
        treatment = rows[(rows.dimension == "overall") & (rows.metric == "revenue") & (rows.variant == "treatment")]
        assert md["as_of_date"] == str(day)
        # to 4 significant digits: what a person reads and the Plots draw
        assert md["revenue / treatment / rel_effect"] == pytest.approx(treatment.rel_effect.iloc[0], rel=5e-4)
        assert md["revenue / treatment / p_value_adjusted"] == pytest.approx(
            treatment.p_value_adjusted.iloc[0], rel=5e-4)
        assert md["units.treatment"] == treatment.units.iloc[0]
        assert md["rows_written"] == md["dagster/partition_row_count"] == len(rows)
        day_totals = tables["exp_a_unit_totals"]
        expected = int((day_totals.as_of_date == pd.Timestamp(day)).sum())
        assert totals[str(day)]["rows_written"] == totals[str(day)]["dagster/partition_row_count"] == expected
        lifts.add(md["revenue / treatment / rel_effect"])
    assert len(lifts) == 2


def _full_refresh(tmp_path, name: str, last: dt.date) -> tuple[int, int, int]:
    """(bytes of the run's event log, characters of SQL stored in it,
    characters of SQL the same pass executes) of a full refresh through `last`."""
    db, config = _project(tmp_path, name)
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", end=str(last), instance=instance)
        assert result.success
        size = sum(len(serialize_value(e)) for e in instance.all_logs(result.run_id))
    stored = sum(len(e.materialization.metadata["sql"].value)
                 for e in result.get_asset_materialization_events() if "sql" in e.materialization.metadata)
    fresh, _ = _project(tmp_path, f"again_{name}")
    plan = ExperimentPlan(config, config.experiments[0])
    reports = steps.materialize_all(fixtures.warehouse(fresh), plan, DayRange(START, last + dt.timedelta(days=1)))
    # with the shared facts' writes each step made on the way (their events store their SQL)
    executed = sum(len(_sql_text(w.statements)) for r in reports.values() for w in [r, *r.side_writes])
    return size, stored, executed


def _sql_text(statements: list[str]) -> str:
    """Statements as the `sql` metadata shows them: each pretty-printed, in order."""
    return "\n\n".join(f"{pretty(s, 'duckdb')};" for s in statements)


def test_a_runs_sql_is_stored_once_and_its_event_log_grows_linearly(tmp_path):
    """D6: each partition's event repeated the whole range's SQL, so a full
    refresh's event log grew with days squared."""
    short = _full_refresh(tmp_path, "short.duckdb", DAYS[1])
    long = _full_refresh(tmp_path, "long.duckdb", DAYS[5])
    for size, stored, executed in (short, long):
        assert stored <= executed + 1000, (stored, executed)  # once, plus a header and fence per asset
    assert long[0] <= 3 * short[0], (short, long)  # 6 days against 2: at most linear


def test_sql_metadata_is_every_statement_run_pretty_printed(tmp_path):
    """The `sql` of an asset is the complete list of statements its step ran
    (for results: the reads of rollup_moments and exposures, then the write),
    each laid out on several lines."""
    _, config = _project(tmp_path)
    last = DAYS[2]
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", end=str(last), instance=instance)
    fresh, _ = _project(tmp_path, "again.duckdb")
    plan = ExperimentPlan(config, config.experiments[0])
    reports = steps.materialize_all(fixtures.warehouse(fresh), plan, DayRange(START, last + dt.timedelta(days=1)))
    for artifact, report in reports.items():
        sql = _events(result, artifact)[str(last)]["sql"]
        assert sql.endswith(f"```sql\n{_sql_text(report.statements)}\n```"), artifact
    results = _events(result, "results_cumulative")[str(last)]["sql"]
    statements = results.split("```sql\n")[1].split(";\n\n")
    assert "rollup_moments" in statements[0] and "exposures_summary" in statements[1]  # what it read
    assert any('INSERT INTO "exp"."exp_a_results_cumulative"' in s or 'CREATE TABLE "exp"."exp_a_results_cumulative"' in s
               for s in statements)  # what it wrote
    assert all(len(s.splitlines()) > 3 for s in statements if s.lstrip().startswith("SELECT"))  # pretty-printed


def test_results_assets_report_the_rollup_moments_rows_they_read(tmp_path):
    """Issue 17 item 4: a results asset computes from rollup_moments; it
    reported 0 rows scanned. The days-since-exposure rollup reads every day so far."""
    db, config = _project(tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", instance=instance)
    moments = fixtures.output_tables(db)["exp_a_rollup_moments"]
    for rollup in ("cumulative", "daily", "7day", "days_since_exposure"):
        md = _events(result, f"results_{rollup}")[str(END)]
        read = md["run.rows_scanned_by_table"]["exp.exp_a_rollup_moments"]
        assert read == int((moments.rollup == rollup).sum()) > 0, rollup  # the whole range, one rollup's rows
        assert md["run.rows_scanned"] == sum(md["run.rows_scanned_by_table"].values())
        assert md["run.rows_scanned_sources"] == 0  # no raw source: the run's source total is unchanged
    # the README says DuckDB reports no bytes figure, and no asset's metadata holds one
    assert "DuckDB reports no bytes figure" in " ".join((REPO / "README.md").read_text().split())
    for event in result.get_asset_materialization_events():
        assert not any("bytes" in key for key in event.materialization.metadata), event.asset_key


def test_sql_and_run_totals_are_recorded_once_per_run(tmp_path):
    _, config = _project(tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", instance=instance)
    for artifact in ("first_exposures", "unit_totals", "results_cumulative"):
        events = _events(result, artifact)
        carrying = [day for day, md in events.items() if "sql" in md]
        assert carrying == [str(END)], artifact  # the run's last partition
        run_figures = events[str(END)]
        assert run_figures["run.days"] == f"{START}..{END}"
        assert run_figures["run.rows_written"] == sum(md["rows_written"] for md in events.values())


def test_cli_runs_show_under_the_experiments_job_with_its_tag(tmp_path):
    _, config = _project(tmp_path)
    plan = ExperimentPlan(config, config.experiments[0])
    with dg.DagsterInstance.ephemeral() as instance:
        first, last, result = run_experiment(config, "exp_a", start=str(DAYS[1]), end=str(DAYS[3]), instance=instance)
        assert result.success
        run = instance.get_run_by_id(result.run_id)
        assert run.job_name == job_name(plan)
        assert run.tags["exp_assets/experiment"] == "exp_a"  # what the Runs page filters by
        assert (run.tags["dagster/asset_partition_range_start"], run.tags["dagster/asset_partition_range_end"]) == (
            str(DAYS[1]), str(DAYS[3]))
        # the job's page in `dagster dev` lists the job's runs of the workspace's code location (what
        # dagster_graphql's job runs resolver asks for)
        workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())["load_from"][0]["python_module"]
        location = workspace["location_name"]
        on_job_page = dg.RunsFilter(job_name=job_name(plan), tags={REPOSITORY_LABEL_TAG: f"__repository__@{location}"})
        assert [r.run_id for r in instance.get_runs(on_job_page)] == [result.run_id]
        # the Overview timeline draws only runs with a code location origin, by its repository and location
        origin = run.remote_job_origin
        assert origin is not None and (origin.job_name, origin.repository_origin.get_label()) == (
            job_name(plan), f"__repository__@{location}")
        assert origin.repository_origin.code_location_origin.loadable_target_origin.module_name == workspace["module_name"]
        # a subset of assets (a metric refresh) runs under the same job
        _, _, refresh = run_experiment(config, "exp_a", artifacts=["results_daily"], instance=instance)
        assert instance.get_run_by_id(refresh.run_id).job_name == job_name(plan)
        assert {e.asset_key.path[1] for e in refresh.get_asset_materialization_events()} == {"results_daily"}


def test_each_run_carries_the_experiments_totals(tmp_path):
    """Issue 17 item 4: rows written, source rows scanned and warehouse seconds
    of the whole run, once, as run tags (the Runs page shows them)."""
    _, config = _project(tmp_path)
    with dg.DagsterInstance.ephemeral() as instance:
        _, _, result = run_experiment(config, "exp_a", instance=instance)
        tags = instance.get_run_by_id(result.run_id).tags
    figures = [{k: v.value for k, v in e.materialization.metadata.items()}
               for e in result.get_asset_materialization_events()]
    figures = [md for md in figures if "run.rows_written" in md]  # one event per asset carries the run's figures
    assert int(tags["exp_assets/rows_written"]) == sum(md["run.rows_written"] for md in figures) > 0
    assert int(tags["exp_assets/source_rows_scanned"]) == sum(md["run.rows_scanned_sources"] for md in figures) > 0
    assert float(tags["exp_assets/warehouse_seconds"]) == pytest.approx(sum(md["run.seconds"] for md in figures),
                                                                       abs=0.01)


def test_verdicts_stay_short_enough_to_show_inline():
    from exp_assets.results_metadata import INLINE_MARKDOWN, verdict_list

    few = ["revenue / treatment: +12.75% [+5.20%, +20.88%] SIGNIFICANT ↑",
           "orders / treatment: +1.00% [-1.00%, +3.00%] not significant"]
    assert verdict_list(few) == "\n".join(f"- {line}" for line in few)  # short: every line as it is
    many = [f"metric_{i:02d} / treatment: +{i}.00% [+1.00%, +{2 * i}.00%] SIGNIFICANT ↑" for i in range(1, 6)]
    many += [f"funnel_step_{i:02d} / treatment: -0.{i}0% [-9.00%, +9.00%] not significant" for i in range(40)]
    listed = verdict_list(many)
    assert len(listed) < INLINE_MARKDOWN
    lines = listed.splitlines()
    assert lines[:5] == [f"- {line}" for line in many[:5]]  # every decided verdict, in order
    assert lines[5].startswith("- 40 more not significant or inconclusive (the scorecard lists all): funnel_step_00")
    assert lines[5].endswith(", ...") and len(lines) == 6


@pytest.mark.parametrize("dialect", ["duckdb", "snowflake", "bigquery"])
def test_pretty_lays_out_clauses_and_changes_only_blanks(dialect):
    """The `sql` metadata's layout: a line per clause, join, selected column and
    common table expression, indented by parentheses; the tokens are the ones
    that ran (a string holding a keyword and a comment stay as they are)."""
    sql = ("WITH a AS (SELECT u, SUM(v) AS s FROM t WHERE w = ' FROM x, y AS (' GROUP BY u), "
           "b AS (SELECT 1 AS one) SELECT a.u, /* kept */ b.one FROM a LEFT JOIN b ON TRUE "
           "UNION ALL SELECT 2, 3")
    laid_out = pretty(sql, dialect)
    assert laid_out.split() != sql.split()  # blanks changed ...
    assert "".join(laid_out.split()) == "".join(sql.split())  # ... and nothing else
    assert laid_out.splitlines() == [
        "WITH a AS (",
        "  SELECT u,",
        "    SUM(v) AS s",
        "  FROM t",
        "  WHERE w = ' FROM x, y AS ('",
        "  GROUP BY u),",
        "b AS (",
        "  SELECT 1 AS one)",
        "SELECT a.u, /* kept */ b.one",
        "FROM a",
        "LEFT JOIN b ON TRUE",
        "UNION ALL",
        "SELECT 2,",
        "  3",
    ]


def test_pretty_returns_what_it_cannot_tokenize_as_is():
    assert pretty("SELECT 'unterminated", "duckdb") == "SELECT 'unterminated"
