"""What a report page shows, read from the warehouse through its adapter (the
results tables and exposures_summary are small, group-level tables, so this
works the same on every engine): per rollup the overall rows of every day and
the latest day's breakdowns, units per arm and the SRM p-value by day, and the
health checks as of the latest day, and that day's overall cumulative moments
(the recommendation's and the power's input)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from exp_assets.checks.assignment import srm_by_day
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.quoting import date_literal, table
from exp_assets.sql.results import RESULT_COLUMNS
from exp_assets.warehouse.base import Warehouse

from .health import Health, evaluate_health


@dataclass
class ExperimentData:
    plan: ExperimentPlan
    latest: dt.date | None  # the newest day with results; None before the first
    results: dict[str, pd.DataFrame] = field(default_factory=dict)  # rollup name -> rows (RESULT_COLUMNS)
    units: pd.DataFrame | None = None  # units first exposed per variant (columns) through each day (index)
    srm_p_values: dict[dt.date, float] = field(default_factory=dict)
    health: list[Health] = field(default_factory=list)
    moments: pd.DataFrame = field(default_factory=pd.DataFrame)  # the latest day's overall cumulative moments

    @property
    def cumulative(self) -> pd.DataFrame:
        return self.results["cumulative"] if "cumulative" in self.results else _empty()

    def overall(self, rollup: str = "cumulative") -> pd.DataFrame:
        frame = self.results[rollup] if rollup in self.results else _empty()  # _empty() costs ~15 ms
        return frame[frame["dimension"] == "overall"]

    def latest_overall(self) -> pd.DataFrame:
        """The latest day's overall cumulative rows: the scorecard."""
        frame = self.overall()
        return frame[frame["as_of_date"] == self.latest]


def load(wh: Warehouse, plan: ExperimentPlan) -> ExperimentData:
    with wh.session():  # one connection for every read (DuckDB opens its file per connection)
        results = {r.name: _read(wh, plan, r.name, by_k=r.by_days_since_exposure) for r in ROLLUPS}
        cumulative = results["cumulative"]
        latest = max(cumulative["as_of_date"]) if len(cumulative) else None
        data = ExperimentData(plan, latest, results)
        if latest is not None:
            data.units, data.srm_p_values = srm_by_day(wh, plan, latest)
            data.health = evaluate_health(wh, plan, latest)
            data.moments = latest_moments(wh, plan, latest)
    return data


def latest_moments(wh: Warehouse, plan: ExperimentPlan, day: dt.date) -> pd.DataFrame:
    """rollup_moments' overall cumulative rows of `day` (one per metric and variant):
    what the recommendation and the power are computed from."""
    name = plan.table_name("rollup_moments")
    if not wh.table_exists(name):
        return pd.DataFrame()
    return wh.query(f"SELECT * FROM {table(plan.schema, name)} WHERE as_of_date = {date_literal(day)} "
                    "AND rollup = 'cumulative' AND dimension = 'overall'")


def _read(wh: Warehouse, plan: ExperimentPlan, rollup: str, by_k: bool) -> pd.DataFrame:
    """Overall rows of every day and every row of the latest day (breakdowns, or
    for days since exposure every k as of the latest day)."""
    name = plan.table_name(f"results_{rollup}")
    if not wh.table_exists(name):
        return _empty()
    t = table(plan.schema, name)
    latest_day = f"as_of_date = (SELECT MAX(as_of_date) FROM {t})"
    where = latest_day if by_k else f"dimension = 'overall' OR {latest_day}"
    return _typed(wh.query(f"SELECT * FROM {t} WHERE {where}"))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The contract's types whatever the engine's client returned (dates as
    datetime.date, Decimals and None as floats)."""
    frame = frame.copy()
    for column, sql_type in RESULT_COLUMNS.items():
        if column not in frame:
            continue
        if sql_type == "DATE":
            frame[column] = pd.to_datetime(frame[column]).dt.date
        elif sql_type == "DOUBLE":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
        elif sql_type == "BIGINT":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in RESULT_COLUMNS}))
