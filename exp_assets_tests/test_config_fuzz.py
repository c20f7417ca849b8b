"""Bad configuration: whatever the loader is given, it returns a config or raises
ConfigError naming the file and, for each problem, the field (a path that points
into the document) or the YAML line, never another exception. Property-based
(hypothesis, derandomized: the same examples on every run), plus the rules that
span sections: unknown references, cycles in ratio definitions, duplicate ids,
invalid identifiers.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exp_assets.assets import partitions_for
from exp_assets.config import ConfigError, ProjectConfig, parse_config
from exp_assets.days import DayRange
from exp_assets.plan import ExperimentPlan
from exp_assets.sql import exposures as exposure_sql
from exp_assets.sql import metrics as metric_sql
from exp_assets_tests import fixtures

# EXP_ASSETS_FUZZ_EXAMPLES=5000 explores further with random seeds (the suite's run is derandomized)
EXPLORE = os.environ.get("EXP_ASSETS_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(EXPLORE or 150), deadline=None, derandomize=not EXPLORE, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TEXT = fixtures.config_text(Path("x.duckdb"), metrics=[*fixtures.METRICS, "revenue_per_order", "shop_funnel"])
BASE = yaml.safe_load(TEXT)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _load(text: str) -> ProjectConfig | ConfigError:
    """parse_config's outcome; anything but a config or a well-formed ConfigError fails."""
    try:
        config = parse_config(text, "fuzz.yaml")
    except ConfigError as error:
        assert error.problems, error
        assert all(isinstance(f, str) and isinstance(m, str) and m for f, m in error.problems), error.problems
        assert str(error).startswith("invalid config fuzz.yaml:\n  ")
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
        return error
    _plan_everything(config)
    return config


def _plan_everything(config: ProjectConfig) -> None:
    """A config that loads can be planned and its SQL built."""
    for experiment in config.experiments:
        plan = ExperimentPlan(config, experiment)
        for artifact in plan.artifacts:
            plan.code_version(artifact.name)
        partitions_for(plan).get_first_partition_key()
        last = plan.experiment.end_date or plan.start
        window = DayRange(last, last + dt.timedelta(days=1))
        exposure_sql.first_exposures(plan, window, None)
        for source in plan.fact_sources:
            metric_sql.user_level_aggregations(plan, source, [window], "SELECT 1")
            if plan.cuped_days:
                metric_sql.pre_exposure_covariates(plan, source, DayRange(plan.start, window.end), "SELECT 1")
        for metric in plan.own_table_metrics:
            metric_sql.own_unit_days(plan, metric, [window], "SELECT 1")


_SEGMENT = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def _points_into(document, field: str) -> bool:
    """`field` (e.g. experiments[0].metrics[2]) names a node of `document`; its
    last step may be missing (a required field that is absent)."""
    node, segments = document, [m.group(1) or m.group(2) for m in _SEGMENT.finditer(field)]
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        elif isinstance(node, dict):
            key = next((k for k in node if str(k) == segment), None)
            if key is None:
                return last
            node = node[key]
        else:
            return False
    return True


def _assert_names_a_field(document, outcome) -> None:
    if isinstance(outcome, ConfigError):
        fields = [f for f, _ in outcome.problems]
        assert any(fields), outcome.problems
        assert all(_points_into(document, f) for f in fields if f), outcome.problems


# --- text: malformed YAML -------------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("{}[]:,-?'\"!&*#|>%@`\\ \n\t\r\x00\x85\ufeffabcz019._=<")), max_size=120)


@FUZZ
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_any_text_loads_or_gives_our_error(text):
    _load(text)


@FUZZ
@given(st.data())
def test_an_edited_valid_file_loads_or_gives_our_error(data):
    """Character-level edits of the fixture file: spans deleted, repeated or
    replaced by YAML punctuation."""
    text = TEXT
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        action = data.draw(st.sampled_from(["delete", "repeat", "replace"]))
        middle = {"delete": "", "repeat": text[start:end] * 2,
                  "replace": data.draw(YAMLISH.filter(lambda t: len(t) < 10))}[action]
        text = text[:start] + middle + text[end:]
    _load(text)


def _dates(start: str, end: str) -> str:
    return TEXT.replace(f"start_date: {fixtures.START}", f"start_date: {start}").replace(
        f"end_date: {fixtures.END}", f"end_date: {end}")


def test_values_the_pipeline_cannot_represent_are_rejected_at_their_field():
    """Found by fuzzing: an end date of 9999-12-31 (or a start near year 1, with a
    CUPED lookback) loaded and then overflowed building the partitions; windows of
    10^12 hours loaded and then overflowed the warehouse's intervals."""
    for text, field in [
        (_dates("2026-01-03", "9999-12-31"), "experiments[0].end_date"),
        (_dates("0001-01-01", "2026-01-08"), "experiments[0].start_date"),
        (TEXT.replace("window: {start: 0, end: 2, unit: days}", "window: {start: 0, end: 1000000000000, unit: days}"),
         "metrics[7].window.end"),
        (TEXT.replace("window_hours: 48", "window_hours: 1000000000000"), "metrics[9].window_hours"),
    ]:
        outcome = _load(text)
        assert isinstance(outcome, ConfigError) and [f for f, _ in outcome.problems] == [field], outcome
    assert isinstance(_load(_dates("1900-01-01", "2999-12-31")), ProjectConfig)


