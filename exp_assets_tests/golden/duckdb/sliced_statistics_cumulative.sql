WITH eligible AS (
  SELECT
    t.as_of_date,
    t.unit_id,
    t.variant
  FROM (
    SELECT
      d.as_of_date,
      r."unit_id",
      r."variant",
      r."first_exposure_ts",
      r."first_exposure_date",
      r."country",
      r."revenue",
      r."orders",
      r."purchased",
      r."big_orders",
      r."views",
      r."orders_first_2d",
      r."revenue_hours_6_to_30",
      r."shop_funnel__view",
      r."shop_funnel__order",
      r."shop_funnel__big",
      r."order_after_exposure__order",
      r."order_after_exposure__second_view",
      r."revenue__pre_exposure",
      r."orders__pre_exposure",
      r."purchased__pre_exposure",
      r."big_orders__pre_exposure",
      r."views__pre_exposure",
      r."orders_first_2d__pre_exposure",
      r."revenue_hours_6_to_30__pre_exposure"
    FROM (
      SELECT
        t."unit_id",
        t."variant",
        t."first_exposure_ts",
        t."first_exposure_date",
        t."country",
        t."revenue",
        t."orders",
        t."purchased",
        t."big_orders",
        t."views",
        t."orders_first_2d",
        t."revenue_hours_6_to_30",
        t."shop_funnel__view",
        t."shop_funnel__order",
        t."shop_funnel__big",
        t."order_after_exposure__order",
        t."order_after_exposure__second_view",
        t."revenue__pre_exposure",
        t."orders__pre_exposure",
        t."purchased__pre_exposure",
        t."big_orders__pre_exposure",
        t."views__pre_exposure",
        t."orders_first_2d__pre_exposure",
        t."revenue_hours_6_to_30__pre_exposure",
        t.as_of_date AS held_from,
        COALESCE(
          LEAD(t.as_of_date) OVER (PARTITION BY t.unit_id ORDER BY t.as_of_date),
          CAST('2026-01-06' AS DATE)
        ) AS held_until
      FROM "exp"."exp_a_unit_totals" AS t
      WHERE
        t.as_of_date >= CAST('2026-01-03' AS DATE)
        AND t.as_of_date <= CAST('2026-01-05' AS DATE)
    ) AS r
    JOIN (
      SELECT
        d."as_of_date"
      FROM (VALUES
        (CAST('2026-01-04' AS DATE)),
        (CAST('2026-01-05' AS DATE))) AS d("as_of_date")
    ) AS d
      ON d.as_of_date >= r.held_from AND d.as_of_date < r.held_until
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
), counts AS (
  SELECT
    as_of_date,
    variant,
    COUNT(*) AS n
  FROM eligible
  GROUP BY
    as_of_date,
    variant
), slice_0 AS (
  SELECT
    e.as_of_date,
    e.variant,
    e.unit_id,
    s.dimension_value,
    SUM(s."revenue") AS "revenue",
    SUM(s."purchased") AS "purchased"
  FROM eligible AS e
  JOIN (
    SELECT
      "event_date",
      "unit_id",
      "dimension_value",
      "revenue",
      "purchased"
    FROM "exp"."exp_a_user_level_aggregations_orders_by_category"
    WHERE
      "event_date" >= CAST('2026-01-03' AS DATE)
      AND "event_date" < CAST('2026-01-06' AS DATE)
  ) AS s
    ON s.unit_id = e.unit_id AND s.event_date <= e.as_of_date
  GROUP BY
    e.as_of_date,
    e.variant,
    e.unit_id,
    s.dimension_value
), rank_0 AS (
  SELECT
    as_of_date,
    dimension_value,
    ROW_NUMBER() OVER (PARTITION BY as_of_date ORDER BY COUNT(DISTINCT unit_id) DESC, dimension_value) AS position
  FROM slice_0
  GROUP BY
    as_of_date,
    dimension_value
), merged_0 AS (
  SELECT
    s.as_of_date,
    s.variant,
    s.unit_id,
    CASE WHEN r.position <= 20 THEN s.dimension_value ELSE '(other)' END AS dimension_value,
    SUM(s."revenue") AS "revenue",
    SUM(s."purchased") AS "purchased"
  FROM slice_0 AS s
  JOIN rank_0 AS r
    ON r.as_of_date = s.as_of_date AND r.dimension_value = s.dimension_value
  GROUP BY
    s.as_of_date,
    s.variant,
    s.unit_id,
    4
), long AS (
  SELECT
    as_of_date,
    variant,
    'revenue' AS metric,
    'category' AS dimension,
    dimension_value,
    CAST("revenue" AS DOUBLE) AS y
  FROM merged_0
  UNION ALL
  SELECT
    as_of_date,
    variant,
    'purchased' AS metric,
    'category' AS dimension,
    dimension_value,
    CASE WHEN "purchased" > 0 THEN 1.0 ELSE 0.0 END AS y
  FROM merged_0
), slices AS (
  SELECT DISTINCT
    as_of_date,
    metric,
    dimension,
    dimension_value
  FROM long
)
SELECT
  v.as_of_date,
  'cumulative' AS rollup,
  v.metric,
  v.dimension,
  v.dimension_value,
  CAST(NULL AS BIGINT) AS days_since_exposure,
  c.variant,
  c.n,
  COALESCE(SUM(l.y), 0) AS sum,
  COALESCE(SUM(l.y * l.y), 0) AS sum_squares,
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
  CAST(NULL AS BIGINT) AS denominator_units,
  CAST(NULL AS DOUBLE) AS cap_lower,
  CAST(NULL AS DOUBLE) AS cap_upper,
  CAST(NULL AS DOUBLE) AS denominator_cap_lower,
  CAST(NULL AS DOUBLE) AS denominator_cap_upper,
  CAST(NULL AS DOUBLE) AS covariate_cap_lower,
  CAST(NULL AS DOUBLE) AS covariate_cap_upper,
  CAST(NULL AS DOUBLE) AS covariate_denominator_cap_lower,
  CAST(NULL AS DOUBLE) AS covariate_denominator_cap_upper
FROM slices AS v
JOIN counts AS c
  ON c.as_of_date = v.as_of_date
LEFT JOIN long AS l
  ON l.as_of_date = v.as_of_date
  AND l.metric = v.metric
  AND l.dimension = v.dimension
  AND l.dimension_value = v.dimension_value
  AND l.variant = c.variant
GROUP BY
  v.as_of_date,
  v.metric,
  v.dimension,
  v.dimension_value,
  c.variant,
  c.n
