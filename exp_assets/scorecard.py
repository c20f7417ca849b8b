"""Human-readable scorecards from a results frame: plain text for the terminal,
markdown for the Dagster UI."""

from __future__ import annotations

import math

import pandas as pd

from exp_assets.plan import ExperimentPlan


def _verdict(row, alpha: float) -> str:
    if row.p_value is None or pd.isna(row.p_value):
        return f"n/a ({row.reason})" if row.reason else "n/a"
    if row.p_value >= alpha:
        return "not significant"
    return "SIGNIFICANT ↑" if row.abs_effect > 0 else "SIGNIFICANT ↓"


def _pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x * 100:+.2f}%"


def _num(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4g}"


def scorecard_rows(plan: ExperimentPlan, results: pd.DataFrame) -> tuple[object, list[list[str]]]:
    """The latest day's treatment rows as table cells, and that day."""
    if results.empty:
        return None, []
    latest = results["as_of_date"].max()
    day = results[(results["as_of_date"] == latest) & (results["variant"] != plan.experiment.control)]
    order = {m: i for i, m in enumerate(plan.experiment.metrics)}
    day = day.sort_values("metric", key=lambda s: s.map(order), kind="stable")
    rows = []
    for r in day.itertuples():
        rows.append([
            r.metric, r.variant, f"{r.units:,}", _num(r.control_mean), _num(r.mean),
            _pct(r.rel_effect), f"[{_pct(r.rel_ci_lower)}, {_pct(r.rel_ci_upper)}]",
            _num(r.p_value), _verdict(r, plan.experiment.alpha),
        ])
    return latest, rows


HEADER = ["metric", "variant", "units", "control mean", "mean", "lift", "lift CI", "p-value", "verdict"]


def scorecard_text(plan: ExperimentPlan, results: pd.DataFrame) -> str:
    latest, rows = scorecard_rows(plan, results)
    title = f"{plan.id}: cumulative results as of {latest} (control: {plan.experiment.control}, " \
            f"{(1 - plan.experiment.alpha) * 100:g}% CI, Welch t-test)"
    widths = [max(len(str(c)) for c in col) for col in zip(HEADER, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([title, line(HEADER), line(["-" * w for w in widths]), *map(line, rows)])


def scorecard_markdown(plan: ExperimentPlan, results: pd.DataFrame) -> str:
    latest, rows = scorecard_rows(plan, results)
    lines = [
        f"**{plan.id}** — cumulative results as of **{latest}** "
        f"(control: `{plan.experiment.control}`, {(1 - plan.experiment.alpha) * 100:g}% CI, Welch t-test)",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
        *("| " + " | ".join(cells) + " |" for cells in rows),
    ]
    return "\n".join(lines)
