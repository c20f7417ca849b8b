"""Rules that span sections of the config: every reference resolves, names are
unique, and SQL fragments parse as what they claim to be."""

from __future__ import annotations

from exp_assets.config.schema import AssignmentSource, FactSource, FunnelMetric, ProjectConfig, RatioMetric
from exp_assets.config import fragments

Problem = tuple[str, str]  # (field path, what is wrong)


def find_problems(config: ProjectConfig) -> list[Problem]:
    dialect = config.warehouse.type
    problems: list[Problem] = []
    problems += _duplicates([m.name for m in config.metrics], "metrics", "metric name")
    problems += _duplicates([e.id for e in config.experiments], "experiments", "experiment id")

    readers = []  # sources that read the output schema
    output = config.warehouse.output_schema
    for name, source in config.sources.items():
        path = f"sources.{name}"
        try:
            tables = fragments.tables_read(source.table, source.sql, dialect)
        except ValueError as error:
            problems.append((f"{path}.{'table' if source.table is not None else 'sql'}", str(error)))
            continue
        # case-insensitive: DuckDB's names are, and unquoted Snowflake names fold to upper case
        readers += [f"{name} ({schema}.{table})" for schema, table in tables if schema.lower() == output.lower()][:1]
    if readers:
        problems.append(("warehouse.output_schema", f"output_schema {output!r} is also the schema of sources "
                         f"{', '.join(readers)}; it must differ from every source's schema, or the pipeline's "
                         "tables and ledger would be written among the sources"))

    metric_names = {m.name for m in config.metrics}
    composite = {m.name for m in config.metrics if isinstance(m, (RatioMetric, FunnelMetric))}
    for i, metric in enumerate(config.metrics):
        path = f"metrics[{i}]"
        if isinstance(metric, RatioMetric):
            for part in ("numerator", "denominator"):
                name = getattr(metric, part)
                if name not in metric_names:
                    problems.append((f"{path}.{part}", _unknown("metric", name, metric_names)))
                elif name in composite:
                    # keeps definitions acyclic: ratios are built from event metrics only
                    problems.append((f"{path}.{part}", f"{name!r} is a {config.metric(name).type}; a ratio's parts must be sum, count or proportion metrics"))
            continue
        if isinstance(metric, FunnelMetric):
            for j, step in enumerate(metric.steps):
                problems += _fact_source_problems(config, metric.name, step.source, step.filter, f"{path}.steps[{j}]")
            continue
        problems += _fact_source_problems(config, metric.name, metric.source, metric.filter, path)

    for i, experiment in enumerate(config.experiments):
        path = f"experiments[{i}]"
        source = config.sources.get(experiment.assignment_source)
        if source is None:
            problems.append(
                (f"{path}.assignment_source", _unknown("source", experiment.assignment_source, config.sources))
            )
        elif not isinstance(source, AssignmentSource):
            problems.append((f"{path}.assignment_source", f"{experiment.assignment_source!r} is not an assignments source"))
        problems += _duplicates(experiment.metrics, f"{path}.metrics", "metric")
        if isinstance(source, AssignmentSource):
            exposure_dimensions = experiment.dimensions if experiment.dimensions is not None else source.dimensions
            for name in experiment.metrics:
                metric = next((m for m in config.metrics if m.name == name), None)
                clash = set(getattr(metric, "dimensions", [])) & set(exposure_dimensions)
                if clash:
                    problems.append((f"{path}.metrics", f"metric {name!r} is broken down by {sorted(clash)}, which is "
                                     "also an exposure dimension of this experiment; rename one of them"))
            for j, dimension in enumerate(experiment.dimensions or []):
                if dimension not in source.dimensions:
                    problems.append((f"{path}.dimensions[{j}]", f"{dimension!r} is not a dimension of source "
                                     f"{experiment.assignment_source!r} ({', '.join(source.dimensions) or 'none'})"))
        for j, metric in enumerate(experiment.metrics):
            if metric not in metric_names:
                problems.append((f"{path}.metrics[{j}]", _unknown("metric", metric, metric_names)))
    return problems


def _fact_source_problems(config: ProjectConfig, metric: str, source_name: str, filter_sql: str | None,
                          path: str) -> list[Problem]:
    problems = []
    source = config.sources.get(source_name)
    if source is None:
        problems.append((f"{path}.source", _unknown("source", source_name, config.sources)))
    elif not isinstance(source, FactSource):
        problems.append((f"{path}.source", f"{source_name!r} is not a facts source"))
    if filter_sql is not None:
        try:
            fragments.parse_condition(filter_sql, config.warehouse.type)
        except ValueError as error:
            problems.append((f"{path}.filter", f"metric {metric!r}: {error}"))
    return problems


def _duplicates(names: list[str], path: str, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, name in enumerate(names):
        if name in seen:
            problems.append((f"{path}[{i}]", f"duplicate {what} {name!r} (first at {path}[{seen[name]}])"))
        seen.setdefault(name, i)
    return problems


def _unknown(what: str, name: str, known) -> str:
    return f"unknown {what} {name!r}; known: {', '.join(sorted(known)) or 'none'}"
