"""`exp-assets`: build and run the demo, validate a config, run an experiment's
pipeline over a range of days from the command line."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from exp_assets.config import CONFIG_ENV_VAR, ConfigError, ProjectConfig, config_path, load_config
from exp_assets.run import run_experiment
from exp_assets.cleanup import describe, drop_orphans, find_orphans
from exp_assets.plan import ExperimentPlan
from exp_assets.report.location import SERVE_PORT, report_dir
from exp_assets.source_columns import SourceError

log = logging.getLogger(__name__)

# Telemetry and the first-run pop-up off; runs writing one DuckDB file queue
# behind each other (DuckDB allows one writer per file: its assets share a pool,
# and a pool admits one run at a time); run monitoring fails a
# run that outlives a bound (a killed worker never reports its end, and would
# hold that queue; the sensor fails such runs of this machine at once).
DAGSTER_YAML = """\
telemetry:
  enabled: false
nux:
  enabled: false
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_runtime_seconds: 21600
  poll_interval_seconds: 60
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  pools:
    granularity: run
    default_limit: 1
"""


def ensure_dagster_home() -> Path:
    """DAGSTER_HOME (default ./.dagster_home), so runs are recorded where
    `dagster dev` will look, with telemetry and the first-run pop-up off."""
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def latest_results(config: ProjectConfig, experiment_id: str):
    import pandas as pd

    from exp_assets.checks.assignment import srm_by_day
    from exp_assets.report.data import latest_moments
    from exp_assets.quoting import table
    from exp_assets.assets.resources import resource_for, warehouse_from_resource

    plan = ExperimentPlan(config, config.experiment(experiment_id))
    wh = warehouse_from_resource(resource_for(config), config)
    results = table(plan.schema, plan.table_name("results_cumulative"))
    frame = wh.query(
        f"SELECT * FROM {results} WHERE as_of_date = (SELECT max(as_of_date) FROM {results}) AND dimension = 'overall' "
        "ORDER BY metric, variant"
    )
    srm, moments = None, None
    if len(frame):
        latest = pd.Timestamp(frame["as_of_date"].iloc[0]).date()
        srm = srm_by_day(wh, plan, latest)[1][latest]
        moments = latest_moments(wh, plan, latest)  # the recommendation's and the power's input
    frame["as_of_date"] = frame["as_of_date"].astype(str)
    return plan, frame.astype(object).where(frame.notna(), None), srm, moments


# `exp-assets demo --warehouse ENGINE`: the demo config with this warehouse block.
DEMO_WAREHOUSES = {
    "snowflake": "{type: snowflake, database: DEMO, output_schema: exp}",
    "bigquery": "{type: bigquery, output_schema: exp}",
}
DEMO_RAW_SCHEMA = "raw"
DEMO_RAW_TIMESTAMPS = {"exposures": "ts", "orders": "ts", "page_views": "ts"}
EMULATOR_UNITS = 2_000  # above this, a local emulator takes long: say so


def demo_config_with_warehouse(path: Path, engine: str, home: Path) -> Path:
    """`path` with its top-level `warehouse:` block swapped for DEMO_WAREHOUSES[engine],
    written beside the Dagster instance (so `dagster dev` can load the same config)."""
    text = Path(path).read_text()
    block = f"warehouse: {DEMO_WAREHOUSES[engine]}  # written by exp-assets demo --warehouse {engine}\n"
    swapped, n = re.subn(r"^warehouse:[^\n]*\n(?:[ \t]+[^\n]*\n)*", lambda _: block, text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"{path}: no top-level `warehouse:` block to replace")
    out = home / f"demo_{engine}.yaml"
    out.write_text(f"# {path} with another warehouse block\n" + swapped)
    return out


def source_tables(config: ProjectConfig) -> set[tuple[str, str]]:
    """(schema, table) of every table the config's sources read."""
    from exp_assets.config.fragments import tables_read

    dialect = config.warehouse.type
    return {t for source in config.sources.values() for t in tables_read(source.table, source.sql, dialect)}


