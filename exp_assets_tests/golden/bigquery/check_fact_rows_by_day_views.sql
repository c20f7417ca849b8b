SELECT
  CAST(`s`.`ts` AS DATE) AS `day`,
  COUNT(*) AS `row_count`
FROM (
  SELECT
    `user_id`,
    `ts`
  FROM `raw`.`page_views`
) AS `s`
WHERE
  (
    (
      `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
      AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
    )
  )
  AND NOT `s`.`user_id` IS NULL
GROUP BY
  1
ORDER BY
  `day` NULLS LAST
