SELECT
  "q".*,
  "d"."duplicate_rows"
FROM (
  SELECT
    CAST("s"."ts" AS DATE) AS "day",
    COUNT(*) AS "row_count",
    SUM(CASE WHEN NOT "s"."user_id" IS NULL THEN 1 ELSE 0 END) AS "read_rows",
    SUM(CASE WHEN "s"."user_id" IS NULL THEN 1 ELSE 0 END) AS "null_unit_id_rows",
    SUM(
      CASE WHEN "s"."ts" > CAST('2026-01-08 12:00:00' AS TIMESTAMPNTZ) THEN 1 ELSE 0 END
    ) AS "future_rows"
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
    OR "s"."ts" IS NULL
    OR "s"."ts" > CAST('2026-01-08 12:00:00' AS TIMESTAMPNTZ)
  GROUP BY
    CAST("s"."ts" AS DATE)
) AS "q"
LEFT JOIN (
  WITH "repeated" AS (
    SELECT
      "_row_day",
      "_row_hash"
    FROM (
      SELECT
        CAST("s"."ts" AS DATE) AS "_row_day",
        HASH("s"."user_id", "s"."ts") AS "_row_hash",
        "s"."user_id",
        "s"."ts"
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
    ) AS "h"
    GROUP BY
      "_row_day",
      "_row_hash"
    HAVING
      COUNT(*) > 1
  )
  SELECT
    "day",
    SUM("copies" - 1) AS "duplicate_rows"
  FROM (
    SELECT
      "s"."_row_day" AS "day",
      COUNT(*) AS "copies"
    FROM (
      SELECT
        CAST("s"."ts" AS DATE) AS "_row_day",
        HASH("s"."user_id", "s"."ts") AS "_row_hash",
        "s"."user_id",
        "s"."ts"
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
    ) AS "s"
    JOIN "repeated" AS "r"
      ON "r"."_row_day" = "s"."_row_day" AND "r"."_row_hash" = "s"."_row_hash"
    GROUP BY
      "s"."_row_day",
      "s"."user_id",
      "s"."ts"
  ) AS "g"
  WHERE
    "copies" > 1
  GROUP BY
    "day"
) AS "d"
  ON "d"."day" = "q"."day"
