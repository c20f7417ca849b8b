"""What a metric kind declares: everything about one `type:` of the config's
metrics, so that the config, the plan, the SQL builders and the statistics
iterate over kinds instead of asking a metric for its type.

A kind says, for a metric of its type:

- its config model (`config`, with `type: Literal[<kind>]`) and the rules
  that reach into other sections (`problems`);
- where its unit-day state comes from (`state_from`): SOURCE, a value per event
  of its fact source, added up per unit and day into that source's
  user_level_aggregations table (sum, count, proportion); OWN, a table of its
  own (`table`_<name>, e.g. funnel_events_<name>), whose SQL the kind declares
  (`unit_day_events`, `unit_day_values`); or NONE, other metrics' state
  (ratio, through `parts`);
- that state (`state`): unit_totals columns and how a unit's days combine
  into its running state (SUM of amounts, MIN of a first time, ...);
- how a rollup window's value is found (`rollup`): RUNNING, from the running
  state as of D and as of D - days (a difference of running totals, or of a
  function of them, as funnels do); or REAGGREGATE, by aggregating the
  unit-day rows of the window's days again (`window_aggregate`: max, min,
  first, last, distinct counts: values that no difference of running states
  gives), at the cost of reading those rows since the start for the
  cumulative rollup;
- its unit values in each rollup: cumulative (days None), daily, 7-day, and
  days since exposure (daily values per k): `unit_values` from the running
  state (RUNNING), `window_values` from the re-aggregated window (REAGGREGATE),
  `derived_values` from other metrics' unit values (NONE kinds with values of
  their own, such as thresholds);
- the rows it adds to the results (`result_metrics`): each a main variable
  and optionally a denominator, which fixes its statistic: the mean of the
  main, or the ratio of the means by the delta method (stats/arms.py); the
  moments follow from the variables (stats/contract.py), CUPED adds each
  variable's pre-exposure value where the kind has one (`cuped`). A row may
  be defined in some rollups only (`ResultMetric.rollups`: retention, in the
  cumulative one), or be a quantile of a sketch (`ResultMetric.quantile`)
  instead of a statistic of moments;
- what a row measures, in words for the report (`describe`).

Adding a kind: one module in exp_assets/metrics/kinds/ defining its config
model and a MetricKind subclass, and one line in exp_assets/metrics/__init__.py
registering it. Its config model's fields feed the code versions of the
artifacts that read it (plan.py dumps the model), so changing a definition
re-materializes exactly those. A kind whose state is SOURCE (a value per event
of its fact source, combined per unit and day by `day_columns`), RUNNING or
REAGGREGATE, needs nothing else, and neither does an OWN one: its table is an
artifact of its own (artifacts.py: unit_day_family), filled by the kind's SQL
over the source rows the SQL layer hands it (`SourceRows`: the kinds sit below
sql/ and may not import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from exp_assets.quoting import ident

if TYPE_CHECKING:
    from exp_assets.days import DayRange
    from exp_assets.plan import ExperimentPlan

Problem = tuple[str, str]  # (field path, what is wrong)

# Where a kind's unit-day state comes from.
SOURCE, OWN, NONE = "source", "own", "none"
# How a rollup window's value is found.
RUNNING, REAGGREGATE = "running", "reaggregate"


@dataclass(frozen=True)
class StateColumn:
    """A unit_totals column: a unit's running state as of a day, combined over
    its days with `combine` (an SQL aggregate: SUM, MIN, ...)."""

    name: str
    sql_type: str
    combine: str


@dataclass(frozen=True)
class Earlier:
    """How a unit's row reads its state `days` before (for a span of `days`):
    the relation joined as `alias(days)`, which holds either that earlier
    state, or, for the spans in `summed`, the sums of the unit's day rows over
    the span (cheaper where units are idle most days: no join of two rows of
    every unit). Those are the change of a SUM state over the span, the one
    thing a summed span can answer."""

    alias: Callable[[int], str]
    summed: frozenset[int] = frozenset()

    def __call__(self, days: int) -> str:
        """The alias of the state `days` before (its columns may be NULL)."""
        if days in self.summed:
            raise ValueError(f"the span of {days} days is read as sums of day rows, not as the state before it")
        return self.alias(days)

    def change(self, current: str, days: int, column: str) -> str:
        """SQL of a SUM state column's change over the `days` up to the row `current`."""
        if days in self.summed:
            return f"COALESCE({self.alias(days)}.{column}, 0)"
        return f"{current}.{column} - COALESCE({self.alias(days)}.{column}, 0)"


