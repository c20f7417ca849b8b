"""Prototype, measured but not built into the pipeline: one day's update of the
per-unit state and the cells' group sums from a current-state table and the
day's changes (issue #21 items 2 and 3; BENCHMARKS.md, sixteenth session).

On a warehouse the benchmark left (`benchmarks/run.py --workdir DIR`: exp_a of
the "incremental" schema built through its last day D), on a copy of its file:
1. untimed, `cur`: every unit exposed by D-1 with its unit_totals row of D-1
   and, beside each running total, its sum over the 7 days through D-1;
2. timed, in one transaction: the units D touches (day rows on D, D-1 or D-7,
   or first exposed on D) with their old and new state; the change of the cells'
   sums (per variant x dimensions x exposure day: count, and per running
   column and span - since exposure, the day, 7 days - its value, square and
   product with the covariate); the day's change rows written to a table;
   `cur` updated in place and the new units inserted.
No winsorization (its caps need the pooled percentiles, which lost in the
eighth session). Prints each statement's seconds next to the pipeline's
unit_totals and rollup_cells of that day from the run's results.json.

    .venv/bin/python benchmarks/current_state.py --workdir bench/sparse [--spans all|cumulative]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import duckdb

SCHEMA, EXPERIMENT = "incremental", "exp_a"
# the benchmark config's running columns, by the fact source whose day rows hold them
SOURCES = {"orders": ["revenue", "orders", "purchased"], "page_views": ["page_views"]}
COLUMNS = [c for columns in SOURCES.values() for c in columns]
ATTRIBUTES = ["variant", "first_exposure_date", "country", "platform"]
SPANS = ("cum", "d", "w7")


def _table(name: str) -> str:
    return f'"{SCHEMA}"."{EXPERIMENT}_{name}"'


def _date(day: dt.date) -> str:
    return f"DATE '{day}'"


def day_rows(day: dt.date) -> str:
    """Each unit's running columns' change on `day`, both sources merged."""
    parts = [
        f"SELECT unit_id, {', '.join(c if c in columns else f'0 AS {c}' for c in COLUMNS)} "
        f"FROM {_table('user_level_aggregations_' + source)} WHERE event_date = {_date(day)}"
        for source, columns in SOURCES.items()
    ]
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    return f"SELECT unit_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS p GROUP BY unit_id"


def current_state_sql(day: dt.date) -> str:
    """`cur` as of the day before `day` (untimed setup)."""
    before, week = _date(day - dt.timedelta(days=1)), _date(day - dt.timedelta(days=8))
    sums = ", ".join(f"t.{c} - COALESCE(p.{c}, 0) AS w7_{c}" for c in COLUMNS)
    return (f"CREATE TABLE cur AS SELECT t.*, {sums} FROM {_table('unit_totals')} AS t "
            f"LEFT JOIN {_table('unit_totals')} AS p ON p.unit_id = t.unit_id AND p.as_of_date = {week} "
            f"WHERE t.as_of_date = {before}")


def _terms(side: str) -> list[str]:
    """One unit's terms of every sum the cells hold, from its `side` (old or new) state in `changes`."""
    terms = []
    for c in COLUMNS:
        for span in SPANS:
            v = f"COALESCE(ch.{span}_{c}_{side}, 0)"
            terms += [v, f"{v} * {v}", f"{v} * COALESCE(ch.x_{c}, 0)"]
    return terms


