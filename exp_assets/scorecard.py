"""Human-readable scorecards from a results frame: plain text for the terminal,
markdown for the Dagster UI."""

from __future__ import annotations

import math

import pandas as pd

from exp_assets.plan import ExperimentPlan


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _pct(x) -> str:
    return "—" if _missing(x) else f"{x * 100:+.2f}%"


def _num(x) -> str:
    return "—" if _missing(x) else f"{x:.4g}"


def direction(row, plan: ExperimentPlan) -> int | None:
    """What a treatment row concludes: +1 a rise, -1 a fall (significant, or
    likely for Bayesian), 0 neither, None no test (the row's `reason` says why)."""
    e = plan.experiment
    if e.engine == "bayesian":
        chance = row.chance_to_beat_control
        if _missing(chance):
            return None
        return 1 if chance >= 1 - e.alpha else -1 if chance <= e.alpha else 0
    p = row.p_value_adjusted
    if _missing(p):
        return None
    return 0 if p >= e.alpha else 1 if row.abs_effect > 0 else -1


def _verdict(row, plan: ExperimentPlan) -> str:
    call = direction(row, plan)
    if call is None:
        return f"n/a ({row.reason})" if row.reason else "n/a"
    if plan.experiment.engine == "bayesian":
        return {1: "LIKELY BETTER ↑", -1: "LIKELY WORSE ↓", 0: "inconclusive"}[call]
    return {1: "SIGNIFICANT ↑", -1: "SIGNIFICANT ↓", 0: "not significant"}[call]


def describe_method(plan: ExperimentPlan) -> str:
    e = plan.experiment
    if e.engine == "bayesian":
        prior = f"N({e.prior.mean:g}, {e.prior.stddev:g}²) prior" if e.prior.stddev else "flat prior"
        parts = [f"Bayesian, {prior} on the lift, {(1 - e.alpha) * 100:g}% credible intervals"]
    else:
        test = f"sequential (always valid, N*={e.sequential_tuning:g})" if e.sequential else "Welch t-test"
        parts = [f"{test}, {(1 - e.alpha) * 100:g}% CI"]
        if e.correction != "none":
            parts.append(f"{e.correction} correction across metrics and arms (p-values and CIs adjusted)")
    parts.append(f"CUPED with {plan.cuped_days}-day lookback" if plan.cuped_days else "no CUPED")
    return "; ".join(parts)


# Days since exposure: the k's a person is shown (the first day, the next, a
# week on), each labelled "k = <k>"; later k's hold few units and wide intervals.
SHOWN_KS = (0, 1, 7)


def headline(plan: ExperimentPlan, results: pd.DataFrame) -> pd.DataFrame:
    """The rows a person reads of a day's results, in the config's metric
    order: the overall slice, and of the days-since-exposure rollup only the SHOWN_KS."""
    if "dimension" in results:
        results = results[results["dimension"] == "overall"]
    if "days_since_exposure" in results and results["days_since_exposure"].notna().any():
        results = results[results["days_since_exposure"].isin(SHOWN_KS)]
    order = {m: i for i, m in enumerate(plan.experiment.metrics)}
    return results.sort_values(["metric", "days_since_exposure"] if "days_since_exposure" in results else "metric",
                               key=lambda s: s.map(order) if s.name == "metric" else s, kind="stable")


def k_label(row) -> str:
    """', k = 3' for a days-since-exposure row, '' otherwise."""
    k = getattr(row, "days_since_exposure", None)
    return "" if k is None or pd.isna(k) else f", k = {int(k)}"


