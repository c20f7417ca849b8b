WITH days AS (
  SELECT
    d."day"
  FROM (VALUES
    (CAST('2026-01-04' AS DATE)),
    (CAST('2026-01-05' AS DATE))) AS d("day")
), new_units AS (
  SELECT
    first_exposure_date AS day,
    COUNT(*) AS n
  FROM (
    SELECT
      unit_id,
      variant,
      first_exposure_ts,
      first_exposure_date,
      "country"
    FROM "exp"."exp_a_first_exposures"
    WHERE
      first_exposure_date <= CAST('2026-01-05' AS DATE)
  ) AS u
  GROUP BY
    1
), crossed AS (
  SELECT
    unit_id,
    MIN(exposure_date) AS day
  FROM "exp"."exp_a_multiple_variant_units"
  WHERE
    exposure_date >= CAST('2026-01-03' AS DATE)
    AND exposure_date < CAST('2026-01-06' AS DATE)
  GROUP BY
    unit_id
), new_crossed AS (
  SELECT
    day,
    COUNT(*) AS n
  FROM crossed
  GROUP BY
    day
), exposed AS (
  SELECT
    d.day,
    COALESCE(SUM(u.n), 0) AS units
  FROM days AS d
  LEFT JOIN new_units AS u
    ON u.day <= d.day
  GROUP BY
    d.day
), crossed_by_day AS (
  SELECT
    d.day,
    COALESCE(SUM(c.n), 0) AS units
  FROM days AS d
  LEFT JOIN new_crossed AS c
    ON c.day <= d.day
  GROUP BY
    d.day
)
SELECT
  e.day,
  CAST(c.units AS BIGINT) AS crossed_units,
  CAST(e.units AS BIGINT) AS exposed_units
FROM exposed AS e
JOIN crossed_by_day AS c
  ON c.day = e.day
ORDER BY
  e.day
