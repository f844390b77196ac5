"""``/`` — the minister's overview of a portfolio (``?portfolio=CODE``; default: the newest).

Headline KPI cards, the alert strip (off-track goals, overdue instructions, stale data: each count
opens its list) and the status grid of all programs. The view lives in ``_overview.py``.
"""

from __future__ import annotations

import dash

from dashboards import _overview

dash.register_page(__name__, path="/", name="overview", title="natije", order=0)


def layout(**params):
    """Rendered on every visit with the URL's query parameters (fresh data each time)."""
    return _overview.render(params)
