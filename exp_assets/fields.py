"""Building blocks of the config models: names, columns, strict models, and
errors that name the field to change. Shared by config/schema.py and the metric
kinds' config models (exp_assets/metrics/kinds/), so it lies below both: the
config imports the kinds, and the kinds import nothing of the config."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

# Names that become asset keys and table names: Dagster asset keys and unquoted
# warehouse identifiers both accept exactly this.
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
# Column names of the user's tables: anything non-empty; the SQL builder quotes them.
Column = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00]*$")]


# A metric's desired direction (presentation only: left out of code versions).
HigherIsBetter = Annotated[bool, Field(
    description="the metric's desired direction: the report colours a significant rise green when true, red when false")]


class FieldErrors(ValueError):
    """Problems a model validator finds, each at one of the model's fields
    (`field` may go deeper: "steps[1].name"): a rule that compares fields runs
    on the whole model, but the error must name the field to change."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))


def raise_problems(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise FieldErrors(problems)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Winsorize(Strict):
    """Cap unit-level values at pooled percentiles (fractions in (0, 1)) of each results day."""

    lower: float | None = Field(None, gt=0, lt=1)
    upper: float | None = Field(None, gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self):
        if self.lower is None and self.upper is None:
            raise ValueError("give 'lower' and/or 'upper'")
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise FieldErrors([("lower", f"lower ({self.lower}) must be below upper ({self.upper})")])
        return self


# Metric and funnel windows, in their unit: the warehouse's intervals overflow
# far beyond any real window (100 years of hours).
MAX_WINDOW = 876_000


class MetricWindow(Strict):
    """Count only events in [start, end) after the unit's first exposure."""

    start: StrictInt = Field(0, ge=0, le=MAX_WINDOW)
    end: StrictInt = Field(gt=0, le=MAX_WINDOW)
    unit: Literal["hours", "days"] = "days"

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise FieldErrors([("end", f"end ({self.end}) must be after start ({self.start})")])
        return self

    @property
    def start_hours(self) -> int:
        return self.start * (24 if self.unit == "days" else 1)

    @property
    def end_hours(self) -> int:
        return self.end * (24 if self.unit == "days" else 1)
