"""Facts shared across experiments: one table per fact source that asks for it
(`shared_facts: true`), `source_days_<source>`, that every experiment on the
source builds its unit-day rows from, so that a run of several experiments
reads the source's day once.

A row holds one unit's events of one day *part*: the day is cut at each time
that can be the unit's first exposure to one of the experiments sharing the
table (its earliest exposure of each day to each, in a configured variant) and
at each such time plus every window boundary of the source's metrics. An
experiment's unit-day row is then exactly the merge of the parts that start at
or after the unit's first exposure and inside each metric's window (every
boundary it needs is a cut), by each kind's `merged_day_columns`. What the
table holds depends on the experiments only through those cuts and through
which metrics' columns it holds.

Its partitions are written by the experiments' own runs (steps.user_level_aggregations):
a run reuses a partition written since the run was requested (`Warehouse.reuse_since`)
and rewrites an older one, so it never reads facts older than a run of its own
would have read."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

from exp_assets.artifacts import PRESENTATION_ONLY, Family, digest
from exp_assets.config.schema import SHARED_FACTS_GROUP, ProjectConfig
from exp_assets.metrics import kind_of
from exp_assets.plan import ExperimentPlan

GROUP = SHARED_FACTS_GROUP  # the Dagster group and asset key prefix of the shared tables

SOURCE_DAYS = Family(
    "source_days", "source_days_{}", "event_date", (),
    {"event_date": "The day of the events (the partition).", "unit_id": "The unit (the fact source's unit_id).",
     "part_start": "The time of the part's first event. A unit's day is cut into parts at the times that can be "
                   "its first exposure to one of the sharing experiments and at those plus each metric window's "
                   "boundary."},
    "A metric of the source over the unit's events in the part (as its day columns hold for a whole day).")


def _mergeable(metric) -> bool:
    return kind_of(metric).merged_day_columns(metric, lambda column: "NULL") is not None


def shares(plan: ExperimentPlan, source: str) -> bool:
    """Whether the experiment builds its unit-day rows of `source` from the shared
    table: the source asks for one (`shared_facts: true`) and the day columns of
    every metric the experiment reads of it merge over parts."""
    return plan.fact_source(source).shared_facts and all(_mergeable(m) for m in plan.metrics_of(source))


@dataclass(frozen=True)
class SourceDays:
    """The shared table of one fact source."""

    config: ProjectConfig
    source: str

    @property
    def name(self) -> str:  # the asset's name and its table's
        return SOURCE_DAYS.name(self.source)

    @cached_property
    def plans(self) -> list[ExperimentPlan]:
        """The experiments that build their unit-day rows of the source from it."""
        plans = (ExperimentPlan(self.config, e) for e in self.config.experiments)
        return [p for p in plans if self.source in p.fact_sources and shares(p, self.source)]

    @cached_property
    def metrics(self) -> list:
        """Every metric of the source those experiments read, in the config's order."""
        used = {m.name for p in self.plans for m in p.metrics_of(self.source)}
        return [m for m in self.config.metrics if m.name in used]

    @cached_property
    def assignment_sources(self) -> list[str]:
        return list(dict.fromkeys(p.experiment.assignment_source for p in self.plans))

    def plans_on(self, assignment_source: str) -> list[ExperimentPlan]:
        """The sharing experiments whose exposures come from `assignment_source`."""
        return [p for p in self.plans if p.experiment.assignment_source == assignment_source]

    @cached_property
    def cut_hours(self) -> list[int]:
        """Hours after each exposure time at which a day is cut: 0, and every window boundary."""
        hours = {0}
        for m in self.metrics:
            window = getattr(m, "window", None)
            if window is not None:
                hours |= {window.start_hours, window.end_hours}
        return sorted(hours)

    @property
    def exposure_days_before(self) -> int:
        """Days before day D whose exposures can cut D (the longest window boundary)."""
        return math.ceil(max(self.cut_hours) / 24)

    @property
    def start(self) -> dt.date:
        return min(p.start for p in self.plans)

    @property
    def end(self) -> dt.date | None:
        """The last day any of its experiments runs, None while one runs on."""
        ends = [p.experiment.end_date for p in self.plans]
        return None if None in ends else max(ends)

    @cached_property
    def code_version(self) -> str:
        return digest({
            "artifact": "source_days_", "source": self.config.sources[self.source].definition(),
            "metrics": [m.model_dump(exclude={"winsorize", *PRESENTATION_ONLY}) for m in self.metrics],
            "assignments": {s: self.config.sources[s].definition() for s in self.assignment_sources},
            # whose exposures cut the days: adding an experiment rewrites the days its runs read
            "experiments": sorted((p.experiment.assignment_source, p.experiment.key, sorted(p.experiment.variants))
                                  for p in self.plans),
        })

    @property
    def description(self) -> str:
        return (f"Shared by the experiments on {self.source!r} ({', '.join(p.id for p in self.plans)}): per unit, "
                f"day and part of the day, the source's metrics over the part's events "
                f"({', '.join(m.name for m in self.metrics)}). A day is cut at the times that can be the unit's "
                f"first exposure to one of these experiments and at those plus every metric window's boundary, so "
                f"each experiment's unit-day rows are a merge of parts. Written by the experiments' runs: a run "
                f"reuses a day written since it was requested.")


def shared_sources(config: ProjectConfig) -> list[SourceDays]:
    """The shared table of every fact source some experiment builds its unit-day rows from."""
    names = dict.fromkeys(s for e in config.experiments for s in ExperimentPlan(config, e).fact_sources)
    return [shared for s in names if (shared := SourceDays(config, s)).plans]


def source_days_of(plan: ExperimentPlan, source: str) -> SourceDays | None:
    """The shared table the experiment's unit-day rows of `source` come from, if any."""
    return SourceDays(plan.config, source) if shares(plan, source) else None
