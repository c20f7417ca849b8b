SELECT
  "c"."variant",
  COUNT(*) AS "n",
  SUM(CAST("c"."views" AS DOUBLE)) AS "views__sum",
  SUM(CAST("c"."views" AS DOUBLE) * CAST("c"."views" AS DOUBLE)) AS "views__sum_squares"
FROM "exp"."exp_a_pre_exposure_covariates_views" AS "c"
WHERE
  "c"."first_exposure_date" >= CAST('2026-01-03' AS DATE)
  AND "c"."first_exposure_date" <= CAST('2026-01-05' AS DATE)
GROUP BY
  "c"."variant"
ORDER BY
  "c"."variant"
