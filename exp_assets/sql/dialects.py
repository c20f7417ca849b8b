"""The pipeline's SQL is written once, in DuckDB's dialect; this module renders
it for the other engines with sqlglot, fixes the few places where the
transpiler's output is wrong for the real engine, and lints the result.

Hand-written rewrites (each a sqlglot transform below, applied before generation):

- named windows (`WINDOW running AS (...)`) are inlined: Snowflake has no
  WINDOW clause, and sqlglot's BigQuery generator fails on them;
- Snowflake: a source timestamp read as TIMESTAMP is converted to UTC first;
- BigQuery: DuckDB's TIMESTAMP (UTC wall time) becomes BigQuery TIMESTAMP, not
  DATETIME, so that literals compare with the TIMESTAMP columns of event tables;
- BigQuery: `x +/- INTERVAL n UNIT` becomes TIMESTAMP_ADD/SUB (DATE_ADD/SUB on
  date columns, so the result stays a DATE);
- BigQuery: PERCENTILE_CONT exists only as an analytic function there, so an
  aggregate percentile becomes a window over the GROUP BY keys in a subquery;
- BigQuery: a SELECT without FROM may not have a WHERE clause;
- DuckDB's `isfinite` and its NULL-ignoring GREATEST/LEAST are spelt out;
- BigQuery: DuckDB's row hash `hash(a, b, ...)` (Snowflake's HASH takes the
  same arguments) becomes FARM_FINGERPRINT of the values as a JSON string.

`lint()` then fails on functions the real engines reject even where both
emulators accept them (fakesnow and bqemulator run the SQL on DuckDB).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import sqlglot
import sqlglot.errors
from sqlglot import exp
from sqlglot.errors import ErrorLevel
from sqlglot.tokens import TokenType

DIALECTS = ("duckdb", "snowflake", "bigquery")


def render(sql: str, dialect: str, tables: Mapping[str, str] | None = None, pretty: bool = False) -> str:
    """`sql` (DuckDB dialect, one statement) for `dialect`. `tables` renames
    unqualified table references (e.g. `_frame` -> a staging table); names
    there are given in DuckDB syntax. DuckDB SQL without renames is returned as is."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")
    if dialect == "duckdb" and not tables and not pretty:
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")
    if tables:
        tree = _rename_tables(tree, tables)
    for transform in _TRANSFORMS.get(dialect, ()):
        tree = transform(tree)
    if dialect == "duckdb":
        return tree.sql("duckdb", pretty=pretty)
    return tree.sql(dialect, identify=True, pretty=pretty, unsupported_level=ErrorLevel.RAISE)


# --- transforms ---------------------------------------------------------------------------


def _rename_tables(tree: exp.Expression, tables: Mapping[str, str]) -> exp.Expression:
    for table in list(tree.find_all(exp.Table)):
        if not table.args.get("db") and table.name in tables:
            target = exp.to_table(tables[table.name], dialect="duckdb")
            alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
            target.set("alias", alias.copy())
            table.replace(target)
    return tree


def _inline_named_windows(tree: exp.Expression) -> exp.Expression:
    for select in list(tree.find_all(exp.Select)):
        named = {w.name: w for w in select.args.get("windows") or []}
        if not named:
            continue
        for window in list(select.find_all(exp.Window)):
            reference = window.args.get("alias")
            if reference is None or reference.name not in named or window.find_ancestor(exp.Select) is not select:
                continue
            definition = named[reference.name]
            for key in ("partition_by", "order", "spec"):
                if definition.args.get(key) is not None and window.args.get(key) is None:
                    value = definition.args[key]
                    window.set(key, [v.copy() for v in value] if isinstance(value, list) else value.copy())
            window.set("alias", None)
        select.set("windows", None)
    return tree


def _utc_timestamps(tree: exp.Expression) -> exp.Expression:
    """DuckDB TIMESTAMP (naive, holding UTC) -> BigQuery TIMESTAMP (not DATETIME)."""
    naive = {exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ}
    for dtype in list(tree.find_all(exp.DataType)):
        if dtype.this in naive:
            dtype.replace(exp.DataType.build("TIMESTAMPTZ"))
    return tree


def _utc_wall_time(tree: exp.Expression) -> exp.Expression:
    """Snowflake: a source column cast to TIMESTAMP (the pipeline's UTC wall time)
    goes through CONVERT_TIMEZONE('UTC', ...) first, because casting a
    TIMESTAMP_TZ to TIMESTAMP_NTZ keeps the value's own offset's wall time; naive
    and LTZ columns are read in the session's zone, which the adapter sets to UTC."""
    naive = {exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ}
    for cast in list(tree.find_all(exp.Cast)):
        if cast.to.this in naive and isinstance(cast.this, exp.Column):
            cast.set("this", exp.ConvertTimezone(target_tz=exp.Literal.string("UTC"), timestamp=cast.this.copy()))
    return tree


