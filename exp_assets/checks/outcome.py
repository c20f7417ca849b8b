"""What a health check concludes, before it is bound to an asset check key, and
the metadata helpers every check shares (per-day series, the worst day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import dagster as dg
import pandas as pd

WARN = dg.AssetCheckSeverity.WARN
ERROR = dg.AssetCheckSeverity.ERROR


@dataclass(frozen=True)
class Outcome:
    passed: bool
    severity: dg.AssetCheckSeverity
    description: str
    metadata: dict = field(default_factory=dict)


def by_day(values: Mapping[dt.date, float | int]) -> dg.MetadataValue:
    """A per-day series as JSON {"YYYY-MM-DD": value}."""
    return dg.MetadataValue.json({day.isoformat(): values[day] for day in sorted(values)})


def worst_day(values: Mapping[dt.date, float], worse: Callable[[float], float]) -> dt.date:
    """The day whose value ranks highest by `worse`; on ties the latest (most data)."""
    return max(values, key=lambda day: (worse(values[day]), day))


def as_dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date
