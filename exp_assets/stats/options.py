"""What an analysis is asked to compute: one small, validated, immutable record."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

ENGINES = ("frequentist", "bayesian")
CORRECTIONS = ("none", "bonferroni", "holm", "bh")
RELATIVE_INTERVALS = ("fieller", "delta")
# Fewest units an arm needs to be compared (for ratio metrics: units with a nonzero
# denominator); below it the row is null with a reason.
DEFAULT_MIN_UNITS = 10


@dataclass(frozen=True)
class AnalysisOptions:
    """Options of `analyze`. Invalid values raise ValueError naming the field."""

    alpha: float = 0.05
    engine: str = "frequentist"  # "frequentist" | "bayesian"
    sequential: bool = False  # frequentist only: always-valid confidence sequences
    sequential_tuning: float = 5000.0  # N*, the total sample size where the sequence is tightest
    correction: str = "none"  # "none" | "bonferroni" | "holm" | "bh"
    prior_mean: float = 0.0  # Bayesian prior on the relative effect ...
    prior_stddev: float | None = None  # ... N(prior_mean, prior_stddev**2); None = flat
    cuped: bool = True  # use covariates when the rows carry them
    # "fieller": p-value of the absolute test, Fieller's interval for the relative
    # effect (it excludes 0 exactly when that test rejects); "delta": p-value and
    # interval both from the delta method on the relative effect
    relative_interval: str = "fieller"
    min_units: int = DEFAULT_MIN_UNITS

    def __post_init__(self) -> None:
        if not _is_number(self.alpha) or not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be a number in (0, 1), got {self.alpha!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {self.engine!r}")
        if not isinstance(self.sequential, bool):
            raise ValueError(f"sequential must be a bool, got {self.sequential!r}")
        if self.sequential and self.engine != "frequentist":
            raise ValueError("sequential applies to the frequentist engine only")
        if not _is_number(self.sequential_tuning) or not 0 < self.sequential_tuning < math.inf:
            raise ValueError(f"sequential_tuning must be a positive number, got {self.sequential_tuning!r}")
        if self.correction not in CORRECTIONS:
            raise ValueError(f"correction must be one of {CORRECTIONS}, got {self.correction!r}")
        if not _is_number(self.prior_mean) or not math.isfinite(self.prior_mean):
            raise ValueError(f"prior_mean must be a finite number, got {self.prior_mean!r}")
        if self.prior_stddev is not None and (
            not _is_number(self.prior_stddev) or not 0 < self.prior_stddev < math.inf
        ):
            raise ValueError(f"prior_stddev must be None or a positive number, got {self.prior_stddev!r}")
        if not isinstance(self.cuped, bool):
            raise ValueError(f"cuped must be a bool, got {self.cuped!r}")
        if self.relative_interval not in RELATIVE_INTERVALS:
            raise ValueError(f"relative_interval must be one of {RELATIVE_INTERVALS}, got {self.relative_interval!r}")
        if isinstance(self.min_units, bool) or not isinstance(self.min_units, int) or self.min_units < 2:
            raise ValueError(f"min_units must be an integer >= 2, got {self.min_units!r}")

    @property
    def method(self) -> str:
        """The name the results table gives to this way of testing."""
        if self.engine == "bayesian":
            return "bayesian_gaussian"
        return "sequential_t" if self.sequential else "welch_t"


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(value)
