"""Config loading and validation: every rule reports its field path and a
message that says what is wrong, starting from the shipped demo YAML."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from exp_assets.config import CONFIG_ENV_VAR, ConfigError, config_path, load_config, parse_config
from exp_assets.config.loader import demo_config_path

DEMO_PATH = demo_config_path()
DEMO_TEXT = DEMO_PATH.read_text()
DEMO = yaml.safe_load(DEMO_TEXT)
FILE = "projects/my_config.yaml"


def _index(section: str, **match) -> int:
    """Position of the first demo entry in `section` whose keys have these values."""
    return next(i for i, entry in enumerate(DEMO[section]) if all(entry.get(k) == v for k, v in match.items()))


# Demo entries the rules below mutate, found by shape rather than by position.
SUM = _index("metrics", type="sum")
RATIO = _index("metrics", type="ratio")
RATIO_NAME = DEMO["metrics"][RATIO]["name"]
OTHER_RATIO = next(i for i, m in enumerate(DEMO["metrics"]) if m["type"] == "ratio" and i != RATIO)
BAYESIAN = _index("experiments", engine="bayesian")
SEQUENTIAL = _index("experiments", sequential=True)


def mutated(mutate) -> str:
    raw = copy.deepcopy(DEMO)
    mutate(raw)
    return yaml.safe_dump(raw, sort_keys=False)


def problems_of(text: str, path: str = FILE) -> tuple[ConfigError, dict[str, str]]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.path == path
    assert path in str(error)
    assert str(error).startswith(f"invalid config {path}:\n  ")
    for field, message in error.problems:
        assert (f"{field}: {message}" if field else message) in str(error)
    return error, dict(error.problems)


def assert_problem(text: str, field: str, *fragments: str) -> ConfigError:
    error, problems = problems_of(text)
    assert field in problems, f"no problem at {field!r}; got {error.problems}"
    for fragment in fragments:
        assert fragment in problems[field], f"{fragment!r} not in {problems[field]!r}"
    return error


# ---------------------------------------------------------------- loading


def test_demo_config_loads():
    config = parse_config(DEMO_TEXT, DEMO_PATH)
    assert config.warehouse.type == "duckdb"
    assert set(config.sources) == set(DEMO["sources"])
    assert [m.name for m in config.metrics] == [m["name"] for m in DEMO["metrics"]]
    assert [m.type for m in config.metrics] == [m["type"] for m in DEMO["metrics"]]
    assert [e.id for e in config.experiments] == [e["id"] for e in DEMO["experiments"]]
    for raw in DEMO["experiments"]:
        experiment = config.experiment(raw["id"])
        assert experiment.treatments == [v for v in raw["variants"] if v != raw["control"]]
        assert experiment.key == raw.get("experiment_key", raw["id"])


def _as_written(model, raw: dict) -> dict:
    """The model's values for the keys the YAML wrote, nested models as dicts of those keys."""
    out = {}
    for key, value in raw.items():
        got = getattr(model, key)
        if isinstance(value, dict) and hasattr(got, "model_dump"):
            got = _as_written(got, value)
        elif isinstance(value, list) and got and hasattr(got[0], "model_dump"):
            got = [_as_written(g, v) for g, v in zip(got, value, strict=True)]
        out[key] = got
    return out


def test_demo_config_loads_every_field_as_written():
    # ratios, winsorize, cuped, engine, prior, sequential and correction all round-trip
    config = parse_config(DEMO_TEXT, DEMO_PATH)
    for raw, metric in zip(DEMO["metrics"], config.metrics, strict=True):
        assert _as_written(metric, raw) == raw
    for raw, experiment in zip(DEMO["experiments"], config.experiments, strict=True):
        assert _as_written(experiment, raw) == raw


def test_demo_has_the_shapes_the_rules_mutate():
    # the rule tables below pick entries by shape; fail here, clearly, if the demo loses one
    assert DEMO["metrics"][SUM].get("winsorize"), "a winsorized sum metric"
    assert "filter" in DEMO["metrics"][3] and DEMO["metrics"][3]["type"] != "ratio"
    by_name = {m["name"]: m for m in DEMO["metrics"]}
    other = DEMO["metrics"][OTHER_RATIO]
    parts = [by_name[other["numerator"]], by_name[other["denominator"]]]
    assert len({part["source"] for part in parts}) == 2, "a ratio across two sources"
    assert DEMO["experiments"][BAYESIAN].get("prior")
    assert DEMO["experiments"][SEQUENTIAL].get("engine", "frequentist") == "frequentist"


def test_load_config_reads_the_given_file(tmp_path):
    path = tmp_path / "project.yaml"
    path.write_text(DEMO_TEXT)
    assert load_config(path) == parse_config(DEMO_TEXT)
    assert load_config(str(path)) == parse_config(DEMO_TEXT)


def test_default_config_is_the_shipped_demo(monkeypatch):
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
    assert config_path() == DEMO_PATH
    assert DEMO_PATH.name == "demo.yaml" and DEMO_PATH.is_file()
    assert load_config() == parse_config(DEMO_TEXT)


def test_empty_env_var_falls_back_to_the_demo(monkeypatch):
    monkeypatch.setenv(CONFIG_ENV_VAR, "")
    assert config_path() == DEMO_PATH


def test_env_var_selects_the_file(monkeypatch, tmp_path):
    path = tmp_path / "other.yaml"

    def one_experiment(raw):
        raw["experiments"] = raw["experiments"][1:]

    path.write_text(mutated(one_experiment))
    monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    assert config_path() == path
    assert [e.id for e in load_config().experiments] == [e["id"] for e in DEMO["experiments"][1:]]


