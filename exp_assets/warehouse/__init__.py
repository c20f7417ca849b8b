"""Warehouse adapters: SQL inside the warehouse, one adapter per engine, no
Dagster (the Dagster resource of each engine, which hands out its adapter, is
in exp_assets.assets.resources)."""

from exp_assets.warehouse.base import Warehouse, WarehouseBusy, WriteReport
from exp_assets.warehouse.duckdb_warehouse import DuckDBWarehouse

__all__ = ["DuckDBWarehouse", "Warehouse", "WarehouseBusy", "WriteReport"]
