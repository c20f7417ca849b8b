"""Identifiers and literals in the pipeline's own (DuckDB) dialect: quoted,
never pasted. (Users' SQL fragments are validated in exp_assets/config/fragments.py.)"""

from __future__ import annotations

import datetime as dt
import functools

from sqlglot import exp


@functools.lru_cache(maxsize=4096)  # a run quotes the same few hundred names thousands of times
def ident(name: str) -> str:
    """A quoted identifier in the pipeline's own (DuckDB) dialect."""
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def table(schema: str, name: str) -> str:
    return f"{ident(schema)}.{ident(name)}"


def literal(value: str | int | float) -> str:
    if isinstance(value, str):
        return exp.Literal.string(value).sql("duckdb")
    return exp.Literal.number(value).sql("duckdb")


def date_literal(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def timestamp_literal(day: dt.date) -> str:
    """Midnight UTC of `day`: partition windows are UTC days."""
    return f"TIMESTAMP '{day.isoformat()} 00:00:00'"