def _is_date(expression: exp.Expression) -> bool:
    """Whether an operand of interval arithmetic is a DATE: the builders name
    date columns *_date (as_of_date, event_date, ...) and cast or write DATE literals."""
    if isinstance(expression, exp.Paren):
        return _is_date(expression.this)
    if isinstance(expression, exp.Column):
        return expression.name.endswith("_date") or expression.name == "day"
    if isinstance(expression, exp.Cast):
        return expression.to.this == exp.DataType.Type.DATE
    return False


def _interval_functions(tree: exp.Expression) -> exp.Expression:
    for node in list(tree.find_all(exp.Add, exp.Sub)):
        interval = node.expression
        if not isinstance(interval, exp.Interval):
            continue
        amount, unit = interval.this, interval.args.get("unit")
        if unit is None or not amount.is_string and not amount.is_int and not amount.is_number:
            raise ValueError(f"cannot render interval {interval.sql('duckdb')} for BigQuery")
        value = exp.Literal.number(int(amount.name))
        name = ("DATE" if _is_date(node.this) else "TIMESTAMP") + ("_ADD" if isinstance(node, exp.Add) else "_SUB")
        node.replace(exp.Anonymous(this=name, expressions=[
            node.this.copy(), exp.Interval(this=value, unit=exp.var(unit.name.upper())),
        ]))
    return tree


_PERCENTILES = (exp.PercentileCont, exp.PercentileDisc)


def _percentiles_as_windows(tree: exp.Expression) -> exp.Expression:
    """BigQuery has PERCENTILE_CONT only as an analytic function:
    `SELECT k, PERCENTILE_CONT(x, p) FROM r WHERE c GROUP BY k` becomes
    `SELECT k, MIN(r._pct0) FROM (SELECT *, PERCENTILE_CONT(x, p) OVER (PARTITION BY k) AS _pct0
    FROM r WHERE c) AS r GROUP BY k` (the same exact, interpolated percentile)."""
    for select in list(tree.find_all(exp.Select)):
        found = [
            p for p in select.find_all(*_PERCENTILES)
            if p.find_ancestor(exp.Select) is select and not isinstance(p.parent, exp.Window)
        ]
        if not found:
            continue
        from_ = select.args.get("from_")
        if from_ is None or select.args.get("joins") or select.args.get("having"):
            raise ValueError("an aggregate percentile needs a single FROM without joins or HAVING to render for BigQuery")
        source = from_.this
        alias = source.alias_or_name
        keys = [k.copy() for k in (select.args["group"].expressions if select.args.get("group") else [])]
        inner = exp.select(exp.Star()).from_(source.copy())
        if select.args.get("where") is not None:
            inner.set("where", select.args["where"].copy())
        for i, percentile in enumerate(found):
            name = f"_pct{i}"
            window = exp.Window(this=percentile.copy(), partition_by=[k.copy() for k in keys], over="OVER")
            inner.select(exp.alias_(window, name), append=True, copy=False)
            percentile.replace(exp.Min(this=exp.column(name, table=alias)))
        select.set("from_", exp.From(this=exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(alias)))))
        select.set("where", None)
    return tree


def _from_for_where(tree: exp.Expression) -> exp.Expression:
    for select in list(tree.find_all(exp.Select)):
        if select.args.get("from_") is None and select.args.get("where") is not None:
            select.set("from_", exp.From(this=exp.Subquery(
                this=exp.select(exp.Literal.number(1)), alias=exp.TableAlias(this=exp.to_identifier("_one")),
            )))
    return tree


def _aggregate_window_order(tree: exp.Expression) -> exp.Expression:
    """Running totals order their frames by day columns, never NULL; say so in
    BigQuery's own default null order, which it cannot change for aggregate windows."""
    for window in tree.find_all(exp.Window):
        if isinstance(window.this, exp.AggFunc) and window.args.get("order") is not None:
            for ordered in window.args["order"].expressions:
                ordered.set("nulls_first", not ordered.args.get("desc"))
    return tree


