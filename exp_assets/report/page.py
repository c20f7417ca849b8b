"""The HTML of an experiment page and of the index: plain HTML and CSS around
the Plotly charts, every link relative, so a browser without network (or one
opening the files directly) renders all of it."""

from __future__ import annotations

import datetime as dt
import math
from html import escape

import pandas as pd

from exp_assets.recommendation import DECISION_POWER, OUTCOMES, ArmDecision
from exp_assets.scorecard import describe_method, describe_srm, role_label
from exp_assets.stats.decision import DO_NOT_SHIP, INVESTIGATE, KEEP_RUNNING, SHIP, design_levels

from . import charts
from .data import ExperimentData
from .location import INDEX
from .summary import BETTER, NO_CALL, NO_TEST, WORSE, Summary, decisions, interval, outcome, treatment_rows

PLOTLY_JS = "plotly.min.js"  # written beside the pages

CSS = """
:root { --good: #1e8449; --bad: #c0392b; --none: #7f8c8d; --line: #e3e3e3; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0;
       background: #fafafa; line-height: 1.45; }
main { max-width: 1320px; margin: 0 auto; padding: 20px 28px 60px; }
h1 { font-size: 26px; margin: 8px 0 4px; } h2 { font-size: 20px; margin: 36px 0 10px; }
h3 { font-size: 16px; margin: 0 0 2px; } a { color: #2c5aa0; }
.sub { color: #555; margin: 0 0 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 12px 0; }
.banner { background: #fdecea; border: 1px solid #e6a19a; color: #7b1d12; border-radius: 8px; padding: 12px 16px;
          margin: 14px 0; }
.banner strong { display: block; font-size: 16px; margin-bottom: 4px; }
.banner ul { margin: 4px 0 0 18px; padding: 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 10px 24px; }
.facts div span { display: block; color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13.5px; }
th, td { padding: 6px 7px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { font-size: 12px; color: #555; font-weight: 600; background: #f6f6f6; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.metric { font-weight: 600; min-width: 160px; }
.dir { color: #888; font-weight: 400; font-size: 12px; }
.better { color: var(--good); } .worse { color: var(--bad); } .nocall, .notest { color: var(--none); }
td.verdict { font-weight: 600; white-space: nowrap; }
.bar { position: relative; width: 160px; height: 16px; }
.ci-text { font-size: 12px; color: #555; white-space: nowrap; width: 160px; text-align: center; }
.bar .zero { position: absolute; top: 0; bottom: 0; width: 1px; background: #555; }
.bar .ci { position: absolute; top: 5px; height: 6px; border-radius: 3px; }
.bar .pt { position: absolute; top: 2px; width: 3px; height: 12px; margin-left: -1px; background: #222; }
.ci.better { background: var(--good); } .ci.worse { background: var(--bad); }
.ci.nocall, .ci.notest { background: #b8c0c4; }
.health td:first-child { white-space: nowrap; font-weight: 600; }
.ok { color: var(--good); font-weight: 700; } .fail { color: var(--bad); font-weight: 700; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 12px; }
.charts .card { margin: 0; min-width: 0; }
.chips { display: flex; flex-wrap: wrap; gap: 4px 6px; }
.chip { display: inline-block; border-radius: 12px; padding: 1px 9px; font-size: 13px; white-space: nowrap;
        border: 1px solid currentColor; }
.chip.nocall, .chip.notest { border-color: #d5d8da; }
.status { font-weight: 600; text-transform: capitalize; }
.action { display: inline-block; border-radius: 4px; padding: 2px 10px; color: #fff; font-weight: 700;
          text-transform: uppercase; font-size: 13px; letter-spacing: .03em; margin-right: 8px; }
.action.ship { background: var(--good); } .action.noship { background: var(--bad); }
.action.running { background: var(--none); } .action.investigate { background: #b9770e; }
.decision { margin: 4px 0 10px; } .decision .why { color: #333; }
table.power { width: auto; } table.power th, table.power td { padding-right: 22px; }
.role { font-weight: 600; color: #555; } .role.goal { color: #2c5aa0; } .role.guardrail { color: #8e44ad; }
.notes li { margin: 3px 0; } footer { color: #888; font-size: 12px; margin-top: 40px; }
"""


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def pct(x, digits: int = 2) -> str:
    if _missing(x):
        return "—"
    return f"{x * 100:+.{digits}f}%" if math.isfinite(x) else ("+∞" if x > 0 else "−∞")  # unbounded (Fieller)


