WITH eligible AS (
  SELECT
    t.as_of_date,
    t.variant,
    t."country",
    CAST(t."revenue" AS DOUBLE) AS "v_revenue",
    CAST(COALESCE(t."revenue__pre_exposure", 0) AS DOUBLE) AS "x_revenue",
    CAST(t."orders" AS DOUBLE) AS "v_orders",
    CAST(COALESCE(t."orders__pre_exposure", 0) AS DOUBLE) AS "x_orders",
    CASE WHEN t."purchased" > 0 THEN 1.0 ELSE 0.0 END AS "v_purchased",
    CASE WHEN COALESCE(t."purchased__pre_exposure", 0) > 0 THEN 1.0 ELSE 0.0 END AS "x_purchased",
    CAST(t."big_orders" AS DOUBLE) AS "v_big_orders",
    CAST(COALESCE(t."big_orders__pre_exposure", 0) AS DOUBLE) AS "x_big_orders",
    CAST(t."views" AS DOUBLE) AS "v_views",
    CAST(COALESCE(t."views__pre_exposure", 0) AS DOUBLE) AS "x_views",
    CAST(t."orders_first_2d" AS DOUBLE) AS "v_orders_first_2d",
    CAST(COALESCE(t."orders_first_2d__pre_exposure", 0) AS DOUBLE) AS "x_orders_first_2d",
    CAST(t."revenue_hours_6_to_30" AS DOUBLE) AS "v_revenue_hours_6_to_30",
    CAST(COALESCE(t."revenue_hours_6_to_30__pre_exposure", 0) AS DOUBLE) AS "x_revenue_hours_6_to_30",
    CASE
      WHEN NOT t."shop_funnel__view" IS NULL
      AND t."shop_funnel__view" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__view",
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
      AND t."shop_funnel__big" >= t."shop_funnel__order"
      AND t."shop_funnel__big" <= t."shop_funnel__view" + INTERVAL '48' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__big",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__order" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__order",
    CASE
      WHEN NOT t."order_after_exposure__order" IS NULL
      AND t."order_after_exposure__second_view" >= t."order_after_exposure__order"
      AND t."order_after_exposure__second_view" <= t.first_exposure_ts + INTERVAL '24' HOUR
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__second_view"
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
    SUM(w."v_orders" * w."v_views") AS s29,
    SUM(w."v_orders" * w."x_views") AS s30,
    SUM(w."v_views" * w."x_orders") AS s31,
    SUM(w."x_orders" * w."x_views") AS s32,
    SUM(w."v_orders_first_2d") AS s33,
    SUM(w."v_orders_first_2d" * w."v_orders_first_2d") AS s34,
    SUM(w."x_orders_first_2d") AS s35,
    SUM(w."x_orders_first_2d" * w."x_orders_first_2d") AS s36,
    SUM(w."v_orders_first_2d" * w."x_orders_first_2d") AS s37,
    SUM(w."v_revenue_hours_6_to_30") AS s38,
    SUM(w."v_revenue_hours_6_to_30" * w."v_revenue_hours_6_to_30") AS s39,
    SUM(w."x_revenue_hours_6_to_30") AS s40,
    SUM(w."x_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s41,
    SUM(w."v_revenue_hours_6_to_30" * w."x_revenue_hours_6_to_30") AS s42,
    SUM(w."v_shop_funnel__view") AS s43,
    SUM(w."v_shop_funnel__view" * w."v_shop_funnel__view") AS s44,
    SUM(w."v_shop_funnel__order") AS s45,
    SUM(w."v_shop_funnel__order" * w."v_shop_funnel__order") AS s46,
    SUM(w."v_shop_funnel__big") AS s47,
    SUM(w."v_shop_funnel__big" * w."v_shop_funnel__big") AS s48,
    SUM(w."v_shop_funnel__order" * w."v_shop_funnel__view") AS s49,
    SUM(w."v_shop_funnel__big" * w."v_shop_funnel__order") AS s50,
    SUM(w."v_order_after_exposure__order") AS s51,
    SUM(w."v_order_after_exposure__order" * w."v_order_after_exposure__order") AS s52,
    SUM(w."v_order_after_exposure__second_view") AS s53,
    SUM(
      w."v_order_after_exposure__second_view" * w."v_order_after_exposure__second_view"
    ) AS s54,
    SUM(w."v_order_after_exposure__second_view" * w."v_order_after_exposure__order") AS s55
  FROM capped AS w
  JOIN rank_0 AS r0
    ON r0.as_of_date = w.as_of_date
    AND r0.value = COALESCE(CAST(w."country" AS TEXT), '(null)')
  GROUP BY
    w.as_of_date,
    w.variant,
    CASE WHEN r0.position <= 20 THEN r0.value ELSE '(other)' END
), slice_moments AS (
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
    SUM(s55) AS s55
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
    SUM(s55) AS s55
  FROM cells
  GROUP BY
    as_of_date,
    dv_0,
    variant
), moments AS (
  SELECT
    as_of_date,
    'revenue' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'orders' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'purchased' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'big_orders' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'views' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'revenue_per_order' AS metric,
    dimension,
    dimension_value,
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
    s28 AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'orders_per_view' AS metric,
    dimension,
    dimension_value,
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
    s29 AS main_denominator_sum_product,
    s9 AS main_covariate_sum_product,
    s30 AS main_covariate_denominator_sum_product,
    s31 AS denominator_covariate_sum_product,
    s24 AS denominator_covariate_denominator_sum_product,
    s32 AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'orders_first_2d' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s33 AS sum,
    s34 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s35 AS covariate_sum,
    s36 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s37 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'revenue_hours_6_to_30' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s38 AS sum,
    s39 AS sum_squares,
    CAST(NULL AS DOUBLE) AS denominator_sum,
    CAST(NULL AS DOUBLE) AS denominator_sum_squares,
    s40 AS covariate_sum,
    s41 AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS main_denominator_sum_product,
    s42 AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'shop_funnel__view' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s43 AS sum,
    s44 AS sum_squares,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'shop_funnel__order' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'shop_funnel__big' AS metric,
    dimension,
    dimension_value,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'shop_funnel__view_to_order' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s45 AS sum,
    s46 AS sum_squares,
    s43 AS denominator_sum,
    s44 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s49 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'shop_funnel__order_to_big' AS metric,
    dimension,
    dimension_value,
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
    s50 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'order_after_exposure__order' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s51 AS sum,
    s52 AS sum_squares,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'order_after_exposure__second_view' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s53 AS sum,
    s54 AS sum_squares,
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
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
  UNION ALL
  SELECT
    as_of_date,
    'order_after_exposure__order_to_second_view' AS metric,
    dimension,
    dimension_value,
    variant,
    n,
    s53 AS sum,
    s54 AS sum_squares,
    s51 AS denominator_sum,
    s52 AS denominator_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_sum,
    CAST(NULL AS DOUBLE) AS covariate_sum_squares,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum,
    CAST(NULL AS DOUBLE) AS covariate_denominator_sum_squares,
    s55 AS main_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS main_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_sum_product,
    CAST(NULL AS DOUBLE) AS denominator_covariate_denominator_sum_product,
    CAST(NULL AS DOUBLE) AS covariate_covariate_denominator_sum_product
  FROM slice_moments
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
