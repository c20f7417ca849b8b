"""One arm's sufficient statistics: the moments of up to four unit-level variables.

Per unit there are up to four variables, in this order: the metric's main value y,
its denominator d (ratio metrics), the covariate x (CUPED: the pre-exposure value of
the main) and the covariate's denominator xd (ratio metrics with CUPED). The warehouse
returns their count, sums, sums of squares and cross products (the columns of
`contract.py`); a variable is absent when its sum is NULL. Everything else is
computed from these.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .contract import DENOMINATOR_UNITS, PRODUCT_COLUMNS, VARIABLES

MAIN, DENOMINATOR, COVARIATE, COVARIATE_DENOMINATOR = range(len(VARIABLES))
_PRODUCTS = {(j, k): PRODUCT_COLUMNS[VARIABLES[j].name, VARIABLES[k].name]
             for j in range(len(VARIABLES)) for k in range(j + 1, len(VARIABLES))}


@dataclass(frozen=True, eq=False)
class Moments:
    """Count, sums and cross products of the variables over one arm's units.

    `sums` has 4 entries and `products` (sum of u_j * u_k) is 4 x 4, both 0 for
    absent variables; `present` says which variables the rows carried.
    """

    n: int
    sums: np.ndarray
    products: np.ndarray
    present: tuple[bool, bool, bool, bool]
    denominator_units: int | None = None  # units with a nonzero denominator, where known

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"Moments need n >= 1, got {self.n}")
        for name, shape in (("sums", (4,)), ("products", (4, 4))):
            value = np.array(getattr(self, name), dtype=float)
            if value.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {value.shape}")
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        # what every variance reads besides the gradient, and the variances computed
        # (analyze asks ~10 per arm, half of them twice; the arrays are read-only)
        object.__setattr__(self, "_absent", [j for j in range(4) if not self.present[j]])
        object.__setattr__(self, "_root_squares", np.sqrt(np.diag(self.products)))
        object.__setattr__(self, "_variances", {})

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Moments | None:
        """Read one input row; None for an arm without units (NULL or 0 n)."""
        n = row.get("n")
        if _missing(n) or n == 0:
            return None
        if n < 0 or n != int(n):
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        present = tuple(not _missing(row.get(v.sum)) for v in VARIABLES)
        if not present[MAIN]:
            raise ValueError(f"row with n = {n} has a NULL sum")
        sums = np.zeros(4)
        products = np.zeros((4, 4))
        for j in range(4):
            if not present[j]:
                continue
            sums[j] = _required(row, VARIABLES[j].sum, present)
            products[j, j] = _required(row, VARIABLES[j].squares, present)
        for (j, k), column in _PRODUCTS.items():
            if present[j] and present[k]:
                products[j, k] = products[k, j] = _required(row, column, present)
        nonzero = row.get(DENOMINATOR_UNITS)
        nonzero = None if _missing(nonzero) or not present[DENOMINATOR] else int(nonzero)
        return cls(int(n), sums, products, present, nonzero)  # type: ignore[arg-type]

    def has(self, variable: int) -> bool:
        return self.present[variable]

    @property
    def mean(self) -> np.ndarray:
        return self.sums / self.n

    def variance(self, gradient: np.ndarray) -> float:
        """Sample variance (ddof=1) of the per-unit linear combination gradient . u.

        This is the delta method's g' S g for a smooth function of the arm's means
        with gradient g (divide by n for the variance of the function itself).
        The one-pass formula cancels catastrophically for (near-)constant data:
        anything within the worst-case summation error, n * eps * (sum_j |g_j| *
        sqrt(sum u_j^2))^2, is indistinguishable from 0, and so are negative residues.
        """
        g = self._checked(gradient)
        key = g.tobytes()
        if key not in self._variances:
            scatter = g @ self.products @ g - (g @ self.sums) ** 2 / self.n
            noise = self.n * sys.float_info.epsilon * (np.abs(g) @ self._root_squares) ** 2
            self._variances[key] = float(scatter / (self.n - 1)) if scatter > noise else 0.0
        return self._variances[key]

    def covariance(self, gradient: np.ndarray, other: np.ndarray) -> float:
        """Sample covariance (ddof=1) of two per-unit linear combinations, kept
        within the Cauchy-Schwarz bound of the (rounding-cleaned) variances."""
        g, h = self._checked(gradient), self._checked(other)
        scatter = g @ self.products @ h - (g @ self.sums) * (h @ self.sums) / self.n
        bound = math.sqrt(self.variance(g) * self.variance(h))
        return float(min(max(scatter / (self.n - 1), -bound), bound))

    def _checked(self, gradient: np.ndarray) -> np.ndarray:
        if self.n < 2:
            raise ValueError("a variance needs n >= 2")
        g = np.asarray(gradient, dtype=float)
        if any(g[j] != 0 for j in self._absent):
            raise ValueError("gradient involves a variable the rows do not carry")
        return g


def _missing(value: Any) -> bool:
    if isinstance(value, float):  # the usual case, without pandas' generic check
        return math.isnan(value)
    return value is None or bool(pd.isna(value))


def _required(row: Mapping[str, Any], column: str, present: tuple[bool, ...]) -> float:
    value = row.get(column)
    if _missing(value):
        carried = [VARIABLES[j].name for j in range(4) if present[j]]
        raise ValueError(f"{column} is NULL in a row that carries {', '.join(carried)}")
    return float(value)
