"""``/regions/<code>`` — the akim's view of one region: KPIs against the nation, rank, trends,
projects, instructions, citizen demand.

Unknown codes show a friendly not-found panel in the user's language. The view is in ``_region.py``.
"""

from __future__ import annotations

import dash

from dashboards import _region

dash.register_page(__name__, path_template="/regions/<code>", name="region", title="natije")


def layout(code: str | None = None, **params):
    """Rendered on every visit with the path's code and the URL's query parameters."""
    return _region.render(code or "", params)
