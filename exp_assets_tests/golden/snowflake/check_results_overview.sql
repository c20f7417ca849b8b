SELECT
  "r"."as_of_date",
  "r"."metric",
  "r"."variant",
  COUNT(*) AS "row_count",
  CAST(COALESCE(SUM("r"."units"), 0) AS BIGINT) AS "units",
  CAST(COUNT_IF(
    "r"."reason" IS NULL
    AND (
      COALESCE(
        NOT (
          NOT "r"."mean" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."control_mean" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."abs_effect" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."abs_ci_lower" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."abs_ci_upper" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."rel_effect" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."rel_ci_lower" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."rel_ci_upper" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."p_value" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."p_value_adjusted" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."abs_ci_lower_adjusted" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."abs_ci_upper_adjusted" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."rel_ci_lower_adjusted" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."rel_ci_upper_adjusted" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."chance_to_beat_control" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."expected_loss" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."variance_reduction" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT "r"."theta" IN (CAST('NaN' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))
        ),
        FALSE
      )
    )
  ) AS BIGINT) AS "non_finite_rows"
FROM "exp"."exp_a_results_cumulative" AS "r"
WHERE
  "r"."dimension" = 'overall'
  AND "r"."as_of_date" >= CAST('2026-01-04' AS DATE)
  AND "r"."as_of_date" < CAST('2026-01-06' AS DATE)
GROUP BY
  "r"."as_of_date",
  "r"."metric",
  "r"."variant"
ORDER BY
  "r"."as_of_date",
  "r"."metric",
  "r"."variant"
