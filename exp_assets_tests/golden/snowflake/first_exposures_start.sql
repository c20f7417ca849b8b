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
          AND "s"."ts" < CAST('2026-01-05 00:00:00' AS TIMESTAMPNTZ)
        )
      )
      AND NOT "s"."user_id" IS NULL
  ) AS "e"
) AS "ranked"
WHERE
  "exposure_rank" = 1
