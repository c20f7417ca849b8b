"""Deterministic synthetic warehouse for demos and end-to-end tests.

`build_demo_warehouse` writes a DuckDB file with ``raw.exposures``, ``raw.orders`` and
``raw.page_views`` for three overlapping experiments with known planted effects and the
usual data-quality quirks (multi-variant units, pre-start exposures, pre-exposure events,
a foreign experiment id).  `DemoTruth` describes what was planted.

=================  ==========  ==============================  ===============================
experiment         start       variants (assignment weights)   planted effect (vs control)
=================  ==========  ==============================  ===============================
checkout_redesign  2026-10-01  control, treatment (1/2 each)   purchased, orders, revenue +10 %
search_ranking     2026-10-08  control, treatment (1/2 each)   page_views +8 %
pricing_page       2026-10-12  control 0.34, discount 0.33,    discount: purchased, orders +18 %,
                               premium 0.33                    revenue_per_order -20 %, so
                                                               revenue -5.6 %; premium: none
=================  ==========  ==============================  ===============================

Health: the quirks sit well inside the health checks' thresholds, so every check passes
except where a problem is planted: 0.4 % of units are also exposed to another variant
(the crossover check warns above 1 %), and the weights are the demo config's.  One problem
is planted: **search_ranking loses the exposure rows of 20 % of its treatment units**
(`LOST_EXPOSURES`; as if the new ranking page failed to log them), so the experiment sees
about 1 treatment unit for every 0.8 control units against a configured 50/50 split and
its sample-ratio (SRM) check fails from about 2,000 units per experiment on.  The lost
units are a random fifth of the arm, so its results are not biased, only smaller; a real
SRM is rarely that benign, which is why the report shows a banner over the results.

Model (times are float days since ``DEMO_START``; everything drawn from one seeded RNG).
Every experiment draws its units from one shared population of
``2 * units_per_experiment`` users, so experiments overlap; each assigns variants with
its weights, independently of the others.

* Orders: each user has a persistent propensity ``U ~ Uniform(0, 1)``.  A user is an
  ordering user ("buyer") from time t on iff ``U < BUYER_RATE * m(t)``, where ``m(t)`` is
  the product of the ``buy`` multipliers of the treatments whose effect has started for
  that user by t (a treatment's effect starts at the unit's first in-window exposure).
  Without treatment half of all users order over the whole data window and the rest
  never do; a treatment with ``buy = 1.10`` turns the right share of non-buyers into
  buyers at exposure.  Buyers order as a Poisson process at a persistent user-level
  gamma rate.  Because ``m`` is a product and the order rate does not depend on ``U``,
  purchase probability, order count and revenue per unit rise by exactly ``buy - 1`` in
  expectation, whatever the analysis window and whatever the other experiments do.
* Order amounts are lognormal, multiplied by the ``amount`` multipliers of the
  treatments that started before the order, so revenue per order changes by
  ``amount - 1`` and revenue per unit by ``buy * amount - 1``.
* Page views: every user views pages as a Poisson process at a persistent gamma rate,
  multiplied by ``views`` after the first exposure to a treatment that has one.

Because the per-user rates (buyer or not, order rate, view rate) persist over the whole
window, a unit's orders and page views in the 14 days before its first exposure predict
its post-exposure values well (CUPED); treatment effects only start at exposure.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import pandas as pd

DEMO_START = date(2026, 9, 20)
DEMO_END = date(2026, 10, 28)  # last day with data, inclusive

CONTROL, TREATMENT = "control", "treatment"
FOREIGN_EXPERIMENT = "old_banner_test"
METRICS = ("revenue", "orders", "purchased", "page_views", "revenue_per_order")
COUNTRIES = ("US", "DE", "BR", "IN", "JP")
PLATFORMS = ("ios", "android", "web")
PAGES = ("home", "search", "product", "cart", "checkout")


@dataclass(frozen=True)
class _Arm:
    """The planted mechanism of one variant: multipliers applied from first exposure."""

    buy: float = 1.0  # share of ordering users (so purchase probability and order count); >= 1
    amount: float = 1.0  # each order's amount
    views: float = 1.0  # page-view rate

    def lifts(self) -> dict[str, float]:
        """Relative lift vs control of each metric in `METRICS`."""
        return {
            m: round(v - 1.0, 12)
            for m, v in {
                "revenue": self.buy * self.amount,
                "orders": self.buy,
                "purchased": self.buy,
                "page_views": self.views,
                "revenue_per_order": self.amount,
            }.items()
        }


@dataclass(frozen=True)
class _Experiment:
    start: date
    ramp_end: date  # last day of first exposures
    arms: dict[str, _Arm]  # variant -> mechanism; the first is the control
    weights: tuple[float, ...] | None = None  # assignment probabilities in arm order; None: equal
    lost: dict[str, float] = field(default_factory=dict)  # variant -> share of its units never logged

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(self.arms)

    @property
    def probabilities(self) -> tuple[float, ...]:
        return self.weights or tuple(1 / len(self.arms) for _ in self.arms)


EXPERIMENTS: dict[str, _Experiment] = {
    "checkout_redesign": _Experiment(
        date(2026, 10, 1), date(2026, 10, 21), {CONTROL: _Arm(), TREATMENT: _Arm(buy=1.10)}
    ),
    "search_ranking": _Experiment(
        date(2026, 10, 8), date(2026, 10, 21), {CONTROL: _Arm(), TREATMENT: _Arm(views=1.08)},
        lost={TREATMENT: 0.20},  # the planted health problem: a sample ratio mismatch
    ),
    # discount's +18 % rather than +15 %: orders are overdispersed (half the users never order,
    # gamma rates), so at the default scale +15 % averages only z ~ 3.5 on orders (plain Welch)
    # and +18 % about 4.4 (z ~ 5 with CUPED).
    "pricing_page": _Experiment(
        date(2026, 10, 12),
        date(2026, 10, 24),
        {CONTROL: _Arm(), "discount": _Arm(buy=1.18, amount=0.80), "premium": _Arm()},
        weights=(0.34, 0.33, 0.33),  # demo.yaml's (weights must add up to 1, so not thirds)
    ),
}

MULTI_VARIANT_RATE = 0.004  # units also exposed to another variant: well below the check's 1 % warning
PRE_START_RATE = 0.02  # units with an extra exposure 1-5 days before start
BUYER_RATE = 0.5  # share of users who order at all (absent treatment)
ORDER_RATE = (2.0, 0.04)  # gamma(shape, scale) orders/day for buyers
VIEW_RATE = (2.0, 0.5)  # gamma(shape, scale) page views/day
AMOUNT = (3.7, 0.5)  # lognormal(mean, sigma) of an order's amount before treatment
RE_EXPOSURES = 2.0  # mean number of extra exposures per unit

_DAYS = (DEMO_END - DEMO_START).days + 1
_T0 = np.datetime64(DEMO_START.isoformat(), "us")
_US_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class DemoTruth:
    """What `build_demo_warehouse` planted.  Mapping fields make instances unhashable.

    Lifts are relative differences of the per-unit mean (``revenue_per_order``: of total
    revenue over total orders) of a treatment vs the control, for units first exposed on
    or after the start, measured from their first exposure.  They are keyed by
    ``(experiment, variant, metric)`` for every treatment variant of every experiment and
    every metric in ``metrics``; a 0.0 lift is a null effect.  For an experiment with a
    single treatment, ``lift(experiment, metric)`` and ``has_effect(experiment, metric)``
    need no variant; ``pricing_page`` has two treatments, so pass ``variant=``.
    """

    path: pathlib.Path
    seed: int
    units_per_experiment: int
    data_start: date
    data_end: date  # inclusive
    start_dates: dict[str, date]  # experiment -> start date
    variants: dict[str, tuple[str, ...]]  # experiment -> (control, *treatments)
    weights: dict[str, dict[str, float]]  # experiment -> variant -> assignment probability
    metrics: tuple[str, ...]  # metrics covered by `lifts`
    lifts: dict[tuple[str, str, str], float]  # (experiment, treatment, metric) -> relative lift
    null_effects: frozenset[tuple[str, str, str]]  # (experiment, treatment, metric) with lift 0
    multi_variant_units: dict[str, int]  # experiment -> units exposed to more than one variant
    lost_units: dict[str, dict[str, int]]  # experiment -> variant -> assigned units whose exposures were dropped
    pre_start_units: dict[str, int]  # experiment -> units with an exposure before start
    pre_start_only_users: dict[str, int]  # experiment -> users exposed only before start
    foreign_experiment: str
    foreign_exposures: int
    row_counts: dict[str, int]  # table name (e.g. "raw.orders") -> rows

    @property
    def experiments(self) -> tuple[str, ...]:
        return tuple(self.start_dates)

    def control(self, experiment: str) -> str:
        return self.variants[experiment][0]

    def treatments(self, experiment: str) -> tuple[str, ...]:
        return self.variants[experiment][1:]

    def _treatment(self, experiment: str, variant: str | None) -> str:
        treatments = self.treatments(experiment)
        if variant is None:
            if len(treatments) != 1:
                raise ValueError(f"{experiment} has treatments {', '.join(treatments)}; pass variant=")
            return treatments[0]
        if variant not in treatments:
            raise KeyError(f"{variant!r} is not a treatment of {experiment} ({', '.join(treatments)})")
        return variant

    def lift(self, experiment: str, metric: str, variant: str | None = None) -> float:
        """Planted relative lift of `variant` (default: the only treatment) vs control."""
        return self.lifts[(experiment, self._treatment(experiment, variant), metric)]

    def has_effect(self, experiment: str, metric: str, variant: str | None = None) -> bool:
        return (experiment, self._treatment(experiment, variant), metric) not in self.null_effects


def _day(d: date) -> int:
    return (d - DEMO_START).days


def _ts(t: np.ndarray) -> np.ndarray:
    """Float days since DEMO_START -> datetime64[us], clipped into the data window."""
    us = np.clip((t * _US_PER_DAY).astype(np.int64), 0, _DAYS * _US_PER_DAY - 1)
    return _T0 + us.astype("timedelta64[us]")


def _later(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """A uniform time between t and the end of the data window."""
    return t + rng.random(t.size) * (_DAYS - t)


def _poisson_times(rng, users, start, end, rate):
    """Poisson process at `rate`/day on [start, end) per user -> (user, t) arrays."""
    length = np.maximum(end - start, 0.0)
    n = rng.poisson(rate * length)
    who = np.repeat(np.arange(users.size), n)
    return users[who], start[who] + rng.random(who.size) * length[who]


def _experiment(rng, n_pop, n_units, spec: _Experiment):
    """Exposure rows (user, variant code, t), per-unit (user, variant, first t) of the
    units it assigned, its quirk counts and how many units of each arm were lost."""
    n_variants = len(spec.arms)
    units = rng.choice(n_pop, n_units, replace=False)
    variant = rng.choice(n_variants, n_units, p=spec.probabilities)
    first = rng.integers(_day(spec.start), _day(spec.ramp_end) + 1, n_units) + rng.random(n_units)
    # units whose exposures are never logged (the planted SRM): assigned and treated, never seen
    logged = np.ones(n_units, dtype=bool)
    for name, share in spec.lost.items():
        logged &= ~((variant == spec.variants.index(name)) & (rng.random(n_units) < share))
    lost = {name: int(np.sum(~logged & (variant == spec.variants.index(name)))) for name in spec.lost}

    again = np.repeat(np.arange(n_units), rng.poisson(RE_EXPOSURES, n_units))
    multi = np.flatnonzero(rng.random(n_units) < MULTI_VARIANT_RATE)
    other = (variant[multi] + rng.integers(1, n_variants, multi.size)) % n_variants
    pre = np.flatnonzero(rng.random(n_units) < PRE_START_RATE)
    pre_t = _day(spec.start) - rng.integers(1, 6, pre.size) + rng.random(pre.size)

    outsiders = np.setdiff1d(np.arange(n_pop), units)
    only = rng.choice(outsiders, max(3, n_units // 1000), replace=False)
    only_t = _day(spec.start) - rng.integers(1, 6, only.size) + rng.random(only.size)

    unit_of_row = np.concatenate([np.arange(n_units), again, multi, pre])
    keep = np.concatenate([logged[unit_of_row], np.ones(only.size, dtype=bool)])
    rows = pd.DataFrame(
        {
            "user": np.concatenate([units, units[again], units[multi], units[pre], only]),
            "variant": np.concatenate(
                [variant, variant[again], other, variant[pre], rng.integers(0, n_variants, only.size)]
            ),
            "t": np.concatenate([first, _later(rng, first[again]), _later(rng, first[multi]), pre_t, only_t]),
        }
    )[keep]
    quirks = {"multi": int(logged[multi].sum()), "pre": int(logged[pre].sum()), "only": only.size, "lost": lost}
    return rows, units, variant, first, quirks


def _by_time(starts: list[np.ndarray], factors: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Per user, effect start times in increasing order and the cumulative product of the
    factors of the effects started by each of them (each array n_pop x n_effects)."""
    t = np.column_stack(starts)
    f = np.where(np.isfinite(t), np.array(factors), 1.0)
    order = np.argsort(t, axis=1, kind="stable")
    return np.take_along_axis(t, order, 1), np.cumprod(np.take_along_axis(f, order, 1), axis=1)


