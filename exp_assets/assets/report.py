"""The `<experiment>/report` asset: after the results assets, it rewrites the
experiment's page and the index in the report directory (location.report_dir).
Not partitioned: the page always shows the whole experiment as of the newest
results day, so one materialization per run, whatever days the run covered."""

import dagster as dg

from exp_assets.plan import ROLLUPS, ExperimentPlan

from exp_assets.report.location import INDEX, page_name, served_url

NAME = "report"


def report_key(plan: ExperimentPlan) -> dg.AssetKey:
    return dg.AssetKey([plan.id, NAME])


def report_link(plan: ExperimentPlan) -> dict:
    """Definition metadata of a results asset: its report page, one click away in the UI."""
    return {"report": dg.MetadataValue.url(served_url(page_name(plan.id)))}


def report_note(plan: ExperimentPlan) -> str:
    """A line for a results asset's description (markdown, at the top of its page in
    the UI): the link to the experiment's report page."""
    return (f"\n\n**[Open the experiment report]({served_url(page_name(plan.id))})** "
            "(served by `exp-assets report --serve`; the file is in the report directory).")


def report_asset(plan: ExperimentPlan) -> dg.AssetsDefinition:
    @dg.asset(
        key=report_key(plan),
        group_name=plan.id,
        deps=[dg.AssetKey([plan.id, f"results_{r.name}"]) for r in ROLLUPS],
        required_resource_keys={"warehouse"},
        kinds={"html"},
        description=(
            f"The report of {plan.id}: an HTML page (scorecard, lift over time, breakdowns, health) and the index "
            "of all experiments, written to the report directory ($EXP_ASSETS_REPORT_DIR, else "
            f"$DAGSTER_HOME/reports). `exp-assets report --serve` serves them at {served_url(INDEX)}."
        ),
        metadata={"report": dg.MetadataValue.url(served_url(page_name(plan.id)))},
    )
    def _report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from exp_assets.assets.resources import warehouse_from_resource
        from exp_assets.report.write import write_experiment, write_index  # plotly loads only when a report is written

        wh = warehouse_from_resource(context.resources.warehouse, plan.config)
        page = write_experiment(wh, plan)
        index = write_index(plan.config, page.parent)
        context.log.info(f"wrote {page} and {index}")
        return dg.MaterializeResult(metadata={
            "report": dg.MetadataValue.url(served_url(page.name)),
            "report_file": dg.MetadataValue.path(str(page)),
            "index_file": dg.MetadataValue.path(str(index)),
        })

    return _report
