SELECT
  `e`.`unit_id`,
  `e`.`exposure_date`,
  COUNT(DISTINCT `e`.`variant`) AS `variants_seen`
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
    AND `s`.`variant` IN ('control', 'treatment')
    AND (
      (
        `s`.`ts` >= CAST('2026-01-04 00:00:00' AS TIMESTAMP)
        AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT `s`.`user_id` IS NULL
) AS `e`
JOIN (
  SELECT
    `unit_id`,
    `variant`,
    `first_exposure_ts`,
    `first_exposure_date`,
    `country`
  FROM `exp`.`exp_a_first_exposures`
  WHERE
    `first_exposure_date` <= CAST('2026-01-05' AS DATE)
) AS `u`
  ON `u`.`unit_id` = `e`.`unit_id`
GROUP BY
  `e`.`unit_id`,
  `e`.`exposure_date`
HAVING
  MAX(CASE WHEN `e`.`variant` <> `u`.`variant` THEN 1 ELSE 0 END) = 1
