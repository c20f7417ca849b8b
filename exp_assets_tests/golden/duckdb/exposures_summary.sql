WITH days AS (
  SELECT
    d."exposure_date"
  FROM (VALUES
    (CAST('2026-01-04' AS DATE)),
    (CAST('2026-01-05' AS DATE))) AS d("exposure_date")
), variants AS (
  SELECT
    *
  FROM (VALUES
    ('control'),
    ('treatment')) AS v(variant)
), events AS (
  SELECT
    exposure_date,
    variant,
    COUNT(*) AS exposures,
    COUNT(DISTINCT unit_id) AS exposed_units
  FROM (
    SELECT
      CAST(s."user_id" AS TEXT) AS unit_id,
      CAST(s."ts" AS TIMESTAMP) AS exposure_ts,
      CAST(CAST(s."ts" AS TIMESTAMP) AS DATE) AS exposure_date,
      CAST(s."variant" AS TEXT) AS variant,
      s."country" AS "country"
    FROM "raw"."exposures" AS s
    WHERE
      s."experiment_id" = 'exp_a'
      AND s."variant" IN ('control', 'treatment')
      AND (
        (
          s."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
          AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
        )
      )
      AND NOT s."user_id" IS NULL
  ) AS e
  GROUP BY
    exposure_date,
    variant
), units AS (
  SELECT
    unit_id,
    variant,
    first_exposure_ts,
    first_exposure_date,
    "country"
  FROM "exp"."exp_a_first_exposures"
  WHERE
    first_exposure_date <= CAST('2026-01-05' AS DATE)
), new_units AS (
  SELECT
    first_exposure_date AS exposure_date,
    variant,
    COUNT(*) AS new_units
  FROM units
  WHERE
    first_exposure_date >= CAST('2026-01-04' AS DATE)
  GROUP BY
    first_exposure_date,
    variant
), prior AS (
  SELECT
    variant,
    COUNT(*) AS units
  FROM units
  WHERE
    first_exposure_date < CAST('2026-01-04' AS DATE)
  GROUP BY
    variant
)
SELECT
  d.exposure_date,
  v.variant,
  COALESCE(e.exposures, 0) AS exposures,
  COALESCE(e.exposed_units, 0) AS exposed_units,
  COALESCE(n.new_units, 0) AS new_units,
  COALESCE(p.units, 0) + SUM(COALESCE(n.new_units, 0)) OVER (
    PARTITION BY v.variant
    ORDER BY d.exposure_date
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS cumulative_units
FROM days AS d
CROSS JOIN variants AS v
LEFT JOIN events AS e
  ON e.exposure_date = d.exposure_date AND e.variant = v.variant
LEFT JOIN new_units AS n
  ON n.exposure_date = d.exposure_date AND n.variant = v.variant
LEFT JOIN prior AS p
  ON p.variant = v.variant
