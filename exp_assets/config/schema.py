"""The YAML schema as pydantic models: shapes and per-field rules only.

Rules that span sections (references between sources, metrics and
experiments) live in `references.py`, so each error can name its own path.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, ClassVar, Literal, Union

from pydantic import Field, StrictInt, StringConstraints, model_serializer, model_validator

from exp_assets.fields import Column, FieldErrors, Name, Strict as _Strict, raise_problems as _raise
from exp_assets.metrics import AnyMetric, MetricConfig
from exp_assets.stats.options import DEFAULT_MIN_UNITS

class DuckDBConfig(_Strict):
    type: Literal["duckdb"]
    database: str = Field(description="DuckDB file; a relative path is relative to the working directory")
    output_schema: Name = "exp"
    lock_timeout: float = Field(120.0, ge=0, description="seconds a run waits in all while another process holds the file")


# Credentials never live in the YAML: the YAML names the environment variables
# that hold them (read through dagster.EnvVar when the resource is built).
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]

# The Dagster group (and asset key prefix) of the facts shared across experiments
# (exp_assets.shared_facts): no experiment may take it as its id.
SHARED_FACTS_GROUP = "shared_facts"


class SnowflakeConfig(_Strict):
    """Snowflake through dagster-snowflake's SnowflakeResource. Each *_env field
    names an environment variable; optional ones are used only when set."""

    type: Literal["snowflake"]
    database: str = Field(min_length=1, description="database holding output_schema (and unqualified sources)")
    output_schema: Name = "exp"
    account_env: EnvName = "SNOWFLAKE_ACCOUNT"
    user_env: EnvName = "SNOWFLAKE_USER"
    password_env: EnvName = "SNOWFLAKE_PASSWORD"
    private_key_path_env: EnvName = "SNOWFLAKE_PRIVATE_KEY_PATH"
    role_env: EnvName = "SNOWFLAKE_ROLE"
    warehouse_env: EnvName = "SNOWFLAKE_WAREHOUSE"
    host_env: EnvName = "SNOWFLAKE_HOST"
    port_env: EnvName = "SNOWFLAKE_PORT"
    protocol_env: EnvName = "SNOWFLAKE_PROTOCOL"


class BigQueryConfig(_Strict):
    """BigQuery through dagster-gcp's BigQueryResource; output_schema is the dataset.
    Without credentials_env set, Google's application default credentials apply."""

    type: Literal["bigquery"]
    output_schema: Name = "exp"
    location: str | None = Field(None, description="dataset and job location, e.g. US or EU")
    project_env: EnvName = "BIGQUERY_PROJECT"
    credentials_env: EnvName = "BIGQUERY_CREDENTIALS_BASE64"
    endpoint_env: EnvName = "BIGQUERY_ENDPOINT"


WarehouseConfig = Annotated[
    Union[DuckDBConfig, SnowflakeConfig, BigQueryConfig], Field(discriminator="type")
]


class _Source(_Strict):
    """A table or a single SELECT, with the columns the pipeline reads."""

    table: str | None = None
    sql: str | None = None
    unit_id: Column
    timestamp: Column
    # fields that change how the source is read, not what the tables hold from it
    HOW_READ: ClassVar[frozenset[str]] = frozenset()

    def definition(self) -> dict:
        """The fields the tables built from the source depend on (their code
        versions): switching one of HOW_READ rebuilds nothing."""
        return self.model_dump(exclude=set(self.HOW_READ))

    @model_validator(mode="after")
    def _table_or_sql(self):
        if (self.table is None) == (self.sql is None):
            raise ValueError("give exactly one of 'table' or 'sql'")
        return self


class AssignmentSource(_Source):
    kind: Literal["assignments"]
    experiment_id: Column
    variant: Column
    dimensions: list[Column] = []


