"""SQL of CUPED++'s group sums (cuped: {covariates: all}): per day and variant,
the sum over units of every product of two regression terms, from the same
eligible, winsorized unit rows rollup_cells adds up (unit_rows.capped_unit_rows:
the caps are computed by the same SQL over the same rows, so they are equal).

The terms: the constant (CONSTANT, its products are the plain sums), the
pre-exposure value of each metric CUPED adjusts (its unit_totals covariate
column, capped as in rollup_moments), each exposure dimension's values as 0/1 dummies ("<dimension>=
<value>": the top `dimension_top_n` values per day by units as the dimension
slices have them, the rest "(other)"; the most common value is the reference
level and has no dummy), and OUTCOME, each mean metric's value in each rollup
(ratios and quantiles are not adjusted this way).
Only the overall slice of the cumulative, daily and 7-day rollups: other slices
and the days-since-exposure rollup keep single-covariate CUPED.

A row per unordered pair of terms (a dummy's square is the dummy itself, and
two values of one dimension never meet, so neither is stored): rows without
OUTCOME are the same for every rollup and metric and carry neither (NULL).
"""

from __future__ import annotations

from itertools import combinations_with_replacement

from exp_assets.days import DayRange
from exp_assets.metrics import kind_of, value_name
from exp_assets.metrics.kind import ResultMetric
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.quoting import ident, literal
from exp_assets.sql.unit_rows import capped_unit_rows
from exp_assets.stats.regression import CONSTANT, DUMMY_SEPARATOR, OUTCOME

REGRESSION_ROLLUPS = [r for r in ROLLUPS if not r.by_days_since_exposure]
REGRESSION_MOMENTS_COLUMNS = ["as_of_date", "rollup", "metric", "variant", "term_a", "term_b", "value"]


def outcomes(plan: ExperimentPlan) -> list[ResultMetric]:
    """The result metrics CUPED++ adjusts: means of unit values (not ratios or
    quantiles) with a covariate."""
    if not plan.covariate_columns:
        return []
    return [r for r in plan.moment_metrics if r.cuped and r.denominator is None]


def covariates(plan: ExperimentPlan) -> dict[str, str]:
    """Each pre-exposure term (the unit_totals covariate column's name) -> its
    column in the capped unit rows (as unit_rows.unit_values names it)."""
    if not plan.covariate_columns:
        return {}
    return {plan.covariate_column(m.name): f"x_{m.name}" for m in plan.state_metrics if kind_of(m).cuped}


