SELECT
  "exposure_date" AS "day",
  COUNT(*) AS "row_count"
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
    AND (
      (
        "s"."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMPNTZ)
        AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
      )
    )
    AND NOT "s"."user_id" IS NULL
    AND "s"."variant" IN ('control', 'treatment')
) AS "e"
GROUP BY
  "exposure_date"
ORDER BY
  "day"
