"""SQL of the results side: the group-level sufficient statistics (n, sums,
squares, cross products) of every rollup, from the cells' sums (sql/cells.py),
which the statistics package reads; and the few unit rows they cannot come
from (what crossing units retract, metric dimensions)."""

from __future__ import annotations

import datetime as dt
import math

from exp_assets.days import DayRange
from exp_assets.metrics import Earlier, kind_of
from exp_assets.plan import ROLLUPS, ExperimentPlan, Rollup
from exp_assets.sql.cells import VARIABLE, CellSums, result_variables
from exp_assets.sql.exposures import day_values
from exp_assets.sql.unit_rows import (
    capped_value, crossed_since, of_units, selected, unit_values, window_joins, window_keys, windows,
)
from exp_assets.quoting import date_literal, ident, literal
from exp_assets.stats.contract import DENOMINATOR_UNITS, MOMENT_SUMS, PRODUCT_COLUMNS, RESULT_COLUMNS, VARIABLES


def cap_column(variable: str, side: str) -> str:
    """The contract's column of a variable's winsorization cap (the main's: cap_lower, cap_upper)."""
    return f"{'' if variable == 'main' else variable + '_'}cap_{side}"


CAP_COLUMNS = [cap_column(v.name, side) for v in VARIABLES for side in ("lower", "upper")]


def rollup_statistics(
    plan: ExperimentPlan, window: DayRange, cells_sql: str, crossovers_sql: str | None,
    history_sql: str | None = None, earlier_caps_sql: str | None = None,
    window_rows: dict[tuple[str, ...], str] | None = None, history_start=None,
) -> str:
    """Every rollup's group sums of the window's days, from rollup_cells
    (`cells_sql`, sql/cells.py): per as_of_date, rollup, metric, slice and
    variant, n and the sums, squares and cross products of the unit-level
    variables (main y, denominator d, CUPED covariates x and xd), winsorized
    at the day's pooled percentiles, and each variable's caps.

    Rollups without days since exposure come per dimension slice (overall, and
    each dimension's top-N values by units with the rest merged into
    '(other)'); the days-since-exposure rollup comes per k, as day D's
    contribution (each unit's value on D, k = D - its first exposure day).
    `crossovers_sql` (unit_id, exposure_date) drops a unit from the day its
    second variant is seen (the cells hold only eligible units); in the
    days-since-exposure rollup that day also retracts what the unit
    contributed before (see _retractions: `history_sql`, `earlier_caps_sql`;
    re-aggregated metrics read their unit-day rows from `window_rows`,
    plan.window_rows -> the relation of its rows up to the window's end;
    `history_start`: the first day of `history_sql`).

    The CTEs, in order: stored (the cells), caps, rank_<i>, cells, slices and
    by_days_since_exposure (_Cells), metric_caps (_metric_caps), retractions
    (_retractions) and moments (_moment_rows)."""
    by_k = next(r for r in ROLLUPS if r.by_days_since_exposure)
    cells = _Cells(plan)
    long, by_k_long = _moment_rows(plan, cells)
    crossed = f"crossed AS ({crossed_since(crossovers_sql)}), " if crossovers_sql is not None else ""
    retractions = ""
    if crossed and history_sql is not None:
        # the units crossing in the window: only their earlier days are read again
        retractions = f"retracting AS ({_crossing_in(window, 'crossed')}), "
        if window_keys(plan):  # re-aggregated values of the days the crossed units retract
            retractions += windows(plan, DayRange(history_start, window.end), [by_k.days], window_rows or {},
                                   "history_windows", units="retracting")
        retractions += _retractions(plan, window, by_k, history_sql, earlier_caps_sql, cells.sums.capped)
        by_k_long = [_merged(by_k_long + ["SELECT * FROM retractions"])]
    caps = "".join(f", MAX({ident(c)}) AS {ident(c)}" for c in cells.sums.caps)
    return (
        f"WITH {crossed}stored AS ({cells_sql}), "
        f"caps AS (SELECT as_of_date{caps} FROM stored GROUP BY as_of_date), "
        f"{cells.ranks()}"
        f"cells AS ({cells.cells()}), "
        f"slices AS ({cells.slices()}), "
        f"by_days_since_exposure AS ({cells.by_days_since_exposure(by_k)}), "
        f"metric_caps AS ({_metric_caps(plan, cells.sums.capped)}), "
        f"{retractions}"
        f"moments AS ({' UNION ALL '.join(long + by_k_long)}) "
        f"SELECT mo.*, {', '.join('mc.' + c for c in CAP_COLUMNS)} FROM moments AS mo JOIN metric_caps AS mc "
        f"ON mc.as_of_date = mo.as_of_date AND mc.rollup = mo.rollup AND mc.metric = mo.metric"
    )