def _isfinite(dialect: str):
    def transform(tree: exp.Expression) -> exp.Expression:
        for call in list(tree.find_all(exp.Anonymous)):
            if call.name.upper() != "ISFINITE":
                continue
            (value,) = call.expressions
            if dialect == "bigquery":
                spelt = exp.not_(exp.paren(exp.or_(
                    exp.Anonymous(this="IS_INF", expressions=[value.copy()]),
                    exp.Anonymous(this="IS_NAN", expressions=[value.copy()]),
                )))
            else:  # Snowflake: NaN = NaN is TRUE there
                specials = [exp.cast(exp.Literal.string(s), "DOUBLE") for s in ("NaN", "inf", "-inf")]
                spelt = exp.not_(exp.In(this=value.copy(), expressions=specials))
            call.replace(exp.paren(spelt))
        return tree

    return transform


def _row_hash(tree: exp.Expression) -> exp.Expression:
    """BigQuery has no HASH of several values: FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(...)))."""
    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.upper() == "HASH":
            values = exp.Struct(expressions=[e.copy() for e in call.expressions])
            json = exp.Anonymous(this="TO_JSON_STRING", expressions=[values])
            call.replace(exp.Anonymous(this="FARM_FINGERPRINT", expressions=[json]))
    return tree


def _null_ignoring_extrema(tree: exp.Expression) -> exp.Expression:
    """DuckDB's GREATEST/LEAST skip NULLs; GREATEST(COALESCE(a, b), COALESCE(b, a))
    does the same with the engines' NULL-propagating ones."""
    for node in reversed(list(tree.find_all(exp.Greatest, exp.Least, bfs=False))):  # inner ones first
        if not node.args.get("ignore_nulls"):
            continue
        args = [node.this, *node.expressions]
        rotated = [
            exp.Coalesce(this=args[i].copy(), expressions=[a.copy() for a in args[i + 1:] + args[:i]])
            for i in range(len(args))
        ]
        node.replace(type(node)(this=rotated[0], expressions=rotated[1:]))
    return tree


_TRANSFORMS = {
    "snowflake": (_inline_named_windows, _utc_wall_time, _isfinite("snowflake"), _null_ignoring_extrema, _from_for_where),
    "bigquery": (
        _inline_named_windows, _utc_timestamps, _interval_functions, _percentiles_as_windows,
        _aggregate_window_order, _isfinite("bigquery"), _null_ignoring_extrema, _from_for_where, _row_hash,
    ),
}


# --- lint ----------------------------------------------------------------------------------

# Functions the real engines document, as far as the pipeline uses them: a
# function outside these lists fails the lint until someone checks it against
# the engine's reference and adds it (both emulators run DuckDB underneath and
# accept DuckDB-only functions, so passing on them proves nothing).
KNOWN_FUNCTIONS = {
    "snowflake": {
        "CAST", "COALESCE", "COUNT", "COUNT_IF", "SUM", "MIN", "MAX", "AVG", "ROW_NUMBER", "RANK",
        "GREATEST", "LEAST", "PERCENTILE_CONT", "DATEDIFF", "DATEADD", "CURRENT_TIMESTAMP", "CURRENT_DATE",
        "ABS", "SQRT", "POWER", "LN", "EXP", "ROUND", "NULLIF", "IFF", "TO_DATE", "TO_VARCHAR", "ANY_VALUE",
        "CONVERT_TIMEZONE", "HASH", "MIN_BY", "MAX_BY", "LEAD",
    },
    "bigquery": {
        "CAST", "COALESCE", "COUNT", "COUNTIF", "SUM", "MIN", "MAX", "AVG", "ROW_NUMBER", "RANK",
        "GREATEST", "LEAST", "PERCENTILE_CONT", "DATE_DIFF", "DATE_ADD", "DATE_SUB", "TIMESTAMP_ADD",
        "TIMESTAMP_SUB", "TIMESTAMP_DIFF", "CURRENT_TIMESTAMP", "CURRENT_DATE", "IS_INF", "IS_NAN", "ABS",
        "SQRT", "POW", "POWER", "LN", "EXP", "ROUND", "NULLIF", "IF", "UNNEST", "STRUCT", "SAFE_DIVIDE", "ANY_VALUE",
        "MOD", "FARM_FINGERPRINT", "TO_JSON_STRING", "MIN_BY", "MAX_BY", "LEAD",
    },
}

