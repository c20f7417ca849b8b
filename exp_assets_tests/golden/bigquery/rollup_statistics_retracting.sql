WITH `crossed` AS (
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
), `stored` AS (
  SELECT
    `as_of_date`,
    `variant`,
    `dv_0`,
    `first_exposure_date`,
    `n`,
    `s__v_revenue`,
    `s__v_revenue__v_revenue`,
    `s__x_revenue`,
    `s__x_revenue__x_revenue`,
    `s__v_revenue__x_revenue`,
    `s__v_orders`,
    `s__v_orders__v_orders`,
    `s__x_orders`,
    `s__x_orders__x_orders`,
    `s__v_orders__x_orders`,
    `s__v_purchased`,
    `s__v_purchased__v_purchased`,
    `s__x_purchased`,
    `s__x_purchased__x_purchased`,
    `s__v_purchased__x_purchased`,
    `s__v_big_orders`,
    `s__v_big_orders__v_big_orders`,
    `s__x_big_orders`,
    `s__x_big_orders__x_big_orders`,
    `s__v_big_orders__x_big_orders`,
    `s__v_views`,
    `s__v_views__v_views`,
    `s__x_views`,
    `s__x_views__x_views`,
    `s__v_views__x_views`,
    `s__v_revenue__v_orders`,
    `s__v_revenue__x_orders`,
    `s__v_orders__x_revenue`,
    `s__x_revenue__x_orders`,
    `n__v_orders`,
    `s__v_orders__v_views`,
    `s__v_orders__x_views`,
    `s__v_views__x_orders`,
    `s__x_orders__x_views`,
    `n__v_views`,
    `s__v_orders_first_2d`,
    `s__v_orders_first_2d__v_orders_first_2d`,
    `s__x_orders_first_2d`,
    `s__x_orders_first_2d__x_orders_first_2d`,
    `s__v_orders_first_2d__x_orders_first_2d`,
    `s__v_revenue_hours_6_to_30`,
    `s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`,
    `s__x_revenue_hours_6_to_30`,
    `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    `s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    `s__v_shop_funnel__view`,
    `s__v_shop_funnel__view__v_shop_funnel__view`,
    `s__v_shop_funnel__order`,
    `s__v_shop_funnel__order__v_shop_funnel__order`,
    `s__v_shop_funnel__big`,
    `s__v_shop_funnel__big__v_shop_funnel__big`,
    `s__v_shop_funnel__order__v_shop_funnel__view`,
    `n__v_shop_funnel__view`,
    `s__v_shop_funnel__big__v_shop_funnel__order`,
    `n__v_shop_funnel__order`,
    `s__v_order_after_exposure__order`,
    `s__v_order_after_exposure__order__v_order_after_exposure__order`,
    `s__v_order_after_exposure__second_view`,
    `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`,
    `s__v_order_after_exposure__second_view__v_order_after_exposure__order`,
    `n__v_order_after_exposure__order`,
    `s__v1_revenue`,
    `s__v1_revenue__v1_revenue`,
    `s__v1_revenue__x_revenue`,
    `s__v1_orders`,
    `s__v1_orders__v1_orders`,
    `s__v1_orders__x_orders`,
    `s__v1_purchased`,
    `s__v1_purchased__v1_purchased`,
    `s__v1_purchased__x_purchased`,
    `s__v1_big_orders`,
    `s__v1_big_orders__v1_big_orders`,
    `s__v1_big_orders__x_big_orders`,
    `s__v1_views`,
    `s__v1_views__v1_views`,
    `s__v1_views__x_views`,
    `s__v1_revenue__v1_orders`,
    `s__v1_revenue__x_orders`,
    `s__v1_orders__x_revenue`,
    `n__v1_orders`,
    `s__v1_orders__v1_views`,
    `s__v1_orders__x_views`,
    `s__v1_views__x_orders`,
    `n__v1_views`,
    `s__v1_orders_first_2d`,
    `s__v1_orders_first_2d__v1_orders_first_2d`,
    `s__v1_orders_first_2d__x_orders_first_2d`,
    `s__v1_revenue_hours_6_to_30`,
    `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`,
    `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    `s__v1_shop_funnel__view`,
    `s__v1_shop_funnel__view__v1_shop_funnel__view`,
    `s__v1_shop_funnel__order`,
    `s__v1_shop_funnel__order__v1_shop_funnel__order`,
    `s__v1_shop_funnel__big`,
    `s__v1_shop_funnel__big__v1_shop_funnel__big`,
    `s__v1_shop_funnel__order__v1_shop_funnel__view`,
    `n__v1_shop_funnel__view`,
    `s__v1_shop_funnel__big__v1_shop_funnel__order`,
    `n__v1_shop_funnel__order`,
    `s__v1_order_after_exposure__order`,
    `s__v1_order_after_exposure__order__v1_order_after_exposure__order`,
    `s__v1_order_after_exposure__second_view`,
    `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`,
    `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`,
    `n__v1_order_after_exposure__order`,
    `s__v7_revenue`,
    `s__v7_revenue__v7_revenue`,
    `s__v7_revenue__x_revenue`,
    `s__v7_orders`,
    `s__v7_orders__v7_orders`,
    `s__v7_orders__x_orders`,
    `s__v7_purchased`,
    `s__v7_purchased__v7_purchased`,
    `s__v7_purchased__x_purchased`,
    `s__v7_big_orders`,
    `s__v7_big_orders__v7_big_orders`,
    `s__v7_big_orders__x_big_orders`,
    `s__v7_views`,
    `s__v7_views__v7_views`,
    `s__v7_views__x_views`,
    `s__v7_revenue__v7_orders`,
    `s__v7_revenue__x_orders`,
    `s__v7_orders__x_revenue`,
    `n__v7_orders`,
    `s__v7_orders__v7_views`,
    `s__v7_orders__x_views`,
    `s__v7_views__x_orders`,
    `n__v7_views`,
    `s__v7_orders_first_2d`,
    `s__v7_orders_first_2d__v7_orders_first_2d`,
    `s__v7_orders_first_2d__x_orders_first_2d`,
    `s__v7_revenue_hours_6_to_30`,
    `s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`,
    `s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    `s__v7_shop_funnel__view`,
    `s__v7_shop_funnel__view__v7_shop_funnel__view`,
    `s__v7_shop_funnel__order`,
    `s__v7_shop_funnel__order__v7_shop_funnel__order`,
    `s__v7_shop_funnel__big`,
    `s__v7_shop_funnel__big__v7_shop_funnel__big`,
    `s__v7_shop_funnel__order__v7_shop_funnel__view`,
    `n__v7_shop_funnel__view`,
    `s__v7_shop_funnel__big__v7_shop_funnel__order`,
    `n__v7_shop_funnel__order`,
    `s__v7_order_after_exposure__order`,
    `s__v7_order_after_exposure__order__v7_order_after_exposure__order`,
    `s__v7_order_after_exposure__second_view`,
    `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`,
    `s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`,
    `n__v7_order_after_exposure__order`,
    `n__v_revenue`,
    `n__x_revenue`,
    `n__x_orders`,
    `n__v_purchased`,
    `n__x_purchased`,
    `n__v_big_orders`,
    `n__x_big_orders`,
    `n__x_views`,
    `n__v_orders_first_2d`,
    `n__x_orders_first_2d`,
    `n__v_revenue_hours_6_to_30`,
    `n__x_revenue_hours_6_to_30`,
    `n__v_shop_funnel__big`,
    `n__v_order_after_exposure__second_view`,
    `n__v1_revenue`,
    `n__v1_purchased`,
    `n__v1_big_orders`,
    `n__v1_orders_first_2d`,
    `n__v1_revenue_hours_6_to_30`,
    `n__v1_shop_funnel__big`,
    `n__v1_order_after_exposure__second_view`,
    `n__v7_revenue`,
    `n__v7_purchased`,
    `n__v7_big_orders`,
    `n__v7_orders_first_2d`,
    `n__v7_revenue_hours_6_to_30`,
    `n__v7_shop_funnel__big`,
    `n__v7_order_after_exposure__second_view`,
    `us__v_revenue`,
    `us__v_revenue__v_revenue`,
    `us__x_revenue`,
    `us__x_revenue__x_revenue`,
    `us__v_revenue__x_revenue`,
    `us__v_revenue__v_orders`,
    `us__v_revenue__x_orders`,
    `us__v_orders__x_revenue`,
    `us__x_revenue__x_orders`,
    `us__v1_revenue`,
    `us__v1_revenue__v1_revenue`,
    `us__v1_revenue__x_revenue`,
    `us__v1_revenue__v1_orders`,
    `us__v1_revenue__x_orders`,
    `us__v1_orders__x_revenue`,
    `us__v7_revenue`,
    `us__v7_revenue__v7_revenue`,
    `us__v7_revenue__x_revenue`,
    `us__v7_revenue__v7_orders`,
    `us__v7_revenue__x_orders`,
    `us__v7_orders__x_revenue`,
    `un__v_revenue`,
    `un__x_revenue`,
    `un__v1_revenue`,
    `un__v7_revenue`,
    `v_revenue_lower`,
    `v_revenue_upper`,
    `v1_revenue_lower`,
    `v1_revenue_upper`,
    `v7_revenue_lower`,
    `v7_revenue_upper`,
    `x_revenue_lower`,
    `x_revenue_upper`
  FROM `exp`.`exp_a_rollup_cells`
  WHERE
    `as_of_date` >= CAST('2026-01-04' AS DATE)
    AND `as_of_date` < CAST('2026-01-06' AS DATE)
), `caps` AS (
  SELECT
    `as_of_date`,
    MAX(`v_revenue_lower`) AS `v_revenue_lower`,
    MAX(`v_revenue_upper`) AS `v_revenue_upper`,
    MAX(`v1_revenue_lower`) AS `v1_revenue_lower`,
    MAX(`v1_revenue_upper`) AS `v1_revenue_upper`,
    MAX(`v7_revenue_lower`) AS `v7_revenue_lower`,
    MAX(`v7_revenue_upper`) AS `v7_revenue_upper`,
    MAX(`x_revenue_lower`) AS `x_revenue_lower`,
    MAX(`x_revenue_upper`) AS `x_revenue_upper`
  FROM `stored`
  GROUP BY
    `as_of_date`
), `rank_0` AS (
  SELECT
    `as_of_date`,
    `dv_0` AS `value`,
    ROW_NUMBER() OVER (PARTITION BY `as_of_date` ORDER BY SUM(`n`) DESC, `dv_0` NULLS LAST) AS `position`
  FROM `stored`
  GROUP BY
    `as_of_date`,
    `dv_0`
), `cells` AS (
  SELECT
    `w`.`as_of_date`,
    `w`.`variant`,
    CASE WHEN `r0`.`position` <= 20 THEN `r0`.`value` ELSE '(other)' END AS `dv_0`,
    SUM(`w`.`n`) AS `n`,
    SUM(`w`.`s__v_revenue`) AS `s__v_revenue`,
    SUM(`w`.`s__v_revenue__v_revenue`) AS `s__v_revenue__v_revenue`,
    SUM(`w`.`s__x_revenue`) AS `s__x_revenue`,
    SUM(`w`.`s__x_revenue__x_revenue`) AS `s__x_revenue__x_revenue`,
    SUM(`w`.`s__v_revenue__x_revenue`) AS `s__v_revenue__x_revenue`,
    SUM(`w`.`s__v_orders`) AS `s__v_orders`,
    SUM(`w`.`s__v_orders__v_orders`) AS `s__v_orders__v_orders`,
    SUM(`w`.`s__x_orders`) AS `s__x_orders`,
    SUM(`w`.`s__x_orders__x_orders`) AS `s__x_orders__x_orders`,
    SUM(`w`.`s__v_orders__x_orders`) AS `s__v_orders__x_orders`,
    SUM(`w`.`s__v_purchased`) AS `s__v_purchased`,
    SUM(`w`.`s__v_purchased__v_purchased`) AS `s__v_purchased__v_purchased`,
    SUM(`w`.`s__x_purchased`) AS `s__x_purchased`,
    SUM(`w`.`s__x_purchased__x_purchased`) AS `s__x_purchased__x_purchased`,
    SUM(`w`.`s__v_purchased__x_purchased`) AS `s__v_purchased__x_purchased`,
    SUM(`w`.`s__v_big_orders`) AS `s__v_big_orders`,
    SUM(`w`.`s__v_big_orders__v_big_orders`) AS `s__v_big_orders__v_big_orders`,
    SUM(`w`.`s__x_big_orders`) AS `s__x_big_orders`,
    SUM(`w`.`s__x_big_orders__x_big_orders`) AS `s__x_big_orders__x_big_orders`,
    SUM(`w`.`s__v_big_orders__x_big_orders`) AS `s__v_big_orders__x_big_orders`,
    SUM(`w`.`s__v_views`) AS `s__v_views`,
    SUM(`w`.`s__v_views__v_views`) AS `s__v_views__v_views`,
    SUM(`w`.`s__x_views`) AS `s__x_views`,
    SUM(`w`.`s__x_views__x_views`) AS `s__x_views__x_views`,
    SUM(`w`.`s__v_views__x_views`) AS `s__v_views__x_views`,
    SUM(`w`.`s__v_revenue__v_orders`) AS `s__v_revenue__v_orders`,
    SUM(`w`.`s__v_revenue__x_orders`) AS `s__v_revenue__x_orders`,
    SUM(`w`.`s__v_orders__x_revenue`) AS `s__v_orders__x_revenue`,
    SUM(`w`.`s__x_revenue__x_orders`) AS `s__x_revenue__x_orders`,
    SUM(`w`.`n__v_orders`) AS `n__v_orders`,
    SUM(`w`.`s__v_orders__v_views`) AS `s__v_orders__v_views`,
    SUM(`w`.`s__v_orders__x_views`) AS `s__v_orders__x_views`,
    SUM(`w`.`s__v_views__x_orders`) AS `s__v_views__x_orders`,
    SUM(`w`.`s__x_orders__x_views`) AS `s__x_orders__x_views`,
    SUM(`w`.`n__v_views`) AS `n__v_views`,
    SUM(`w`.`s__v_orders_first_2d`) AS `s__v_orders_first_2d`,
    SUM(`w`.`s__v_orders_first_2d__v_orders_first_2d`) AS `s__v_orders_first_2d__v_orders_first_2d`,
    SUM(`w`.`s__x_orders_first_2d`) AS `s__x_orders_first_2d`,
    SUM(`w`.`s__x_orders_first_2d__x_orders_first_2d`) AS `s__x_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__v_orders_first_2d__x_orders_first_2d`) AS `s__v_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30`,
    SUM(`w`.`s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`,
    SUM(`w`.`s__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v_shop_funnel__view`) AS `s__v_shop_funnel__view`,
    SUM(`w`.`s__v_shop_funnel__view__v_shop_funnel__view`) AS `s__v_shop_funnel__view__v_shop_funnel__view`,
    SUM(`w`.`s__v_shop_funnel__order`) AS `s__v_shop_funnel__order`,
    SUM(`w`.`s__v_shop_funnel__order__v_shop_funnel__order`) AS `s__v_shop_funnel__order__v_shop_funnel__order`,
    SUM(`w`.`s__v_shop_funnel__big`) AS `s__v_shop_funnel__big`,
    SUM(`w`.`s__v_shop_funnel__big__v_shop_funnel__big`) AS `s__v_shop_funnel__big__v_shop_funnel__big`,
    SUM(`w`.`s__v_shop_funnel__order__v_shop_funnel__view`) AS `s__v_shop_funnel__order__v_shop_funnel__view`,
    SUM(`w`.`n__v_shop_funnel__view`) AS `n__v_shop_funnel__view`,
    SUM(`w`.`s__v_shop_funnel__big__v_shop_funnel__order`) AS `s__v_shop_funnel__big__v_shop_funnel__order`,
    SUM(`w`.`n__v_shop_funnel__order`) AS `n__v_shop_funnel__order`,
    SUM(`w`.`s__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order`,
    SUM(`w`.`s__v_order_after_exposure__order__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order__v_order_after_exposure__order`,
    SUM(`w`.`s__v_order_after_exposure__second_view`) AS `s__v_order_after_exposure__second_view`,
    SUM(
      `w`.`s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`
    ) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`,
    SUM(`w`.`s__v_order_after_exposure__second_view__v_order_after_exposure__order`) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__order`,
    SUM(`w`.`n__v_order_after_exposure__order`) AS `n__v_order_after_exposure__order`,
    SUM(`w`.`s__v1_revenue`) AS `s__v1_revenue`,
    SUM(`w`.`s__v1_revenue__v1_revenue`) AS `s__v1_revenue__v1_revenue`,
    SUM(`w`.`s__v1_revenue__x_revenue`) AS `s__v1_revenue__x_revenue`,
    SUM(`w`.`s__v1_orders`) AS `s__v1_orders`,
    SUM(`w`.`s__v1_orders__v1_orders`) AS `s__v1_orders__v1_orders`,
    SUM(`w`.`s__v1_orders__x_orders`) AS `s__v1_orders__x_orders`,
    SUM(`w`.`s__v1_purchased`) AS `s__v1_purchased`,
    SUM(`w`.`s__v1_purchased__v1_purchased`) AS `s__v1_purchased__v1_purchased`,
    SUM(`w`.`s__v1_purchased__x_purchased`) AS `s__v1_purchased__x_purchased`,
    SUM(`w`.`s__v1_big_orders`) AS `s__v1_big_orders`,
    SUM(`w`.`s__v1_big_orders__v1_big_orders`) AS `s__v1_big_orders__v1_big_orders`,
    SUM(`w`.`s__v1_big_orders__x_big_orders`) AS `s__v1_big_orders__x_big_orders`,
    SUM(`w`.`s__v1_views`) AS `s__v1_views`,
    SUM(`w`.`s__v1_views__v1_views`) AS `s__v1_views__v1_views`,
    SUM(`w`.`s__v1_views__x_views`) AS `s__v1_views__x_views`,
    SUM(`w`.`s__v1_revenue__v1_orders`) AS `s__v1_revenue__v1_orders`,
    SUM(`w`.`s__v1_revenue__x_orders`) AS `s__v1_revenue__x_orders`,
    SUM(`w`.`s__v1_orders__x_revenue`) AS `s__v1_orders__x_revenue`,
    SUM(`w`.`n__v1_orders`) AS `n__v1_orders`,
    SUM(`w`.`s__v1_orders__v1_views`) AS `s__v1_orders__v1_views`,
    SUM(`w`.`s__v1_orders__x_views`) AS `s__v1_orders__x_views`,
    SUM(`w`.`s__v1_views__x_orders`) AS `s__v1_views__x_orders`,
    SUM(`w`.`n__v1_views`) AS `n__v1_views`,
    SUM(`w`.`s__v1_orders_first_2d`) AS `s__v1_orders_first_2d`,
    SUM(`w`.`s__v1_orders_first_2d__v1_orders_first_2d`) AS `s__v1_orders_first_2d__v1_orders_first_2d`,
    SUM(`w`.`s__v1_orders_first_2d__x_orders_first_2d`) AS `s__v1_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__view__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_shop_funnel__order__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big`,
    SUM(`w`.`s__v1_shop_funnel__big__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big__v1_shop_funnel__big`,
    SUM(`w`.`s__v1_shop_funnel__order__v1_shop_funnel__view`) AS `s__v1_shop_funnel__order__v1_shop_funnel__view`,
    SUM(`w`.`n__v1_shop_funnel__view`) AS `n__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__big__v1_shop_funnel__order`) AS `s__v1_shop_funnel__big__v1_shop_funnel__order`,
    SUM(`w`.`n__v1_shop_funnel__order`) AS `n__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order`,
    SUM(`w`.`s__v1_order_after_exposure__order__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order__v1_order_after_exposure__order`,
    SUM(`w`.`s__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view`,
    SUM(
      `w`.`s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`
    ) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`,
    SUM(`w`.`s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`,
    SUM(`w`.`n__v1_order_after_exposure__order`) AS `n__v1_order_after_exposure__order`,
    SUM(`w`.`s__v7_revenue`) AS `s__v7_revenue`,
    SUM(`w`.`s__v7_revenue__v7_revenue`) AS `s__v7_revenue__v7_revenue`,
    SUM(`w`.`s__v7_revenue__x_revenue`) AS `s__v7_revenue__x_revenue`,
    SUM(`w`.`s__v7_orders`) AS `s__v7_orders`,
    SUM(`w`.`s__v7_orders__v7_orders`) AS `s__v7_orders__v7_orders`,
    SUM(`w`.`s__v7_orders__x_orders`) AS `s__v7_orders__x_orders`,
    SUM(`w`.`s__v7_purchased`) AS `s__v7_purchased`,
    SUM(`w`.`s__v7_purchased__v7_purchased`) AS `s__v7_purchased__v7_purchased`,
    SUM(`w`.`s__v7_purchased__x_purchased`) AS `s__v7_purchased__x_purchased`,
    SUM(`w`.`s__v7_big_orders`) AS `s__v7_big_orders`,
    SUM(`w`.`s__v7_big_orders__v7_big_orders`) AS `s__v7_big_orders__v7_big_orders`,
    SUM(`w`.`s__v7_big_orders__x_big_orders`) AS `s__v7_big_orders__x_big_orders`,
    SUM(`w`.`s__v7_views`) AS `s__v7_views`,
    SUM(`w`.`s__v7_views__v7_views`) AS `s__v7_views__v7_views`,
    SUM(`w`.`s__v7_views__x_views`) AS `s__v7_views__x_views`,
    SUM(`w`.`s__v7_revenue__v7_orders`) AS `s__v7_revenue__v7_orders`,
    SUM(`w`.`s__v7_revenue__x_orders`) AS `s__v7_revenue__x_orders`,
    SUM(`w`.`s__v7_orders__x_revenue`) AS `s__v7_orders__x_revenue`,
    SUM(`w`.`n__v7_orders`) AS `n__v7_orders`,
    SUM(`w`.`s__v7_orders__v7_views`) AS `s__v7_orders__v7_views`,
    SUM(`w`.`s__v7_orders__x_views`) AS `s__v7_orders__x_views`,
    SUM(`w`.`s__v7_views__x_orders`) AS `s__v7_views__x_orders`,
    SUM(`w`.`n__v7_views`) AS `n__v7_views`,
    SUM(`w`.`s__v7_orders_first_2d`) AS `s__v7_orders_first_2d`,
    SUM(`w`.`s__v7_orders_first_2d__v7_orders_first_2d`) AS `s__v7_orders_first_2d__v7_orders_first_2d`,
    SUM(`w`.`s__v7_orders_first_2d__x_orders_first_2d`) AS `s__v7_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30`,
    SUM(`w`.`s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`,
    SUM(`w`.`s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view`,
    SUM(`w`.`s__v7_shop_funnel__view__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view__v7_shop_funnel__view`,
    SUM(`w`.`s__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order`,
    SUM(`w`.`s__v7_shop_funnel__order__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order__v7_shop_funnel__order`,
    SUM(`w`.`s__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big`,
    SUM(`w`.`s__v7_shop_funnel__big__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big__v7_shop_funnel__big`,
    SUM(`w`.`s__v7_shop_funnel__order__v7_shop_funnel__view`) AS `s__v7_shop_funnel__order__v7_shop_funnel__view`,
    SUM(`w`.`n__v7_shop_funnel__view`) AS `n__v7_shop_funnel__view`,
    SUM(`w`.`s__v7_shop_funnel__big__v7_shop_funnel__order`) AS `s__v7_shop_funnel__big__v7_shop_funnel__order`,
    SUM(`w`.`n__v7_shop_funnel__order`) AS `n__v7_shop_funnel__order`,
    SUM(`w`.`s__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order`,
    SUM(`w`.`s__v7_order_after_exposure__order__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order__v7_order_after_exposure__order`,
    SUM(`w`.`s__v7_order_after_exposure__second_view`) AS `s__v7_order_after_exposure__second_view`,
    SUM(
      `w`.`s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`
    ) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`,
    SUM(`w`.`s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`,
    SUM(`w`.`n__v7_order_after_exposure__order`) AS `n__v7_order_after_exposure__order`,
    SUM(`w`.`n__v_revenue`) AS `n__v_revenue`,
    SUM(`w`.`n__x_revenue`) AS `n__x_revenue`,
    SUM(`w`.`n__x_orders`) AS `n__x_orders`,
    SUM(`w`.`n__v_purchased`) AS `n__v_purchased`,
    SUM(`w`.`n__x_purchased`) AS `n__x_purchased`,
    SUM(`w`.`n__v_big_orders`) AS `n__v_big_orders`,
    SUM(`w`.`n__x_big_orders`) AS `n__x_big_orders`,
    SUM(`w`.`n__x_views`) AS `n__x_views`,
    SUM(`w`.`n__v_orders_first_2d`) AS `n__v_orders_first_2d`,
    SUM(`w`.`n__x_orders_first_2d`) AS `n__x_orders_first_2d`,
    SUM(`w`.`n__v_revenue_hours_6_to_30`) AS `n__v_revenue_hours_6_to_30`,
    SUM(`w`.`n__x_revenue_hours_6_to_30`) AS `n__x_revenue_hours_6_to_30`,
    SUM(`w`.`n__v_shop_funnel__big`) AS `n__v_shop_funnel__big`,
    SUM(`w`.`n__v_order_after_exposure__second_view`) AS `n__v_order_after_exposure__second_view`,
    SUM(`w`.`n__v1_revenue`) AS `n__v1_revenue`,
    SUM(`w`.`n__v1_purchased`) AS `n__v1_purchased`,
    SUM(`w`.`n__v1_big_orders`) AS `n__v1_big_orders`,
    SUM(`w`.`n__v1_orders_first_2d`) AS `n__v1_orders_first_2d`,
    SUM(`w`.`n__v1_revenue_hours_6_to_30`) AS `n__v1_revenue_hours_6_to_30`,
    SUM(`w`.`n__v1_shop_funnel__big`) AS `n__v1_shop_funnel__big`,
    SUM(`w`.`n__v1_order_after_exposure__second_view`) AS `n__v1_order_after_exposure__second_view`,
    SUM(`w`.`n__v7_revenue`) AS `n__v7_revenue`,
    SUM(`w`.`n__v7_purchased`) AS `n__v7_purchased`,
    SUM(`w`.`n__v7_big_orders`) AS `n__v7_big_orders`,
    SUM(`w`.`n__v7_orders_first_2d`) AS `n__v7_orders_first_2d`,
    SUM(`w`.`n__v7_revenue_hours_6_to_30`) AS `n__v7_revenue_hours_6_to_30`,
    SUM(`w`.`n__v7_shop_funnel__big`) AS `n__v7_shop_funnel__big`,
    SUM(`w`.`n__v7_order_after_exposure__second_view`) AS `n__v7_order_after_exposure__second_view`
  FROM `stored` AS `w`
  JOIN `rank_0` AS `r0`
    ON `r0`.`as_of_date` = `w`.`as_of_date` AND `r0`.`value` = `w`.`dv_0`
  GROUP BY
    `w`.`as_of_date`,
    `w`.`variant`,
    CASE WHEN `r0`.`position` <= 20 THEN `r0`.`value` ELSE '(other)' END
), `slices` AS (
  SELECT
    `as_of_date`,
    'overall' AS `dimension`,
    'all' AS `dimension_value`,
    `variant`,
    CAST(SUM(`n`) AS INT64) AS `n`,
    SUM(`s__v_revenue`) AS `s__v_revenue`,
    SUM(`s__v_revenue__v_revenue`) AS `s__v_revenue__v_revenue`,
    SUM(`s__x_revenue`) AS `s__x_revenue`,
    SUM(`s__x_revenue__x_revenue`) AS `s__x_revenue__x_revenue`,
    SUM(`s__v_revenue__x_revenue`) AS `s__v_revenue__x_revenue`,
    SUM(`s__v_orders`) AS `s__v_orders`,
    SUM(`s__v_orders__v_orders`) AS `s__v_orders__v_orders`,
    SUM(`s__x_orders`) AS `s__x_orders`,
    SUM(`s__x_orders__x_orders`) AS `s__x_orders__x_orders`,
    SUM(`s__v_orders__x_orders`) AS `s__v_orders__x_orders`,
    SUM(`s__v_purchased`) AS `s__v_purchased`,
    SUM(`s__v_purchased__v_purchased`) AS `s__v_purchased__v_purchased`,
    SUM(`s__x_purchased`) AS `s__x_purchased`,
    SUM(`s__x_purchased__x_purchased`) AS `s__x_purchased__x_purchased`,
    SUM(`s__v_purchased__x_purchased`) AS `s__v_purchased__x_purchased`,
    SUM(`s__v_big_orders`) AS `s__v_big_orders`,
    SUM(`s__v_big_orders__v_big_orders`) AS `s__v_big_orders__v_big_orders`,
    SUM(`s__x_big_orders`) AS `s__x_big_orders`,
    SUM(`s__x_big_orders__x_big_orders`) AS `s__x_big_orders__x_big_orders`,
    SUM(`s__v_big_orders__x_big_orders`) AS `s__v_big_orders__x_big_orders`,
    SUM(`s__v_views`) AS `s__v_views`,
    SUM(`s__v_views__v_views`) AS `s__v_views__v_views`,
    SUM(`s__x_views`) AS `s__x_views`,
    SUM(`s__x_views__x_views`) AS `s__x_views__x_views`,
    SUM(`s__v_views__x_views`) AS `s__v_views__x_views`,
    SUM(`s__v_revenue__v_orders`) AS `s__v_revenue__v_orders`,
    SUM(`s__v_revenue__x_orders`) AS `s__v_revenue__x_orders`,
    SUM(`s__v_orders__x_revenue`) AS `s__v_orders__x_revenue`,
    SUM(`s__x_revenue__x_orders`) AS `s__x_revenue__x_orders`,
    SUM(`n__v_orders`) AS `n__v_orders`,
    SUM(`s__v_orders__v_views`) AS `s__v_orders__v_views`,
    SUM(`s__v_orders__x_views`) AS `s__v_orders__x_views`,
    SUM(`s__v_views__x_orders`) AS `s__v_views__x_orders`,
    SUM(`s__x_orders__x_views`) AS `s__x_orders__x_views`,
    SUM(`n__v_views`) AS `n__v_views`,
    SUM(`s__v_orders_first_2d`) AS `s__v_orders_first_2d`,
    SUM(`s__v_orders_first_2d__v_orders_first_2d`) AS `s__v_orders_first_2d__v_orders_first_2d`,
    SUM(`s__x_orders_first_2d`) AS `s__x_orders_first_2d`,
    SUM(`s__x_orders_first_2d__x_orders_first_2d`) AS `s__x_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v_orders_first_2d__x_orders_first_2d`) AS `s__v_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30`,
    SUM(`s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`,
    SUM(`s__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30`,
    SUM(`s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v_shop_funnel__view`) AS `s__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__view__v_shop_funnel__view`) AS `s__v_shop_funnel__view__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__order`) AS `s__v_shop_funnel__order`,
    SUM(`s__v_shop_funnel__order__v_shop_funnel__order`) AS `s__v_shop_funnel__order__v_shop_funnel__order`,
    SUM(`s__v_shop_funnel__big`) AS `s__v_shop_funnel__big`,
    SUM(`s__v_shop_funnel__big__v_shop_funnel__big`) AS `s__v_shop_funnel__big__v_shop_funnel__big`,
    SUM(`s__v_shop_funnel__order__v_shop_funnel__view`) AS `s__v_shop_funnel__order__v_shop_funnel__view`,
    SUM(`n__v_shop_funnel__view`) AS `n__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__big__v_shop_funnel__order`) AS `s__v_shop_funnel__big__v_shop_funnel__order`,
    SUM(`n__v_shop_funnel__order`) AS `n__v_shop_funnel__order`,
    SUM(`s__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order`,
    SUM(`s__v_order_after_exposure__order__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order__v_order_after_exposure__order`,
    SUM(`s__v_order_after_exposure__second_view`) AS `s__v_order_after_exposure__second_view`,
    SUM(`s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`,
    SUM(`s__v_order_after_exposure__second_view__v_order_after_exposure__order`) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__order`,
    SUM(`n__v_order_after_exposure__order`) AS `n__v_order_after_exposure__order`,
    SUM(`s__v1_revenue`) AS `s__v1_revenue`,
    SUM(`s__v1_revenue__v1_revenue`) AS `s__v1_revenue__v1_revenue`,
    SUM(`s__v1_revenue__x_revenue`) AS `s__v1_revenue__x_revenue`,
    SUM(`s__v1_orders`) AS `s__v1_orders`,
    SUM(`s__v1_orders__v1_orders`) AS `s__v1_orders__v1_orders`,
    SUM(`s__v1_orders__x_orders`) AS `s__v1_orders__x_orders`,
    SUM(`s__v1_purchased`) AS `s__v1_purchased`,
    SUM(`s__v1_purchased__v1_purchased`) AS `s__v1_purchased__v1_purchased`,
    SUM(`s__v1_purchased__x_purchased`) AS `s__v1_purchased__x_purchased`,
    SUM(`s__v1_big_orders`) AS `s__v1_big_orders`,
    SUM(`s__v1_big_orders__v1_big_orders`) AS `s__v1_big_orders__v1_big_orders`,
    SUM(`s__v1_big_orders__x_big_orders`) AS `s__v1_big_orders__x_big_orders`,
    SUM(`s__v1_views`) AS `s__v1_views`,
    SUM(`s__v1_views__v1_views`) AS `s__v1_views__v1_views`,
    SUM(`s__v1_views__x_views`) AS `s__v1_views__x_views`,
    SUM(`s__v1_revenue__v1_orders`) AS `s__v1_revenue__v1_orders`,
    SUM(`s__v1_revenue__x_orders`) AS `s__v1_revenue__x_orders`,
    SUM(`s__v1_orders__x_revenue`) AS `s__v1_orders__x_revenue`,
    SUM(`n__v1_orders`) AS `n__v1_orders`,
    SUM(`s__v1_orders__v1_views`) AS `s__v1_orders__v1_views`,
    SUM(`s__v1_orders__x_views`) AS `s__v1_orders__x_views`,
    SUM(`s__v1_views__x_orders`) AS `s__v1_views__x_orders`,
    SUM(`n__v1_views`) AS `n__v1_views`,
    SUM(`s__v1_orders_first_2d`) AS `s__v1_orders_first_2d`,
    SUM(`s__v1_orders_first_2d__v1_orders_first_2d`) AS `s__v1_orders_first_2d__v1_orders_first_2d`,
    SUM(`s__v1_orders_first_2d__x_orders_first_2d`) AS `s__v1_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30`,
    SUM(`s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`,
    SUM(`s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__view__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order`,
    SUM(`s__v1_shop_funnel__order__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order__v1_shop_funnel__order`,
    SUM(`s__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big`,
    SUM(`s__v1_shop_funnel__big__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big__v1_shop_funnel__big`,
    SUM(`s__v1_shop_funnel__order__v1_shop_funnel__view`) AS `s__v1_shop_funnel__order__v1_shop_funnel__view`,
    SUM(`n__v1_shop_funnel__view`) AS `n__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__big__v1_shop_funnel__order`) AS `s__v1_shop_funnel__big__v1_shop_funnel__order`,
    SUM(`n__v1_shop_funnel__order`) AS `n__v1_shop_funnel__order`,
    SUM(`s__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order`,
    SUM(`s__v1_order_after_exposure__order__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order__v1_order_after_exposure__order`,
    SUM(`s__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view`,
    SUM(`s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`,
    SUM(`s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`,
    SUM(`n__v1_order_after_exposure__order`) AS `n__v1_order_after_exposure__order`,
    SUM(`s__v7_revenue`) AS `s__v7_revenue`,
    SUM(`s__v7_revenue__v7_revenue`) AS `s__v7_revenue__v7_revenue`,
    SUM(`s__v7_revenue__x_revenue`) AS `s__v7_revenue__x_revenue`,
    SUM(`s__v7_orders`) AS `s__v7_orders`,
    SUM(`s__v7_orders__v7_orders`) AS `s__v7_orders__v7_orders`,
    SUM(`s__v7_orders__x_orders`) AS `s__v7_orders__x_orders`,
    SUM(`s__v7_purchased`) AS `s__v7_purchased`,
    SUM(`s__v7_purchased__v7_purchased`) AS `s__v7_purchased__v7_purchased`,
    SUM(`s__v7_purchased__x_purchased`) AS `s__v7_purchased__x_purchased`,
    SUM(`s__v7_big_orders`) AS `s__v7_big_orders`,
    SUM(`s__v7_big_orders__v7_big_orders`) AS `s__v7_big_orders__v7_big_orders`,
    SUM(`s__v7_big_orders__x_big_orders`) AS `s__v7_big_orders__x_big_orders`,
    SUM(`s__v7_views`) AS `s__v7_views`,
    SUM(`s__v7_views__v7_views`) AS `s__v7_views__v7_views`,
    SUM(`s__v7_views__x_views`) AS `s__v7_views__x_views`,
    SUM(`s__v7_revenue__v7_orders`) AS `s__v7_revenue__v7_orders`,
    SUM(`s__v7_revenue__x_orders`) AS `s__v7_revenue__x_orders`,
    SUM(`s__v7_orders__x_revenue`) AS `s__v7_orders__x_revenue`,
    SUM(`n__v7_orders`) AS `n__v7_orders`,
    SUM(`s__v7_orders__v7_views`) AS `s__v7_orders__v7_views`,
    SUM(`s__v7_orders__x_views`) AS `s__v7_orders__x_views`,
    SUM(`s__v7_views__x_orders`) AS `s__v7_views__x_orders`,
    SUM(`n__v7_views`) AS `n__v7_views`,
    SUM(`s__v7_orders_first_2d`) AS `s__v7_orders_first_2d`,
    SUM(`s__v7_orders_first_2d__v7_orders_first_2d`) AS `s__v7_orders_first_2d__v7_orders_first_2d`,
    SUM(`s__v7_orders_first_2d__x_orders_first_2d`) AS `s__v7_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30`,
    SUM(`s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`,
    SUM(`s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__view__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order`,
    SUM(`s__v7_shop_funnel__order__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order__v7_shop_funnel__order`,
    SUM(`s__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big`,
    SUM(`s__v7_shop_funnel__big__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big__v7_shop_funnel__big`,
    SUM(`s__v7_shop_funnel__order__v7_shop_funnel__view`) AS `s__v7_shop_funnel__order__v7_shop_funnel__view`,
    SUM(`n__v7_shop_funnel__view`) AS `n__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__big__v7_shop_funnel__order`) AS `s__v7_shop_funnel__big__v7_shop_funnel__order`,
    SUM(`n__v7_shop_funnel__order`) AS `n__v7_shop_funnel__order`,
    SUM(`s__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order`,
    SUM(`s__v7_order_after_exposure__order__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order__v7_order_after_exposure__order`,
    SUM(`s__v7_order_after_exposure__second_view`) AS `s__v7_order_after_exposure__second_view`,
    SUM(`s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`,
    SUM(`s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`,
    SUM(`n__v7_order_after_exposure__order`) AS `n__v7_order_after_exposure__order`,
    SUM(`n__v_revenue`) AS `n__v_revenue`,
    SUM(`n__x_revenue`) AS `n__x_revenue`,
    SUM(`n__x_orders`) AS `n__x_orders`,
    SUM(`n__v_purchased`) AS `n__v_purchased`,
    SUM(`n__x_purchased`) AS `n__x_purchased`,
    SUM(`n__v_big_orders`) AS `n__v_big_orders`,
    SUM(`n__x_big_orders`) AS `n__x_big_orders`,
    SUM(`n__x_views`) AS `n__x_views`,
    SUM(`n__v_orders_first_2d`) AS `n__v_orders_first_2d`,
    SUM(`n__x_orders_first_2d`) AS `n__x_orders_first_2d`,
    SUM(`n__v_revenue_hours_6_to_30`) AS `n__v_revenue_hours_6_to_30`,
    SUM(`n__x_revenue_hours_6_to_30`) AS `n__x_revenue_hours_6_to_30`,
    SUM(`n__v_shop_funnel__big`) AS `n__v_shop_funnel__big`,
    SUM(`n__v_order_after_exposure__second_view`) AS `n__v_order_after_exposure__second_view`,
    SUM(`n__v1_revenue`) AS `n__v1_revenue`,
    SUM(`n__v1_purchased`) AS `n__v1_purchased`,
    SUM(`n__v1_big_orders`) AS `n__v1_big_orders`,
    SUM(`n__v1_orders_first_2d`) AS `n__v1_orders_first_2d`,
    SUM(`n__v1_revenue_hours_6_to_30`) AS `n__v1_revenue_hours_6_to_30`,
    SUM(`n__v1_shop_funnel__big`) AS `n__v1_shop_funnel__big`,
    SUM(`n__v1_order_after_exposure__second_view`) AS `n__v1_order_after_exposure__second_view`,
    SUM(`n__v7_revenue`) AS `n__v7_revenue`,
    SUM(`n__v7_purchased`) AS `n__v7_purchased`,
    SUM(`n__v7_big_orders`) AS `n__v7_big_orders`,
    SUM(`n__v7_orders_first_2d`) AS `n__v7_orders_first_2d`,
    SUM(`n__v7_revenue_hours_6_to_30`) AS `n__v7_revenue_hours_6_to_30`,
    SUM(`n__v7_shop_funnel__big`) AS `n__v7_shop_funnel__big`,
    SUM(`n__v7_order_after_exposure__second_view`) AS `n__v7_order_after_exposure__second_view`
  FROM `cells`
  GROUP BY
    `as_of_date`,
    `variant`
  UNION ALL
  SELECT
    `as_of_date`,
    'country' AS `dimension`,
    `dv_0` AS `dimension_value`,
    `variant`,
    CAST(SUM(`n`) AS INT64) AS `n`,
    SUM(`s__v_revenue`) AS `s__v_revenue`,
    SUM(`s__v_revenue__v_revenue`) AS `s__v_revenue__v_revenue`,
    SUM(`s__x_revenue`) AS `s__x_revenue`,
    SUM(`s__x_revenue__x_revenue`) AS `s__x_revenue__x_revenue`,
    SUM(`s__v_revenue__x_revenue`) AS `s__v_revenue__x_revenue`,
    SUM(`s__v_orders`) AS `s__v_orders`,
    SUM(`s__v_orders__v_orders`) AS `s__v_orders__v_orders`,
    SUM(`s__x_orders`) AS `s__x_orders`,
    SUM(`s__x_orders__x_orders`) AS `s__x_orders__x_orders`,
    SUM(`s__v_orders__x_orders`) AS `s__v_orders__x_orders`,
    SUM(`s__v_purchased`) AS `s__v_purchased`,
    SUM(`s__v_purchased__v_purchased`) AS `s__v_purchased__v_purchased`,
    SUM(`s__x_purchased`) AS `s__x_purchased`,
    SUM(`s__x_purchased__x_purchased`) AS `s__x_purchased__x_purchased`,
    SUM(`s__v_purchased__x_purchased`) AS `s__v_purchased__x_purchased`,
    SUM(`s__v_big_orders`) AS `s__v_big_orders`,
    SUM(`s__v_big_orders__v_big_orders`) AS `s__v_big_orders__v_big_orders`,
    SUM(`s__x_big_orders`) AS `s__x_big_orders`,
    SUM(`s__x_big_orders__x_big_orders`) AS `s__x_big_orders__x_big_orders`,
    SUM(`s__v_big_orders__x_big_orders`) AS `s__v_big_orders__x_big_orders`,
    SUM(`s__v_views`) AS `s__v_views`,
    SUM(`s__v_views__v_views`) AS `s__v_views__v_views`,
    SUM(`s__x_views`) AS `s__x_views`,
    SUM(`s__x_views__x_views`) AS `s__x_views__x_views`,
    SUM(`s__v_views__x_views`) AS `s__v_views__x_views`,
    SUM(`s__v_revenue__v_orders`) AS `s__v_revenue__v_orders`,
    SUM(`s__v_revenue__x_orders`) AS `s__v_revenue__x_orders`,
    SUM(`s__v_orders__x_revenue`) AS `s__v_orders__x_revenue`,
    SUM(`s__x_revenue__x_orders`) AS `s__x_revenue__x_orders`,
    SUM(`n__v_orders`) AS `n__v_orders`,
    SUM(`s__v_orders__v_views`) AS `s__v_orders__v_views`,
    SUM(`s__v_orders__x_views`) AS `s__v_orders__x_views`,
    SUM(`s__v_views__x_orders`) AS `s__v_views__x_orders`,
    SUM(`s__x_orders__x_views`) AS `s__x_orders__x_views`,
    SUM(`n__v_views`) AS `n__v_views`,
    SUM(`s__v_orders_first_2d`) AS `s__v_orders_first_2d`,
    SUM(`s__v_orders_first_2d__v_orders_first_2d`) AS `s__v_orders_first_2d__v_orders_first_2d`,
    SUM(`s__x_orders_first_2d`) AS `s__x_orders_first_2d`,
    SUM(`s__x_orders_first_2d__x_orders_first_2d`) AS `s__x_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v_orders_first_2d__x_orders_first_2d`) AS `s__v_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30`,
    SUM(`s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30`,
    SUM(`s__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30`,
    SUM(`s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v_shop_funnel__view`) AS `s__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__view__v_shop_funnel__view`) AS `s__v_shop_funnel__view__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__order`) AS `s__v_shop_funnel__order`,
    SUM(`s__v_shop_funnel__order__v_shop_funnel__order`) AS `s__v_shop_funnel__order__v_shop_funnel__order`,
    SUM(`s__v_shop_funnel__big`) AS `s__v_shop_funnel__big`,
    SUM(`s__v_shop_funnel__big__v_shop_funnel__big`) AS `s__v_shop_funnel__big__v_shop_funnel__big`,
    SUM(`s__v_shop_funnel__order__v_shop_funnel__view`) AS `s__v_shop_funnel__order__v_shop_funnel__view`,
    SUM(`n__v_shop_funnel__view`) AS `n__v_shop_funnel__view`,
    SUM(`s__v_shop_funnel__big__v_shop_funnel__order`) AS `s__v_shop_funnel__big__v_shop_funnel__order`,
    SUM(`n__v_shop_funnel__order`) AS `n__v_shop_funnel__order`,
    SUM(`s__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order`,
    SUM(`s__v_order_after_exposure__order__v_order_after_exposure__order`) AS `s__v_order_after_exposure__order__v_order_after_exposure__order`,
    SUM(`s__v_order_after_exposure__second_view`) AS `s__v_order_after_exposure__second_view`,
    SUM(`s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view`,
    SUM(`s__v_order_after_exposure__second_view__v_order_after_exposure__order`) AS `s__v_order_after_exposure__second_view__v_order_after_exposure__order`,
    SUM(`n__v_order_after_exposure__order`) AS `n__v_order_after_exposure__order`,
    SUM(`s__v1_revenue`) AS `s__v1_revenue`,
    SUM(`s__v1_revenue__v1_revenue`) AS `s__v1_revenue__v1_revenue`,
    SUM(`s__v1_revenue__x_revenue`) AS `s__v1_revenue__x_revenue`,
    SUM(`s__v1_orders`) AS `s__v1_orders`,
    SUM(`s__v1_orders__v1_orders`) AS `s__v1_orders__v1_orders`,
    SUM(`s__v1_orders__x_orders`) AS `s__v1_orders__x_orders`,
    SUM(`s__v1_purchased`) AS `s__v1_purchased`,
    SUM(`s__v1_purchased__v1_purchased`) AS `s__v1_purchased__v1_purchased`,
    SUM(`s__v1_purchased__x_purchased`) AS `s__v1_purchased__x_purchased`,
    SUM(`s__v1_big_orders`) AS `s__v1_big_orders`,
    SUM(`s__v1_big_orders__v1_big_orders`) AS `s__v1_big_orders__v1_big_orders`,
    SUM(`s__v1_big_orders__x_big_orders`) AS `s__v1_big_orders__x_big_orders`,
    SUM(`s__v1_views`) AS `s__v1_views`,
    SUM(`s__v1_views__v1_views`) AS `s__v1_views__v1_views`,
    SUM(`s__v1_views__x_views`) AS `s__v1_views__x_views`,
    SUM(`s__v1_revenue__v1_orders`) AS `s__v1_revenue__v1_orders`,
    SUM(`s__v1_revenue__x_orders`) AS `s__v1_revenue__x_orders`,
    SUM(`s__v1_orders__x_revenue`) AS `s__v1_orders__x_revenue`,
    SUM(`n__v1_orders`) AS `n__v1_orders`,
    SUM(`s__v1_orders__v1_views`) AS `s__v1_orders__v1_views`,
    SUM(`s__v1_orders__x_views`) AS `s__v1_orders__x_views`,
    SUM(`s__v1_views__x_orders`) AS `s__v1_views__x_orders`,
    SUM(`n__v1_views`) AS `n__v1_views`,
    SUM(`s__v1_orders_first_2d`) AS `s__v1_orders_first_2d`,
    SUM(`s__v1_orders_first_2d__v1_orders_first_2d`) AS `s__v1_orders_first_2d__v1_orders_first_2d`,
    SUM(`s__v1_orders_first_2d__x_orders_first_2d`) AS `s__v1_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30`,
    SUM(`s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`,
    SUM(`s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__view__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order`,
    SUM(`s__v1_shop_funnel__order__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order__v1_shop_funnel__order`,
    SUM(`s__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big`,
    SUM(`s__v1_shop_funnel__big__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big__v1_shop_funnel__big`,
    SUM(`s__v1_shop_funnel__order__v1_shop_funnel__view`) AS `s__v1_shop_funnel__order__v1_shop_funnel__view`,
    SUM(`n__v1_shop_funnel__view`) AS `n__v1_shop_funnel__view`,
    SUM(`s__v1_shop_funnel__big__v1_shop_funnel__order`) AS `s__v1_shop_funnel__big__v1_shop_funnel__order`,
    SUM(`n__v1_shop_funnel__order`) AS `n__v1_shop_funnel__order`,
    SUM(`s__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order`,
    SUM(`s__v1_order_after_exposure__order__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order__v1_order_after_exposure__order`,
    SUM(`s__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view`,
    SUM(`s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`,
    SUM(`s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`,
    SUM(`n__v1_order_after_exposure__order`) AS `n__v1_order_after_exposure__order`,
    SUM(`s__v7_revenue`) AS `s__v7_revenue`,
    SUM(`s__v7_revenue__v7_revenue`) AS `s__v7_revenue__v7_revenue`,
    SUM(`s__v7_revenue__x_revenue`) AS `s__v7_revenue__x_revenue`,
    SUM(`s__v7_orders`) AS `s__v7_orders`,
    SUM(`s__v7_orders__v7_orders`) AS `s__v7_orders__v7_orders`,
    SUM(`s__v7_orders__x_orders`) AS `s__v7_orders__x_orders`,
    SUM(`s__v7_purchased`) AS `s__v7_purchased`,
    SUM(`s__v7_purchased__v7_purchased`) AS `s__v7_purchased__v7_purchased`,
    SUM(`s__v7_purchased__x_purchased`) AS `s__v7_purchased__x_purchased`,
    SUM(`s__v7_big_orders`) AS `s__v7_big_orders`,
    SUM(`s__v7_big_orders__v7_big_orders`) AS `s__v7_big_orders__v7_big_orders`,
    SUM(`s__v7_big_orders__x_big_orders`) AS `s__v7_big_orders__x_big_orders`,
    SUM(`s__v7_views`) AS `s__v7_views`,
    SUM(`s__v7_views__v7_views`) AS `s__v7_views__v7_views`,
    SUM(`s__v7_views__x_views`) AS `s__v7_views__x_views`,
    SUM(`s__v7_revenue__v7_orders`) AS `s__v7_revenue__v7_orders`,
    SUM(`s__v7_revenue__x_orders`) AS `s__v7_revenue__x_orders`,
    SUM(`s__v7_orders__x_revenue`) AS `s__v7_orders__x_revenue`,
    SUM(`n__v7_orders`) AS `n__v7_orders`,
    SUM(`s__v7_orders__v7_views`) AS `s__v7_orders__v7_views`,
    SUM(`s__v7_orders__x_views`) AS `s__v7_orders__x_views`,
    SUM(`s__v7_views__x_orders`) AS `s__v7_views__x_orders`,
    SUM(`n__v7_views`) AS `n__v7_views`,
    SUM(`s__v7_orders_first_2d`) AS `s__v7_orders_first_2d`,
    SUM(`s__v7_orders_first_2d__v7_orders_first_2d`) AS `s__v7_orders_first_2d__v7_orders_first_2d`,
    SUM(`s__v7_orders_first_2d__x_orders_first_2d`) AS `s__v7_orders_first_2d__x_orders_first_2d`,
    SUM(`s__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30`,
    SUM(`s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30`,
    SUM(`s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`s__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__view__v7_shop_funnel__view`) AS `s__v7_shop_funnel__view__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order`,
    SUM(`s__v7_shop_funnel__order__v7_shop_funnel__order`) AS `s__v7_shop_funnel__order__v7_shop_funnel__order`,
    SUM(`s__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big`,
    SUM(`s__v7_shop_funnel__big__v7_shop_funnel__big`) AS `s__v7_shop_funnel__big__v7_shop_funnel__big`,
    SUM(`s__v7_shop_funnel__order__v7_shop_funnel__view`) AS `s__v7_shop_funnel__order__v7_shop_funnel__view`,
    SUM(`n__v7_shop_funnel__view`) AS `n__v7_shop_funnel__view`,
    SUM(`s__v7_shop_funnel__big__v7_shop_funnel__order`) AS `s__v7_shop_funnel__big__v7_shop_funnel__order`,
    SUM(`n__v7_shop_funnel__order`) AS `n__v7_shop_funnel__order`,
    SUM(`s__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order`,
    SUM(`s__v7_order_after_exposure__order__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__order__v7_order_after_exposure__order`,
    SUM(`s__v7_order_after_exposure__second_view`) AS `s__v7_order_after_exposure__second_view`,
    SUM(`s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view`,
    SUM(`s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`) AS `s__v7_order_after_exposure__second_view__v7_order_after_exposure__order`,
    SUM(`n__v7_order_after_exposure__order`) AS `n__v7_order_after_exposure__order`,
    SUM(`n__v_revenue`) AS `n__v_revenue`,
    SUM(`n__x_revenue`) AS `n__x_revenue`,
    SUM(`n__x_orders`) AS `n__x_orders`,
    SUM(`n__v_purchased`) AS `n__v_purchased`,
    SUM(`n__x_purchased`) AS `n__x_purchased`,
    SUM(`n__v_big_orders`) AS `n__v_big_orders`,
    SUM(`n__x_big_orders`) AS `n__x_big_orders`,
    SUM(`n__x_views`) AS `n__x_views`,
    SUM(`n__v_orders_first_2d`) AS `n__v_orders_first_2d`,
    SUM(`n__x_orders_first_2d`) AS `n__x_orders_first_2d`,
    SUM(`n__v_revenue_hours_6_to_30`) AS `n__v_revenue_hours_6_to_30`,
    SUM(`n__x_revenue_hours_6_to_30`) AS `n__x_revenue_hours_6_to_30`,
    SUM(`n__v_shop_funnel__big`) AS `n__v_shop_funnel__big`,
    SUM(`n__v_order_after_exposure__second_view`) AS `n__v_order_after_exposure__second_view`,
    SUM(`n__v1_revenue`) AS `n__v1_revenue`,
    SUM(`n__v1_purchased`) AS `n__v1_purchased`,
    SUM(`n__v1_big_orders`) AS `n__v1_big_orders`,
    SUM(`n__v1_orders_first_2d`) AS `n__v1_orders_first_2d`,
    SUM(`n__v1_revenue_hours_6_to_30`) AS `n__v1_revenue_hours_6_to_30`,
    SUM(`n__v1_shop_funnel__big`) AS `n__v1_shop_funnel__big`,
    SUM(`n__v1_order_after_exposure__second_view`) AS `n__v1_order_after_exposure__second_view`,
    SUM(`n__v7_revenue`) AS `n__v7_revenue`,
    SUM(`n__v7_purchased`) AS `n__v7_purchased`,
    SUM(`n__v7_big_orders`) AS `n__v7_big_orders`,
    SUM(`n__v7_orders_first_2d`) AS `n__v7_orders_first_2d`,
    SUM(`n__v7_revenue_hours_6_to_30`) AS `n__v7_revenue_hours_6_to_30`,
    SUM(`n__v7_shop_funnel__big`) AS `n__v7_shop_funnel__big`,
    SUM(`n__v7_order_after_exposure__second_view`) AS `n__v7_order_after_exposure__second_view`
  FROM `cells`
  GROUP BY
    `as_of_date`,
    `dv_0`,
    `variant`
), `by_days_since_exposure` AS (
  SELECT
    `w`.`as_of_date`,
    DATE_DIFF(`w`.`as_of_date`, `w`.`first_exposure_date`, DAY) AS `days_since_exposure`,
    `w`.`variant`,
    SUM(`w`.`n`) AS `n`,
    SUM(`w`.`s__x_revenue`) AS `s__x_revenue`,
    SUM(`w`.`s__x_revenue__x_revenue`) AS `s__x_revenue__x_revenue`,
    SUM(`w`.`s__x_orders`) AS `s__x_orders`,
    SUM(`w`.`s__x_orders__x_orders`) AS `s__x_orders__x_orders`,
    SUM(`w`.`s__x_purchased`) AS `s__x_purchased`,
    SUM(`w`.`s__x_purchased__x_purchased`) AS `s__x_purchased__x_purchased`,
    SUM(`w`.`s__x_big_orders`) AS `s__x_big_orders`,
    SUM(`w`.`s__x_big_orders__x_big_orders`) AS `s__x_big_orders__x_big_orders`,
    SUM(`w`.`s__x_views`) AS `s__x_views`,
    SUM(`w`.`s__x_views__x_views`) AS `s__x_views__x_views`,
    SUM(`w`.`s__x_revenue__x_orders`) AS `s__x_revenue__x_orders`,
    SUM(`w`.`s__x_orders__x_views`) AS `s__x_orders__x_views`,
    SUM(`w`.`s__x_orders_first_2d`) AS `s__x_orders_first_2d`,
    SUM(`w`.`s__x_orders_first_2d__x_orders_first_2d`) AS `s__x_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_revenue`) AS `s__v1_revenue`,
    SUM(`w`.`s__v1_revenue__v1_revenue`) AS `s__v1_revenue__v1_revenue`,
    SUM(`w`.`s__v1_revenue__x_revenue`) AS `s__v1_revenue__x_revenue`,
    SUM(`w`.`s__v1_orders`) AS `s__v1_orders`,
    SUM(`w`.`s__v1_orders__v1_orders`) AS `s__v1_orders__v1_orders`,
    SUM(`w`.`s__v1_orders__x_orders`) AS `s__v1_orders__x_orders`,
    SUM(`w`.`s__v1_purchased`) AS `s__v1_purchased`,
    SUM(`w`.`s__v1_purchased__v1_purchased`) AS `s__v1_purchased__v1_purchased`,
    SUM(`w`.`s__v1_purchased__x_purchased`) AS `s__v1_purchased__x_purchased`,
    SUM(`w`.`s__v1_big_orders`) AS `s__v1_big_orders`,
    SUM(`w`.`s__v1_big_orders__v1_big_orders`) AS `s__v1_big_orders__v1_big_orders`,
    SUM(`w`.`s__v1_big_orders__x_big_orders`) AS `s__v1_big_orders__x_big_orders`,
    SUM(`w`.`s__v1_views`) AS `s__v1_views`,
    SUM(`w`.`s__v1_views__v1_views`) AS `s__v1_views__v1_views`,
    SUM(`w`.`s__v1_views__x_views`) AS `s__v1_views__x_views`,
    SUM(`w`.`s__v1_revenue__v1_orders`) AS `s__v1_revenue__v1_orders`,
    SUM(`w`.`s__v1_revenue__x_orders`) AS `s__v1_revenue__x_orders`,
    SUM(`w`.`s__v1_orders__x_revenue`) AS `s__v1_orders__x_revenue`,
    SUM(`w`.`n__v1_orders`) AS `n__v1_orders`,
    SUM(`w`.`s__v1_orders__v1_views`) AS `s__v1_orders__v1_views`,
    SUM(`w`.`s__v1_orders__x_views`) AS `s__v1_orders__x_views`,
    SUM(`w`.`s__v1_views__x_orders`) AS `s__v1_views__x_orders`,
    SUM(`w`.`n__v1_views`) AS `n__v1_views`,
    SUM(`w`.`s__v1_orders_first_2d`) AS `s__v1_orders_first_2d`,
    SUM(`w`.`s__v1_orders_first_2d__v1_orders_first_2d`) AS `s__v1_orders_first_2d__v1_orders_first_2d`,
    SUM(`w`.`s__v1_orders_first_2d__x_orders_first_2d`) AS `s__v1_orders_first_2d__x_orders_first_2d`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`) AS `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30`,
    SUM(`w`.`s__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__view__v1_shop_funnel__view`) AS `s__v1_shop_funnel__view__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_shop_funnel__order__v1_shop_funnel__order`) AS `s__v1_shop_funnel__order__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big`,
    SUM(`w`.`s__v1_shop_funnel__big__v1_shop_funnel__big`) AS `s__v1_shop_funnel__big__v1_shop_funnel__big`,
    SUM(`w`.`s__v1_shop_funnel__order__v1_shop_funnel__view`) AS `s__v1_shop_funnel__order__v1_shop_funnel__view`,
    SUM(`w`.`n__v1_shop_funnel__view`) AS `n__v1_shop_funnel__view`,
    SUM(`w`.`s__v1_shop_funnel__big__v1_shop_funnel__order`) AS `s__v1_shop_funnel__big__v1_shop_funnel__order`,
    SUM(`w`.`n__v1_shop_funnel__order`) AS `n__v1_shop_funnel__order`,
    SUM(`w`.`s__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order`,
    SUM(`w`.`s__v1_order_after_exposure__order__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__order__v1_order_after_exposure__order`,
    SUM(`w`.`s__v1_order_after_exposure__second_view`) AS `s__v1_order_after_exposure__second_view`,
    SUM(
      `w`.`s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`
    ) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view`,
    SUM(`w`.`s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`) AS `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order`,
    SUM(`w`.`n__v1_order_after_exposure__order`) AS `n__v1_order_after_exposure__order`
  FROM `stored` AS `w`
  GROUP BY
    `w`.`as_of_date`,
    DATE_DIFF(`w`.`as_of_date`, `w`.`first_exposure_date`, DAY),
    `w`.`variant`
), `metric_caps` AS (
  SELECT
    `k`.`as_of_date`,
    'cumulative' AS `rollup`,
    `m`.`metric`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`v_revenue_lower`
    END AS `cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`v_revenue_upper`
    END AS `cap_upper`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_upper`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_lower`
    END AS `covariate_cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_upper`
    END AS `covariate_cap_upper`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_upper`
  FROM `caps` AS `k`
  CROSS JOIN UNNEST([
    STRUCT('revenue' AS `metric`),
    STRUCT('orders' AS `metric`),
    STRUCT('purchased' AS `metric`),
    STRUCT('big_orders' AS `metric`),
    STRUCT('views' AS `metric`),
    STRUCT('revenue_per_order' AS `metric`),
    STRUCT('orders_per_view' AS `metric`),
    STRUCT('orders_first_2d' AS `metric`),
    STRUCT('revenue_hours_6_to_30' AS `metric`),
    STRUCT('shop_funnel__view' AS `metric`),
    STRUCT('shop_funnel__order' AS `metric`),
    STRUCT('shop_funnel__big' AS `metric`),
    STRUCT('shop_funnel__view_to_order' AS `metric`),
    STRUCT('shop_funnel__order_to_big' AS `metric`),
    STRUCT('order_after_exposure__order' AS `metric`),
    STRUCT('order_after_exposure__second_view' AS `metric`),
    STRUCT('order_after_exposure__order_to_second_view' AS `metric`)
  ]) AS `m`
  UNION ALL
  SELECT
    `k`.`as_of_date`,
    'daily' AS `rollup`,
    `m`.`metric`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v1_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`v1_revenue_lower`
    END AS `cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v1_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`v1_revenue_upper`
    END AS `cap_upper`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_upper`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_lower`
    END AS `covariate_cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_upper`
    END AS `covariate_cap_upper`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_upper`
  FROM `caps` AS `k`
  CROSS JOIN UNNEST([
    STRUCT('revenue' AS `metric`),
    STRUCT('orders' AS `metric`),
    STRUCT('purchased' AS `metric`),
    STRUCT('big_orders' AS `metric`),
    STRUCT('views' AS `metric`),
    STRUCT('revenue_per_order' AS `metric`),
    STRUCT('orders_per_view' AS `metric`),
    STRUCT('orders_first_2d' AS `metric`),
    STRUCT('revenue_hours_6_to_30' AS `metric`),
    STRUCT('shop_funnel__view' AS `metric`),
    STRUCT('shop_funnel__order' AS `metric`),
    STRUCT('shop_funnel__big' AS `metric`),
    STRUCT('shop_funnel__view_to_order' AS `metric`),
    STRUCT('shop_funnel__order_to_big' AS `metric`),
    STRUCT('order_after_exposure__order' AS `metric`),
    STRUCT('order_after_exposure__second_view' AS `metric`),
    STRUCT('order_after_exposure__order_to_second_view' AS `metric`)
  ]) AS `m`
  UNION ALL
  SELECT
    `k`.`as_of_date`,
    '7day' AS `rollup`,
    `m`.`metric`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v7_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`v7_revenue_lower`
    END AS `cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v7_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`v7_revenue_upper`
    END AS `cap_upper`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_upper`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_lower`
    END AS `covariate_cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_upper`
    END AS `covariate_cap_upper`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_upper`
  FROM `caps` AS `k`
  CROSS JOIN UNNEST([
    STRUCT('revenue' AS `metric`),
    STRUCT('orders' AS `metric`),
    STRUCT('purchased' AS `metric`),
    STRUCT('big_orders' AS `metric`),
    STRUCT('views' AS `metric`),
    STRUCT('revenue_per_order' AS `metric`),
    STRUCT('orders_per_view' AS `metric`),
    STRUCT('orders_first_2d' AS `metric`),
    STRUCT('revenue_hours_6_to_30' AS `metric`),
    STRUCT('shop_funnel__view' AS `metric`),
    STRUCT('shop_funnel__order' AS `metric`),
    STRUCT('shop_funnel__big' AS `metric`),
    STRUCT('shop_funnel__view_to_order' AS `metric`),
    STRUCT('shop_funnel__order_to_big' AS `metric`),
    STRUCT('order_after_exposure__order' AS `metric`),
    STRUCT('order_after_exposure__second_view' AS `metric`),
    STRUCT('order_after_exposure__order_to_second_view' AS `metric`)
  ]) AS `m`
  UNION ALL
  SELECT
    `k`.`as_of_date`,
    'days_since_exposure' AS `rollup`,
    `m`.`metric`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v1_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`v1_revenue_lower`
    END AS `cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`v1_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`v1_revenue_upper`
    END AS `cap_upper`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `denominator_cap_upper`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_lower`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_lower`
    END AS `covariate_cap_lower`,
    CASE `m`.`metric`
      WHEN 'revenue'
      THEN `k`.`x_revenue_upper`
      WHEN 'revenue_per_order'
      THEN `k`.`x_revenue_upper`
    END AS `covariate_cap_upper`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_lower`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_cap_upper`
  FROM `caps` AS `k`
  CROSS JOIN UNNEST([
    STRUCT('revenue' AS `metric`),
    STRUCT('orders' AS `metric`),
    STRUCT('purchased' AS `metric`),
    STRUCT('big_orders' AS `metric`),
    STRUCT('views' AS `metric`),
    STRUCT('revenue_per_order' AS `metric`),
    STRUCT('orders_per_view' AS `metric`),
    STRUCT('orders_first_2d' AS `metric`),
    STRUCT('revenue_hours_6_to_30' AS `metric`),
    STRUCT('shop_funnel__view' AS `metric`),
    STRUCT('shop_funnel__order' AS `metric`),
    STRUCT('shop_funnel__big' AS `metric`),
    STRUCT('shop_funnel__view_to_order' AS `metric`),
    STRUCT('shop_funnel__order_to_big' AS `metric`),
    STRUCT('order_after_exposure__order' AS `metric`),
    STRUCT('order_after_exposure__second_view' AS `metric`),
    STRUCT('order_after_exposure__order_to_second_view' AS `metric`)
  ]) AS `m`
), `retracting` AS (
  SELECT
    `unit_id`
  FROM `crossed`
  WHERE
    `since` >= CAST('2026-01-04' AS DATE) AND `since` < CAST('2026-01-06' AS DATE)
), `history` AS (
  SELECT
    *
  FROM (
    SELECT
      `t`.`as_of_date`,
      `t`.`unit_id`,
      `t`.`variant`,
      `t`.`first_exposure_ts`,
      `t`.`first_exposure_date`,
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
    UNION ALL
    SELECT
      `d`.`as_of_date`,
      `r`.`unit_id`,
      `r`.`variant`,
      `r`.`first_exposure_ts`,
      `r`.`first_exposure_date`,
      `r`.`revenue`,
      `r`.`orders`,
      `r`.`purchased`,
      `r`.`big_orders`,
      `r`.`views`,
      `r`.`orders_first_2d`,
      `r`.`revenue_hours_6_to_30`,
      `r`.`shop_funnel__view`,
      `r`.`shop_funnel__order`,
      `r`.`shop_funnel__big`,
      `r`.`order_after_exposure__order`,
      `r`.`order_after_exposure__second_view`,
      `r`.`revenue__pre_exposure`,
      `r`.`orders__pre_exposure`,
      `r`.`purchased__pre_exposure`,
      `r`.`big_orders__pre_exposure`,
      `r`.`views__pre_exposure`,
      `r`.`orders_first_2d__pre_exposure`,
      `r`.`revenue_hours_6_to_30__pre_exposure`
    FROM (
      SELECT
        `t`.`unit_id`,
        `t`.`variant`,
        `t`.`first_exposure_ts`,
        `t`.`first_exposure_date`,
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
        `t`.`revenue_hours_6_to_30__pre_exposure`,
        `t`.`as_of_date` AS `held_from`,
        COALESCE(
          LEAD(`t`.`as_of_date`) OVER (PARTITION BY `t`.`unit_id` ORDER BY `t`.`as_of_date`),
          CAST('2026-01-05' AS DATE)
        ) AS `held_until`
      FROM `exp`.`exp_a_unit_totals` AS `t`
      WHERE
        `t`.`as_of_date` >= CAST('2026-01-03' AS DATE)
        AND `t`.`as_of_date` <= CAST('2026-01-04' AS DATE)
    ) AS `r`
    JOIN (
      SELECT
        `d`.`as_of_date`
      FROM UNNEST([STRUCT(CAST('2026-01-04' AS DATE) AS `as_of_date`)]) AS `d`
    ) AS `d`
      ON `d`.`as_of_date` >= `r`.`held_from` AND `d`.`as_of_date` < `r`.`held_until`
  ) AS `rows_of`
  WHERE
    `rows_of`.`unit_id` IN (
      SELECT
        `unit_id`
      FROM `retracting`
    )
), `retract_wide` AS (
  SELECT
    `c`.`since` AS `as_of_date`,
    `t`.`as_of_date` AS `contributed`,
    `t`.`variant`,
    DATE_DIFF(`t`.`as_of_date`, `t`.`first_exposure_date`, DAY) AS `days_since_exposure`,
    CAST(`t`.`revenue` - COALESCE(`p`.`revenue`, 0) AS FLOAT64) AS `v1_revenue`,
    CAST(`t`.`orders` - COALESCE(`p`.`orders`, 0) AS FLOAT64) AS `v1_orders`,
    CASE WHEN `t`.`purchased` - COALESCE(`p`.`purchased`, 0) > 0 THEN 1.0 ELSE 0.0 END AS `v1_purchased`,
    CAST(`t`.`big_orders` - COALESCE(`p`.`big_orders`, 0) AS FLOAT64) AS `v1_big_orders`,
    CAST(`t`.`views` - COALESCE(`p`.`views`, 0) AS FLOAT64) AS `v1_views`,
    CAST(`t`.`orders_first_2d` - COALESCE(`p`.`orders_first_2d`, 0) AS FLOAT64) AS `v1_orders_first_2d`,
    CAST(`t`.`revenue_hours_6_to_30` - COALESCE(`p`.`revenue_hours_6_to_30`, 0) AS FLOAT64) AS `v1_revenue_hours_6_to_30`,
    CASE
      WHEN NOT `t`.`shop_funnel__view` IS NULL
      AND `t`.`shop_funnel__view` <= TIMESTAMP_ADD(`t`.`shop_funnel__view`, INTERVAL 48 HOUR)
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT `p`.`shop_funnel__view` IS NULL
        AND `p`.`shop_funnel__view` <= TIMESTAMP_ADD(`p`.`shop_funnel__view`, INTERVAL 48 HOUR)
        THEN 1.0
        ELSE 0.0
      END
    ) AS `v1_shop_funnel__view`,
    CASE
      WHEN NOT `t`.`shop_funnel__view` IS NULL
      AND `t`.`shop_funnel__order` >= `t`.`shop_funnel__view`
      AND `t`.`shop_funnel__order` <= TIMESTAMP_ADD(`t`.`shop_funnel__view`, INTERVAL 48 HOUR)
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT `p`.`shop_funnel__view` IS NULL
        AND `p`.`shop_funnel__order` >= `p`.`shop_funnel__view`
        AND `p`.`shop_funnel__order` <= TIMESTAMP_ADD(`p`.`shop_funnel__view`, INTERVAL 48 HOUR)
        THEN 1.0
        ELSE 0.0
      END
    ) AS `v1_shop_funnel__order`,
    CASE
      WHEN NOT `t`.`shop_funnel__view` IS NULL
      AND `t`.`shop_funnel__order` >= `t`.`shop_funnel__view`
      AND `t`.`shop_funnel__big` >= `t`.`shop_funnel__order`
      AND `t`.`shop_funnel__big` <= TIMESTAMP_ADD(`t`.`shop_funnel__view`, INTERVAL 48 HOUR)
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT `p`.`shop_funnel__view` IS NULL
        AND `p`.`shop_funnel__order` >= `p`.`shop_funnel__view`
        AND `p`.`shop_funnel__big` >= `p`.`shop_funnel__order`
        AND `p`.`shop_funnel__big` <= TIMESTAMP_ADD(`p`.`shop_funnel__view`, INTERVAL 48 HOUR)
        THEN 1.0
        ELSE 0.0
      END
    ) AS `v1_shop_funnel__big`,
    CASE
      WHEN NOT `t`.`order_after_exposure__order` IS NULL
      AND `t`.`order_after_exposure__order` <= TIMESTAMP_ADD(`t`.`first_exposure_ts`, INTERVAL 24 HOUR)
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT `p`.`order_after_exposure__order` IS NULL
        AND `p`.`order_after_exposure__order` <= TIMESTAMP_ADD(`p`.`first_exposure_ts`, INTERVAL 24 HOUR)
        THEN 1.0
        ELSE 0.0
      END
    ) AS `v1_order_after_exposure__order`,
    CASE
      WHEN NOT `t`.`order_after_exposure__order` IS NULL
      AND `t`.`order_after_exposure__second_view` >= `t`.`order_after_exposure__order`
      AND `t`.`order_after_exposure__second_view` <= TIMESTAMP_ADD(`t`.`first_exposure_ts`, INTERVAL 24 HOUR)
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT `p`.`order_after_exposure__order` IS NULL
        AND `p`.`order_after_exposure__second_view` >= `p`.`order_after_exposure__order`
        AND `p`.`order_after_exposure__second_view` <= TIMESTAMP_ADD(`p`.`first_exposure_ts`, INTERVAL 24 HOUR)
        THEN 1.0
        ELSE 0.0
      END
    ) AS `v1_order_after_exposure__second_view`,
    CAST(COALESCE(`t`.`revenue__pre_exposure`, 0) AS FLOAT64) AS `x_revenue`,
    CAST(COALESCE(`t`.`orders__pre_exposure`, 0) AS FLOAT64) AS `x_orders`,
    CASE WHEN COALESCE(`t`.`purchased__pre_exposure`, 0) > 0 THEN 1.0 ELSE 0.0 END AS `x_purchased`,
    CAST(COALESCE(`t`.`big_orders__pre_exposure`, 0) AS FLOAT64) AS `x_big_orders`,
    CAST(COALESCE(`t`.`views__pre_exposure`, 0) AS FLOAT64) AS `x_views`,
    CAST(COALESCE(`t`.`orders_first_2d__pre_exposure`, 0) AS FLOAT64) AS `x_orders_first_2d`,
    CAST(COALESCE(`t`.`revenue_hours_6_to_30__pre_exposure`, 0) AS FLOAT64) AS `x_revenue_hours_6_to_30`
  FROM `history` AS `t`
  JOIN `crossed` AS `c`
    ON `c`.`unit_id` = `t`.`unit_id` AND `c`.`since` > `t`.`as_of_date`
  LEFT JOIN `history` AS `p`
    ON `p`.`unit_id` = `t`.`unit_id`
    AND `p`.`as_of_date` = DATE_SUB(`t`.`as_of_date`, INTERVAL 1 DAY)
  WHERE
    `c`.`since` >= CAST('2026-01-04' AS DATE)
    AND `c`.`since` < CAST('2026-01-06' AS DATE)
), `day_caps` AS (
  SELECT
    `as_of_date`,
    `metric`,
    `cap_lower`,
    `cap_upper`,
    `denominator_cap_lower`,
    `denominator_cap_upper`,
    `covariate_cap_lower`,
    `covariate_cap_upper`,
    `covariate_denominator_cap_lower`,
    `covariate_denominator_cap_upper`
  FROM `metric_caps`
  WHERE
    `rollup` = 'days_since_exposure'
  UNION ALL
  SELECT
    `as_of_date`,
    `metric`,
    `cap_lower`,
    `cap_upper`,
    `denominator_cap_lower`,
    `denominator_cap_upper`,
    `covariate_cap_lower`,
    `covariate_cap_upper`,
    `covariate_denominator_cap_lower`,
    `covariate_denominator_cap_upper`
  FROM (
    SELECT
      `s`.`as_of_date`,
      `s`.`rollup`,
      `s`.`metric`,
      MAX(`s`.`cap_lower`) AS `cap_lower`,
      MAX(`s`.`cap_upper`) AS `cap_upper`,
      MAX(`s`.`denominator_cap_lower`) AS `denominator_cap_lower`,
      MAX(`s`.`denominator_cap_upper`) AS `denominator_cap_upper`,
      MAX(`s`.`covariate_cap_lower`) AS `covariate_cap_lower`,
      MAX(`s`.`covariate_cap_upper`) AS `covariate_cap_upper`,
      MAX(`s`.`covariate_denominator_cap_lower`) AS `covariate_denominator_cap_lower`,
      MAX(`s`.`covariate_denominator_cap_upper`) AS `covariate_denominator_cap_upper`
    FROM (
      SELECT
        `as_of_date`,
        `rollup`,
        `metric`,
        `dimension`,
        `dimension_value`,
        `days_since_exposure`,
        `variant`,
        `n`,
        `sum`,
        `sum_squares`,
        `denominator_sum`,
        `denominator_sum_squares`,
        `covariate_sum`,
        `covariate_sum_squares`,
        `covariate_denominator_sum`,
        `covariate_denominator_sum_squares`,
        `main_denominator_sum_product`,
        `main_covariate_sum_product`,
        `main_covariate_denominator_sum_product`,
        `denominator_covariate_sum_product`,
        `denominator_covariate_denominator_sum_product`,
        `covariate_covariate_denominator_sum_product`,
        `denominator_units`,
        `cap_lower`,
        `cap_upper`,
        `denominator_cap_lower`,
        `denominator_cap_upper`,
        `covariate_cap_lower`,
        `covariate_cap_upper`,
        `covariate_denominator_cap_lower`,
        `covariate_denominator_cap_upper`
      FROM `exp`.`exp_a_rollup_moments`
      WHERE
        `as_of_date` >= CAST('2026-01-03' AS DATE)
        AND `as_of_date` < CAST('2026-01-04' AS DATE)
    ) AS `s`
    WHERE
      `s`.`rollup` = 'days_since_exposure'
    GROUP BY
      `s`.`as_of_date`,
      `s`.`rollup`,
      `s`.`metric`
  ) AS `e`
), `retracted` AS (
  SELECT
    `w`.`as_of_date`,
    'revenue' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE(`w`.`v1_revenue`, `k`.`cap_lower`),
          COALESCE(`k`.`cap_lower`, `w`.`v1_revenue`)
        ),
        `k`.`cap_upper`
      ),
      COALESCE(
        `k`.`cap_upper`,
        GREATEST(
          COALESCE(`w`.`v1_revenue`, `k`.`cap_lower`),
          COALESCE(`k`.`cap_lower`, `w`.`v1_revenue`)
        )
      )
    ) AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE(`w`.`x_revenue`, `k`.`covariate_cap_lower`),
          COALESCE(`k`.`covariate_cap_lower`, `w`.`x_revenue`)
        ),
        `k`.`covariate_cap_upper`
      ),
      COALESCE(
        `k`.`covariate_cap_upper`,
        GREATEST(
          COALESCE(`w`.`x_revenue`, `k`.`covariate_cap_lower`),
          COALESCE(`k`.`covariate_cap_lower`, `w`.`x_revenue`)
        )
      )
    ) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'revenue'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'orders' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_orders` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_orders` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'orders'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'purchased' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_purchased` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_purchased` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'purchased'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'big_orders' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_big_orders` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_big_orders` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'big_orders'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'views' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_views` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_views` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'views'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'revenue_per_order' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE(`w`.`v1_revenue`, `k`.`cap_lower`),
          COALESCE(`k`.`cap_lower`, `w`.`v1_revenue`)
        ),
        `k`.`cap_upper`
      ),
      COALESCE(
        `k`.`cap_upper`,
        GREATEST(
          COALESCE(`w`.`v1_revenue`, `k`.`cap_lower`),
          COALESCE(`k`.`cap_lower`, `w`.`v1_revenue`)
        )
      )
    ) AS `main`,
    `w`.`v1_orders` AS `denominator`,
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE(`w`.`x_revenue`, `k`.`covariate_cap_lower`),
          COALESCE(`k`.`covariate_cap_lower`, `w`.`x_revenue`)
        ),
        `k`.`covariate_cap_upper`
      ),
      COALESCE(
        `k`.`covariate_cap_upper`,
        GREATEST(
          COALESCE(`w`.`x_revenue`, `k`.`covariate_cap_lower`),
          COALESCE(`k`.`covariate_cap_lower`, `w`.`x_revenue`)
        )
      )
    ) AS `covariate`,
    `w`.`x_orders` AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'revenue_per_order'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'orders_per_view' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_orders` AS `main`,
    `w`.`v1_views` AS `denominator`,
    `w`.`x_orders` AS `covariate`,
    `w`.`x_views` AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'orders_per_view'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'orders_first_2d' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_orders_first_2d` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_orders_first_2d` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'orders_first_2d'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'revenue_hours_6_to_30' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_revenue_hours_6_to_30` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    `w`.`x_revenue_hours_6_to_30` AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'revenue_hours_6_to_30'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'shop_funnel__view' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_shop_funnel__view` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'shop_funnel__view'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'shop_funnel__order' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_shop_funnel__order` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'shop_funnel__order'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'shop_funnel__big' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_shop_funnel__big` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed` AND `k`.`metric` = 'shop_funnel__big'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'shop_funnel__view_to_order' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_shop_funnel__order` AS `main`,
    `w`.`v1_shop_funnel__view` AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed`
    AND `k`.`metric` = 'shop_funnel__view_to_order'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'shop_funnel__order_to_big' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_shop_funnel__big` AS `main`,
    `w`.`v1_shop_funnel__order` AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed`
    AND `k`.`metric` = 'shop_funnel__order_to_big'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'order_after_exposure__order' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_order_after_exposure__order` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed`
    AND `k`.`metric` = 'order_after_exposure__order'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'order_after_exposure__second_view' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_order_after_exposure__second_view` AS `main`,
    CAST(NULL AS FLOAT64) AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed`
    AND `k`.`metric` = 'order_after_exposure__second_view'
  UNION ALL
  SELECT
    `w`.`as_of_date`,
    'order_after_exposure__order_to_second_view' AS `metric`,
    `w`.`days_since_exposure`,
    `w`.`variant`,
    `w`.`v1_order_after_exposure__second_view` AS `main`,
    `w`.`v1_order_after_exposure__order` AS `denominator`,
    CAST(NULL AS FLOAT64) AS `covariate`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator`
  FROM `retract_wide` AS `w`
  JOIN `day_caps` AS `k`
    ON `k`.`as_of_date` = `w`.`contributed`
    AND `k`.`metric` = 'order_after_exposure__order_to_second_view'
), `retractions` AS (
  SELECT
    `as_of_date`,
    'days_since_exposure' AS `rollup`,
    `metric`,
    CAST(NULL AS STRING) AS `dimension`,
    CAST(NULL AS STRING) AS `dimension_value`,
    `days_since_exposure`,
    `variant`,
    -COUNT(*) AS `n`,
    -SUM(`main`) AS `sum`,
    -SUM(`main` * `main`) AS `sum_squares`,
    -SUM(`denominator`) AS `denominator_sum`,
    -SUM(`denominator` * `denominator`) AS `denominator_sum_squares`,
    -SUM(`covariate`) AS `covariate_sum`,
    -SUM(`covariate` * `covariate`) AS `covariate_sum_squares`,
    -SUM(`covariate_denominator`) AS `covariate_denominator_sum`,
    -SUM(`covariate_denominator` * `covariate_denominator`) AS `covariate_denominator_sum_squares`,
    -SUM(`main` * `denominator`) AS `main_denominator_sum_product`,
    -SUM(`main` * `covariate`) AS `main_covariate_sum_product`,
    -SUM(`main` * `covariate_denominator`) AS `main_covariate_denominator_sum_product`,
    -SUM(`denominator` * `covariate`) AS `denominator_covariate_sum_product`,
    -SUM(`denominator` * `covariate_denominator`) AS `denominator_covariate_denominator_sum_product`,
    -SUM(`covariate` * `covariate_denominator`) AS `covariate_covariate_denominator_sum_product`,
    -SUM(CASE WHEN `denominator` <> 0 THEN 1 WHEN `denominator` = 0 THEN 0 END) AS `denominator_units`
  FROM `retracted`
  GROUP BY
    `as_of_date`,
    `metric`,
    `days_since_exposure`,
    `variant`
), `moments` AS (
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'revenue' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_revenue` AS `sum`,
    `s__v_revenue__v_revenue` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_revenue__x_revenue` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_orders` AS `sum`,
    `s__v_orders__v_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_orders__x_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'purchased' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_purchased` AS `sum`,
    `s__v_purchased__v_purchased` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_purchased` AS `covariate_sum`,
    `s__x_purchased__x_purchased` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_purchased__x_purchased` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'big_orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_big_orders` AS `sum`,
    `s__v_big_orders__v_big_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_big_orders` AS `covariate_sum`,
    `s__x_big_orders__x_big_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_big_orders__x_big_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'views' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_views` AS `sum`,
    `s__v_views__v_views` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_views` AS `covariate_sum`,
    `s__x_views__x_views` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_views__x_views` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'revenue_per_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_revenue` AS `sum`,
    `s__v_revenue__v_revenue` AS `sum_squares`,
    `s__v_orders` AS `denominator_sum`,
    `s__v_orders__v_orders` AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    `s__x_orders` AS `covariate_denominator_sum`,
    `s__x_orders__x_orders` AS `covariate_denominator_sum_squares`,
    `s__v_revenue__v_orders` AS `main_denominator_sum_product`,
    `s__v_revenue__x_revenue` AS `main_covariate_sum_product`,
    `s__v_revenue__x_orders` AS `main_covariate_denominator_sum_product`,
    `s__v_orders__x_revenue` AS `denominator_covariate_sum_product`,
    `s__v_orders__x_orders` AS `denominator_covariate_denominator_sum_product`,
    `s__x_revenue__x_orders` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v_orders` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'orders_per_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_orders` AS `sum`,
    `s__v_orders__v_orders` AS `sum_squares`,
    `s__v_views` AS `denominator_sum`,
    `s__v_views__v_views` AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    `s__x_views` AS `covariate_denominator_sum`,
    `s__x_views__x_views` AS `covariate_denominator_sum_squares`,
    `s__v_orders__v_views` AS `main_denominator_sum_product`,
    `s__v_orders__x_orders` AS `main_covariate_sum_product`,
    `s__v_orders__x_views` AS `main_covariate_denominator_sum_product`,
    `s__v_views__x_orders` AS `denominator_covariate_sum_product`,
    `s__v_views__x_views` AS `denominator_covariate_denominator_sum_product`,
    `s__x_orders__x_views` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v_views` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'orders_first_2d' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_orders_first_2d` AS `sum`,
    `s__v_orders_first_2d__v_orders_first_2d` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders_first_2d` AS `covariate_sum`,
    `s__x_orders_first_2d__x_orders_first_2d` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_orders_first_2d__x_orders_first_2d` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'revenue_hours_6_to_30' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_revenue_hours_6_to_30` AS `sum`,
    `s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue_hours_6_to_30` AS `covariate_sum`,
    `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'shop_funnel__view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_shop_funnel__view` AS `sum`,
    `s__v_shop_funnel__view__v_shop_funnel__view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'shop_funnel__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_shop_funnel__order` AS `sum`,
    `s__v_shop_funnel__order__v_shop_funnel__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'shop_funnel__big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_shop_funnel__big` AS `sum`,
    `s__v_shop_funnel__big__v_shop_funnel__big` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'shop_funnel__view_to_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_shop_funnel__order` AS `sum`,
    `s__v_shop_funnel__order__v_shop_funnel__order` AS `sum_squares`,
    `s__v_shop_funnel__view` AS `denominator_sum`,
    `s__v_shop_funnel__view__v_shop_funnel__view` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v_shop_funnel__order__v_shop_funnel__view` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v_shop_funnel__view` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'shop_funnel__order_to_big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_shop_funnel__big` AS `sum`,
    `s__v_shop_funnel__big__v_shop_funnel__big` AS `sum_squares`,
    `s__v_shop_funnel__order` AS `denominator_sum`,
    `s__v_shop_funnel__order__v_shop_funnel__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v_shop_funnel__big__v_shop_funnel__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v_shop_funnel__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'order_after_exposure__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_order_after_exposure__order` AS `sum`,
    `s__v_order_after_exposure__order__v_order_after_exposure__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'order_after_exposure__second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_order_after_exposure__second_view` AS `sum`,
    `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'cumulative' AS `rollup`,
    'order_after_exposure__order_to_second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v_order_after_exposure__second_view` AS `sum`,
    `s__v_order_after_exposure__second_view__v_order_after_exposure__second_view` AS `sum_squares`,
    `s__v_order_after_exposure__order` AS `denominator_sum`,
    `s__v_order_after_exposure__order__v_order_after_exposure__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v_order_after_exposure__second_view__v_order_after_exposure__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v_order_after_exposure__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'revenue' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_revenue` AS `sum`,
    `s__v1_revenue__v1_revenue` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_revenue__x_revenue` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_orders` AS `sum`,
    `s__v1_orders__v1_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_orders__x_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'purchased' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_purchased` AS `sum`,
    `s__v1_purchased__v1_purchased` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_purchased` AS `covariate_sum`,
    `s__x_purchased__x_purchased` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_purchased__x_purchased` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'big_orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_big_orders` AS `sum`,
    `s__v1_big_orders__v1_big_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_big_orders` AS `covariate_sum`,
    `s__x_big_orders__x_big_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_big_orders__x_big_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'views' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_views` AS `sum`,
    `s__v1_views__v1_views` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_views` AS `covariate_sum`,
    `s__x_views__x_views` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_views__x_views` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'revenue_per_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_revenue` AS `sum`,
    `s__v1_revenue__v1_revenue` AS `sum_squares`,
    `s__v1_orders` AS `denominator_sum`,
    `s__v1_orders__v1_orders` AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    `s__x_orders` AS `covariate_denominator_sum`,
    `s__x_orders__x_orders` AS `covariate_denominator_sum_squares`,
    `s__v1_revenue__v1_orders` AS `main_denominator_sum_product`,
    `s__v1_revenue__x_revenue` AS `main_covariate_sum_product`,
    `s__v1_revenue__x_orders` AS `main_covariate_denominator_sum_product`,
    `s__v1_orders__x_revenue` AS `denominator_covariate_sum_product`,
    `s__v1_orders__x_orders` AS `denominator_covariate_denominator_sum_product`,
    `s__x_revenue__x_orders` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v1_orders` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'orders_per_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_orders` AS `sum`,
    `s__v1_orders__v1_orders` AS `sum_squares`,
    `s__v1_views` AS `denominator_sum`,
    `s__v1_views__v1_views` AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    `s__x_views` AS `covariate_denominator_sum`,
    `s__x_views__x_views` AS `covariate_denominator_sum_squares`,
    `s__v1_orders__v1_views` AS `main_denominator_sum_product`,
    `s__v1_orders__x_orders` AS `main_covariate_sum_product`,
    `s__v1_orders__x_views` AS `main_covariate_denominator_sum_product`,
    `s__v1_views__x_orders` AS `denominator_covariate_sum_product`,
    `s__v1_views__x_views` AS `denominator_covariate_denominator_sum_product`,
    `s__x_orders__x_views` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v1_views` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'orders_first_2d' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_orders_first_2d` AS `sum`,
    `s__v1_orders_first_2d__v1_orders_first_2d` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders_first_2d` AS `covariate_sum`,
    `s__x_orders_first_2d__x_orders_first_2d` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_orders_first_2d__x_orders_first_2d` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'revenue_hours_6_to_30' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_revenue_hours_6_to_30` AS `sum`,
    `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue_hours_6_to_30` AS `covariate_sum`,
    `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'shop_funnel__view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_shop_funnel__view` AS `sum`,
    `s__v1_shop_funnel__view__v1_shop_funnel__view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'shop_funnel__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_shop_funnel__order` AS `sum`,
    `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'shop_funnel__big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_shop_funnel__big` AS `sum`,
    `s__v1_shop_funnel__big__v1_shop_funnel__big` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'shop_funnel__view_to_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_shop_funnel__order` AS `sum`,
    `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `sum_squares`,
    `s__v1_shop_funnel__view` AS `denominator_sum`,
    `s__v1_shop_funnel__view__v1_shop_funnel__view` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v1_shop_funnel__order__v1_shop_funnel__view` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v1_shop_funnel__view` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'shop_funnel__order_to_big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_shop_funnel__big` AS `sum`,
    `s__v1_shop_funnel__big__v1_shop_funnel__big` AS `sum_squares`,
    `s__v1_shop_funnel__order` AS `denominator_sum`,
    `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v1_shop_funnel__big__v1_shop_funnel__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v1_shop_funnel__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'order_after_exposure__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_order_after_exposure__order` AS `sum`,
    `s__v1_order_after_exposure__order__v1_order_after_exposure__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'order_after_exposure__second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_order_after_exposure__second_view` AS `sum`,
    `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    'daily' AS `rollup`,
    'order_after_exposure__order_to_second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v1_order_after_exposure__second_view` AS `sum`,
    `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view` AS `sum_squares`,
    `s__v1_order_after_exposure__order` AS `denominator_sum`,
    `s__v1_order_after_exposure__order__v1_order_after_exposure__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v1_order_after_exposure__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'revenue' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_revenue` AS `sum`,
    `s__v7_revenue__v7_revenue` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_revenue__x_revenue` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_orders` AS `sum`,
    `s__v7_orders__v7_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_orders__x_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'purchased' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_purchased` AS `sum`,
    `s__v7_purchased__v7_purchased` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_purchased` AS `covariate_sum`,
    `s__x_purchased__x_purchased` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_purchased__x_purchased` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'big_orders' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_big_orders` AS `sum`,
    `s__v7_big_orders__v7_big_orders` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_big_orders` AS `covariate_sum`,
    `s__x_big_orders__x_big_orders` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_big_orders__x_big_orders` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'views' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_views` AS `sum`,
    `s__v7_views__v7_views` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_views` AS `covariate_sum`,
    `s__x_views__x_views` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_views__x_views` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'revenue_per_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_revenue` AS `sum`,
    `s__v7_revenue__v7_revenue` AS `sum_squares`,
    `s__v7_orders` AS `denominator_sum`,
    `s__v7_orders__v7_orders` AS `denominator_sum_squares`,
    `s__x_revenue` AS `covariate_sum`,
    `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
    `s__x_orders` AS `covariate_denominator_sum`,
    `s__x_orders__x_orders` AS `covariate_denominator_sum_squares`,
    `s__v7_revenue__v7_orders` AS `main_denominator_sum_product`,
    `s__v7_revenue__x_revenue` AS `main_covariate_sum_product`,
    `s__v7_revenue__x_orders` AS `main_covariate_denominator_sum_product`,
    `s__v7_orders__x_revenue` AS `denominator_covariate_sum_product`,
    `s__v7_orders__x_orders` AS `denominator_covariate_denominator_sum_product`,
    `s__x_revenue__x_orders` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v7_orders` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'orders_per_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_orders` AS `sum`,
    `s__v7_orders__v7_orders` AS `sum_squares`,
    `s__v7_views` AS `denominator_sum`,
    `s__v7_views__v7_views` AS `denominator_sum_squares`,
    `s__x_orders` AS `covariate_sum`,
    `s__x_orders__x_orders` AS `covariate_sum_squares`,
    `s__x_views` AS `covariate_denominator_sum`,
    `s__x_views__x_views` AS `covariate_denominator_sum_squares`,
    `s__v7_orders__v7_views` AS `main_denominator_sum_product`,
    `s__v7_orders__x_orders` AS `main_covariate_sum_product`,
    `s__v7_orders__x_views` AS `main_covariate_denominator_sum_product`,
    `s__v7_views__x_orders` AS `denominator_covariate_sum_product`,
    `s__v7_views__x_views` AS `denominator_covariate_denominator_sum_product`,
    `s__x_orders__x_views` AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v7_views` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'orders_first_2d' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_orders_first_2d` AS `sum`,
    `s__v7_orders_first_2d__v7_orders_first_2d` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_orders_first_2d` AS `covariate_sum`,
    `s__x_orders_first_2d__x_orders_first_2d` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_orders_first_2d__x_orders_first_2d` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'revenue_hours_6_to_30' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_revenue_hours_6_to_30` AS `sum`,
    `s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    `s__x_revenue_hours_6_to_30` AS `covariate_sum`,
    `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    `s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'shop_funnel__view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_shop_funnel__view` AS `sum`,
    `s__v7_shop_funnel__view__v7_shop_funnel__view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'shop_funnel__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_shop_funnel__order` AS `sum`,
    `s__v7_shop_funnel__order__v7_shop_funnel__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'shop_funnel__big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_shop_funnel__big` AS `sum`,
    `s__v7_shop_funnel__big__v7_shop_funnel__big` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'shop_funnel__view_to_order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_shop_funnel__order` AS `sum`,
    `s__v7_shop_funnel__order__v7_shop_funnel__order` AS `sum_squares`,
    `s__v7_shop_funnel__view` AS `denominator_sum`,
    `s__v7_shop_funnel__view__v7_shop_funnel__view` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v7_shop_funnel__order__v7_shop_funnel__view` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v7_shop_funnel__view` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'shop_funnel__order_to_big' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_shop_funnel__big` AS `sum`,
    `s__v7_shop_funnel__big__v7_shop_funnel__big` AS `sum_squares`,
    `s__v7_shop_funnel__order` AS `denominator_sum`,
    `s__v7_shop_funnel__order__v7_shop_funnel__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v7_shop_funnel__big__v7_shop_funnel__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v7_shop_funnel__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'order_after_exposure__order' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_order_after_exposure__order` AS `sum`,
    `s__v7_order_after_exposure__order__v7_order_after_exposure__order` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'order_after_exposure__second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_order_after_exposure__second_view` AS `sum`,
    `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view` AS `sum_squares`,
    CAST(NULL AS FLOAT64) AS `denominator_sum`,
    CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(NULL AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    '7day' AS `rollup`,
    'order_after_exposure__order_to_second_view' AS `metric`,
    `dimension`,
    `dimension_value`,
    CAST(NULL AS INT64) AS `days_since_exposure`,
    `variant`,
    `n`,
    `s__v7_order_after_exposure__second_view` AS `sum`,
    `s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view` AS `sum_squares`,
    `s__v7_order_after_exposure__order` AS `denominator_sum`,
    `s__v7_order_after_exposure__order__v7_order_after_exposure__order` AS `denominator_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
    CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
    `s__v7_order_after_exposure__second_view__v7_order_after_exposure__order` AS `main_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
    CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
    CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
    CAST(`n__v7_order_after_exposure__order` AS INT64) AS `denominator_units`
  FROM `slices`
  UNION ALL
  SELECT
    `as_of_date`,
    `rollup`,
    `metric`,
    `dimension`,
    `dimension_value`,
    `days_since_exposure`,
    `variant`,
    CAST(SUM(`n`) AS INT64) AS `n`,
    SUM(`sum`) AS `sum`,
    SUM(`sum_squares`) AS `sum_squares`,
    SUM(`denominator_sum`) AS `denominator_sum`,
    SUM(`denominator_sum_squares`) AS `denominator_sum_squares`,
    SUM(`covariate_sum`) AS `covariate_sum`,
    SUM(`covariate_sum_squares`) AS `covariate_sum_squares`,
    SUM(`covariate_denominator_sum`) AS `covariate_denominator_sum`,
    SUM(`covariate_denominator_sum_squares`) AS `covariate_denominator_sum_squares`,
    SUM(`main_denominator_sum_product`) AS `main_denominator_sum_product`,
    SUM(`main_covariate_sum_product`) AS `main_covariate_sum_product`,
    SUM(`main_covariate_denominator_sum_product`) AS `main_covariate_denominator_sum_product`,
    SUM(`denominator_covariate_sum_product`) AS `denominator_covariate_sum_product`,
    SUM(`denominator_covariate_denominator_sum_product`) AS `denominator_covariate_denominator_sum_product`,
    SUM(`covariate_covariate_denominator_sum_product`) AS `covariate_covariate_denominator_sum_product`,
    CAST(SUM(`denominator_units`) AS INT64) AS `denominator_units`
  FROM (
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'revenue' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_revenue` AS `sum`,
      `s__v1_revenue__v1_revenue` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_revenue` AS `covariate_sum`,
      `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_revenue__x_revenue` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'orders' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_orders` AS `sum`,
      `s__v1_orders__v1_orders` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_orders` AS `covariate_sum`,
      `s__x_orders__x_orders` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_orders__x_orders` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'purchased' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_purchased` AS `sum`,
      `s__v1_purchased__v1_purchased` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_purchased` AS `covariate_sum`,
      `s__x_purchased__x_purchased` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_purchased__x_purchased` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'big_orders' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_big_orders` AS `sum`,
      `s__v1_big_orders__v1_big_orders` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_big_orders` AS `covariate_sum`,
      `s__x_big_orders__x_big_orders` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_big_orders__x_big_orders` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'views' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_views` AS `sum`,
      `s__v1_views__v1_views` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_views` AS `covariate_sum`,
      `s__x_views__x_views` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_views__x_views` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'revenue_per_order' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_revenue` AS `sum`,
      `s__v1_revenue__v1_revenue` AS `sum_squares`,
      `s__v1_orders` AS `denominator_sum`,
      `s__v1_orders__v1_orders` AS `denominator_sum_squares`,
      `s__x_revenue` AS `covariate_sum`,
      `s__x_revenue__x_revenue` AS `covariate_sum_squares`,
      `s__x_orders` AS `covariate_denominator_sum`,
      `s__x_orders__x_orders` AS `covariate_denominator_sum_squares`,
      `s__v1_revenue__v1_orders` AS `main_denominator_sum_product`,
      `s__v1_revenue__x_revenue` AS `main_covariate_sum_product`,
      `s__v1_revenue__x_orders` AS `main_covariate_denominator_sum_product`,
      `s__v1_orders__x_revenue` AS `denominator_covariate_sum_product`,
      `s__v1_orders__x_orders` AS `denominator_covariate_denominator_sum_product`,
      `s__x_revenue__x_orders` AS `covariate_covariate_denominator_sum_product`,
      CAST(`n__v1_orders` AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'orders_per_view' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_orders` AS `sum`,
      `s__v1_orders__v1_orders` AS `sum_squares`,
      `s__v1_views` AS `denominator_sum`,
      `s__v1_views__v1_views` AS `denominator_sum_squares`,
      `s__x_orders` AS `covariate_sum`,
      `s__x_orders__x_orders` AS `covariate_sum_squares`,
      `s__x_views` AS `covariate_denominator_sum`,
      `s__x_views__x_views` AS `covariate_denominator_sum_squares`,
      `s__v1_orders__v1_views` AS `main_denominator_sum_product`,
      `s__v1_orders__x_orders` AS `main_covariate_sum_product`,
      `s__v1_orders__x_views` AS `main_covariate_denominator_sum_product`,
      `s__v1_views__x_orders` AS `denominator_covariate_sum_product`,
      `s__v1_views__x_views` AS `denominator_covariate_denominator_sum_product`,
      `s__x_orders__x_views` AS `covariate_covariate_denominator_sum_product`,
      CAST(`n__v1_views` AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'orders_first_2d' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_orders_first_2d` AS `sum`,
      `s__v1_orders_first_2d__v1_orders_first_2d` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_orders_first_2d` AS `covariate_sum`,
      `s__x_orders_first_2d__x_orders_first_2d` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_orders_first_2d__x_orders_first_2d` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'revenue_hours_6_to_30' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_revenue_hours_6_to_30` AS `sum`,
      `s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      `s__x_revenue_hours_6_to_30` AS `covariate_sum`,
      `s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      `s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30` AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'shop_funnel__view' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_shop_funnel__view` AS `sum`,
      `s__v1_shop_funnel__view__v1_shop_funnel__view` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'shop_funnel__order' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_shop_funnel__order` AS `sum`,
      `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'shop_funnel__big' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_shop_funnel__big` AS `sum`,
      `s__v1_shop_funnel__big__v1_shop_funnel__big` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'shop_funnel__view_to_order' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_shop_funnel__order` AS `sum`,
      `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `sum_squares`,
      `s__v1_shop_funnel__view` AS `denominator_sum`,
      `s__v1_shop_funnel__view__v1_shop_funnel__view` AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      `s__v1_shop_funnel__order__v1_shop_funnel__view` AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(`n__v1_shop_funnel__view` AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'shop_funnel__order_to_big' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_shop_funnel__big` AS `sum`,
      `s__v1_shop_funnel__big__v1_shop_funnel__big` AS `sum_squares`,
      `s__v1_shop_funnel__order` AS `denominator_sum`,
      `s__v1_shop_funnel__order__v1_shop_funnel__order` AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      `s__v1_shop_funnel__big__v1_shop_funnel__order` AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(`n__v1_shop_funnel__order` AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'order_after_exposure__order' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_order_after_exposure__order` AS `sum`,
      `s__v1_order_after_exposure__order__v1_order_after_exposure__order` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'order_after_exposure__second_view' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_order_after_exposure__second_view` AS `sum`,
      `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view` AS `sum_squares`,
      CAST(NULL AS FLOAT64) AS `denominator_sum`,
      CAST(NULL AS FLOAT64) AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(NULL AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      `as_of_date`,
      'days_since_exposure' AS `rollup`,
      'order_after_exposure__order_to_second_view' AS `metric`,
      CAST(NULL AS STRING) AS `dimension`,
      CAST(NULL AS STRING) AS `dimension_value`,
      `days_since_exposure`,
      `variant`,
      CAST(`n` AS INT64) AS `n`,
      `s__v1_order_after_exposure__second_view` AS `sum`,
      `s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view` AS `sum_squares`,
      `s__v1_order_after_exposure__order` AS `denominator_sum`,
      `s__v1_order_after_exposure__order__v1_order_after_exposure__order` AS `denominator_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_sum_squares`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum`,
      CAST(NULL AS FLOAT64) AS `covariate_denominator_sum_squares`,
      `s__v1_order_after_exposure__second_view__v1_order_after_exposure__order` AS `main_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `main_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_sum_product`,
      CAST(NULL AS FLOAT64) AS `denominator_covariate_denominator_sum_product`,
      CAST(NULL AS FLOAT64) AS `covariate_covariate_denominator_sum_product`,
      CAST(`n__v1_order_after_exposure__order` AS INT64) AS `denominator_units`
    FROM `by_days_since_exposure`
    UNION ALL
    SELECT
      *
    FROM `retractions`
  ) AS `part`
  GROUP BY
    `as_of_date`,
    `rollup`,
    `metric`,
    `dimension`,
    `dimension_value`,
    `days_since_exposure`,
    `variant`
)
SELECT
  `mo`.*,
  `mc`.`cap_lower`,
  `mc`.`cap_upper`,
  `mc`.`denominator_cap_lower`,
  `mc`.`denominator_cap_upper`,
  `mc`.`covariate_cap_lower`,
  `mc`.`covariate_cap_upper`,
  `mc`.`covariate_denominator_cap_lower`,
  `mc`.`covariate_denominator_cap_upper`
FROM `moments` AS `mo`
JOIN `metric_caps` AS `mc`
  ON `mc`.`as_of_date` = `mo`.`as_of_date`
  AND `mc`.`rollup` = `mo`.`rollup`
  AND `mc`.`metric` = `mo`.`metric`
