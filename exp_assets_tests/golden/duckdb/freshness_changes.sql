SELECT
  'exposures' AS source,
  CAST(s."ts" AS DATE) AS day,
  COUNT(*) AS row_count,
  CAST(MAX(s."ts") AS TEXT) AS max_ts,
  CAST(SUM(
    HASH(s."user_id", s."experiment_id", s."variant", s."ts", s."country") % 1000000007
  ) AS TEXT) AS fingerprint
FROM "raw"."exposures" AS s
WHERE
  (
    (
      s."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
      AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
    )
  )
  AND s."experiment_id" = 'exp_a'
GROUP BY
  CAST(s."ts" AS DATE)
UNION ALL
SELECT
  'orders' AS source,
  CAST(s."ts" AS DATE) AS day,
  COUNT(*) AS row_count,
  CAST(MAX(s."ts") AS TEXT) AS max_ts,
  CAST(SUM(HASH(s."user_id", s."ts", s."amount", s."category") % 1000000007) AS TEXT) AS fingerprint
FROM "raw"."orders" AS s
WHERE
  (
    (
      s."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
      AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
    )
  )
GROUP BY
  CAST(s."ts" AS DATE)
UNION ALL
SELECT
  'views' AS source,
  CAST(s."ts" AS DATE) AS day,
  COUNT(*) AS row_count,
  CAST(MAX(s."ts") AS TEXT) AS max_ts,
  CAST(SUM(HASH(s."user_id", s."ts") % 1000000007) AS TEXT) AS fingerprint
FROM (
  SELECT
    user_id,
    ts
  FROM raw.page_views
) AS s
WHERE
  (
    (
      s."ts" >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
      AND s."ts" < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
    )
  )
GROUP BY
  CAST(s."ts" AS DATE)
