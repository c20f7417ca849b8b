SELECT
  u.unit_id,
  u.first_exposure_date,
  u.variant,
  CAST(COALESCE(SUM(e."revenue"), 0) AS DOUBLE) AS "revenue",
  CAST(COALESCE(SUM(e."orders"), 0) AS BIGINT) AS "orders",
  CAST(COALESCE(SUM(e."purchased"), 0) AS BIGINT) AS "purchased",
  CAST(COALESCE(SUM(e."big_orders"), 0) AS BIGINT) AS "big_orders",
  CAST(COALESCE(SUM(e."orders_first_2d"), 0) AS BIGINT) AS "orders_first_2d",
  CAST(COALESCE(SUM(e."revenue_hours_6_to_30"), 0) AS DOUBLE) AS "revenue_hours_6_to_30"
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
LEFT JOIN (
  SELECT
    CAST(s."user_id" AS TEXT) AS unit_id,
    CAST(s."ts" AS TIMESTAMP) AS event_ts,
    CAST(CAST(s."ts" AS TIMESTAMP) AS DATE) AS event_date,
    CASE
      WHEN ABS(CAST(s."amount" AS DOUBLE)) < 1e100
      THEN CAST(s."amount" AS DOUBLE)
    END AS "revenue",
    CASE WHEN TRUE THEN 1 ELSE 0 END AS "orders",
    CASE WHEN TRUE THEN 1 ELSE 0 END AS "purchased",
    CASE WHEN amount > 50 THEN 1 ELSE 0 END AS "big_orders",
    CASE WHEN TRUE THEN 1 ELSE 0 END AS "orders_first_2d",
    CASE
      WHEN ABS(CAST(s."amount" AS DOUBLE)) < 1e100
      THEN CAST(s."amount" AS DOUBLE)
    END AS "revenue_hours_6_to_30"
  FROM "raw"."orders" AS s
  WHERE
    (
      (
        s."ts" >= CAST('2026-01-02 00:00:00' AS TIMESTAMP)
        AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT s."user_id" IS NULL
) AS e
  ON e.unit_id = u.unit_id
  AND e.event_ts >= u.first_exposure_ts - INTERVAL '2' DAY
  AND e.event_ts < u.first_exposure_ts
WHERE
  u.first_exposure_date >= CAST('2026-01-04' AS DATE)
  AND u.first_exposure_date < CAST('2026-01-06' AS DATE)
GROUP BY
  u.unit_id,
  u.first_exposure_date,
  u.variant