def test_deep_nesting_invalid_dates_and_bad_tags_are_our_errors():
    for text, needle in [
        ("[" * 3000, "nested too deeply"),
        ("a: " + "{b: " * 3000, "nested too deeply"),
        (TEXT.replace(f"start_date: {fixtures.START}", "start_date: 2026-02-30"), "experiments[0].start_date"),
        (TEXT.replace(f"start_date: {fixtures.START}", "start_date: !!timestamp 2026-13-01"), "line"),
        (TEXT.replace("alpha", "x").replace("control: control", "control: !!int control"), "cannot read 'control' as int"),
        (TEXT.replace("cuped: {enabled: false}", "cuped: {enabled: false, lookback_days: !!float x}"), "as float"),
        ("\ufeff" + TEXT.replace("output_schema: exp", "output_schema: !!python/object:os.system x"), "constructor"),
    ]:
        outcome = _load(text)
        assert isinstance(outcome, ConfigError) and needle in str(outcome), (needle, str(outcome))


# --- structure: schema-invalid values anywhere -------------------------------------------------


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]
KEY = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats() | st.text(max_size=12)
    | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)) | st.sampled_from(["", "revenue", "orders", "control", "0.5"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEY, inner, max_size=3),
    max_leaves=6,
)


def _mutate(document, path, action: str, value, key: str):
    document = copy.deepcopy(document)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    else:  # add an unknown key next to the path's node (or inside it, if it is a mapping)
        target = parent[last] if isinstance(parent[last], dict) else parent
        if isinstance(target, dict):
            target[f"zz_{key}"] = value
    return document


@FUZZ
@given(st.sampled_from(PATHS), st.sampled_from(["replace", "delete", "add"]), VALUES, KEY)
def test_schema_invalid_values_anywhere_name_their_field(path, action, value, key):
    document = _mutate(BASE, path, action, value, key)
    outcome = _load(yaml.safe_dump(document, sort_keys=False))
    _assert_names_a_field(document, outcome)
    where = _added_to(path) if action == "add" else None
    if where is not None and where not in NAMED_MAPPINGS:  # a key no model has: refused by name
        field = _field((*where, f"zz_{key}"))
        assert isinstance(outcome, ConfigError) and (field, "unknown field") in outcome.problems, (field, outcome)


# mappings keyed by names the user chooses (a new key is a new source or variant, not an unknown field)
NAMED_MAPPINGS = {("sources",), ("experiments", 0, "variants")}


def _added_to(path):
    """The mapping `_mutate(..., "add", ...)` puts its key into: the path's node, else
    its parent; None when neither is a mapping (nothing is added)."""
    node = BASE
    for step in path:
        node = node[step]
    if isinstance(node, dict):
        return path
    parent = BASE
    for step in path[:-1]:
        parent = parent[step]
    return path[:-1] if isinstance(parent, dict) else None