def test_env_var_file_errors_name_that_file(monkeypatch, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(DEMO_TEXT.replace("type: sum", "type: median"))
    monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert dict(info.value.problems).keys() == {"metrics[0].type"}


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nowhere" / "missing.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert info.value.problems == [("", "cannot read file: No such file or directory")]


def test_directory_is_not_a_config(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert "cannot read file" in str(info.value)


def test_binary_file_is_a_config_error(tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage\x80")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert "cannot read file" in str(info.value)


def test_malformed_yaml_names_the_line():
    text = DEMO_TEXT.replace("    unit_id: user_id\n    timestamp: ts\n  page_views:", "    unit_id: [user_id\n  page_views:")
    assert text != DEMO_TEXT
    bad_line = text.splitlines().index("  page_views:") + 1
    error, _ = problems_of(text)
    [(field, message)] = error.problems
    assert field == ""
    assert message.startswith("not valid YAML: line ")
    line = int(message.removeprefix("not valid YAML: line ").split(",")[0])
    assert line in (bad_line - 1, bad_line, bad_line + 1)


def test_malformed_yaml_tab_indentation():
    error, _ = problems_of("warehouse:\n\ttype: duckdb\n")
    [(field, message)] = error.problems
    assert field == "" and message.startswith("not valid YAML: line 2, column 1: ")
    assert "cannot start any token" in message


@pytest.mark.parametrize(
    "text, got",
    [
        ("- warehouse: {type: duckdb}\n", "list"),
        ("just a string\n", "str"),
        ("", "NoneType"),
        ("42\n", "int"),
    ],
)
def test_top_level_must_be_a_mapping(text, got):
    error, _ = problems_of(text)
    assert error.problems == [("", f"the top level must be a mapping, got {got}")]


def test_top_level_list_of_the_demo():
    error, _ = problems_of(yaml.safe_dump([DEMO]))
    assert error.problems == [("", "the top level must be a mapping, got list")]


# ----------------------------------------------------------- references

KNOWN_METRICS = "known: " + ", ".join(sorted(m["name"] for m in DEMO["metrics"]))
KNOWN_SOURCES = "known: " + ", ".join(sorted(DEMO["sources"]))


def _set(*keys_and_value):
    *keys, last, value = keys_and_value

    def mutate(raw):
        node = raw
        for key in keys:
            node = node[key]
        node[last] = value

    return mutate


def _delete(*keys):
    *keys, last = keys

    def mutate(raw):
        node = raw
        for key in keys:
            node = node[key]
        del node[last]

    return mutate


def _append(*keys_and_value):
    *keys, value = keys_and_value

    def mutate(raw):
        node = raw
        for key in keys:
            node = node[key]
        node.append(copy.deepcopy(value))

    return mutate


def _both(*mutations):
    def mutate(raw):
        for m in mutations:
            m(raw)

    return mutate


def _second_experiment_copy(raw):
    raw["experiments"][1]["id"] = raw["experiments"][0]["id"]


def _fact_source_with_sql(sql):
    return _set("sources", "page_views", "sql", sql)


def _orders_table(table):
    return _set("sources", "orders", "table", table)


def _filter(text):
    return _set("metrics", 3, "filter", text)


RULES = [
    # --- references between sections
    pytest.param(
        _set("experiments", 0, "metrics", 2, "conversion"),
        "experiments[0].metrics[2]",
        ["unknown metric 'conversion'", KNOWN_METRICS],
        id="unknown-metric-in-experiment",
    ),
    pytest.param(
        _set("metrics", 1, "name", "revenue"),
        "metrics[1]",
        ["duplicate metric name 'revenue'", "first at metrics[0]"],
        id="duplicate-metric-name",
    ),
    pytest.param(
        _second_experiment_copy,
        "experiments[1]",
        ["duplicate experiment id 'checkout_redesign'", "first at experiments[0]"],
        id="duplicate-experiment-id",
    ),
    pytest.param(
        _set("experiments", 1, "metrics", ["page_views", "revenue", "page_views"]),
        "experiments[1].metrics[2]",
        ["duplicate metric 'page_views'", "first at experiments[1].metrics[0]"],
        id="duplicate-metric-in-experiment",
    ),
    pytest.param(
        _set("metrics", 0, "source", "payments"),
        "metrics[0].source",
        ["unknown source 'payments'", KNOWN_SOURCES],
        id="metric-unknown-source",
    ),
    pytest.param(
        _set("metrics", 2, "source", "exposures"),
        "metrics[2].source",
        ["'exposures' is not a facts source"],
        id="metric-on-assignments-source",
    ),
    pytest.param(
        _set("experiments", 1, "assignment_source", "orders"),
        "experiments[1].assignment_source",
        ["'orders' is not an assignments source"],
        id="assignment-source-is-facts",
    ),
    pytest.param(
        _set("experiments", 0, "assignment_source", "assignments"),
        "experiments[0].assignment_source",
        ["unknown source 'assignments'", KNOWN_SOURCES],
        id="assignment-source-unknown",
    ),
    # --- experiment variants and dates
    pytest.param(
        _set("experiments", 0, "control", "baseline"),
        "experiments[0].control",
        ["control 'baseline' is not one of the variants ['control', 'treatment']"],
        id="control-not-a-variant",
    ),
    pytest.param(
        _set("experiments", 0, "variants", {"control": 0.5, "treatment": 0.6}),
        "experiments[0].variants",
        ["variant weights sum to 1.1, not 1"],
        id="weights-sum-above-1",
    ),
    pytest.param(
        _set("experiments", 1, "variants", {"control": 0.25, "a": 0.25, "b": 0.25}),
        "experiments[1].variants",
        ["variant weights sum to 0.75, not 1"],
        id="weights-sum-below-1",
    ),
    pytest.param(
        _set("experiments", 0, "variants", {"control": 1.0}),
        "experiments[0].variants",
        ["needs at least two variants"],
        id="one-variant",
    ),
    pytest.param(
        _set("experiments", 0, "variants", {"control": 1.0, "treatment": 0.0}),
        "experiments[0].variants",
        ["variants ['treatment'] need a non-empty name and a weight > 0"],
        id="zero-weight",
    ),
    pytest.param(
        _set("experiments", 0, "variants", {"control": 1.5, "treatment": -0.5}),
        "experiments[0].variants",
        ["variants ['treatment'] need a non-empty name and a weight > 0"],
        id="negative-weight",
    ),
    pytest.param(
        _set("experiments", 0, "end_date", "2026-09-30"),
        "experiments[0].end_date",
        ["end_date 2026-09-30 is before start_date 2026-10-01"],
        id="end-before-start",
    ),
    pytest.param(
        _set("experiments", 0, "alpha", 1.5),
        "experiments[0].alpha",
        ["less than 1"],
        id="alpha-out-of-range",
    ),
    pytest.param(
        _set("experiments", 0, "metrics", []),
        "experiments[0].metrics",
        ["at least 1 item"],
        id="experiment-without-metrics",
    ),
    pytest.param(
        _set("experiments", 0, "multiple_exposures", "last"),
        "experiments[0].multiple_exposures",
        ["'exclude'", "'first'"],
        id="unknown-multiple-exposures",
    ),
    pytest.param(
        _set("experiments", []),
        "experiments",
        ["at least 1 item"],
        id="no-experiments",
    ),
    # --- metric shapes
    pytest.param(
        _delete("metrics", 0, "column"),
        "metrics[0].column",
        ["a sum metric needs 'column'"],
        id="sum-without-column",
    ),
    pytest.param(
        _set("metrics", 1, "column", "amount"),
        "metrics[1].column",
        ["'column' is only used by sum metrics, not count"],
        id="count-with-column",
    ),
    pytest.param(
        _set("metrics", 2, "column", "amount"),
        "metrics[2].column",
        ["'column' is only used by sum metrics, not proportion"],
        id="proportion-with-column",
    ),
    pytest.param(
        _set("metrics", 4, "type", "median"),
        "metrics[4].type",
        ["'sum'", "'count'", "'proportion'", "'ratio'"],
        id="unknown-metric-type",
    ),
    # --- ratio metrics
    pytest.param(
        _set("metrics", RATIO, "numerator", "sales"),
        f"metrics[{RATIO}].numerator",
        ["unknown metric 'sales'", KNOWN_METRICS],
        id="ratio-unknown-numerator",
    ),
    pytest.param(
        _set("metrics", RATIO, "denominator", "visits"),
        f"metrics[{RATIO}].denominator",
        ["unknown metric 'visits'", KNOWN_METRICS],
        id="ratio-unknown-denominator",
    ),
    pytest.param(
        _set("metrics", OTHER_RATIO, "numerator", RATIO_NAME),
        f"metrics[{OTHER_RATIO}].numerator",
        [f"{RATIO_NAME!r} is a ratio", "a ratio's parts must be sum, count or proportion metrics"],
        id="ratio-numerator-is-a-ratio",
    ),
    pytest.param(
        _set("metrics", OTHER_RATIO, "denominator", RATIO_NAME),
        f"metrics[{OTHER_RATIO}].denominator",
        [f"{RATIO_NAME!r} is a ratio", "a ratio's parts must be sum, count or proportion metrics"],
        id="ratio-denominator-is-a-ratio",
    ),
    pytest.param(
        _set("metrics", RATIO, "numerator", RATIO_NAME),
        f"metrics[{RATIO}].numerator",
        [f"{RATIO_NAME!r} is a ratio", "a ratio's parts must be sum, count or proportion metrics"],
        id="ratio-numerator-is-itself",
    ),
    pytest.param(
        _set("metrics", RATIO, "denominator", RATIO_NAME),
        f"metrics[{RATIO}].denominator",
        [f"{RATIO_NAME!r} is a ratio"],
        id="ratio-denominator-is-itself",
    ),
    pytest.param(
        _set("metrics", RATIO, "source", "orders"),
        f"metrics[{RATIO}].source",
        ["unknown field"],
        id="ratio-with-source",
    ),
    pytest.param(
        _set("metrics", RATIO, "column", "amount"),
        f"metrics[{RATIO}].column",
        ["unknown field"],
        id="ratio-with-column",
    ),
    pytest.param(
        _set("metrics", RATIO, "filter", "amount > 0"),
        f"metrics[{RATIO}].filter",
        ["unknown field"],
        id="ratio-with-filter",
    ),
    pytest.param(
        _delete("metrics", RATIO, "denominator"),
        f"metrics[{RATIO}].denominator",
        ["required field is missing"],
        id="ratio-missing-denominator",
    ),
    pytest.param(
        _delete("metrics", RATIO, "numerator"),
        f"metrics[{RATIO}].numerator",
        ["required field is missing"],
        id="ratio-missing-numerator",
    ),
    # --- winsorize
    pytest.param(
        _set("metrics", SUM, "winsorize", {"lower": 0, "upper": 0.99}),
        f"metrics[{SUM}].winsorize.lower",
        ["greater than 0"],
        id="winsorize-lower-zero",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"lower": -0.01}),
        f"metrics[{SUM}].winsorize.lower",
        ["greater than 0"],
        id="winsorize-lower-negative",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"upper": 1}),
        f"metrics[{SUM}].winsorize.upper",
        ["less than 1"],
        id="winsorize-upper-one",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"upper": 99}),
        f"metrics[{SUM}].winsorize.upper",
        ["less than 1"],
        id="winsorize-upper-as-percent",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"lower": 0.99, "upper": 0.5}),
        f"metrics[{SUM}].winsorize.lower",
        ["lower (0.99) must be below upper (0.5)"],
        id="winsorize-lower-above-upper",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"lower": 0.5, "upper": 0.5}),
        f"metrics[{SUM}].winsorize.lower",
        ["lower (0.5) must be below upper (0.5)"],
        id="winsorize-lower-equals-upper",
    ),
    pytest.param(
        _set("metrics", _index("metrics", name="orders_first_7d"), "window", {"start": 7, "end": 3}),
        f"metrics[{_index('metrics', name='orders_first_7d')}].window.end",
        ["end (3) must be after start (7)"],
        id="window-ends-before-it-starts",
    ),
    pytest.param(
        _set("experiments", 0, "checks", {"multiple_variant_warn_rate": 0.5, "multiple_variant_error_rate": 0.2}),
        "experiments[0].checks.multiple_variant_warn_rate",
        ["must not exceed multiple_variant_error_rate"],
        id="check-warn-rate-above-error-rate",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {}),
        f"metrics[{SUM}].winsorize",
        ["give 'lower' and/or 'upper'"],
        id="winsorize-empty",
    ),
    pytest.param(
        _set("metrics", SUM, "winsorize", {"upper": 0.99, "percentile": 99}),
        f"metrics[{SUM}].winsorize.percentile",
        ["unknown field"],
        id="winsorize-unknown-field",
    ),
    pytest.param(
        _set("metrics", RATIO, "winsorize", {"upper": 0.99}),
        f"metrics[{RATIO}].winsorize",
        ["unknown field"],
        id="winsorize-on-ratio",
    ),
    pytest.param(
        _set("experiments", 0, "id", "shared_facts"),
        "experiments[0].id",
        ["'shared_facts' is reserved", "facts shared across experiments"],
        id="experiment-id-reserved",
    ),
    # --- experiment statistics: cuped, engine, correction, sequential, prior, alpha
    pytest.param(
        _set("experiments", 0, "cuped", {"lookback_days": 0}),
        "experiments[0].cuped.lookback_days",
        ["greater than or equal to 1"],
        id="cuped-lookback-zero",
    ),
    pytest.param(
        _set("experiments", 0, "cuped", {"lookback_days": 400}),
        "experiments[0].cuped.lookback_days",
        ["less than or equal to 365"],
        id="cuped-lookback-400",
    ),
    pytest.param(
        _set("experiments", 0, "cuped", {"lookback_days": "two weeks"}),
        "experiments[0].cuped.lookback_days",
        ["valid integer"],
        id="cuped-lookback-not-a-number",
    ),
    pytest.param(
        _set("experiments", 0, "cuped", {"lookback_days": 14.5}),
        "experiments[0].cuped.lookback_days",
        ["valid integer"],
        id="cuped-lookback-fractional",
    ),
    pytest.param(
        _set("experiments", 0, "cuped", {"enabled": True, "covariate": "revenue"}),
        "experiments[0].cuped.covariate",
        ["unknown field"],
        id="cuped-unknown-field",
    ),
    pytest.param(
        _set("experiments", 0, "cuped", False),
        "experiments[0].cuped",
        ["valid dictionary"],
        id="cuped-not-a-mapping",
    ),
    pytest.param(
        _set("experiments", BAYESIAN, "engine", "thompson"),
        f"experiments[{BAYESIAN}].engine",
        ["'frequentist'", "'bayesian'"],
        id="unknown-engine",
    ),
    pytest.param(
        _set("experiments", 0, "correction", "fdr"),
        "experiments[0].correction",
        ["'none'", "'bonferroni'", "'holm'", "'bh'"],
        id="unknown-correction",
    ),
    pytest.param(
        _set("experiments", SEQUENTIAL, "engine", "bayesian"),
        f"experiments[{SEQUENTIAL}].sequential",
        ["sequential testing is frequentist", "engine: frequentist"],
        id="sequential-engine-made-bayesian",
    ),
    pytest.param(
        _set("experiments", BAYESIAN, "sequential", True),
        f"experiments[{BAYESIAN}].sequential",
        ["sequential testing is frequentist"],
        id="bayesian-made-sequential",
    ),
    pytest.param(
        _set("experiments", SEQUENTIAL, "sequential_tuning", 0),
        f"experiments[{SEQUENTIAL}].sequential_tuning",
        ["greater than 0"],
        id="sequential-tuning-zero",
    ),
    pytest.param(
        _set("experiments", SEQUENTIAL, "sequential_tuning", -5000),
        f"experiments[{SEQUENTIAL}].sequential_tuning",
        ["greater than 0"],
        id="sequential-tuning-negative",
    ),
    pytest.param(
        _set("experiments", SEQUENTIAL, "sequential", "maybe"),
        f"experiments[{SEQUENTIAL}].sequential",
        ["valid boolean"],
        id="sequential-not-a-boolean",
    ),
    pytest.param(
        _set("experiments", BAYESIAN, "prior", {"mean": 0.0, "stddev": 0}),
        f"experiments[{BAYESIAN}].prior.stddev",
        ["greater than 0"],
        id="prior-stddev-zero",
    ),
    pytest.param(
        _set("experiments", BAYESIAN, "prior", {"stddev": -0.1}),
        f"experiments[{BAYESIAN}].prior.stddev",
        ["greater than 0"],
        id="prior-stddev-negative",
    ),
    pytest.param(
        _set("experiments", BAYESIAN, "prior", {"mean": 0.0, "variance": 0.01}),
        f"experiments[{BAYESIAN}].prior.variance",
        ["unknown field"],
        id="prior-unknown-field",
    ),
    pytest.param(
        _set("experiments", 0, "alpha", 0),
        "experiments[0].alpha",
        ["greater than 0"],
        id="alpha-zero",
    ),
    pytest.param(
        _set("experiments", 0, "alpha", -0.05),
        "experiments[0].alpha",
        ["greater than 0"],
        id="alpha-negative",
    ),
    pytest.param(
        _set("experiments", 0, "alpha", 1),
        "experiments[0].alpha",
        ["less than 1"],
        id="alpha-one",
    ),
    # --- unknown and missing fields, names
    pytest.param(
        _set("metrics", 1, "colour", "red"),
        "metrics[1].colour",
        ["unknown field"],
        id="unknown-field-in-metric",
    ),
    pytest.param(
        _set("experiments", 1, "owner", "me"),
        "experiments[1].owner",
        ["unknown field"],
        id="unknown-field-in-experiment",
    ),
    pytest.param(
        _set("sources", "orders", "partition_by", "day"),
        "sources.orders.partition_by",
        ["unknown field"],
        id="unknown-field-in-source",
    ),
    pytest.param(
        _set("warehouse", "schema", "x"),
        "warehouse.schema",
        ["unknown field"],
        id="unknown-field-in-warehouse",
    ),
    pytest.param(
        _set("dashboards", []),
        "dashboards",
        ["unknown field"],
        id="unknown-top-level-field",
    ),
    pytest.param(
        _delete("experiments", 0, "start_date"),
        "experiments[0].start_date",
        ["required field is missing"],
        id="missing-start-date",
    ),
    pytest.param(
        _delete("metrics", 2, "source"),
        "metrics[2].source",
        ["required field is missing"],
        id="missing-metric-source",
    ),
    pytest.param(
        _delete("sources", "exposures", "variant"),
        "sources.exposures.variant",
        ["required field is missing"],
        id="missing-source-column",
    ),
    pytest.param(
        _delete("warehouse", "database"),
        "warehouse.database",
        ["required field is missing"],
        id="missing-database",
    ),
    pytest.param(
        _delete("metrics"),
        "metrics",
        ["required field is missing"],
        id="missing-metrics-section",
    ),
    pytest.param(
        _delete("sources", "orders", "kind"),
        "sources.orders.kind",
        ["required field is missing"],
        id="missing-source-kind",
    ),
    pytest.param(
        _set("sources", "orders", "kind", "events"),
        "sources.orders.kind",
        ["'events'", "'assignments'", "'facts'"],
        id="unknown-source-kind",
    ),
    pytest.param(
        _set("warehouse", "type", "postgres"),
        "warehouse.type",
        ["'postgres'", "'duckdb'"],
        id="unknown-warehouse-type",
    ),
    pytest.param(
        _set("experiments", 0, "id", "checkout redesign"),
        "experiments[0].id",
        ["'checkout redesign' is not a valid name", "not starting with a digit"],
        id="experiment-id-with-space",
    ),
    pytest.param(
        _set("experiments", 1, "id", "2nd_search"),
        "experiments[1].id",
        ["'2nd_search' is not a valid name"],
        id="experiment-id-starts-with-digit",
    ),
    pytest.param(
        _both(_set("metrics", 0, "name", "revenue-usd"), _set("experiments", 0, "metrics", 0, "revenue-usd")),
        "metrics[0].name",
        ["'revenue-usd' is not a valid name"],
        id="metric-name-with-dash",
    ),
    # the pipeline's tables and ledger must not land among the sources
    pytest.param(
        _set("warehouse", "output_schema", "raw"),
        "warehouse.output_schema",
        ["output_schema 'raw' is also the schema of sources exposures (raw.exposures), orders (raw.orders), "
         "page_views (raw.page_views)", "must differ"],
        id="output-schema-is-a-source-schema",
    ),
    pytest.param(
        _set("warehouse", "output_schema", "RAW"),
        "warehouse.output_schema",
        ["output_schema 'RAW' is also the schema of sources exposures"],
        id="output-schema-is-a-source-schema-in-other-case",
    ),
    pytest.param(
        _both(_set("warehouse", "output_schema", "web"),
              _fact_source_with_sql("WITH v AS (SELECT * FROM web.views) SELECT user_id, ts FROM v")),
        "warehouse.output_schema",
        ["output_schema 'web' is also the schema of sources page_views (web.views)"],
        id="output-schema-read-by-a-source-sql",
    ),
    pytest.param(
        _both(_set("warehouse", "output_schema", "main"), _orders_table("orders")),
        "warehouse.output_schema",
        ["output_schema 'main' is also the schema of sources orders (main.orders)"],
        id="output-schema-is-the-default-schema-of-an-unqualified-table",
    ),
    pytest.param(
        _set("warehouse", "output_schema", "exp; drop"),
        "warehouse.output_schema",
        ["'exp; drop' is not a valid name"],
        id="output-schema-not-a-name",
    ),
    pytest.param(
        _set("experiments", 0, "metrics", 0, "x" * 65),
        "experiments[0].metrics[0]",
        ["at most 64 characters"],
        id="name-too-long",
    ),
    # --- table or sql
    pytest.param(
        _set("sources", "orders", "sql", "SELECT * FROM raw.orders"),
        "sources.orders",
        ["give exactly one of 'table' or 'sql'"],
        id="source-with-table-and-sql",
    ),
    pytest.param(
        _delete("sources", "exposures", "table"),
        "sources.exposures",
        ["give exactly one of 'table' or 'sql'"],
        id="source-with-neither",
    ),
    # --- SQL fragments
    pytest.param(
        _fact_source_with_sql("DELETE FROM raw.x"),
        "sources.page_views.sql",
        ["sql must not contain DELETE"],
        id="sql-delete",
    ),
    pytest.param(
        _fact_source_with_sql("SELECT 1; DROP TABLE raw.x"),
        "sources.page_views.sql",
        ["sql must be a single statement, found 2"],
        id="sql-two-statements",
    ),
    pytest.param(
        _fact_source_with_sql("SELECT user_id, ts FROM WHERE"),
        "sources.page_views.sql",
        ["sql is not valid duckdb SQL", "Line 1"],
        id="sql-does-not-parse",
    ),
    pytest.param(
        _fact_source_with_sql("SELEC user_id FROM raw.page_views"),
        "sources.page_views.sql",
        ["sql is not valid duckdb SQL"],
        id="sql-misspelt-select",
    ),
    pytest.param(
        _fact_source_with_sql("CREATE TABLE raw.y AS SELECT 1"),
        "sources.page_views.sql",
        ["sql must not contain CREATE"],
        id="sql-create",
    ),
    pytest.param(
        _fact_source_with_sql("SELECT * INTO raw.copy FROM raw.page_views"),
        "sources.page_views.sql",
        ["sql must not contain INTO"],
        id="sql-select-into",
    ),
    pytest.param(
        _fact_source_with_sql("SHOW TABLES"),
        "sources.page_views.sql",
        ["sql must be a SELECT, got SHOW"],
        id="sql-show",
    ),
    pytest.param(
        _fact_source_with_sql(""),
        "sources.page_views.sql",
        ["sql must be a single statement, found 0"],
        id="sql-empty",
    ),
    pytest.param(
        _filter("1=1; DROP TABLE x"),
        "metrics[3].filter",
        ["filter must be a single statement, found 2"],
        id="filter-two-statements",
    ),
    pytest.param(
        _filter("SELECT amount FROM raw.orders"),
        "metrics[3].filter",
        ["filter must be a boolean expression, got SELECT"],
        id="filter-is-a-select",
    ),
    pytest.param(
        _filter("user_id IN (SELECT user_id FROM raw.vips)"),
        "metrics[3].filter",
        ["filter must not contain a subquery"],
        id="filter-with-in-subquery",
    ),
    pytest.param(
        _filter("amount >= (SELECT avg(amount) FROM raw.orders)"),
        "metrics[3].filter",
        ["filter must not contain a subquery"],
        id="filter-with-scalar-subquery",
    ),
    pytest.param(
        _filter("EXISTS (SELECT 1)"),
        "metrics[3].filter",
        ["filter must not contain a subquery"],
        id="filter-with-exists",
    ),
    pytest.param(
        _filter("DELETE FROM raw.orders"),
        "metrics[3].filter",
        ["filter must not contain DELETE"],
        id="filter-delete",
    ),
    pytest.param(
        _filter("amount >= 100) OR (1=1"),
        "metrics[3].filter",
        ["filter is not valid duckdb SQL"],
        id="filter-unbalanced-parens",
    ),
    pytest.param(
        _filter("amount AS big"),
        "metrics[3].filter",
        ["filter must be a boolean expression, got ALIAS"],
        id="filter-alias",
    ),
    # a filter is a predicate: DuckDB casts a bare DOUBLE to BOOLEAN (dropping zeros) and
    # fails on a VARCHAR only when the step runs
    *[
        pytest.param(
            _filter(text),
            "metrics[3].filter",
            ["metric 'large_orders'", f"filter {text!r} is not a condition", what],
            id=f"filter-not-a-predicate-{text}",
        )
        for text, what in [
            ("amount", "a column"), ("user_id", "a column"), ("amount + 1", "arithmetic"),
            ("(amount)", "a column"), ("amount > 0 AND amount", "a column"), ("NOT amount", "a column"),
            ("lower(page)", "LOWER"), ("NULL", "NULL"), ("'yes'", "a literal"), ("1", "a literal"),
            ("CASE WHEN amount > 0 THEN 1 END", "CASE"),
        ]
    ],
    pytest.param(
        _set("metrics", _index("metrics", type="funnel"), "steps", 0, "filter", "page"),
        f"metrics[{_index('metrics', type='funnel')}].steps[0].filter",
        ["metric 'checkout_funnel'", "filter 'page' is not a condition"],
        id="funnel-filter-not-a-predicate",
    ),
    pytest.param(
        _orders_table("raw.orders; DROP TABLE raw.exposures"),
        "sources.orders.table",
        ["table 'raw.orders; DROP TABLE raw.exposures' is not a table name like schema.table"],
        id="table-with-second-statement",
    ),
    pytest.param(
        _orders_table("SELECT * FROM raw.orders"),
        "sources.orders.table",
        ["is not a table name like schema.table"],
        id="table-is-a-select",
    ),
    pytest.param(
        _orders_table("raw.orders WHERE amount > 0"),
        "sources.orders.table",
        ["is not a table name like schema.table"],
        id="table-with-where",
    ),
    pytest.param(
        _orders_table("raw.orders AS o"),
        "sources.orders.table",
        ["is not a table name like schema.table"],
        id="table-with-alias",
    ),
    pytest.param(
        _orders_table("read_csv('/etc/passwd')"),
        "sources.orders.table",
        ["is not a table name like schema.table"],
        id="table-is-a-function",
    ),
    pytest.param(
        _orders_table("a.b.c.d"),
        "sources.orders.table",
        ["is not a table name like schema.table"],
        id="table-four-parts",
    ),
    pytest.param(
        _orders_table(""),
        "sources.orders.table",
        ["table '' is not a table name like schema.table"],
        id="table-empty",
    ),
]


