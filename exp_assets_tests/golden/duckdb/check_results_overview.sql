SELECT
  r.as_of_date,
  r.metric,
  r.variant,
  COUNT(*) AS row_count,
  CAST(COALESCE(SUM(r.units), 0) AS BIGINT) AS units,
  CAST(COUNT(*) FILTER(WHERE
    r.reason IS NULL
    AND (
      COALESCE(NOT ISFINITE(r."mean"), FALSE)
      OR COALESCE(NOT ISFINITE(r."control_mean"), FALSE)
      OR COALESCE(NOT ISFINITE(r."abs_effect"), FALSE)
      OR COALESCE(NOT ISFINITE(r."abs_ci_lower"), FALSE)
      OR COALESCE(NOT ISFINITE(r."abs_ci_upper"), FALSE)
      OR COALESCE(NOT ISFINITE(r."rel_effect"), FALSE)
      OR COALESCE(NOT ISFINITE(r."rel_ci_lower"), FALSE)
      OR COALESCE(NOT ISFINITE(r."rel_ci_upper"), FALSE)
      OR COALESCE(NOT ISFINITE(r."p_value"), FALSE)
      OR COALESCE(NOT ISFINITE(r."p_value_adjusted"), FALSE)
      OR COALESCE(NOT ISFINITE(r."abs_ci_lower_adjusted"), FALSE)
      OR COALESCE(NOT ISFINITE(r."abs_ci_upper_adjusted"), FALSE)
      OR COALESCE(NOT ISFINITE(r."rel_ci_lower_adjusted"), FALSE)
      OR COALESCE(NOT ISFINITE(r."rel_ci_upper_adjusted"), FALSE)
      OR COALESCE(NOT ISFINITE(r."chance_to_beat_control"), FALSE)
      OR COALESCE(NOT ISFINITE(r."expected_loss"), FALSE)
      OR COALESCE(NOT ISFINITE(r."variance_reduction"), FALSE)
      OR COALESCE(NOT ISFINITE(r."theta"), FALSE)
    )) AS BIGINT) AS non_finite_rows
FROM "exp"."exp_a_results_cumulative" AS r
WHERE
  r.dimension = 'overall'
  AND r.as_of_date >= CAST('2026-01-04' AS DATE)
  AND r.as_of_date < CAST('2026-01-06' AS DATE)
GROUP BY
  r.as_of_date,
  r.metric,
  r.variant
ORDER BY
  r.as_of_date,
  r.metric,
  r.variant