def update_statements(day: dt.date, spans: str = "all") -> list[tuple[str, str]]:
    """(label, SQL) of day `day`'s update, in order; `spans`: "cumulative" touches
    only the units with day rows on D or first exposed on D."""
    d = _date(day)
    exposed = f"SELECT * FROM {_table('first_exposures')} WHERE first_exposure_date = {d}"
    touched = ["SELECT unit_id FROM dd", f"SELECT unit_id FROM ({exposed}) AS e"]
    if spans == "all":
        touched += ["SELECT unit_id FROM d1", "SELECT unit_id FROM d7"]
    state = ", ".join(
        f"c.{c} AS cum_{c}_old, COALESCE(c.{c}, 0) + COALESCE(dd.{c}, 0) AS cum_{c}_new, "
        f"d1.{c} AS d_{c}_old, dd.{c} AS d_{c}_new, c.w7_{c} AS w7_{c}_old, "
        f"COALESCE(c.w7_{c}, 0) + COALESCE(dd.{c}, 0) - COALESCE(d7.{c}, 0) AS w7_{c}_new, "
        f"COALESCE(c.{c}__pre_exposure, cv_{source}.{c}) AS x_{c}"
        for source, columns in SOURCES.items() for c in columns)
    # a unit first exposed on D brings its covariates from that day's partitions
    covariates = "".join(
        f" LEFT JOIN (SELECT * FROM {_table('pre_exposure_covariates_' + source)} WHERE first_exposure_date = {d}) "
        f"AS cv_{source} ON cv_{source}.unit_id = t.unit_id" for source in SOURCES)
    attributes = ", ".join(f"COALESCE(c.{a}, f.{a}) AS {a}" for a in ATTRIBUTES)
    changes = (
        f"CREATE TEMP TABLE changes AS WITH dd AS ({day_rows(day)}), "
        f"d1 AS ({day_rows(day - dt.timedelta(days=1))}), d7 AS ({day_rows(day - dt.timedelta(days=7))}), "
        f"touched AS ({' UNION '.join(touched)}) "
        f"SELECT t.unit_id, {attributes}, c.unit_id IS NULL AS is_new, {state} "
        f"FROM touched AS t LEFT JOIN cur AS c ON c.unit_id = t.unit_id LEFT JOIN dd ON dd.unit_id = t.unit_id "
        f"LEFT JOIN d1 ON d1.unit_id = t.unit_id LEFT JOIN d7 ON d7.unit_id = t.unit_id "
        f"LEFT JOIN ({exposed}) AS f ON f.unit_id = t.unit_id{covariates} WHERE c.unit_id IS NOT NULL OR f.unit_id IS NOT NULL")
    delta = ", ".join(f"SUM({new} - {old}) AS s{i}" for i, (new, old) in enumerate(zip(_terms("new"), _terms("old"))))
    cells = (f"CREATE TEMP TABLE cells_change AS SELECT {', '.join(ATTRIBUTES)}, SUM(CAST(is_new AS INTEGER)) AS n, "
             f"{delta} FROM changes AS ch GROUP BY {', '.join(ATTRIBUTES)}")
    rows = ", ".join(f"cum_{c}_new AS {c}, w7_{c}_new AS w7_{c}" for c in COLUMNS)
    updated = ", ".join(f"{c} = ch.cum_{c}_new, w7_{c} = ch.w7_{c}_new" for c in COLUMNS)
    new_units = (f"INSERT INTO cur (as_of_date, unit_id, {', '.join(ATTRIBUTES)}, {', '.join(COLUMNS)}, "
                 f"{', '.join('w7_' + c for c in COLUMNS)}, {', '.join(c + '__pre_exposure' for c in COLUMNS)}) "
                 f"SELECT {d}, unit_id, {', '.join(ATTRIBUTES)}, {', '.join(f'cum_{c}_new' for c in COLUMNS)}, "
                 f"{', '.join(f'w7_{c}_new' for c in COLUMNS)}, {', '.join(f'x_{c}' for c in COLUMNS)} "
                 f"FROM changes WHERE is_new")
    return [
        ("touched units and their old and new state", changes),
        ("the cells' change", cells),
        ("the day's change rows written", f"CREATE TABLE changes_of_day AS SELECT {d} AS as_of_date, unit_id, {rows} "
                                          f"FROM changes"),
        ("cur updated in place", f"UPDATE cur AS c SET {updated} FROM changes AS ch "
                                 f"WHERE ch.unit_id = c.unit_id AND NOT ch.is_new"),
        ("the new units inserted", new_units),
    ]


def measure(db: str, day: dt.date, spans: str = "all", threads: int = 2, memory_limit: str = "8GB") -> dict:
    """Day `day`'s update on `db` (changed: pass a copy): seconds per statement
    and of the commit, the touched units; `conn` stays open for checks."""
    conn = duckdb.connect(db)
    conn.execute(f"SET threads = {threads}; SET memory_limit = '{memory_limit}'; SET TimeZone = 'UTC'")
    conn.execute(current_state_sql(day))
    conn.execute("CHECKPOINT")
    seconds = {}
    conn.execute("BEGIN TRANSACTION")
    for label, sql in update_statements(day, spans):
        began = time.perf_counter()
        conn.execute(sql)
        seconds[label] = time.perf_counter() - began
    touched = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    began = time.perf_counter()
    conn.execute("COMMIT")
    seconds["commit"] = time.perf_counter() - began
    return {"seconds": seconds, "touched": touched, "conn": conn}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", required=True, help="a finished run's --workdir (bench.duckdb, results.json)")
    parser.add_argument("--spans", choices=["all", "cumulative"], default="all")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    out = json.loads((workdir / "results.json").read_text())
    from run import last_day  # this directory's benchmark

    day = last_day(workdir)
    copy = workdir / "current_state.duckdb"
    shutil.copy(workdir / "bench.duckdb", copy)
    try:
        result = measure(str(copy), day, args.spans, out["threads"], out["memory_limit"])
        result["conn"].close()
    finally:
        copy.unlink(missing_ok=True)
    units = out["scale"]["units"]
    print(f"day {day}: {result['touched']:,} units touched of {units:,} ({result['touched'] / units:.0%}), "
          f"spans: {args.spans}")
    for label, seconds in result["seconds"].items():
        print(f"  {label}: {seconds:.3f} s")
    print(f"  in all: {sum(result['seconds'].values()):.3f} s")
    assets = out["measurements"][f"incremental_day{out['scale']['days']}"]["assets"]
    pipeline = sum(assets[a]["seconds"] for a in ("unit_totals", "rollup_cells"))
    print(f"the pipeline's unit_totals and rollup_cells of that day in the run (winsorized): {pipeline:.3f} s")


if __name__ == "__main__":
    main()
