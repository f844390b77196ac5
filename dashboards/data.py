"""``/data`` — the data catalogue: every indicator with its agency, source, frequency, latest period,
freshness and accountable official, with CSV/XLSX downloads; the blank load templates; for roles that
upload (``Viewer.sees_uploads``), the upload and the load history with each batch's report.

``?history=<page>&demo_batches=1``: the history's page and whether the demo generator's batches show.
The view is in ``_data.py``; the files are served by ``_downloads.py``.
"""

from __future__ import annotations

import dash

from dashboards import _data

dash.register_page(__name__, path="/data", name="data", title="natije", order=3)


def layout(**params):
    """Rendered on every visit with the URL's query parameters."""
    return _data.render(params)
