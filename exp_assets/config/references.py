"""Rules that span sections of the config: every reference resolves, names are
unique, and SQL fragments parse as what they claim to be."""

from __future__ import annotations

from exp_assets.config import fragments
from exp_assets.config.schema import SHARED_FACTS_GROUP, AssignmentSource, FactSource, ProjectConfig
from exp_assets.metrics import KINDS, SOURCE, References, kind_of
from exp_assets.metrics.kind import Problem


def find_problems(config: ProjectConfig) -> list[Problem]:
    dialect = config.warehouse.type
    problems: list[Problem] = []
    problems += _duplicates([m.name for m in config.metrics], "metrics", "metric name")
    problems += _duplicates([e.id for e in config.experiments], "experiments", "experiment id")
    problems += [(f"experiments[{i}].id", f"experiment id {e.id!r} is reserved: the assets of the facts shared "
                  "across experiments are grouped under it; choose another id")
                 for i, e in enumerate(config.experiments) if e.id == SHARED_FACTS_GROUP]

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
    refs = _References(config)
    for i, metric in enumerate(config.metrics):
        problems += kind_of(metric).problems(metric, f"metrics[{i}]", refs)

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
                broken_down = kind_of(metric).dimensions(metric) if metric is not None else []
                clash = {d for _, d, _ in broken_down} & set(exposure_dimensions)
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


class _References(References):
    def __init__(self, config: ProjectConfig):
        self.config = config
        self.types: dict[str, str] = {}
        for m in config.metrics:
            self.types.setdefault(m.name, m.type)  # of the first, as config.metric(name)

    def metric_type(self, name: str) -> str | None:
        return self.types.get(name)

    def is_event_metric(self, name: str) -> bool:
        return name in self.types and KINDS[self.types[name]].state_from == SOURCE and KINDS[self.types[name]].additive

    def event_types(self) -> str:
        names = [k.type for k in KINDS.values() if k.state_from == SOURCE and k.additive]
        return " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))

    def unknown_metric(self, name: str) -> str:
        return _unknown("metric", name, self.types)

    def fact_source(self, metric: str, source: str, filter_sql: str | None, path: str) -> list[Problem]:
        return _fact_source_problems(self.config, metric, source, filter_sql, path)


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
