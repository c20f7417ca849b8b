"""SQL of the unit rows the rollups read: one row per eligible unit and day
with its value over each span of every metric (`wide`), each value's
winsorization caps of the day, and the values capped at them. rollup_cells
adds these rows up per cell (sql/cells.py); quantile sketches and CUPED++'s
regression sums read them too."""

from __future__ import annotations

from exp_assets.days import DayRange
from exp_assets.metrics import RUNNING, Earlier, kind_of, value_name
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.sql.exposures import day_values
from exp_assets.quoting import date_literal, ident


def _winsorized(metric) -> list[tuple[str, float]]:
    w = kind_of(metric).winsorize(metric)
    return [(side, getattr(w, side)) for side in ("lower", "upper") if w and getattr(w, side) is not None]


def crossed_since(crossovers_sql: str) -> str:
    """unit_id and `since`, the day a unit is first seen in a second variant."""
    return f"SELECT unit_id, MIN(exposure_date) AS since FROM ({crossovers_sql}) AS c GROUP BY unit_id"


def unit_values(plan: ExperimentPlan, spans: list[int | None], earlier: Earlier) -> list[tuple[str, str]]:
    """(column, SQL) of a unit's values on a day, from its totals `t` of that day,
    `earlier`, its totals `days` before (or their change: kind.Earlier), and its re-aggregated
    windows (rw<i>, _window_joins): per metric its kind's value over each span
    (from its running state, its re-aggregated rows, or other metrics' values);
    with CUPED, each value's covariate (x_<metric>) where the kind has one."""
    values: dict[str, str] = {}
    covariates: dict[str, str] = {}
    keys = window_keys(plan)
    for m in plan.state_metrics:
        kind = kind_of(m)
        if kind.rollup_of(m) == RUNNING:
            values.update(kind.unit_values(m, spans, "t", earlier))
        elif plan.window_rows(m) in keys:
            alias = f"rw{keys.index(plan.window_rows(m))}"
            values.update(kind.window_values(m, spans, lambda days, m=m: f"{alias}.{ident(value_name(days, m.name))}"))
        if plan.covariate_columns and kind.cuped:
            covariate = f"COALESCE(t.{ident(plan.covariate_column(m.name))}, 0)"
            covariates["x_" + m.name] = kind.unit_value(m, covariate)
    for m in plan.derived_metrics:
        kind = kind_of(m)
        values.update(kind.derived_values(m, spans, lambda name, days: f"({values[value_name(days, name)]})"))
        if covariates and (covariate := kind.derived_covariate(m, lambda name: covariates.get("x_" + name))):
            covariates["x_" + m.name] = covariate
    return [*values.items(), *covariates.items()]


def selected(values: list[tuple[str, str]]) -> str:
    return ", ".join(f"{value} AS {ident(name)}" for name, value in values)


def window_keys(plan: ExperimentPlan) -> list[tuple[str, ...]]:
    """The unit-day tables re-aggregated metrics read (plan.window_rows), in order."""
    return list(dict.fromkeys(plan.window_rows(m) for m in plan.window_metrics))


def windows(plan: ExperimentPlan, days: DayRange, spans: list[int | None], rows: dict[tuple[str, ...], str],
             name: str, units: str | None = None) -> str:
    """CTEs <name>_<i>, one per unit-day table re-aggregated metrics read (`rows`:
    its relation over the days up to `days`' end): per day of `days` and unit
    with rows up to it (only the units of the CTE `units`, if given), each such
    metric's value over each span, aggregated again from the rows of the span's days."""
    ctes = []
    for i, key in enumerate(window_keys(plan)):
        columns = [
            f"{kind_of(m).window_aggregate(m, _within(days_back))} AS {ident(value_name(days_back, m.name))}"
            for m in plan.window_metrics if plan.window_rows(m) == key for days_back in spans
        ]
        relation = rows[key] if units is None else of_units(rows[key], units)
        ctes.append(
            f"{name}_{i} AS (SELECT day.as_of_date, r.unit_id, {', '.join(columns)} "
            f"FROM ({day_values(days.days, 'as_of_date')}) AS day JOIN ({relation}) AS r "
            f"ON r.event_date <= day.as_of_date GROUP BY day.as_of_date, r.unit_id), "
        )
    return "".join(ctes)


def of_units(relation: str, units: str) -> str:
    """The rows of `relation` whose unit is in `units` (a CTE name, or a subquery with its alias)."""
    return f"SELECT * FROM ({relation}) AS rows_of WHERE rows_of.unit_id IN (SELECT unit_id FROM {units})"


