SELECT
  "u"."variant",
  COUNT(*) AS "n",
  SUM(CAST("c"."views" AS DOUBLE)) AS "views__sum",
  SUM(CAST("c"."views" AS DOUBLE) * CAST("c"."views" AS DOUBLE)) AS "views__sum_squares"
FROM "exp"."exp_a_pre_exposure_covariates_views" AS "c"
JOIN (
  SELECT
    "unit_id",
    "variant",
    "first_exposure_ts",
    "first_exposure_date",
    "country"
  FROM "exp"."exp_a_first_exposures"
  WHERE
    "first_exposure_date" <= CAST('2026-01-05' AS DATE)
) AS "u"
  ON "u"."unit_id" = "c"."unit_id"
WHERE
  "c"."first_exposure_date" >= CAST('2026-01-03' AS DATE)
  AND "c"."first_exposure_date" <= CAST('2026-01-05' AS DATE)
GROUP BY
  "u"."variant"
ORDER BY
  "u"."variant"
