WITH daily AS (
  SELECT
    "unit_id",
    "event_date",
    SUM("revenue") AS "revenue",
    SUM("orders") AS "orders",
    SUM("purchased") AS "purchased",
    SUM("big_orders") AS "big_orders",
    SUM("views") AS "views",
    SUM("orders_first_2d") AS "orders_first_2d",
    SUM("revenue_hours_6_to_30") AS "revenue_hours_6_to_30",
    MIN("shop_funnel__view") AS "shop_funnel__view",
    MIN("shop_funnel__order") AS "shop_funnel__order",
    MIN("shop_funnel__big") AS "shop_funnel__big",
    MIN("order_after_exposure__order") AS "order_after_exposure__order",
    MIN("order_after_exposure__second_view") AS "order_after_exposure__second_view"
  FROM (
    SELECT
      r."unit_id",
      r."event_date",
      r."revenue",
      r."orders",
      r."purchased",
      r."big_orders",
      CAST(NULL AS BIGINT) AS "views",
      r."orders_first_2d",
      r."revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__big",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__second_view"
    FROM (
      SELECT
        "event_date",
        "unit_id",
        "revenue",
        "orders",
        "purchased",
        "big_orders",
        "orders_first_2d",
        "revenue_hours_6_to_30"
      FROM "exp"."exp_a_user_level_aggregations_orders"
      WHERE
        "event_date" >= CAST('2026-01-04' AS DATE)
        AND "event_date" < CAST('2026-01-06' AS DATE)
    ) AS r
    UNION ALL
    SELECT
      r."unit_id",
      r."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      r."views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__big",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__second_view"
    FROM (
      SELECT
        "event_date",
        "unit_id",
        "views"
      FROM "exp"."exp_a_user_level_aggregations_views"
      WHERE
        "event_date" >= CAST('2026-01-04' AS DATE)
        AND "event_date" < CAST('2026-01-06' AS DATE)
    ) AS r
    UNION ALL
    SELECT
      r."unit_id",
      r."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      CAST(NULL AS BIGINT) AS "views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      r."shop_funnel__view",
      r."shop_funnel__order",
      r."shop_funnel__big",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMP) AS "order_after_exposure__second_view"
    FROM (
      SELECT
        "event_date",
        "unit_id",
        "shop_funnel__view",
        "shop_funnel__order",
        "shop_funnel__big"
      FROM "exp"."exp_a_funnel_events_shop_funnel"
      WHERE
        "event_date" >= CAST('2026-01-04' AS DATE)
        AND "event_date" < CAST('2026-01-06' AS DATE)
    ) AS r
    UNION ALL
    SELECT
      r."unit_id",
      r."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      CAST(NULL AS BIGINT) AS "views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMP) AS "shop_funnel__big",
      r."order_after_exposure__order",
      r."order_after_exposure__second_view"
    FROM (
      SELECT
        "event_date",
        "unit_id",
        "order_after_exposure__order",
        "order_after_exposure__second_view"
      FROM "exp"."exp_a_funnel_events_order_after_exposure"
      WHERE
        "event_date" >= CAST('2026-01-04' AS DATE)
        AND "event_date" < CAST('2026-01-06' AS DATE)
    ) AS r
  ) AS p
  GROUP BY
    "unit_id",
    "event_date"
)
SELECT
  COALESCE(dl.event_date, u.first_exposure_date) AS as_of_date,
  FALSE AS is_checkpoint,
  COALESCE(dl.unit_id, u.unit_id) AS unit_id,
  u."variant",
  u."first_exposure_ts",
  u."first_exposure_date",
  u."country",
  CAST(COALESCE(dl."revenue", 0) AS DOUBLE) AS "revenue",
  CAST(COALESCE(dl."orders", 0) AS BIGINT) AS "orders",
  CAST(COALESCE(dl."purchased", 0) AS BIGINT) AS "purchased",
  CAST(COALESCE(dl."big_orders", 0) AS BIGINT) AS "big_orders",
  CAST(COALESCE(dl."views", 0) AS BIGINT) AS "views",
  CAST(COALESCE(dl."orders_first_2d", 0) AS BIGINT) AS "orders_first_2d",
  CAST(COALESCE(dl."revenue_hours_6_to_30", 0) AS DOUBLE) AS "revenue_hours_6_to_30",
  CAST(dl."shop_funnel__view" AS TIMESTAMP) AS "shop_funnel__view",
  CAST(dl."shop_funnel__order" AS TIMESTAMP) AS "shop_funnel__order",
  CAST(dl."shop_funnel__big" AS TIMESTAMP) AS "shop_funnel__big",
  CAST(dl."order_after_exposure__order" AS TIMESTAMP) AS "order_after_exposure__order",
  CAST(dl."order_after_exposure__second_view" AS TIMESTAMP) AS "order_after_exposure__second_view",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."revenue", 0) END AS DOUBLE) AS "revenue__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."orders", 0) END AS BIGINT) AS "orders__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."purchased", 0) END AS BIGINT) AS "purchased__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."big_orders", 0) END AS BIGINT) AS "big_orders__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."views", 0) END AS BIGINT) AS "views__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."orders_first_2d", 0) END AS BIGINT) AS "orders_first_2d__pre_exposure",
  CAST(CASE WHEN NOT u.unit_id IS NULL THEN COALESCE(cv."revenue_hours_6_to_30", 0) END AS DOUBLE) AS "revenue_hours_6_to_30__pre_exposure"
