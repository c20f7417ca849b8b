"""Writing the report: an experiment's page and its summary, the index built
from every summary in the directory, and plotly.min.js once beside them (so the
pages need no network and each stays small)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs

from exp_assets.config import ProjectConfig
from exp_assets.plan import ExperimentPlan
from exp_assets.warehouse.base import Warehouse

from .data import load
from .location import INDEX, page_name, report_dir, summary_name
from .page import PLOTLY_JS, experiment_page, index_page
from .summary import Summary, summarize


def _write_atomically(path: Path, text: str) -> None:
    """Readers (the server, a browser, another run's index) never see half a file."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False,
                                     encoding="utf-8") as f:
        f.write(text)
    os.chmod(f.name, 0o644)  # temporary files are private; pages are for reading
    os.replace(f.name, path)


def _plotly_js(out: Path) -> None:
    script = get_plotlyjs()
    path = out / PLOTLY_JS
    if not path.exists() or path.stat().st_size != len(script.encode()):
        _write_atomically(path, script)


def write_experiment(wh: Warehouse, plan: ExperimentPlan, out: Path | None = None) -> Path:
    """Write `<experiment>.html` and its summary from the warehouse; returns the page."""
    out = _directory(out)
    data = load(wh, plan)
    summary = summarize(data, page_name(plan.id))
    _plotly_js(out)
    page = out / page_name(plan.id)
    _write_atomically(page, experiment_page(data, summary))
    _write_atomically(out / summary_name(plan.id), json.dumps(summary.to_json(), indent=1))
    return page


def write_index(config: ProjectConfig, out: Path | None = None) -> Path:
    """index.html listing the config's experiments, from the summaries written so far."""
    out = _directory(out)
    summaries = []
    for e in config.experiments:
        path = out / summary_name(e.id)
        if path.exists():
            summaries.append(Summary.from_json(json.loads(path.read_text(encoding="utf-8"))))
        else:
            summaries.append(Summary(e.id, "no report yet", e.start_date.isoformat(),
                                     e.end_date.isoformat() if e.end_date else None, None, 0, [], [], page_name(e.id)))
    index = out / INDEX
    _write_atomically(index, index_page(summaries))
    return index


def write_reports(config: ProjectConfig, wh: Warehouse, out: Path | None = None,
                  experiments: list[str] | None = None) -> list[Path]:
    """Pages of `experiments` (default all of the config's) and the index; returns the pages."""
    pages = [write_experiment(wh, ExperimentPlan(config, config.experiment(e)), out)
             for e in experiments or [e.id for e in config.experiments]]
    write_index(config, out)
    return pages


def _directory(out: Path | None) -> Path:
    out = Path(out) if out is not None else report_dir()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(f"cannot create the report directory {out}: {error.strerror}") from error
    return out
