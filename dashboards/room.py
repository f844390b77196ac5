"""``/room`` — the situation room: a wall display that runs for days, configured by its URL
(``?panels=overview,map:LIFE_EXPECTANCY,instructions&rotate=30&refresh=60&reload=21600&theme=dark&lang=kk``;
docs/room.md). No navigation shell: the wall shows the panels, the clock and the ticker only.
The view lives in ``_room.py``, the live behaviour in ``assets/room.js``.
"""

from __future__ import annotations

import dash

from dashboards import _room

dash.register_page(__name__, path="/room", name="room", title="natije", order=90, shell=False)


def layout(**params):
    """Rendered on every visit (and at every scheduled reload) with the URL's query parameters."""
    return _room.render(params)
