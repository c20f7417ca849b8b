WITH `daily` AS (
  SELECT
    `unit_id`,
    `event_date`,
    SUM(`revenue`) AS `revenue`,
    SUM(`orders`) AS `orders`,
    SUM(`purchased`) AS `purchased`,
    SUM(`big_orders`) AS `big_orders`,
    SUM(`views`) AS `views`,
    SUM(`orders_first_2d`) AS `orders_first_2d`,
    SUM(`revenue_hours_6_to_30`) AS `revenue_hours_6_to_30`,
    MIN(`shop_funnel__view`) AS `shop_funnel__view`,
    MIN(`shop_funnel__order`) AS `shop_funnel__order`,
    MIN(`shop_funnel__big`) AS `shop_funnel__big`,
    MIN(`order_after_exposure__order`) AS `order_after_exposure__order`,
    MIN(`order_after_exposure__second_view`) AS `order_after_exposure__second_view`
  FROM (
    SELECT
      `r`.`unit_id`,
      `r`.`event_date`,
      `r`.`revenue`,
      `r`.`orders`,
      `r`.`purchased`,
      `r`.`big_orders`,
      CAST(NULL AS INT64) AS `views`,
      `r`.`orders_first_2d`,
      `r`.`revenue_hours_6_to_30`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__view`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__order`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__big`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__order`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__second_view`
    FROM (
      SELECT
        `event_date`,
        `unit_id`,
        `revenue`,
        `orders`,
        `purchased`,
        `big_orders`,
        `orders_first_2d`,
        `revenue_hours_6_to_30`
      FROM `exp`.`exp_a_user_level_aggregations_orders`
      WHERE
        `event_date` >= CAST('2026-01-04' AS DATE)
        AND `event_date` < CAST('2026-01-06' AS DATE)
    ) AS `r`
    UNION ALL
    SELECT
      `r`.`unit_id`,
      `r`.`event_date`,
      CAST(NULL AS FLOAT64) AS `revenue`,
      CAST(NULL AS INT64) AS `orders`,
      CAST(NULL AS INT64) AS `purchased`,
      CAST(NULL AS INT64) AS `big_orders`,
      `r`.`views`,
      CAST(NULL AS INT64) AS `orders_first_2d`,
      CAST(NULL AS FLOAT64) AS `revenue_hours_6_to_30`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__view`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__order`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__big`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__order`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__second_view`
    FROM (
      SELECT
        `event_date`,
        `unit_id`,
        `views`
      FROM `exp`.`exp_a_user_level_aggregations_views`
      WHERE
        `event_date` >= CAST('2026-01-04' AS DATE)
        AND `event_date` < CAST('2026-01-06' AS DATE)
    ) AS `r`
    UNION ALL
    SELECT
      `r`.`unit_id`,
      `r`.`event_date`,
      CAST(NULL AS FLOAT64) AS `revenue`,
      CAST(NULL AS INT64) AS `orders`,
      CAST(NULL AS INT64) AS `purchased`,
      CAST(NULL AS INT64) AS `big_orders`,
      CAST(NULL AS INT64) AS `views`,
      CAST(NULL AS INT64) AS `orders_first_2d`,
      CAST(NULL AS FLOAT64) AS `revenue_hours_6_to_30`,
      `r`.`shop_funnel__view`,
      `r`.`shop_funnel__order`,
      `r`.`shop_funnel__big`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__order`,
      CAST(NULL AS TIMESTAMP) AS `order_after_exposure__second_view`
    FROM (
      SELECT
        `event_date`,
        `unit_id`,
        `shop_funnel__view`,
        `shop_funnel__order`,
        `shop_funnel__big`
      FROM `exp`.`exp_a_funnel_events_shop_funnel`
      WHERE
        `event_date` >= CAST('2026-01-04' AS DATE)
        AND `event_date` < CAST('2026-01-06' AS DATE)
    ) AS `r`
    UNION ALL
    SELECT
      `r`.`unit_id`,
      `r`.`event_date`,
      CAST(NULL AS FLOAT64) AS `revenue`,
      CAST(NULL AS INT64) AS `orders`,
      CAST(NULL AS INT64) AS `purchased`,
      CAST(NULL AS INT64) AS `big_orders`,
      CAST(NULL AS INT64) AS `views`,
      CAST(NULL AS INT64) AS `orders_first_2d`,
      CAST(NULL AS FLOAT64) AS `revenue_hours_6_to_30`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__view`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__order`,
      CAST(NULL AS TIMESTAMP) AS `shop_funnel__big`,
      `r`.`order_after_exposure__order`,
      `r`.`order_after_exposure__second_view`
    FROM (
      SELECT
        `event_date`,
        `unit_id`,
        `order_after_exposure__order`,
        `order_after_exposure__second_view`
      FROM `exp`.`exp_a_funnel_events_order_after_exposure`
      WHERE
        `event_date` >= CAST('2026-01-04' AS DATE)
        AND `event_date` < CAST('2026-01-06' AS DATE)
    ) AS `r`
  ) AS `p`
  GROUP BY
    `unit_id`,
    `event_date`
)
SELECT
  CAST('2026-01-04' AS DATE) AS `as_of_date`,
  `b`.`unit_id`,
  `b`.`variant`,
  `b`.`first_exposure_ts`,
  `b`.`first_exposure_date`,
  `b`.`country`,
  CAST(COALESCE(`b`.`revenue`, 0) + COALESCE(`dl`.`revenue`, 0) AS FLOAT64) AS `revenue`,
  CAST(COALESCE(`b`.`orders`, 0) + COALESCE(`dl`.`orders`, 0) AS INT64) AS `orders`,
  CAST(COALESCE(`b`.`purchased`, 0) + COALESCE(`dl`.`purchased`, 0) AS INT64) AS `purchased`,
  CAST(COALESCE(`b`.`big_orders`, 0) + COALESCE(`dl`.`big_orders`, 0) AS INT64) AS `big_orders`,
  CAST(COALESCE(`b`.`views`, 0) + COALESCE(`dl`.`views`, 0) AS INT64) AS `views`,
  CAST(COALESCE(`b`.`orders_first_2d`, 0) + COALESCE(`dl`.`orders_first_2d`, 0) AS INT64) AS `orders_first_2d`,
  CAST(COALESCE(`b`.`revenue_hours_6_to_30`, 0) + COALESCE(`dl`.`revenue_hours_6_to_30`, 0) AS FLOAT64) AS `revenue_hours_6_to_30`,
  CAST(COALESCE(`b`.`shop_funnel__view`, `dl`.`shop_funnel__view`) AS TIMESTAMP) AS `shop_funnel__view`,
  CAST(COALESCE(`b`.`shop_funnel__order`, `dl`.`shop_funnel__order`) AS TIMESTAMP) AS `shop_funnel__order`,
  CAST(COALESCE(`b`.`shop_funnel__big`, `dl`.`shop_funnel__big`) AS TIMESTAMP) AS `shop_funnel__big`,
  CAST(COALESCE(`b`.`order_after_exposure__order`, `dl`.`order_after_exposure__order`) AS TIMESTAMP) AS `order_after_exposure__order`,
  CAST(COALESCE(`b`.`order_after_exposure__second_view`, `dl`.`order_after_exposure__second_view`) AS TIMESTAMP) AS `order_after_exposure__second_view`,
  CAST(COALESCE(`b`.`revenue__pre_exposure`, 0) AS FLOAT64) AS `revenue__pre_exposure`,
  CAST(COALESCE(`b`.`orders__pre_exposure`, 0) AS INT64) AS `orders__pre_exposure`,
  CAST(COALESCE(`b`.`purchased__pre_exposure`, 0) AS INT64) AS `purchased__pre_exposure`,
  CAST(COALESCE(`b`.`big_orders__pre_exposure`, 0) AS INT64) AS `big_orders__pre_exposure`,
  CAST(COALESCE(`b`.`views__pre_exposure`, 0) AS INT64) AS `views__pre_exposure`,
  CAST(COALESCE(`b`.`orders_first_2d__pre_exposure`, 0) AS INT64) AS `orders_first_2d__pre_exposure`,
  CAST(COALESCE(`b`.`revenue_hours_6_to_30__pre_exposure`, 0) AS FLOAT64) AS `revenue_hours_6_to_30__pre_exposure`
FROM (
  SELECT
    `t`.`as_of_date`,
    `t`.`unit_id`,
    `t`.`variant`,
    `t`.`first_exposure_ts`,
    `t`.`first_exposure_date`,
    `t`.`country`,
    `t`.`revenue`,
    `t`.`orders`,
    `t`.`purchased`,
    `t`.`big_orders`,
    `t`.`views`,
    `t`.`orders_first_2d`,
    `t`.`revenue_hours_6_to_30`,
    `t`.`shop_funnel__view`,
    `t`.`shop_funnel__order`,
    `t`.`shop_funnel__big`,
    `t`.`order_after_exposure__order`,
    `t`.`order_after_exposure__second_view`,
    `t`.`revenue__pre_exposure`,
    `t`.`orders__pre_exposure`,
    `t`.`purchased__pre_exposure`,
    `t`.`big_orders__pre_exposure`,
    `t`.`views__pre_exposure`,
    `t`.`orders_first_2d__pre_exposure`,
    `t`.`revenue_hours_6_to_30__pre_exposure`
  FROM `exp`.`exp_a_unit_totals` AS `t`
  WHERE
    `t`.`as_of_date` IN (CAST('2026-01-03' AS DATE))
) AS `b`
JOIN `daily` AS `dl`
  ON `dl`.`unit_id` = `b`.`unit_id` AND `dl`.`event_date` = CAST('2026-01-04' AS DATE)
UNION ALL
SELECT
  CAST('2026-01-04' AS DATE) AS `as_of_date`,
  `u`.`unit_id`,
  `u`.`variant`,
  `u`.`first_exposure_ts`,
  `u`.`first_exposure_date`,
  `u`.`country`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`revenue`, 0) AS FLOAT64) AS `revenue`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`orders`, 0) AS INT64) AS `orders`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`purchased`, 0) AS INT64) AS `purchased`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`big_orders`, 0) AS INT64) AS `big_orders`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`views`, 0) AS INT64) AS `views`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`orders_first_2d`, 0) AS INT64) AS `orders_first_2d`,
  CAST(COALESCE(NULL, 0) + COALESCE(`dl`.`revenue_hours_6_to_30`, 0) AS FLOAT64) AS `revenue_hours_6_to_30`,
  CAST(COALESCE(NULL, `dl`.`shop_funnel__view`) AS TIMESTAMP) AS `shop_funnel__view`,
  CAST(COALESCE(NULL, `dl`.`shop_funnel__order`) AS TIMESTAMP) AS `shop_funnel__order`,
  CAST(COALESCE(NULL, `dl`.`shop_funnel__big`) AS TIMESTAMP) AS `shop_funnel__big`,
  CAST(COALESCE(NULL, `dl`.`order_after_exposure__order`) AS TIMESTAMP) AS `order_after_exposure__order`,
  CAST(COALESCE(NULL, `dl`.`order_after_exposure__second_view`) AS TIMESTAMP) AS `order_after_exposure__second_view`,
  CAST(COALESCE(`cv`.`revenue`, 0) AS FLOAT64) AS `revenue__pre_exposure`,
  CAST(COALESCE(`cv`.`orders`, 0) AS INT64) AS `orders__pre_exposure`,
  CAST(COALESCE(`cv`.`purchased`, 0) AS INT64) AS `purchased__pre_exposure`,
  CAST(COALESCE(`cv`.`big_orders`, 0) AS INT64) AS `big_orders__pre_exposure`,
  CAST(COALESCE(`cv`.`views`, 0) AS INT64) AS `views__pre_exposure`,
  CAST(COALESCE(`cv`.`orders_first_2d`, 0) AS INT64) AS `orders_first_2d__pre_exposure`,
  CAST(COALESCE(`cv`.`revenue_hours_6_to_30`, 0) AS FLOAT64) AS `revenue_hours_6_to_30__pre_exposure`
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
LEFT JOIN `daily` AS `dl`
  ON `dl`.`unit_id` = `u`.`unit_id` AND `dl`.`event_date` = CAST('2026-01-04' AS DATE)
LEFT JOIN (
  SELECT
    `unit_id`,
    SUM(`revenue`) AS `revenue`,
    SUM(`orders`) AS `orders`,
    SUM(`purchased`) AS `purchased`,
    SUM(`big_orders`) AS `big_orders`,
    SUM(`views`) AS `views`,
    SUM(`orders_first_2d`) AS `orders_first_2d`,
    SUM(`revenue_hours_6_to_30`) AS `revenue_hours_6_to_30`
  FROM (
    SELECT
      `r`.`unit_id`,
      `r`.`revenue`,
      `r`.`orders`,
      `r`.`purchased`,
      `r`.`big_orders`,
      CAST(NULL AS INT64) AS `views`,
      `r`.`orders_first_2d`,
      `r`.`revenue_hours_6_to_30`
    FROM (
      SELECT
        `first_exposure_date`,
        `unit_id`,
        `revenue`,
        `orders`,
        `purchased`,
        `big_orders`,
        `orders_first_2d`,
        `revenue_hours_6_to_30`
      FROM `exp`.`exp_a_pre_exposure_covariates_orders`
      WHERE
        `first_exposure_date` >= CAST('2026-01-04' AS DATE)
        AND `first_exposure_date` < CAST('2026-01-05' AS DATE)
    ) AS `r`
    UNION ALL
    SELECT
      `r`.`unit_id`,
      CAST(NULL AS FLOAT64) AS `revenue`,
      CAST(NULL AS INT64) AS `orders`,
      CAST(NULL AS INT64) AS `purchased`,
      CAST(NULL AS INT64) AS `big_orders`,
      `r`.`views`,
      CAST(NULL AS INT64) AS `orders_first_2d`,
      CAST(NULL AS FLOAT64) AS `revenue_hours_6_to_30`
    FROM (
      SELECT
        `first_exposure_date`,
        `unit_id`,
        `views`
      FROM `exp`.`exp_a_pre_exposure_covariates_views`
      WHERE
        `first_exposure_date` >= CAST('2026-01-04' AS DATE)
        AND `first_exposure_date` < CAST('2026-01-05' AS DATE)
    ) AS `r`
  ) AS `p`
  GROUP BY
    `unit_id`
) AS `cv`
  ON `cv`.`unit_id` = `u`.`unit_id`
WHERE
  `u`.`first_exposure_date` = CAST('2026-01-04' AS DATE)
