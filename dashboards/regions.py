"""``/regions`` — the map of a regional indicator with the ranking beside it.

``?indicator=CODE&year=YYYY&per_capita=1``: the URL is the view (reload or share it). The view is in
``_regions.py``.
"""

from __future__ import annotations

import dash

from dashboards import _regions

dash.register_page(__name__, path="/regions", name="regions", title="natije", order=1)


def layout(**params):
    """Rendered on every visit with the URL's query parameters."""
    return _regions.render(params)
