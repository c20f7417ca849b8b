"""Deterministic synthetic warehouse for demos and end-to-end tests.

`build_demo_warehouse` writes a DuckDB file with ``raw.exposures``, ``raw.orders`` and
``raw.page_views`` for two overlapping experiments with known planted effects and the
usual data-quality quirks (multi-variant units, pre-start exposures, pre-exposure events,
a foreign experiment id).  `DemoTruth` describes what was planted.

Model (times are float days since ``DEMO_START``; everything drawn from one seeded RNG):

* Orders: half of all users are "buyers" who order as a Poisson process (user-level gamma
  rate) over the whole data window; the rest never order.  In ``checkout_redesign``
  treatment a fraction ``q`` of the non-buyers converts into buyers at their first
  in-window exposure, with ``q`` chosen so the share of ordering units is multiplied by
  1.10.  Because converted buyers behave exactly like buyers after exposure, purchase
  probability, order count and revenue per unit all rise by 10 % in expectation,
  whatever the analysis window.
* Page views: every user views pages as a Poisson process (gamma rate); in
  ``search_ranking`` treatment the rate is multiplied by 1.08 after first exposure.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

DEMO_START = date(2026, 9, 20)
DEMO_END = date(2026, 10, 28)  # last day with data, inclusive

CONTROL, TREATMENT = "control", "treatment"
VARIANTS = (CONTROL, TREATMENT)
FOREIGN_EXPERIMENT = "old_banner_test"
METRICS = ("revenue", "orders", "purchased", "page_views")
COUNTRIES = ("US", "DE", "BR", "IN", "JP")
PLATFORMS = ("ios", "android", "web")
PAGES = ("home", "search", "product", "cart", "checkout")

# experiment -> (start date, last day of first exposures, planted relative lifts)
EXPERIMENTS: dict[str, tuple[date, date, dict[str, float]]] = {
    "checkout_redesign": (
        date(2026, 10, 1),
        date(2026, 10, 21),
        {"revenue": 0.10, "orders": 0.10, "purchased": 0.10},
    ),
    "search_ranking": (date(2026, 10, 8), date(2026, 10, 21), {"page_views": 0.08}),
}

MULTI_VARIANT_RATE = 0.01  # units also exposed to the other variant
PRE_START_RATE = 0.02  # units with an extra exposure 1-5 days before start
BUYER_RATE = 0.5  # share of users who order at all (absent treatment)
ORDER_RATE = (2.0, 0.04)  # gamma(shape, scale) orders/day for buyers
VIEW_RATE = (2.0, 0.5)  # gamma(shape, scale) page views/day
RE_EXPOSURES = 2.0  # mean number of extra exposures per unit

_DAYS = (DEMO_END - DEMO_START).days + 1
_T0 = np.datetime64(DEMO_START.isoformat(), "us")
_US_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class DemoTruth:
    """What `build_demo_warehouse` planted.  Mapping fields make instances unhashable."""

    path: pathlib.Path
    seed: int
    units_per_experiment: int
    data_start: date
    data_end: date  # inclusive
    start_dates: dict[str, date]  # experiment -> start date
    variants: tuple[str, str]  # (control, treatment)
    lifts: dict[tuple[str, str], float]  # (experiment, metric) -> planted relative lift
    null_effects: frozenset[tuple[str, str]]  # (experiment, metric) with no planted effect
    multi_variant_units: dict[str, int]  # experiment -> units exposed to both variants
    pre_start_units: dict[str, int]  # experiment -> units with an exposure before start
    pre_start_only_users: dict[str, int]  # experiment -> users exposed only before start
    foreign_experiment: str
    foreign_exposures: int
    row_counts: dict[str, int]  # table name (e.g. "raw.orders") -> rows

    @property
    def experiments(self) -> tuple[str, ...]:
        return tuple(self.start_dates)

    def lift(self, experiment: str, metric: str) -> float:
        return self.lifts[(experiment, metric)]

    def has_effect(self, experiment: str, metric: str) -> bool:
        return (experiment, metric) not in self.null_effects


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


def _experiment(rng, n_pop, n_units, start, ramp_end):
    """Exposure rows (user, variant code, t) and per-unit (user, variant, first t)."""
    units = rng.choice(n_pop, n_units, replace=False)
    variant = rng.integers(0, 2, n_units)
    first = rng.integers(_day(start), _day(ramp_end) + 1, n_units) + rng.random(n_units)

    again = np.repeat(np.arange(n_units), rng.poisson(RE_EXPOSURES, n_units))
    multi = np.flatnonzero(rng.random(n_units) < MULTI_VARIANT_RATE)
    pre = np.flatnonzero(rng.random(n_units) < PRE_START_RATE)
    pre_t = _day(start) - rng.integers(1, 6, pre.size) + rng.random(pre.size)

    outsiders = np.setdiff1d(np.arange(n_pop), units)
    only = rng.choice(outsiders, max(3, n_units // 1000), replace=False)
    only_t = _day(start) - rng.integers(1, 6, only.size) + rng.random(only.size)

    rows = pd.DataFrame(
        {
            "user": np.concatenate([units, units[again], units[multi], units[pre], only]),
            "variant": np.concatenate(
                [variant, variant[again], 1 - variant[multi], variant[pre], rng.integers(0, 2, only.size)]
            ),
            "t": np.concatenate([first, _later(rng, first[again]), _later(rng, first[multi]), pre_t, only_t]),
        }
    )
    quirks = {"multi": multi.size, "pre": pre.size, "only": only.size}
    return rows, units, variant, first, quirks


def _frame(cols: dict, users: np.ndarray, t: np.ndarray, user_ids: pd.Index) -> pd.DataFrame:
    order = np.argsort(t, kind="stable")
    df = pd.DataFrame({k: v[order] for k, v in cols.items()})
    df.insert(0, "user_id", pd.Categorical.from_codes(users[order], categories=user_ids))
    df.insert(1, "ts", _ts(t[order]))
    return df


def build_demo_warehouse(
    path: str | pathlib.Path, *, units_per_experiment: int = 20_000, seed: int = 7
) -> DemoTruth:
    """(Re)create the DuckDB file at `path` with the raw demo tables; return the truth."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)

    rng = np.random.default_rng(seed)
    n_pop = 2 * units_per_experiment
    user_ids = pd.Index([f"u{i:06d}" for i in range(n_pop)])
    country = rng.integers(0, len(COUNTRIES), n_pop)
    platform = rng.integers(0, len(PLATFORMS), n_pop)

    # Exposures, plus the per-user time each experiment's treatment effect starts.
    frames, quirks, effect_start = [], {}, {}
    for exp_id, (start, ramp_end, _) in EXPERIMENTS.items():
        rows, units, variant, first, quirks[exp_id] = _experiment(
            rng, n_pop, units_per_experiment, start, ramp_end
        )
        frames.append(rows.assign(experiment=exp_id))
        t_eff = np.full(n_pop, np.inf)
        t_eff[units[variant == 1]] = first[variant == 1]
        effect_start[exp_id] = t_eff
    n_foreign = max(10, units_per_experiment // 500)
    frames.append(
        pd.DataFrame(
            {
                "user": rng.integers(0, n_pop, n_foreign),
                "variant": rng.integers(0, 2, n_foreign),
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
            "variant": np.array(VARIANTS)[exp["variant"].to_numpy()],
            "country": np.array(COUNTRIES)[country[users]],
            "platform": np.array(PLATFORMS)[platform[users]],
        },
        users,
        exp["t"].to_numpy(),
        user_ids,
    )

    # Orders: buyers order all along; treated checkout non-buyers convert at exposure.
    p = BUYER_RATE
    lift = EXPERIMENTS["checkout_redesign"][2]["purchased"]
    buyer = rng.random(n_pop) < p
    t_co = effect_start["checkout_redesign"]
    converts = ~buyer & np.isfinite(t_co) & (rng.random(n_pop) < lift * p / (1 - p))
    order_from = np.where(buyer, 0.0, np.where(converts, t_co, _DAYS))
    rate = rng.gamma(*ORDER_RATE, n_pop)
    o_user, o_t = _poisson_times(rng, np.arange(n_pop), order_from, np.full(n_pop, float(_DAYS)), rate)
    amount = np.round(rng.lognormal(3.7, 0.5, o_user.size), 2)
    orders = _frame({"amount": amount}, o_user, o_t, user_ids)
    orders.insert(0, "order_id", np.arange(1, len(orders) + 1, dtype=np.int64))

    # Page views: rate multiplied by (1 + lift) after first search_ranking exposure.
    pv_lift = EXPERIMENTS["search_ranking"][2]["page_views"]
    t_sr = np.minimum(effect_start["search_ranking"], _DAYS)
    mu = rng.gamma(*VIEW_RATE, n_pop)
    everyone = np.arange(n_pop)
    u1, t1 = _poisson_times(rng, everyone, np.zeros(n_pop), t_sr, mu)
    u2, t2 = _poisson_times(rng, everyone, t_sr, np.full(n_pop, float(_DAYS)), mu * (1 + pv_lift))
    pv_users, pv_t = np.concatenate([u1, u2]), np.concatenate([t1, t2])
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

    lifts = {(e, m): cfg[2].get(m, 0.0) for e, cfg in EXPERIMENTS.items() for m in METRICS}
    return DemoTruth(
        path=path,
        seed=seed,
        units_per_experiment=units_per_experiment,
        data_start=DEMO_START,
        data_end=DEMO_END,
        start_dates={e: cfg[0] for e, cfg in EXPERIMENTS.items()},
        variants=VARIANTS,
        lifts=lifts,
        null_effects=frozenset(k for k, v in lifts.items() if v == 0.0),
        multi_variant_units={e: q["multi"] for e, q in quirks.items()},
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