def emulator_endpoint(config: ProjectConfig) -> str | None:
    """The local endpoint the engine is reached at (fakesnow, bqemulator), or None."""
    wh = config.warehouse
    if wh.type == "snowflake":
        host = os.environ.get(wh.host_env, "")
        local = host in ("localhost", "127.0.0.1", "::1", "0.0.0.0")
        return f"{host}:{os.environ.get(wh.port_env, '')}" if local else None
    if wh.type == "bigquery":
        return os.environ.get(wh.endpoint_env) or None
    return None


def load_demo_data(config: ProjectConfig, units: int) -> None:
    """Build the demo's raw tables in a scratch DuckDB file and copy them into
    the configured Snowflake or BigQuery (schema `raw`, where the demo's sources read)."""
    import tempfile

    from exp_assets.demo import build_demo_warehouse
    from exp_assets.assets.resources import resource_for, warehouse_from_resource
    from exp_assets.warehouse.remote import copy_from_duckdb

    expected = {(DEMO_RAW_SCHEMA, name) for name in DEMO_RAW_TIMESTAMPS}
    if other := sorted(".".join(t) for t in source_tables(config) - expected):
        raise SystemExit(f"exp-assets demo loads {', '.join(sorted('.'.join(t) for t in expected))}; "
                         f"this config's sources also read {', '.join(other)}")
    wh = config.warehouse
    where = f"database {wh.database}" if wh.type == "snowflake" else "the project in $" + wh.project_env
    endpoint = emulator_endpoint(config)
    if endpoint:
        where += f" at {endpoint}"
        if units > EMULATOR_UNITS:
            print(f"note: {units} units per experiment take long on a local emulator; "
                  f"--units 500 runs in minutes", file=sys.stderr)
    warehouse = warehouse_from_resource(resource_for(config), config)
    with tempfile.TemporaryDirectory(prefix="exp_assets_demo_") as tmp:
        source = Path(tmp) / "demo.duckdb"
        print(f"Building the demo data in DuckDB and copying it to {wh.type} ({where}, schema {DEMO_RAW_SCHEMA}) ...")
        build_demo_warehouse(source, units_per_experiment=units)
        copy_from_duckdb(warehouse, source, DEMO_RAW_SCHEMA, DEMO_RAW_TIMESTAMPS)


def cmd_demo(args) -> int:
    from exp_assets.demo import build_demo_warehouse
    from exp_assets.scorecard import scorecard_text

    home = ensure_dagster_home()
    path = args.config or config_path()
    if args.warehouse:
        path = demo_config_with_warehouse(path, args.warehouse, home)
    config = load_config(path)
    if config.warehouse.type == "duckdb":
        print(f"Building the demo warehouse at {config.warehouse.database} ...")
        build_demo_warehouse(config.warehouse.database, units_per_experiment=args.units)
    else:
        load_demo_data(config, args.units)
    for experiment in config.experiments:
        first, last, result = run_experiment(config, experiment.id)
        print(f"Materialized every asset of {experiment.id} for {first}..{last} in one run.")
        print(ran(result))
    for experiment in config.experiments:
        print()
        print(scorecard_text(*latest_results(config, experiment.id)))
    print(ui_instructions(str(path) if args.config or args.warehouse else None))
    print(report_instructions(report_dir()))  # the report asset of each run wrote it there
    if config.warehouse.type != "duckdb":
        print(f"(with the same {config.warehouse.type} environment variables set as for this command)")
    return 0


def ui_instructions(config_file: str | None) -> str:
    env = f"{CONFIG_ENV_VAR}={Path(config_file).resolve()} " if config_file else ""
    dagster = Path(sys.executable).parent / "dagster"  # the one installed beside exp-assets
    return (
        "\nOpen the Dagster UI on this demo (asset graph, partitions, scorecards):\n"
        f"  DAGSTER_HOME={os.environ['DAGSTER_HOME']} {env}{dagster} dev -w workspace.yaml -h 127.0.0.1 -p 3000\n"
        "then browse to http://127.0.0.1:3000 (run it from the repository root, where workspace.yaml is)."
    )


