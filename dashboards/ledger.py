"""``/ledger`` — the responsibility ledger: the chain's status (verified when, size, head hash), the
public key and the latest checkpoint; the entries, filterable by kind, goal and official; per goal,
who was accountable, from when to when, with which target.

``?kind=&node=&indicator=&official=&page=``: the filters and the page of entries (newest first). The
view is in ``_ledger.py``; who reads which payload is decided in ``data_sources/ledger_view.py``.
"""

from __future__ import annotations

import dash

from dashboards import _ledger

dash.register_page(__name__, path="/ledger", name="ledger", title="natije", order=4)


def layout(**params):
    """Rendered on every visit with the URL's query parameters."""
    return _ledger.render(params)
