"""Half-open ranges of UTC days: the unit every partition window is made of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayRange:
    start: dt.date  # first day
    end: dt.date  # day after the last

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"day range ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> list[dt.date]:
        return [self.start + i * ONE_DAY for i in range((self.end - self.start).days)]

    @property
    def last(self) -> dt.date:
        return self.end - ONE_DAY

    def __bool__(self) -> bool:
        return self.end > self.start

    def chunks(self, days: int) -> list[DayRange]:
        """Consecutive ranges of at most `days` days covering this one."""
        step = dt.timedelta(days=days)
        return [DayRange(d, min(d + step, self.end)) for d in self.days[::days]]

    def __str__(self) -> str:
        return f"{self.start}..{self.last}" if self else f"empty range at {self.start}"


def contiguous_ranges(days: Iterable[dt.date]) -> list[DayRange]:
    """[d1, d2, d3, d7] -> [d1..d3, d7..d7]."""
    ranges: list[DayRange] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1].end == day:
            ranges[-1] = DayRange(ranges[-1].start, day + ONE_DAY)
        else:
            ranges.append(DayRange(day, day + ONE_DAY))
    return ranges
