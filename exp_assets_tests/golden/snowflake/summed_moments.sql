SELECT
  "d"."as_of_date",
  "m"."days_since_exposure",
  "m"."metric",
  "m"."variant",
  SUM("m"."n") AS "n",
  SUM("m"."sum") AS "sum",
  SUM("m"."sum_squares") AS "sum_squares",
  SUM("m"."denominator_sum") AS "denominator_sum",
  SUM("m"."denominator_sum_squares") AS "denominator_sum_squares",
  SUM("m"."covariate_sum") AS "covariate_sum",
  SUM("m"."covariate_sum_squares") AS "covariate_sum_squares",
  SUM("m"."covariate_denominator_sum") AS "covariate_denominator_sum",
  SUM("m"."covariate_denominator_sum_squares") AS "covariate_denominator_sum_squares",
  SUM("m"."main_denominator_sum_product") AS "main_denominator_sum_product",
  SUM("m"."main_covariate_sum_product") AS "main_covariate_sum_product",
  SUM("m"."main_covariate_denominator_sum_product") AS "main_covariate_denominator_sum_product",
  SUM("m"."denominator_covariate_sum_product") AS "denominator_covariate_sum_product",
  SUM("m"."denominator_covariate_denominator_sum_product") AS "denominator_covariate_denominator_sum_product",
  SUM("m"."covariate_covariate_denominator_sum_product") AS "covariate_covariate_denominator_sum_product",
  SUM("m"."denominator_units") AS "denominator_units"
FROM (
  SELECT
    "d"."as_of_date"
  FROM (VALUES
    (CAST('2026-01-04' AS DATE)),
    (CAST('2026-01-05' AS DATE))) AS "d"("as_of_date")
) AS "d"
JOIN (
  SELECT
    "as_of_date",
    "rollup",
    "metric",
    "dimension",
    "dimension_value",
    "days_since_exposure",
    "variant",
    "n",
    "sum",
    "sum_squares",
    "denominator_sum",
    "denominator_sum_squares",
    "covariate_sum",
    "covariate_sum_squares",
    "covariate_denominator_sum",
    "covariate_denominator_sum_squares",
    "main_denominator_sum_product",
    "main_covariate_sum_product",
    "main_covariate_denominator_sum_product",
    "denominator_covariate_sum_product",
    "denominator_covariate_denominator_sum_product",
    "covariate_covariate_denominator_sum_product",
    "denominator_units",
    "cap_lower",
    "cap_upper",
    "denominator_cap_lower",
    "denominator_cap_upper",
    "covariate_cap_lower",
    "covariate_cap_upper",
    "covariate_denominator_cap_lower",
    "covariate_denominator_cap_upper"
  FROM "exp"."exp_a_rollup_moments"
  WHERE
    "as_of_date" >= CAST('2026-01-03' AS DATE)
    AND "as_of_date" < CAST('2026-01-06' AS DATE)
) AS "m"
  ON "m"."as_of_date" <= "d"."as_of_date"
GROUP BY
  "d"."as_of_date",
  "m"."days_since_exposure",
  "m"."metric",
  "m"."variant"