@pytest.mark.parametrize("mutate, field, fragments", RULES)
def test_rule(mutate, field, fragments):
    assert_problem(mutated(mutate), field, *fragments)


@pytest.mark.parametrize(
    "mutate, field, fragments",
    [
        pytest.param(
            _set("experiments", 0, "metrics", 2, "conversion"),
            "experiments[0].metrics[2]",
            ["unknown metric 'conversion'"],
            id="unknown-metric",
        ),
        pytest.param(
            _set("metrics", 0, "source", "payments"),
            "metrics[0].source",
            ["unknown source 'payments'"],
            id="unknown-source",
        ),
        pytest.param(
            _fact_source_with_sql("DELETE FROM raw.x"),
            "sources.page_views.sql",
            ["must not contain DELETE"],
            id="bad-sql",
        ),
        pytest.param(
            _set("metrics", RATIO, "numerator", "sales"),
            f"metrics[{RATIO}].numerator",
            ["unknown metric 'sales'"],
            id="unknown-ratio-part",
        ),
        pytest.param(
            _set("metrics", RATIO, "numerator", RATIO_NAME),
            f"metrics[{RATIO}].numerator",
            ["is a ratio"],
            id="ratio-of-itself",
        ),
    ],
)
def test_reference_rules_report_only_that_problem(mutate, field, fragments):
    error, problems = problems_of(mutated(mutate))
    assert list(problems) == [field]
    assert all(f in problems[field] for f in fragments)


