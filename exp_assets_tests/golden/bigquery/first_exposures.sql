SELECT
  `unit_id`,
  `variant`,
  `exposure_ts` AS `first_exposure_ts`,
  `exposure_date` AS `first_exposure_date`,
  `country`
FROM (
  SELECT
    `e`.*,
    ROW_NUMBER() OVER (
      PARTITION BY `e`.`unit_id`
      ORDER BY `exposure_ts` NULLS LAST, `variant` NULLS LAST, `country` NULLS LAST
    ) AS `exposure_rank`
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
  WHERE
    NOT EXISTS(
      SELECT
        1
      FROM (
        SELECT
          `unit_id`
        FROM (
          SELECT
            `unit_id`,
            `variant`,
            `first_exposure_ts`,
            `first_exposure_date`,
            `country`
          FROM `exp`.`exp_a_first_exposures`
          WHERE
            `first_exposure_date` <= CAST('2026-01-03' AS DATE)
        ) AS `u`
      ) AS `x`
      WHERE
        `x`.`unit_id` = `e`.`unit_id`
    )
) AS `ranked`
WHERE
  `exposure_rank` = 1
