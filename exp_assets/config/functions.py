"""The functions a user SQL fragment (a metric `filter`, a source `sql:` SELECT)
may call, per engine: an allow-list, so that anything with a side effect
(nextval, checkpoint), that reads files (read_csv, read_text, glob) or runs a
query (query, query_table) is refused by default, including functions an
engine adds later. Names are as written in that engine's SQL, upper case.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

# Available under these names on all three engines.
_COMMON = {
    # conditional and null handling
    "CASE", "COALESCE", "NULLIF", "IFNULL", "GREATEST", "LEAST", "CAST",
    # math
    "ABS", "SIGN", "ROUND", "FLOOR", "CEIL", "CEILING", "TRUNC", "MOD", "SQRT", "POWER", "EXP", "LN", "LOG",
    "LOG10",
    # text
    "LOWER", "UPPER", "LENGTH", "TRIM", "LTRIM", "RTRIM", "SUBSTR", "SUBSTRING", "REPLACE", "CONCAT",
    "LEFT", "RIGHT", "LPAD", "RPAD", "REVERSE", "STRPOS",
    # dates and times
    "EXTRACT", "DATE_TRUNC", "CURRENT_DATE", "CURRENT_TIMESTAMP",
    # aggregates and windows (a source SELECT may group or deduplicate)
    "COUNT", "SUM", "AVG", "MIN", "MAX", "ANY_VALUE", "STDDEV", "STDDEV_SAMP", "STDDEV_POP", "VARIANCE",
    "VAR_SAMP", "VAR_POP", "ROW_NUMBER", "RANK", "DENSE_RANK", "LAG", "LEAD", "FIRST_VALUE", "LAST_VALUE",
}

ALLOWED: dict[str, frozenset[str]] = {
    "duckdb": frozenset(_COMMON | {
        "IF", "TRY_CAST", "ISNAN", "ISINF", "ISFINITE", "POW", "LOG2",
        "STARTS_WITH", "PREFIX", "SUFFIX", "ENDS_WITH", "CONTAINS", "REGEXP_MATCHES", "REGEXP_REPLACE",
        "REGEXP_EXTRACT", "SPLIT_PART", "STRLEN", "LCASE", "UCASE",
        "DATE_PART", "DATEPART", "DATE_DIFF", "DATEDIFF", "DATE_ADD", "DATE_SUB", "STRFTIME", "STRPTIME",
        "TRY_STRPTIME", "TO_TIMESTAMP", "EPOCH", "EPOCH_MS", "MAKE_DATE", "MAKE_TIMESTAMP", "YEAR", "MONTH",
        "DAY", "HOUR", "DAYOFWEEK", "TODAY", "NOW", "COUNT_IF", "BOOL_AND", "BOOL_OR", "MEDIAN",
    }),
    "snowflake": frozenset(_COMMON | {
        "IFF", "NVL", "NVL2", "ZEROIFNULL", "NULLIFZERO", "DIV0", "TRY_CAST", "SQUARE", "POW",
        "STARTSWITH", "ENDSWITH", "CONTAINS", "REGEXP_LIKE", "RLIKE", "REGEXP_REPLACE", "REGEXP_SUBSTR",
        "SPLIT_PART", "CHARINDEX", "POSITION", "TO_VARCHAR", "TO_CHAR", "TO_NUMBER", "TRY_TO_NUMBER",
        "TO_DOUBLE", "TO_BOOLEAN", "TO_DATE", "TRY_TO_DATE", "TO_TIMESTAMP", "TO_TIMESTAMP_NTZ",
        "TO_TIMESTAMP_TZ", "TRY_TO_TIMESTAMP", "CONVERT_TIMEZONE", "DATE_PART", "DATEADD", "DATEDIFF",
        "TIMESTAMPADD", "TIMESTAMPDIFF", "YEAR", "MONTH", "DAY", "HOUR", "DAYOFWEEK", "SYSDATE",
        "COUNT_IF", "BOOLAND_AGG", "BOOLOR_AGG", "MEDIAN",
    }),
    "bigquery": frozenset(_COMMON | {
        "IF", "SAFE_CAST", "SAFE_DIVIDE", "DIV", "IS_INF", "IS_NAN", "POW",
        "STARTS_WITH", "ENDS_WITH", "REGEXP_CONTAINS", "REGEXP_REPLACE", "REGEXP_EXTRACT", "SPLIT",
        "DATE", "DATETIME", "TIMESTAMP", "DATE_ADD", "DATE_SUB", "DATE_DIFF", "TIMESTAMP_ADD",
        "TIMESTAMP_SUB", "TIMESTAMP_DIFF", "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "FORMAT_DATE",
        "FORMAT_TIMESTAMP", "PARSE_DATE", "PARSE_TIMESTAMP", "UNIX_SECONDS", "UNIX_MILLIS",
        "TIMESTAMP_SECONDS", "TIMESTAMP_MILLIS", "COUNTIF", "LOGICAL_AND", "LOGICAL_OR",
    }),
}

# The allowed functions that return a boolean: a filter may be one of them.
BOOLEAN = frozenset({
    "ISNAN", "ISINF", "ISFINITE", "IS_INF", "IS_NAN", "STARTS_WITH", "STARTSWITH", "ENDS_WITH", "ENDSWITH",
    "PREFIX", "SUFFIX", "CONTAINS", "REGEXP_MATCHES", "REGEXP_LIKE", "RLIKE", "REGEXP_CONTAINS", "TO_BOOLEAN",
})


@functools.cache
def _classes(dialect: str, names: frozenset[str]) -> frozenset[type]:
    """The sqlglot node types `names` parse to on `dialect`: sqlglot reads many
    functions into typed nodes (IFF -> If, NVL -> Coalesce), so a call is
    checked by its node type, and by its name only where sqlglot does not know it."""
    found = set()
    for name in names:
        probes = [f"{name}({arguments})" for arguments in _ARGUMENTS] + [_SYNTAX.get(name, "")]
        for probe in filter(None, probes):
            try:
                tree = sqlglot.parse_one(probe, read=dialect, error_level=ErrorLevel.IGNORE)
            except Exception:  # noqa: BLE001 - sqlglot's builders may fail on made-up arguments
                continue
            if isinstance(tree, exp.Func) and not isinstance(tree, exp.Anonymous):
                found.add(type(tree))
    return frozenset(found)


# Made-up arguments that make a name parse as its function, whatever its arity.
_ARGUMENTS = ("", "a", "a, b", "a, b, c", "a AS INT", "YEAR FROM a", "a, INTERVAL 1 DAY")
# Allowed names that are syntax rather than calls.
_SYNTAX = {"CASE": "CASE WHEN a THEN b END"}


def name_of(call: exp.Func) -> str:
    return call.name.upper() if isinstance(call, exp.Anonymous) else call.sql_name()


def is_allowed(call: exp.Func, dialect: str, names: frozenset[str] | None = None) -> bool:
    names = ALLOWED[dialect] if names is None else names
    if isinstance(call, exp.Anonymous):
        # a quoted name ("nextval"(...)) calls the same function in DuckDB
        return call.name.upper() in names
    return type(call) in _classes(dialect, names)


def returns_boolean(call: exp.Func, dialect: str) -> bool:
    return is_allowed(call, dialect, ALLOWED[dialect] & BOOLEAN)


def disallowed_call(tree: exp.Expression, dialect: str) -> str | None:
    """The name of the first function `tree` calls that is not allowed on `dialect`, if any."""
    calls = (n for n in tree.walk() if isinstance(n, exp.Func) and not isinstance(n, exp.Connector))  # AND, OR: syntax
    call = next((n for n in calls if not is_allowed(n, dialect)), None)
    return None if call is None else name_of(call)
