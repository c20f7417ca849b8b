"""The results time series an experiment reports (one results artifact each)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rollup:
    """A results time series: each unit's value over the `days` ending D (None:
    since its first exposure), optionally split by days since exposure."""

    name: str
    days: int | None
    by_days_since_exposure: bool = False


ROLLUPS = (
    Rollup("cumulative", None),
    Rollup("daily", 1),
    Rollup("7day", 7),
    Rollup("days_since_exposure", 1, by_days_since_exposure=True),
)