@dataclass(frozen=True)
class ResultMetric:
    """A row family of the results: a value (and for ratios a denominator) per unit."""

    name: str
    numerator: str  # a unit-value column: an event metric, or a funnel step
    denominator: str | None = None
    cuped: bool = True  # funnels have no pre-exposure covariate
    higher_is_better: bool = True  # the configured metric's (a funnel's, for its steps and rates)
    rollups: tuple[str, ...] | None = None  # the rollups it is defined in (None: every one)
    # a quantile of the arm's values (its sketch, quantile_sketches), not a mean of unit values (moments)
    quantile: bool = False

    def in_rollup(self, rollup: str) -> bool:
        return self.rollups is None or rollup in self.rollups


class References:
    """What a kind's `problems` may ask of the rest of the config (config/references.py)."""

    def metric_type(self, name: str) -> str | None:
        """The type of the metric called `name`, None if there is none."""
        raise NotImplementedError

    def is_event_metric(self, name: str) -> bool:
        """Whether the metric called `name` adds up a value per event of a fact source (SOURCE, additive)."""
        raise NotImplementedError

    def event_types(self) -> str:
        """The kinds whose state comes from a fact source, in words ("sum, count or proportion")."""
        raise NotImplementedError

    def unknown_metric(self, name: str) -> str:
        """The message for a reference to a metric that does not exist."""
        raise NotImplementedError

    def fact_source(self, metric: str, source: str, filter_sql: str | None, path: str) -> list[Problem]:
        """Problems of a reference to a fact source (at `path`.source) with an optional filter."""
        raise NotImplementedError


class SourceRows:
    """What an OWN kind's unit-day SQL may ask of the SQL layer, which sits above
    the kinds and hands one over (sql/sources.py: FactRows): a fact source's rows."""

    def events(self, source: str, filter_sql: str | None, ranges: list[DayRange],
               values: dict[str, str] | None = None) -> str:
        """A SELECT of the rows of fact source `source` in `ranges` (and where
        `filter_sql`, the user's condition, holds): unit_id, event_ts (UTC),
        event_date, and each of `values` ({plain name: DuckDB SQL, e.g. a
        constant tagging the rows})."""
        raise NotImplementedError


