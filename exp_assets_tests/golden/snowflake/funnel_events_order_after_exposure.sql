SELECT
  "e"."unit_id",
  "e"."event_date",
  MIN(CASE WHEN "e"."step" = 0 THEN "e"."event_ts" END) AS "order_after_exposure__order",
  MIN(CASE WHEN "e"."step" = 1 THEN "e"."event_ts" END) AS "order_after_exposure__second_view"
FROM (
  SELECT
    CAST("s"."user_id" AS VARCHAR) AS "unit_id",
    CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS "event_ts",
    CAST(CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS DATE) AS "event_date",
    0 AS "step"
  FROM "raw"."orders" AS "s"
  WHERE
    (
      (
        "s"."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMPNTZ)
        AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
      )
    )
    AND NOT "s"."user_id" IS NULL
  UNION ALL
  SELECT
    CAST("s"."user_id" AS VARCHAR) AS "unit_id",
    CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS "event_ts",
    CAST(CAST(CONVERT_TIMEZONE('UTC', "s"."ts") AS TIMESTAMPNTZ) AS DATE) AS "event_date",
    1 AS "step"
  FROM (
    SELECT
      "user_id",
      "ts"
    FROM "raw"."page_views"
  ) AS "s"
  WHERE
    (
      (
        "s"."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMPNTZ)
        AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
      )
    )
    AND NOT "s"."user_id" IS NULL
) AS "e"
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
  ON "u"."unit_id" = "e"."unit_id" AND "e"."event_ts" >= "u"."first_exposure_ts"
GROUP BY
  "e"."unit_id",
  "e"."event_date"
