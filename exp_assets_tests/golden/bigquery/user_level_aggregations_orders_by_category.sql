SELECT
  `e`.`unit_id`,
  `e`.`event_date`,
  `e`.`dimension_value`,
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN `e`.`revenue` END), 0) AS FLOAT64) AS `revenue`,
  CAST(COALESCE(SUM(CASE WHEN TRUE THEN `e`.`purchased` END), 0) AS INT64) AS `purchased`
FROM (
  SELECT
    CAST(`s`.`user_id` AS STRING) AS `unit_id`,
    CAST(`s`.`ts` AS TIMESTAMP) AS `event_ts`,
    CAST(CAST(`s`.`ts` AS TIMESTAMP) AS DATE) AS `event_date`,
    CASE
      WHEN ABS(CAST(`s`.`amount` AS FLOAT64)) < 1e100
      THEN CAST(`s`.`amount` AS FLOAT64)
    END AS `revenue`,
    CASE WHEN TRUE THEN 1 ELSE 0 END AS `purchased`,
    COALESCE(CAST(`s`.`category` AS STRING), '(null)') AS `dimension_value`
  FROM `raw`.`orders` AS `s`
  WHERE
    (
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
  ON `u`.`unit_id` = `e`.`unit_id` AND `e`.`event_ts` >= `u`.`first_exposure_ts`
GROUP BY
  `e`.`unit_id`,
  `e`.`event_date`,
  `e`.`dimension_value`
