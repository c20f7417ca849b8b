from exp_assets.assets.factory import EXPERIMENT_TAG, experiment_definitions, job_name, partitions_for

__all__ = ["experiment_definitions", "job_name", "partitions_for"]
