"""SQL of rollup_cells: per day, the group sums of every rollup's moments per
cell, a variant x each exposure dimension's value x first-exposure day
(winsorized at the day's caps where capped, with the caps).

A cell is small enough to publish any rollup from: slices add cells up over
the other dimensions and the days of exposure, days since exposure adds them
up per exposure day (k = D - that day). Day D is added up from every eligible
unit's row (`full_cells`), or follows from day D-1's cells (`delta_cells`):
sums, squares and cross products are additive over units, and a unit's rows
of D and D-1 differ only if it had events on D (every span grows), on D-1 (its
daily value falls back) or on D-7 (they leave its 7-day window), was first
exposed on D (a row of D only) or crossed over on D (a row of D-1 only): the
`touched` units, whose rows of D are added and of D-1 taken away. Winsorized
sums move with each day's caps, which are percentiles of every unit's values:
the cells keep each one's unwinsorized twin (`us__`, `un__`), which follows
from the touched units, and the day's winsorized sum is its twin plus, for the
few units beyond a cap of D, their winsorized terms less their unwinsorized
ones (the caps and those units from one pass over every unit's winsorized
values alone). Not with kinds whose values change with the day alone
(participation, retention): those plans add up every unit each day
(CellSums.from_changes).
"""

from __future__ import annotations

import datetime as dt

