"""Human-readable scorecards from a results frame: plain text for the terminal,
markdown for the Dagster UI; with the latest day's moments also the recommendation
and the goal metrics' power (exp_assets.recommendation)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from exp_assets.plan import ExperimentPlan
from exp_assets.recommendation import OUTCOMES, ArmDecision, decide, srm_failures


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
    plus = "++ (every metric's pre-exposure value and the dimensions)" if e.cuped.covariates == "all" else ""
    parts.append(f"CUPED{plus} with {plan.cuped_days}-day lookback" if plan.cuped_days else "no CUPED")
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
    header = ["metric", "role", "variant", "units", "control", "treatment", "lift", "lift CI",
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
            r.metric, role_label(plan, r.metric), r.variant + k_label(r), f"{r.units:,}", _num(r.control_mean),
            _num(r.mean),
            _pct(r.rel_effect), f"[{_pct(getattr(r, 'rel_ci_lower' + ci))}, {_pct(getattr(r, 'rel_ci_upper' + ci))}]",
            evidence, _verdict(r, plan), reduction,
        ])
    return latest, header, rows


def role_label(plan: ExperimentPlan, metric: str) -> str:
    """goal, guardrail (with its margin) or secondary."""
    role = plan.experiment.role(metric)
    return f"guardrail (−{plan.experiment.margin(metric):.0%})" if role == "guardrail" else role


def describe_recommendation(plan: ExperimentPlan, decisions: list[ArmDecision]) -> str | None:
    """'ship: why' (several treatments: 'arm: ship (why); ...'); None without a goal metric."""
    if not decisions:
        return None
    if len(decisions) == 1:
        return f"{decisions[0].recommendation.action}: {decisions[0].recommendation.reason}"
    return "; ".join(f"{d.variant}: {d.recommendation.action} ({d.recommendation.reason})" for d in decisions)


def describe_power(plan: ExperimentPlan, decisions: list[ArmDecision]) -> list[str]:
    """One line per goal metric and treatment: its MDE now, its power for the
    configured minimum detectable effect and the days until that power suffices."""
    lines = []
    for d in decisions:
        level = d.recommendation.goal_level
        for g in d.goals:
            if g.mde is None:
                lines.append(f"{g.metric} / {g.variant}: no power estimate (no test yet)")
                continue
            line = (f"{g.metric} / {g.variant}: MDE {g.mde:.1%} now at {g.units:,} units (one-sided α = {level:.3g}, "
                    f"{g.test_power:.0%} power per test for 80% decision power"
                    f"{'' if g.basis == OUTCOMES else f'; from the {g.basis}: no outcome test yet'})")
            if g.target is not None:
                wait = ("reached" if g.days_to_power == 0 else
                        f"in {math.ceil(g.days_to_power):,} more days at the current rate")
                line += f"; power for a +{g.target:.0%} lift: {g.power:.0%} now, {g.test_power:.0%} {wait}"
            lines.append(line)
    return lines


def decisions_of(plan: ExperimentPlan, results: pd.DataFrame, moments: pd.DataFrame | None,
                 srm_p_value: float | None) -> list[ArmDecision]:
    """The recommendation per treatment from the latest day's moments; a sample ratio
    mismatch (the `srm` check's threshold) is a failed health check."""
    if moments is None or moments.empty or results.empty:
        return []
    latest = pd.Timestamp(results["as_of_date"].max()).date()
    return decide(plan, moments, latest, srm_failures(plan, srm_p_value))


def describe_srm(plan: ExperimentPlan, p_value: float | None) -> str:
    """The experiment's one SRM test (the `srm` check's) as one line."""
    if p_value is None:
        return "Sample ratio: not checked (exposures_summary missing)"
    threshold = plan.experiment.checks.srm_p_value
    verdict = "SAMPLE RATIO MISMATCH: do not trust these results" if p_value < threshold else "ok"
    return f"Sample ratio: {verdict} (always-valid SRM p = {p_value:.3g}, threshold {threshold:g})"


def _decision_lines(plan: ExperimentPlan, decisions: list[ArmDecision]) -> list[str]:
    if not decisions:
        return []
    return [f"Recommendation: {describe_recommendation(plan, decisions)}",
            *(f"Power: {line}" for line in describe_power(plan, decisions))]


@dataclass(frozen=True)
class Scorecard:
    """A results frame's scorecard, built once and shown three ways: plain text
    (the terminal), markdown (the Dagster UI) and one line per row (the verdicts)."""

    plan: ExperimentPlan
    latest: object  # the latest day of the results (None without any)
    header: list[str]
    rows: list[list[str]]  # scorecard_rows: the latest day's treatment rows as cells
    rollup: str
    decisions: list[ArmDecision]  # with the latest day's moments: the recommendation per treatment
    srm_p_value: float | None

    @classmethod
    def of(cls, plan: ExperimentPlan, results: pd.DataFrame, srm_p_value: float | None = None,
           moments: pd.DataFrame | None = None) -> Scorecard:
        latest, header, rows = scorecard_rows(plan, results)
        rollup = results["rollup"].iloc[0] if "rollup" in results and len(results) else "cumulative"
        return cls(plan, latest, header, rows, rollup, decisions_of(plan, results, moments, srm_p_value), srm_p_value)

    def text(self) -> str:
        plan = self.plan
        title = (f"{plan.id}: {self.rollup} results as of {self.latest} "
                 f"(control: {plan.experiment.control}; {describe_method(plan)})")
        widths = [max(len(str(c)) for c in col) for col in zip(self.header, *self.rows)]
        line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        return "\n".join([title, describe_srm(plan, self.srm_p_value), *_decision_lines(plan, self.decisions),
                          line(self.header), line(["-" * w for w in widths]), *map(line, self.rows)])

    def markdown(self) -> str:
        plan = self.plan
        decisions = _decision_lines(plan, self.decisions)
        lines = [
            f"**{plan.id}** — {self.rollup} results as of **{self.latest}** (control: `{plan.experiment.control}`)",
            "",
            f"_{describe_method(plan)}_",
            "",
            describe_srm(plan, self.srm_p_value),
            "",
            *(f"{line}  " for line in decisions),
            *([""] if decisions else []),
            "| " + " | ".join(self.header) + " |",
            "|" + "---|" * len(self.header),
            *("| " + " | ".join(cells) + " |" for cells in self.rows),
            "",
            _legend(plan),
        ]
        return "\n".join(lines)

    def summary(self) -> str:
        """One line per metric and treatment: lift, interval and verdict."""
        return "\n".join(f"{r[0]} / {r[2]}: {r[6]} {r[7]} {r[9]}" for r in self.rows) or "no results"


def scorecard_text(plan: ExperimentPlan, results: pd.DataFrame, srm_p_value: float | None = None,
                   moments: pd.DataFrame | None = None) -> str:
    return Scorecard.of(plan, results, srm_p_value, moments).text()


def _legend(plan: ExperimentPlan) -> str:
    """What the columns mean."""
    e = plan.experiment
    evidence = ("P(beat control): posterior probability that the arm's mean is above the control's; "
                f"LIKELY BETTER at ≥ {1 - e.alpha:g}, LIKELY WORSE at ≤ {e.alpha:g}") if e.engine == "bayesian" else (
        f"p-value: after the {e.correction} correction; SIGNIFICANT below alpha = {e.alpha:g}")
    return (f"_role_: goal, guardrail (its non-inferiority margin) or secondary; "
            f"_control_, _treatment_: the arms' means; _lift_: (treatment − control) / control, with its "
            f"{(1 - e.alpha) * 100:g}% interval (_lift CI_); {evidence}; _CUPED var. reduction_: the share of the "
            "lift's variance removed by each unit's pre-exposure value; — where a statistic is null "
            "(the `reason` column of the table says why).")