class FactSource(_Source):
    kind: Literal["facts"]
    shared_facts: bool = Field(
        False, description="build one table of the source's facts per unit, day and part of the day "
                           "(source_days_<source>) that every experiment on it merges its unit-day rows from, "
                           "so experiments updated together read each day once")
    HOW_READ: ClassVar[frozenset[str]] = frozenset({"shared_facts"})


Source = Annotated[Union[AssignmentSource, FactSource], Field(discriminator="kind")]


class Cuped(_Strict):
    enabled: bool = True
    lookback_days: StrictInt = Field(14, ge=1, le=365)
    covariates: Literal["metric", "all"] = Field(
        "metric", description="metric: each metric's own pre-exposure value; all: every event metric's pre-exposure "
                              "value and the exposure dimensions (CUPED++), for the overall rows of mean metrics")

    @model_validator(mode="after")
    def _covariates_need_cuped(self):
        if self.covariates == "all" and not self.enabled:
            raise FieldErrors([("covariates", "covariates: all needs enabled: true (it adds covariates to CUPED)")])
        return self

    @model_serializer(mode="wrap")
    def _without_default_covariates(self, handler):
        # the default leaves the dump (and so every code version) as it was before the option
        dumped = handler(self)
        if dumped.get("covariates") == "metric":
            del dumped["covariates"]
        return dumped


class Refresh(_Strict):
    lookback_days: StrictInt = Field(2, ge=0, le=90, description="days before the newest the schedule re-runs")
    late_data_days: StrictInt = Field(7, ge=1, le=90, description="how far back the sensor watches for late or updated rows")
    sensor_interval_seconds: StrictInt = Field(60, ge=30)
    snapshot_every_days: StrictInt = Field(
        1, ge=1, le=90, description="unit_totals holds every unit's row on every this many days from the start, "
                                    "and on the days between only the units whose totals changed (1: every day; "
                                    "more stores less and makes every read of all units' totals dearer)")
    snapshot_share: float = Field(
        0.5, gt=0, le=1, description="a day between those holds every unit's row too when at least this share "
                                     "of the units exposed by then changed that day")


class Checks(_Strict):
    """Thresholds of the health checks."""

    srm_p_value: float = Field(0.001, gt=0, lt=1)
    multiple_variant_warn_rate: float = Field(0.01, ge=0, le=1)
    multiple_variant_error_rate: float = Field(0.10, ge=0, le=1)
    balance_p_value: float = Field(0.001, gt=0, lt=1)

    @model_validator(mode="after")
    def _order(self):
        if self.multiple_variant_warn_rate > self.multiple_variant_error_rate:
            raise FieldErrors([("multiple_variant_warn_rate",
                                "multiple_variant_warn_rate must not exceed multiple_variant_error_rate")])
        return self


class Prior(_Strict):
    """Gaussian prior on the relative effect; no stddev means flat."""

    mean: float = Field(0.0, allow_inf_nan=False)
    stddev: float | None = Field(None, gt=0, allow_inf_nan=False)


# Experiment dates: with room for the CUPED lookback before the start and the day
# after the end (dates near 0001-01-01 or 9999-12-31 overflow).
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]


class Guardrail(_Strict):
    """A metric the treatment must not make worse by more than `margin`."""

    metric: Name
    margin: float = Field(gt=0, lt=1, description="relative non-inferiority margin: 0.02 tolerates a 2% loss "
                                                  "in the metric's direction (higher_is_better)")