# Known to be wrong there, with the reason (sqlglot emits some of these).
REJECTED_FUNCTIONS = {
    "snowflake": {
        "ISFINITE": "DuckDB only", "QUANTILE_CONT": "DuckDB only: PERCENTILE_CONT ... WITHIN GROUP",
        "APPROX_QUANTILE": "DuckDB only: APPROX_PERCENTILE", "DATE_DIFF": "Snowflake spells it DATEDIFF",
        "COUNTIF": "Snowflake spells it COUNT_IF", "UNNEST": "no UNNEST in Snowflake", "LIST": "DuckDB only",
        "TIME_TO_UNIX": "not a Snowflake function", "TIMESTAMP_ADD": "Snowflake spells it TIMESTAMPADD/DATEADD",
        "GREATEST_IGNORE_NULLS": "not on every Snowflake account; spelt out with COALESCE",
        "LEAST_IGNORE_NULLS": "not on every Snowflake account; spelt out with COALESCE",
    },
    "bigquery": {
        "TIME_TO_UNIX": "not a BigQuery function (UNIX_SECONDS)", "MEDIAN": "not a BigQuery function",
        "APPROX_QUANTILE": "BigQuery spells it APPROX_QUANTILES (an array)", "QUANTILE_CONT": "DuckDB only",
        "ISFINITE": "DuckDB only (IS_INF / IS_NAN)", "COUNT_IF": "BigQuery spells it COUNTIF",
        "DATEDIFF": "BigQuery spells it DATE_DIFF(a, b, part)", "DATEADD": "BigQuery spells it DATE_ADD",
        "LIST": "DuckDB only", "IFF": "Snowflake only",
    },
}

# Words that precede "(" without being function calls.
_SYNTAX = {
    "IN", "EXISTS", "AS", "OVER", "VALUES", "FROM", "JOIN", "ON", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE",
    "SELECT", "BY", "WHERE", "HAVING", "USING", "WITH", "ALL", "ANY", "SOME", "UNION", "INTO", "TABLE", "KEY",
    "WITHIN", "GROUP", "FILTER", "CLUSTER", "ARRAY", "TRANSACTION", "DISTINCT",
}


def called_functions(sql: str, dialect: str) -> list[str]:
    """Upper-cased names of the functions `sql` calls (unquoted words before '(')."""
    tokens = sqlglot.tokenize(sql, read=dialect)
    names = []
    for token, following in zip(tokens, tokens[1:]):
        if following.token_type != TokenType.L_PAREN or token.token_type in (
            TokenType.IDENTIFIER, TokenType.STRING, TokenType.NUMBER, TokenType.L_PAREN, TokenType.R_PAREN,
            TokenType.COMMA, TokenType.DOT,
        ):
            continue
        name = token.text.upper()
        if name not in _SYNTAX and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
            names.append(name)
    return names


def lint(sql: str, dialect: str) -> list[str]:
    """Problems the real `dialect` engine would reject in rendered `sql`; empty if none."""
    if dialect == "duckdb":
        return []
    problems = []
    for name in sorted(set(called_functions(sql, dialect))):
        if name in REJECTED_FUNCTIONS[dialect]:
            problems.append(f"{name}: {REJECTED_FUNCTIONS[dialect][name]}")
        elif name not in KNOWN_FUNCTIONS[dialect]:
            problems.append(f"{name}: not in the list of {dialect} functions checked against its reference")
    if re.search(r"EXTRACT\s*\(\s*EPOCH", sql, re.IGNORECASE):
        problems.append(f"EXTRACT(EPOCH ...): not in {dialect}")
    if dialect == "snowflake" and re.search(r"\bWINDOW\s+[\w\"`]+\s+AS\s*\(", sql, re.IGNORECASE):
        problems.append("WINDOW clause: Snowflake has no named windows")
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.ParseError as error:
        return [*problems, f"does not parse as {dialect}: {str(error).splitlines()[0]}"]
    for select in tree.find_all(exp.Select):
        if dialect == "bigquery" and select.args.get("from_") is None and select.args.get("where") is not None:
            problems.append("SELECT without FROM has a WHERE: BigQuery rejects it")
    if dialect == "bigquery":
        for percentile in tree.find_all(*_PERCENTILES):
            if not isinstance(percentile.parent, exp.Window):
                problems.append("aggregate PERCENTILE_CONT: BigQuery has it only as an analytic function")
        if re.search(r"\bDATETIME\b", sql):
            problems.append("DATETIME: event timestamps are TIMESTAMP on BigQuery; comparing them to DATETIME fails")
    if dialect == "snowflake" and tree.find(exp.Unnest) is not None:
        problems.append("UNNEST: not in Snowflake")
    return list(dict.fromkeys(problems))


# --- typed literals and tables (staging pandas frames without a bulk loader) ---------------


def column_types(columns: Iterable[str], values_of) -> list[tuple[str, str]]:
    """(name, DuckDB type) per column, from `values_of(name)` (its non-null Python values)."""
    out = []
    for name in columns:
        values = [v for v in values_of(name) if v is not None and not (isinstance(v, float) and math.isnan(v))]
        out.append((name, _type_of(values)))
    return out


