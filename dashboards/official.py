"""``/officials/<code>`` — one official's scorecard: goals held now and before, political or
administrative, share by status with reasons, overdue instructions (own and escalated), change since
the previous quarter.

Unknown codes, and officials outside the viewer's region, show a friendly not-found panel in the
user's language. The view is in ``_officials.py``.
"""

from __future__ import annotations

import dash

from dashboards import _officials

dash.register_page(__name__, path_template="/officials/<code>", name="official", title="natije")


def layout(code: str | None = None, **params):
    """Rendered on every visit with the path's code and the URL's query parameters."""
    return _officials.render_scorecard(code or "", params)
