"""``/projects/<code>`` — one project: milestones, budget burn, earned value, who is responsible.

Unknown codes show a friendly not-found panel in the user's language. The view is in ``_project.py``.
"""

from __future__ import annotations

import dash

from dashboards import _project

dash.register_page(__name__, path_template="/projects/<code>", name="project", title="natije")


def layout(code: str | None = None, **params):
    """Rendered on every visit with the path's code and the URL's query parameters."""
    return _project.render(code or "", params)
