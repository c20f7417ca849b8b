"""The experiment report: one self-contained HTML page per experiment and an
index of all of them, built from the results tables through the warehouse
adapter (so the same on every engine), readable offline.

    location.py  where the pages go, their file names and the URL they are served at
    data.py      what a page shows, read from the warehouse: results, units, health
    summary.py   status, days running and the call on each metric (the index's line)
    charts.py    the Plotly figures
    page.py      the HTML of an experiment page and of the index
    write.py     writing the pages, the index and plotly.min.js to a directory
    serve.py     serving that directory on 127.0.0.1

The `<experiment>/report` Dagster asset that writes them is exp_assets/assets/report.py.
Nothing is imported here: the asset factory imports location.py without loading plotly.
"""
