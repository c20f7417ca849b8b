"""The columns the warehouse and the statistics exchange, named once.

In: one row per group and arm with `n` and MOMENT_COLUMNS, the sufficient
statistics of up to four unit-level variables (VARIABLES): each one's sum and
sum of squares, and the sum of products of each pair; a variable is absent when
its sum is NULL. Ratio rows also carry DENOMINATOR_UNITS, the units whose
denominator is not 0 (what a ratio's minimum sample size counts).

Out: the results table, RESULT_COLUMNS (a public contract: BI tools read it),
whose STATISTIC_COLUMNS are what `analyze` computes for each arm.

The SQL builders import these names; nothing reads these columns by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Variable:
    """A unit-level variable of the moments and its columns."""

    name: str
    sum: str  # its sum over the arm's units
    squares: str  # its sum of squares


# In the order the arrays of stats.moments index them (MAIN, DENOMINATOR, ...).
VARIABLES = (
    Variable("main", "sum", "sum_squares"),  # the metric's value y
    Variable("denominator", "denominator_sum", "denominator_sum_squares"),  # a ratio's d
    Variable("covariate", "covariate_sum", "covariate_sum_squares"),  # CUPED: y before exposure, x
    Variable("covariate_denominator", "covariate_denominator_sum", "covariate_denominator_sum_squares"),  # xd
)


def product_column(a: Variable, b: Variable) -> str:
    """The column of the sum of a * b over the arm's units."""
    return f"{a.name}_{b.name}_sum_product"


PRODUCT_COLUMNS = {(a.name, b.name): product_column(a, b) for a, b in combinations(VARIABLES, 2)}
DENOMINATOR_UNITS = "denominator_units"
# Each variable's sum and sum of squares, then the products: the order of the rollup_moments table.
MOMENT_SUMS = (*(c for v in VARIABLES for c in (v.sum, v.squares)), *PRODUCT_COLUMNS.values())
MOMENT_COLUMNS = (*MOMENT_SUMS, DENOMINATOR_UNITS)


# What `analyze` computes for each arm of a group: column -> SQL type.
STATISTIC_COLUMNS = {
    "units": "BIGINT", "mean": "DOUBLE", "control_mean": "DOUBLE",
    "abs_effect": "DOUBLE", "abs_ci_lower": "DOUBLE", "abs_ci_upper": "DOUBLE",
    "rel_effect": "DOUBLE", "rel_ci_lower": "DOUBLE", "rel_ci_upper": "DOUBLE", "p_value": "DOUBLE",
    "p_value_adjusted": "DOUBLE", "abs_ci_lower_adjusted": "DOUBLE", "abs_ci_upper_adjusted": "DOUBLE",
    "rel_ci_lower_adjusted": "DOUBLE", "rel_ci_upper_adjusted": "DOUBLE", "chance_to_beat_control": "DOUBLE",
    "expected_loss": "DOUBLE", "variance_reduction": "DOUBLE", "theta": "DOUBLE",
    "method": "VARCHAR", "cuped_applied": "BOOLEAN", "reason": "VARCHAR",
}

# The results table: column -> SQL type.
RESULT_COLUMNS = {
    "as_of_date": "DATE", "rollup": "VARCHAR", "metric": "VARCHAR", "variant": "VARCHAR",
    "dimension": "VARCHAR", "dimension_value": "VARCHAR", "days_since_exposure": "BIGINT",
    **STATISTIC_COLUMNS,
}


# What each column of the contract means, in one line: the asset's column schema
# in the Dagster UI and the README's contract table both come from here.
RESULT_COLUMN_MEANINGS = {
    "as_of_date": "The day the statistics are as of (the partition).",
    "rollup": "How each unit's values are aggregated: cumulative, daily, 7day or days_since_exposure.",
    "metric": "The metric's name from the config.",
    "variant": "The arm this row describes (the control's row carries its units and mean only).",
    "dimension": "The dimension sliced by, or 'overall' for every unit.",
    "dimension_value": "The slice's value ('all' overall; '(other)' merges values beyond the top N).",
    "days_since_exposure": "k, days since the unit's first exposure (days_since_exposure rollup; null otherwise).",
    "units": "Units of this arm in the row's group (event quantiles: those with events).",
    "mean": "The arm's unadjusted mean (ratio metrics: sum of numerators over sum of denominators; quantile metrics: the quantile).",
    "control_mean": "The control arm's unadjusted mean (or quantile) in the same group.",
    "abs_effect": "Treatment minus control (CUPED-adjusted where cuped_applied).",
    "abs_ci_lower": "Lower bound of the interval of abs_effect.",
    "abs_ci_upper": "Upper bound of the interval of abs_effect.",
    "rel_effect": "abs_effect over the control mean: the lift (0.05 = +5%).",
    "rel_ci_lower": "Lower bound of the interval of rel_effect.",
    "rel_ci_upper": "Upper bound of the interval of rel_effect.",
    "p_value": "The test's p-value, before correction across metrics and arms (frequentist).",
    "p_value_adjusted": "p_value after the configured correction; the verdict reads this.",
    "abs_ci_lower_adjusted": "Lower bound of abs_effect's interval at the corrected level.",
    "abs_ci_upper_adjusted": "Upper bound of abs_effect's interval at the corrected level.",
    "rel_ci_lower_adjusted": "Lower bound of rel_effect's interval at the corrected level.",
    "rel_ci_upper_adjusted": "Upper bound of rel_effect's interval at the corrected level.",
    "chance_to_beat_control": "Posterior probability that the arm's mean exceeds the control's (Bayesian).",
    "expected_loss": "Posterior E[max(0, -lift)]: what choosing this arm is expected to lose (Bayesian).",
    "variance_reduction": "Share of the effect's variance CUPED removed (0.3 = 30%).",
    "theta": "The pooled CUPED coefficient on the metric's own pre-exposure value (covariates: all: in the fit with "
             "every covariate).",
    "method": "The test or model that produced the row.",
    "cuped_applied": "Whether the effect is CUPED-adjusted.",
    "reason": "Why a statistic is null (too few units, zero variance, unbounded interval...).",
}