class MetricKind:
    type: ClassVar[str]  # the config's `type:` value
    config: ClassVar[type[BaseModel]]
    state_from: ClassVar[str] = SOURCE
    rollup: ClassVar[str] = RUNNING
    cuped: ClassVar[bool] = False  # has a pre-exposure value (a covariate column per state column)
    # a value per event added up over a unit's events: a ratio's or threshold's part,
    # broken down by dimensions and winsorized (sum, count, proportion)
    additive: ClassVar[bool] = False
    # its unit value changes with the day, not only with the unit's events (a share
    # of days, a window that closes): an update cannot follow from the units with
    # events (sql/cells.py), so every day is added up from every unit
    changes_without_events: ClassVar[bool] = False

    # -- config --------------------------------------------------------------
    def problems(self, metric, path: str, refs: References) -> list[Problem]:
        return []

    def parts(self, metric) -> list[str]:
        """The metrics whose state this one is built from (NONE kinds)."""
        return []

    def dimensions(self, metric) -> list[tuple[str, str, str]]:
        """(fact source, column, field) of every column the metric is broken down by."""
        return []

    def filters(self, metric) -> list[tuple[str, str, str]]:
        """(fact source, SQL condition, field) of every filter the metric applies."""
        return []

    def numbers(self, metric) -> list[tuple[str, str, str]]:
        """(fact source, column, field) of every column whose values it adds up."""
        return []

    # -- unit-day state --------------------------------------------------------
    def day_columns(self, metric, value: str) -> list[tuple[str, str, str]]:
        """(column, aggregate, SQL type) of the unit-day rows of a SOURCE kind: the
        aggregate over a unit's events of the day of `value`, the SQL of one
        event's contribution (NULL outside the metric's filter and window; the
        event's time is `e.event_ts`)."""
        return []

    def merged_day_columns(self, metric, part: Callable[[str], str]) -> list[tuple[str, str, str]] | None:
        """SOURCE kinds: (column, aggregate, SQL type) of the unit-day rows made
        from rows that each hold `day_columns` over one part of a unit's day
        (shared_facts: a day cut at exposure times), the same values as
        `day_columns` over all the parts' events; `part(column)` is the SQL of
        one part's `column`, NULL for a part the metric does not count. None:
        the columns do not combine over parts, and the rows are made from the
        events (each experiment reads its source)."""
        return None

    def state(self, metric) -> list[StateColumn]:
        return []

    # -- a unit-day table of its own (OWN) --------------------------------------
    table: ClassVar[str] = ""  # its tables are <table>_<metric name>
    table_columns: ClassVar[str] = ""  # what its state columns hold there (the asset's column docs)

    def reads(self, metric) -> list[str]:
        """The fact sources its unit-day rows are made from, each once."""
        return []

    def table_description(self, metric) -> str:
        """What its table holds, for the asset's description."""
        raise NotImplementedError

    def unit_day_events(self, metric, rows: SourceRows, ranges: list[DayRange]) -> str:
        """A SELECT of the events its state is made of in `ranges` (from `rows`):
        unit_id, event_ts, event_date and whatever `unit_day_values` reads. The
        SQL layer keeps those at or after the unit's first exposure."""
        raise NotImplementedError

    def unit_day_values(self, metric) -> list[tuple[str, str]]:
        """(state column, SQL aggregate over the events `e` of one unit and day),
        the columns of its table."""
        raise NotImplementedError

    # -- rollups and results ------------------------------------------------
    def unit_values(self, metric, spans: list[int | None], current: str,
                    earlier: Earlier) -> list[tuple[str, str]]:
        """(value column, SQL) of the unit's value over each span (days; None: since
        exposure), from the alias of its unit_totals row of the day (`current`)
        and its state `days` before (`earlier(days)`, its alias; or, for SUM
        states, `earlier.change(current, days, column)`, which also serves spans
        read as sums of day rows)."""
        return []

    def window_aggregate(self, metric, within: str) -> str:
        """REAGGREGATE kinds: the SQL aggregate of a unit's value over its unit-day
        rows (alias `r`) for which `within` holds (NULL without such a row)."""
        raise NotImplementedError

    def window_values(self, metric, spans: list[int | None], window: Callable[[int | None], str]
                      ) -> list[tuple[str, str]]:
        """REAGGREGATE kinds: (value column, SQL) over each span, from `window(days)`,
        the SQL of the span's re-aggregated value (`window_aggregate`)."""
        return []

    def derived_values(self, metric, spans: list[int | None], value_of: Callable[[str, int | None], str]
                       ) -> list[tuple[str, str]]:
        """NONE kinds: (value column, SQL) over each span, from `value_of(name, days)`,
        the SQL of another metric's unit value over the span."""
        return []

    def rollup_of(self, metric) -> str:
        """How the metric's windows are found (RUNNING or REAGGREGATE): the kind's,
        unless its config chooses (a quantile's level)."""
        return self.rollup

    def derived_covariate(self, metric, covariate_of: Callable[[str], str | None]) -> str | None:
        """NONE kinds with CUPED: the SQL of its pre-exposure value from
        `covariate_of(name)`, another metric's (None if it has none)."""
        return None

    def keyed_by(self, metric) -> str | None:
        """REAGGREGATE kinds: the name of what its unit-day rows are broken down by
        (a column of its source, as count distinct does, or a value of its own,
        `key_value`), None for one row per unit and day."""
        return None

    def key_value(self, metric) -> str:
        """The SQL of the key its rows are broken down by, over a source row `s`
        (as text): by default the column `keyed_by` names, '(null)' for nulls."""
        return f"COALESCE(CAST(s.{ident(self.keyed_by(metric))} AS VARCHAR), '(null)')"

    def columns(self, metric) -> list[tuple[str, str, str]]:
        """(fact source, column, field) of every other column it reads, of any type."""
        return []

    def result_metrics(self, plan: ExperimentPlan, metric) -> list[ResultMetric]:
        raise NotImplementedError

    def describe(self, metric, result: ResultMetric) -> str:
        """What a results row family measures, in a few words a reader of the report
        understands without the config (\"p90 of amount, all events\")."""
        return metric.type

    def winsorize(self, metric):
        """The metric's winsorization (a config Winsorize), if its values are capped."""
        return None


def value_name(days: int | None, name: str) -> str:
    """The column name of a unit's value over a span (None: since exposure)."""
    return f"v{days or ''}_{name}"