def span_sums(plan: ExperimentPlan, window: DayRange, days: int, day_rows_sql: str) -> str:
    """Per day D of `window` and unit with day rows in the `days` days ending on D,
    the sums of each running state over those rows: the state's change over the
    span, which wide_rows joins for a summed span (every running state a SUM).
    `day_rows_sql`: unit_id, event_date and each running state column."""
    sums = ", ".join(f"SUM(r.{ident(c.name)}) AS {ident(c.name)}" for c in plan.running_columns)
    return (f"SELECT day.as_of_date, r.unit_id, {sums} FROM ({day_values(window.days, 'as_of_date')}) AS day "
            f"JOIN ({day_rows_sql}) AS r ON r.event_date <= day.as_of_date AND {_within(days)} "
            f"GROUP BY day.as_of_date, r.unit_id")


def _within(days: int | None) -> str:
    """A unit-day row (alias r) falls in the span of `days` ending on day day.as_of_date
    (not `d`: the alias inside day_values, which sqlglot's BigQuery rewrite of VALUES confuses)."""
    return "TRUE" if days is None else f"r.event_date > day.as_of_date - INTERVAL {days} DAY"


def window_joins(plan: ExperimentPlan, name: str, units: str) -> str:
    """LEFT JOINs of the <name>_<i> windows to the unit rows `units` (unit_id, as_of_date)."""
    return "".join(
        f" LEFT JOIN {name}_{i} AS rw{i} ON rw{i}.unit_id = {units}.unit_id AND rw{i}.as_of_date = {units}.as_of_date"
        for i in range(len(window_keys(plan)))
    )


def capped_columns(plan: ExperimentPlan, spans: list[int | None]) -> dict[str, list[tuple[str, float]]]:
    """Each event metric's value column (per span) and covariate -> its winsorization sides and levels."""
    out = {value_name(days, m.name): _winsorized(m) for m in plan.event_metrics for days in spans}
    if plan.covariate_columns:
        out.update({f"x_{m.name}": _winsorized(m) for m in plan.event_metrics})
    return out


SPANS = list(dict.fromkeys(r.days for r in ROLLUPS))  # None (since exposure), then each window length


def unit_rows(plan: ExperimentPlan, window: DayRange, current_sql: str, earlier_sql: dict[int, str | None],
              crossovers_sql: str | None, window_rows: dict[tuple[str, ...], str] | None = None,
              summed: frozenset[int] = frozenset()) -> str:
    """`WITH` and the CTEs ending in `wide`: one row per eligible unit and day of
    the window with its value over each span of every metric (rollup_statistics
    says how; quantile sketches read the same rows)."""
    crossed = f"crossed AS ({crossed_since(crossovers_sql)}), " if crossovers_sql is not None else ""
    return (
        f"WITH {crossed}"
        f"{windows(plan, window, SPANS, window_rows or {}, 'windows')}"
        f"wide AS ({wide_rows(plan, window, SPANS, current_sql, earlier_sql, crossovers_sql is not None, summed=summed)})"
    )


def capped_unit_rows(plan: ExperimentPlan, window: DayRange, current_sql: str, earlier_sql: dict[int, str | None],
                     crossovers_sql: str | None, window_rows: dict[tuple[str, ...], str] | None = None) -> str:
    """`WITH` and the CTEs (each followed by ", ") that rollup_statistics and the
    regression sums both read: unit_rows' `wide`, caps and capped (its values
    winsorized at each day's pooled percentiles) and rank_<i> (each dimension's
    values per day, by units, most first)."""
    columns = capped_columns(plan, SPANS)
    _, capped = winsorization(plan, SPANS, columns)
    return (
        f"{unit_rows(plan, window, current_sql, earlier_sql, crossovers_sql, window_rows)}, "
        f"caps AS ({day_caps(plan, columns)}), "
        f"capped AS (SELECT {', '.join(capped)} FROM wide AS w JOIN caps AS k ON k.as_of_date = w.as_of_date), "
        f"{dimension_ranks(plan)}"
    )


