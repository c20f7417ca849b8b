"""SQL of rollup_cells: per day, the group sums of every rollup's moments per
cell, a variant x each exposure dimension's value x first-exposure day, both
as they are (s<i>) and winsorized at the day's caps (c<i>, for the sums of
capped values), with the caps.

A cell is small enough to publish any rollup from: slices add cells up over
the other dimensions and the days of exposure, days since exposure adds them
up per exposure day (k = D - that day). And the uncapped sums are additive
over units, so day D's follow exactly from day D-1's and the units whose rows
differ between the two days (`delta_cells`), instead of from every unit
(`full_cells`):

- a unit's rows on D and D-1 differ only if it had events on D (every span
  grows), on D-1 (its daily value falls back) or D-7 (they leave its 7-day
  window), was first exposed on D (a row of D only) or crossed over on D (a
  row of D-1 only): the `touched` units. Kinds whose values change with the
  day alone (participation, retention) have no such set; their plans build
  every day in full.
- the winsorized sums follow from the uncapped ones: sum(min(y, c)) = sum(y)
  + the sum over the units whose capped value differs of (min(y, c) - y), and
  likewise for squares and products. The caps are pooled percentiles of the
  day's eligible units, so they read the capped values of every unit (one
  narrow pass, `narrow`); the correction reads only the units beyond them.
"""

from __future__ import annotations

import datetime as dt

from exp_assets.days import ONE_DAY, DayRange
from exp_assets.metrics import value_name
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.quoting import date_literal, ident
from exp_assets.sql.unit_rows import (
    SPANS, capped_columns, capped_value, crossed_since, dimension_value, of_units, unit_rows, wide_rows,
    windows, winsorization,
)
from exp_assets.stats.contract import DENOMINATOR_UNITS, PRODUCT_COLUMNS, VARIABLES

VARIABLE = {v.name: v for v in VARIABLES}

# A term of the moments, a sum over units of: ("value", a) a; ("product", a, b)
# a * b (a square where a == b); ("nonzero", a) 1 where a <> 0 (a ratio's units).
Term = tuple[str, ...]


def result_variables(plan: ExperimentPlan, days: int | None, r) -> dict[str, str]:
    """A result metric's variables over a span: variable (main, denominator,
    covariate, covariate_denominator) -> its value column."""
    found = {"main": value_name(days, r.numerator)}
    if r.denominator:
        found["denominator"] = value_name(days, r.denominator)
    if plan.covariate_columns and r.cuped:
        found["covariate"] = f"x_{r.numerator}"
        if r.denominator:
            found["covariate_denominator"] = f"x_{r.denominator}"
    return found


def capped_column(column: str) -> str:
    """The column of a term's winsorized sum."""
    return f"capped_{column}"


def _render(term: Term, column) -> str:
    """The SQL of a term over the value columns `column(name)` gives."""
    kind, a, *b = term
    if kind == "value":
        return column(a)
    if kind == "product":
        return f"{column(a)} * {column(b[0])}"
    return f"CASE WHEN {column(a)} <> 0 THEN 1 ELSE 0 END"


