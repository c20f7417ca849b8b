"""An independent pandas + statsmodels computation of every results rollup
(cumulative, daily, 7day, days_since_exposure) straight from the raw fixture
tables: event metrics with and without metric windows, ratios and funnels,
overall and by exposure dimension (top N values, the rest '(other)').

Written from the definitions in README.md, like reference.py; it shares no
code with the pipeline. The fixture's metrics are restated here by hand.

Every rollup is a window of event timestamps [lo, hi) per unit and as-of day:

    cumulative            [-inf, D + 1)       units eligible on D
    daily                 [D, D + 1)          units eligible on D
    7day                  [D - 6, D + 1)      units eligible on D
    days_since_exposure   [f + k, f + k + 1)  units exposed by D - k, not crossed over by D

An event metric's value is the sum of its matching events in the window at or
after the unit's first exposure (and inside the metric's own window); a funnel
step's value is reached(as of hi) - reached(as of lo): 1 if the step was first
completed in the window (for cumulative, reached as of D).

The kinds that keep one number per unit, over the same matching events in [lo, hi):

    max, min, first, last   the largest / smallest / earliest / latest number; the
                            statistic is the mean over units with one: the ratio of
                            (number, 0 without) to (1 with one, else 0), delta method
    count_distinct          distinct non-null values; the mean over all units
    participation           days with an event / the window's days since the unit's
                            first exposure day, (hi - max(lo, f)) in days
    retention               (cumulative only) 1 if an event in [fe + start, fe + end);
                            the ratio of (retained, 0 if open) to (1 if fe + end <= hi,
                            the window closed by the end of D, else 0)
    threshold               1 if the unit's value of another metric over the window
                            is at least the threshold; the mean over all units
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from exp_assets_tests.test_stats_support import fieller_reference

VARIANTS = ["control", "treatment"]
CONTROL, TREATMENT = VARIANTS
ALPHA = 0.05
MIN_UNITS = 10  # README: min_units_per_arm's default
DAY = pd.Timedelta(days=1)
HOUR = pd.Timedelta(hours=1)
NEVER = pd.Timestamp("1900-01-01")  # lower bound of the cumulative window
TABLES = {"orders": "orders", "views": "page_views"}  # fixture source -> raw table
DIMENSION = "country"

STAT_COLUMNS = ["units", "mean", "control_mean", "abs_effect", "abs_ci_lower", "abs_ci_upper",
                "rel_effect", "rel_ci_lower", "rel_ci_upper", "p_value"]


# -- the fixture's metrics, restated -------------------------------------------------


@dataclass(frozen=True)
class Event:
    name: str
    source: str
    kind: str  # sum | count | proportion
    column: str | None = None
    keep: Callable[[pd.DataFrame], pd.Series] | None = None
    window_hours: tuple[int, int] | None = None  # [start, end) after first exposure


@dataclass(frozen=True)
class PerUnit:
    """A kind keeping one number per unit: max | min | first | last | count_distinct
    | participation | retention (window_hours: its retention window)."""

    name: str
    source: str
    kind: str
    column: str | None = None
    keep: Callable[[pd.DataFrame], pd.Series] | None = None
    window_hours: tuple[int, int] | None = None

    @property
    def has_units(self) -> bool:
        return self.kind in ("max", "min", "first", "last")


@dataclass(frozen=True)
class Threshold:
    name: str
    metric: str  # an Event
    at_least: float


@dataclass(frozen=True)
class Ratio:
    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Step:
    name: str
    source: str
    keep: Callable[[pd.DataFrame], pd.Series] | None = None


@dataclass(frozen=True)
class Funnel:
    name: str
    steps: tuple[Step, ...]
    window_hours: int | None
    window_from: str  # first_step | exposure


def _big(frame: pd.DataFrame) -> pd.Series:
    return frame.amount > 50


def _small(frame: pd.DataFrame) -> pd.Series:
    return frame.amount < 60


CATALOGUE = {m.name: m for m in [
    Event("revenue", "orders", "sum", "amount"),
    Event("orders", "orders", "count"),
    Event("purchased", "orders", "proportion"),
    Event("big_orders", "orders", "count", keep=_big),
    Event("views", "views", "count"),
    Ratio("revenue_per_order", "revenue", "orders"),
    Ratio("orders_per_view", "orders", "views"),
    Event("orders_first_2d", "orders", "count", window_hours=(0, 48)),
    Event("revenue_hours_6_to_30", "orders", "sum", "amount", window_hours=(6, 30)),
    Funnel("shop_funnel", (Step("view", "views"), Step("order", "orders"), Step("big", "orders", _big)),
           48, "first_step"),
    Funnel("order_after_exposure", (Step("order", "orders"), Step("second_view", "views")), 24, "exposure"),
    PerUnit("top_order", "orders", "max", "amount"),
    PerUnit("low_order", "orders", "min", "amount"),
    PerUnit("first_order", "orders", "first", "amount"),
    PerUnit("last_small_order", "orders", "last", "amount", keep=_small),
    PerUnit("distinct_amounts", "orders", "count_distinct", "amount"),
    PerUnit("order_days", "orders", "participation"),
    PerUnit("viewed_days_1_to_3", "views", "retention", window_hours=(24, 72)),
    Threshold("spent_60", "revenue", 60.0),
]}

ALL_METRICS = ["revenue", "orders", "purchased", "big_orders", "views", "revenue_per_order",
               "orders_first_2d", "revenue_hours_6_to_30", "shop_funnel", "order_after_exposure"]
NEW_KINDS = ["top_order", "low_order", "first_order", "last_small_order", "distinct_amounts", "order_days",
             "viewed_days_1_to_3", "spent_60"]
CUMULATIVE_ONLY = {"viewed_days_1_to_3"}  # retention: defined as of the cumulative window only


def units_column(name: str) -> str:
    return f"{name}__units"


def closed_column(name: str) -> str:
    return f"{name}__closed"


def step_column(funnel: Funnel, i: int) -> str:
    return f"{funnel.name}__{funnel.steps[i].name}"


def result_metrics(metrics: list[str], rollup: str = "cumulative") -> list[tuple[str, str, str | None]]:
    """(row name, numerator column, denominator column or None) in config order,
    of the metrics defined in `rollup`."""
    out = []
    for name in metrics:
        m = CATALOGUE[name]
        if name in CUMULATIVE_ONLY and rollup != "cumulative":
            continue
        if isinstance(m, PerUnit) and m.has_units:
            out.append((m.name, m.name, units_column(m.name)))
        elif isinstance(m, PerUnit) and m.kind == "retention":
            out.append((m.name, m.name, closed_column(m.name)))
        elif isinstance(m, Ratio):
            out.append((m.name, m.numerator, m.denominator))
        elif isinstance(m, Funnel):
            cols = [step_column(m, i) for i in range(len(m.steps))]
            out += [(c, c, None) for c in cols]
            out += [(f"{prev}_to_{m.steps[i + 1].name}", nxt, prev) for i, (prev, nxt) in enumerate(zip(cols, cols[1:]))]
        else:
            out.append((m.name, m.name, None))
    return out


def event_metrics(metrics: list[str]) -> list[Event]:
    names: list[str] = []
    for name in metrics:
        m = CATALOGUE[name]
        if isinstance(m, Ratio):
            names += [m.numerator, m.denominator]
        elif isinstance(m, Threshold):
            names.append(m.metric)
        elif isinstance(m, Event):
            names.append(m.name)
    return [CATALOGUE[n] for n in dict.fromkeys(names)]


# -- the computation -----------------------------------------------------------------


def _counted(ev: pd.DataFrame, m) -> pd.Series:
    """Which of a source's events (with their unit's first exposure, fe_ts) a metric
    counts: in its filter, and in its window after exposure."""
    counted = pd.Series(True, index=ev.index)
    if m.keep is not None:
        counted &= m.keep(ev)
    if m.window_hours is not None:
        lo, hi = m.window_hours
        counted &= (ev.ts >= ev.fe_ts + lo * HOUR) & (ev.ts < ev.fe_ts + hi * HOUR)
    return counted


class Reference:
    def __init__(self, raw: dict[str, pd.DataFrame], start: dt.date, end: dt.date, metrics: list[str],
                 top_n: int, experiment: str = "exp_a"):
        self.start, self.end = pd.Timestamp(start), pd.Timestamp(end)
        self.metrics = metrics
        self.top_n = top_n
        self.events = event_metrics(metrics)
        self.funnels = [CATALOGUE[m] for m in metrics if isinstance(CATALOGUE[m], Funnel)]
        self.per_unit = [CATALOGUE[m] for m in metrics if isinstance(CATALOGUE[m], PerUnit)]
        self.thresholds = [CATALOGUE[m] for m in metrics if isinstance(CATALOGUE[m], Threshold)]

        e = raw["exposures"]
        e = e[(e.experiment_id == experiment) & e.user_id.notna() & e.variant.isin(VARIANTS)]
        e = e[(e.ts >= self.start) & (e.ts < self.end + DAY)]
        first = e.sort_values(["ts", "variant", DIMENSION], na_position="last", kind="stable")
        first = first.drop_duplicates("user_id", keep="first")  # not groupby.first(): it skips NULL dimensions
        units = first.rename(columns={"user_id": "unit_id", "ts": "fe_ts"})[["unit_id", "variant", "fe_ts", DIMENSION]]
        units["f"] = units.fe_ts.dt.normalize()
        other = e.merge(units[["unit_id", "variant"]], left_on="user_id", right_on="unit_id", suffixes=("", "_first"))
        other = other[other.variant != other.variant_first]
        crossed = other.groupby("unit_id").ts.min().dt.normalize()
        units["crossed"] = units.unit_id.map(crossed)  # day first seen in a second variant (NaT: never)
        self.units = units.reset_index(drop=True)

        # events at or after first exposure, by source, with each metric's contribution
        self.source_events = {}
        for source, table in TABLES.items():
            ev = raw[table].merge(self.units[["unit_id", "fe_ts"]], left_on="user_id", right_on="unit_id")
            self.source_events[source] = ev[ev.ts >= ev.fe_ts].reset_index(drop=True)
        self.contributions = {}
        for source, ev in self.source_events.items():
            frame = ev[["unit_id", "ts"]].copy()
            for m in (m for m in self.events if m.source == source):
                value = ev[m.column].astype(float) if m.kind == "sum" else pd.Series(1.0, index=ev.index)
                frame[m.name] = value.where(_counted(ev, m), 0.0)
            self.contributions[source] = frame
        self.kept_events = {m.name: self.matching(m) for m in self.per_unit}
        self.step_events = {
            f.name: [self.source_events[s.source][s.keep(self.source_events[s.source]) if s.keep else slice(None)]
                     [["unit_id", "ts"]] for s in f.steps]
            for f in self.funnels
        }

    def matching(self, m: PerUnit) -> pd.DataFrame:
        """unit_id, ts, value of the events a per-unit kind reads: in its filter and
        window, with a finite number in its column (if it has one)."""
        ev = self.source_events[m.source]
        value = ev[m.column].astype(float) if m.column else pd.Series(1.0, index=ev.index)
        counted = _counted(ev, m) & value.notna() & np.isfinite(value)
        return ev.loc[counted, ["unit_id", "ts"]].assign(value=value[counted])

    # unit-level values ------------------------------------------------------------

    def eligible(self, day: pd.Timestamp) -> pd.DataFrame:
        u = self.units
        return u[(u.f <= day) & ~(u.crossed <= day)]

    def window_values(self, spans: pd.DataFrame) -> pd.DataFrame:
        """spans: one row per key with unit_id, fe_ts, lo, hi. Returns spans plus a
        column per event metric (its events in [lo, hi)), per funnel step, and per
        per-unit kind and threshold (per_unit_values)."""
        spans = spans.reset_index(drop=True)
        out = spans.copy()
        key = spans[["unit_id", "lo", "hi"]].assign(key=spans.index)
        for source, events in self.contributions.items():
            names = [m.name for m in self.events if m.source == source]
            if not names:
                continue
            j = key.merge(events, on="unit_id")
            j = j[(j.ts >= j.lo) & (j.ts < j.hi)]
            sums = j.groupby("key")[names].sum().reindex(spans.index, fill_value=0.0)
            for m in (m for m in self.events if m.source == source):
                out[m.name] = (sums[m.name] > 0).astype(float) if m.kind == "proportion" else sums[m.name].astype(float)
        for f in self.funnels:
            now, before = self.reached(f, spans, spans.hi), self.reached(f, spans, spans.lo)
            for i in range(len(f.steps)):
                out[step_column(f, i)] = now[i] - before[i]
        for m in self.per_unit:
            out = out.assign(**self.per_unit_values(m, spans, key))
        for m in self.thresholds:
            out[m.name] = (out[m.metric] >= m.at_least).astype(float)
        return out

    def per_unit_values(self, m: PerUnit, spans: pd.DataFrame, key: pd.DataFrame) -> dict[str, pd.Series]:
        """A per-unit kind's value columns per span row, from its matching events in [lo, hi)."""
        j = key.merge(self.kept_events[m.name], on="unit_id")
        j = j[(j.ts >= j.lo) & (j.ts < j.hi)].sort_values(["key", "ts"], kind="stable")
        by_span = j.groupby("key")
        if m.kind in ("max", "min"):
            value = by_span.value.max() if m.kind == "max" else by_span.value.min()
        elif m.kind in ("first", "last"):
            value = by_span.value.first() if m.kind == "first" else by_span.value.last()
        elif m.kind == "count_distinct":
            value = by_span.value.nunique()
        elif m.kind == "participation":
            value = j.assign(day=j.ts.dt.normalize()).groupby("key").day.nunique()
        else:  # retention
            value = by_span.size()
        value = value.reindex(spans.index)
        if m.has_units:
            return {m.name: value.fillna(0.0).astype(float), units_column(m.name): value.notna().astype(float)}
        if m.kind == "count_distinct":
            return {m.name: value.fillna(0.0).astype(float)}
        if m.kind == "participation":
            exposed = spans.fe_ts.dt.normalize()
            days = (spans.hi - spans.lo.where(spans.lo > exposed, exposed)) / DAY
            return {m.name: value.fillna(0.0).astype(float) / days}
        closed = (spans.fe_ts + m.window_hours[1] * HOUR <= spans.hi).astype(float)
        return {m.name: (value.fillna(0) > 0).astype(float) * closed, closed_column(m.name): closed}

    def reached(self, funnel: Funnel, spans: pd.DataFrame, cut: pd.Series) -> list[np.ndarray]:
        """Per span row, 1.0 if the unit reached each step with its events before `cut`."""
        key = spans[["unit_id", "fe_ts"]].assign(key=spans.index, cut=cut.to_numpy())
        times = []
        for events in self.step_events[funnel.name]:
            j = key.merge(events, on="unit_id")
            j = j[j.ts < j.cut]
            times.append(j.groupby("key").ts.min().reindex(spans.index))
        origin = times[0] if funnel.window_from == "first_step" else spans.fe_ts
        done = pd.Series(True, index=spans.index)
        out = []
        for i, t in enumerate(times):
            done = done & t.notna()
            if i:
                done = done & (t >= times[i - 1])
            if funnel.window_hours is not None:
                done = done & (t <= origin + funnel.window_hours * HOUR)
            out.append(done.astype(float).to_numpy())
        return out

    def days_since_exposure_values(self) -> pd.DataFrame:
        """Each unit's values on each day it was eligible (`day` = f + k, up to the
        end), with days_since_exposure = k: what the days-since-exposure rollup adds up."""
        parts = []
        for k in range((self.end - self.start).days + 1):
            u = self.units[self.units.f + k * DAY <= self.end].copy()
            u["day"] = u.f + k * DAY
            u = u[~(u.crossed <= u.day)]  # eligible on day f + k
            parts.append(u.assign(days_since_exposure=k, lo=u.day, hi=u.day + DAY))
        return self.window_values(pd.concat(parts, ignore_index=True))

    def unit_values(self, rollup: str) -> pd.DataFrame:
        """One row per as_of_date (and k) and eligible unit: variant, country and values."""
        days = pd.date_range(self.start, self.end, freq="D")
        if rollup == "days_since_exposure":
            values = self.days_since_exposure_values()
            # as of D: every (unit, k) with f + k <= D, of units not crossed over by D (README:
            # a unit is dropped from the day it is first seen in a second variant)
            return pd.concat([values[(values.day <= d) & ~(values.crossed <= d)].assign(as_of_date=d) for d in days],
                             ignore_index=True)
        width = {"cumulative": None, "daily": 1, "7day": 7}[rollup]
        parts = []
        for d in days:
            u = self.eligible(d).assign(as_of_date=d, hi=d + DAY)
            u["lo"] = NEVER if width is None else d + DAY - width * DAY
            parts.append(u)
        return self.window_values(pd.concat(parts, ignore_index=True))

    # slices and statistics --------------------------------------------------------

    def sliced(self, values: pd.DataFrame, rollup: str) -> pd.DataFrame:
        overall = values.assign(dimension="overall", dimension_value="all")
        if rollup == "days_since_exposure":
            return overall
        named = values.assign(dimension=DIMENSION, dimension_value=values[DIMENSION].astype(object)
                              .where(values[DIMENSION].notna(), "(null)"))
        kept = []
        for _, day in named.groupby("as_of_date"):
            counts = day.dimension_value.value_counts()
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            top = {v for v, _ in ranked[: self.top_n]}
            kept.append(day.assign(dimension_value=day.dimension_value.where(day.dimension_value.isin(top), "(other)")))
        return pd.concat([overall, *kept], ignore_index=True)

    def expected(self, rollup: str) -> pd.DataFrame:
        slices = self.sliced(self.unit_values(rollup), rollup)
        keys = ["as_of_date", "dimension", "dimension_value"]
        if rollup == "days_since_exposure":
            keys.append("days_since_exposure")
        rows = []
        families = result_metrics(self.metrics, rollup)
        for group, frame in slices.groupby(keys, sort=True):
            arms = {v: frame[frame.variant == v] for v in VARIANTS}
            for name, num, den in families:
                c = (arms[CONTROL][num].to_numpy(float), None if den is None else arms[CONTROL][den].to_numpy(float))
                t = (arms[TREATMENT][num].to_numpy(float), None if den is None else arms[TREATMENT][den].to_numpy(float))
                base = dict(zip(keys, group), metric=name)
                control, treatment = welch(c, t)
                rows.append({**base, "variant": CONTROL, **control})
                rows.append({**base, "variant": TREATMENT, **treatment})
        out = pd.DataFrame(rows)
        if rollup != "days_since_exposure":
            out["days_since_exposure"] = np.nan
        return out