from exp_assets.days import ONE_DAY, DayRange
from exp_assets.metrics import kind_of, value_name
from exp_assets.plan import ROLLUPS, ExperimentPlan
from exp_assets.quoting import date_literal, ident
from exp_assets.sql.unit_rows import (
    SPANS, capped_columns, capped_value, crossed_since, day_caps, dimension_value, of_units, unit_rows, wide_rows,
    windows,
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
    moments need over each span, winsorized at the day's caps where a term
    reads a capped value, and the caps; for plans whose cells may follow from
    changes (`from_changes`), each value's units where it is not 0."""

    def __init__(self, plan: ExperimentPlan):
        self.plan = plan
        self.capped = {name: sides for name, sides in capped_columns(plan, SPANS).items() if sides}
        self.terms: dict[Term, str] = {}  # term -> its column
        # (span, metric) -> moment column of the contract -> the column of its term
        self.moments_of = {(days, r.name): self._moments(days, r) for days in SPANS for r in plan.moment_metrics
                           if any(ro.days == days and r.in_rollup(ro.name) for ro in ROLLUPS)}
        # Whether a day's cells can follow from the day before's: not the values of
        # kinds that change with the day alone (every unit changes every day).
        self.from_changes = not any(
            kind_of(m).changes_without_events for m in plan.state_metrics + plan.derived_metrics)
        # value column -> the column counting the cell's units where it is not 0: a term
        # of a value no unit has is exactly 0, which a sum of differences may miss
        values = [name for term in list(self.terms) if term[0] != "nonzero" for name in term[1:]]
        self.nonzero = {name: self._column(("nonzero", name)) for name in dict.fromkeys(values)} \
            if self.from_changes else {}
        # Winsorized terms followed from changes keep their sums unwinsorized too
        # (`uncapped`: column -> its twin): those follow from the changed units alone,
        # and the day's winsorized sums are they plus the few units beyond the caps.
        self.uncapped = {column: "u" + column for term, column in self.terms.items()
                         if any(name in self.capped for name in term[1:])} if self.from_changes else {}
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

    def columns(self) -> list[str]:
        """rollup_cells' columns, in order."""
        return ["as_of_date", *self.keys, "n", *self.terms.values(), *self.uncapped.values(), *self.caps]

    def exact(self, column: str, alias: str, capped: bool = True) -> str:
        """The SQL of a term's sum `column` (of the cells `alias`; its winsorized or
        its unwinsorized twin), 0 where a value it multiplies is 0 in every unit
        (rounding then leaves the difference of sums off 0)."""
        term = next(t for t, c in self.terms.items() if c == column)
        stored = column if capped else self.uncapped.get(column, column)
        if term[0] == "nonzero":  # a count: exact
            return f"{alias}.{stored}"
        counts = [self.nonzero[name] for name in dict.fromkeys(term[1:])]
        zero = " OR ".join(f"{alias}.{c if capped else self.uncapped.get(c, c)} = 0" for c in counts)
        return f"CASE WHEN {zero} THEN 0 ELSE {alias}.{stored} END"

    def key_values(self, alias: str = "w") -> list[str]:
        """The SQL of each cell key (self.keys) of a unit row `alias`."""
        return [f"{alias}.variant", *(dimension_value(d, alias) for d in self.plan.dimensions),
                f"{alias}.first_exposure_date"]

    def keyed(self, alias: str = "w") -> tuple[str, str]:
        """SELECT items of the cell keys of the unit rows `alias`, and their GROUP BY."""
        values = self.key_values(alias)
        return ", ".join(f"{v} AS {k}" for v, k in zip(values, self.keys)), ", ".join(values)

    def term_sql(self, term: Term, alias: str = "w", capped: bool = True) -> str:
        """A term of the unit row `alias`, winsorized at the day's caps (alias k) where capped."""
        def value(name: str) -> str:
            sides = self.capped.get(name, []) if capped else []
            return capped_value(name, f"{alias}.{ident(name)}", sides, "k")

        return _render(term, value)

    def sums(self, alias: str = "w", sign: str | None = None) -> list[str]:
        """SELECT items of the sums of the unit rows `alias` (each row times
        `sign`, if given), winsorized at the day's caps (alias k) where capped,
        and unwinsorized in the twins of `uncapped`."""
        def signed(sql: str) -> str:
            return sql if sign is None else f"{sign} * ({sql})"

        return ([f"SUM({signed(self.term_sql(t, alias))}) AS {c}" for t, c in self.terms.items()]
                + [f"SUM({signed(self.term_sql(t, alias, capped=False))}) AS {self.uncapped[c]}"
                   for t, c in self.terms.items() if c in self.uncapped])


def full_cells(plan: ExperimentPlan, window: DayRange, current_sql: str, earlier_sql: dict[int, str | None],
               crossovers_sql: str | None, window_rows: dict[tuple[str, ...], str] | None = None,
               summed: frozenset[int] = frozenset()) -> str:
    """rollup_cells over `window`, added up from every eligible unit's row of each
    day (for the spans in `summed`, `earlier_sql` holds sums of day rows: wide_rows)."""
    sums = CellSums(plan)
    keys, group = sums.keyed()
    rows = unit_rows(plan, window, current_sql, earlier_sql, crossovers_sql, window_rows, summed)
    columns = [*sums.sums(), *(f"MAX(k.{ident(c)}) AS {ident(c)}" for c in sums.caps)]
    caps_cte = caps_join = ""
    if sums.capped:  # each day's caps, over every unit's values of that day
        caps_cte = f", caps AS ({day_caps(plan, sums.capped)})"
        caps_join = " JOIN caps AS k ON k.as_of_date = w.as_of_date"
    return (f"{rows}{caps_cte} SELECT w.as_of_date, {keys}, COUNT(*) AS n, {', '.join(columns)} "
            f"FROM wide AS w{caps_join} GROUP BY w.as_of_date, {group}")


def touched_days(day: dt.date) -> list[dt.date]:
    """The days whose unit-day rows make a unit's rows of `day` and the day before differ (see the module)."""
    return [day, *(day - dt.timedelta(days=days) for days in SPANS if days)]


# The units of a delta_cells statement (its CTE `touched`), for the relations inlined into
# it to pick out before anything else: the unit totals it reads are those units' alone.
TOUCHED_UNITS = "SELECT unit_id FROM touched"


def delta_cells(plan: ExperimentPlan, day: dt.date, previous_sql: str, touched_sql: str, current_sql: str,
                earlier_sql: dict[int, str | None], crossovers_sql: str | None,
                window_rows: dict[tuple[str, ...], str] | None = None,
                everyone: tuple[str, dict[int, str | None], frozenset[int]] | None = None) -> str:
    """rollup_cells of `day` from those of the day before (`previous_sql`):
    plus the rows of day D, minus those of D-1, of the units of `touched_sql`
    (a SELECT of unit_id: see the module) and those crossing over on D.
    `current_sql` holds the unit totals of D-1 and D, `earlier_sql[days]` those
    `days` before them; `window_rows` the unit-day rows of re-aggregated metrics
    up to D. Only for plans whose cells can follow from changes (from_changes).
    Winsorized terms follow unwinsorized (their `uncapped` twins); the day's caps
    come from every unit's capped values of D, and the winsorized sums are the
    unwinsorized ones plus, for the units beyond a cap, their winsorized terms
    less their unwinsorized ones. `everyone`: every unit's totals of D, the
    totals (or day-row sums) each span starts from, and the summed spans, as
    full_cells reads them; for winsorized plans only."""
    sums = CellSums(plan)
    assert sums.from_changes, "values that change with the day alone follow from no changes"
    both = DayRange(day - ONE_DAY, day + ONE_DAY)
    crossed = crossovers_sql is not None
    keys, group = sums.keyed()
    names = ", ".join(sums.keys)
    # what follows from the changes: n and each term's sum, unwinsorized where it is winsorized
    followed = ["n", *(sums.uncapped.get(c, c) for c in sums.terms.values())]
    touched = of_units(current_sql, "touched")
    earlier = {days: sql and of_units(sql, "touched") for days, sql in earlier_sql.items()}
    ctes = [f"crossed AS ({crossed_since(crossovers_sql)})"] if crossed else []
    crossing = f" UNION SELECT unit_id FROM crossed WHERE since = {date_literal(day)}" if crossed else ""
    ctes += [
        f"touched AS ({touched_sql}{crossing})",
        windows(plan, both, SPANS, window_rows or {}, "windows", units="touched").rstrip(", "),
        f"changed AS ({wide_rows(plan, both, SPANS, touched, earlier, crossed)})",
    ]
    sign = f"CASE WHEN w.as_of_date = {date_literal(day)} THEN 1 ELSE -1 END"
    changes = [f"SUM({sign} * ({sums.term_sql(t, capped=False)})) AS {sums.uncapped.get(c, c)}"
               for t, c in sums.terms.items()]
    ctes.append(f"delta AS (SELECT {keys}, SUM({sign}) AS n, {', '.join(changes)} "
                f"FROM changed AS w GROUP BY {group})")
    ctes.append(f"summed AS (SELECT {names}, {', '.join(f'SUM({c}) AS {c}' for c in followed)} FROM ("
                f"SELECT {names}, {', '.join(followed)} FROM ({previous_sql}) AS p "
                f"UNION ALL SELECT {names}, {', '.join(followed)} FROM delta) AS both_days GROUP BY {names})")
    exact = [f"{sums.exact(c, 's')} AS {c}" for c in sums.terms.values()]
    if not sums.uncapped:
        return (f"WITH {', '.join(c for c in ctes if c)} SELECT {date_literal(day)} AS as_of_date, {names}, n, "
                f"{', '.join(exact)} FROM summed AS s WHERE s.n > 0")
    if everyone is None:
        raise ValueError("delta_cells: a winsorized plan's caps need every unit's totals of the day (everyone)")
    all_current, all_earlier, summed_spans = everyone
    one = DayRange(day, day + ONE_DAY)
    beyond = " OR ".join(f"w.{ident(name)} {'<' if side == 'lower' else '>'} k.{ident(f'{name}_{side}')}"
                         for name, sides in sums.capped.items() for side, _ in sides)
    earlier_of_outside = {days: sql and of_units(sql, "outside") for days, sql in all_earlier.items()}
    capped_terms = [(t, c) for t, c in sums.terms.items() if c in sums.uncapped]
    narrow = wide_rows(plan, one, SPANS, all_current, all_earlier, crossed, set(sums.capped), None, summed_spans)
    outside_rows = wide_rows(plan, one, SPANS, of_units(all_current, "outside"), earlier_of_outside, crossed, None,
                             "outside_windows", summed_spans)
    ctes += [
        # every unit's winsorized values of D (those alone), the day's caps, and the units beyond them
        f"narrow AS ({narrow})",
        f"caps AS ({day_caps(plan, sums.capped, 'narrow')})",
        f"outside AS (SELECT w.unit_id FROM narrow AS w JOIN caps AS k ON k.as_of_date = w.as_of_date "
        f"WHERE {beyond})",
        windows(plan, one, SPANS, window_rows or {}, "outside_windows", units="outside").rstrip(", "),
        f"outside_rows AS ({outside_rows})",
        # what winsorizing takes from each cell's sums: the units beyond a cap, capped less uncapped
        f"correction AS (SELECT {keys}, "
        + ", ".join(f"SUM(({sums.term_sql(t)}) - ({sums.term_sql(t, capped=False)})) AS {c}" for t, c in capped_terms)
        + f" FROM outside_rows AS w JOIN caps AS k ON k.as_of_date = w.as_of_date GROUP BY {group})",
        f"totals AS (SELECT {', '.join(f's.{k}' for k in sums.keys)}, s.n, "
        + ", ".join(f"s.{sums.uncapped[c]} + COALESCE(o.{c}, 0) AS {c}" if c in sums.uncapped else f"s.{c}"
                    for c in sums.terms.values())
        + "".join(f", s.{u}" for u in sums.uncapped.values())
        + "".join(f", k.{ident(c)}" for c in sums.caps)
        + " FROM summed AS s LEFT JOIN correction AS o ON "
        + " AND ".join(f"o.{k} = s.{k}" for k in sums.keys)
        + " CROSS JOIN caps AS k WHERE s.n > 0)",
    ]
    unwinsorized = [f"{sums.exact(c, 's', capped=False)} AS {u}" for c, u in sums.uncapped.items()]
    return (f"WITH {', '.join(c for c in ctes if c)} SELECT {date_literal(day)} AS as_of_date, {names}, n, "
            f"{', '.join(exact + unwinsorized)}, {', '.join(ident(c) for c in sums.caps)} FROM totals AS s")
