"""The observations template: an indicator's value for a period, nationally or for one region
(docs/import.md, "observations"). Written through :func:`data_sources.writes.write_observations`, so
a new value for a loaded figure is a correction (a new version), never an overwrite."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from data_sources.loaders.cells import blank, parse_number, parse_period, text
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext
from data_sources.periods import label_frequency, period_label
from data_sources.store import normalise_code
from data_sources.writes import write_observations

#: Units for which a ``%`` sign is allowed in a value (and ``%`` is accepted in the unit column).
PERCENT_UNITS = frozenset({"percent", "percent_gdp"})
PERIOD_FORMATS = "YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, MM.YYYY"
PERIOD_EXAMPLE = {"Y": "2025", "Q": "2025-Q3", "M": "2025-09"}

COLUMNS = (
    Column("indicator", "показатель", "көрсеткіш", required=True, help="indicator code"),
    Column("period", "период", "кезең", required=True, help=f"period ({PERIOD_FORMATS})"),
    Column("value", "значение", "мән", required=True, help="the value, in the indicator's unit"),
    Column("region", "регион", "өңір", help="region code or name in kk/ru/en; empty = national"),
    Column("unit", "ед. изм.", "өлшем бірлігі", help="the indicator's unit code (checked when given)"),
    Column("comment", "комментарий", "түсініктеме", help="free text kept with the value"),
)

ROW_CODES = ("indicator_unknown", "region_unknown", "period_invalid", "period_frequency", "value_missing",
             "value_invalid", "value_percent", "value_out_of_range", "unit_mismatch")


def _fmt(x: float | None) -> str:
    """A range bound as written in a message: ``1000000``, ``0.5`` (never ``1e+06``)."""
    return "–" if x is None else np.format_float_positional(x, trim="-")


def _value(row: Row, meta: Any) -> float | None:
    cell = row.raw("value")
    if blank(cell):
        row.problem("value", "value_missing", "")
        return None
    if isinstance(cell, bool) or isinstance(cell, (dt.date, dt.datetime)):
        row.problem("value", "value_invalid", value=text(cell))
        return None
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        written = str(cell).strip()
        one_sign = written.count("%") == 1 and (written.startswith("%") or written.endswith("%"))
        try:
            value = parse_number(written.replace("%", "", 1) if one_sign else written)
        except ValueError:
            row.problem("value", "value_invalid", value=written)
            return None
        if "%" in written and meta is not None and meta.unit not in PERCENT_UNITS:
            row.problem("value", "value_percent", value=written, unit=meta.unit)
            return None
    if value != value or abs(value) == float("inf"):
        row.problem("value", "value_invalid", value=text(cell))
        return None
    if meta is not None:
        low, high = meta.valid_min, meta.valid_max
        if (low is not None and value < low) or (high is not None and value > high):
            row.problem("value", "value_out_of_range", value=text(cell), min=_fmt(low), max=_fmt(high))
    return value


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{indicator, region, period, value, comment}`` (docs/import.md, "observations")."""
    code = normalise_code(text(row.raw("indicator")))
    meta = reference.indicators.get(code) if code else None
    if meta is None:
        row.problem("indicator", "indicator_unknown", row.raw("indicator") or "", value=text(row.raw("indicator")))
    region = row.region("region", reference)

    label = None
    period_cell = row.raw("period")
    try:
        if blank(period_cell):
            raise ValueError("empty")
        parsed = parse_period(period_cell)
    except ValueError:
        row.problem("period", "period_invalid", period_cell or "", value=text(period_cell), formats=PERIOD_FORMATS)
    else:
        if meta is not None:
            if isinstance(parsed, dt.date):
                label = period_label(parsed, meta.frequency)
            elif label_frequency(parsed) == meta.frequency:
                label = parsed
            else:
                row.problem("period", "period_frequency", value=text(period_cell),
                            expected=PERIOD_EXAMPLE[meta.frequency])

    value = _value(row, meta)
    unit = row.text("unit")
    if meta is not None and unit is not None:
        given = unit.casefold()
        if given != meta.unit.casefold() and not (given == "%" and meta.unit in PERCENT_UNITS):
            row.problem("unit", "unit_mismatch", value=unit, expected=meta.unit)
    if row.problems:
        return None
    return {"indicator": code, "region": region, "period": label, "value": value, "comment": row.text("comment")}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    frame = pd.DataFrame(records, columns=["indicator", "region", "period", "value", "comment"], dtype=object)
    counts = write_observations(ctx.conn, ctx.ledger, batch_id=ctx.batch_id, batch_code=ctx.batch_code, rows=frame,
                                known_at=ctx.now, actor=ctx.actor, progress=ctx.progress)
    return Counts(counts.loaded, counts.unchanged, counts.corrected)


TEMPLATE = Template(
    name="observations",
    title="Observations: indicator values",
    columns=COLUMNS,
    key=("indicator", "region", "period"),
    compare=("value",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("показатели", "мәндер", "значения"),
    example=(("LIFE_EXPECTANCY", "2025", "75.1", "", "years", ""),
             ("UNEMPLOYMENT_RATE", "2025-Q3", "4,6", "Астана", "", "")),
)