def cmd_report(args) -> int:
    out = Path(args.out).resolve() if args.out else report_dir()
    if args.serve:
        from exp_assets.report.serve import serve

        if args.experiment:
            raise SystemExit("exp-assets report --serve serves the pages already written; "
                             "write one with `exp-assets report EXPERIMENT` first")
        try:
            serve(out, args.port)
        except (FileNotFoundError, OSError) as error:
            raise SystemExit(f"error: {error}") from error
        return 0
    from exp_assets.report.write import write_reports
    from exp_assets.assets.resources import resource_for, warehouse_from_resource

    config = load_config(args.config)
    wh = warehouse_from_resource(resource_for(config), config)
    for page in write_reports(config, wh, out, [args.experiment] if args.experiment else None):
        print(f"wrote {page}")
    print(report_instructions(out))
    return 0


def report_instructions(out: Path) -> str:
    from exp_assets.report.location import INDEX, served_url

    exe = Path(sys.executable).parent / "exp-assets"  # the one installed beside this Python
    return (f"\nThe experiment report: open {out / INDEX} in a browser, or serve it with\n"
            f"  {exe} report --serve --out {out}\n"
            f"and browse to {served_url(INDEX)} (the Dagster UI links there from each results asset).")


def ran(result) -> str:
    """Which run it was (the UI's Runs page lists it under this job), its totals,
    and the warnings its log holds (the console shows none: it logs CRITICAL only)."""
    import logging

    import dagster as dg

    from exp_assets.assets.run_totals import totals_text

    instance = dg.DagsterInstance.get()
    run = instance.get_run_by_id(result.run_id)
    warnings = [f"\n  warning: {e.user_message}" for e in instance.all_logs(run.run_id)
                if e.level >= logging.WARNING and e.user_message]
    return f"  run {run.run_id} of job {run.job_name}: {totals_text(run.tags)}" + "".join(warnings)


def cmd_validate(args) -> int:
    from exp_assets.assets import job_name, partitions_for

    path = args.config or config_path()
    config = load_config(path)
    if config.warehouse.type == "duckdb" and not Path(config.warehouse.database).resolve().parent.is_dir():
        # DuckDB creates the file but not its directory: every run would fail
        folder = Path(config.warehouse.database).resolve().parent
        raise ConfigError(path, [("warehouse.database", f"the directory {folder} does not exist")])
    print(f"{path}: valid. Warehouse: {config.warehouse.type}, output schema {config.warehouse.output_schema!r}.")
    for experiment in config.experiments:
        plan = ExperimentPlan(config, experiment)
        partitions = partitions_for(plan)
        end = experiment.end_date or "open-ended"
        print(f"\nexperiment {experiment.id}: daily partitions from {plan.start} to {end}, "
              f"variants {experiment.variants} (control {experiment.control!r})")
        print(f"  metrics: {', '.join(experiment.metrics)}")
        print(f"  job {job_name(plan)}, schedule {plan.id}_daily; "
              f"{len(partitions.get_partition_keys())} partitions so far")
        for artifact in plan.artifacts:
            print(f"  asset {plan.id}/{artifact.name:<40} -> {plan.schema}.{plan.table_name(artifact.name)}")
    return 0


def cmd_run(args) -> int:
    from exp_assets.scorecard import scorecard_text

    config = load_config(args.config)
    ensure_dagster_home()
    first, last, result = run_experiment(config, args.experiment, args.start, args.end)
    print(f"Materialized every asset of {args.experiment} for {first}..{last} in one run.")
    print(ran(result) + "\n")
    print(scorecard_text(*latest_results(config, args.experiment)))
    print(report_instructions(report_dir()))  # its report asset ran too
    return 0


