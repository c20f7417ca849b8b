"""`exp-assets cleanup`: what the output schema holds that the current config no
longer produces, and (with --drop) its removal.

Orphans are found through the ledger (`<output_schema>._partitions`), which
records every table the pipeline ever wrote, so tables the pipeline did not
write are never touched:

- orphan tables: written by the pipeline, owned by no artifact of any
  configured experiment or shared facts (a removed metric's source, CUPED turned off, a removed
  funnel, dimension or experiment, a renamed experiment), with their ledger rows;
- ledger rows of tables that no longer exist;
- out-of-range partitions: days of a current table outside its experiment's
  partitions (start date moved later, end date moved earlier).

A full refresh of the current config never leaves any of these behind, and a
full refresh drops columns a definition no longer produces (see the DuckDB
adapter); removing a metric, source or experiment from the config leaves
tables, which this command lists and drops. Run it with the config that owns
the output schema: another config's tables in the same schema are orphans to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from exp_assets.config import ProjectConfig
from exp_assets.days import ONE_DAY
from exp_assets.plan import ExperimentPlan
from exp_assets.shared_facts import SOURCE_DAYS, shared_sources
from exp_assets.quoting import date_literal, ident, literal, table
from exp_assets.warehouse.base import LEDGER_TABLE, Warehouse


@dataclass
class Orphans:
    schema: str
    tables: dict[str, int] = field(default_factory=dict)  # orphan table -> its ledger rows
    ledger_only: dict[str, int] = field(default_factory=dict)  # missing table -> its ledger rows
    # current table -> (date column, first day kept, day after the last kept or None, days outside)
    partitions: dict[str, tuple[str, dt.date, dt.date | None, list[dt.date]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables or self.ledger_only or self.partitions)

    def statements(self) -> list[str]:
        """The SQL that removes them (one transaction)."""
        ledger = table(self.schema, LEDGER_TABLE)
        out = []
        for name in sorted(self.tables):
            out.append(f"DROP TABLE IF EXISTS {table(self.schema, name)}")
        for name in sorted({*self.tables, *self.ledger_only}):
            out.append(f"DELETE FROM {ledger} WHERE table_name = {literal(name)}")
        for name, (column, first, end, _) in sorted(self.partitions.items()):
            outside = f"{ident(column)} < {date_literal(first)}" + (
                f" OR {ident(column)} >= {date_literal(end)}" if end else "")
            out.append(f"DELETE FROM {table(self.schema, name)} WHERE {outside}")
            ledger_outside = f"partition_date < {date_literal(first)}" + (
                f" OR partition_date >= {date_literal(end)}" if end else "")
            out.append(f"DELETE FROM {ledger} WHERE table_name = {literal(name)} AND ({ledger_outside})")
        return out


def owned_tables(config: ProjectConfig) -> dict[str, tuple[str, dt.date, dt.date | None]]:
    """Every table the current config produces -> (its date column, its first
    day, its last day or None): an experiment's, or the shared facts of a source
    (the days of the experiments on it)."""
    owned = {}
    for experiment in config.experiments:
        plan = ExperimentPlan(config, experiment)
        for artifact in plan.artifacts:
            owned[plan.table_name(artifact.name)] = (artifact.date_column, plan.start, plan.experiment.end_date)
    for shared in shared_sources(config):
        owned[shared.name] = (SOURCE_DAYS.date_column, shared.start, shared.end)
    return owned


def find_orphans(wh: Warehouse, config: ProjectConfig) -> Orphans:
    """Orphan tables, ledger rows of missing tables and out-of-range partitions,
    from the ledger (a few rows per table: nothing unit-level is read)."""
    schema = config.warehouse.output_schema
    orphans = Orphans(schema)
    if not wh.table_exists(LEDGER_TABLE):
        return orphans
    ledger = wh.query(
        f"SELECT table_name, partition_date, COUNT(*) AS n FROM {table(schema, LEDGER_TABLE)} "
        f"GROUP BY table_name, partition_date"
    )
    ledger["partition_date"] = pd.to_datetime(ledger["partition_date"]).dt.date
    owned = owned_tables(config)
    for name, rows in ledger.groupby("table_name"):
        count = int(rows["n"].sum())
        if not wh.table_exists(name):
            orphans.ledger_only[name] = count
        elif name not in owned:
            orphans.tables[name] = count
        else:
            column, start, last = owned[name]
            end = last + ONE_DAY if last else None
            outside = sorted(d for d in rows["partition_date"] if d < start or (end is not None and d >= end))
            if outside:
                orphans.partitions[name] = (column, start, end, outside)
    return orphans


def drop_orphans(wh: Warehouse, orphans: Orphans) -> None:
    """Remove them in one transaction (DuckDB; for other engines run `statements()`)."""
    if not wh.runs_maintenance_transactions:
        raise NotImplementedError(
            "cleanup --drop runs on DuckDB; on this warehouse run these statements:\n"
            + ";\n".join(orphans.statements()) + ";")
    wh.execute_transaction(orphans.statements())


def describe(orphans: Orphans) -> str:
    if not orphans:
        return f"{orphans.schema}: nothing to clean up: every table the pipeline wrote belongs to the current config."
    lines = []
    if orphans.tables:
        lines.append(f"Tables in {orphans.schema} that no configured experiment owns:")
        lines += [f"  {orphans.schema}.{name} ({n} ledger rows)" for name, n in sorted(orphans.tables.items())]
    if orphans.ledger_only:
        lines.append("Ledger rows of tables that no longer exist:")
        lines += [f"  {name} ({n} rows)" for name, n in sorted(orphans.ledger_only.items())]
    if orphans.partitions:
        lines.append("Partitions outside their experiment's date range:")
        lines += [f"  {orphans.schema}.{name}: {len(days)} days, {days[0]}..{days[-1]}"
                  for name, (_, _, _, days) in sorted(orphans.partitions.items())]
    return "\n".join(lines)