def statistic(y: np.ndarray, d: np.ndarray | None) -> float:
    """The arm's mean, or Σy/Σd for a ratio (NaN without units or denominator)."""
    if len(y) == 0:
        return np.nan
    if d is None:
        return float(y.mean())
    return float(y.sum() / d.sum()) if d.sum() != 0 else np.nan


def per_unit(y: np.ndarray, d: np.ndarray | None, ratio: float) -> tuple[np.ndarray, bool]:
    """What a Welch test runs on: y, or for a ratio R the linearised ℓ_i + R with
    ℓ_i = (y_i − R·d_i)/d̄, whose variance / n is the delta-method variance of R;
    and whether those values are constant up to rounding (e.g. y_i = R·d_i for
    every unit: then ℓ is rounding noise, and the variance is 0)."""
    if d is None:
        return y, bool(np.ptp(y) == 0)
    terms = np.abs(np.concatenate([y, ratio * d])) / d.mean()
    linear = (y - ratio * d) / d.mean()
    if np.ptp(linear) <= 1e-12 * terms.max():
        return np.full(len(y), ratio), True
    return linear + ratio, False


def informative(y: np.ndarray, d: np.ndarray | None) -> int:
    """Units an arm's minimum sample size counts: all, or for a ratio those with d != 0."""
    return len(y) if d is None else int(np.count_nonzero(d))


