"""A step that fails on a source the config no longer matches (a dropped
column, a timestamp stored as text) says so in one line naming the source,
its table, the column and the config field, on every engine; the engine's
own error and traceback go to the debug log only."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from exp_assets import cli, steps
from exp_assets.days import DayRange
from exp_assets.source_columns import SourceError
from exp_assets_tests import fixtures
from exp_assets_tests.engines import engine  # noqa: F401 - the fixture
from exp_assets_tests.fixtures import END, START

FULL = DayRange(START, END + dt.timedelta(days=1))


def _failure(wh, plan) -> str:
    with pytest.raises(SourceError) as error:
        steps.materialize_all(wh, plan, FULL)
    message = str(error.value)
    assert "\n" not in message and len(message) < 400, message
    assert error.value.__suppress_context__  # the engine's error is in the debug log, not repeated
    return message


def test_a_dropped_column_names_the_source_its_table_and_the_field(engine):  # noqa: F811
    raw = fixtures.raw_tables(units=40)
    raw["orders"] = raw["orders"].drop(columns=["amount"])
    wh, plan = engine.setup(raw)
    message = _failure(wh, plan)
    assert message.startswith("source 'orders' (raw"), message
    assert ("orders): column 'amount' (metrics[0].column, metric revenue; metrics[3].filter, metric big_orders) "
            "is missing; its columns: user_id, ts") in message, message


def test_a_filter_column_that_is_gone_names_the_filter(engine):  # noqa: F811
    raw = fixtures.raw_tables(units=40)
    raw["orders"] = raw["orders"].rename(columns={"amount": "total"})
    wh, plan = engine.setup(raw, metrics=["big_orders"])
    message = _failure(wh, plan)
    assert "column 'amount' (metrics[3].filter, metric big_orders) is missing" in message, message


def test_a_timestamp_stored_as_text_names_the_column_and_its_type(engine):  # noqa: F811
    raw = fixtures.raw_tables(units=40)
    raw["orders"]["ts"] = raw["orders"]["ts"].astype(str)
    wh, plan = engine.setup(raw)
    message = _failure(wh, plan)
    assert "source 'orders' (raw" in message and "column 'ts' (sources.orders.timestamp) is " in message, message
    assert "not a timestamp or date" in message, message


def test_the_cli_prints_one_line_and_keeps_the_traceback_for_the_debug_log(tmp_path, monkeypatch, capsys, caplog):
    db = tmp_path / "wh.duckdb"
    raw = fixtures.raw_tables(units=40)
    raw["orders"] = raw["orders"].drop(columns=["amount"])
    fixtures.write_raw(db, raw)
    config = tmp_path / "c.yaml"
    config.write_text(fixtures.config_text(db))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    with caplog.at_level(logging.DEBUG, logger="exp_assets"):
        rc = cli.main(["--config", str(config), "run", "exp_a"])
    err = capsys.readouterr().err
    assert rc == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: source 'orders' (raw.orders): column 'amount' (metrics[0].column"), lines[0]
    assert "Traceback" not in err
    assert any("Traceback" in (r.exc_text or "") or r.exc_info for r in caplog.records), caplog.records
