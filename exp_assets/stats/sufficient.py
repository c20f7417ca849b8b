"""Group-level sufficient statistics: everything the warehouse has to return per arm."""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SampleStats:
    """Count, sum and sum of squares of a metric over one arm's units."""

    n: int
    sum: float
    sum_squares: float

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError(f"n must be >= 0, got {self.n}")

    @property
    def mean(self) -> float:
        if self.n < 1:
            raise ValueError("mean is undefined for n < 1")
        return self.sum / self.n

    @property
    def variance(self) -> float:
        """Sample variance (ddof=1)."""
        if self.n < 2:
            raise ValueError("variance is undefined for n < 2")
        ssd = self.sum_squares - self.sum**2 / self.n
        # The one-pass formula cancels catastrophically for (near-)constant data:
        # anything within the worst-case summation error (n * eps * sum_squares)
        # is indistinguishable from 0, and negative residues are pure rounding.
        if ssd <= self.n * sys.float_info.epsilon * abs(self.sum_squares):
            return 0.0
        return ssd / (self.n - 1)
