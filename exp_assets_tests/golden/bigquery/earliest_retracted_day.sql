SELECT
  MIN(`u`.`first_exposure_date`) AS `day`
FROM (
  SELECT
    `unit_id`,
    MIN(`exposure_date`) AS `since`
  FROM (
    SELECT
      `exposure_date`,
      `unit_id`
    FROM `exp`.`exp_a_multiple_variant_units`
    WHERE
      `exposure_date` >= CAST('2026-01-03' AS DATE)
      AND `exposure_date` < CAST('2026-01-06' AS DATE)
  ) AS `c`
  GROUP BY
    `unit_id`
) AS `c`
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
  ON `u`.`unit_id` = `c`.`unit_id` AND `u`.`first_exposure_date` < `c`.`since`
WHERE
  `c`.`since` >= CAST('2026-01-04' AS DATE)
  AND `c`.`since` < CAST('2026-01-06' AS DATE)
