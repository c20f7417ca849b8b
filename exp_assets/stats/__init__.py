"""Pure statistics: group-level sufficient statistics in, test results out.

Knows nothing of SQL or Dagster (in the spirit of GrowthBook's gbstats).
"""

from .analysis import RESULT_COLUMNS, analyze
from .frequentist import Effect, welch_test
from .sufficient import SampleStats

__all__ = ["RESULT_COLUMNS", "Effect", "SampleStats", "analyze", "welch_test"]
