"""The report's charts as Plotly figures: per metric its lift over time with
the interval band (cumulative, daily, 7-day and by days since exposure, one
button each), per dimension the latest lifts by value, and for Bayesian
experiments the chance to beat control over time. Lifts are relative effects
(fractions) with the interval the verdict reads (`summary.interval`)."""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go

from .data import ExperimentData
from .summary import interval

# Treatment colours (control is the zero line): distinct from the report's
# green/red, which mean better/worse.
PALETTE = ("#3366cc", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d", "#c0392b")
VIEWS = (  # rollup, button label, x tick prefix (no axis title: the legend sits below the axis)
    ("cumulative", "Cumulative", ""),
    ("daily", "Daily", ""),
    ("7day", "7-day", ""),
    ("days_since_exposure", "By days since exposure (k)", "k="),  # each tick says which k
)
HEIGHT = 340


def _colour(data: ExperimentData, variant: str, alpha: float | None = None) -> str:
    hex_ = PALETTE[data.plan.experiment.treatments.index(variant) % len(PALETTE)]
    if alpha is None:
        return hex_
    r, g, b = (int(hex_[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, height: int = HEIGHT, **extra) -> go.Figure:
    fig.update_layout(**{
        "template": "none", "height": height, "margin": dict(l=64, r=16, t=56, b=48),
        "font": dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=13),
        "legend": dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),
        "hovermode": "x unified", **extra,
    })
    fig.update_xaxes(gridcolor="#eee", linecolor="#bbb", automargin=True)
    fig.update_yaxes(gridcolor="#eee", zeroline=True, zerolinecolor="#555", zerolinewidth=1.5, automargin=True)
    return fig


def _band(x: list, lower: list, upper: list) -> tuple[list, list]:
    """The interval band as closed outlines, one per run of days with a finite
    interval (an unbounded or missing one leaves a gap rather than a spike)."""
    xs, ys, run = [], [], []
    for point in [*zip(x, lower, upper), (None, None, None)]:
        if point[1] is not None and point[2] is not None and math.isfinite(point[1]) and math.isfinite(point[2]):
            run.append(point)
            continue
        if run:
            xs += [p[0] for p in run] + [p[0] for p in reversed(run)] + [None]
            ys += [p[2] for p in run] + [p[1] for p in reversed(run)] + [None]
            run = []
    return xs, ys


def _band_traces(data: ExperimentData, frame: pd.DataFrame, x: pd.Series, variant: str, name: str,
                 hover_x: str, visible: bool) -> list[go.Scatter]:
    """A treatment's lift line over x and its interval as a shaded band."""
    bounds = [interval(r) for r in frame.itertuples()]
    lower = [b[0] for b in bounds]
    upper = [b[1] for b in bounds]
    band_x, band_y = _band(list(x), lower, upper)
    common = dict(legendgroup=f"{variant}-{name}", visible=visible)
    return [
        go.Scatter(x=band_x, y=band_y, mode="lines", line=dict(width=0), fill="toself",
                   fillcolor=_colour(data, variant, 0.18), hoverinfo="skip", showlegend=False, **common),
        go.Scatter(
            x=list(x), y=list(frame["rel_effect"]), mode="lines+markers",
            name=f"{variant} vs {data.plan.experiment.control}",
            line=dict(color=_colour(data, variant), width=2), marker=dict(size=5),
            customdata=list(zip(lower, upper, frame["units"].astype(float))),
            hovertemplate=(f"{variant}: %{{y:+.2%}} [%{{customdata[0]:+.2%}}, %{{customdata[1]:+.2%}}]"
                           f" · %{{customdata[2]:,.0f}} units<extra>{hover_x}</extra>"),
            **common,
        ),
    ]


def _focus(lower: list, upper: list, points: list) -> list[float] | None:
    """A y range for a lift series: early days with few units have huge intervals
    that would flatten the rest, so show the 10th-90th percentile of the band's
    edges, the latest interval and zero (the modebar's autoscale shows all)."""
    def finite(values):  # an unbounded (Fieller) interval end has no place on the axis
        return [v for v in values if v is not None and math.isfinite(v)]

    lows, highs, everything = finite(lower), finite(upper), finite(lower + upper + points)
    if not everything:
        return None
    lo = min(pd.Series(lows).quantile(0.1) if lows else 0.0, *finite(lower[-1:]), *finite(points[-1:]), 0.0)
    hi = max(pd.Series(highs).quantile(0.9) if highs else 0.0, *finite(upper[-1:]), *finite(points[-1:]), 0.0)
    full_lo, full_hi = min(everything + [0.0]), max(everything + [0.0])
    if full_hi - full_lo <= 1.5 * (hi - lo):  # nothing far out: show everything
        lo, hi = full_lo, full_hi
    pad = (hi - lo) * 0.08 or 0.01
    return [lo - pad, hi + pad]


def lift_over_time(data: ExperimentData, metric: str) -> go.Figure:
    """One metric's lift per treatment with its interval band; buttons switch
    between the cumulative, daily, 7-day and days-since-exposure views."""
    fig = go.Figure()
    spans, ranges = [], []  # per view: (first trace, last trace), y range
    for i, (rollup, _, _) in enumerate(VIEWS):
        first = len(fig.data)
        lower, upper, points = [], [], []
        rows = data.overall(rollup)
        rows = rows[rows["metric"] == metric]
        if rollup == "days_since_exposure":
            rows = rows[rows["as_of_date"] == rows["as_of_date"].max()] if len(rows) else rows
        for variant in data.plan.experiment.treatments:
            own = rows[rows["variant"] == variant]
            key = "days_since_exposure" if rollup == "days_since_exposure" else "as_of_date"
            own = own.sort_values(key)
            x = own[key].astype(int) if key == "days_since_exposure" else pd.Series([str(d) for d in own[key]])
            hover = "k = %{x}" if key == "days_since_exposure" else "%{x}"
            fig.add_traces(_band_traces(data, own, x, variant, rollup, hover, visible=i == 0))
            bounds = [interval(r) for r in own.itertuples()]
            lower += [b[0] for b in bounds]
            upper += [b[1] for b in bounds]
            points += own["rel_effect"].tolist()
        spans.append((first, len(fig.data)))
        ranges.append(_focus(lower, upper, points))
    buttons = []
    for (rollup, label, prefix), (first, last), y_range in zip(VIEWS, spans, ranges):
        visible = [first <= t < last for t in range(len(fig.data))]
        axis = {"xaxis.tickprefix": prefix, "xaxis.type": "linear" if rollup == "days_since_exposure" else "date",
                "xaxis.autorange": True}
        axis.update({"yaxis.range": y_range, "yaxis.autorange": False} if y_range else {"yaxis.autorange": True})
        buttons.append(dict(label=label, method="update", args=[{"visible": visible}, axis]))
    _layout(fig, xaxis_type="date", yaxis_tickformat="+.0%", yaxis_title="lift vs control",
            yaxis_range=ranges[0],
            updatemenus=[dict(type="buttons", direction="right", buttons=buttons, x=0, xanchor="left", y=1.02,
                              yanchor="bottom", pad=dict(r=4, t=0), showactive=True, bgcolor="#f4f4f4",
                              font=dict(size=12))])
    fig.update_layout(legend=dict(x=1, xanchor="right", y=-0.22, yanchor="top"), margin=dict(b=84))
    return fig


def breakdown(data: ExperimentData, dimension: str) -> go.Figure:
    """The latest cumulative lift of every metric by the dimension's values (a
    menu picks the metric), every treatment side by side with its interval."""
    rows = data.cumulative
    rows = rows[(rows["dimension"] == dimension) & (rows["as_of_date"] == data.latest)]
    units = rows.groupby("dimension_value")["units"].sum().astype(float)
    values = sorted(units.index, key=lambda v: (v == "(other)", -units[v], v))
    metrics = [m.name for m in data.plan.result_metrics if m.name in set(rows["metric"])]
    fig = go.Figure()
    owner = []  # the metric of each trace
    for m, metric in enumerate(metrics):
        for variant in data.plan.experiment.treatments:
            own = rows[(rows["metric"] == metric) & (rows["variant"] == variant)].set_index("dimension_value")
            own = own.reindex([v for v in values if v in own.index])
            bounds = [interval(r) for r in own.itertuples()]
            lift = own["rel_effect"].tolist()
            fig.add_trace(go.Scatter(
                x=lift, y=list(own.index), mode="markers", orientation="h", visible=m == 0,
                name=f"{variant} vs {data.plan.experiment.control}", marker=dict(color=_colour(data, variant), size=9),
                error_x=dict(type="data", symmetric=False, thickness=2, width=0,
                             array=[_gap(u, y) for (_, u), y in zip(bounds, lift)],
                             arrayminus=[_gap(y, lo) for (lo, _), y in zip(bounds, lift)]),
                customdata=list(zip([b[0] for b in bounds], [b[1] for b in bounds], own["units"].astype(float))),
                hovertemplate=(f"{variant} · %{{y}}: %{{x:+.2%}} [%{{customdata[0]:+.2%}}, %{{customdata[1]:+.2%}}]"
                               f" · %{{customdata[2]:,.0f}} units<extra></extra>"),
            ))
            owner.append(metric)
    buttons = [dict(label=metric, method="update", args=[{"visible": [o == metric for o in owner]}])
               for metric in metrics]
    height = max(HEIGHT, 110 + 24 * len(values) * len(data.plan.experiment.treatments))  # ~24 px a point
    _layout(fig, height=height, hovermode="closest", scattermode="group", xaxis_tickformat="+.0%",
            xaxis_title=f"lift vs control as of {data.latest}", yaxis_autorange="reversed",
            updatemenus=[dict(type="dropdown", buttons=buttons, x=0, xanchor="left", y=1.02, yanchor="bottom",
                              showactive=True, bgcolor="#f4f4f4")])
    fig.update_xaxes(zeroline=True, zerolinecolor="#555", zerolinewidth=1.5)
    fig.update_yaxes(zeroline=False, type="category")
    return fig


def _gap(a, b) -> float | None:
    return None if a is None or b is None or pd.isna(a) or pd.isna(b) else a - b


def chance_to_beat_control(data: ExperimentData) -> go.Figure:
    """Bayesian: each metric's chance to beat control over time (one line per
    metric and treatment; a legend click hides one)."""
    rows = data.overall()
    fig = go.Figure()
    for metric in (m.name for m in data.plan.result_metrics):
        for variant in data.plan.experiment.treatments:
            own = rows[(rows["metric"] == metric) & (rows["variant"] == variant)].sort_values("as_of_date")
            label = metric if len(data.plan.experiment.treatments) == 1 else f"{metric} · {variant}"
            fig.add_trace(go.Scatter(
                x=[str(d) for d in own["as_of_date"]], y=own["chance_to_beat_control"].tolist(), mode="lines",
                name=label, hovertemplate=f"{label}: %{{y:.1%}}<extra></extra>",
            ))
    alpha = data.plan.experiment.alpha
    _layout(fig, height=HEIGHT + 40, yaxis_tickformat=".0%", yaxis_range=[0, 1], yaxis_title="chance to beat control",
            xaxis_type="date")
    fig.update_yaxes(zeroline=False)
    fig.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"), margin=dict(r=180))
    for level in (alpha, 1 - alpha):
        fig.add_hline(y=level, line=dict(color="#999", dash="dot", width=1))
    return fig


def to_div(fig: go.Figure, name: str) -> str:
    """The figure as a <div> and its script; plotly.js itself is loaded once per page."""
    div_id = "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, default_height=f"{fig.layout.height}px",
                       config={"displaylogo": False, "responsive": True,
                               "modeBarButtonsToRemove": ["select2d", "lasso2d"]})
