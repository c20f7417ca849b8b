WITH "units" AS (
  SELECT
    "unit_id",
    "variant",
    "exposure_ts" AS "first_exposure_ts",
    "exposure_date" AS "first_exposure_date",
    "country"
  FROM (
    SELECT
      "e".*,
      ROW_NUMBER() OVER (PARTITION BY "e"."unit_id" ORDER BY "exposure_ts", "variant", "country") AS "exposure_rank"
    FROM (
      SELECT
        CAST("s"."user_id" AS VARCHAR) AS "unit_id",
        CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS "exposure_ts",
        CAST(CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS DATE) AS "exposure_date",
        CAST("s"."variant" AS VARCHAR) AS "variant",
        "s"."country" AS "country"
      FROM "raw"."exposures" AS "s"
      WHERE
        "s"."experiment_id" = 'exp_a'
        AND "s"."variant" IN ('control', 'treatment')
        AND (
          (
            "s"."ts" >= CAST('2026-01-03 00:00:00' AS TIMESTAMPNTZ)
            AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
          )
        )
        AND NOT "s"."user_id" IS NULL
    ) AS "e"
  ) AS "ranked"
  WHERE
    "exposure_rank" = 1
), "days" AS (
  SELECT
    "d"."as_of_date"
  FROM (VALUES
    (CAST('2026-01-04' AS DATE)),
    (CAST('2026-01-05' AS DATE))) AS "d"("as_of_date")
), "daily" AS (
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
      "r"."unit_id",
      "r"."event_date",
      "r"."revenue",
      "r"."orders",
      "r"."purchased",
      "r"."big_orders",
      CAST(NULL AS BIGINT) AS "views",
      "r"."orders_first_2d",
      "r"."revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__big",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__second_view"
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
    ) AS "r"
    UNION ALL
    SELECT
      "r"."unit_id",
      "r"."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      "r"."views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__big",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__second_view"
    FROM (
      SELECT
        "event_date",
        "unit_id",
        "views"
      FROM "exp"."exp_a_user_level_aggregations_views"
      WHERE
        "event_date" >= CAST('2026-01-04' AS DATE)
        AND "event_date" < CAST('2026-01-06' AS DATE)
    ) AS "r"
    UNION ALL
    SELECT
      "r"."unit_id",
      "r"."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      CAST(NULL AS BIGINT) AS "views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      "r"."shop_funnel__view",
      "r"."shop_funnel__order",
      "r"."shop_funnel__big",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "order_after_exposure__second_view"
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
    ) AS "r"
    UNION ALL
    SELECT
      "r"."unit_id",
      "r"."event_date",
      CAST(NULL AS DOUBLE) AS "revenue",
      CAST(NULL AS BIGINT) AS "orders",
      CAST(NULL AS BIGINT) AS "purchased",
      CAST(NULL AS BIGINT) AS "big_orders",
      CAST(NULL AS BIGINT) AS "views",
      CAST(NULL AS BIGINT) AS "orders_first_2d",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__view",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__order",
      CAST(NULL AS TIMESTAMPNTZ) AS "shop_funnel__big",
      "r"."order_after_exposure__order",
      "r"."order_after_exposure__second_view"
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
    ) AS "r"
  ) AS "p"
  GROUP BY
    "unit_id",
    "event_date"
), "base" AS (
  SELECT
    "unit_id",
    "revenue",
    "orders",
    "purchased",
    "big_orders",
    "views",
    "orders_first_2d",
    "revenue_hours_6_to_30",
    "shop_funnel__view",
    "shop_funnel__order",
    "shop_funnel__big",
    "order_after_exposure__order",
    "order_after_exposure__second_view",
    "revenue__pre_exposure",
    "orders__pre_exposure",
    "purchased__pre_exposure",
    "big_orders__pre_exposure",
    "views__pre_exposure",
    "orders_first_2d__pre_exposure",
    "revenue_hours_6_to_30__pre_exposure"
  FROM (
    SELECT
      "unit_id",
      SUM("revenue") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "revenue",
      SUM("orders") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "orders",
      SUM("purchased") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "purchased",
      SUM("big_orders") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "big_orders",
      SUM("views") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "views",
      SUM("orders_first_2d") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "orders_first_2d",
      SUM("revenue_hours_6_to_30") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "revenue_hours_6_to_30",
      MIN("shop_funnel__view") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "shop_funnel__view",
      MIN("shop_funnel__order") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "shop_funnel__order",
      MIN("shop_funnel__big") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "shop_funnel__big",
      MIN("order_after_exposure__order") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "order_after_exposure__order",
      MIN("order_after_exposure__second_view") OVER (
        PARTITION BY "unit_id"
        ORDER BY "event_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS "order_after_exposure__second_view",
      CAST(NULL AS DOUBLE) AS "revenue__pre_exposure",
      CAST(NULL AS BIGINT) AS "orders__pre_exposure",
      CAST(NULL AS BIGINT) AS "purchased__pre_exposure",
      CAST(NULL AS BIGINT) AS "big_orders__pre_exposure",
      CAST(NULL AS BIGINT) AS "views__pre_exposure",
      CAST(NULL AS BIGINT) AS "orders_first_2d__pre_exposure",
      CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30__pre_exposure",
      LEAD("event_date") OVER (PARTITION BY "unit_id" ORDER BY "event_date") IS NULL AS "newest"
    FROM "daily"
    WHERE
      "event_date" < CAST('2026-01-04' AS DATE)
  ) AS "r"
  WHERE
    "r"."newest"
), "totals" AS (
  SELECT
    "d"."as_of_date",
    "u"."unit_id",
    "u"."variant",
    "u"."first_exposure_ts",
    "u"."first_exposure_date",
    "u"."country",
    CAST(COALESCE("b"."revenue", 0) + SUM(COALESCE("dl"."revenue", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS DOUBLE) AS "revenue",
    CAST(COALESCE("b"."orders", 0) + SUM(COALESCE("dl"."orders", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS BIGINT) AS "orders",
    CAST(COALESCE("b"."purchased", 0) + SUM(COALESCE("dl"."purchased", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS BIGINT) AS "purchased",
    CAST(COALESCE("b"."big_orders", 0) + SUM(COALESCE("dl"."big_orders", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS BIGINT) AS "big_orders",
    CAST(COALESCE("b"."views", 0) + SUM(COALESCE("dl"."views", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS BIGINT) AS "views",
    CAST(COALESCE("b"."orders_first_2d", 0) + SUM(COALESCE("dl"."orders_first_2d", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS BIGINT) AS "orders_first_2d",
    CAST(COALESCE("b"."revenue_hours_6_to_30", 0) + SUM(COALESCE("dl"."revenue_hours_6_to_30", 0)) OVER (
      PARTITION BY "u"."unit_id"
      ORDER BY "d"."as_of_date"
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS DOUBLE) AS "revenue_hours_6_to_30",
    CAST(COALESCE(
      "b"."shop_funnel__view",
      MIN("dl"."shop_funnel__view") OVER (
        PARTITION BY "u"."unit_id"
        ORDER BY "d"."as_of_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    ) AS TIMESTAMPNTZ) AS "shop_funnel__view",
    CAST(COALESCE(
      "b"."shop_funnel__order",
      MIN("dl"."shop_funnel__order") OVER (
        PARTITION BY "u"."unit_id"
        ORDER BY "d"."as_of_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    ) AS TIMESTAMPNTZ) AS "shop_funnel__order",
    CAST(COALESCE(
      "b"."shop_funnel__big",
      MIN("dl"."shop_funnel__big") OVER (
        PARTITION BY "u"."unit_id"
        ORDER BY "d"."as_of_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    ) AS TIMESTAMPNTZ) AS "shop_funnel__big",
    CAST(COALESCE(
      "b"."order_after_exposure__order",
      MIN("dl"."order_after_exposure__order") OVER (
        PARTITION BY "u"."unit_id"
        ORDER BY "d"."as_of_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    ) AS TIMESTAMPNTZ) AS "order_after_exposure__order",
    CAST(COALESCE(
      "b"."order_after_exposure__second_view",
      MIN("dl"."order_after_exposure__second_view") OVER (
        PARTITION BY "u"."unit_id"
        ORDER BY "d"."as_of_date"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    ) AS TIMESTAMPNTZ) AS "order_after_exposure__second_view",
    CAST(COALESCE("cv"."revenue", "b"."revenue__pre_exposure", 0) AS DOUBLE) AS "revenue__pre_exposure",
    CAST(COALESCE("cv"."orders", "b"."orders__pre_exposure", 0) AS BIGINT) AS "orders__pre_exposure",
    CAST(COALESCE("cv"."purchased", "b"."purchased__pre_exposure", 0) AS BIGINT) AS "purchased__pre_exposure",
    CAST(COALESCE("cv"."big_orders", "b"."big_orders__pre_exposure", 0) AS BIGINT) AS "big_orders__pre_exposure",
    CAST(COALESCE("cv"."views", "b"."views__pre_exposure", 0) AS BIGINT) AS "views__pre_exposure",
    CAST(COALESCE("cv"."orders_first_2d", "b"."orders_first_2d__pre_exposure", 0) AS BIGINT) AS "orders_first_2d__pre_exposure",
    CAST(COALESCE("cv"."revenue_hours_6_to_30", "b"."revenue_hours_6_to_30__pre_exposure", 0) AS DOUBLE) AS "revenue_hours_6_to_30__pre_exposure",
    (
      NOT "dl"."unit_id" IS NULL OR "u"."first_exposure_date" = "d"."as_of_date"
    ) AS "changed"
  FROM "units" AS "u"
  JOIN "days" AS "d"
    ON "u"."first_exposure_date" <= "d"."as_of_date"
  LEFT JOIN "daily" AS "dl"
    ON "dl"."unit_id" = "u"."unit_id" AND "dl"."event_date" = "d"."as_of_date"
  LEFT JOIN "base" AS "b"
    ON "b"."unit_id" = "u"."unit_id"
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
        "r"."unit_id",
        "r"."revenue",
        "r"."orders",
        "r"."purchased",
        "r"."big_orders",
        CAST(NULL AS BIGINT) AS "views",
        "r"."orders_first_2d",
        "r"."revenue_hours_6_to_30"
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
          "first_exposure_date" >= CAST('2026-01-03' AS DATE)
          AND "first_exposure_date" < CAST('2026-01-06' AS DATE)
      ) AS "r"
      UNION ALL
      SELECT
        "r"."unit_id",
        CAST(NULL AS DOUBLE) AS "revenue",
        CAST(NULL AS BIGINT) AS "orders",
        CAST(NULL AS BIGINT) AS "purchased",
        CAST(NULL AS BIGINT) AS "big_orders",
        "r"."views",
        CAST(NULL AS BIGINT) AS "orders_first_2d",
        CAST(NULL AS DOUBLE) AS "revenue_hours_6_to_30"
      FROM (
        SELECT
          "first_exposure_date",
          "unit_id",
          "views"
        FROM "exp"."exp_a_pre_exposure_covariates_views"
        WHERE
          "first_exposure_date" >= CAST('2026-01-03' AS DATE)
          AND "first_exposure_date" < CAST('2026-01-06' AS DATE)
      ) AS "r"
    ) AS "p"
    GROUP BY
      "unit_id"
  ) AS "cv"
    ON "cv"."unit_id" = "u"."unit_id"
)
SELECT
  "as_of_date",
  "unit_id",
  "variant",
  "first_exposure_ts",
  "first_exposure_date",
  "country",
  "revenue",
  "orders",
  "purchased",
  "big_orders",
  "views",
  "orders_first_2d",
  "revenue_hours_6_to_30",
  "shop_funnel__view",
  "shop_funnel__order",
  "shop_funnel__big",
  "order_after_exposure__order",
  "order_after_exposure__second_view",
  "revenue__pre_exposure",
  "orders__pre_exposure",
  "purchased__pre_exposure",
  "big_orders__pre_exposure",
  "views__pre_exposure",
  "orders_first_2d__pre_exposure",
  "revenue_hours_6_to_30__pre_exposure"
FROM "totals"
WHERE
  "as_of_date" >= CAST('2026-01-04' AS DATE)