def _field(path) -> str:
    """A document path as ConfigError names it: metrics[9].steps[0].name."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=2, max_size=5))
def test_several_bad_values_at_once_are_all_reported_by_field(changes):
    document = BASE
    for path, value in changes:
        try:
            document = _mutate(document, path, "replace", value, "x")
        except (KeyError, IndexError, TypeError):  # an earlier change removed the path
            continue
    _assert_names_a_field(document, _load(yaml.safe_dump(document, sort_keys=False)))


@FUZZ
@given(st.text(max_size=70))
def test_names_are_identifiers_or_rejected_at_their_field(name):
    document = copy.deepcopy(BASE)
    document["experiments"][0]["id"] = name
    outcome = _load(yaml.safe_dump(document, sort_keys=False))
    if NAME.fullmatch(name) and len(name) <= 64:
        assert isinstance(outcome, ProjectConfig)
    else:
        assert isinstance(outcome, ConfigError) and [f for f, _ in outcome.problems] == ["experiments[0].id"]


@FUZZ
@given(st.text(max_size=60))
def test_any_filter_text_is_a_boolean_expression_or_rejected_at_its_field(text):
    document = copy.deepcopy(BASE)
    document["metrics"][3]["filter"] = text  # big_orders
    outcome = _load(yaml.safe_dump(document, sort_keys=False))
    if isinstance(outcome, ConfigError):
        assert [f for f, _ in outcome.problems] == ["metrics[3].filter"], outcome.problems


# --- rules across sections -------------------------------------------------------------------

# metrics: 0 revenue, 1 orders, 2 purchased, 3 big_orders, 4 views, 5 revenue_per_order,
# 6 orders_per_view, 7 orders_first_2d, 8 revenue_hours_6_to_30, 9 shop_funnel, 10 order_after_exposure
EXTRA = "\n  - {name: EXTRA_NAME, type: ratio, numerator: NUM, denominator: DEN}\nexperiments:"


def _with_ratio(name: str, numerator: str, denominator: str, text: str = TEXT) -> str:
    return text.replace("\nexperiments:", EXTRA.replace("EXTRA_NAME", name).replace("NUM", numerator)
                        .replace("DEN", denominator), 1)


APPENDED = len(BASE["metrics"])  # the index of a metric appended to the fixture's
CASES = {
    # unknown references
    "experiment metric": (TEXT.replace("metrics: [revenue,", "metrics: [nope,"),
                          "experiments[0].metrics[0]", "unknown metric 'nope'"),
    "ratio part": (TEXT.replace("numerator: revenue,", "numerator: nope,"), "metrics[5].numerator", "unknown metric 'nope'"),
    "metric source": (TEXT.replace("{name: views, source: views", "{name: views, source: nope"),
                      "metrics[4].source", "unknown source 'nope'"),
    "funnel step source": (TEXT.replace("[{name: view, source: views}", "[{name: view, source: nope}"),
                           "metrics[9].steps[0].source", "unknown source 'nope'"),
    "assignment source": (TEXT.replace("assignment_source: exposures", "assignment_source: nope"),
                          "experiments[0].assignment_source", "unknown source 'nope'"),
    "assignment source kind": (TEXT.replace("assignment_source: exposures", "assignment_source: orders"),
                               "experiments[0].assignment_source", "not an assignments source"),
    "fact source kind": (TEXT.replace("{name: views, source: views", "{name: views, source: exposures"),
                         "metrics[4].source", "not a facts source"),
    "control": (TEXT.replace("control: control\n", "control: nope\n"), "experiments[0].control", "control 'nope' is not one of"),
    "exposure dimension": (TEXT.replace("cuped: {enabled: false}", "cuped: {enabled: false}\n    dimensions: [nope]"),
                           "experiments[0].dimensions[0]", "'nope' is not a dimension"),
    # cycles in ratio definitions: ratios are built from event metrics only
    "ratio of itself": (_with_ratio("loop", "loop", "orders"), f"metrics[{APPENDED}].numerator", "'loop' is a ratio"),
    "ratio of ratio": (_with_ratio("nested", "orders", "revenue_per_order"), f"metrics[{APPENDED}].denominator",
                       "'revenue_per_order' is a ratio"),
    "two ratios in a cycle": (_with_ratio("b", "a", "orders", _with_ratio("a", "b", "orders")),
                              f"metrics[{APPENDED + 1}].numerator", "'a' is a ratio"),
    "ratio of funnel": (_with_ratio("per_funnel", "orders", "shop_funnel"), f"metrics[{APPENDED}].denominator",
                        "'shop_funnel' is a funnel"),
    # duplicate ids
    "metric name": (_with_ratio("orders", "revenue", "views"), f"metrics[{APPENDED}]", "duplicate metric name 'orders'"),
    "experiment id": (TEXT + TEXT[TEXT.index("  - id: exp_a"):], "experiments[1]", "duplicate experiment id 'exp_a'"),
    "source name": (TEXT.replace("sources:\n", "sources:\n  orders: {kind: facts, table: raw.x, unit_id: u, timestamp: t}\n"),
                    "", "found duplicate key 'orders'"),
    "experiment metric twice": (TEXT.replace("metrics: [revenue,", "metrics: [revenue, revenue,"),
                                "experiments[0].metrics[1]", "duplicate metric 'revenue'"),
    "funnel step name": (TEXT.replace("{name: order, source: orders}, {name: big", "{name: view, source: orders}, {name: big"),
                         "metrics[9].steps[1].name", "step name 'view' is also step 0's"),
    "variant name": (TEXT.replace("variants: {control: 0.5, treatment: 0.5}", "variants: {control: 0.5, control: 0.5}"),
                     "", "found duplicate key 'control'"),
    # invalid identifiers
    "metric identifier": (TEXT.replace("{name: views,", "{name: 'views; drop',"), "metrics[4].name", "not a valid name"),
    "source identifier": (TEXT.replace("  views: {kind", "  'my views': {kind"), "sources.my views", "not a valid name"),
    "experiment identifier": (TEXT.replace("id: exp_a", "id: 2exp"), "experiments[0].id", "not a valid name"),
    "funnel step identifier": (TEXT.replace("{name: big, source", "{name: 'big one', source"),
                               "metrics[9].steps[2].name", "not a valid name"),
    "schema identifier": (TEXT.replace("output_schema: exp", 'output_schema: "exp; drop"'),
                          "warehouse.output_schema", "not a valid name"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cross_section_rules_name_the_field(case):
    text, field, needle = CASES[case]
    outcome = _load(text)
    assert isinstance(outcome, ConfigError), case
    assert any(f == field and needle in m for f, m in outcome.problems) or (
        field == "" and needle in str(outcome)), outcome.problems
