SELECT
  `exposure_date` AS `day`,
  COUNT(*) AS `row_count`
FROM (
  SELECT
    CAST(`s`.`user_id` AS STRING) AS `unit_id`,
    CAST(`s`.`ts` AS TIMESTAMP) AS `exposure_ts`,
    CAST(CAST(`s`.`ts` AS TIMESTAMP) AS DATE) AS `exposure_date`,
    CAST(`s`.`variant` AS STRING) AS `variant`,
    `s`.`country` AS `country`
  FROM `raw`.`exposures` AS `s`
  WHERE
    `s`.`experiment_id` = 'exp_a'
    AND (
      (
        `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
        AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT `s`.`user_id` IS NULL
    AND `s`.`variant` IN ('control', 'treatment')
) AS `e`
GROUP BY
  `day`
ORDER BY
  `day` NULLS LAST
