WITH crossed AS (
  SELECT
    unit_id,
    MIN(exposure_date) AS since
  FROM (
    SELECT
      "exposure_date",
      "unit_id"
    FROM "exp"."exp_a_multiple_variant_units"
    WHERE
      "exposure_date" >= CAST('2026-01-03' AS DATE)
      AND "exposure_date" < CAST('2026-01-06' AS DATE)
  ) AS c
  GROUP BY
    unit_id
), wide AS (
  SELECT
    t.as_of_date,
    t.unit_id,
    t.variant,
    DATE_DIFF('DAY', t.first_exposure_date, t.as_of_date) AS days_since_exposure,
    t."country",
    CAST(t."revenue" AS DOUBLE) AS "v_revenue",
    CAST(t."revenue" - COALESCE(p1."revenue", 0) AS DOUBLE) AS "v1_revenue",
    CAST(t."revenue" - COALESCE(p7."revenue", 0) AS DOUBLE) AS "v7_revenue",
    CAST(t."orders" AS DOUBLE) AS "v_orders",
    CAST(t."orders" - COALESCE(p1."orders", 0) AS DOUBLE) AS "v1_orders",
    CAST(t."orders" - COALESCE(p7."orders", 0) AS DOUBLE) AS "v7_orders",
    CASE WHEN t."purchased" > 0 THEN 1.0 ELSE 0.0 END AS "v_purchased",
    CASE WHEN t."purchased" - COALESCE(p1."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "v1_purchased",
    CASE WHEN t."purchased" - COALESCE(p7."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "v7_purchased",
    CAST(t."big_orders" AS DOUBLE) AS "v_big_orders",
    CAST(t."big_orders" - COALESCE(p1."big_orders", 0) AS DOUBLE) AS "v1_big_orders",
    CAST(t."big_orders" - COALESCE(p7."big_orders", 0) AS DOUBLE) AS "v7_big_orders",
    CAST(t."views" AS DOUBLE) AS "v_views",
    CAST(t."views" - COALESCE(p1."views", 0) AS DOUBLE) AS "v1_views",
    CAST(t."views" - COALESCE(p7."views", 0) AS DOUBLE) AS "v7_views",
    CAST(t."orders_first_2d" AS DOUBLE) AS "v_orders_first_2d",
    CAST(t."orders_first_2d" - COALESCE(p1."orders_first_2d", 0) AS DOUBLE) AS "v1_orders_first_2d",
    CAST(t."orders_first_2d" - COALESCE(p7."orders_first_2d", 0) AS DOUBLE) AS "v7_orders_first_2d",
    CAST(t."revenue_hours_6_to_30" AS DOUBLE) AS "v_revenue_hours_6_to_30",
    CAST(t."revenue_hours_6_to_30" - COALESCE(p1."revenue_hours_6_to_30", 0) AS DOUBLE) AS "v1_revenue_hours_6_to_30",
    CAST(t."revenue_hours_6_to_30" - COALESCE(p7."revenue_hours_6_to_30", 0) AS DOUBLE) AS "v7_revenue_hours_6_to_30",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__view" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__view",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__view" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p1."shop_funnel__view" IS NULL
        AND p1."shop_funnel__view" <= p1."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__view",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__view" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p7."shop_funnel__view" IS NULL
        AND p7."shop_funnel__view" <= p7."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__view",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__order" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__order",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__order" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p1."shop_funnel__view" IS NULL
        AND p1."shop_funnel__order" >= p1."shop_funnel__view"
        AND p1."shop_funnel__order" <= p1."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__order",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__order" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p7."shop_funnel__view" IS NULL
        AND p7."shop_funnel__order" >= p7."shop_funnel__view"
        AND p7."shop_funnel__order" <= p7."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__order",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__big" >= t."shop_funnel__order"
      AND t."shop_funnel__big" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__big",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__big" >= t."shop_funnel__order"
      AND t."shop_funnel__big" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p1."shop_funnel__view" IS NULL
        AND p1."shop_funnel__order" >= p1."shop_funnel__view"
        AND p1."shop_funnel__big" >= p1."shop_funnel__order"
        AND p1."shop_funnel__big" <= p1."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__big",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__big" >= t."shop_funnel__order"
      AND t."shop_funnel__big" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p7."shop_funnel__view" IS NULL
        AND p7."shop_funnel__order" >= p7."shop_funnel__view"
        AND p7."shop_funnel__big" >= p7."shop_funnel__order"
        AND p7."shop_funnel__big" <= p7."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__big",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__order" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__order",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__order" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p1."order_after_exposure__order" IS NULL
        AND p1."order_after_exposure__order" <= p1.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_order_after_exposure__order",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__order" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p7."order_after_exposure__order" IS NULL
        AND p7."order_after_exposure__order" <= p7.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_order_after_exposure__order",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__second_view" >= t."order_after_exposure__order"
      AND t."order_after_exposure__second_view" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__second_view",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__second_view" >= t."order_after_exposure__order"
      AND t."order_after_exposure__second_view" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p1."order_after_exposure__order" IS NULL
        AND p1."order_after_exposure__second_view" >= p1."order_after_exposure__order"
        AND p1."order_after_exposure__second_view" <= p1.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_order_after_exposure__second_view",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__second_view" >= t."order_after_exposure__order"
      AND t."order_after_exposure__second_view" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p7."order_after_exposure__order" IS NULL
        AND p7."order_after_exposure__second_view" >= p7."order_after_exposure__order"
        AND p7."order_after_exposure__second_view" <= p7.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_order_after_exposure__second_view",
    CAST(COALESCE(t."revenue__pre_exposure", 0) AS DOUBLE) AS "x_revenue",
    CAST(COALESCE(t."orders__pre_exposure", 0) AS DOUBLE) AS "x_orders",
    CASE WHEN COALESCE(t."purchased__pre_exposure", 0) > 0 THEN 1.0 ELSE 0.0 END AS "x_purchased",
    CAST(COALESCE(t."big_orders__pre_exposure", 0) AS DOUBLE) AS "x_big_orders",
    CAST(COALESCE(t."views__pre_exposure", 0) AS DOUBLE) AS "x_views",
    CAST(COALESCE(t."orders_first_2d__pre_exposure", 0) AS DOUBLE) AS "x_orders_first_2d",
    CAST(COALESCE(t."revenue_hours_6_to_30__pre_exposure", 0) AS DOUBLE) AS "x_revenue_hours_6_to_30"
  FROM (
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
    FROM "exp"."exp_a_unit_totals"
    WHERE
      "as_of_date" >= CAST('2026-01-04' AS DATE)
      AND "as_of_date" < CAST('2026-01-06' AS DATE)
  ) AS t
  LEFT JOIN crossed AS x
    ON x.unit_id = t.unit_id
  LEFT JOIN (
    SELECT
      "as_of_date",
      "unit_id",
      "first_exposure_ts",
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
      "order_after_exposure__second_view"
    FROM "exp"."exp_a_unit_totals"
    WHERE
      "as_of_date" >= CAST('2026-01-03' AS DATE)
      AND "as_of_date" < CAST('2026-01-05' AS DATE)
  ) AS p1
    ON p1.unit_id = t.unit_id AND p1.as_of_date = t.as_of_date - INTERVAL '1' DAY
  LEFT JOIN (
    SELECT
      *
    FROM (
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
      FROM "exp"."exp_a_unit_totals"
      WHERE
        "as_of_date" >= CAST('2026-01-04' AS DATE)
        AND "as_of_date" < CAST('2026-01-06' AS DATE)
    ) AS none
    WHERE
      FALSE
  ) AS p7
    ON p7.unit_id = t.unit_id AND p7.as_of_date = t.as_of_date - INTERVAL '7' DAY
  WHERE
    t.as_of_date >= CAST('2026-01-04' AS DATE)
    AND t.as_of_date < CAST('2026-01-06' AS DATE)
    AND (
      x.since IS NULL OR x.since > t.as_of_date
    )
), caps AS (
  SELECT
    w.as_of_date,
    QUANTILE_CONT(w."v_revenue", 0.05) AS "v_revenue_lower",
    QUANTILE_CONT(w."v_revenue", 0.95) AS "v_revenue_upper",
    QUANTILE_CONT(w."v1_revenue", 0.05) AS "v1_revenue_lower",
    QUANTILE_CONT(w."v1_revenue", 0.95) AS "v1_revenue_upper",
    QUANTILE_CONT(w."v7_revenue", 0.05) AS "v7_revenue_lower",
    QUANTILE_CONT(w."v7_revenue", 0.95) AS "v7_revenue_upper",
    QUANTILE_CONT(w."x_revenue", 0.05) AS "x_revenue_lower",
    QUANTILE_CONT(w."x_revenue", 0.95) AS "x_revenue_upper"
  FROM wide AS w
  GROUP BY
    w.as_of_date
), capped AS (
  SELECT
    w.as_of_date,
    w.variant,
    w.days_since_exposure,
    w."country",
    LEAST(GREATEST(w."v_revenue", k."v_revenue_lower"), k."v_revenue_upper") AS "v_revenue",
    LEAST(GREATEST(w."v1_revenue", k."v1_revenue_lower"), k."v1_revenue_upper") AS "v1_revenue",
    LEAST(GREATEST(w."v7_revenue", k."v7_revenue_lower"), k."v7_revenue_upper") AS "v7_revenue",
    w."v_orders" AS "v_orders",
    w."v1_orders" AS "v1_orders",
    w."v7_orders" AS "v7_orders",
    w."v_purchased" AS "v_purchased",
    w."v1_purchased" AS "v1_purchased",
    w."v7_purchased" AS "v7_purchased",
    w."v_big_orders" AS "v_big_orders",
    w."v1_big_orders" AS "v1_big_orders",
    w."v7_big_orders" AS "v7_big_orders",
    w."v_views" AS "v_views",
    w."v1_views" AS "v1_views",
    w."v7_views" AS "v7_views",
    w."v_orders_first_2d" AS "v_orders_first_2d",
    w."v1_orders_first_2d" AS "v1_orders_first_2d",
    w."v7_orders_first_2d" AS "v7_orders_first_2d",
    w."v_revenue_hours_6_to_30" AS "v_revenue_hours_6_to_30",
    w."v1_revenue_hours_6_to_30" AS "v1_revenue_hours_6_to_30",
    w."v7_revenue_hours_6_to_30" AS "v7_revenue_hours_6_to_30",
    w."v_shop_funnel__view" AS "v_shop_funnel__view",
    w."v1_shop_funnel__view" AS "v1_shop_funnel__view",
    w."v7_shop_funnel__view" AS "v7_shop_funnel__view",
    w."v_shop_funnel__order" AS "v_shop_funnel__order",
    w."v1_shop_funnel__order" AS "v1_shop_funnel__order",
    w."v7_shop_funnel__order" AS "v7_shop_funnel__order",
    w."v_shop_funnel__big" AS "v_shop_funnel__big",
    w."v1_shop_funnel__big" AS "v1_shop_funnel__big",
    w."v7_shop_funnel__big" AS "v7_shop_funnel__big",
    w."v_order_after_exposure__order" AS "v_order_after_exposure__order",
    w."v1_order_after_exposure__order" AS "v1_order_after_exposure__order",
    w."v7_order_after_exposure__order" AS "v7_order_after_exposure__order",
    w."v_order_after_exposure__second_view" AS "v_order_after_exposure__second_view",
    w."v1_order_after_exposure__second_view" AS "v1_order_after_exposure__second_view",
    w."v7_order_after_exposure__second_view" AS "v7_order_after_exposure__second_view",
    LEAST(GREATEST(w."x_revenue", k."x_revenue_lower"), k."x_revenue_upper") AS "x_revenue",
    w."x_orders" AS "x_orders",
    w."x_purchased" AS "x_purchased",
    w."x_big_orders" AS "x_big_orders",
    w."x_views" AS "x_views",
    w."x_orders_first_2d" AS "x_orders_first_2d",
    w."x_revenue_hours_6_to_30" AS "x_revenue_hours_6_to_30"
  FROM wide AS w
  JOIN caps AS k
    ON k.as_of_date = w.as_of_date
), rank_0 AS (
  SELECT
    w.as_of_date,
    COALESCE(CAST(w."country" AS TEXT), '(null)') AS value,
    ROW_NUMBER() OVER (
      PARTITION BY w.as_of_date
      ORDER BY COUNT(*) DESC, COALESCE(CAST(w."country" AS TEXT), '(null)')
    ) AS position
  FROM capped AS w
  GROUP BY
    w.as_of_date,
    COALESCE(CAST(w."country" AS TEXT), '(null)')
), cells AS (
  SELECT
    w.as_of_date,
    w.variant,
    CASE WHEN r0.position <= 20 THEN r0.value ELSE '(other)' END AS dv_0,
    COUNT(*) AS n,
    SUM(w."v_revenue") AS s0,
    SUM(w."v_revenue" * w."v_revenue") AS s1,
    SUM(w."x_revenue") AS s2,
    SUM(w."x_revenue" * w."x_revenue") AS s3,
    SUM(w."v_revenue" * w."x_revenue") AS s4,
    SUM(w."v_orders") AS s5,
    SUM(w."v_orders" * w."v_orders") AS s6,
    SUM(w."x_orders") AS s7,
    SUM(w."x_orders" * w."x_orders") AS s8,
    SUM(w."v_orders" * w."x_orders") AS s9,
    SUM(w."v_purchased") AS s10,
    SUM(w."v_purchased" * w."v_purchased") AS s11,
    SUM(w."x_purchased") AS s12,
    SUM(w."x_purchased" * w."x_purchased") AS s13,
    SUM(w."v_purchased" * w."x_purchased") AS s14,
    SUM(w."v_big_orders") AS s15,
    SUM(w."v_big_orders" * w."v_big_orders") AS s16,
    SUM(w."x_big_orders") AS s17,
    SUM(w."x_big_orders" * w."x_big_orders") AS s18,
    SUM(w."v_big_orders" * w."x_big_orders") AS s19,
    SUM(w."v_views") AS s20,
    SUM(w."v_views" * w."v_views") AS s21,
    SUM(w."x_views") AS s22,
    SUM(w."x_views" * w."x_views") AS s23,
    SUM(w."v_views" * w."x_views") AS s24,
    SUM(w."v_revenue" * w."v_orders") AS s25,
    SUM(w."v_revenue" * w."x_orders") AS s26,
    SUM(w."v_orders" * w."x_revenue") AS s27,
    SUM(w."x_revenue" * w."x_orders") AS s28,
    SUM(CASE WHEN w."v_orders" <> 0 THEN 1 ELSE 0 END) AS s29,
    SUM(w."v_orders" * w."v_views") AS s30,
    SUM(w."v_orders" * w."x_views") AS s31,
    SUM(w."v_views" * w."x_orders") AS s32,
    SUM(w."x_orders" * w."x_views") AS s33,
    SUM(CASE WHEN w."v_views" <> 0 THEN 1 ELSE 0 END) AS s34,
    SUM(w."v_orders_first_2d") AS s35,
    SUM(w."v_orders_first_2d" * w."v_orders_first_2d") AS s36,
    SUM(w."x_orders_first_2d") AS s37,
    SUM(w."x_orders_first_2d" * w."x_orders_first_2d") AS s38,
    SUM(w."v_orders_first_2d" * w."x_orders_first_2d") AS s39,
    SUM(w."v_revenue_hours_6_to_30") AS s40,
    SUM(w."v_revenue_hours_6_to_30" * w."v_revenue_hours_6_to_30") AS s41,
    SUM(w."x_revenue_hours_6_to_30") AS s42,
    SUM(w."x_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s43,
    SUM(w."v_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s44,
    SUM(w."v_shop_funnel__view") AS s45,
    SUM(w."v_shop_funnel__view" * w."v_shop_funnel__view") AS s46,
    SUM(w."v_shop_funnel__order") AS s47,
    SUM(w."v_shop_funnel__order" * w."v_shop_funnel__order") AS s48,
    SUM(w."v_shop_funnel__big") AS s49,
    SUM(w."v_shop_funnel__big" * w."v_shop_funnel__big") AS s50,
    SUM(w."v_shop_funnel__order" * w."v_shop_funnel__view") AS s51,
    SUM(CASE WHEN w."v_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS s52,
    SUM(w."v_shop_funnel__big" * w."v_shop_funnel__order") AS s53,
    SUM(CASE WHEN w."v_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS s54,
    SUM(w."v_order_after_exposure__order") AS s55,
    SUM(w."v_order_after_exposure__order" * w."v_order_after_exposure__order") AS s56,
    SUM(w."v_order_after_exposure__second_view") AS s57,
    SUM(
      w."v_order_after_exposure__second_view" * w."v_order_after_exposure__second_view"
    ) AS s58,
    SUM(w."v_order_after_exposure__second_view" * w."v_order_after_exposure__order") AS s59,
    SUM(CASE WHEN w."v_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS s60,
    SUM(w."v1_revenue") AS s61,
    SUM(w."v1_revenue" * w."v1_revenue") AS s62,
    SUM(w."v1_revenue" * w."x_revenue") AS s63,
    SUM(w."v1_orders") AS s64,
    SUM(w."v1_orders" * w."v1_orders") AS s65,
    SUM(w."v1_orders" * w."x_orders") AS s66,
    SUM(w."v1_purchased") AS s67,
    SUM(w."v1_purchased" * w."v1_purchased") AS s68,
    SUM(w."v1_purchased" * w."x_purchased") AS s69,
    SUM(w."v1_big_orders") AS s70,
    SUM(w."v1_big_orders" * w."v1_big_orders") AS s71,
    SUM(w."v1_big_orders" * w."x_big_orders") AS s72,
    SUM(w."v1_views") AS s73,
    SUM(w."v1_views" * w."v1_views") AS s74,
    SUM(w."v1_views" * w."x_views") AS s75,
    SUM(w."v1_revenue" * w."v1_orders") AS s76,
    SUM(w."v1_revenue" * w."x_orders") AS s77,
    SUM(w."v1_orders" * w."x_revenue") AS s78,
    SUM(CASE WHEN w."v1_orders" <> 0 THEN 1 ELSE 0 END) AS s79,
    SUM(w."v1_orders" * w."v1_views") AS s80,
    SUM(w."v1_orders" * w."x_views") AS s81,
    SUM(w."v1_views" * w."x_orders") AS s82,
    SUM(CASE WHEN w."v1_views" <> 0 THEN 1 ELSE 0 END) AS s83,
    SUM(w."v1_orders_first_2d") AS s84,
    SUM(w."v1_orders_first_2d" * w."v1_orders_first_2d") AS s85,
    SUM(w."v1_orders_first_2d" * w."x_orders_first_2d") AS s86,
    SUM(w."v1_revenue_hours_6_to_30") AS s87,
    SUM(w."v1_revenue_hours_6_to_30" * w."v1_revenue_hours_6_to_30") AS s88,
    SUM(w."v1_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s89,
    SUM(w."v1_shop_funnel__view") AS s90,
    SUM(w."v1_shop_funnel__view" * w."v1_shop_funnel__view") AS s91,
    SUM(w."v1_shop_funnel__order") AS s92,
    SUM(w."v1_shop_funnel__order" * w."v1_shop_funnel__order") AS s93,
    SUM(w."v1_shop_funnel__big") AS s94,
    SUM(w."v1_shop_funnel__big" * w."v1_shop_funnel__big") AS s95,
    SUM(w."v1_shop_funnel__order" * w."v1_shop_funnel__view") AS s96,
    SUM(CASE WHEN w."v1_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS s97,
    SUM(w."v1_shop_funnel__big" * w."v1_shop_funnel__order") AS s98,
    SUM(CASE WHEN w."v1_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS s99,
    SUM(w."v1_order_after_exposure__order") AS s100,
    SUM(w."v1_order_after_exposure__order" * w."v1_order_after_exposure__order") AS s101,
    SUM(w."v1_order_after_exposure__second_view") AS s102,
    SUM(
      w."v1_order_after_exposure__second_view" * w."v1_order_after_exposure__second_view"
    ) AS s103,
    SUM(w."v1_order_after_exposure__second_view" * w."v1_order_after_exposure__order") AS s104,
    SUM(CASE WHEN w."v1_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS s105,
    SUM(w."v7_revenue") AS s106,
    SUM(w."v7_revenue" * w."v7_revenue") AS s107,
    SUM(w."v7_revenue" * w."x_revenue") AS s108,
    SUM(w."v7_orders") AS s109,
    SUM(w."v7_orders" * w."v7_orders") AS s110,
    SUM(w."v7_orders" * w."x_orders") AS s111,
    SUM(w."v7_purchased") AS s112,
    SUM(w."v7_purchased" * w."v7_purchased") AS s113,
    SUM(w."v7_purchased" * w."x_purchased") AS s114,
    SUM(w."v7_big_orders") AS s115,
    SUM(w."v7_big_orders" * w."v7_big_orders") AS s116,
    SUM(w."v7_big_orders" * w."x_big_orders") AS s117,
    SUM(w."v7_views") AS s118,
    SUM(w."v7_views" * w."v7_views") AS s119,
    SUM(w."v7_views" * w."x_views") AS s120,
    SUM(w."v7_revenue" * w."v7_orders") AS s121,
    SUM(w."v7_revenue" * w."x_orders") AS s122,
    SUM(w."v7_orders" * w."x_revenue") AS s123,
    SUM(CASE WHEN w."v7_orders" <> 0 THEN 1 ELSE 0 END) AS s124,
    SUM(w."v7_orders" * w."v7_views") AS s125,
    SUM(w."v7_orders" * w."x_views") AS s126,
    SUM(w."v7_views" * w."x_orders") AS s127,
    SUM(CASE WHEN w."v7_views" <> 0 THEN 1 ELSE 0 END) AS s128,
    SUM(w."v7_orders_first_2d") AS s129,
    SUM(w."v7_orders_first_2d" * w."v7_orders_first_2d") AS s130,
    SUM(w."v7_orders_first_2d" * w."x_orders_first_2d") AS s131,
    SUM(w."v7_revenue_hours_6_to_30") AS s132,
    SUM(w."v7_revenue_hours_6_to_30" * w."v7_revenue_hours_6_to_30") AS s133,
    SUM(w."v7_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s134,
    SUM(w."v7_shop_funnel__view") AS s135,
    SUM(w."v7_shop_funnel__view" * w."v7_shop_funnel__view") AS s136,
    SUM(w."v7_shop_funnel__order") AS s137,
    SUM(w."v7_shop_funnel__order" * w."v7_shop_funnel__order") AS s138,
    SUM(w."v7_shop_funnel__big") AS s139,
    SUM(w."v7_shop_funnel__big" * w."v7_shop_funnel__big") AS s140,
    SUM(w."v7_shop_funnel__order" * w."v7_shop_funnel__view") AS s141,
    SUM(CASE WHEN w."v7_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS s142,
    SUM(w."v7_shop_funnel__big" * w."v7_shop_funnel__order") AS s143,
    SUM(CASE WHEN w."v7_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS s144,
    SUM(w."v7_order_after_exposure__order") AS s145,
    SUM(w."v7_order_after_exposure__order" * w."v7_order_after_exposure__order") AS s146,
    SUM(w."v7_order_after_exposure__second_view") AS s147,
    SUM(
      w."v7_order_after_exposure__second_view" * w."v7_order_after_exposure__second_view"
    ) AS s148,
    SUM(w."v7_order_after_exposure__second_view" * w."v7_order_after_exposure__order") AS s149,
    SUM(CASE WHEN w."v7_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS s150
  FROM capped AS w
  JOIN rank_0 AS r0
    ON r0.as_of_date = w.as_of_date
    AND r0.value = COALESCE(CAST(w."country" AS TEXT), '(null)')
  GROUP BY
    w.as_of_date,
    w.variant,
    CASE WHEN r0.position <= 20 THEN r0.value ELSE '(other)' END
), slices AS (
  SELECT
    as_of_date,
    'overall' AS dimension,
    'all' AS dimension_value,
    variant,
    CAST(SUM(n) AS BIGINT) AS n,
    SUM(s0) AS s0,
    SUM(s1) AS s1,
    SUM(s2) AS s2,
    SUM(s3) AS s3,
    SUM(s4) AS s4,
    SUM(s5) AS s5,
    SUM(s6) AS s6,
    SUM(s7) AS s7,
    SUM(s8) AS s8,
    SUM(s9) AS s9,
    SUM(s10) AS s10,
    SUM(s11) AS s11,
    SUM(s12) AS s12,
    SUM(s13) AS s13,
    SUM(s14) AS s14,
    SUM(s15) AS s15,
    SUM(s16) AS s16,
    SUM(s17) AS s17,
    SUM(s18) AS s18,
    SUM(s19) AS s19,
    SUM(s20) AS s20,
    SUM(s21) AS s21,
    SUM(s22) AS s22,
    SUM(s23) AS s23,
    SUM(s24) AS s24,
    SUM(s25) AS s25,
    SUM(s26) AS s26,
    SUM(s27) AS s27,
    SUM(s28) AS s28,
    SUM(s29) AS s29,
    SUM(s30) AS s30,
    SUM(s31) AS s31,
    SUM(s32) AS s32,
    SUM(s33) AS s33,
    SUM(s34) AS s34,
    SUM(s35) AS s35,
    SUM(s36) AS s36,
    SUM(s37) AS s37,
    SUM(s38) AS s38,
    SUM(s39) AS s39,
    SUM(s40) AS s40,
    SUM(s41) AS s41,
    SUM(s42) AS s42,
    SUM(s43) AS s43,
    SUM(s44) AS s44,
    SUM(s45) AS s45,
    SUM(s46) AS s46,
    SUM(s47) AS s47,
    SUM(s48) AS s48,
    SUM(s49) AS s49,
    SUM(s50) AS s50,
    SUM(s51) AS s51,
    SUM(s52) AS s52,
    SUM(s53) AS s53,
    SUM(s54) AS s54,
    SUM(s55) AS s55,
    SUM(s56) AS s56,
    SUM(s57) AS s57,
    SUM(s58) AS s58,
    SUM(s59) AS s59,
    SUM(s60) AS s60,
    SUM(s61) AS s61,
    SUM(s62) AS s62,
    SUM(s63) AS s63,
    SUM(s64) AS s64,
    SUM(s65) AS s65,
    SUM(s66) AS s66,
    SUM(s67) AS s67,
    SUM(s68) AS s68,
    SUM(s69) AS s69,
    SUM(s70) AS s70,
    SUM(s71) AS s71,
    SUM(s72) AS s72,
    SUM(s73) AS s73,
    SUM(s74) AS s74,
    SUM(s75) AS s75,
    SUM(s76) AS s76,
    SUM(s77) AS s77,
    SUM(s78) AS s78,
    SUM(s79) AS s79,
    SUM(s80) AS s80,
    SUM(s81) AS s81,
    SUM(s82) AS s82,
    SUM(s83) AS s83,
    SUM(s84) AS s84,
    SUM(s85) AS s85,
    SUM(s86) AS s86,
    SUM(s87) AS s87,
    SUM(s88) AS s88,
    SUM(s89) AS s89,
    SUM(s90) AS s90,
    SUM(s91) AS s91,
    SUM(s92) AS s92,
    SUM(s93) AS s93,
    SUM(s94) AS s94,
    SUM(s95) AS s95,
    SUM(s96) AS s96,
    SUM(s97) AS s97,
    SUM(s98) AS s98,
    SUM(s99) AS s99,
    SUM(s100) AS s100,
    SUM(s101) AS s101,
    SUM(s102) AS s102,
    SUM(s103) AS s103,
    SUM(s104) AS s104,
    SUM(s105) AS s105,
    SUM(s106) AS s106,
    SUM(s107) AS s107,
    SUM(s108) AS s108,
    SUM(s109) AS s109,
    SUM(s110) AS s110,
    SUM(s111) AS s111,
    SUM(s112) AS s112,
    SUM(s113) AS s113,
    SUM(s114) AS s114,
    SUM(s115) AS s115,
    SUM(s116) AS s116,
    SUM(s117) AS s117,
    SUM(s118) AS s118,
    SUM(s119) AS s119,
    SUM(s120) AS s120,
    SUM(s121) AS s121,
    SUM(s122) AS s122,
    SUM(s123) AS s123,
    SUM(s124) AS s124,
    SUM(s125) AS s125,
    SUM(s126) AS s126,
    SUM(s127) AS s127,
    SUM(s128) AS s128,
    SUM(s129) AS s129,
    SUM(s130) AS s130,
    SUM(s131) AS s131,
    SUM(s132) AS s132,
    SUM(s133) AS s133,
    SUM(s134) AS s134,
    SUM(s135) AS s135,
    SUM(s136) AS s136,
    SUM(s137) AS s137,
    SUM(s138) AS s138,
    SUM(s139) AS s139,
    SUM(s140) AS s140,
    SUM(s141) AS s141,
    SUM(s142) AS s142,
    SUM(s143) AS s143,
    SUM(s144) AS s144,
    SUM(s145) AS s145,
    SUM(s146) AS s146,
    SUM(s147) AS s147,
    SUM(s148) AS s148,
    SUM(s149) AS s149,
    SUM(s150) AS s150
  FROM cells
  GROUP BY
    as_of_date,
    variant
  UNION ALL
  SELECT
    as_of_date,
    'country' AS dimension,
    dv_0 AS dimension_value,
    variant,
    CAST(SUM(n) AS BIGINT) AS n,
    SUM(s0) AS s0,
    SUM(s1) AS s1,
    SUM(s2) AS s2,
    SUM(s3) AS s3,
    SUM(s4) AS s4,
    SUM(s5) AS s5,
    SUM(s6) AS s6,
    SUM(s7) AS s7,
    SUM(s8) AS s8,
    SUM(s9) AS s9,
    SUM(s10) AS s10,
    SUM(s11) AS s11,
    SUM(s12) AS s12,
    SUM(s13) AS s13,
    SUM(s14) AS s14,
    SUM(s15) AS s15,
    SUM(s16) AS s16,
    SUM(s17) AS s17,
    SUM(s18) AS s18,
    SUM(s19) AS s19,
    SUM(s20) AS s20,
    SUM(s21) AS s21,
    SUM(s22) AS s22,
    SUM(s23) AS s23,
    SUM(s24) AS s24,
    SUM(s25) AS s25,
    SUM(s26) AS s26,
    SUM(s27) AS s27,
    SUM(s28) AS s28,
    SUM(s29) AS s29,
    SUM(s30) AS s30,
    SUM(s31) AS s31,
    SUM(s32) AS s32,
    SUM(s33) AS s33,
    SUM(s34) AS s34,
    SUM(s35) AS s35,
    SUM(s36) AS s36,
    SUM(s37) AS s37,
    SUM(s38) AS s38,
    SUM(s39) AS s39,
    SUM(s40) AS s40,
    SUM(s41) AS s41,
    SUM(s42) AS s42,
    SUM(s43) AS s43,
    SUM(s44) AS s44,
    SUM(s45) AS s45,
    SUM(s46) AS s46,
    SUM(s47) AS s47,
    SUM(s48) AS s48,
    SUM(s49) AS s49,
    SUM(s50) AS s50,
    SUM(s51) AS s51,
    SUM(s52) AS s52,
    SUM(s53) AS s53,
    SUM(s54) AS s54,
    SUM(s55) AS s55,
    SUM(s56) AS s56,
    SUM(s57) AS s57,
    SUM(s58) AS s58,
    SUM(s59) AS s59,
    SUM(s60) AS s60,
    SUM(s61) AS s61,
    SUM(s62) AS s62,
    SUM(s63) AS s63,
    SUM(s64) AS s64,
    SUM(s65) AS s65,
    SUM(s66) AS s66,
    SUM(s67) AS s67,
    SUM(s68) AS s68,
    SUM(s69) AS s69,
    SUM(s70) AS s70,
    SUM(s71) AS s71,
    SUM(s72) AS s72,
    SUM(s73) AS s73,
    SUM(s74) AS s74,
    SUM(s75) AS s75,
    SUM(s76) AS s76,
    SUM(s77) AS s77,
    SUM(s78) AS s78,
    SUM(s79) AS s79,
    SUM(s80) AS s80,
    SUM(s81) AS s81,
    SUM(s82) AS s82,
    SUM(s83) AS s83,
    SUM(s84) AS s84,
    SUM(s85) AS s85,
    SUM(s86) AS s86,
    SUM(s87) AS s87,
    SUM(s88) AS s88,
    SUM(s89) AS s89,
    SUM(s90) AS s90,
    SUM(s91) AS s91,
    SUM(s92) AS s92,
    SUM(s93) AS s93,
    SUM(s94) AS s94,
    SUM(s95) AS s95,
    SUM(s96) AS s96,
    SUM(s97) AS s97,
    SUM(s98) AS s98,
    SUM(s99) AS s99,
    SUM(s100) AS s100,
    SUM(s101) AS s101,
    SUM(s102) AS s102,
    SUM(s103) AS s103,
    SUM(s104) AS s104,
    SUM(s105) AS s105,
    SUM(s106) AS s106,
    SUM(s107) AS s107,
    SUM(s108) AS s108,
    SUM(s109) AS s109,
    SUM(s110) AS s110,
    SUM(s111) AS s111,
    SUM(s112) AS s112,
    SUM(s113) AS s113,
    SUM(s114) AS s114,
    SUM(s115) AS s115,
    SUM(s116) AS s116,
    SUM(s117) AS s117,
    SUM(s118) AS s118,
    SUM(s119) AS s119,
    SUM(s120) AS s120,
    SUM(s121) AS s121,
    SUM(s122) AS s122,
    SUM(s123) AS s123,
    SUM(s124) AS s124,
    SUM(s125) AS s125,
    SUM(s126) AS s126,
    SUM(s127) AS s127,
    SUM(s128) AS s128,
    SUM(s129) AS s129,
    SUM(s130) AS s130,
    SUM(s131) AS s131,
    SUM(s132) AS s132,
    SUM(s133) AS s133,
    SUM(s134) AS s134,
    SUM(s135) AS s135,
    SUM(s136) AS s136,
    SUM(s137) AS s137,
    SUM(s138) AS s138,
    SUM(s139) AS s139,
    SUM(s140) AS s140,
    SUM(s141) AS s141,
    SUM(s142) AS s142,
    SUM(s143) AS s143,
    SUM(s144) AS s144,
    SUM(s145) AS s145,
    SUM(s146) AS s146,
    SUM(s147) AS s147,
    SUM(s148) AS s148,
    SUM(s149) AS s149,
    SUM(s150) AS s150
  FROM cells
  GROUP BY
    as_of_date,
    dv_0,
    variant
), by_days_since_exposure AS (
  SELECT
    w.as_of_date,
    w.days_since_exposure,
    w.variant,
    COUNT(*) AS n,
    SUM(w."x_revenue") AS s2,
    SUM(w."x_revenue" * w."x_revenue") AS s3,
    SUM(w."x_orders") AS s7,
    SUM(w."x_orders" * w."x_orders") AS s8,
    SUM(w."x_purchased") AS s12,
    SUM(w."x_purchased" * w."x_purchased") AS s13,
    SUM(w."x_big_orders") AS s17,
    SUM(w."x_big_orders" * w."x_big_orders") AS s18,
    SUM(w."x_views") AS s22,
    SUM(w."x_views" * w."x_views") AS s23,
    SUM(w."x_revenue" * w."x_orders") AS s28,
    SUM(w."x_orders" * w."x_views") AS s33,
    SUM(w."x_orders_first_2d") AS s37,
    SUM(w."x_orders_first_2d" * w."x_orders_first_2d") AS s38,
    SUM(w."x_revenue_hours_6_to_30") AS s42,
    SUM(w."x_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s43,
    SUM(w."v1_revenue") AS s61,
    SUM(w."v1_revenue" * w."v1_revenue") AS s62,
    SUM(w."v1_revenue" * w."x_revenue") AS s63,
    SUM(w."v1_orders") AS s64,
    SUM(w."v1_orders" * w."v1_orders") AS s65,
    SUM(w."v1_orders" * w."x_orders") AS s66,
    SUM(w."v1_purchased") AS s67,
    SUM(w."v1_purchased" * w."v1_purchased") AS s68,
    SUM(w."v1_purchased" * w."x_purchased") AS s69,
    SUM(w."v1_big_orders") AS s70,
    SUM(w."v1_big_orders" * w."v1_big_orders") AS s71,
    SUM(w."v1_big_orders" * w."x_big_orders") AS s72,
    SUM(w."v1_views") AS s73,
    SUM(w."v1_views" * w."v1_views") AS s74,
    SUM(w."v1_views" * w."x_views") AS s75,
    SUM(w."v1_revenue" * w."v1_orders") AS s76,
    SUM(w."v1_revenue" * w."x_orders") AS s77,
    SUM(w."v1_orders" * w."x_revenue") AS s78,
    SUM(CASE WHEN w."v1_orders" <> 0 THEN 1 ELSE 0 END) AS s79,
    SUM(w."v1_orders" * w."v1_views") AS s80,
    SUM(w."v1_orders" * w."x_views") AS s81,
    SUM(w."v1_views" * w."x_orders") AS s82,
    SUM(CASE WHEN w."v1_views" <> 0 THEN 1 ELSE 0 END) AS s83,
    SUM(w."v1_orders_first_2d") AS s84,
    SUM(w."v1_orders_first_2d" * w."v1_orders_first_2d") AS s85,
    SUM(w."v1_orders_first_2d" * w."x_orders_first_2d") AS s86,
    SUM(w."v1_revenue_hours_6_to_30") AS s87,
    SUM(w."v1_revenue_hours_6_to_30" * w."v1_revenue_hours_6_to_30") AS s88,
    SUM(w."v1_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s89,
    SUM(w."v1_shop_funnel__view") AS s90,
    SUM(w."v1_shop_funnel__view" * w."v1_shop_funnel__view") AS s91,
    SUM(w."v1_shop_funnel__order") AS s92,
    SUM(w."v1_shop_funnel__order" * w."v1_shop_funnel__order") AS s93,
    SUM(w."v1_shop_funnel__big") AS s94,
    SUM(w."v1_shop_funnel__big" * w."v1_shop_funnel__big") AS s95,
    SUM(w."v1_shop_funnel__order" * w."v1_shop_funnel__view") AS s96,
    SUM(CASE WHEN w."v1_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS s97,
    SUM(w."v1_shop_funnel__big" * w."v1_shop_funnel__order") AS s98,
    SUM(CASE WHEN w."v1_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS s99,
    SUM(w."v1_order_after_exposure__order") AS s100,
    SUM(w."v1_order_after_exposure__order" * w."v1_order_after_exposure__order") AS s101,
    SUM(w."v1_order_after_exposure__second_view") AS s102,
    SUM(
      w."v1_order_after_exposure__second_view" * w."v1_order_after_exposure__second_view"
    ) AS s103,
    SUM(w."v1_order_after_exposure__second_view" * w."v1_order_after_exposure__order") AS s104,
    SUM(CASE WHEN w."v1_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS s105
  FROM capped AS w
  GROUP BY
    w.as_of_date,
    w.days_since_exposure,
    w.variant
), metric_caps AS (
  SELECT
    k.as_of_date,
    'cumulative' AS rollup,
    m.metric,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."v_revenue_lower"
    END AS cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."v_revenue_upper"
    END AS cap_upper,
    CAST(NULL AS DOUBLE) AS denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS denominator_cap_upper,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_lower"
    END AS covariate_cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_upper"
    END AS covariate_cap_upper,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_upper
  FROM caps AS k
  CROSS JOIN (VALUES
    ('revenue'),
    ('orders'),
    ('purchased'),
    ('big_orders'),
    ('views'),
    ('revenue_per_order'),
    ('orders_per_view'),
    ('orders_first_2d'),
    ('revenue_hours_6_to_30'),
    ('shop_funnel__view'),
    ('shop_funnel__order'),
    ('shop_funnel__big'),
    ('shop_funnel__view_to_order'),
    ('shop_funnel__order_to_big'),
    ('order_after_exposure__order'),
    ('order_after_exposure__second_view'),
    ('order_after_exposure__order_to_second_view')) AS m(metric)
  UNION ALL
  SELECT
    k.as_of_date,
    'daily' AS rollup,
    m.metric,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v1_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."v1_revenue_lower"
    END AS cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v1_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."v1_revenue_upper"
    END AS cap_upper,
    CAST(NULL AS DOUBLE) AS denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS denominator_cap_upper,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_lower"
    END AS covariate_cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_upper"
    END AS covariate_cap_upper,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_upper
  FROM caps AS k
  CROSS JOIN (VALUES
    ('revenue'),
    ('orders'),
    ('purchased'),
    ('big_orders'),
    ('views'),
    ('revenue_per_order'),
    ('orders_per_view'),
    ('orders_first_2d'),
    ('revenue_hours_6_to_30'),
    ('shop_funnel__view'),
    ('shop_funnel__order'),
    ('shop_funnel__big'),
    ('shop_funnel__view_to_order'),
    ('shop_funnel__order_to_big'),
    ('order_after_exposure__order'),
    ('order_after_exposure__second_view'),
    ('order_after_exposure__order_to_second_view')) AS m(metric)
  UNION ALL
  SELECT
    k.as_of_date,
    '7day' AS rollup,
    m.metric,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v7_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."v7_revenue_lower"
    END AS cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v7_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."v7_revenue_upper"
    END AS cap_upper,
    CAST(NULL AS DOUBLE) AS denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS denominator_cap_upper,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_lower"
    END AS covariate_cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_upper"
    END AS covariate_cap_upper,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_upper
  FROM caps AS k
  CROSS JOIN (VALUES
    ('revenue'),
    ('orders'),
    ('purchased'),
    ('big_orders'),
    ('views'),
    ('revenue_per_order'),
    ('orders_per_view'),
    ('orders_first_2d'),
    ('revenue_hours_6_to_30'),
    ('shop_funnel__view'),
    ('shop_funnel__order'),
    ('shop_funnel__big'),
    ('shop_funnel__view_to_order'),
    ('shop_funnel__order_to_big'),
    ('order_after_exposure__order'),
    ('order_after_exposure__second_view'),
    ('order_after_exposure__order_to_second_view')) AS m(metric)
  UNION ALL
  SELECT
    k.as_of_date,
    'days_since_exposure' AS rollup,
    m.metric,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v1_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."v1_revenue_lower"
    END AS cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."v1_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."v1_revenue_upper"
    END AS cap_upper,
    CAST(NULL AS DOUBLE) AS denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS denominator_cap_upper,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_lower"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_lower"
    END AS covariate_cap_lower,
    CASE m.metric
      WHEN 'revenue'
      THEN k."x_revenue_upper"
      WHEN 'revenue_per_order'
      THEN k."x_revenue_upper"
    END AS covariate_cap_upper,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_lower,
    CAST(NULL AS DOUBLE) AS covariate_denominator_cap_upper
  FROM caps AS k
  CROSS JOIN (VALUES
    ('revenue'),
    ('orders'),
    ('purchased'),
    ('big_orders'),
    ('views'),
    ('revenue_per_order'),
    ('orders_per_view'),
    ('orders_first_2d'),
    ('revenue_hours_6_to_30'),
    ('shop_funnel__view'),
    ('shop_funnel__order'),
    ('shop_funnel__big'),
    ('shop_funnel__view_to_order'),
    ('shop_funnel__order_to_big'),
    ('order_after_exposure__order'),
    ('order_after_exposure__second_view'),
    ('order_after_exposure__order_to_second_view')) AS m(metric)
), moments AS (
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'revenue' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s0 AS sum,
    s1 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s4 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s5 AS sum,
    s6 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s9 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'purchased' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s10 AS sum,
    s11 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s12 AS covariate_sum,
    s13 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s14 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'big_orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s15 AS sum,
    s16 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s17 AS covariate_sum,
    s18 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s19 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'views' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s20 AS sum,
    s21 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s22 AS covariate_sum,
    s23 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s24 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'revenue_per_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s0 AS sum,
    s1 AS sum_squares,
    s5 AS denominator_sum,
    s6 AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    s7 AS covariate_denominator_sum,
    s8 AS covariate_denominator_sum_squares,
    s25 AS main_denominator_sum_product,
    s4 AS main_covariate_sum_product,
    s26 AS main_covariate_denominator_sum_product,
    s27 AS denominator_covariate_sum_product,
    s9 AS denominator_covariate_denominator_sum_product,
    s28 AS covariate_covariate_denominator_sum_product,
    CAST(s29 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'orders_per_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s5 AS sum,
    s6 AS sum_squares,
    s20 AS denominator_sum,
    s21 AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    s22 AS covariate_denominator_sum,
    s23 AS covariate_denominator_sum_squares,
    s30 AS main_denominator_sum_product,
    s9 AS main_covariate_sum_product,
    s31 AS main_covariate_denominator_sum_product,
    s32 AS denominator_covariate_sum_product,
    s24 AS denominator_covariate_denominator_sum_product,
    s33 AS covariate_covariate_denominator_sum_product,
    CAST(s34 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'orders_first_2d' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s35 AS sum,
    s36 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s37 AS covariate_sum,
    s38 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s39 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'revenue_hours_6_to_30' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s40 AS sum,
    s41 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s42 AS covariate_sum,
    s43 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s44 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'shop_funnel__view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s45 AS sum,
    s46 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'shop_funnel__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s47 AS sum,
    s48 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'shop_funnel__big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s49 AS sum,
    s50 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'shop_funnel__view_to_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s47 AS sum,
    s48 AS sum_squares,
    s45 AS denominator_sum,
    s46 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s51 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s52 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'shop_funnel__order_to_big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s49 AS sum,
    s50 AS sum_squares,
    s47 AS denominator_sum,
    s48 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s53 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s54 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'order_after_exposure__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s55 AS sum,
    s56 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'order_after_exposure__second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s57 AS sum,
    s58 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'cumulative' AS rollup,
    'order_after_exposure__order_to_second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s57 AS sum,
    s58 AS sum_squares,
    s55 AS denominator_sum,
    s56 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s59 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s60 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'revenue' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s61 AS sum,
    s62 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s63 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s64 AS sum,
    s65 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s66 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'purchased' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s67 AS sum,
    s68 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s12 AS covariate_sum,
    s13 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s69 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'big_orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s70 AS sum,
    s71 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s17 AS covariate_sum,
    s18 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s72 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'views' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s73 AS sum,
    s74 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s22 AS covariate_sum,
    s23 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s75 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'revenue_per_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s61 AS sum,
    s62 AS sum_squares,
    s64 AS denominator_sum,
    s65 AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    s7 AS covariate_denominator_sum,
    s8 AS covariate_denominator_sum_squares,
    s76 AS main_denominator_sum_product,
    s63 AS main_covariate_sum_product,
    s77 AS main_covariate_denominator_sum_product,
    s78 AS denominator_covariate_sum_product,
    s66 AS denominator_covariate_denominator_sum_product,
    s28 AS covariate_covariate_denominator_sum_product,
    CAST(s79 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'orders_per_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s64 AS sum,
    s65 AS sum_squares,
    s73 AS denominator_sum,
    s74 AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    s22 AS covariate_denominator_sum,
    s23 AS covariate_denominator_sum_squares,
    s80 AS main_denominator_sum_product,
    s66 AS main_covariate_sum_product,
    s81 AS main_covariate_denominator_sum_product,
    s82 AS denominator_covariate_sum_product,
    s75 AS denominator_covariate_denominator_sum_product,
    s33 AS covariate_covariate_denominator_sum_product,
    CAST(s83 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'orders_first_2d' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s84 AS sum,
    s85 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s37 AS covariate_sum,
    s38 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s86 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'revenue_hours_6_to_30' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s87 AS sum,
    s88 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s42 AS covariate_sum,
    s43 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s89 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'shop_funnel__view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s90 AS sum,
    s91 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'shop_funnel__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s92 AS sum,
    s93 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'shop_funnel__big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s94 AS sum,
    s95 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'shop_funnel__view_to_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s92 AS sum,
    s93 AS sum_squares,
    s90 AS denominator_sum,
    s91 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s96 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s97 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'shop_funnel__order_to_big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s94 AS sum,
    s95 AS sum_squares,
    s92 AS denominator_sum,
    s93 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s98 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s99 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'order_after_exposure__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s100 AS sum,
    s101 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'order_after_exposure__second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s102 AS sum,
    s103 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'daily' AS rollup,
    'order_after_exposure__order_to_second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s102 AS sum,
    s103 AS sum_squares,
    s100 AS denominator_sum,
    s101 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s104 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s105 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'revenue' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s106 AS sum,
    s107 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s108 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s109 AS sum,
    s110 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s111 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'purchased' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s112 AS sum,
    s113 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s12 AS covariate_sum,
    s13 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s114 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'big_orders' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s115 AS sum,
    s116 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s17 AS covariate_sum,
    s18 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s117 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'views' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s118 AS sum,
    s119 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s22 AS covariate_sum,
    s23 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s120 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'revenue_per_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s106 AS sum,
    s107 AS sum_squares,
    s109 AS denominator_sum,
    s110 AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    s7 AS covariate_denominator_sum,
    s8 AS covariate_denominator_sum_squares,
    s121 AS main_denominator_sum_product,
    s108 AS main_covariate_sum_product,
    s122 AS main_covariate_denominator_sum_product,
    s123 AS denominator_covariate_sum_product,
    s111 AS denominator_covariate_denominator_sum_product,
    s28 AS covariate_covariate_denominator_sum_product,
    CAST(s124 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'orders_per_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s109 AS sum,
    s110 AS sum_squares,
    s118 AS denominator_sum,
    s119 AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    s22 AS covariate_denominator_sum,
    s23 AS covariate_denominator_sum_squares,
    s125 AS main_denominator_sum_product,
    s111 AS main_covariate_sum_product,
    s126 AS main_covariate_denominator_sum_product,
    s127 AS denominator_covariate_sum_product,
    s120 AS denominator_covariate_denominator_sum_product,
    s33 AS covariate_covariate_denominator_sum_product,
    CAST(s128 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'orders_first_2d' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s129 AS sum,
    s130 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s37 AS covariate_sum,
    s38 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s131 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'revenue_hours_6_to_30' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s132 AS sum,
    s133 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s42 AS covariate_sum,
    s43 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s134 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'shop_funnel__view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s135 AS sum,
    s136 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'shop_funnel__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s137 AS sum,
    s138 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'shop_funnel__big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s139 AS sum,
    s140 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'shop_funnel__view_to_order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s137 AS sum,
    s138 AS sum_squares,
    s135 AS denominator_sum,
    s136 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s141 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s142 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'shop_funnel__order_to_big' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s139 AS sum,
    s140 AS sum_squares,
    s137 AS denominator_sum,
    s138 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s143 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s144 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'order_after_exposure__order' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s145 AS sum,
    s146 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'order_after_exposure__second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s147 AS sum,
    s148 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    '7day' AS rollup,
    'order_after_exposure__order_to_second_view' AS metric,
    dimension,
    dimension_value,
    CAST(NULL AS BIGINT) AS days_since_exposure,
    variant,
    n,
    s147 AS sum,
    s148 AS sum_squares,
    s145 AS denominator_sum,
    s146 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s149 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s150 AS BIGINT) AS denominator_units
  FROM slices
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'revenue' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s61 AS sum,
    s62 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s63 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'orders' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s64 AS sum,
    s65 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s66 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'purchased' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s67 AS sum,
    s68 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s12 AS covariate_sum,
    s13 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s69 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'big_orders' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s70 AS sum,
    s71 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s17 AS covariate_sum,
    s18 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s72 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'views' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s73 AS sum,
    s74 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s22 AS covariate_sum,
    s23 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s75 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'revenue_per_order' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s61 AS sum,
    s62 AS sum_squares,
    s64 AS denominator_sum,
    s65 AS denominator_sum_squares,
    s2 AS covariate_sum,
    s3 AS covariate_sum_squares,
    s7 AS covariate_denominator_sum,
    s8 AS covariate_denominator_sum_squares,
    s76 AS main_denominator_sum_product,
    s63 AS main_covariate_sum_product,
    s77 AS main_covariate_denominator_sum_product,
    s78 AS denominator_covariate_sum_product,
    s66 AS denominator_covariate_denominator_sum_product,
    s28 AS covariate_covariate_denominator_sum_product,
    CAST(s79 AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'orders_per_view' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s64 AS sum,
    s65 AS sum_squares,
    s73 AS denominator_sum,
    s74 AS denominator_sum_squares,
    s7 AS covariate_sum,
    s8 AS covariate_sum_squares,
    s22 AS covariate_denominator_sum,
    s23 AS covariate_denominator_sum_squares,
    s80 AS main_denominator_sum_product,
    s66 AS main_covariate_sum_product,
    s81 AS main_covariate_denominator_sum_product,
    s82 AS denominator_covariate_sum_product,
    s75 AS denominator_covariate_denominator_sum_product,
    s33 AS covariate_covariate_denominator_sum_product,
    CAST(s83 AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'orders_first_2d' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s84 AS sum,
    s85 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s37 AS covariate_sum,
    s38 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s86 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'revenue_hours_6_to_30' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s87 AS sum,
    s88 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s42 AS covariate_sum,
    s43 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s89 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'shop_funnel__view' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s90 AS sum,
    s91 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'shop_funnel__order' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s92 AS sum,
    s93 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'shop_funnel__big' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s94 AS sum,
    s95 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'shop_funnel__view_to_order' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s92 AS sum,
    s93 AS sum_squares,
    s90 AS denominator_sum,
    s91 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s96 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s97 AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'shop_funnel__order_to_big' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s94 AS sum,
    s95 AS sum_squares,
    s92 AS denominator_sum,
    s93 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s98 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s99 AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'order_after_exposure__order' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s100 AS sum,
    s101 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'order_after_exposure__second_view' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s102 AS sum,
    s103 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(NULL AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
  UNION ALL
  SELECT
    as_of_date,
    'days_since_exposure' AS rollup,
    'order_after_exposure__order_to_second_view' AS metric,
    CAST(NULL AS TEXT) AS dimension,
    CAST(NULL AS TEXT) AS dimension_value,
    days_since_exposure,
    variant,
    CAST(n AS BIGINT) AS n,
    s102 AS sum,
    s103 AS sum_squares,
    s100 AS denominator_sum,
    s101 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s104 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product,
    CAST(s105 AS BIGINT) AS denominator_units
  FROM by_days_since_exposure
)
SELECT
  mo.*,
  mc.cap_lower,
  mc.cap_upper,
  mc.denominator_cap_lower,
  mc.denominator_cap_upper,
  mc.covariate_cap_lower,
  mc.covariate_cap_upper,
  mc.covariate_denominator_cap_lower,
  mc.covariate_denominator_cap_upper
FROM moments AS mo
JOIN metric_caps AS mc
  ON mc.as_of_date = mo.as_of_date AND mc.rollup = mo.rollup AND mc.metric = mo.metric