@pytest.mark.parametrize(
    "table",
    ["raw.orders", "orders", "main.raw.orders", '"raw"."my orders"', "RAW.Orders"],
)
def test_valid_table_names_are_accepted(table):
    config = parse_config(mutated(_orders_table(table)), FILE)
    assert config.sources["orders"].table == table


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT user_id, ts FROM raw.page_views WHERE page <> 'home'",
        "WITH v AS (SELECT * FROM raw.page_views) SELECT user_id, ts FROM v",
        "SELECT user_id, ts FROM raw.a UNION ALL SELECT user_id, ts FROM raw.b",
        "SELECT user_id, ts FROM raw.page_views;",
    ],
)
def test_valid_source_sql_is_accepted(sql):
    config = parse_config(mutated(_fact_source_with_sql(sql)), FILE)
    assert config.sources["page_views"].sql == sql


@pytest.mark.parametrize(
    "condition",
    ["amount >= 100", "amount BETWEEN 10 AND 20 AND currency = 'EUR'", "coalesce(refunded, FALSE) = FALSE",
     "refunded = TRUE", "refunded IS NOT TRUE", "NOT (amount > 0)", "TRUE", "page LIKE '/home%'",
     "page IN ('a', 'b') OR amount IS NULL", "starts_with(page, '/p')", "CAST(refunded AS BOOLEAN)",
     "coalesce(amount > 0, FALSE)", "isnan(amount)"],
)
def test_valid_filters_are_accepted(condition):
    config = parse_config(mutated(_filter(condition)), FILE)
    assert config.metrics[3].filter == condition


