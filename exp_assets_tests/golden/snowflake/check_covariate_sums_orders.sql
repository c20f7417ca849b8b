SELECT
  "c"."variant",
  COUNT(*) AS "n",
  SUM(CAST("c"."revenue" AS DOUBLE)) AS "revenue__sum",
  SUM(CAST("c"."revenue" AS DOUBLE) * CAST("c"."revenue" AS DOUBLE)) AS "revenue__sum_squares",
  SUM(CAST("c"."orders" AS DOUBLE)) AS "orders__sum",
  SUM(CAST("c"."orders" AS DOUBLE) * CAST("c"."orders" AS DOUBLE)) AS "orders__sum_squares",
  SUM(CASE WHEN "c"."purchased" > 0 THEN 1.0 ELSE 0.0 END) AS "purchased__sum",
  SUM(
    CASE WHEN "c"."purchased" > 0 THEN 1.0 ELSE 0.0 END * CASE WHEN "c"."purchased" > 0 THEN 1.0 ELSE 0.0 END
  ) AS "purchased__sum_squares",
  SUM(CAST("c"."big_orders" AS DOUBLE)) AS "big_orders__sum",
  SUM(CAST("c"."big_orders" AS DOUBLE) * CAST("c"."big_orders" AS DOUBLE)) AS "big_orders__sum_squares",
  SUM(CAST("c"."orders_first_2d" AS DOUBLE)) AS "orders_first_2d__sum",
  SUM(CAST("c"."orders_first_2d" AS DOUBLE) * CAST("c"."orders_first_2d" AS DOUBLE)) AS "orders_first_2d__sum_squares",
  SUM(CAST("c"."revenue_hours_6_to_30" AS DOUBLE)) AS "revenue_hours_6_to_30__sum",
  SUM(
    CAST("c"."revenue_hours_6_to_30" AS DOUBLE) * CAST("c"."revenue_hours_6_to_30" AS DOUBLE)
  ) AS "revenue_hours_6_to_30__sum_squares"
FROM "exp"."exp_a_pre_exposure_covariates_orders" AS "c"
WHERE
  "c"."first_exposure_date" >= CAST('2026-01-03' AS DATE)
  AND "c"."first_exposure_date" <= CAST('2026-01-05' AS DATE)
GROUP BY
  "c"."variant"
ORDER BY
  "c"."variant"
