"""Sanity of a published results window: on the overall rows, every configured
variant has units for every metric and day, and no row without a `reason` carries
a NaN or infinite number."""

from __future__ import annotations

import dagster as dg

from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import checks as check_sql
from exp_assets.warehouse.base import Warehouse

from .outcome import ERROR, Outcome, as_dates, by_day
from .settings import CheckSettings

_LISTED = 20  # problems spelled out in the metadata


def results_sanity(artifact: str, rollup: str):
    def evaluate(wh: Warehouse, plan: ExperimentPlan, window: DayRange, settings: CheckSettings) -> Outcome:
        frame = wh.query(check_sql.results_overview(plan, artifact, window))
        frame = frame.assign(as_of_date=as_dates(frame["as_of_date"]))
        groups = {(r.as_of_date, r.metric, r.variant): r for r in frame.itertuples(index=False)}
        problems: list[tuple] = []
        for day in window.days:
            for metric in (m.name for m in plan.result_metrics if m.in_rollup(rollup)):
                for variant in plan.experiment.variants:
                    row = groups.get((day, metric, variant))
                    if row is None:
                        problems.append((day, metric, variant, "missing"))
                    elif row.units <= 0:
                        problems.append((day, metric, variant, "no units"))
        missing_groups = len(problems)
        for r in frame.itertuples(index=False):
            if r.non_finite_rows:
                problems.append((r.as_of_date, r.metric, r.variant, f"{r.non_finite_rows} rows with NaN/inf"))
        non_finite = int(frame["non_finite_rows"].sum())
        per_day = {day: sum(1 for p in problems if p[0] == day) for day in window.days}
        bad_days = [day for day in window.days if per_day[day]]
        passed = not problems
        listed = [f"{d} {m} {v}: {what}" for d, m, v, what in sorted(problems, key=lambda p: p[:3])[:_LISTED]]
        description = (
            f"Every variant has units for every metric on every day of {window}; no NaN/inf."
            if passed else
            f"{missing_groups} (day, metric, variant) groups missing or without units, {non_finite} rows with "
            f"NaN/inf on {len(bad_days)} days; first: {listed[0]}."
        )
        return Outcome(passed, ERROR, description, {
            "rows": int(frame["row_count"].sum()),
            "missing_groups": missing_groups,
            "non_finite_rows": non_finite,
            "days_checked": len(window.days),
            "days_failed": len(bad_days),
            "worst_day": (max(bad_days, key=lambda d: (per_day[d], d)) if bad_days else window.last).isoformat(),
            "problems_by_day": by_day(per_day),
            "problems": dg.MetadataValue.json(listed),
        })

    return evaluate