def test_cuped_can_be_disabled():
    config = parse_config(mutated(_set("experiments", 0, "cuped", {"enabled": False})), FILE)
    cuped = config.experiments[0].cuped
    assert cuped.enabled is False
    assert cuped.lookback_days == 14  # the default is kept for when it is switched back on


def test_cuped_defaults_to_on_for_14_days():
    def no_cuped(raw):
        raw["experiments"][0].pop("cuped", None)

    cuped = parse_config(mutated(no_cuped), FILE).experiments[0].cuped
    assert (cuped.enabled, cuped.lookback_days) == (True, 14)


def test_informative_prior_loads():
    config = parse_config(mutated(_set("experiments", BAYESIAN, "prior", {"mean": 0.02, "stddev": 0.05})), FILE)
    experiment = config.experiments[BAYESIAN]
    assert experiment.engine == "bayesian"
    assert (experiment.prior.mean, experiment.prior.stddev) == (0.02, 0.05)


def test_prior_without_stddev_is_flat():
    config = parse_config(mutated(_set("experiments", BAYESIAN, "prior", {"mean": 0.0})), FILE)
    assert config.experiments[BAYESIAN].prior.stddev is None


def test_demo_ratio_spans_two_sources():
    config = parse_config(DEMO_TEXT, DEMO_PATH)
    ratio = config.metrics[OTHER_RATIO]
    assert ratio.type == "ratio"
    assert config.metric(ratio.numerator).source != config.metric(ratio.denominator).source


