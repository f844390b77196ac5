"""``/instructions`` — instructions (поручения) from meetings and protocols: code, text, meeting, issued
by, assignee, agency, linked program or project, issued, due, done, state, report.

``?view=`` (the tabs are links): ``all`` (default), ``due_week``, ``overdue_assignee``, ``overdue_agency``,
``by_meeting``; ``?page=`` the page (rows paginated in SQL); filters ``?assignee=``, ``?agency=``,
``?region=``, ``?node=`` (a node and everything below it), ``?meeting_date=`` with ``?issued_by=`` (a
meeting). The view is in ``_instructions.py``.
"""

from __future__ import annotations

import dash

from dashboards import _instructions

dash.register_page(__name__, path="/instructions", name="instructions", title="natije")


def layout(**params):
    """Rendered on every visit with the URL's query parameters."""
    return _instructions.render(params)
