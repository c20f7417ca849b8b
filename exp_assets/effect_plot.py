"""A forest plot of relative effects (lift with CI per metric and treatment) as
monospace text: it renders the same in a terminal and in Dagster's markdown
metadata, where embedded images do not reliably show."""

from __future__ import annotations

import math

import pandas as pd

WIDTH = 41  # characters of the axis


def forest_plot(rows: pd.DataFrame, control: str) -> str:
    """`rows`: one row per metric and treatment with rel_effect, rel_ci_lower,
    rel_ci_upper (fractions). Zero is marked '│', the CI '━', the estimate '●'."""
    rows = rows[rows["variant"] != control]
    finite = [v for c in ("rel_ci_lower", "rel_ci_upper", "rel_effect") for v in rows[c] if _finite(v)]
    if not finite:
        return "(no relative effects to plot)"
    reach = max(abs(v) for v in finite) or 1.0
    labels = [f"{r.metric} / {r.variant}" for r in rows.itertuples()]
    pad = max(len(label) for label in labels)
    lines = [f"{'':{pad}}  {_axis_labels(reach)}"]
    for label, r in zip(labels, rows.itertuples()):
        lines.append(f"{label:<{pad}}  {_bar(r, reach)}  {_describe(r)}")
    return "\n".join(lines)


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _column(x: float, reach: float) -> int:
    return round((x + reach) / (2 * reach) * (WIDTH - 1))


def _bar(r, reach: float) -> str:
    cells = [" "] * WIDTH
    cells[_column(0.0, reach)] = "│"
    if _finite(r.rel_ci_lower) and _finite(r.rel_ci_upper):
        for i in range(_column(r.rel_ci_lower, reach), _column(r.rel_ci_upper, reach) + 1):
            cells[i] = "┿" if cells[i] == "│" else "━"  # zero stays visible inside the CI
    if _finite(r.rel_effect):
        cells[_column(r.rel_effect, reach)] = "●"
    return "".join(cells)


def _axis_labels(reach: float) -> str:
    left, right = f"-{reach * 100:.1f}%", f"+{reach * 100:.1f}%"
    middle = WIDTH - len(left) - len(right)
    return left + "0".center(middle) + right


def _describe(r) -> str:
    if not _finite(r.rel_effect):
        return f"n/a ({r.reason})" if getattr(r, "reason", None) else "n/a"
    if not (_finite(r.rel_ci_lower) and _finite(r.rel_ci_upper)):
        return f"{r.rel_effect * 100:+.2f}% (interval unbounded)"
    return f"{r.rel_effect * 100:+.2f}% [{r.rel_ci_lower * 100:+.2f}%, {r.rel_ci_upper * 100:+.2f}%]"
