"""Pure statistics: group-level sufficient statistics in, test results out.

Knows nothing of SQL or Dagster (in the spirit of GrowthBook's gbstats): the warehouse
returns per-arm moments (MOMENT_COLUMNS), `analyze` turns them into results rows
(STATISTIC_COLUMNS of the results table, RESULT_COLUMNS).

    contract.py     the columns in (moments) and out (results), named once
    moments.py      the per-arm moments record and the delta method's g' S g
    arms.py         an arm's statistic (mean or ratio) and covariate, linearised
    cuped.py        the pooled CUPED coefficient theta
    difference.py   treatment - control: absolute and relative effects, variances
    frequentist.py  Welch df, t intervals, p-values
    sequential.py   always-valid confidence sequences
    bayesian.py     Gaussian posterior of the relative effect
    corrections.py  multiple-testing corrections
    inference.py    a Difference -> the numbers a results row reports
    quantile.py     quantiles from mergeable log-bucket histograms, with intervals
    options.py      AnalysisOptions
    analysis.py     the frame in, the frame out
"""

from .analysis import analyze
from .contract import MOMENT_COLUMNS, RESULT_COLUMNS, STATISTIC_COLUMNS
from .moments import Moments
from .options import AnalysisOptions

__all__ = ["MOMENT_COLUMNS", "RESULT_COLUMNS", "STATISTIC_COLUMNS", "AnalysisOptions", "Moments", "analyze"]
