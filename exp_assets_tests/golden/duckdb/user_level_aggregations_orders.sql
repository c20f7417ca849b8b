SELECT
  e.unit_id,
  e.event_date,
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN e."revenue" END), 0) AS DOUBLE) AS "revenue",
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN e."orders" END), 0) AS BIGINT) AS "orders",
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN e."purchased" END), 0) AS BIGINT) AS "purchased",
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN e."big_orders" END), 0) AS BIGINT) AS "big_orders",
  CAST(COALESCE(
    SUM(
      CASE
        WHEN e.event_ts >= u.first_exposure_ts + INTERVAL '0' HOUR
        AND e.event_ts < u.first_exposure_ts + INTERVAL '48' HOUR
        THEN e."orders_first_2d"
      END
    ),
    0
  ) AS BIGINT) AS "orders_first_2d",
  CAST(COALESCE(
    SUM(
      CASE
        WHEN e.event_ts >= u.first_exposure_ts + INTERVAL '6' HOUR
        AND e.event_ts < u.first_exposure_ts + INTERVAL '30' HOUR
        THEN e."revenue_hours_6_to_30"
      END
    ),
    0
  ) AS DOUBLE) AS "revenue_hours_6_to_30"
FROM (
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
        s."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
        AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT s."user_id" IS NULL
) AS e
JOIN (
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
  ON u.unit_id = e.unit_id AND e.event_ts >= u.first_exposure_ts
GROUP BY
  e.unit_id,
  e.event_date
