"""User-supplied SQL fragments (a source's `table` or `sql`, a metric's `filter`):
parsed with sqlglot and rejected unless they are what they claim to be. The
config validates them with these at load; the SQL builders render what they return."""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from exp_assets.config import functions

# Nodes that write or change state: none may appear in a source SELECT or a filter.
_WRITES = (
    exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter,
    exp.Command, exp.Copy, exp.TruncateTable, exp.Set, exp.Use, exp.Transaction,
    exp.Commit, exp.Rollback, exp.Into,
)


def _parse_single(text: str, dialect: str, what: str) -> exp.Expression:
    if "\x00" in text:  # sqlglot would read it as an (unquoted) identifier
        raise ValueError(f"{what} must not contain a NUL character")
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except SqlglotError as error:  # ParseError, and TokenError (e.g. an unterminated quote)
        first = str(error).splitlines()[0]
        raise ValueError(f"{what} is not valid {dialect} SQL: {first}") from None
    if len(statements) != 1:
        raise ValueError(f"{what} must be a single statement, found {len(statements)}")
    statement = statements[0]
    writer = next((n for n in statement.walk() if isinstance(n, _WRITES)), None)
    if writer is not None:
        raise ValueError(f"{what} must not contain {writer.key.upper()}")
    return statement


def _check_calls(statement: exp.Expression, dialect: str, what: str) -> None:
    call = functions.disallowed_call(statement, dialect)
    if call is not None:
        raise ValueError(
            f"{what} calls function {call}, which is not allowed on {dialect}: fragments may call only "
            "ordinary scalar, aggregate and window functions (the list is in exp_assets/config/functions.py)"
        )


def parse_select(text: str, dialect: str) -> exp.Query:
    statement = _parse_single(text, dialect, "sql")
    if not isinstance(statement, exp.Query):
        raise ValueError(f"sql must be a SELECT, got {statement.key.upper()}")
    _check_calls(statement, dialect, "sql")
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Func):  # table functions: checked by _check_calls
            _check_table_name(table, table.sql(dialect))
    return statement


# DuckDB reads a file or URL named as a table ('data.csv', "s3://b/x.parquet"),
# Snowflake a stage ('@stage/x'): no name part of a source's table may look like one.
_FILE_LIKE = re.compile(r"[./\\:@*?~]")


def _check_table_name(table: exp.Table, text: str) -> None:
    parts = [table.args.get(key) for key in ("this", "db", "catalog") if table.args.get(key) is not None]
    if not all(isinstance(p, exp.Identifier) and not _FILE_LIKE.search(p.name) for p in parts):
        raise ValueError(f"table {text!r} is not a table name like schema.table (files and stages are not sources)")


def parse_table(text: str, dialect: str) -> exp.Table:
    # Not exp.to_table: on a parse error it falls back to splitting the text on
    # dots, so "raw.x; DROP TABLE y" or "SELECT 1" became (quoted) table names.
    try:
        table = None if "\x00" in text else sqlglot.parse_one(text, read=dialect, into=exp.Table)
    except (SqlglotError, ValueError):
        table = None
    parts = ("this", "db", "catalog")
    if (
        not isinstance(table, exp.Table)
        or not table.name
        or any(value for key, value in table.args.items() if key not in parts)
        or not all(isinstance(table.args.get(key), (exp.Identifier, type(None))) for key in parts)
    ):
        raise ValueError(f"table {text!r} is not a table name like schema.table")
    _check_table_name(table, text)
    return table


# Where an unqualified table name resolves (BigQuery has no default dataset).
DEFAULT_SCHEMA = {"duckdb": "main", "snowflake": "PUBLIC"}


def tables_read(table: str | None, sql: str | None, dialect: str) -> list[tuple[str, str]]:
    """(schema, table) of every table a source reads: its `table`, or the tables
    its `sql` names (not its own CTEs); an unqualified name is in the engine's default schema."""
    if table is not None:
        found = [parse_table(table, dialect)]
    else:
        query = parse_select(sql, dialect)
        ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
        found = [t for t in query.find_all(exp.Table) if t.db or t.name not in ctes]
    return [(t.db or DEFAULT_SCHEMA.get(dialect, ""), t.name) for t in found]


def parse_condition(text: str, dialect: str) -> exp.Expression:
    statement = _parse_single(text, dialect, "filter")
    if isinstance(statement, exp.Query) or not isinstance(statement, exp.Condition):
        raise ValueError(f"filter must be a boolean expression, got {statement.key.upper()}")
    if any(isinstance(n, exp.Query) for n in statement.walk()):
        raise ValueError("filter must not contain a subquery")
    _check_calls(statement, dialect, "filter")
    wrong = _not_a_predicate(statement, dialect)
    if wrong is not None:
        raise ValueError(
            f"filter {text!r} is not a condition: {wrong} is not true or false; compare it "
            "(e.g. amount > 0, or flag = TRUE for a boolean column)"
        )
    return statement


def _not_a_predicate(node: exp.Expression, dialect: str) -> str | None:
    """What part of a filter is not a predicate, if any. Checked by shape at load:
    a bare column or arithmetic would be cast to BOOLEAN (DuckDB drops zeros
    silently) or fail only when the step runs; the column types are unknown here."""
    if isinstance(node, (exp.Paren, exp.Not)):
        return _not_a_predicate(node.this, dialect)
    if isinstance(node, exp.Connector):  # AND, OR, XOR
        return _not_a_predicate(node.left, dialect) or _not_a_predicate(node.right, dialect)
    if isinstance(node, exp.Coalesce):
        return next(filter(None, (_not_a_predicate(a, dialect) for a in [node.this, *node.expressions])), None)
    if isinstance(node, (exp.Predicate, exp.Boolean)):  # comparisons, IN, IS, LIKE, BETWEEN; TRUE, FALSE
        return None
    if isinstance(node, (exp.Cast, exp.TryCast)) and node.to.this == exp.DataType.Type.BOOLEAN:
        return None
    if isinstance(node, exp.Func) and functions.returns_boolean(node, dialect):
        return None
    if isinstance(node, exp.Column):
        return f"a column ({node.sql(dialect)})"
    if isinstance(node, (exp.Literal, exp.Null)):
        return "NULL" if isinstance(node, exp.Null) else f"a literal ({node.sql(dialect)})"
    if isinstance(node, (exp.Binary, exp.Neg)):
        return f"arithmetic ({node.sql(dialect)})"
    if isinstance(node, exp.Func):
        return f"{functions.name_of(node)}(...)"
    return node.key.upper()