class CellSums:
    """The columns of rollup_cells: the sum of every term the result metrics'
    moments need over each span (s<i>), its winsorized sum where a term reads
    a capped value (c<i>), and the day's caps of each capped value."""

    def __init__(self, plan: ExperimentPlan):
        self.plan = plan
        self.capped = {name: sides for name, sides in capped_columns(plan, SPANS).items() if sides}
        self.terms: dict[Term, str] = {}  # term -> its uncapped column s<i>
        # (span, metric) -> moment column of the contract -> the column of its term
        self.moments_of = {(days, r.name): self._moments(days, r) for days in SPANS for r in plan.moment_metrics
                           if any(ro.days == days and r.in_rollup(ro.name) for ro in ROLLUPS)}
        # value column -> the column counting the cell's units where it is not 0: a term
        # of a value no unit has is exactly 0, which a sum of differences may miss
        values = [name for term in list(self.terms) if term[0] != "nonzero" for name in term[1:]]
        self.nonzero = {name: self._column(("nonzero", name)) for name in dict.fromkeys(values)}
        self.keys = ["variant", *(f"dv_{i}" for i in range(len(plan.dimensions))), "first_exposure_date"]
        self.caps = [f"{name}_{side}" for name, sides in self.capped.items() for side, _ in sides]

    def _column(self, term: Term) -> str:
        """A term's column, named by the term, so that a name keeps its meaning when metrics change."""
        kind, *names = term
        # lower case: referred to unquoted (Snowflake folds an unquoted name to upper case)
        return self.terms.setdefault(term, (("n__" if kind == "nonzero" else "s__") + "__".join(names)).lower())

    def _moments(self, days: int | None, r) -> dict[str, str]:
        """A result metric's moments over a span: each variable's sum and sum of
        squares, each pair's sum of products, and for ratios the units with a
        nonzero denominator."""
        found = result_variables(self.plan, days, r)
        names = list(found)
        moments = {}
        for name in names:
            moments[VARIABLE[name].sum] = self._column(("value", found[name]))
            moments[VARIABLE[name].squares] = self._column(("product", found[name], found[name]))
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                moments[PRODUCT_COLUMNS[a, b]] = self._column(("product", found[a], found[b]))
        if r.denominator:
            moments[DENOMINATOR_UNITS] = self._column(("nonzero", found["denominator"]))
        return moments

    def is_capped(self, term: Term) -> bool:
        return any(name in self.capped for name in term[1:])

    def published(self, column: str) -> str:
        """The stored column of a term's sum as the rollups publish it: winsorized where capped."""
        term = next(t for t, c in self.terms.items() if c == column)
        return capped_column(column) if self.is_capped(term) else column

    def columns(self) -> list[str]:
        """rollup_cells' columns, in order."""
        capped = [capped_column(c) for t, c in self.terms.items() if self.is_capped(t)]
        return ["as_of_date", *self.keys, "n", *self.summed(), *capped, *self.caps]

    def summed(self) -> list[str]:
        """The columns a day's cells add to the day before's: each term's sum (each value's nonzero units among them)."""
        return list(self.terms.values())

    def exact(self, column: str, alias: str) -> str:
        """The SQL of a term's stored sum (of the cells `alias`), 0 where a value it
        multiplies is 0 in every unit (rounding then leaves the difference of sums off 0)."""
        term = next(t for t, c in self.terms.items() if c == column)
        if term[0] == "nonzero":  # a count: exact
            return f"{alias}.{column}"
        zero = " OR ".join(f"{alias}.{self.nonzero[name]} = 0" for name in dict.fromkeys(term[1:]))
        return f"CASE WHEN {zero} THEN 0 ELSE {alias}.{column} END"

    def key_values(self, alias: str = "w") -> list[str]:
        """The SQL of each cell key (self.keys) of a unit row `alias`."""
        return [f"{alias}.variant", *(dimension_value(d, alias) for d in self.plan.dimensions),
                f"{alias}.first_exposure_date"]

    def keyed(self, alias: str = "w") -> tuple[str, str]:
        """SELECT items of the cell keys of the unit rows `alias`, and their GROUP BY."""
        values = self.key_values(alias)
        return ", ".join(f"{v} AS {k}" for v, k in zip(values, self.keys)), ", ".join(values)

    def sums(self, alias: str = "w", caps: str | None = None, sign: str | None = None) -> list[str]:
        """SELECT items of the uncapped sums of the unit rows `alias` (each row
        times `sign`, if given) and, with `caps` (the alias of the day's caps),
        of their winsorized sums."""
        def signed(sql: str) -> str:
            return sql if sign is None else f"{sign} * ({sql})"

        items = [f"SUM({signed(_render(t, lambda n: f'{alias}.{ident(n)}'))}) AS {c}" for t, c in self.terms.items()]
        if caps is not None:
            items += [f"SUM({signed(_render(t, lambda n: self.capped_sql(n, alias, caps)))}) AS {capped_column(c)}"
                      for t, c in self.terms.items() if self.is_capped(t)]
        return items

    def capped_sql(self, name: str, alias: str, caps: str) -> str:
        return capped_value(name, f"{alias}.{ident(name)}", self.capped.get(name, []), caps)

    def differs_when_capped(self, alias: str = "w", caps: str = "k") -> str:
        """A unit row some of whose values winsorizing changes."""
        return " OR ".join(f"{self.capped_sql(n, alias, caps)} IS DISTINCT FROM {alias}.{ident(n)}" for n in self.capped)


def full_cells(plan: ExperimentPlan, window: DayRange, current_sql: str, earlier_sql: dict[int, str | None],
               crossovers_sql: str | None, window_rows: dict[tuple[str, ...], str] | None = None) -> str:
    """rollup_cells over `window`, added up from every eligible unit's row of each day."""
    sums = CellSums(plan)
    keys, group = sums.keyed()
    rows = unit_rows(plan, window, current_sql, earlier_sql, crossovers_sql, window_rows)
    if not sums.capped:
        return f"{rows} SELECT w.as_of_date, {keys}, COUNT(*) AS n, {', '.join(sums.sums())} " \
               f"FROM wide AS w GROUP BY w.as_of_date, {group}"
    caps, _ = winsorization(plan, SPANS, sums.capped)
    return (
        f"{rows}, caps AS (SELECT w.as_of_date, {', '.join(caps)} FROM wide AS w GROUP BY w.as_of_date) "
        f"SELECT w.as_of_date, {keys}, COUNT(*) AS n, {', '.join(sums.sums(caps='k'))}, "
        f"{', '.join(f'MAX(k.{ident(c)}) AS {ident(c)}' for c in sums.caps)} "
        f"FROM wide AS w JOIN caps AS k ON k.as_of_date = w.as_of_date GROUP BY w.as_of_date, {group}"
    )