def wide_rows(plan: ExperimentPlan, window: DayRange, spans: list[int | None], current_sql: str,
              earlier_sql: dict[int, str | None], crossed: bool, values: set[str] | None = None,
              windows_name: str | None = "windows", summed: frozenset[int] = frozenset()) -> str:
    """One row per unit and day of the window that is eligible (exposed, not
    crossed over by then: the `crossed` CTE, if any), with a value column per
    span and state metric's value (and CUPED covariate): all of them, or only
    `values`; re-aggregated values from the CTEs `windows_name`_<i> (None: the
    values need none). `earlier_sql[days]` holds each unit's totals `days`
    before each day, or for the spans in `summed` the sums of its day rows over
    the span ending on the day (span_sums)."""
    where = f"t.as_of_date >= {date_literal(window.start)} AND t.as_of_date < {date_literal(window.end)}"
    joins = ""
    if crossed:
        joins += " LEFT JOIN crossed AS x ON x.unit_id = t.unit_id"
        where += " AND (x.since IS NULL OR x.since > t.as_of_date)"
    for days in spans[1:]:
        earlier = earlier_sql.get(days) or f"SELECT * FROM ({current_sql}) AS none WHERE FALSE"
        back = "" if days in summed else f" - INTERVAL {days} DAY"  # sums are keyed by the day they end on
        joins += (f" LEFT JOIN ({earlier}) AS p{days} ON p{days}.unit_id = t.unit_id "
                  f"AND p{days}.as_of_date = t.as_of_date{back}")
    if windows_name is not None:
        joins += window_joins(plan, windows_name, "t")
    chosen = [(name, sql) for name, sql in unit_values(plan, spans, Earlier(lambda days: f"p{days}", summed))
              if values is None or name in values]
    wide = ["t.as_of_date", "t.unit_id", "t.variant", "t.first_exposure_date",
            "DATE_DIFF('day', t.first_exposure_date, t.as_of_date) AS days_since_exposure",
            *(f"t.{ident(d)}" for d in plan.dimensions), selected(chosen)]
    return f"SELECT {', '.join(wide)} FROM ({current_sql}) AS t{joins} WHERE {where}"


def capped_value(name: str, value: str, sides: list[tuple[str, float]], caps: str = "k",
                 cap_column=None) -> str:
    """The SQL of `value`, the value column `name`, winsorized at its caps: the
    columns <name>_<side> of the alias `caps`, or `cap_column(side)` of it."""
    for side, _ in sides:
        cap = cap_column(side) if cap_column else ident(f"{name}_{side}")
        value = f"{'GREATEST' if side == 'lower' else 'LEAST'}({value}, {caps}.{cap})"
    return value


def winsorization(plan: ExperimentPlan, spans: list[int | None],
                  capped: dict[str, list[tuple[str, float]]]) -> tuple[list[str], list[str]]:
    """SELECT items of `caps` (each capped value's pooled percentiles per day,
    over `wide` w) and of `capped` (wide's columns, capped at them, k)."""
    caps, values = [], ["w.as_of_date", "w.variant", "w.days_since_exposure", *(f"w.{ident(d)}" for d in plan.dimensions)]
    for name, _ in unit_values(plan, spans, Earlier(lambda days: f"p{days}")):
        column = ident(name)
        caps += [f"QUANTILE_CONT(w.{column}, {level}) AS {ident(f'{name}_{side}')}" for side, level in capped.get(name, [])]
        values.append(f"{capped_value(name, f'w.{column}', capped.get(name, []))} AS {column}")
    return caps, values


def day_caps(plan: ExperimentPlan, capped: dict[str, list[tuple[str, float]]], rows: str = "wide") -> str:
    """A SELECT of each day's caps (as_of_date, each capped value's pooled
    percentiles) over the unit rows of the CTE `rows` (wide's columns)."""
    caps, _ = winsorization(plan, SPANS, capped)
    return f"SELECT w.as_of_date{''.join(', ' + c for c in caps)} FROM {rows} AS w GROUP BY w.as_of_date"


def dimension_value(dimension: str, alias: str = "w") -> str:
    """A unit row's value of an exposure dimension as text ('(null)' for NULL): what slices are named by."""
    return f"COALESCE(CAST({alias}.{ident(dimension)} AS VARCHAR), '(null)')"


def dimension_ranks(plan: ExperimentPlan) -> str:
    """CTEs rank_<i>: each dimension's values per day, by units of `capped` (most first)."""
    return "".join(
        f"rank_{i} AS (SELECT w.as_of_date, {dimension_value(d)} AS value, ROW_NUMBER() OVER (PARTITION BY "
        f"w.as_of_date ORDER BY COUNT(*) DESC, {dimension_value(d)}) AS position FROM capped AS w "
        f"GROUP BY w.as_of_date, {dimension_value(d)}), "
        for i, d in enumerate(plan.dimensions)
    )
