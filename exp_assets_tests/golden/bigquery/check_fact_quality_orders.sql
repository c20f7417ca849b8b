SELECT
  `q`.*,
  `d`.`duplicate_rows`
FROM (
  SELECT
    CAST(`s`.`ts` AS DATE) AS `day`,
    COUNT(*) AS `row_count`,
    SUM(CASE WHEN NOT `s`.`user_id` IS NULL THEN 1 ELSE 0 END) AS `read_rows`,
    SUM(CASE WHEN `s`.`user_id` IS NULL THEN 1 ELSE 0 END) AS `null_unit_id_rows`,
    SUM(CASE WHEN `s`.`ts` > CAST('2026-01-08 12:00:00' AS TIMESTAMP) THEN 1 ELSE 0 END) AS `future_rows`,
    SUM(
      CASE
        WHEN NOT `s`.`amount` IS NULL AND NOT (
          ABS(CAST(`s`.`amount` AS FLOAT64)) < 1e100
        )
        THEN 1
        ELSE 0
      END
    ) AS `invalid_0`
  FROM `raw`.`orders` AS `s`
  WHERE
    (
      (
        `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
        AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    OR `s`.`ts` IS NULL
    OR `s`.`ts` > CAST('2026-01-08 12:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(`s`.`ts` AS DATE)
) AS `q`
LEFT JOIN (
  WITH `repeated` AS (
    SELECT
      `_row_day`,
      `_row_hash`
    FROM (
      SELECT
        CAST(`s`.`ts` AS DATE) AS `_row_day`,
        FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(`s`.`user_id`, `s`.`ts`, `s`.`amount`, `s`.`category`))) AS `_row_hash`,
        `s`.`user_id`,
        `s`.`ts`,
        `s`.`amount`,
        `s`.`category`
      FROM `raw`.`orders` AS `s`
      WHERE
        (
          (
            `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
            AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
          )
        )
    ) AS `h`
    GROUP BY
      `_row_day`,
      `_row_hash`
    HAVING
      COUNT(*) > 1
  )
  SELECT
    `day`,
    SUM(`copies` - 1) AS `duplicate_rows`
  FROM (
    SELECT
      `s`.`_row_day` AS `day`,
      COUNT(*) AS `copies`
    FROM (
      SELECT
        CAST(`s`.`ts` AS DATE) AS `_row_day`,
        FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(`s`.`user_id`, `s`.`ts`, `s`.`amount`, `s`.`category`))) AS `_row_hash`,
        `s`.`user_id`,
        `s`.`ts`,
        `s`.`amount`,
        `s`.`category`
      FROM `raw`.`orders` AS `s`
      WHERE
        (
          (
            `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
            AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
          )
        )
    ) AS `s`
    JOIN `repeated` AS `r`
      ON `r`.`_row_day` = `s`.`_row_day` AND `r`.`_row_hash` = `s`.`_row_hash`
    GROUP BY
      `s`.`_row_day`,
      `s`.`user_id`,
      `s`.`ts`,
      `s`.`amount`,
      `s`.`category`
  ) AS `g`
  WHERE
    `copies` > 1
  GROUP BY
    `day`
) AS `d`
  ON `d`.`day` = `q`.`day`
