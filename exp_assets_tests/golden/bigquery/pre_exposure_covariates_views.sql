SELECT
  `u`.`unit_id`,
  `u`.`first_exposure_date`,
  `u`.`variant`,
  CAST(COALESCE(SUM(`e`.`views`), 0) AS INT64) AS `views`
FROM (
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
LEFT JOIN (
  SELECT
    CAST(`s`.`user_id` AS STRING) AS `unit_id`,
    CAST(`s`.`ts` AS TIMESTAMP) AS `event_ts`,
    CAST(CAST(`s`.`ts` AS TIMESTAMP) AS DATE) AS `event_date`,
    CASE WHEN TRUE THEN 1 ELSE 0 END AS `views`
  FROM (
    SELECT
      `user_id`,
      `ts`
    FROM `raw`.`page_views`
  ) AS `s`
  WHERE
    (
      (
        `s`.`ts` >= CAST('2026-01-02 00:00:00' AS TIMESTAMP)
        AND `s`.`ts` < CAST('2026-01-06 00:00:00' AS TIMESTAMP)
      )
    )
    AND NOT `s`.`user_id` IS NULL
) AS `e`
  ON `e`.`unit_id` = `u`.`unit_id`
  AND `e`.`event_ts` >= TIMESTAMP_SUB(`u`.`first_exposure_ts`, INTERVAL 2 DAY)
  AND `e`.`event_ts` < `u`.`first_exposure_ts`
WHERE
  `u`.`first_exposure_date` >= CAST('2026-01-04' AS DATE)
  AND `u`.`first_exposure_date` < CAST('2026-01-06' AS DATE)
GROUP BY
  `u`.`unit_id`,
  `u`.`first_exposure_date`,
  `u`.`variant`