def _type_of(values: Sequence[object]) -> str:
    if not values:
        return "VARCHAR"
    if all(isinstance(v, bool) for v in values):
        return "BOOLEAN"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "BIGINT"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "DOUBLE"
    if all(isinstance(v, dt.datetime) for v in values):
        return "TIMESTAMP"
    if all(isinstance(v, dt.date) for v in values):
        return "DATE"
    return "VARCHAR"


def literal(value: object, sql_type: str) -> exp.Expression:
    """A typed SQL literal (DuckDB tree; render per dialect). NaN is NULL, as
    DuckDB reads pandas NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return exp.cast(exp.null(), sql_type)
    if sql_type == "BOOLEAN":
        return exp.Boolean(this=bool(value))
    if sql_type in ("BIGINT", "DOUBLE"):
        number = float(value) if sql_type == "DOUBLE" else int(value)
        if isinstance(number, float) and math.isinf(number):
            return exp.cast(exp.Literal.string("inf" if number > 0 else "-inf"), "DOUBLE")
        return exp.cast(exp.Literal.number(repr(number)), sql_type)
    if sql_type == "TIMESTAMP":
        stamp = value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return exp.cast(exp.Literal.string(stamp.isoformat(sep=" ")), "TIMESTAMP")
    if sql_type == "DATE":
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    return exp.cast(exp.Literal.string(str(value)), "VARCHAR")


def string_literal(value: str, dialect: str) -> str:
    """`value` as a string literal of `dialect` (its quotes escaped as the dialect does)."""
    return exp.Literal.string(value).sql(dialect)


def create_table_sql(name: str, columns: Sequence[tuple[str, str]], dialect: str) -> str:
    """CREATE TABLE `name` (DuckDB syntax, e.g. '"exp"."t"') with typed columns, for `dialect`."""
    schema = exp.Schema(this=exp.to_table(name, dialect="duckdb"), expressions=[
        exp.ColumnDef(this=exp.to_identifier(c, quoted=True), kind=exp.DataType.build(t)) for c, t in columns
    ])
    tree = exp.Create(this=schema, kind="TABLE")
    return render(tree.sql("duckdb"), dialect)


# Where pretty() starts a line: clause keywords, and the first of the words of a join.
_CLAUSE_TOKENS = {
    TokenType.SELECT, TokenType.FROM, TokenType.WHERE, TokenType.GROUP_BY, TokenType.HAVING, TokenType.QUALIFY,
    TokenType.WINDOW, TokenType.ORDER_BY, TokenType.LIMIT, TokenType.UNION, TokenType.JOIN,
}
_JOIN_WORDS = {TokenType.LEFT, TokenType.RIGHT, TokenType.INNER, TokenType.FULL, TokenType.CROSS, TokenType.OUTER}


def pretty(sql: str, dialect: str) -> str:
    """`sql` (statements in `dialect`) laid out for a person to read: a line per
    clause, join, selected column and common table expression, indented by
    parentheses. Only the blanks between tokens change, so the text is the SQL
    that ran; laying out tokens costs a tenth of parsing and generating again,
    which every run paid for every statement it records. As is where sqlglot
    cannot tokenize it."""
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    except sqlglot.errors.SqlglotError:
        return sql
    out, end = [], 0
    depth, listing = 0, set()  # the depths whose SELECT list is being read
    for i, token in enumerate(tokens):
        kind, before = token.token_type, tokens[i - 1].token_type if i else None
        if kind == TokenType.R_PAREN:
            listing.discard(depth)
            depth = max(depth - 1, 0)
        if kind in _CLAUSE_TOKENS:
            listing.discard(depth)
        starts_line, indent = False, depth
        if i and (kind in _CLAUSE_TOKENS and before not in _JOIN_WORDS
                  or kind in _JOIN_WORDS and before not in _JOIN_WORDS):
            starts_line = True
        elif before == TokenType.COMMA and (depth in listing or _starts_cte(tokens, i)):
            starts_line, indent = True, depth + (depth in listing)
        gap = sql[end:token.start]
        out.append("\n" + "  " * indent if starts_line and not gap.strip() else gap)
        out.append(sql[token.start:token.end + 1])
        end = token.end + 1
        if kind == TokenType.SELECT:
            listing.add(depth)
        if kind == TokenType.L_PAREN:
            depth += 1
    return "".join(out) + sql[end:]


def _starts_cte(tokens: list, i: int) -> bool:
    """Whether tokens[i:] begin `name AS (`: a common table expression after a comma."""
    return (len(tokens) > i + 2 and tokens[i + 1].token_type == TokenType.ALIAS
            and tokens[i + 2].token_type == TokenType.L_PAREN)
