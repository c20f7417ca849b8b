SELECT
  exposure_date,
  variant,
  CAST(cumulative_units AS BIGINT) AS cumulative_units
FROM "exp"."exp_a_exposures_summary"
WHERE
  exposure_date >= CAST('2026-01-04' AS DATE)
  AND exposure_date < CAST('2026-01-06' AS DATE)
ORDER BY
  exposure_date,
  variant