def scorecard_rows(plan: ExperimentPlan, results: pd.DataFrame) -> tuple[object, list[str], list[list[str]]]:
    """The latest day's treatment rows as table cells, with the header and that day."""
    bayesian = plan.experiment.engine == "bayesian"
    # frequentist rows show the CI that matches their verdict: the adjusted one (equal to
    # the plain CI without a correction); Bayesian rows have credible intervals only
    ci = "" if bayesian else "_adjusted"
    header = ["metric", "variant", "units", "control", "treatment", "lift", "lift CI",
              "P(beat control)" if bayesian else "p-value", "verdict", "CUPED var. reduction"]
    if results.empty:
        return None, header, []
    latest = results["as_of_date"].max()
    day = headline(plan, results[(results["as_of_date"] == latest) & (results["variant"] != plan.experiment.control)])
    rows = []
    for r in day.itertuples():
        evidence = _num(r.chance_to_beat_control) if bayesian else _num(r.p_value_adjusted)
        reduction = f"{round(r.variance_reduction * 100):d}%" if r.cuped_applied and not _missing(r.variance_reduction) else "—"
        rows.append([
            r.metric, r.variant + k_label(r), f"{r.units:,}", _num(r.control_mean), _num(r.mean),
            _pct(r.rel_effect), f"[{_pct(getattr(r, 'rel_ci_lower' + ci))}, {_pct(getattr(r, 'rel_ci_upper' + ci))}]",
            evidence, _verdict(r, plan), reduction,
        ])
    return latest, header, rows


def describe_srm(plan: ExperimentPlan, p_value: float | None) -> str:
    """The experiment's one SRM test (the `srm` check's) as one line."""
    if p_value is None:
        return "Sample ratio: not checked (exposures_summary missing)"
    threshold = plan.experiment.checks.srm_p_value
    verdict = "SAMPLE RATIO MISMATCH: do not trust these results" if p_value < threshold else "ok"
    return f"Sample ratio: {verdict} (always-valid SRM p = {p_value:.3g}, threshold {threshold:g})"


def scorecard_text(plan: ExperimentPlan, results: pd.DataFrame, srm_p_value: float | None = None) -> str:
    latest, header, rows = scorecard_rows(plan, results)
    title = f"{plan.id}: cumulative results as of {latest} (control: {plan.experiment.control}; {describe_method(plan)})"
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([title, describe_srm(plan, srm_p_value), line(header), line(["-" * w for w in widths]),
                      *map(line, rows)])


def scorecard_markdown(plan: ExperimentPlan, results: pd.DataFrame, srm_p_value: float | None = None) -> str:
    latest, header, rows = scorecard_rows(plan, results)
    rollup = results["rollup"].iloc[0] if "rollup" in results and len(results) else "cumulative"
    lines = [
        f"**{plan.id}** — {rollup} results as of **{latest}** (control: `{plan.experiment.control}`)",
        "",
        f"_{describe_method(plan)}_",
        "",
        describe_srm(plan, srm_p_value),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(cells) + " |" for cells in rows),
        "",
        _legend(plan),
    ]
    return "\n".join(lines)


def _legend(plan: ExperimentPlan) -> str:
    """What the columns mean."""
    e = plan.experiment
    evidence = ("P(beat control): posterior probability that the arm's mean is above the control's; "
                f"LIKELY BETTER at ≥ {1 - e.alpha:g}, LIKELY WORSE at ≤ {e.alpha:g}") if e.engine == "bayesian" else (
        f"p-value: after the {e.correction} correction; SIGNIFICANT below alpha = {e.alpha:g}")
    return (f"_control_, _treatment_: the arms' means; _lift_: (treatment − control) / control, with its "
            f"{(1 - e.alpha) * 100:g}% interval (_lift CI_); {evidence}; _CUPED var. reduction_: the share of the "
            "lift's variance removed by each unit's pre-exposure value; — where a statistic is null "
            "(the `reason` column of the table says why).")


def scorecard_summary(plan: ExperimentPlan, results: pd.DataFrame) -> str:
    """One line per metric and treatment: lift, interval and verdict."""
    latest, _, rows = scorecard_rows(plan, results)
    return "\n".join(f"{r[0]} / {r[1]}: {r[5]} {r[6]} {r[8]}" for r in rows) or "no results"
