"""From a Difference to what a results row reports, for the chosen engine."""

from __future__ import annotations

from dataclasses import dataclass

from . import sequential
from .bayesian import posterior
from .difference import Difference
from .frequentist import t_interval, t_p_value
from .options import AnalysisOptions


@dataclass(frozen=True)
class Inference:
    abs_effect: float | None = None
    abs_ci_lower: float | None = None
    abs_ci_upper: float | None = None
    rel_effect: float | None = None
    rel_ci_lower: float | None = None
    rel_ci_upper: float | None = None
    p_value: float | None = None
    chance_to_beat_control: float | None = None
    expected_loss: float | None = None
    reason: str | None = None


def infer(diff: Difference, options: AnalysisOptions) -> Inference:
    if diff.abs_variance is None:
        return Inference(abs_effect=diff.abs_effect, reason=diff.reason)
    if options.engine == "bayesian":
        return _bayesian(diff, options)
    abs_lo, abs_hi, rel_lo, rel_hi = intervals(diff, options, options.alpha)
    if options.sequential:
        rho = sequential.rho(options.alpha, options.sequential_tuning)
        p = sequential.p_value(diff.abs_effect, diff.abs_variance, diff.units, rho)
    else:
        p = t_p_value(diff.abs_effect, diff.abs_variance, diff.df)
    return Inference(
        abs_effect=diff.abs_effect,
        abs_ci_lower=abs_lo,
        abs_ci_upper=abs_hi,
        rel_effect=diff.rel_effect,
        rel_ci_lower=rel_lo,
        rel_ci_upper=rel_hi,
        p_value=p,
        reason=diff.reason,
    )


def intervals(diff: Difference, options: AnalysisOptions, alpha: float) -> tuple[float | None, ...]:
    """Frequentist (abs_lo, abs_hi, rel_lo, rel_hi) at level alpha: Welch t, or the
    confidence sequence (with rho fixed by the analysis alpha, see sequential.py)."""

    def interval(estimate: float | None, variance: float | None) -> tuple[float | None, float | None]:
        if estimate is None or variance is None:
            return None, None
        if not options.sequential:
            return t_interval(estimate, variance, diff.df, alpha)
        rho = sequential.rho(options.alpha, options.sequential_tuning)
        half = sequential.halfwidth(variance, diff.units, alpha, rho)
        return estimate - half, estimate + half

    return (*interval(diff.abs_effect, diff.abs_variance), *interval(diff.rel_effect, diff.rel_variance))


def _bayesian(diff: Difference, options: AnalysisOptions) -> Inference:
    """Prior and posterior live on the relative effect; absolute = relative * mu_c."""
    if diff.rel_variance is None:
        return Inference(reason=diff.reason)
    if diff.rel_variance == 0:
        return Inference(reason="zero variance")
    post = posterior(diff.rel_effect, diff.rel_variance, options.prior_mean, options.prior_stddev)
    rel_lo, rel_hi = post.interval(options.alpha)
    mu_c = diff.control_statistic
    abs_lo, abs_hi = sorted((rel_lo * mu_c, rel_hi * mu_c))
    return Inference(
        abs_effect=post.mean * mu_c,
        abs_ci_lower=abs_lo,
        abs_ci_upper=abs_hi,
        rel_effect=post.mean,
        rel_ci_lower=rel_lo,
        rel_ci_upper=rel_hi,
        chance_to_beat_control=post.chance_positive,
        expected_loss=post.expected_loss,
    )