def test_new_ratio_across_sources_loads_and_can_be_analysed():
    ratio = {
        "name": "large_orders_per_page_view",
        "type": "ratio",
        "numerator": "large_orders",
        "denominator": "page_views",
    }
    text = mutated(_both(_append("metrics", ratio), _append("experiments", 0, "metrics", ratio["name"])))
    config = parse_config(text, FILE)
    metric = config.metric(ratio["name"])
    assert (metric.numerator, metric.denominator) == ("large_orders", "page_views")
    assert config.metric("large_orders").source != config.metric("page_views").source
    assert config.experiments[0].metrics[-1] == ratio["name"]


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(_set("experiments", 0, "cuped", {"lookback_days": 1}), id="cuped-lookback-1"),
        pytest.param(_set("experiments", 0, "cuped", {"lookback_days": 365}), id="cuped-lookback-365"),
        pytest.param(_set("experiments", 0, "cuped", {}), id="cuped-empty-is-defaults"),
        pytest.param(_set("metrics", SUM, "winsorize", {"lower": 0.01}), id="winsorize-lower-only"),
        pytest.param(_set("metrics", SUM, "winsorize", {"lower": 0.01, "upper": 0.99}), id="winsorize-both"),
        pytest.param(_set("metrics", SUM, "winsorize", None), id="winsorize-null"),
        pytest.param(_set("experiments", 0, "alpha", 0.01), id="alpha-0.01"),
        pytest.param(_set("experiments", 0, "engine", "bayesian"), id="engine-bayesian"),
        pytest.param(_set("experiments", BAYESIAN, "engine", "frequentist"), id="engine-frequentist"),
        pytest.param(_set("experiments", SEQUENTIAL, "sequential_tuning", 0.5), id="sequential-tuning-small"),
        *[
            pytest.param(_set("experiments", 0, "correction", c), id=f"correction-{c}")
            for c in ("none", "bonferroni", "holm", "bh")
        ],
    ],
)
def test_valid_statistics_settings_load(mutate):
    parse_config(mutated(mutate), FILE)