class _Cells:
    """The group-level rows of the rollups, from rollup_cells (`stored`): per
    day, variant and merged cell (each dimension's top-N value by units, the
    rest merged into "(other)"), or per day, variant and days since exposure,
    n and every term's sum (winsorized where capped); slices
    (overall, per dimension), rollups and metrics unfold from these."""

    def __init__(self, plan: ExperimentPlan):
        self.plan = plan
        self.sums = CellSums(plan)

    def ranks(self) -> str:
        """CTEs rank_<i>: each dimension's values per day, by units (most first)."""
        return "".join(
            f"rank_{i} AS (SELECT as_of_date, dv_{i} AS value, ROW_NUMBER() OVER (PARTITION BY "
            f"as_of_date ORDER BY SUM(n) DESC, dv_{i}) AS position FROM stored GROUP BY as_of_date, dv_{i}), "
            for i in range(len(self.plan.dimensions))
        )

    @staticmethod
    def _summed(columns) -> str:
        return ", ".join(f"SUM(w.{c}) AS {c}" for c in columns)

    def cells(self) -> str:
        top_n = self.plan.experiment.dimension_top_n
        dimensions = range(len(self.plan.dimensions))
        merged = [f"CASE WHEN r{i}.position <= {top_n} THEN r{i}.value ELSE '(other)' END" for i in dimensions]
        rank_joins = "".join(f" JOIN rank_{i} AS r{i} ON r{i}.as_of_date = w.as_of_date AND r{i}.value = w.dv_{i}"
                             for i in dimensions)
        return (
            f"SELECT w.as_of_date, w.variant{''.join(f', {e} AS dv_{i}' for i, e in enumerate(merged))}, "
            f"SUM(w.n) AS n, {self._summed(self.sums.terms.values())} FROM stored AS w{rank_joins} "
            f"GROUP BY w.as_of_date, w.variant{''.join(', ' + e for e in merged)}"
        )

    def slices(self) -> str:
        """The cells added up overall and per dimension value."""
        resum = ", ".join(f"SUM({c}) AS {c}" for c in self.sums.terms.values())
        return " UNION ALL ".join(
            [f"SELECT as_of_date, 'overall' AS dimension, 'all' AS dimension_value, variant, "
             f"CAST(SUM(n) AS BIGINT) AS n, {resum} FROM cells GROUP BY as_of_date, variant"] + [
                f"SELECT as_of_date, {literal(d)} AS dimension, dv_{i} AS dimension_value, variant, "
                f"CAST(SUM(n) AS BIGINT) AS n, {resum} FROM cells GROUP BY as_of_date, dv_{i}, variant"
                for i, d in enumerate(self.plan.dimensions)
            ]
        )

    def by_days_since_exposure(self, by_k: Rollup) -> str:
        """The sums of `by_k`'s span per day, k and variant."""
        used = {c for (days, _), moments in self.sums.moments_of.items() if days == by_k.days
                for c in moments.values()}
        k = "DATE_DIFF('day', w.first_exposure_date, w.as_of_date)"
        return (
            f"SELECT w.as_of_date, {k} AS days_since_exposure, w.variant, SUM(w.n) AS n, "
            f"{self._summed(c for c in self.sums.terms.values() if c in used)} "
            f"FROM stored AS w GROUP BY w.as_of_date, {k}, w.variant"
        )

    def moment_columns(self, days: int | None, metric: str) -> str:
        """SELECT items of the contract's moment columns of a metric over a span."""
        own = self.sums.moments_of[days, metric]
        sums = [f"{own[c]} AS {c}" if c in own else f"CAST(NULL AS DOUBLE) AS {c}" for c in MOMENT_SUMS]
        return ", ".join([*sums, f"CAST({own.get(DENOMINATOR_UNITS, 'NULL')} AS BIGINT) AS {DENOMINATOR_UNITS}"])


