"""``/officials`` — every official the viewer may see, with their scorecard's figures: goals held, the
share of them by status, the change since the previous quarter, overdue instructions (own and
escalated). ``?q=`` searches, ``?kind=`` and ``?sort=`` filter and order. The view is in ``_officials.py``.
"""

from __future__ import annotations

import dash

from dashboards import _officials

dash.register_page(__name__, path="/officials", name="officials", title="natije")


def layout(**params):
    """Rendered on every visit with the URL's query parameters."""
    return _officials.render_list(params)