def test_path_names_a_source_even_when_it_is_named_like_a_kind():
    # pydantic inserts the union tag ("facts") into error locations; a source
    # that is itself named "facts" must keep its name in the path.
    def mutate(raw):
        raw["sources"]["facts"] = raw["sources"].pop("orders")
        del raw["sources"]["facts"]["unit_id"]

    assert_problem(mutated(mutate), "sources.facts.unit_id", "required field is missing")


def test_path_names_a_variant_named_like_a_kind():
    text = mutated(_set("experiments", 0, "variants", {"control": 0.5, "duckdb": "half"}))
    assert_problem(text, "experiments[0].variants.duckdb", "valid number")


def test_experiment_variant_problems_are_all_listed_at_their_fields():
    text = mutated(_set("experiments", 0, "variants", {"treatment": 0.3}))
    error = assert_problem(text, "experiments[0].variants", "needs at least two variants",
                           "variant weights sum to 0.3, not 1")
    assert_problem(text, "experiments[0].control", "control 'control' is not one of the variants ['treatment']")
    assert len(error.problems) == 2


# ------------------------------------------------------- several at once


def test_two_bad_references_are_both_reported():
    text = mutated(
        _both(
            _set("experiments", 0, "metrics", 1, "conversion"),
            _set("experiments", 1, "metrics", 0, "bounce_rate"),
        )
    )
    error, problems = problems_of(text)
    assert problems.keys() == {"experiments[0].metrics[1]", "experiments[1].metrics[0]"}
    assert "unknown metric 'conversion'" in problems["experiments[0].metrics[1]"]
    assert "unknown metric 'bounce_rate'" in problems["experiments[1].metrics[0]"]
    assert str(error).count("unknown metric") == 2


