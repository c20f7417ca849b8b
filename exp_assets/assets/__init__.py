from exp_assets.assets.factory import EXPERIMENT_TAG, experiment_definitions, job_name, partitions_for, warehouse_pool

__all__ = ["EXPERIMENT_TAG", "experiment_definitions", "job_name", "partitions_for", "warehouse_pool"]