def _moment_rows(plan: ExperimentPlan, cells: _Cells) -> tuple[list[str], list[str]]:
    """SELECTs of the moments' rows, per rollup and result metric: from `slices`
    (rollups without days since exposure) and from `by_days_since_exposure`."""
    long, by_k_long = [], []
    for rollup in ROLLUPS:
        for r in (r for r in plan.moment_metrics if r.in_rollup(rollup.name)):
            head = f"SELECT as_of_date, {literal(rollup.name)} AS rollup, {literal(r.name)} AS metric, "
            if rollup.by_days_since_exposure:
                by_k_long.append(f"{head}CAST(NULL AS VARCHAR) AS dimension, CAST(NULL AS VARCHAR) AS dimension_value, "
                                 f"days_since_exposure, variant, CAST(n AS BIGINT) AS n, "
                                 f"{cells.moment_columns(rollup.days, r.name)} FROM by_days_since_exposure")
            else:
                long.append(f"{head}dimension, dimension_value, CAST(NULL AS BIGINT) AS days_since_exposure, variant, n, "
                            f"{cells.moment_columns(rollup.days, r.name)} FROM slices")
    return long, by_k_long


def _metric_caps(plan: ExperimentPlan, capped_columns: dict[str, list[tuple[str, float]]]) -> str:
    """Per day, rollup and result metric, each variable's caps (from `caps` k)."""

    def cap(rollup: Rollup, variable: str, side: str) -> str:
        whens = []
        for r in plan.moment_metrics:
            name = result_variables(plan, rollup.days, r).get(variable)
            if any(s == side for s, _ in capped_columns.get(name, [])):
                whens.append(f"WHEN {literal(r.name)} THEN k.{ident(name + '_' + side)}")
        return (f"CASE m.metric {' '.join(whens)} END" if whens else "CAST(NULL AS DOUBLE)") + \
            f" AS {cap_column(variable, side)}"

    metric_names = ", ".join(f"({literal(r.name)})" for r in plan.moment_metrics)
    return " UNION ALL ".join(
        f"SELECT k.as_of_date, {literal(rollup.name)} AS rollup, m.metric, "
        f"{', '.join(cap(rollup, v, side) for v in VARIABLE for side in ('lower', 'upper'))} "
        f"FROM caps AS k CROSS JOIN (VALUES {metric_names}) AS m(metric)"
        for rollup in ROLLUPS
    )


# quoted: ROLLUP is a keyword after GROUP BY
_GROUP_KEYS = ", ".join(ident(c) for c in ("as_of_date", "rollup", "metric", "dimension", "dimension_value",
                                             "days_since_exposure", "variant"))