def num(x) -> str:
    """A mean: four significant digits, never a raw 17-digit float."""
    if _missing(x):
        return "—"
    return f"{x:,.0f}" if abs(x) >= 10_000 else f"{x:.4g}"


def p_value(x) -> str:
    return "—" if _missing(x) else "<0.001" if x < 0.001 else f"{x:.3f}"


CLASS = {BETTER: "better", WORSE: "worse", NO_CALL: "nocall", NO_TEST: "notest"}


def _verdict(row, data: ExperimentData) -> tuple[str, str]:
    """The verdict a reader sees and its CSS class."""
    found = outcome(row, data)
    arrow = "↑" if row.rel_effect > 0 else "↓"
    bayesian = data.plan.experiment.engine == "bayesian"
    if found == NO_TEST:
        return f"n/a ({row.reason})" if row.reason else "n/a", CLASS[found]
    if found == NO_CALL:
        return ("inconclusive" if bayesian else "not significant"), CLASS[found]
    word = ("likely " if bayesian else "") + found
    return f"{word} {arrow}", CLASS[found]


def _bar(row, data: ExperimentData, reach: float) -> str:
    """The lift's interval on a scale of ±reach shared by the table, zero marked."""
    lower, upper = interval(row)

    def at(x: float) -> float:
        return max(0.0, min(100.0, (x + reach) / (2 * reach) * 100))

    parts = [f'<span class="zero" style="left:{at(0):.2f}%"></span>']
    if lower is not None and upper is not None:
        parts.append(f'<span class="ci {CLASS[outcome(row, data)]}" '
                     f'style="left:{at(lower):.2f}%;width:{max(at(upper) - at(lower), 0.5):.2f}%"></span>')
    if not _missing(row.rel_effect):
        parts.append(f'<span class="pt" style="left:{at(row.rel_effect):.2f}%"></span>')
    title = f"{pct(row.rel_effect)} [{pct(lower)}, {pct(upper)}]"
    return f'<div class="bar" title="{escape(title)}">{"".join(parts)}</div>'


def _direction(data: ExperimentData, metric: str) -> str:
    better = next((m.higher_is_better for m in data.plan.result_metrics if m.name == metric), True)
    return "higher is better" if better else "lower is better"