def _frame(cols: dict, users: np.ndarray, t: np.ndarray, user_ids: pd.Index) -> pd.DataFrame:
    order = np.argsort(t, kind="stable")
    df = pd.DataFrame({k: v[order] for k, v in cols.items()})
    df.insert(0, "user_id", pd.Categorical.from_codes(users[order], categories=user_ids))
    df.insert(1, "ts", _ts(t[order]))
    return df


def build_demo_warehouse(
    path: str | pathlib.Path, *, units_per_experiment: int = 20_000, seed: int = 9
) -> DemoTruth:
    """(Re)create the DuckDB file at `path` with the raw demo tables; return the truth.

    At the default scale and seed every planted effect is found and no null one
    (test_cli checks the demo's verdicts); another seed is another random draw,
    where a weak planted effect may be missed or a null one come out significant."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)

    rng = np.random.default_rng(seed)
    n_pop = 2 * units_per_experiment
    everyone = np.arange(n_pop)
    user_ids = pd.Index([f"u{i:06d}" for i in range(n_pop)])
    country = rng.integers(0, len(COUNTRIES), n_pop)
    platform = rng.integers(0, len(PLATFORMS), n_pop)

    # Exposures, plus for each treatment with an effect the per-user time it starts.
    frames, quirks, effects = [], {}, []  # effects: (start time per user, _Arm)
    for exp_id, spec in EXPERIMENTS.items():
        rows, units, variant, first, quirks[exp_id] = _experiment(rng, n_pop, units_per_experiment, spec)
        frames.append(rows.assign(variant=np.array(spec.variants)[rows["variant"]], experiment=exp_id))
        for code, arm in enumerate(spec.arms.values()):
            if arm != _Arm():
                t_eff = np.full(n_pop, np.inf)
                t_eff[units[variant == code]] = first[variant == code]
                effects.append((t_eff, arm))
    n_foreign = max(10, units_per_experiment // 500)
    frames.append(
        pd.DataFrame(
            {
                "user": rng.integers(0, n_pop, n_foreign),
                "variant": np.array((CONTROL, TREATMENT))[rng.integers(0, 2, n_foreign)],
                "t": rng.random(n_foreign) * _day(date(2026, 10, 10)),
                "experiment": FOREIGN_EXPERIMENT,
            }
        )
    )
    exp = pd.concat(frames, ignore_index=True)
    users = exp["user"].to_numpy()
    exposures = _frame(
        {
            "experiment_id": exp["experiment"].to_numpy(),
            "variant": exp["variant"].to_numpy(),
            "country": np.array(COUNTRIES)[country[users]],
            "platform": np.array(PLATFORMS)[platform[users]],
        },
        users,
        exp["t"].to_numpy(),
        user_ids,
    )

    # Orders: a user orders from the first time BUYER_RATE * m(t) exceeds its propensity.
    propensity = rng.random(n_pop)
    order_from = np.where(propensity < BUYER_RATE, 0.0, float(_DAYS))
    buys = [(t, a.buy) for t, a in effects if a.buy != 1.0]
    if buys:
        assert all(b > 1.0 for _, b in buys), "buy multipliers below 1 are not supported"
        t_sorted, m = _by_time(*zip(*buys))
        reached = BUYER_RATE * m > propensity[:, None]
        converts = (order_from > 0) & reached.any(axis=1)
        t_conv = np.take_along_axis(t_sorted, reached.argmax(axis=1)[:, None], 1)[:, 0]
        order_from = np.where(converts, np.minimum(t_conv, _DAYS), order_from)
    rate = rng.gamma(*ORDER_RATE, n_pop)
    o_user, o_t = _poisson_times(rng, everyone, order_from, np.full(n_pop, float(_DAYS)), rate)
    amount = rng.lognormal(*AMOUNT, o_user.size)
    for t_eff, arm in effects:
        if arm.amount != 1.0:
            amount = np.where(o_t >= t_eff[o_user], amount * arm.amount, amount)
    orders = _frame({"amount": np.round(amount, 2)}, o_user, o_t, user_ids)
    orders.insert(0, "order_id", np.arange(1, len(orders) + 1, dtype=np.int64))

    # Page views: a piecewise-constant rate, multiplied at each view effect's start.
    mu = rng.gamma(*VIEW_RATE, n_pop)
    cuts = [np.zeros(n_pop)]
    rates = [mu]
    views = [(t, a.views) for t, a in effects if a.views != 1.0]
    if views:
        t_sorted, m = _by_time(*zip(*views))
        cuts += list(np.minimum(t_sorted, _DAYS).T)
        rates += list((mu[:, None] * m).T)
    cuts.append(np.full(n_pop, float(_DAYS)))
    segments = [_poisson_times(rng, everyone, cuts[i], cuts[i + 1], rates[i]) for i in range(len(rates))]
    pv_users = np.concatenate([u for u, _ in segments])
    pv_t = np.concatenate([t for _, t in segments])
    page = np.array(PAGES)[rng.choice(len(PAGES), pv_users.size, p=[0.3, 0.25, 0.3, 0.1, 0.05])]
    page_views = _frame({"page": page}, pv_users, pv_t, user_ids)

    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA raw")
        con.register("exposures_df", exposures)
        con.register("orders_df", orders)
        con.register("page_views_df", page_views)
        con.execute(
            """
            CREATE TABLE raw.exposures (user_id VARCHAR, experiment_id VARCHAR, variant VARCHAR,
                                        ts TIMESTAMP, country VARCHAR, platform VARCHAR);
            INSERT INTO raw.exposures
                SELECT user_id::VARCHAR, experiment_id, variant, ts::TIMESTAMP, country, platform
                FROM exposures_df ORDER BY ts, user_id, experiment_id;
            CREATE TABLE raw.orders (order_id BIGINT, user_id VARCHAR, ts TIMESTAMP, amount DOUBLE);
            INSERT INTO raw.orders
                SELECT order_id, user_id::VARCHAR, ts::TIMESTAMP, amount
                FROM orders_df ORDER BY ts, order_id;
            CREATE TABLE raw.page_views (user_id VARCHAR, ts TIMESTAMP, page VARCHAR);
            INSERT INTO raw.page_views
                SELECT user_id::VARCHAR, ts::TIMESTAMP, page FROM page_views_df ORDER BY ts, user_id;
            CHECKPOINT;
            """
        )

    lifts = {
        (e, v, m): lift
        for e, spec in EXPERIMENTS.items()
        for v, arm in list(spec.arms.items())[1:]
        for m, lift in arm.lifts().items()
    }
    return DemoTruth(
        path=path,
        seed=seed,
        units_per_experiment=units_per_experiment,
        data_start=DEMO_START,
        data_end=DEMO_END,
        start_dates={e: spec.start for e, spec in EXPERIMENTS.items()},
        variants={e: spec.variants for e, spec in EXPERIMENTS.items()},
        weights={e: dict(zip(spec.variants, spec.probabilities)) for e, spec in EXPERIMENTS.items()},
        metrics=METRICS,
        lifts=lifts,
        null_effects=frozenset(k for k, v in lifts.items() if v == 0.0),
        multi_variant_units={e: q["multi"] for e, q in quirks.items()},
        lost_units={e: q["lost"] for e, q in quirks.items() if q["lost"]},
        pre_start_units={e: q["pre"] for e, q in quirks.items()},
        pre_start_only_users={e: q["only"] for e, q in quirks.items()},
        foreign_experiment=FOREIGN_EXPERIMENT,
        foreign_exposures=n_foreign,
        row_counts={
            "raw.exposures": len(exposures),
            "raw.orders": len(orders),
            "raw.page_views": len(page_views),
        },
    )