FROM daily AS dl
FULL JOIN (
  SELECT
    *
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
  ) AS nu
  WHERE
    nu.first_exposure_date >= CAST('2026-01-04' AS DATE)
    AND nu.first_exposure_date < CAST('2026-01-06' AS DATE)
) AS u
  ON u.unit_id = dl.unit_id AND u.first_exposure_date = dl.event_date
LEFT JOIN (
  SELECT
    "unit_id",
    SUM("revenue") AS "revenue",
    SUM("orders") AS "orders",
    SUM("purchased") AS "purchased",
    SUM("big_orders") AS "big_orders",
    SUM("views") AS "views",
    SUM("orders_first_2d") AS "orders_first_2d",
    SUM("revenue_hours_6_to_30") AS "revenue_hours_6_to_30"
  FROM (
    SELECT
      r."unit_id",
      r."revenue",
      r."orders",
      r."purchased",
      r."big_orders",
      CAST(NULL AS BIGINT) AS "views",
      r."orders_first_2d",
      r."revenue_hours_6_to_30"
    FROM (
      SELECT
        "first_exposure_date",
        "unit_id",
        "revenue",
        "orders",
        "purchased",
        "big_orders",
        "orders_first_2d",
        "revenue_hours_6_to_30"
      FROM "exp"."exp_a_pre_exposure_covariates_orders"
      WHERE
        "first_exposure_date" >= CAST('2026-01-04' AS DATE)
        AND "first_exposure_date" < CAST('2026-01-06' AS DATE)
    ) AS r
    UNION ALL
    SELECT
      r."unit_id",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      r."views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30"
    FROM (
      SELECT
        "first_exposure_date",
        "unit_id",
        "views"
      FROM "exp"."exp_a_pre_exposure_covariates_views"
      WHERE
        "first_exposure_date" >= CAST('2026-01-04' AS DATE)
        AND "first_exposure_date" < CAST('2026-01-06' AS DATE)
    ) AS r
  ) AS p
  GROUP BY
    "unit_id"
) AS cv
  ON cv.unit_id = u.unit_id
WHERE
  COALESCE(dl.event_date, u.first_exposure_date) >= CAST('2026-01-04' AS DATE)
  AND COALESCE(dl.event_date, u.first_exposure_date) < CAST('2026-01-06' AS DATE)