def scorecard_table(data: ExperimentData) -> str:
    e = data.plan.experiment
    bayesian = e.engine == "bayesian"
    rows = treatment_rows(data.latest_overall(), data)
    # One scale for every bar, wide enough for most rows: a row far wider than
    # the typical one (a rare funnel step) is cut at the edge; its text says how far.
    widest = sorted(max([abs(b) for b in (*interval(r), r.rel_effect) if not _missing(b)] + [0.0])
                    for r in rows.itertuples()) or [0.0]
    reach = max(min(widest[-1], 3 * widest[len(widest) // 2]), 0.01) * 1.05
    level = f"{(1 - e.alpha) * 100:g}%"
    evidence = ["P(beat control)", "expected loss"] if bayesian else ["p-value" + (" (adj.)" if e.correction != "none" else "")]
    several = len(e.treatments) > 1  # else the variant is named once, in the header
    head = ["metric", *(["variant"] if several else []), "mean (control → variant)",
            "lift", f"{level} interval (scale ±{reach * 100:.0f}%)", *evidence, "verdict", "CUPED variance cut"]
    numeric = {h for h in head if h not in ("metric", "variant", "verdict") and "interval" not in h}
    out = ["<table class=\"scorecard\"><thead><tr>"]
    out += [f'<th class="{"num" if h in numeric else ""}">{escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows.itertuples():
        lower, upper = interval(r)
        verdict, css = _verdict(r, data)
        cells = [
            f'<td class="metric">{_breakable(r.metric)}<br><span class="dir">{escape(data.plan.definition(r.metric))}'
            f' · {_role(data, r.metric)} · {_direction(data, r.metric)}</span></td>',
            *([f"<td>{escape(r.variant)}</td>"] if several else []),
            f'<td class="num">{num(r.control_mean)} → {num(r.mean)}</td>',
            f'<td class="num {css}"><strong>{pct(r.rel_effect)}</strong></td>',
            f'<td>{_bar(r, data, reach)}<div class="ci-text">[{pct(lower)}, {pct(upper)}]</div></td>',
        ]
        if bayesian:
            cells += [f'<td class="num">{"—" if _missing(r.chance_to_beat_control) else f"{r.chance_to_beat_control:.1%}"}</td>',
                      f'<td class="num">{"—" if _missing(r.expected_loss) else f"{r.expected_loss:.2%}"}</td>']
        else:
            cells.append(f'<td class="num">{p_value(r.p_value_adjusted)}</td>')
        reduction = f"{r.variance_reduction + 0.0:.0%}".replace("-0%", "0%") \
            if r.cuped_applied and not _missing(r.variance_reduction) else "—"  # no "-0%" for a tiny negative
        cells += [f'<td class="verdict {css}">{escape(verdict)}</td>', f'<td class="num">{reduction}</td>']
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _role(data: ExperimentData, metric: str) -> str:
    role = data.plan.experiment.role(metric)
    return f'<span class="role {role}">{escape(role_label(data.plan, metric))}</span>'


ACTION_CLASS = {SHIP: "ship", DO_NOT_SHIP: "noship", KEEP_RUNNING: "running", INVESTIGATE: "investigate"}


def _recommendation(data: ExperimentData, found: list[ArmDecision]) -> str:
    """Per treatment its action and why, then the goal metrics' power."""
    e = data.plan.experiment
    several = len(found) > 1
    lines = "".join(
        f'<div class="decision">{escape(d.variant) + ": " if several else ""}'
        f'<span class="action {ACTION_CLASS[d.recommendation.action]}">{escape(d.recommendation.action)}</span>'
        f'<span class="why">{escape(d.recommendation.reason)}</span></div>'
        for d in found)
    level, per_test = design_levels(len(e.goal_metrics), len(e.guardrails), e.alpha, DECISION_POWER, len(e.treatments))
    head = ["goal metric", *(["variant"] if several else []), "units", "MDE now"]
    if e.minimum_detectable_effect is not None:
        head += [f"power for +{e.minimum_detectable_effect:.0%}", f"days to {per_test:.0%} power"]
    rows = []
    for d in found:
        for g in d.goals:
            cells = [f'<td class="metric">{_breakable(g.metric)}</td>',
                     *([f"<td>{escape(d.variant)}</td>"] if several else []),
                     f'<td class="num">{g.units:,}</td>',
                     f'<td class="num">{"—" if g.mde is None else f"±{g.mde:.1%}"}'
                     f'{"" if g.basis == OUTCOMES else "*"}</td>']
            if e.minimum_detectable_effect is not None:
                days = "—" if g.days_to_power is None else "reached" if g.days_to_power == 0 else \
                    f"{math.ceil(g.days_to_power):,} more"
                cells += [f'<td class="num">{"—" if g.power is None else f"{g.power:.0%}"}</td>',
                          f'<td class="num">{days}</td>']
            rows.append(f"<tr>{''.join(cells)}</tr>")
    text_columns = 2 if several else 1
    table = ('<table class="power"><thead><tr>'
             + "".join(f'<th class="{"" if i < text_columns else "num"}">{escape(h)}</th>' for i, h in enumerate(head))
             + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    goals = f"{len(e.goal_metrics)} goal{'s' if len(e.goal_metrics) > 1 else ''}"
    arms = f" × {len(e.treatments)} variants" if several else ""
    rule = (f"Ship when a goal metric is significantly better (one-sided, α = {e.alpha:g} / {goals}{arms} = {level:.3g}) "
            f"and every guardrail is shown not worse than its margin (one-sided, α = {e.alpha:g}, uncorrected); do "
            "not ship when a goal is significantly worse or a guardrail worse than its margin, or when the experiment "
            "ended without evidence to ship; investigate when a health check fails; else keep running "
            "(Schultzberg, Ankargren & Frånberg 2024). Power: the fixed-horizon test of each goal at that level, "
            f"{per_test:.0%} per test so that the decision, with {len(e.guardrails)} guardrail"
            f"{'' if len(e.guardrails) == 1 else 's'}, has 80% power; days at the current accrual rate."
            + (" * From the units' pre-exposure values: their outcomes cannot be tested yet."
               if any(g.basis != OUTCOMES for d in found for g in d.goals) else ""))
    return (f'<div class="card">{lines}<div class="scroll">{table}</div>'
            f'<p class="sub" style="margin:10px 0 0">{escape(rule)}</p></div>')


def _breakable(name: str) -> str:
    """A metric name that may wrap after its underscores (funnel steps are long)."""
    return escape(name).replace("_", "_<wbr>")


def _units(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{int(x):,}"


def _facts(data: ExperimentData, summary: Summary) -> str:
    e = data.plan.experiment
    total = sum(e.variants.values())
    configured = " · ".join(f"{escape(v)} {w / total:.0%}" for v, w in e.variants.items())
    units = data.units.loc[data.latest] if data.units is not None else None
    if units is not None and units.sum():
        observed = " · ".join(f"{escape(v)} {units[v] / units.sum():.1%}" for v in e.variants)
        exposed = " · ".join(f"{escape(v)} {int(units[v]):,}" for v in e.variants)
    else:
        observed = exposed = "—"
    # units in the analysis (crossovers excluded): the same for every metric, so said once here
    first_metric = data.latest_overall()
    first_metric = first_metric[first_metric["metric"] == data.plan.result_metrics[0].name].set_index("variant")
    analysed = " · ".join(f"{escape(v)} {_units(first_metric['units'].get(v))}" for v in e.variants)
    end = e.end_date.isoformat() if e.end_date else "open-ended"
    facts = [
        ("Status", f'<span class="status">{escape(summary.status)}</span>'),
        ("Dates", f"{e.start_date} → {end}"),
        ("Days running", f"{summary.days_running} (results as of {summary.latest or '—'})"),
        ("Traffic split, configured", configured),
        ("Traffic split, observed", observed),
        ("Units per arm (first exposed)", exposed),
        ("Units analysed (crossovers excluded)", analysed),
    ]
    return '<div class="card facts">' + "".join(f"<div><span>{k}</span>{v}</div>" for k, v in facts) + "</div>"


def _health(data: ExperimentData) -> str:
    rows = "".join(
        f'<tr><td>{escape(h.label)}</td><td class="{"ok" if h.passed else "fail"}">'
        f'{"passed" if h.passed else "FAILED" if h.severity == "ERROR" else "WARNING"}</td>'
        f"<td>{escape(h.description)}</td><td>{escape(h.artifact)}</td></tr>"
        for h in data.health
    )
    return ('<div class="card scroll"><table class="health"><thead><tr><th>check</th><th>outcome</th>'
            f"<th>as of {data.latest}</th><th>asset</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _banner(data: ExperimentData) -> str:
    failed = [h for h in data.health if not h.passed]
    if not failed:
        return ""
    items = "".join(f"<li><b>{escape(h.label)}</b>: {escape(h.description)}</li>" for h in failed)
    return (f'<div class="banner" role="alert"><strong>Health check failed: read these results with care '
            f"until it is explained.</strong><ul>{items}</ul></div>")


def _notes(data: ExperimentData) -> str:
    e = data.plan.experiment
    notes = [describe_method(data.plan), describe_srm(data.plan, data.srm_p_values.get(data.latest))]
    if e.engine == "bayesian":
        notes.append("Intervals are credible intervals of the relative lift; “likely better/worse” when the chance "
                     f"to beat control is at least {1 - e.alpha:.0%} / at most {e.alpha:.0%}. Expected loss: the "
                     "relative lift given up, on average, by shipping the variant.")
    elif e.correction != "none":
        notes.append(f"Intervals and p-values are adjusted for the {e.correction} correction across metrics and "
                     f"variants, so an interval excludes 0 exactly when the verdict is significant.")
    notes.append("Colours follow each metric's declared direction (higher_is_better in the config): green is a "
                 "significant change for the better, red for the worse, grey no call.")
    if data.plan.cuped_days:
        by = ("every metric's pre-exposure value and the exposure dimensions (overall rows of mean metrics)"
              if e.cuped.covariates == "all" else "its pre-exposure value")
        notes.append(f"CUPED variance reduction: the share of the metric's variance removed by {by}; the lift is "
                     "of the adjusted means.")
    return '<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>"


def _document(title: str, body: str, charts_used: bool) -> str:
    script = f'<script src="{PLOTLY_JS}" charset="utf-8"></script>' if charts_used else ""
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style>{script}</head>"
            f"<body><main>{body}<footer>Written by exp-assets at {generated} from the results tables."
            f"</footer></main></body></html>")


def experiment_page(data: ExperimentData, summary: Summary) -> str:
    e = data.plan.experiment
    head = (f'<p><a href="{INDEX}">← all experiments</a></p><h1>{escape(e.id)}</h1>'
            f'<p class="sub">Control: <b>{escape(e.control)}</b> · variants: {escape(", ".join(e.treatments))}</p>')
    if data.latest is None:
        body = head + _facts_empty(e) + "<p>No results yet: the results assets have not been materialized.</p>"
        return _document(e.id, body, charts_used=False)
    parts = [head, _banner(data), _facts(data, summary)]
    found = decisions(data)
    if found:
        parts += ['<h2 id="recommendation">Recommendation</h2>', _recommendation(data, found)]
    parts += [f'<h2 id="scorecard">Scorecard as of {data.latest}: {escape(", ".join(e.treatments))} vs {escape(e.control)}</h2>', f'<div class="card scroll">{scorecard_table(data)}</div>',
              '<h2 id="health">Health</h2>', _health(data), '<h2 id="method">Method</h2>', f'<div class="card">{_notes(data)}</div>']
    if e.engine == "bayesian":
        parts += ['<h2 id="chance">Chance to beat control over time</h2>',
                  f'<div class="card">{charts.to_div(charts.chance_to_beat_control(data), "chance")}</div>']
    parts.append("<h2 id=\"lift\">Lift over time</h2><p class=\"sub\">Relative lift of each variant against control with its "
                 "interval; the buttons switch between cumulative, daily, 7-day and days-since-exposure (k) views.</p>"
                 '<div class="charts">')
    for m in data.plan.result_metrics:
        figure = charts.to_div(charts.lift_over_time(data, m.name), f"lift-{m.name}")
        parts.append(f'<div class="card"><h3>{escape(m.name)} <span class="dir">'
                     f"{_direction(data, m.name)}</span></h3>{figure}</div>")
    parts.append("</div>")
    dimensions = [d for d in dict.fromkeys(data.cumulative["dimension"]) if d != "overall"]
    if dimensions:
        parts.append(f"<h2 id=\"breakdowns\">Breakdowns as of {data.latest}</h2><p class=\"sub\">Cumulative lift by each dimension's "
                     "values (the menu picks the metric).</p>")
        for d in dimensions:
            parts.append(f'<div class="card"><h3>by {escape(d)}</h3>'
                         f"{charts.to_div(charts.breakdown(data, d), f'breakdown-{d}')}</div>")
    return _document(f"{e.id}: experiment report", "".join(parts), charts_used=True)


def _facts_empty(e) -> str:
    end = e.end_date.isoformat() if e.end_date else "open-ended"
    return f'<div class="card facts"><div><span>Dates</span>{e.start_date} → {end}</div></div>'


def index_page(summaries: list[Summary]) -> str:
    show_recommendation = any(s.recommendation for s in summaries)
    head = ["experiment", "status", "dates", "days running", "health", "metrics (variant vs control, as of the latest day)"]
    if show_recommendation:
        head.insert(5, "recommendation")
    rows = []
    for s in summaries:
        health = ('<span class="ok">ok</span>' if not s.health_failures else
                  f'<span class="fail" title="{escape("; ".join(s.health_failures))}">'
                  f'{len(s.health_failures)} failed: {escape(", ".join(sorted({f.split(":")[0] for f in s.health_failures})))}</span>')
        cells = [f'<td><a href="{escape(s.page)}"><b>{escape(s.experiment)}</b></a></td>',
                 f'<td class="status">{escape(s.status)}</td>',
                 f'<td style="white-space:nowrap">{s.start} → {s.end or "open-ended"}</td>',
                 f'<td class="num">{s.days_running}</td>', f"<td>{health}</td>"]
        if show_recommendation:
            cells.append(f"<td>{escape(s.recommendation or '—')}</td>")
        cells.append(f'<td><div class="chips">{_chips(s)}</div></td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = ("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>")
    legend = ('<p class="sub"><span class="chip better">better</span> <span class="chip worse">worse</span> '
              '<span class="chip nocall">no call</span> by each metric\'s declared direction; a chip shows the '
              "lift of a significant (or, Bayesian, likely) change.</p>")
    body = f'<h1>Experiments</h1>{legend}<div class="card scroll">{table}</div>'
    return _document("Experiments", body, charts_used=False)


def _chips(s: Summary) -> str:
    multi = len({c.variant for c in s.calls}) > 1
    chips = []
    for c in s.calls:
        who = f"{c.metric} · {c.variant}" if multi else c.metric
        text = f"{who} {pct(c.lift, 1)}" if c.outcome in (BETTER, WORSE) else who
        title = f"{c.metric} · {c.variant}: {pct(c.lift)} [{pct(c.lower)}, {pct(c.upper)}] — {c.outcome}"
        chips.append(f'<span class="chip {CLASS[c.outcome]}" title="{escape(title)}">{escape(text)}</span>')
    return "".join(chips) or "—"
