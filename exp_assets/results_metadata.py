"""What a results asset's event shows for one day, as plain values: the
scorecard with its forest plot, the verdicts, and the numbers under stable keys
that the UI plots across partitions. The asset layer turns them into Dagster
metadata values (MARKDOWN keys as markdown, mappings as JSON)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from exp_assets.effect_plot import forest_plot
from exp_assets.plan import ExperimentPlan
from exp_assets.scorecard import Scorecard, headline

MARKDOWN = {"scorecard", "verdicts"}


# The UI shows markdown shorter than this inline, longer behind a button.
INLINE_MARKDOWN = 1000
UNDECIDED = (" not significant", " inconclusive")


def verdict_list(lines: list[str]) -> str:
    """The verdicts as a markdown list short enough to show inline: every line if
    they fit, else the decided ones (significant, likely better or worse) and one
    line naming the undecided rest (the scorecard lists every line)."""
    listed = "\n".join(f"- {line}" for line in lines)
    if len(listed) < INLINE_MARKDOWN:
        return listed
    decided = [line for line in lines if not line.endswith(UNDECIDED)]
    rest = [line.split(":", 1)[0] for line in lines if line.endswith(UNDECIDED)]
    kept = "\n".join(f"- {line}" for line in decided)
    if len(kept) >= INLINE_MARKDOWN - 80:  # even the decided ones do not fit: as many as do
        kept = kept[:INLINE_MARKDOWN - 80].rsplit("\n", 1)[0]
    head = f"{kept}\n- {len(lines) - kept.count(chr(10)) - 1} more not significant or inconclusive " \
           "(the scorecard lists all): "
    names = ", ".join(rest)
    room = INLINE_MARKDOWN - 1 - len(head)
    if len(names) > room:
        names = names[:room - len(", ...")].rsplit(", ", 1)[0] + ", ..."
    return head + names


def results_metadata(plan: ExperimentPlan, results: pd.DataFrame, caps: pd.DataFrame,
                     srm_p_values: dict[dt.date, float], day: dt.date, moments: pd.DataFrame | None = None) -> dict:
    """Day `day`'s scorecard with its forest plot, verdicts and numbers under stable
    keys (stat_key; `units.<variant>`, `srm_p_value`), from the results the step
    published, their winsorization caps and the SRM p-values it read; with the
    cumulative `moments` it read, the scorecard has the recommendation and power."""
    return results_metadata_by_day(plan, results, caps, srm_p_values, [day], moments)[day]


def _day_metadata(plan: ExperimentPlan, results: pd.DataFrame, caps: pd.DataFrame,
                  srm_p_values: dict[dt.date, float], day: dt.date, moments: pd.DataFrame | None) -> dict:
    """results_metadata of `day`, from frames that hold that day's rows alone."""
    shown = headline(plan, results)
    srm = srm_p_values.get(day)
    plot = (f"Relative effect with {(1 - plan.experiment.alpha) * 100:g}% interval, as of {day}\n\n"
            f"```\n{forest_plot(shown, plan.experiment.control)}\n```")
    card = Scorecard.of(plan, results, srm, moments)
    metadata = {
        # the table and its forest plot in one dialog: the UI renders markdown under
        # 1,000 characters inline, where a wide table or plot is clipped
        "scorecard": f"{card.markdown()}\n\n{plot}",
        # a list, one line per metric and treatment (plain text would run the lines together)
        "verdicts": verdict_list(card.summary().splitlines()),
        "as_of_date": str(day),
    }
    if srm is not None:
        metadata["srm_p_value"] = _rounded(srm)  # the srm check's always-valid p-value of that day
    # the lift, its interval and the evidence the verdict reads; the rest is in the table
    fields = ["rel_effect", "rel_ci_lower", "rel_ci_upper", "p_value_adjusted", "chance_to_beat_control"]
    treated = shown[shown["variant"] != plan.experiment.control]
    for metric, variant, k, *values in zip(*(treated[c] for c in ["metric", "variant", "days_since_exposure", *fields])):
        for name, value in zip(fields, values):
            if pd.notna(value):
                metadata[stat_key(metric, variant, k, name)] = _rounded(value)
    if len(shown):  # each arm's units: the first metric's row (days since exposure: its smallest k)
        first = shown[shown["metric"] == shown["metric"].iloc[0]].sort_values("days_since_exposure")
        metadata.update({f"units.{r.variant}": int(r.units) for r in first.drop_duplicates("variant").itertuples()})
    caps = {
        f"{r.metric}.{side}": _rounded(getattr(r, f"cap_{side}"))
        for r in caps.itertuples() for side in ("lower", "upper") if pd.notna(getattr(r, f"cap_{side}"))
    }
    if caps:
        metadata["winsorization_caps"] = caps
    return metadata


def results_metadata_by_day(plan: ExperimentPlan, results: pd.DataFrame, caps: pd.DataFrame,
                            srm_p_values: dict[dt.date, float], days: list[dt.date],
                            moments: pd.DataFrame | None = None) -> dict[dt.date, dict]:
    """results_metadata of each of `days` (a range run's frames hold them all):
    each frame is split by day once, not filtered again for every day."""
    split = [_by_day(frame) if frame is not None else None for frame in (results, caps, moments)]

    def of(i: int, frame: pd.DataFrame | None, day: dt.date) -> pd.DataFrame | None:
        return None if frame is None else split[i].get(day, frame.iloc[:0])

    return {day: _day_metadata(plan, of(0, results, day), of(1, caps, day), srm_p_values, day, of(2, moments, day))
            for day in days}


def _by_day(frame: pd.DataFrame) -> dict[dt.date, pd.DataFrame]:
    return dict(iter(frame.groupby(pd.to_datetime(frame["as_of_date"]).dt.date, sort=False)))


def stat_key(metric: str, variant: str, k, statistic: str) -> str:
    """`revenue / treatment / rel_effect` (days since exposure: `revenue /
    treatment / k = 0 / rel_effect`): spaced, so that the UI's key column
    wraps a long key instead of printing it over its value."""
    return " / ".join([metric, variant, *([] if pd.isna(k) else [f"k = {int(k)}"]), statistic])


def _rounded(value) -> float:
    """Four significant digits: what a person reads and the Plots draw (the
    table holds the full precision)."""
    return float(f"{float(value):.4g}")
