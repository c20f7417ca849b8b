"""A forest plot of relative effects (lift with CI per metric and treatment) as
monospace text: it renders the same in a terminal and in Dagster's markdown
metadata, where embedded images do not reliably show."""

from __future__ import annotations

import math

import pandas as pd

from exp_assets.scorecard import k_label

WIDTH = 41  # characters of the axis
# The axis reaches the largest estimate, and the intervals' ends up to ±100%:
# an interval beyond (few units, e.g. a late day since exposure) is cut at the
# edge with an arrow, so it does not squeeze every other row to a point.
MAX_INTERVAL_REACH = 1.0


def forest_plot(rows: pd.DataFrame, control: str) -> str:
    """`rows`: one row per metric and treatment with rel_effect, rel_ci_lower,
    rel_ci_upper (fractions), and days_since_exposure where rows are per k
    (labelled "k = <k>"). Zero is marked '│', the CI '━' (cut at the axis'
    edge: '◀', '▶'), the estimate '●'."""
    rows = rows[rows["variant"] != control]
    effects = [abs(v) for v in rows["rel_effect"] if _finite(v)]
    bounds = [min(abs(v), MAX_INTERVAL_REACH) for c in ("rel_ci_lower", "rel_ci_upper") for v in rows[c] if _finite(v)]
    if not effects and not bounds:
        return "(no relative effects to plot)"
    reach = max(effects + bounds) or 1.0
    labels = [f"{r.metric} / {r.variant}{k_label(r)}" for r in rows.itertuples()]
    pad = max(len(label) for label in labels)
    lines = [f"{'':{pad}}  {_axis_labels(reach)}"]
    for label, r in zip(labels, rows.itertuples()):
        lines.append(f"{label:<{pad}}  {_bar(r, reach)}  {_describe(r)}")
    return "\n".join(lines)


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _column(x: float, reach: float) -> int:
    x = max(-reach, min(reach, x))
    return round((x + reach) / (2 * reach) * (WIDTH - 1))


def _bar(r, reach: float) -> str:
    cells = [" "] * WIDTH
    cells[_column(0.0, reach)] = "│"
    if _finite(r.rel_ci_lower) and _finite(r.rel_ci_upper):
        for i in range(_column(r.rel_ci_lower, reach), _column(r.rel_ci_upper, reach) + 1):
            cells[i] = "┿" if cells[i] == "│" else "━"  # zero stays visible inside the CI
        if r.rel_ci_lower < -reach:
            cells[0] = "◀"
        if r.rel_ci_upper > reach:
            cells[-1] = "▶"
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