class Experiment(_Strict):
    id: Name
    assignment_source: Name
    experiment_key: str | None = Field(
        None, description="value of the source's experiment_id column; defaults to id"
    )
    start_date: Day
    end_date: Day | None = None
    variants: dict[str, float]
    control: str
    metrics: list[Name] = Field(min_length=1)
    multiple_exposures: Literal["exclude", "first"] = "exclude"
    alpha: float = Field(0.05, gt=0, lt=1)
    cuped: Cuped = Cuped()
    engine: Literal["frequentist", "bayesian"] = "frequentist"
    sequential: bool = False
    sequential_tuning: float = Field(5000.0, gt=0, allow_inf_nan=False, description="GrowthBook's N*")
    correction: Literal["none", "bonferroni", "holm", "bh"] = "none"
    relative_interval: Literal["fieller", "delta"] = Field(
        "fieller", description="how the relative interval and the p-value are made consistent (README: Statistics)"
    )
    min_units_per_arm: StrictInt = Field(
        DEFAULT_MIN_UNITS, ge=2, description="fewest units per arm to compare (ratios: units with a nonzero denominator)"
    )
    prior: Prior = Prior()
    dimensions: list[Column] | None = Field(
        None, description="exposure dimensions to break results down by; default: all of the source's"
    )
    dimension_top_n: StrictInt = Field(20, ge=1, le=1000)
    refresh: Refresh = Refresh()
    checks: Checks = Checks()
    # metric roles (presentation: the recommendation and power, never a table's contents);
    # a metric named in neither is secondary
    goal_metrics: list[Name] = Field([], description="metrics the change is meant to improve (superiority tests)")
    guardrails: list[Guardrail] = Field([], description="metrics that must stay non-inferior, each with its margin")
    minimum_detectable_effect: float | None = Field(
        None, gt=0, allow_inf_nan=False,
        description="relative lift the goal metrics should detect: the report gives the days to 80% power for it",
    )

    @property
    def key(self) -> str:
        return self.experiment_key if self.experiment_key is not None else self.id

    @model_validator(mode="after")
    def _variants(self):
        variants = []
        if len(self.variants) < 2:
            variants.append("needs at least two variants")
        bad = [name for name, weight in self.variants.items() if not name or not weight > 0]
        if bad:
            variants.append(f"variants {bad} need a non-empty name and a weight > 0")
        total = sum(self.variants.values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            variants.append(f"variant weights sum to {total:g}, not 1")
        problems = [("variants", "; ".join(variants))] if variants else []
        if self.control not in self.variants:
            problems.append(("control", f"control {self.control!r} is not one of the variants {sorted(self.variants)}"))
        if self.sequential and self.engine == "bayesian":
            problems.append(("sequential", "sequential testing is frequentist; use it with engine: frequentist"))
        if self.end_date is not None and self.end_date < self.start_date:
            problems.append(("end_date", f"end_date {self.end_date} is before start_date {self.start_date}"))
        _raise(problems)
        return self

    @model_validator(mode="after")
    def _roles(self):
        problems, first = [], {}
        named = [(f"goal_metrics[{i}]", m) for i, m in enumerate(self.goal_metrics)]
        named += [(f"guardrails[{i}].metric", g.metric) for i, g in enumerate(self.guardrails)]
        for field, metric in named:
            if metric not in self.metrics:
                problems.append((field, f"{metric!r} is not one of the experiment's metrics {self.metrics}"))
            elif metric in first:
                problems.append((field, f"{metric!r} already has a role at {first[metric]}"))
            first.setdefault(metric, field)
        _raise(problems)
        return self

    def role(self, metric: str) -> str:
        """goal, guardrail or secondary."""
        if metric in self.goal_metrics:
            return "goal"
        return "guardrail" if any(g.metric == metric for g in self.guardrails) else "secondary"

    def margin(self, metric: str) -> float | None:
        return next((g.margin for g in self.guardrails if g.metric == metric), None)

    @property
    def treatments(self) -> list[str]:
        return [v for v in self.variants if v != self.control]


class ProjectConfig(_Strict):
    warehouse: WarehouseConfig
    sources: dict[Name, Source]
    metrics: list[AnyMetric]
    experiments: list[Experiment] = Field(min_length=1)

    def metric(self, name: str) -> MetricConfig:
        return next(m for m in self.metrics if m.name == name)

    def experiment(self, experiment_id: str) -> Experiment:
        for e in self.experiments:
            if e.id == experiment_id:
                return e
        raise KeyError(
            f"unknown experiment {experiment_id!r}; known: {', '.join(e.id for e in self.experiments)}"
        )
