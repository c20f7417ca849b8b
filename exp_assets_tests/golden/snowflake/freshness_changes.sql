SELECT
  'exposures' AS "source",
  CAST("s"."ts" AS DATE) AS "day",
  COUNT(*) AS "row_count",
  CAST(MAX("s"."ts") AS VARCHAR) AS "max_ts"
FROM "raw"."exposures" AS "s"
WHERE
  (
    (
      "s"."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMPNTZ)
      AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
    )
  )
  AND "s"."experiment_id" = 'exp_a'
GROUP BY
  CAST("s"."ts" AS DATE)
UNION ALL
SELECT
  'orders' AS "source",
  CAST("s"."ts" AS DATE) AS "day",
  COUNT(*) AS "row_count",
  CAST(MAX("s"."ts") AS VARCHAR) AS "max_ts"
FROM "raw"."orders" AS "s"
WHERE
  (
    (
      "s"."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMPNTZ)
      AND "s"."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMPNTZ)
    )
  )
GROUP BY
  CAST("s"."ts" AS DATE)
UNION ALL
SELECT
  'views' AS "source",
  CAST("s"."ts" AS DATE) AS "day",
  COUNT(*) AS "row_count",
  CAST(MAX("s"."ts") AS VARCHAR) AS "max_ts"
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
GROUP BY
  CAST("s"."ts" AS DATE)
