WITH "crossed" AS (
  SELECT
    "unit_id",
    MIN("exposure_date") AS "since"
  FROM (
    SELECT
      "exposure_date",
      "unit_id"
    FROM "exp"."exp_a_multiple_variant_units"
    WHERE
      "exposure_date" >= CAST('2026-01-03' AS DATE)
      AND "exposure_date" < CAST('2026-01-06' AS DATE)
  ) AS "c"
  GROUP BY
    "unit_id"
), "wide" AS (
  SELECT
    "t"."as_of_date",
    "t"."unit_id",
    "t"."variant",
    "t"."first_exposure_date",
    DATEDIFF(DAY, "t"."first_exposure_date", "t"."as_of_date") AS "days_since_exposure",
    "t"."country",
    CAST("t"."revenue" AS DOUBLE) AS "v_revenue",
    CAST("t"."revenue" - COALESCE("p1"."revenue", 0) AS DOUBLE) AS "v1_revenue",
    CAST("t"."revenue" - COALESCE("p7"."revenue", 0) AS DOUBLE) AS "v7_revenue",
    CAST("t"."orders" AS DOUBLE) AS "v_orders",
    CAST("t"."orders" - COALESCE("p1"."orders", 0) AS DOUBLE) AS "v1_orders",
    CAST("t"."orders" - COALESCE("p7"."orders", 0) AS DOUBLE) AS "v7_orders",
    CASE WHEN "t"."purchased" > 0 THEN 1.0 ELSE 0.0 END AS "v_purchased",
    CASE WHEN "t"."purchased" - COALESCE("p1"."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "v1_purchased",
    CASE WHEN "t"."purchased" - COALESCE("p7"."purchased", 0) > 0 THEN 1.0 ELSE 0.0 END AS "v7_purchased",
    CAST("t"."big_orders" AS DOUBLE) AS "v_big_orders",
    CAST("t"."big_orders" - COALESCE("p1"."big_orders", 0) AS DOUBLE) AS "v1_big_orders",
    CAST("t"."big_orders" - COALESCE("p7"."big_orders", 0) AS DOUBLE) AS "v7_big_orders",
    CAST("t"."views" AS DOUBLE) AS "v_views",
    CAST("t"."views" - COALESCE("p1"."views", 0) AS DOUBLE) AS "v1_views",
    CAST("t"."views" - COALESCE("p7"."views", 0) AS DOUBLE) AS "v7_views",
    CAST("t"."orders_first_2d" AS DOUBLE) AS "v_orders_first_2d",
    CAST("t"."orders_first_2d" - COALESCE("p1"."orders_first_2d", 0) AS DOUBLE) AS "v1_orders_first_2d",
    CAST("t"."orders_first_2d" - COALESCE("p7"."orders_first_2d", 0) AS DOUBLE) AS "v7_orders_first_2d",
    CAST("t"."revenue_hours_6_to_30" AS DOUBLE) AS "v_revenue_hours_6_to_30",
    CAST("t"."revenue_hours_6_to_30" - COALESCE("p1"."revenue_hours_6_to_30", 0) AS DOUBLE) AS "v1_revenue_hours_6_to_30",
    CAST("t"."revenue_hours_6_to_30" - COALESCE("p7"."revenue_hours_6_to_30", 0) AS DOUBLE) AS "v7_revenue_hours_6_to_30",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__view" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__view",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__view" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p1"."shop_funnel__view" IS NULL
        AND "p1"."shop_funnel__view" <= "p1"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__view",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__view" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p7"."shop_funnel__view" IS NULL
        AND "p7"."shop_funnel__view" <= "p7"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__view",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__order" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__order",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__order" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p1"."shop_funnel__view" IS NULL
        AND "p1"."shop_funnel__order" >= "p1"."shop_funnel__view"
        AND "p1"."shop_funnel__order" <= "p1"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__order",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__order" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p7"."shop_funnel__view" IS NULL
        AND "p7"."shop_funnel__order" >= "p7"."shop_funnel__view"
        AND "p7"."shop_funnel__order" <= "p7"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__order",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__big" >= "t"."shop_funnel__order"
      AND "t"."shop_funnel__big" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END AS "v_shop_funnel__big",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__big" >= "t"."shop_funnel__order"
      AND "t"."shop_funnel__big" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p1"."shop_funnel__view" IS NULL
        AND "p1"."shop_funnel__order" >= "p1"."shop_funnel__view"
        AND "p1"."shop_funnel__big" >= "p1"."shop_funnel__order"
        AND "p1"."shop_funnel__big" <= "p1"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_shop_funnel__big",
    CASE
      WHEN NOT "t"."shop_funnel__view" IS NULL
      AND "t"."shop_funnel__order" >= "t"."shop_funnel__view"
      AND "t"."shop_funnel__big" >= "t"."shop_funnel__order"
      AND "t"."shop_funnel__big" <= "t"."shop_funnel__view" + INTERVAL '48 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p7"."shop_funnel__view" IS NULL
        AND "p7"."shop_funnel__order" >= "p7"."shop_funnel__view"
        AND "p7"."shop_funnel__big" >= "p7"."shop_funnel__order"
        AND "p7"."shop_funnel__big" <= "p7"."shop_funnel__view" + INTERVAL '48 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_shop_funnel__big",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__order" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__order",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__order" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p1"."order_after_exposure__order" IS NULL
        AND "p1"."order_after_exposure__order" <= "p1"."first_exposure_ts" + INTERVAL '24 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_order_after_exposure__order",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__order" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p7"."order_after_exposure__order" IS NULL
        AND "p7"."order_after_exposure__order" <= "p7"."first_exposure_ts" + INTERVAL '24 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_order_after_exposure__order",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__second_view" >= "t"."order_after_exposure__order"
      AND "t"."order_after_exposure__second_view" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END AS "v_order_after_exposure__second_view",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__second_view" >= "t"."order_after_exposure__order"
      AND "t"."order_after_exposure__second_view" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p1"."order_after_exposure__order" IS NULL
        AND "p1"."order_after_exposure__second_view" >= "p1"."order_after_exposure__order"
        AND "p1"."order_after_exposure__second_view" <= "p1"."first_exposure_ts" + INTERVAL '24 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v1_order_after_exposure__second_view",
    CASE
      WHEN NOT "t"."order_after_exposure__order" IS NULL
      AND "t"."order_after_exposure__second_view" >= "t"."order_after_exposure__order"
      AND "t"."order_after_exposure__second_view" <= "t"."first_exposure_ts" + INTERVAL '24 HOUR'
      THEN 1.0
      ELSE 0.0
    END - (
      CASE
        WHEN NOT "p7"."order_after_exposure__order" IS NULL
        AND "p7"."order_after_exposure__second_view" >= "p7"."order_after_exposure__order"
        AND "p7"."order_after_exposure__second_view" <= "p7"."first_exposure_ts" + INTERVAL '24 HOUR'
        THEN 1.0
        ELSE 0.0
      END
    ) AS "v7_order_after_exposure__second_view",
    CAST(COALESCE("t"."revenue__pre_exposure", 0) AS DOUBLE) AS "x_revenue",
    CAST(COALESCE("t"."orders__pre_exposure", 0) AS DOUBLE) AS "x_orders",
    CASE WHEN COALESCE("t"."purchased__pre_exposure", 0) > 0 THEN 1.0 ELSE 0.0 END AS "x_purchased",
    CAST(COALESCE("t"."big_orders__pre_exposure", 0) AS DOUBLE) AS "x_big_orders",
    CAST(COALESCE("t"."views__pre_exposure", 0) AS DOUBLE) AS "x_views",
    CAST(COALESCE("t"."orders_first_2d__pre_exposure", 0) AS DOUBLE) AS "x_orders_first_2d",
    CAST(COALESCE("t"."revenue_hours_6_to_30__pre_exposure", 0) AS DOUBLE) AS "x_revenue_hours_6_to_30"
  FROM (
    SELECT
      "d"."as_of_date",
      "r"."unit_id",
      "r"."variant",
      "r"."first_exposure_ts",
      "r"."first_exposure_date",
      "r"."country",
      "r"."revenue",
      "r"."orders",
      "r"."purchased",
      "r"."big_orders",
      "r"."views",
      "r"."orders_first_2d",
      "r"."revenue_hours_6_to_30",
      "r"."shop_funnel__view",
      "r"."shop_funnel__order",
      "r"."shop_funnel__big",
      "r"."order_after_exposure__order",
      "r"."order_after_exposure__second_view",
      "r"."revenue__pre_exposure",
      "r"."orders__pre_exposure",
      "r"."purchased__pre_exposure",
      "r"."big_orders__pre_exposure",
      "r"."views__pre_exposure",
      "r"."orders_first_2d__pre_exposure",
      "r"."revenue_hours_6_to_30__pre_exposure"
    FROM (
      SELECT
        "t"."unit_id",
        "t"."variant",
        "t"."first_exposure_ts",
        "t"."first_exposure_date",
        "t"."country",
        "t"."revenue",
        "t"."orders",
        "t"."purchased",
        "t"."big_orders",
        "t"."views",
        "t"."orders_first_2d",
        "t"."revenue_hours_6_to_30",
        "t"."shop_funnel__view",
        "t"."shop_funnel__order",
        "t"."shop_funnel__big",
        "t"."order_after_exposure__order",
        "t"."order_after_exposure__second_view",
        "t"."revenue__pre_exposure",
        "t"."orders__pre_exposure",
        "t"."purchased__pre_exposure",
        "t"."big_orders__pre_exposure",
        "t"."views__pre_exposure",
        "t"."orders_first_2d__pre_exposure",
        "t"."revenue_hours_6_to_30__pre_exposure",
        "t"."as_of_date" AS "held_from",
        COALESCE(
          LEAD("t"."as_of_date") OVER (PARTITION BY "t"."unit_id" ORDER BY "t"."as_of_date"),
          CAST('2026-01-06' AS DATE)
        ) AS "held_until"
      FROM "exp"."exp_a_unit_totals" AS "t"
      WHERE
        "t"."as_of_date" >= CAST('2026-01-03' AS DATE)
        AND "t"."as_of_date" <= CAST('2026-01-05' AS DATE)
    ) AS "r"
    JOIN (
      SELECT
        "d"."as_of_date"
      FROM (VALUES
        (CAST('2026-01-04' AS DATE)),
        (CAST('2026-01-05' AS DATE))) AS "d"("as_of_date")
    ) AS "d"
      ON "d"."as_of_date" >= "r"."held_from" AND "d"."as_of_date" < "r"."held_until"
  ) AS "t"
  LEFT JOIN "crossed" AS "x"
    ON "x"."unit_id" = "t"."unit_id"
  LEFT JOIN (
    SELECT
      "t"."as_of_date",
      "t"."unit_id",
      "t"."first_exposure_ts",
      "t"."revenue",
      "t"."orders",
      "t"."purchased",
      "t"."big_orders",
      "t"."views",
      "t"."orders_first_2d",
      "t"."revenue_hours_6_to_30",
      "t"."shop_funnel__view",
      "t"."shop_funnel__order",
      "t"."shop_funnel__big",
      "t"."order_after_exposure__order",
      "t"."order_after_exposure__second_view"
    FROM "exp"."exp_a_unit_totals" AS "t"
    WHERE
      "t"."as_of_date" IN (CAST('2026-01-03' AS DATE))
    UNION ALL
    SELECT
      "d"."as_of_date",
      "r"."unit_id",
      "r"."first_exposure_ts",
      "r"."revenue",
      "r"."orders",
      "r"."purchased",
      "r"."big_orders",
      "r"."views",
      "r"."orders_first_2d",
      "r"."revenue_hours_6_to_30",
      "r"."shop_funnel__view",
      "r"."shop_funnel__order",
      "r"."shop_funnel__big",
      "r"."order_after_exposure__order",
      "r"."order_after_exposure__second_view"
    FROM (
      SELECT
        "t"."unit_id",
        "t"."first_exposure_ts",
        "t"."revenue",
        "t"."orders",
        "t"."purchased",
        "t"."big_orders",
        "t"."views",
        "t"."orders_first_2d",
        "t"."revenue_hours_6_to_30",
        "t"."shop_funnel__view",
        "t"."shop_funnel__order",
        "t"."shop_funnel__big",
        "t"."order_after_exposure__order",
        "t"."order_after_exposure__second_view",
        "t"."as_of_date" AS "held_from",
        COALESCE(
          LEAD("t"."as_of_date") OVER (PARTITION BY "t"."unit_id" ORDER BY "t"."as_of_date"),
          CAST('2026-01-05' AS DATE)
        ) AS "held_until"
      FROM "exp"."exp_a_unit_totals" AS "t"
      WHERE
        "t"."as_of_date" >= CAST('2026-01-03' AS DATE)
        AND "t"."as_of_date" <= CAST('2026-01-04' AS DATE)
    ) AS "r"
    JOIN (
      SELECT
        "d"."as_of_date"
      FROM (VALUES
        (CAST('2026-01-04' AS DATE))) AS "d"("as_of_date")
    ) AS "d"
      ON "d"."as_of_date" >= "r"."held_from" AND "d"."as_of_date" < "r"."held_until"
  ) AS "p1"
    ON "p1"."unit_id" = "t"."unit_id"
    AND "p1"."as_of_date" = "t"."as_of_date" - INTERVAL '1 DAY'
  LEFT JOIN (
    SELECT
      *
    FROM (
      SELECT
        "d"."as_of_date",
        "r"."unit_id",
        "r"."variant",
        "r"."first_exposure_ts",
        "r"."first_exposure_date",
        "r"."country",
        "r"."revenue",
        "r"."orders",
        "r"."purchased",
        "r"."big_orders",
        "r"."views",
        "r"."orders_first_2d",
        "r"."revenue_hours_6_to_30",
        "r"."shop_funnel__view",
        "r"."shop_funnel__order",
        "r"."shop_funnel__big",
        "r"."order_after_exposure__order",
        "r"."order_after_exposure__second_view",
        "r"."revenue__pre_exposure",
        "r"."orders__pre_exposure",
        "r"."purchased__pre_exposure",
        "r"."big_orders__pre_exposure",
        "r"."views__pre_exposure",
        "r"."orders_first_2d__pre_exposure",
        "r"."revenue_hours_6_to_30__pre_exposure"
      FROM (
        SELECT
          "t"."unit_id",
          "t"."variant",
          "t"."first_exposure_ts",
          "t"."first_exposure_date",
          "t"."country",
          "t"."revenue",
          "t"."orders",
          "t"."purchased",
          "t"."big_orders",
          "t"."views",
          "t"."orders_first_2d",
          "t"."revenue_hours_6_to_30",
          "t"."shop_funnel__view",
          "t"."shop_funnel__order",
          "t"."shop_funnel__big",
          "t"."order_after_exposure__order",
          "t"."order_after_exposure__second_view",
          "t"."revenue__pre_exposure",
          "t"."orders__pre_exposure",
          "t"."purchased__pre_exposure",
          "t"."big_orders__pre_exposure",
          "t"."views__pre_exposure",
          "t"."orders_first_2d__pre_exposure",
          "t"."revenue_hours_6_to_30__pre_exposure",
          "t"."as_of_date" AS "held_from",
          COALESCE(
            LEAD("t"."as_of_date") OVER (PARTITION BY "t"."unit_id" ORDER BY "t"."as_of_date"),
            CAST('2026-01-06' AS DATE)
          ) AS "held_until"
        FROM "exp"."exp_a_unit_totals" AS "t"
        WHERE
          "t"."as_of_date" >= CAST('2026-01-03' AS DATE)
          AND "t"."as_of_date" <= CAST('2026-01-05' AS DATE)
      ) AS "r"
      JOIN (
        SELECT
          "d"."as_of_date"
        FROM (VALUES
          (CAST('2026-01-04' AS DATE)),
          (CAST('2026-01-05' AS DATE))) AS "d"("as_of_date")
      ) AS "d"
        ON "d"."as_of_date" >= "r"."held_from" AND "d"."as_of_date" < "r"."held_until"
    ) AS "none"
    WHERE
      FALSE
  ) AS "p7"
    ON "p7"."unit_id" = "t"."unit_id"
    AND "p7"."as_of_date" = "t"."as_of_date" - INTERVAL '7 DAY'
  WHERE
    "t"."as_of_date" >= CAST('2026-01-04' AS DATE)
    AND "t"."as_of_date" < CAST('2026-01-06' AS DATE)
    AND (
      "x"."since" IS NULL OR "x"."since" > "t"."as_of_date"
    )
), "caps" AS (
  SELECT
    "w"."as_of_date",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY
      "w"."v_revenue") AS "v_revenue_lower",
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY
      "w"."v_revenue") AS "v_revenue_upper",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY
      "w"."v1_revenue") AS "v1_revenue_lower",
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY
      "w"."v1_revenue") AS "v1_revenue_upper",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY
      "w"."v7_revenue") AS "v7_revenue_lower",
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY
      "w"."v7_revenue") AS "v7_revenue_upper",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY
      "w"."x_revenue") AS "x_revenue_lower",
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY
      "w"."x_revenue") AS "x_revenue_upper"
  FROM "wide" AS "w"
  GROUP BY
    "w"."as_of_date"
)
SELECT
  "w"."as_of_date",
  "w"."variant" AS "variant",
  COALESCE(CAST("w"."country" AS VARCHAR), '(null)') AS "dv_0",
  "w"."first_exposure_date" AS "first_exposure_date",
  COUNT(*) AS "n",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    )
  ) AS "s__v_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    )
  ) AS "s__v_revenue__v_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__x_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__x_revenue__x_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v_revenue__x_revenue",
  SUM("w"."v_orders") AS "s__v_orders",
  SUM("w"."v_orders" * "w"."v_orders") AS "s__v_orders__v_orders",
  SUM("w"."x_orders") AS "s__x_orders",
  SUM("w"."x_orders" * "w"."x_orders") AS "s__x_orders__x_orders",
  SUM("w"."v_orders" * "w"."x_orders") AS "s__v_orders__x_orders",
  SUM("w"."v_purchased") AS "s__v_purchased",
  SUM("w"."v_purchased" * "w"."v_purchased") AS "s__v_purchased__v_purchased",
  SUM("w"."x_purchased") AS "s__x_purchased",
  SUM("w"."x_purchased" * "w"."x_purchased") AS "s__x_purchased__x_purchased",
  SUM("w"."v_purchased" * "w"."x_purchased") AS "s__v_purchased__x_purchased",
  SUM("w"."v_big_orders") AS "s__v_big_orders",
  SUM("w"."v_big_orders" * "w"."v_big_orders") AS "s__v_big_orders__v_big_orders",
  SUM("w"."x_big_orders") AS "s__x_big_orders",
  SUM("w"."x_big_orders" * "w"."x_big_orders") AS "s__x_big_orders__x_big_orders",
  SUM("w"."v_big_orders" * "w"."x_big_orders") AS "s__v_big_orders__x_big_orders",
  SUM("w"."v_views") AS "s__v_views",
  SUM("w"."v_views" * "w"."v_views") AS "s__v_views__v_views",
  SUM("w"."x_views") AS "s__x_views",
  SUM("w"."x_views" * "w"."x_views") AS "s__x_views__x_views",
  SUM("w"."v_views" * "w"."x_views") AS "s__v_views__x_views",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    ) * "w"."v_orders"
  ) AS "s__v_revenue__v_orders",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        ),
        "k"."v_revenue_upper"
      ),
      COALESCE(
        "k"."v_revenue_upper",
        GREATEST(
          COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
          COALESCE("k"."v_revenue_lower", "w"."v_revenue")
        )
      )
    ) * "w"."x_orders"
  ) AS "s__v_revenue__x_orders",
  SUM(
    "w"."v_orders" * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v_orders__x_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    ) * "w"."x_orders"
  ) AS "s__x_revenue__x_orders",
  SUM(CASE WHEN "w"."v_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v_orders",
  SUM("w"."v_orders" * "w"."v_views") AS "s__v_orders__v_views",
  SUM("w"."v_orders" * "w"."x_views") AS "s__v_orders__x_views",
  SUM("w"."v_views" * "w"."x_orders") AS "s__v_views__x_orders",
  SUM("w"."x_orders" * "w"."x_views") AS "s__x_orders__x_views",
  SUM(CASE WHEN "w"."v_views" <> 0 THEN 1 ELSE 0 END) AS "n__v_views",
  SUM("w"."v_orders_first_2d") AS "s__v_orders_first_2d",
  SUM("w"."v_orders_first_2d" * "w"."v_orders_first_2d") AS "s__v_orders_first_2d__v_orders_first_2d",
  SUM("w"."x_orders_first_2d") AS "s__x_orders_first_2d",
  SUM("w"."x_orders_first_2d" * "w"."x_orders_first_2d") AS "s__x_orders_first_2d__x_orders_first_2d",
  SUM("w"."v_orders_first_2d" * "w"."x_orders_first_2d") AS "s__v_orders_first_2d__x_orders_first_2d",
  SUM("w"."v_revenue_hours_6_to_30") AS "s__v_revenue_hours_6_to_30",
  SUM("w"."v_revenue_hours_6_to_30" * "w"."v_revenue_hours_6_to_30") AS "s__v_revenue_hours_6_to_30__v_revenue_hours_6_to_30",
  SUM("w"."x_revenue_hours_6_to_30") AS "s__x_revenue_hours_6_to_30",
  SUM("w"."x_revenue_hours_6_to_30" * "w"."x_revenue_hours_6_to_30") AS "s__x_revenue_hours_6_to_30__x_revenue_hours_6_to_30",
  SUM("w"."v_revenue_hours_6_to_30" * "w"."x_revenue_hours_6_to_30") AS "s__v_revenue_hours_6_to_30__x_revenue_hours_6_to_30",
  SUM("w"."v_shop_funnel__view") AS "s__v_shop_funnel__view",
  SUM("w"."v_shop_funnel__view" * "w"."v_shop_funnel__view") AS "s__v_shop_funnel__view__v_shop_funnel__view",
  SUM("w"."v_shop_funnel__order") AS "s__v_shop_funnel__order",
  SUM("w"."v_shop_funnel__order" * "w"."v_shop_funnel__order") AS "s__v_shop_funnel__order__v_shop_funnel__order",
  SUM("w"."v_shop_funnel__big") AS "s__v_shop_funnel__big",
  SUM("w"."v_shop_funnel__big" * "w"."v_shop_funnel__big") AS "s__v_shop_funnel__big__v_shop_funnel__big",
  SUM("w"."v_shop_funnel__order" * "w"."v_shop_funnel__view") AS "s__v_shop_funnel__order__v_shop_funnel__view",
  SUM(CASE WHEN "w"."v_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS "n__v_shop_funnel__view",
  SUM("w"."v_shop_funnel__big" * "w"."v_shop_funnel__order") AS "s__v_shop_funnel__big__v_shop_funnel__order",
  SUM(CASE WHEN "w"."v_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS "n__v_shop_funnel__order",
  SUM("w"."v_order_after_exposure__order") AS "s__v_order_after_exposure__order",
  SUM("w"."v_order_after_exposure__order" * "w"."v_order_after_exposure__order") AS "s__v_order_after_exposure__order__v_order_after_exposure__order",
  SUM("w"."v_order_after_exposure__second_view") AS "s__v_order_after_exposure__second_view",
  SUM(
    "w"."v_order_after_exposure__second_view" * "w"."v_order_after_exposure__second_view"
  ) AS "s__v_order_after_exposure__second_view__v_order_after_exposure__second_view",
  SUM("w"."v_order_after_exposure__second_view" * "w"."v_order_after_exposure__order") AS "s__v_order_after_exposure__second_view__v_order_after_exposure__order",
  SUM(CASE WHEN "w"."v_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS "n__v_order_after_exposure__order",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    )
  ) AS "s__v1_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    )
  ) AS "s__v1_revenue__v1_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v1_revenue__x_revenue",
  SUM("w"."v1_orders") AS "s__v1_orders",
  SUM("w"."v1_orders" * "w"."v1_orders") AS "s__v1_orders__v1_orders",
  SUM("w"."v1_orders" * "w"."x_orders") AS "s__v1_orders__x_orders",
  SUM("w"."v1_purchased") AS "s__v1_purchased",
  SUM("w"."v1_purchased" * "w"."v1_purchased") AS "s__v1_purchased__v1_purchased",
  SUM("w"."v1_purchased" * "w"."x_purchased") AS "s__v1_purchased__x_purchased",
  SUM("w"."v1_big_orders") AS "s__v1_big_orders",
  SUM("w"."v1_big_orders" * "w"."v1_big_orders") AS "s__v1_big_orders__v1_big_orders",
  SUM("w"."v1_big_orders" * "w"."x_big_orders") AS "s__v1_big_orders__x_big_orders",
  SUM("w"."v1_views") AS "s__v1_views",
  SUM("w"."v1_views" * "w"."v1_views") AS "s__v1_views__v1_views",
  SUM("w"."v1_views" * "w"."x_views") AS "s__v1_views__x_views",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    ) * "w"."v1_orders"
  ) AS "s__v1_revenue__v1_orders",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        ),
        "k"."v1_revenue_upper"
      ),
      COALESCE(
        "k"."v1_revenue_upper",
        GREATEST(
          COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
          COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
        )
      )
    ) * "w"."x_orders"
  ) AS "s__v1_revenue__x_orders",
  SUM(
    "w"."v1_orders" * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v1_orders__x_revenue",
  SUM(CASE WHEN "w"."v1_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v1_orders",
  SUM("w"."v1_orders" * "w"."v1_views") AS "s__v1_orders__v1_views",
  SUM("w"."v1_orders" * "w"."x_views") AS "s__v1_orders__x_views",
  SUM("w"."v1_views" * "w"."x_orders") AS "s__v1_views__x_orders",
  SUM(CASE WHEN "w"."v1_views" <> 0 THEN 1 ELSE 0 END) AS "n__v1_views",
  SUM("w"."v1_orders_first_2d") AS "s__v1_orders_first_2d",
  SUM("w"."v1_orders_first_2d" * "w"."v1_orders_first_2d") AS "s__v1_orders_first_2d__v1_orders_first_2d",
  SUM("w"."v1_orders_first_2d" * "w"."x_orders_first_2d") AS "s__v1_orders_first_2d__x_orders_first_2d",
  SUM("w"."v1_revenue_hours_6_to_30") AS "s__v1_revenue_hours_6_to_30",
  SUM("w"."v1_revenue_hours_6_to_30" * "w"."v1_revenue_hours_6_to_30") AS "s__v1_revenue_hours_6_to_30__v1_revenue_hours_6_to_30",
  SUM("w"."v1_revenue_hours_6_to_30" * "w"."x_revenue_hours_6_to_30") AS "s__v1_revenue_hours_6_to_30__x_revenue_hours_6_to_30",
  SUM("w"."v1_shop_funnel__view") AS "s__v1_shop_funnel__view",
  SUM("w"."v1_shop_funnel__view" * "w"."v1_shop_funnel__view") AS "s__v1_shop_funnel__view__v1_shop_funnel__view",
  SUM("w"."v1_shop_funnel__order") AS "s__v1_shop_funnel__order",
  SUM("w"."v1_shop_funnel__order" * "w"."v1_shop_funnel__order") AS "s__v1_shop_funnel__order__v1_shop_funnel__order",
  SUM("w"."v1_shop_funnel__big") AS "s__v1_shop_funnel__big",
  SUM("w"."v1_shop_funnel__big" * "w"."v1_shop_funnel__big") AS "s__v1_shop_funnel__big__v1_shop_funnel__big",
  SUM("w"."v1_shop_funnel__order" * "w"."v1_shop_funnel__view") AS "s__v1_shop_funnel__order__v1_shop_funnel__view",
  SUM(CASE WHEN "w"."v1_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS "n__v1_shop_funnel__view",
  SUM("w"."v1_shop_funnel__big" * "w"."v1_shop_funnel__order") AS "s__v1_shop_funnel__big__v1_shop_funnel__order",
  SUM(CASE WHEN "w"."v1_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS "n__v1_shop_funnel__order",
  SUM("w"."v1_order_after_exposure__order") AS "s__v1_order_after_exposure__order",
  SUM("w"."v1_order_after_exposure__order" * "w"."v1_order_after_exposure__order") AS "s__v1_order_after_exposure__order__v1_order_after_exposure__order",
  SUM("w"."v1_order_after_exposure__second_view") AS "s__v1_order_after_exposure__second_view",
  SUM(
    "w"."v1_order_after_exposure__second_view" * "w"."v1_order_after_exposure__second_view"
  ) AS "s__v1_order_after_exposure__second_view__v1_order_after_exposure__second_view",
  SUM(
    "w"."v1_order_after_exposure__second_view" * "w"."v1_order_after_exposure__order"
  ) AS "s__v1_order_after_exposure__second_view__v1_order_after_exposure__order",
  SUM(CASE WHEN "w"."v1_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS "n__v1_order_after_exposure__order",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    )
  ) AS "s__v7_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    )
  ) AS "s__v7_revenue__v7_revenue",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    ) * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v7_revenue__x_revenue",
  SUM("w"."v7_orders") AS "s__v7_orders",
  SUM("w"."v7_orders" * "w"."v7_orders") AS "s__v7_orders__v7_orders",
  SUM("w"."v7_orders" * "w"."x_orders") AS "s__v7_orders__x_orders",
  SUM("w"."v7_purchased") AS "s__v7_purchased",
  SUM("w"."v7_purchased" * "w"."v7_purchased") AS "s__v7_purchased__v7_purchased",
  SUM("w"."v7_purchased" * "w"."x_purchased") AS "s__v7_purchased__x_purchased",
  SUM("w"."v7_big_orders") AS "s__v7_big_orders",
  SUM("w"."v7_big_orders" * "w"."v7_big_orders") AS "s__v7_big_orders__v7_big_orders",
  SUM("w"."v7_big_orders" * "w"."x_big_orders") AS "s__v7_big_orders__x_big_orders",
  SUM("w"."v7_views") AS "s__v7_views",
  SUM("w"."v7_views" * "w"."v7_views") AS "s__v7_views__v7_views",
  SUM("w"."v7_views" * "w"."x_views") AS "s__v7_views__x_views",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    ) * "w"."v7_orders"
  ) AS "s__v7_revenue__v7_orders",
  SUM(
    LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        ),
        "k"."v7_revenue_upper"
      ),
      COALESCE(
        "k"."v7_revenue_upper",
        GREATEST(
          COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
          COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
        )
      )
    ) * "w"."x_orders"
  ) AS "s__v7_revenue__x_orders",
  SUM(
    "w"."v7_orders" * LEAST(
      COALESCE(
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        ),
        "k"."x_revenue_upper"
      ),
      COALESCE(
        "k"."x_revenue_upper",
        GREATEST(
          COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
          COALESCE("k"."x_revenue_lower", "w"."x_revenue")
        )
      )
    )
  ) AS "s__v7_orders__x_revenue",
  SUM(CASE WHEN "w"."v7_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v7_orders",
  SUM("w"."v7_orders" * "w"."v7_views") AS "s__v7_orders__v7_views",
  SUM("w"."v7_orders" * "w"."x_views") AS "s__v7_orders__x_views",
  SUM("w"."v7_views" * "w"."x_orders") AS "s__v7_views__x_orders",
  SUM(CASE WHEN "w"."v7_views" <> 0 THEN 1 ELSE 0 END) AS "n__v7_views",
  SUM("w"."v7_orders_first_2d") AS "s__v7_orders_first_2d",
  SUM("w"."v7_orders_first_2d" * "w"."v7_orders_first_2d") AS "s__v7_orders_first_2d__v7_orders_first_2d",
  SUM("w"."v7_orders_first_2d" * "w"."x_orders_first_2d") AS "s__v7_orders_first_2d__x_orders_first_2d",
  SUM("w"."v7_revenue_hours_6_to_30") AS "s__v7_revenue_hours_6_to_30",
  SUM("w"."v7_revenue_hours_6_to_30" * "w"."v7_revenue_hours_6_to_30") AS "s__v7_revenue_hours_6_to_30__v7_revenue_hours_6_to_30",
  SUM("w"."v7_revenue_hours_6_to_30" * "w"."x_revenue_hours_6_to_30") AS "s__v7_revenue_hours_6_to_30__x_revenue_hours_6_to_30",
  SUM("w"."v7_shop_funnel__view") AS "s__v7_shop_funnel__view",
  SUM("w"."v7_shop_funnel__view" * "w"."v7_shop_funnel__view") AS "s__v7_shop_funnel__view__v7_shop_funnel__view",
  SUM("w"."v7_shop_funnel__order") AS "s__v7_shop_funnel__order",
  SUM("w"."v7_shop_funnel__order" * "w"."v7_shop_funnel__order") AS "s__v7_shop_funnel__order__v7_shop_funnel__order",
  SUM("w"."v7_shop_funnel__big") AS "s__v7_shop_funnel__big",
  SUM("w"."v7_shop_funnel__big" * "w"."v7_shop_funnel__big") AS "s__v7_shop_funnel__big__v7_shop_funnel__big",
  SUM("w"."v7_shop_funnel__order" * "w"."v7_shop_funnel__view") AS "s__v7_shop_funnel__order__v7_shop_funnel__view",
  SUM(CASE WHEN "w"."v7_shop_funnel__view" <> 0 THEN 1 ELSE 0 END) AS "n__v7_shop_funnel__view",
  SUM("w"."v7_shop_funnel__big" * "w"."v7_shop_funnel__order") AS "s__v7_shop_funnel__big__v7_shop_funnel__order",
  SUM(CASE WHEN "w"."v7_shop_funnel__order" <> 0 THEN 1 ELSE 0 END) AS "n__v7_shop_funnel__order",
  SUM("w"."v7_order_after_exposure__order") AS "s__v7_order_after_exposure__order",
  SUM("w"."v7_order_after_exposure__order" * "w"."v7_order_after_exposure__order") AS "s__v7_order_after_exposure__order__v7_order_after_exposure__order",
  SUM("w"."v7_order_after_exposure__second_view") AS "s__v7_order_after_exposure__second_view",
  SUM(
    "w"."v7_order_after_exposure__second_view" * "w"."v7_order_after_exposure__second_view"
  ) AS "s__v7_order_after_exposure__second_view__v7_order_after_exposure__second_view",
  SUM(
    "w"."v7_order_after_exposure__second_view" * "w"."v7_order_after_exposure__order"
  ) AS "s__v7_order_after_exposure__second_view__v7_order_after_exposure__order",
  SUM(CASE WHEN "w"."v7_order_after_exposure__order" <> 0 THEN 1 ELSE 0 END) AS "n__v7_order_after_exposure__order",
  SUM(
    CASE
      WHEN LEAST(
        COALESCE(
          GREATEST(
            COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
            COALESCE("k"."v_revenue_lower", "w"."v_revenue")
          ),
          "k"."v_revenue_upper"
        ),
        COALESCE(
          "k"."v_revenue_upper",
          GREATEST(
            COALESCE("w"."v_revenue", "k"."v_revenue_lower"),
            COALESCE("k"."v_revenue_lower", "w"."v_revenue")
          )
        )
      ) <> 0
      THEN 1
      ELSE 0
    END
  ) AS "n__v_revenue",
  SUM(
    CASE
      WHEN LEAST(
        COALESCE(
          GREATEST(
            COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
            COALESCE("k"."x_revenue_lower", "w"."x_revenue")
          ),
          "k"."x_revenue_upper"
        ),
        COALESCE(
          "k"."x_revenue_upper",
          GREATEST(
            COALESCE("w"."x_revenue", "k"."x_revenue_lower"),
            COALESCE("k"."x_revenue_lower", "w"."x_revenue")
          )
        )
      ) <> 0
      THEN 1
      ELSE 0
    END
  ) AS "n__x_revenue",
  SUM(CASE WHEN "w"."x_orders" <> 0 THEN 1 ELSE 0 END) AS "n__x_orders",
  SUM(CASE WHEN "w"."v_purchased" <> 0 THEN 1 ELSE 0 END) AS "n__v_purchased",
  SUM(CASE WHEN "w"."x_purchased" <> 0 THEN 1 ELSE 0 END) AS "n__x_purchased",
  SUM(CASE WHEN "w"."v_big_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v_big_orders",
  SUM(CASE WHEN "w"."x_big_orders" <> 0 THEN 1 ELSE 0 END) AS "n__x_big_orders",
  SUM(CASE WHEN "w"."x_views" <> 0 THEN 1 ELSE 0 END) AS "n__x_views",
  SUM(CASE WHEN "w"."v_orders_first_2d" <> 0 THEN 1 ELSE 0 END) AS "n__v_orders_first_2d",
  SUM(CASE WHEN "w"."x_orders_first_2d" <> 0 THEN 1 ELSE 0 END) AS "n__x_orders_first_2d",
  SUM(CASE WHEN "w"."v_revenue_hours_6_to_30" <> 0 THEN 1 ELSE 0 END) AS "n__v_revenue_hours_6_to_30",
  SUM(CASE WHEN "w"."x_revenue_hours_6_to_30" <> 0 THEN 1 ELSE 0 END) AS "n__x_revenue_hours_6_to_30",
  SUM(CASE WHEN "w"."v_shop_funnel__big" <> 0 THEN 1 ELSE 0 END) AS "n__v_shop_funnel__big",
  SUM(CASE WHEN "w"."v_order_after_exposure__second_view" <> 0 THEN 1 ELSE 0 END) AS "n__v_order_after_exposure__second_view",
  SUM(
    CASE
      WHEN LEAST(
        COALESCE(
          GREATEST(
            COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
            COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
          ),
          "k"."v1_revenue_upper"
        ),
        COALESCE(
          "k"."v1_revenue_upper",
          GREATEST(
            COALESCE("w"."v1_revenue", "k"."v1_revenue_lower"),
            COALESCE("k"."v1_revenue_lower", "w"."v1_revenue")
          )
        )
      ) <> 0
      THEN 1
      ELSE 0
    END
  ) AS "n__v1_revenue",
  SUM(CASE WHEN "w"."v1_purchased" <> 0 THEN 1 ELSE 0 END) AS "n__v1_purchased",
  SUM(CASE WHEN "w"."v1_big_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v1_big_orders",
  SUM(CASE WHEN "w"."v1_orders_first_2d" <> 0 THEN 1 ELSE 0 END) AS "n__v1_orders_first_2d",
  SUM(CASE WHEN "w"."v1_revenue_hours_6_to_30" <> 0 THEN 1 ELSE 0 END) AS "n__v1_revenue_hours_6_to_30",
  SUM(CASE WHEN "w"."v1_shop_funnel__big" <> 0 THEN 1 ELSE 0 END) AS "n__v1_shop_funnel__big",
  SUM(CASE WHEN "w"."v1_order_after_exposure__second_view" <> 0 THEN 1 ELSE 0 END) AS "n__v1_order_after_exposure__second_view",
  SUM(
    CASE
      WHEN LEAST(
        COALESCE(
          GREATEST(
            COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
            COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
          ),
          "k"."v7_revenue_upper"
        ),
        COALESCE(
          "k"."v7_revenue_upper",
          GREATEST(
            COALESCE("w"."v7_revenue", "k"."v7_revenue_lower"),
            COALESCE("k"."v7_revenue_lower", "w"."v7_revenue")
          )
        )
      ) <> 0
      THEN 1
      ELSE 0
    END
  ) AS "n__v7_revenue",
  SUM(CASE WHEN "w"."v7_purchased" <> 0 THEN 1 ELSE 0 END) AS "n__v7_purchased",
  SUM(CASE WHEN "w"."v7_big_orders" <> 0 THEN 1 ELSE 0 END) AS "n__v7_big_orders",
  SUM(CASE WHEN "w"."v7_orders_first_2d" <> 0 THEN 1 ELSE 0 END) AS "n__v7_orders_first_2d",
  SUM(CASE WHEN "w"."v7_revenue_hours_6_to_30" <> 0 THEN 1 ELSE 0 END) AS "n__v7_revenue_hours_6_to_30",
  SUM(CASE WHEN "w"."v7_shop_funnel__big" <> 0 THEN 1 ELSE 0 END) AS "n__v7_shop_funnel__big",
  SUM(CASE WHEN "w"."v7_order_after_exposure__second_view" <> 0 THEN 1 ELSE 0 END) AS "n__v7_order_after_exposure__second_view",
  SUM("w"."v_revenue") AS "us__v_revenue",
  SUM("w"."v_revenue" * "w"."v_revenue") AS "us__v_revenue__v_revenue",
  SUM("w"."x_revenue") AS "us__x_revenue",
  SUM("w"."x_revenue" * "w"."x_revenue") AS "us__x_revenue__x_revenue",
  SUM("w"."v_revenue" * "w"."x_revenue") AS "us__v_revenue__x_revenue",
  SUM("w"."v_revenue" * "w"."v_orders") AS "us__v_revenue__v_orders",
  SUM("w"."v_revenue" * "w"."x_orders") AS "us__v_revenue__x_orders",
  SUM("w"."v_orders" * "w"."x_revenue") AS "us__v_orders__x_revenue",
  SUM("w"."x_revenue" * "w"."x_orders") AS "us__x_revenue__x_orders",
  SUM("w"."v1_revenue") AS "us__v1_revenue",
  SUM("w"."v1_revenue" * "w"."v1_revenue") AS "us__v1_revenue__v1_revenue",
  SUM("w"."v1_revenue" * "w"."x_revenue") AS "us__v1_revenue__x_revenue",
  SUM("w"."v1_revenue" * "w"."v1_orders") AS "us__v1_revenue__v1_orders",
  SUM("w"."v1_revenue" * "w"."x_orders") AS "us__v1_revenue__x_orders",
  SUM("w"."v1_orders" * "w"."x_revenue") AS "us__v1_orders__x_revenue",
  SUM("w"."v7_revenue") AS "us__v7_revenue",
  SUM("w"."v7_revenue" * "w"."v7_revenue") AS "us__v7_revenue__v7_revenue",
  SUM("w"."v7_revenue" * "w"."x_revenue") AS "us__v7_revenue__x_revenue",
  SUM("w"."v7_revenue" * "w"."v7_orders") AS "us__v7_revenue__v7_orders",
  SUM("w"."v7_revenue" * "w"."x_orders") AS "us__v7_revenue__x_orders",
  SUM("w"."v7_orders" * "w"."x_revenue") AS "us__v7_orders__x_revenue",
  SUM(CASE WHEN "w"."v_revenue" <> 0 THEN 1 ELSE 0 END) AS "un__v_revenue",
  SUM(CASE WHEN "w"."x_revenue" <> 0 THEN 1 ELSE 0 END) AS "un__x_revenue",
  SUM(CASE WHEN "w"."v1_revenue" <> 0 THEN 1 ELSE 0 END) AS "un__v1_revenue",
  SUM(CASE WHEN "w"."v7_revenue" <> 0 THEN 1 ELSE 0 END) AS "un__v7_revenue",
  MAX("k"."v_revenue_lower") AS "v_revenue_lower",
  MAX("k"."v_revenue_upper") AS "v_revenue_upper",
  MAX("k"."v1_revenue_lower") AS "v1_revenue_lower",
  MAX("k"."v1_revenue_upper") AS "v1_revenue_upper",
  MAX("k"."v7_revenue_lower") AS "v7_revenue_lower",
  MAX("k"."v7_revenue_upper") AS "v7_revenue_upper",
  MAX("k"."x_revenue_lower") AS "x_revenue_lower",
  MAX("k"."x_revenue_upper") AS "x_revenue_upper"
FROM "wide" AS "w"
JOIN "caps" AS "k"
  ON "k"."as_of_date" = "w"."as_of_date"
GROUP BY
  "w"."as_of_date",
  "w"."variant",
  COALESCE(CAST("w"."country" AS VARCHAR), '(null)'),
  "w"."first_exposure_date"