def regression_moments(plan: ExperimentPlan, window: DayRange, current_sql: str,
                       earlier_sql: dict[int, str | None], crossovers_sql: str | None,
                       window_rows: dict[tuple[str, ...], str] | None = None) -> str:
    """The sums of the window's days, in REGRESSION_MOMENTS_COLUMNS (inputs as for
    cells.full_cells)."""
    numeric = {CONSTANT: "1", **{term: f"w.{ident(column)}" for term, column in covariates(plan).items()}}
    ys = {(rollup.name, r.name): f"w.{ident(value_name(rollup.days, r.numerator))}"
          for rollup in REGRESSION_ROLLUPS for r in outcomes(plan) if r.in_rollup(rollup.name)}
    # each sum in the cells: (rollup, metric, term_a, term_b) -> (its SQL, its column)
    sums: dict[tuple, tuple[str, str]] = {}

    def add(key: tuple, expression: str) -> None:
        sums[key] = (f"SUM({expression})", f"s{len(sums)}")

    for a, b in combinations_with_replacement(numeric, 2):
        add(("", "", a, b), f"{numeric[a]} * {numeric[b]}")
    for (rollup, metric), y in ys.items():
        for a in numeric:
            add((rollup, metric, a, OUTCOME), f"{numeric[a]} * {y}")
        add((rollup, metric, OUTCOME, OUTCOME), f"{y} * {y}")
    linear = {key: column for key, (_, column) in sums.items() if key[2] == CONSTANT}  # the sums of single terms

    dimensions = plan.dimensions
    top_n = plan.experiment.dimension_top_n
    levels = [f"CASE WHEN r{i}.position = 1 THEN NULL WHEN r{i}.position <= {top_n} THEN r{i}.value "
              f"ELSE '(other)' END" for i in range(len(dimensions))]
    rank_joins = "".join(
        f" JOIN rank_{i} AS r{i} ON r{i}.as_of_date = w.as_of_date "
        f"AND r{i}.value = COALESCE(CAST(w.{ident(d)} AS VARCHAR), '(null)')"
        for i, d in enumerate(dimensions))
    cells = (
        f"SELECT w.as_of_date, w.variant{''.join(f', {e} AS dv_{i}' for i, e in enumerate(levels))}, "
        f"{', '.join(f'{e} AS {c}' for e, c in sums.values())} FROM capped AS w{rank_joins} "
        f"GROUP BY w.as_of_date, w.variant{''.join(', ' + e for e in levels)}")
    totals = f"SELECT as_of_date, variant, {', '.join(f'SUM({c}) AS {c}' for _, c in sums.values())} " \
             f"FROM cells GROUP BY as_of_date, variant"
    parts = [_unpivot("totals", [(*key, column) for key, (_, column) in sums.items()])]
    ctes = [f"cells AS ({cells})", f"totals AS ({totals})"]
    for i, d in enumerate(dimensions):  # a dummy times each single term
        dummy = f"{literal(d + DUMMY_SEPARATOR)} || dv_{i}"
        ctes.append(f"by_dim_{i} AS (SELECT as_of_date, variant, {dummy} AS dummy, "
                    f"{', '.join(f'SUM({c}) AS {c}' for c in linear.values())} FROM cells "
                    f"WHERE dv_{i} IS NOT NULL GROUP BY as_of_date, variant, dv_{i})")
        parts.append(_unpivot(f"by_dim_{i}", [(rollup, metric, CONSTANT, b, column)
                                               for (rollup, metric, _, b), column in linear.items()], "s.dummy"))
    units = linear["", "", CONSTANT, CONSTANT]
    for i, j in ((i, j) for i in range(len(dimensions)) for j in range(i + 1, len(dimensions))):
        parts.append(  # two dummies of different dimensions: the units with both values
            f"SELECT as_of_date, CAST(NULL AS VARCHAR) AS rollup, CAST(NULL AS VARCHAR) AS metric, variant, "
            f"{literal(dimensions[i] + DUMMY_SEPARATOR)} || dv_{i} AS term_a, "
            f"{literal(dimensions[j] + DUMMY_SEPARATOR)} || dv_{j} AS term_b, CAST(SUM({units}) AS DOUBLE) "
            f"AS value FROM cells WHERE dv_{i} IS NOT NULL AND dv_{j} IS NOT NULL "
            f"GROUP BY as_of_date, variant, dv_{i}, dv_{j}")
    return (f"{capped_unit_rows(plan, window, current_sql, earlier_sql, crossovers_sql, window_rows)}"
            f"{', '.join(ctes)} {' UNION ALL '.join(parts)}")


def _unpivot(relation: str, items: list[tuple[str, str, str, str, str]], term_a: str | None = None) -> str:
    """Long rows of `relation` s (as_of_date, variant, one column per sum): one per
    item (rollup, metric, term_a, term_b, column; '' rollup and metric for NULL).
    `term_a`, if given, is the SQL of every row's first term instead of the item's."""
    values = ", ".join(f"({k}, {literal(rollup)}, {literal(metric)}, {literal(a)}, {literal(b)})"
                       for k, (rollup, metric, a, b, _) in enumerate(items))
    value = " ".join(f"WHEN {k} THEN s.{column}" for k, (*_, column) in enumerate(items))
    return (
        f"SELECT s.as_of_date, NULLIF(t.rollup, '') AS rollup, NULLIF(t.metric, '') AS metric, s.variant, "
        f"{term_a or 't.term_a'} AS term_a, t.term_b, CAST(CASE t.k {value} END AS DOUBLE) AS value "
        f"FROM {relation} AS s CROSS JOIN (VALUES {values}) AS t(k, rollup, metric, term_a, term_b)"
    )