def touched_days(day: dt.date) -> list[dt.date]:
    """The days whose unit-day rows make a unit's rows of `day` and the day before differ (see the module)."""
    return [day, *(day - dt.timedelta(days=days) for days in SPANS if days)]


def delta_cells(plan: ExperimentPlan, day: dt.date, previous_sql: str, touched_sql: str, current_sql: str,
                earlier_sql: dict[int, str | None], crossovers_sql: str | None,
                window_rows: dict[tuple[str, ...], str] | None = None) -> str:
    """rollup_cells of `day` from those of the day before (`previous_sql`):
    plus the rows of day D, minus those of D-1, of the units of `touched_sql`
    (a SELECT of unit_id: see the module), then winsorized. `current_sql`
    holds the unit totals of D-1 and D, `earlier_sql[days]` those `days` before
    them; `window_rows` the unit-day rows of re-aggregated metrics up to D."""
    sums = CellSums(plan)
    both, today = DayRange(day - ONE_DAY, day + ONE_DAY), DayRange(day, day + ONE_DAY)
    crossed = crossovers_sql is not None
    keys, group = sums.keyed()
    names = ", ".join(sums.keys)
    stored = ["n", *sums.summed()]

    def focus(units: str, days: DayRange, windows_name: str) -> str:
        """wide_rows of `units` (a CTE) over `days`."""
        return wide_rows(plan, days, SPANS, of_units(current_sql, units),
                         {d: sql and of_units(sql, units) for d, sql in earlier_sql.items()}, crossed,
                         windows_name=windows_name)

    since = "since = " + date_literal(day)
    ctes = [f"crossed AS ({crossed_since(crossovers_sql)})"] if crossed else []
    ctes.append(f"touched AS ({touched_sql}" + (f" UNION SELECT unit_id FROM crossed WHERE {since}" if crossed else "") + ")")
    ctes.append(windows(plan, both, SPANS, window_rows or {}, "windows", units="touched").rstrip(", "))
    ctes.append(f"changed AS ({focus('touched', both, 'windows')})")
    sign = f"CASE WHEN w.as_of_date = {date_literal(day)} THEN 1 ELSE -1 END"
    ctes.append(f"delta AS (SELECT {keys}, SUM({sign}) AS n, {', '.join(sums.sums(sign=sign))} "
                f"FROM changed AS w GROUP BY {group})")
    ctes.append(f"summed AS (SELECT {names}, {', '.join(f'SUM({c}) AS {c}' for c in stored)} FROM ("
                f"SELECT {names}, {', '.join(stored)} FROM ({previous_sql}) AS p "
                f"UNION ALL SELECT {names}, {', '.join(stored)} FROM delta"
                f") AS both_days GROUP BY {names})")
    on_keys = " AND ".join(f"x.{k} = s.{k}" for k in sums.keys)
    alias = "s"
    exact = ", ".join(f"{sums.exact(c, alias)} AS {c}" for c in sums.terms.values())
    if not sums.capped:
        ctes = [c for c in ctes if c]
        return f"WITH {', '.join(ctes)} SELECT {date_literal(day)} AS as_of_date, {names}, n, {exact} " \
               f"FROM summed AS s WHERE s.n > 0"
    caps, _ = winsorization(plan, SPANS, sums.capped)
    ctes.append(f"narrow AS ({wide_rows(plan, today, SPANS, current_sql, earlier_sql, crossed, set(sums.capped), None)})")
    ctes.append(f"caps AS (SELECT w.as_of_date, {', '.join(caps)} FROM narrow AS w GROUP BY w.as_of_date)")
    ctes.append(f"beyond AS (SELECT w.unit_id FROM narrow AS w CROSS JOIN caps AS k WHERE {sums.differs_when_capped()})")
    ctes.append(windows(plan, today, SPANS, window_rows or {}, "beyond_windows", units="beyond").rstrip(", "))
    ctes.append(f"tail AS ({focus('beyond', today, 'beyond_windows')})")
    capped = [(t, c) for t, c in sums.terms.items() if sums.is_capped(t)]
    corrections = ", ".join(
        f"SUM({_render(t, lambda n: sums.capped_sql(n, 'w', 'k'))} - ({_render(t, lambda n: f'w.{ident(n)}')})) AS {capped_column(c)}"
        for t, c in capped)
    ctes.append(f"correction AS (SELECT {keys}, {corrections} FROM tail AS w CROSS JOIN caps AS k "
                f"GROUP BY {group})")
    ctes = [c for c in ctes if c]
    return (
        f"WITH {', '.join(ctes)} SELECT {date_literal(day)} AS as_of_date, {', '.join(f's.{k}' for k in sums.keys)}, "
        f"s.n, {exact}, {', '.join(f'{sums.exact(c, alias)} + COALESCE(x.{capped_column(c)}, 0) AS {capped_column(c)}' for _, c in capped)}, "
        f"{', '.join(f'k.{ident(c)}' for c in sums.caps)} "
        f"FROM summed AS s LEFT JOIN correction AS x ON {on_keys} CROSS JOIN caps AS k WHERE s.n > 0"
    )
