"""The units of an experiment as of a day, as a relation checks can join."""

from __future__ import annotations

import datetime as dt

from exp_assets.days import ONE_DAY, DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import exposures as exposure_sql
from exp_assets.warehouse.base import Warehouse


def units_through(wh: Warehouse, plan: ExperimentPlan, through: dt.date) -> str:
    """Units first exposed on or before `through` (unit_id, variant, first_exposure_date,
    ...): from the first_exposures table when it holds every day up to `through`,
    else derived from the raw exposures, as the steps do."""
    history = DayRange(plan.start, through + ONE_DAY)
    written = wh.written_partitions(plan.table_name("first_exposures"), history.start, history.end)
    complete = set(history.days) <= set(written["partition_date"])
    return exposure_sql.units(plan, through, from_table=complete)