def _merged(parts: list[str]) -> str:
    """Rows in the moments shape (before the caps), added up per group."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in MOMENT_SUMS)
    return (f"SELECT {_GROUP_KEYS}, CAST(SUM(n) AS BIGINT) AS n, {sums}, "
            f"CAST(SUM({DENOMINATOR_UNITS}) AS BIGINT) AS {DENOMINATOR_UNITS} "
            f"FROM ({' UNION ALL '.join(parts)}) AS part GROUP BY {_GROUP_KEYS}")


def _retractions(plan: ExperimentPlan, window: DayRange, by_k: Rollup, history_sql: str,
                 earlier_caps_sql: str | None, capped_columns: dict[str, list[tuple[str, float]]]) -> str:
    """CTEs ending in `retractions`: for each unit first seen in a second variant
    on a day C of the window (`crossed`) after its first exposure day, its
    days-since-exposure contributions of every earlier day d, negated, as rows
    of day C and k = d - first exposure day. So the sum of the contributions up
    to D (summed_moments) holds only units not crossed by D, exactly: each value
    is capped as it was when added, at the caps of day d (`metric_caps` for days
    of the window, the stored caps of rollup_moments, `earlier_caps_sql`, before).

    `history_sql` is unit_totals (as `current_sql`) of the days from the earliest
    first exposure of those units to the window's last day: the cost is a scan
    of that range of unit totals, of which only the few crossed units' rows
    (`retracting`) are kept and joined (no crossed unit: the caller passes none
    and nothing is read)."""
    values = selected(unit_values(plan, [by_k.days], Earlier(lambda days: "p")))
    wide = (
        f"SELECT c.since AS as_of_date, t.as_of_date AS contributed, t.variant, "
        f"DATE_DIFF('day', t.first_exposure_date, t.as_of_date) AS days_since_exposure, {values} "
        f"FROM history AS t JOIN crossed AS c ON c.unit_id = t.unit_id AND c.since > t.as_of_date "
        f"LEFT JOIN history AS p ON p.unit_id = t.unit_id AND p.as_of_date = t.as_of_date - INTERVAL {by_k.days} DAY"
        f"{window_joins(plan, 'history_windows', 't')} "
        f"WHERE c.since >= {date_literal(window.start)} AND c.since < {date_literal(window.end)}"
    )
    day_caps = f"SELECT as_of_date, metric, {', '.join(CAP_COLUMNS)} FROM metric_caps WHERE rollup = {literal(by_k.name)}"
    if earlier_caps_sql is not None:
        day_caps += (f" UNION ALL SELECT as_of_date, metric, {', '.join(CAP_COLUMNS)} "
                     f"FROM ({days_since_exposure_caps(earlier_caps_sql)}) AS e")

    def variable(r, name: str) -> str:
        column = result_variables(plan, by_k.days, r).get(name)
        if column is None:
            return f"CAST(NULL AS DOUBLE) AS {name}"
        value = capped_value(column, f"w.{ident(column)}", capped_columns.get(column, []), "k",
                             lambda side: cap_column(name, side))  # at the variable's caps of that day
        return f"{value} AS {name}"

    retracted = " UNION ALL ".join(
        f"SELECT w.as_of_date, {literal(r.name)} AS metric, w.days_since_exposure, w.variant, "
        f"{', '.join(variable(r, name) for name in VARIABLE)} FROM retract_wide AS w "
        f"JOIN day_caps AS k ON k.as_of_date = w.contributed AND k.metric = {literal(r.name)}"
        for r in plan.moment_metrics if r.in_rollup(by_k.name)
    )
    terms = {v.sum: v.name for v in VARIABLES} | {v.squares: f"{v.name} * {v.name}" for v in VARIABLES}
    terms |= {column: f"{a} * {b}" for (a, b), column in PRODUCT_COLUMNS.items()}
    negated = ", ".join(f"-SUM({terms[c]}) AS {c}" for c in MOMENT_SUMS)
    return (
        f"history AS ({of_units(history_sql, 'retracting')}), "
        f"retract_wide AS ({wide}), "
        f"day_caps AS ({day_caps}), "
        f"retracted AS ({retracted}), "
        f"retractions AS (SELECT as_of_date, {literal(by_k.name)} AS rollup, metric, CAST(NULL AS VARCHAR) AS dimension, "
        f"CAST(NULL AS VARCHAR) AS dimension_value, days_since_exposure, variant, -COUNT(*) AS n, {negated}, "
        f"-SUM(CASE WHEN denominator <> 0 THEN 1 WHEN denominator = 0 THEN 0 END) AS {DENOMINATOR_UNITS} "
        f"FROM retracted GROUP BY as_of_date, metric, days_since_exposure, variant), "
    )


def days_since_exposure_caps(moments_sql: str) -> str:
    """Per day and metric, the days-since-exposure rollup's caps in `moments_sql`
    (rollup_moments rows; the caps repeat on each k and variant)."""
    by_k = next(r for r in ROLLUPS if r.by_days_since_exposure)
    caps = ", ".join(f"MAX(s.{c}) AS {c}" for c in CAP_COLUMNS)
    return (f"SELECT s.as_of_date, s.rollup, s.metric, {caps} FROM ({moments_sql}) AS s "
            f"WHERE s.rollup = {literal(by_k.name)} GROUP BY s.as_of_date, s.rollup, s.metric")


def caps_rows(caps: list[tuple[dt.date, str, str, list[float | None]]]) -> str:
    """A relation of `caps` (as_of_date, rollup, metric and CAP_COLUMNS' values, as
    days_since_exposure_caps returns them) as literals: each double exactly, through
    its shortest round-trip text."""
    def double(value: float | None) -> str:
        missing = value is None or math.isnan(value)
        return "CAST(NULL AS DOUBLE)" if missing else f"CAST({literal(repr(float(value)))} AS DOUBLE)"

    rows = [f"SELECT {date_literal(day)} AS as_of_date, {literal(rollup)} AS rollup, {literal(metric)} AS metric, "
            + ", ".join(f"{double(v)} AS {c}" for c, v in zip(CAP_COLUMNS, values))
            for day, rollup, metric, values in caps]
    if not rows:  # typed, no rows
        return (f"SELECT CAST(NULL AS DATE) AS as_of_date, CAST(NULL AS VARCHAR) AS rollup, CAST(NULL AS VARCHAR) "
                f"AS metric, " + ", ".join(f"CAST(NULL AS DOUBLE) AS {c}" for c in CAP_COLUMNS) + " WHERE FALSE")
    return " UNION ALL ".join(rows)


def _crossing_in(window: DayRange, crossed: str) -> str:
    """unit_id of the units of `crossed` (as _crossed returns) first seen in a second variant on a day of `window`."""
    return (f"SELECT unit_id FROM {crossed} WHERE since >= {date_literal(window.start)} "
            f"AND since < {date_literal(window.end)}")


def crossing_units(window: DayRange, crossovers_sql: str) -> str:
    """unit_id of the units whose days-since-exposure contributions `window` retracts (see _retractions)."""
    return _crossing_in(window, f"({crossed_since(crossovers_sql)}) AS c")


def earliest_retracted_day(window: DayRange, crossovers_sql: str, units_sql: str) -> str:
    """The earliest first-exposure day (column `day`, NULL if none) of the units
    whose days-since-exposure contributions a window retracts: those first seen
    in a second variant on a day of `window` after their first exposure day."""
    return (
        f"SELECT MIN(u.first_exposure_date) AS day FROM ({crossed_since(crossovers_sql)}) AS c "
        f"JOIN ({units_sql}) AS u ON u.unit_id = c.unit_id AND u.first_exposure_date < c.since "
        f"WHERE c.since >= {date_literal(window.start)} AND c.since < {date_literal(window.end)}"
    )


def sliced_statistics(
    plan: ExperimentPlan, window: DayRange, rollup: Rollup, current_sql: str, sliced: dict[tuple[str, str], str],
    crossovers_sql: str | None,
) -> str:
    """Metric-dimension rows of `rollup`, in the column order of `rollup_statistics`: per
    day, metric broken down by a source column, value and variant, n = every
    eligible unit (a unit without events of that value counts 0) and the sum and
    sum of squares of units' values over events with that value. `sliced` maps
    (source, column) to its unit x day x value rows up to the window's end. Per
    day the top `dimension_top_n` values by units with events keep their name,
    the rest are merged into '(other)'. No CUPED and no winsorization here."""
    in_window = f"t.as_of_date >= {date_literal(window.start)} AND t.as_of_date < {date_literal(window.end)}"
    joins, where = "", in_window
    if crossovers_sql is not None:
        joins = f" LEFT JOIN ({crossed_since(crossovers_sql)}) AS x ON x.unit_id = t.unit_id"
        where += " AND (x.since IS NULL OR x.since > t.as_of_date)"
    in_rollup = "s.event_date <= e.as_of_date" + (
        f" AND s.event_date > e.as_of_date - INTERVAL {rollup.days} DAY" if rollup.days is not None else ""
    )
    top_n = plan.experiment.dimension_top_n
    ctes, longs = [], []
    for i, ((source, column), relation) in enumerate(sliced.items()):
        metrics = plan.metrics_by(source, column)
        sums = ", ".join(f"SUM(s.{ident(m.name)}) AS {ident(m.name)}" for m in metrics)
        ctes.append(
            f"slice_{i} AS (SELECT e.as_of_date, e.variant, e.unit_id, s.dimension_value, {sums} FROM eligible AS e "
            f"JOIN ({relation}) AS s ON s.unit_id = e.unit_id AND {in_rollup} "
            f"GROUP BY e.as_of_date, e.variant, e.unit_id, s.dimension_value)"
        )
        ctes.append(
            f"rank_{i} AS (SELECT as_of_date, dimension_value, ROW_NUMBER() OVER (PARTITION BY as_of_date "
            f"ORDER BY COUNT(DISTINCT unit_id) DESC, dimension_value) AS position FROM slice_{i} "
            f"GROUP BY as_of_date, dimension_value)"
        )
        merged = ", ".join(f"SUM(s.{ident(m.name)}) AS {ident(m.name)}" for m in metrics)
        ctes.append(
            f"merged_{i} AS (SELECT s.as_of_date, s.variant, s.unit_id, CASE WHEN r.position <= {top_n} "
            f"THEN s.dimension_value ELSE '(other)' END AS dimension_value, {merged} FROM slice_{i} AS s "
            f"JOIN rank_{i} AS r ON r.as_of_date = s.as_of_date AND r.dimension_value = s.dimension_value "
            f"GROUP BY s.as_of_date, s.variant, s.unit_id, 4)"
        )
        longs += [
            f"SELECT as_of_date, variant, {literal(m.name)} AS metric, {literal(column)} AS dimension, "
            f"dimension_value, {kind_of(m).unit_value(m, ident(m.name))} AS y FROM merged_{i}"
            for m in metrics
        ]
    main = VARIABLE["main"]
    nulls = ", ".join(f"CAST(NULL AS DOUBLE) AS {c}" for c in MOMENT_SUMS if c not in (main.sum, main.squares))
    return (
        f"WITH eligible AS (SELECT t.as_of_date, t.unit_id, t.variant FROM ({current_sql}) AS t{joins} WHERE {where}), "
        f"counts AS (SELECT as_of_date, variant, COUNT(*) AS n FROM eligible GROUP BY as_of_date, variant), "
        f"{', '.join(ctes)}, "
        f"long AS ({' UNION ALL '.join(longs)}), "
        f"slices AS (SELECT DISTINCT as_of_date, metric, dimension, dimension_value FROM long) "
        f"SELECT v.as_of_date, {literal(rollup.name)} AS rollup, v.metric, v.dimension, v.dimension_value, "
        f"CAST(NULL AS BIGINT) AS days_since_exposure, c.variant, c.n, "
        f"COALESCE(SUM(l.y), 0) AS {main.sum}, COALESCE(SUM(l.y * l.y), 0) AS {main.squares}, {nulls}, "
        f"CAST(NULL AS BIGINT) AS {DENOMINATOR_UNITS}, "
        f"{', '.join(f'CAST(NULL AS DOUBLE) AS {c}' for c in CAP_COLUMNS)} "
        f"FROM slices AS v JOIN counts AS c ON c.as_of_date = v.as_of_date "
        f"LEFT JOIN long AS l ON l.as_of_date = v.as_of_date AND l.metric = v.metric AND l.dimension = v.dimension "
        f"AND l.dimension_value = v.dimension_value AND l.variant = c.variant "
        f"GROUP BY v.as_of_date, v.metric, v.dimension, v.dimension_value, c.variant, c.n"
    )


def summed_moments(window: DayRange, moments: str) -> str:
    """days_since_exposure results for each day of `window`: the group-level
    moments of every contribution day up to it (from `moments`), summed per k."""
    sums = ", ".join(f"SUM(m.{c}) AS {c}" for c in ["n", *MOMENT_SUMS, DENOMINATOR_UNITS])
    return (
        f"SELECT d.as_of_date, m.days_since_exposure, m.metric, m.variant, {sums} "
        f"FROM ({day_values(window.days, 'as_of_date')}) AS d JOIN ({moments}) AS m ON m.as_of_date <= d.as_of_date "
        f"GROUP BY d.as_of_date, m.days_since_exposure, m.metric, m.variant"
    )


# rollup_moments: what rollup_statistics and sliced_statistics return, one row per
# day, rollup, metric, slice (a dimension value, or days since exposure) and variant.
ROLLUP_MOMENTS_COLUMNS = ["as_of_date", "rollup", "metric", "dimension", "dimension_value", "days_since_exposure",
                          "variant", "n", *MOMENT_SUMS, DENOMINATOR_UNITS, *CAP_COLUMNS]


def typed_results(frame_name: str = "_frame", types: dict[str, str] = RESULT_COLUMNS) -> str:
    """Select the results frame (or another: `types`, column -> SQL type) with the contract's column types."""
    columns = ", ".join(f"CAST({ident(c)} AS {t}) AS {ident(c)}" for c, t in types.items())
    return f"SELECT {columns} FROM {frame_name}"
