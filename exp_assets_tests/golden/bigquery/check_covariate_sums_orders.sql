SELECT
  `c`.`variant`,
  COUNT(*) AS `n`,
  SUM(CAST(`c`.`revenue` AS FLOAT64)) AS `revenue__sum`,
  SUM(CAST(`c`.`revenue` AS FLOAT64) * CAST(`c`.`revenue` AS FLOAT64)) AS `revenue__sum_squares`,
  SUM(CAST(`c`.`orders` AS FLOAT64)) AS `orders__sum`,
  SUM(CAST(`c`.`orders` AS FLOAT64) * CAST(`c`.`orders` AS FLOAT64)) AS `orders__sum_squares`,
  SUM(CASE WHEN `c`.`purchased` > 0 THEN 1.0 ELSE 0.0 END) AS `purchased__sum`,
  SUM(
    CASE WHEN `c`.`purchased` > 0 THEN 1.0 ELSE 0.0 END * CASE WHEN `c`.`purchased` > 0 THEN 1.0 ELSE 0.0 END
  ) AS `purchased__sum_squares`,
  SUM(CAST(`c`.`big_orders` AS FLOAT64)) AS `big_orders__sum`,
  SUM(CAST(`c`.`big_orders` AS FLOAT64) * CAST(`c`.`big_orders` AS FLOAT64)) AS `big_orders__sum_squares`,
  SUM(CAST(`c`.`orders_first_2d` AS FLOAT64)) AS `orders_first_2d__sum`,
  SUM(CAST(`c`.`orders_first_2d` AS FLOAT64) * CAST(`c`.`orders_first_2d` AS FLOAT64)) AS `orders_first_2d__sum_squares`,
  SUM(CAST(`c`.`revenue_hours_6_to_30` AS FLOAT64)) AS `revenue_hours_6_to_30__sum`,
  SUM(
    CAST(`c`.`revenue_hours_6_to_30` AS FLOAT64) * CAST(`c`.`revenue_hours_6_to_30` AS FLOAT64)
  ) AS `revenue_hours_6_to_30__sum_squares`
FROM `exp`.`exp_a_pre_exposure_covariates_orders` AS `c`
WHERE
  `c`.`first_exposure_date` >= CAST('2026-01-03' AS DATE)
  AND `c`.`first_exposure_date` <= CAST('2026-01-05' AS DATE)
GROUP BY
  `c`.`variant`
ORDER BY
  `c`.`variant` NULLS LAST