def test_reference_problems_across_sections_are_all_reported():
    text = mutated(
        _both(
            _set("metrics", 1, "name", "revenue"),
            _set("metrics", 2, "source", "exposures"),
            _filter("1=1; DROP TABLE x"),
            _fact_source_with_sql("DELETE FROM raw.x"),
            _set("experiments", 1, "assignment_source", "nowhere"),
        )
    )
    # renaming metrics[1] away from its name orphans every reference to it,
    # from ratio metrics' parts and from experiments' metric lists
    renamed = DEMO["metrics"][1]["name"]
    unknown = "unknown metric {!r}; known: {}".format(
        renamed, ", ".join(sorted({m["name"] for m in DEMO["metrics"]} - {renamed}))
    )
    orphaned = {
        f"metrics[{i}].{part}": unknown
        for i, m in enumerate(DEMO["metrics"])
        for part in ("numerator", "denominator")
        if m.get(part) == renamed
    } | {
        f"experiments[{i}].metrics[{j}]": unknown
        for i, e in enumerate(DEMO["experiments"])
        for j, name in enumerate(e["metrics"])
        if name == renamed
    }
    assert any(k.startswith("metrics[") for k in orphaned) and any(k.startswith("experiments[") for k in orphaned)
    error, problems = problems_of(text)
    assert problems == orphaned | {
        "metrics[1]": "duplicate metric name 'revenue' (first at metrics[0])",
        "sources.page_views.sql": "sql must not contain DELETE",
        "metrics[2].source": "'exposures' is not a facts source",
        "metrics[3].filter": "metric 'large_orders': filter must be a single statement, found 2",
        "experiments[1].assignment_source": f"unknown source 'nowhere'; {KNOWN_SOURCES}",
    }
    assert str(error) == "invalid config {}:\n  {}".format(
        FILE, "\n  ".join(f"{f}: {m}" for f, m in error.problems)
    )


def test_schema_problems_are_all_reported():
    text = mutated(
        _both(
            _set("metrics", 0, "colour", "red"),
            _delete("experiments", 1, "control"),
            _set("experiments", 0, "id", "1st"),
            _set("sources", "orders", "sql", "SELECT 1"),
        )
    )
    _, problems = problems_of(text)
    assert problems == {
        "metrics[0].colour": "unknown field",
        "experiments[1].control": "required field is missing",
        "experiments[0].id": "'1st' is not a valid name (letters, digits and _, not starting with a digit)",
        "sources.orders": "give exactly one of 'table' or 'sql'",
    }


def test_duplicate_and_unknown_metric_in_one_experiment():
    text = mutated(_set("experiments", 1, "metrics", ["nope", "revenue", "nope"]))
    error, _ = problems_of(text)
    assert error.problems == [
        ("experiments[1].metrics[2]", "duplicate metric 'nope' (first at experiments[1].metrics[0])"),
        ("experiments[1].metrics[0]", f"unknown metric 'nope'; {KNOWN_METRICS}"),
        ("experiments[1].metrics[2]", f"unknown metric 'nope'; {KNOWN_METRICS}"),
    ]


# ------------------------------------------------------ the file in messages


@pytest.mark.parametrize(
    "text",
    [
        "warehouse: [unclosed\n",
        "- a\n- b\n",
        mutated(_set("experiments", 0, "metrics", 0, "conversion")),
        mutated(_set("metrics", 0, "type", "median")),
        DEMO_TEXT.replace("raw.orders", "raw.orders; DROP TABLE raw.orders"),
    ],
    ids=["yaml", "top-level", "reference", "schema", "fragment"],
)
@pytest.mark.parametrize("path", ["config.yaml", "/abs/dir/project.yml", Path("rel/dir/p.yaml")])
def test_str_error_contains_the_file(text, path):
    with pytest.raises(ConfigError) as info:
        parse_config(text, path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert str(info.value).startswith(f"invalid config {path}:\n  ")


def test_load_config_errors_name_the_file(tmp_path):
    path = tmp_path / "project.yaml"
    path.write_text(DEMO_TEXT.replace("control: control\n", "control: baseline\n", 1))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"invalid config {path}:\n  experiments[0].control: control 'baseline'")


def test_parse_config_default_path():
    with pytest.raises(ConfigError) as info:
        parse_config("[]")
    assert info.value.path == "<string>"
    assert "invalid config <string>:" in str(info.value)
