SELECT
  `r`.`as_of_date`,
  `r`.`metric`,
  `r`.`variant`,
  COUNT(*) AS `row_count`,
  CAST(COALESCE(SUM(`r`.`units`), 0) AS INT64) AS `units`,
  CAST(COUNTIF(
    `r`.`reason` IS NULL
    AND (
      COALESCE(NOT (
        NOT (
          IS_INF(`r`.`mean`) OR IS_NAN(`r`.`mean`)
        )
      ), FALSE)
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`control_mean`) OR IS_NAN(`r`.`control_mean`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`abs_effect`) OR IS_NAN(`r`.`abs_effect`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`abs_ci_lower`) OR IS_NAN(`r`.`abs_ci_lower`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`abs_ci_upper`) OR IS_NAN(`r`.`abs_ci_upper`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`rel_effect`) OR IS_NAN(`r`.`rel_effect`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`rel_ci_lower`) OR IS_NAN(`r`.`rel_ci_lower`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`rel_ci_upper`) OR IS_NAN(`r`.`rel_ci_upper`)
          )
        ),
        FALSE
      )
      OR COALESCE(NOT (
        NOT (
          IS_INF(`r`.`p_value`) OR IS_NAN(`r`.`p_value`)
        )
      ), FALSE)
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`p_value_adjusted`) OR IS_NAN(`r`.`p_value_adjusted`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`abs_ci_lower_adjusted`) OR IS_NAN(`r`.`abs_ci_lower_adjusted`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`abs_ci_upper_adjusted`) OR IS_NAN(`r`.`abs_ci_upper_adjusted`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`rel_ci_lower_adjusted`) OR IS_NAN(`r`.`rel_ci_lower_adjusted`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`rel_ci_upper_adjusted`) OR IS_NAN(`r`.`rel_ci_upper_adjusted`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`chance_to_beat_control`) OR IS_NAN(`r`.`chance_to_beat_control`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`expected_loss`) OR IS_NAN(`r`.`expected_loss`)
          )
        ),
        FALSE
      )
      OR COALESCE(
        NOT (
          NOT (
            IS_INF(`r`.`variance_reduction`) OR IS_NAN(`r`.`variance_reduction`)
          )
        ),
        FALSE
      )
      OR COALESCE(NOT (
        NOT (
          IS_INF(`r`.`theta`) OR IS_NAN(`r`.`theta`)
        )
      ), FALSE)
    )
  ) AS INT64) AS `non_finite_rows`
FROM `exp`.`exp_a_results_cumulative` AS `r`
WHERE
  `r`.`dimension` = 'overall'
  AND `r`.`as_of_date` >= CAST('2026-01-04' AS DATE)
  AND `r`.`as_of_date` < CAST('2026-01-06' AS DATE)
GROUP BY
  `r`.`as_of_date`,
  `r`.`metric`,
  `r`.`variant`
ORDER BY
  `r`.`as_of_date` NULLS LAST,
  `r`.`metric` NULLS LAST,
  `r`.`variant` NULLS LAST
