WITH eligible AS (
  SELECT
    t.as_of_date,
    t.variant,
    t."country",
    CAST(t."revenue" - COALESCE(p."revenue", 0) AS DOUBLE) AS "v_revenue",
    CAST(COALESCE(c."revenue", 0) AS DOUBLE) AS "x_revenue",
    CAST(t."orders" - COALESCE(p."orders", 0) AS DOUBLE) AS "v_orders",
    CAST(COALESCE(c."orders", 0) AS DOUBLE) AS "x_orders",
    CASE WHEN t."purchased" - COALESCE(p."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "v_purchased",
    CASE WHEN COALESCE(c."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "x_purchased",
    CAST(t."big_orders" - COALESCE(p."big_orders", 0) AS DOUBLE) AS "v_big_orders",
    CAST(COALESCE(c."big_orders", 0) AS DOUBLE) AS "x_big_orders",
    CAST(t."views" - COALESCE(p."views", 0) AS DOUBLE) AS "v_views",
    CAST(COALESCE(c."views", 0) AS DOUBLE) AS "x_views",
    CAST(t."orders_first_2d" - COALESCE(p."orders_first_2d", 0) AS DOUBLE) AS "v_orders_first_2d",
    CAST(COALESCE(c."orders_first_2d", 0) AS DOUBLE) AS "x_orders_first_2d",
    CAST(t."revenue_hours_6_to_30" - COALESCE(p."revenue_hours_6_to_30", 0) AS DOUBLE) AS "v_revenue_hours_6_to_30",
    CAST(COALESCE(c."revenue_hours_6_to_30", 0) AS DOUBLE) AS "x_revenue_hours_6_to_30",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__view" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p."shop_funnel__view" IS NULL
        AND p."shop_funnel__view" <= p."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v_shop_funnel__view",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__order" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p."shop_funnel__view" IS NULL
        AND p."shop_funnel__order" >= p."shop_funnel__view"
        AND p."shop_funnel__order" <= p."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v_shop_funnel__order",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__order" >= t."shop_funnel__view"
      AND t."shop_funnel__big" >= t."shop_funnel__order"
      AND t."shop_funnel__big" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p."shop_funnel__view" IS NULL
        AND p."shop_funnel__order" >= p."shop_funnel__view"
        AND p."shop_funnel__big" >= p."shop_funnel__order"
        AND p."shop_funnel__big" <= p."shop_funnel__view" + INTERVAL '48' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v_shop_funnel__big",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__order" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p."order_after_exposure__order" IS NULL
        AND p."order_after_exposure__order" <= p.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v_order_after_exposure__order",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__second_view" >= t."order_after_exposure__order"
      AND t."order_after_exposure__second_view" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT p."order_after_exposure__order" IS NULL
        AND p."order_after_exposure__second_view" >= p."order_after_exposure__order"
        AND p."order_after_exposure__second_view" <= p.first_exposure_ts + INTERVAL '24' HOUR
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v_order_after_exposure__second_view"
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
      "order_after_exposure__second_view"
    FROM "exp"."exp_a_unit_totals"
    WHERE
      "as_of_date" >= CAST('2026-01-04' AS DATE)
      AND "as_of_date" < CAST('2026-01-06' AS DATE)
  ) AS t
  LEFT JOIN (
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
  ) AS x
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
  ) AS p
    ON p.unit_id = t.unit_id AND p.as_of_date = t.as_of_date - INTERVAL '1' DAY
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
          "first_exposure_date" >= CAST('2026-01-03' AS DATE)
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
          "first_exposure_date" >= CAST('2026-01-03' AS DATE)
          AND "first_exposure_date" < CAST('2026-01-06' AS DATE)
      ) AS r
    ) AS p
    GROUP BY
      "unit_id"
  ) AS c
    ON c.unit_id = t.unit_id
  WHERE
    t.as_of_date >= CAST('2026-01-04' AS DATE)
    AND t.as_of_date < CAST('2026-01-06' AS DATE)
    AND (
      x.since IS NULL OR x.since > t.as_of_date
    )
), wide AS (
  SELECT
    *
  FROM eligible
), caps AS (
  SELECT
    as_of_date,
    QUANTILE_CONT("v_revenue", 0.05) AS "v_revenue_lower",
    QUANTILE_CONT("v_revenue", 0.95) AS "v_revenue_upper",
    QUANTILE_CONT("x_revenue", 0.05) AS "x_revenue_lower",
    QUANTILE_CONT("x_revenue", 0.95) AS "x_revenue_upper"
  FROM wide
  GROUP BY
    as_of_date
), capped AS (
  SELECT
    w.as_of_date,
    w.variant,
    w."country",
    LEAST(GREATEST(w."v_revenue", k."v_revenue_lower"), k."v_revenue_upper") AS "v_revenue",
    LEAST(GREATEST(w."x_revenue", k."x_revenue_lower"), k."x_revenue_upper") AS "x_revenue",
    w."v_orders" AS "v_orders",
    w."x_orders" AS "x_orders",
    w."v_purchased" AS "v_purchased",
    w."x_purchased" AS "x_purchased",
    w."v_big_orders" AS "v_big_orders",
    w."x_big_orders" AS "x_big_orders",
    w."v_views" AS "v_views",
    w."x_views" AS "x_views",
    w."v_orders_first_2d" AS "v_orders_first_2d",
    w."x_orders_first_2d" AS "x_orders_first_2d",
    w."v_revenue_hours_6_to_30" AS "v_revenue_hours_6_to_30",
    w."x_revenue_hours_6_to_30" AS "x_revenue_hours_6_to_30",
    w."v_shop_funnel__view",
    w."v_shop_funnel__order",
    w."v_shop_funnel__big",
    w."v_order_after_exposure__order",
    w."v_order_after_exposure__second_view"
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
), sliced AS (
  SELECT
    w.*,
    'overall' AS dimension,
    'all' AS dimension_value
  FROM capped AS w
  UNION ALL
  SELECT
    w.*,
    'country' AS dimension,
    CASE WHEN r.position <= 20 THEN r.value ELSE '(other)' END AS dimension_value
  FROM capped AS w
  JOIN rank_0 AS r
    ON r.as_of_date = w.as_of_date
    AND r.value = COALESCE(CAST(w."country" AS TEXT), '(null)')
), long AS (
  SELECT
    s.as_of_date,
    s.variant,
    s.dimension,
    s.dimension_value,
    m.metric,
    CASE m.metric
      WHEN 'revenue'
      THEN "v_revenue"
      WHEN 'orders'
      THEN "v_orders"
      WHEN 'purchased'
      THEN "v_purchased"
      WHEN 'big_orders'
      THEN "v_big_orders"
      WHEN 'views'
      THEN "v_views"
      WHEN 'revenue_per_order'
      THEN "v_revenue"
      WHEN 'orders_per_view'
      THEN "v_orders"
      WHEN 'orders_first_2d'
      THEN "v_orders_first_2d"
      WHEN 'revenue_hours_6_to_30'
      THEN "v_revenue_hours_6_to_30"
      WHEN 'shop_funnel__view'
      THEN "v_shop_funnel__view"
      WHEN 'shop_funnel__order'
      THEN "v_shop_funnel__order"
      WHEN 'shop_funnel__big'
      THEN "v_shop_funnel__big"
      WHEN 'shop_funnel__view_to_order'
      THEN "v_shop_funnel__order"
      WHEN 'shop_funnel__order_to_big'
      THEN "v_shop_funnel__big"
      WHEN 'order_after_exposure__order'
      THEN "v_order_after_exposure__order"
      WHEN 'order_after_exposure__second_view'
      THEN "v_order_after_exposure__second_view"
      WHEN 'order_after_exposure__order_to_second_view'
      THEN "v_order_after_exposure__second_view"
    END AS y,
    CASE m.metric
      WHEN 'revenue_per_order'
      THEN "v_orders"
      WHEN 'orders_per_view'
      THEN "v_views"
      WHEN 'shop_funnel__view_to_order'
      THEN "v_shop_funnel__view"
      WHEN 'shop_funnel__order_to_big'
      THEN "v_shop_funnel__order"
      WHEN 'order_after_exposure__order_to_second_view'
      THEN "v_order_after_exposure__order"
    END AS d,
    CASE m.metric
      WHEN 'revenue'
      THEN "x_revenue"
      WHEN 'orders'
      THEN "x_orders"
      WHEN 'purchased'
      THEN "x_purchased"
      WHEN 'big_orders'
      THEN "x_big_orders"
      WHEN 'views'
      THEN "x_views"
      WHEN 'revenue_per_order'
      THEN "x_revenue"
      WHEN 'orders_per_view'
      THEN "x_orders"
      WHEN 'orders_first_2d'
      THEN "x_orders_first_2d"
      WHEN 'revenue_hours_6_to_30'
      THEN "x_revenue_hours_6_to_30"
    END AS x,
    CASE m.metric
      WHEN 'revenue_per_order'
      THEN "x_orders"
      WHEN 'orders_per_view'
      THEN "x_views"
    END AS xd
  FROM sliced AS s
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
    metric,
    dimension,
    dimension_value,
    variant,
    COUNT(*) AS n,
    SUM(y) AS sum,
    SUM(y * y) AS sum_squares,
    SUM(d) AS denominator_sum,
    SUM(d * d) AS denominator_sum_squares,
    SUM(x) AS covariate_sum,
    SUM(x * x) AS covariate_sum_squares,
    SUM(xd) AS covariate_denominator_sum,
    SUM(xd * xd) AS covariate_denominator_sum_squares,
    SUM(y * d) AS main_denominator_sum_product,
    SUM(y * x) AS main_covariate_sum_product,
    SUM(y * xd) AS main_covariate_denominator_sum_product,
    SUM(d * x) AS denominator_covariate_sum_product,
    SUM(d * xd) AS denominator_covariate_denominator_sum_product,
    SUM(x * xd) AS covariate_covariate_denominator_sum_product
  FROM long
  GROUP BY
    as_of_date,
    metric,
    dimension,
    dimension_value,
    variant
), metric_caps AS (
  SELECT
    k.as_of_date,
    m.metric,
    CASE m.metric WHEN 'revenue' THEN "v_revenue_lower" END AS cap_lower,
    CASE m.metric WHEN 'revenue' THEN "v_revenue_upper" END AS cap_upper
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
)
SELECT
  mo.*,
  mc.cap_lower,
  mc.cap_upper
FROM moments AS mo
JOIN metric_caps AS mc
  ON mc.as_of_date = mo.as_of_date AND mc.metric = mo.metric
