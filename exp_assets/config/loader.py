"""Load and validate the project's YAML file; every error names the file, the
field path and what is wrong."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pydantic
import yaml

from exp_assets.config.references import find_problems
from exp_assets.fields import FieldErrors
from exp_assets.config.schema import ProjectConfig
from exp_assets.metrics import KINDS

CONFIG_ENV_VAR = "EXP_ASSETS_CONFIG"


class ConfigError(ValueError):
    def __init__(self, path: Path | str, problems: list[tuple[str, str]]):
        self.path = str(path)
        self.problems = problems
        lines = [f"{field}: {message}" if field else message for field, message in problems]
        super().__init__(f"invalid config {self.path}:\n  " + "\n  ".join(lines))


def demo_config_path() -> Path:
    return Path(str(resources.files("exp_assets.demo").joinpath("demo.yaml")))


def config_path() -> Path:
    """The config in EXP_ASSETS_CONFIG, or the shipped demo config."""
    return Path(os.environ.get(CONFIG_ENV_VAR) or demo_config_path())


def load_config(path: Path | str | None = None) -> ProjectConfig:
    path = Path(path) if path is not None else config_path()
    try:
        text = path.read_text()
    except OSError as error:
        raise ConfigError(path, [("", f"cannot read file: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, [("", f"cannot read file: not text ({error.reason})")]) from None
    return parse_config(text, path)


class _Loader(yaml.SafeLoader):
    """yaml.SafeLoader, stricter: a mapping may not repeat a key (PyYAML keeps
    the last silently: two sources of the same name would become one), dates
    stay text for the schema to parse (so a bad date is reported at its field),
    and a bad explicitly tagged value (`!!int x`) is a YAML error with its line."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}",
                        key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:  # e.g. !!int x, !!timestamp 2026-13-01
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {str(node.value)[:80]!r} as {node.tag.rsplit(':', 1)[-1]}: {error}", node.start_mark,
            ) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_config(text: str, path: Path | str = "<string>") -> ProjectConfig:
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(path, [("", f"not valid YAML: {where}{getattr(error, 'problem', None) or error}")]) from None
    except RecursionError:
        raise ConfigError(path, [("", "not valid YAML: nested too deeply")]) from None
    if not isinstance(raw, dict):
        raise ConfigError(path, [("", f"the top level must be a mapping, got {type(raw).__name__}")])
    try:
        config = ProjectConfig.model_validate(raw)
    except pydantic.ValidationError as error:
        raise ConfigError(path, [problem for e in error.errors() for problem in _problems(e)]) from None
    problems = find_problems(config)
    if problems:
        raise ConfigError(path, problems)
    return config


def _problems(error: dict) -> list[tuple[str, str]]:
    """(field path, message) of one pydantic error; a model validator's
    FieldErrors become one problem at each field it names."""
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, FieldErrors):
        parent = _error_path(error)
        return [(f"{parent}.{field}" if parent else field, message) for field, message in cause.problems]
    return [(_error_path(error), _message(error))]


def _error_path(error: dict) -> str:
    path = _field_path(error["loc"])
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):  # name the tag field itself
        tag = str(error.get("ctx", {}).get("discriminator", "")).strip("'")
        path = f"{path}.{tag}" if path and tag else path
    return path


def _field_path(loc: tuple) -> str:
    path = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
        elif (i == 1 and loc[0] == "warehouse" and part in ("duckdb", "snowflake", "bigquery")) or (
            i == 2 and loc[0] == "sources" and part in ("assignments", "facts")
        ) or (i == 2 and loc[0] == "metrics" and part in KINDS):
            continue  # discriminator tags pydantic inserts into the location (not a source named "facts")
        elif part == "[key]":
            continue  # the key itself is wrong (e.g. a source name): the path ends at it
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "union_tag_not_found":
        return "required field is missing"
    if error["type"] == "union_tag_invalid":
        return message
    if error["type"] == "string_pattern_mismatch":
        return f"{error['input']!r} is not a valid name (letters, digits and _, not starting with a digit)"
    return message
