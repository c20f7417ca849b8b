from exp_assets.automation.schedule import daily_schedule
from exp_assets.automation.sensor import new_data_sensor

__all__ = ["daily_schedule", "new_data_sensor"]
