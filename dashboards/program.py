"""``/programs/<code>`` — one program: name, accountable official, breadcrumb, its goals' figures.

Unknown codes show a friendly not-found panel in the user's language. The view is in ``_program.py``.
"""

from __future__ import annotations

import dash

from dashboards import _program

dash.register_page(__name__, path_template="/programs/<code>", name="program", title="natije")


def layout(code: str | None = None, **params):
    """Rendered on every visit with the path's code and the URL's query parameters."""
    return _program.render(code or "", params)