def welch(control: tuple, treatment: tuple) -> tuple[dict, dict]:
    """The control row and the treatment row of one group: no test below MIN_UNITS
    informative units or when an arm does not vary; the relative interval is
    Fieller's (README: it pairs with the p-value of the absolute test)."""
    (yc, dc), (yt, dt_) = control, treatment
    mc, mt = statistic(yc, dc), statistic(yt, dt_)
    nan = dict.fromkeys(STAT_COLUMNS[3:], np.nan)
    c_row = {"units": len(yc), "mean": mc, "control_mean": mc, **nan}
    t_row = {"units": len(yt), "mean": mt, "control_mean": mc, **nan}
    if len(yc) < 2 or len(yt) < 2 or np.isnan(mc) or np.isnan(mt):
        return c_row, t_row
    if min(informative(yc, dc), informative(yt, dt_)) < MIN_UNITS:
        return c_row, t_row
    t_row["abs_effect"] = mt - mc
    (a_c, flat_c), (a_t, flat_t) = per_unit(yc, dc, mc), per_unit(yt, dt_, mt)
    v_c = a_c.var(ddof=1) / len(a_c)
    if flat_c or flat_t:  # an arm without variance: nothing to test
        return c_row, t_row
    compare = CompareMeans(DescrStatsW(a_t), DescrStatsW(a_c))
    _, p, df = compare.ttest_ind(usevar="unequal")
    lo, hi = compare.tconfint_diff(alpha=ALPHA, usevar="unequal")
    t_row.update(abs_ci_lower=lo, abs_ci_upper=hi, p_value=p)
    if mc != 0:
        t_row["rel_effect"] = mt / mc - 1
        q = sps.t.ppf(1 - ALPHA / 2, df)
        if mc**2 > q**2 * v_c:  # else Fieller's interval is unbounded
            rel_lo, rel_hi = fieller_reference(a_t, a_c, a_c, mt - mc, mc, q)
            t_row.update(rel_ci_lower=rel_lo, rel_ci_upper=rel_hi)
    return c_row, t_row
