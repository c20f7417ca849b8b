from exp_assets.config.loader import CONFIG_ENV_VAR, ConfigError, config_path, load_config, parse_config
from exp_assets.config.schema import (
    AssignmentSource,
    Experiment,
    FactSource,
    ProjectConfig,
)

__all__ = [
    "CONFIG_ENV_VAR", "ConfigError", "config_path", "load_config", "parse_config",
    "AssignmentSource", "Experiment", "FactSource", "ProjectConfig",
]