def cmd_refresh(args) -> int:
    """Metric refresh: re-materialize only what one metric's definition feeds."""
    from exp_assets.scorecard import scorecard_text

    config = load_config(args.config)
    plan = ExperimentPlan(config, config.experiment(args.experiment))
    artifacts = plan.artifacts_using(args.metric)
    ensure_dagster_home()
    first, last, result = run_experiment(config, args.experiment, args.start, args.end, artifacts)
    print(f"Re-materialized {', '.join(artifacts)} of {args.experiment} for {first}..{last} in one run.")
    print(ran(result) + "\n")
    print(scorecard_text(*latest_results(config, args.experiment)))
    return 0


def cmd_cleanup(args) -> int:
    """`exp-assets cleanup [--drop]`: list (and drop) what the config no longer produces."""
    from exp_assets.assets.resources import resource_for, warehouse_from_resource

    config = load_config(args.config)
    wh = warehouse_from_resource(resource_for(config), config)
    orphans = find_orphans(wh, config)
    print(describe(orphans))
    if orphans and args.drop:
        try:
            drop_orphans(wh, orphans)
        except NotImplementedError as error:
            print(error)
            return 1
        print("Dropped them.")
    elif orphans:
        print("Run `exp-assets cleanup --drop` to drop them.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exp-assets", description=__doc__)
    parser.add_argument("--config", help=f"config YAML (default: ${CONFIG_ENV_VAR}, else the shipped demo)")
    parser.add_argument("--debug", action="store_true", help="log details, and a failed step's traceback, to stderr")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the demo warehouse, run every experiment, print scorecards")
    demo.add_argument("--units", type=int, default=20_000, help="units per experiment (default 20000)")
    demo.add_argument("--warehouse", choices=sorted(DEMO_WAREHOUSES),
                      help="run the demo on this engine instead: the config's warehouse block becomes "
                           "one of " + "; ".join(f"{k}: {v}" for k, v in DEMO_WAREHOUSES.items())
                           + " (credentials and endpoint from the usual environment variables)")
    demo.set_defaults(handler=cmd_demo)
    commands.add_parser("validate", help="check a config; list its experiments and assets").set_defaults(
        handler=cmd_validate
    )
    run = commands.add_parser("run", help="materialize one experiment over a range of days (a full refresh by default)")
    run.add_argument("experiment")
    run.add_argument("--start", help="first day, YYYY-MM-DD (default: the experiment's start)")
    run.add_argument("--end", help="last day, YYYY-MM-DD (default: the last complete day)")
    run.set_defaults(handler=cmd_run)
    refresh = commands.add_parser("refresh", help="re-materialize what one metric feeds, over all days")
    refresh.add_argument("experiment")
    refresh.add_argument("--metric", required=True, help="the metric whose definition changed")
    refresh.add_argument("--start", help="first day (default: the experiment's start)")
    refresh.add_argument("--end", help="last day (default: the last complete day)")
    refresh.set_defaults(handler=cmd_refresh)
    report = commands.add_parser(
        "report", help="write the experiment report (an HTML page per experiment and an index); --serve serves it")
    report.add_argument("experiment", nargs="?", help="only this experiment's page (default: all)")
    report.add_argument("--out", help="directory of the pages (default: $EXP_ASSETS_REPORT_DIR, else $DAGSTER_HOME/reports)")
    report.add_argument("--serve", action="store_true",
                        help="serve the written pages on 127.0.0.1 (no writing; Ctrl-C stops it)")
    report.add_argument("--port", type=int, default=SERVE_PORT, help=f"port of --serve (default {SERVE_PORT})")
    report.set_defaults(handler=cmd_report)
    cleanup = commands.add_parser(
        "cleanup", help="list output tables and partitions the config no longer produces (--drop removes them)")
    cleanup.add_argument("--drop", action="store_true",
                         help="drop them and their ledger rows, in one transaction (DuckDB; other engines get the SQL)")
    cleanup.set_defaults(handler=cmd_cleanup)
    args = parser.parse_args(argv)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG)
    try:
        return args.handler(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    except SourceError as error:  # written to be read as is; the traceback is for --debug
        log.debug("%s", error, exc_info=error)
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
