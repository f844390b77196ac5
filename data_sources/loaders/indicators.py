"""The indicators template: an indicator with its metadata — unit, direction, frequency, how regional
values make the national one, the valid range, freshness and its owner agency (docs/import.md,
"indicators"). Upserted by code: new *loaded*, equal *unchanged*, different *corrected* (updated).
Changing the unit or the frequency of an indicator that already has values would reinterpret those
values, so such a row is quarantined (``indicator_redefined``). Indicators are national reference
data: a region-scoped uploader cannot load them."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from data_sources.loaders.reference_rows import (
    code_ids,
    given,
    in_scope,
    known_code,
    or_default,
    upsert_by_code,
)
from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext, names_columns
from data_sources.store import NATION, Agency, Indicator, ObservationCurrent

#: Accepted spellings (any case) of the direction in which the indicator improves.
DIRECTIONS = {
    "up": "up", "higher is better": "up", "higher": "up", "↑": "up",
    "рост": "up", "больше — лучше": "up", "больше лучше": "up", "выше": "up",
    "өсу": "up", "көбірек — жақсы": "up", "көбірек жақсы": "up", "жоғары": "up",
    "down": "down", "lower is better": "down", "lower": "down", "↓": "down",
    "снижение": "down", "меньше — лучше": "down", "меньше лучше": "down", "ниже": "down",
    "төмендеу": "down", "азырақ — жақсы": "down", "азырақ жақсы": "down", "төмен": "down",
}
#: Accepted spellings (any case) of the frequency: yearly, quarterly, monthly.
FREQUENCIES = {
    "y": "Y", "year": "Y", "yearly": "Y", "annual": "Y", "год": "Y", "годовая": "Y", "ежегодно": "Y",
    "жыл": "Y", "жылдық": "Y",
    "q": "Q", "quarter": "Q", "quarterly": "Q", "квартал": "Q", "квартальная": "Q", "ежеквартально": "Q",
    "тоқсан": "Q", "тоқсандық": "Q",
    "m": "M", "month": "M", "monthly": "M", "месяц": "M", "месячная": "M", "ежемесячно": "M",
    "ай": "M", "айлық": "M",
}
#: Accepted spellings (any case) of how the national value follows from the regions'.
AGGREGATIONS = {
    "sum": "sum", "сумма": "sum", "қосынды": "sum",
    "population_weighted_mean": "population_weighted_mean",
    "средневзвешенное по населению": "population_weighted_mean",
    "халық саны бойынша орташа өлшенген": "population_weighted_mean",
    "none": "none", "нет": "none", "жоқ": "none",
}
#: A unit code: lower-case letters, digits and ``_`` (``percent``, ``years``, ``kzt_bn``); ``%`` = percent.
UNIT_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_DECIMALS = 6
#: Defaults of an empty cell (the store's defaults).
DEFAULTS = {"regional": False, "aggregation": "none", "valid_min": None, "valid_max": None, "decimals": 1,
            "seasonal": False, "grace_days": 30, "publication_lag_days": 30, "agency": None, "source": None}

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the indicator's code (letters, digits, _ - ., up to 48)"),
    *names_columns("name"),
    Column("unit", "ед. изм.", "өлшем бірлігі", required=True,
           help="unit code: lower-case letters, digits, _ (percent, years, kzt_bn); % = percent"),
    Column("direction", "направление", "бағыты", required=True,
           help="up (higher is better) or down (lower is better); also in Russian or Kazakh"),
    Column("frequency", "периодичность", "кезеңділігі", required=True,
           help="Y, Q or M (year, quarter, month in English, Russian or Kazakh)"),
    Column("regional", "по регионам", "өңірлер бойынша", help="yes when values come per region; empty = no"),
    Column("aggregation", "агрегирование", "біріктіру",
           help="sum, population_weighted_mean or none: how regions make the national value; empty = none"),
    Column("valid_min", "минимум", "ең аз мәні", help="smallest plausible value; empty = no limit"),
    Column("valid_max", "максимум", "ең көп мәні", help="largest plausible value (>= valid_min); empty = no limit"),
    Column("decimals", "знаков после запятой", "ондық таңбалар", help="decimals shown, 0 to 6; empty = 1"),
    Column("seasonal", "сезонный", "маусымдық", help="yes when values follow the seasons; empty = no"),
    Column("grace_days", "дней отсрочки", "кешігу күндері",
           help="days a value may be overdue (late) before it counts as stale; empty = 30"),
    Column("publication_lag_days", "задержка публикации, дней", "жариялау кідірісі, күн",
           help="days from a period's end to its publication; empty = 30"),
    Column("agency", "госорган", "мемлекеттік орган", help="code of the owner agency (must exist); empty = none"),
    Column("source", "источник", "дереккөз", help="where the values come from (free text)"),
)

ROW_CODES = ("names_missing", "unit_invalid", "range_reversed", "agency_unknown",
             "indicator_redefined")


def _unit(row: Row) -> str | None:
    written = row.text("unit", required=True)
    if written is None:
        return None
    unit = "percent" if written == "%" else written.casefold()
    if not UNIT_PATTERN.match(unit):
        row.problem("unit", "unit_invalid", value=written)
        return None
    return unit


def _has_values(reference: Reference, code: str) -> bool:
    indicator = select(Indicator.id).where(Indicator.code == code).scalar_subquery()
    return reference.conn.execute(
        select(ObservationCurrent.indicator_id).where(ObservationCurrent.indicator_id == indicator).limit(1)
    ).first() is not None


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, name, unit, direction, frequency}`` plus the other columns the file has."""
    in_scope(row, reference, None, NATION)
    code = row.code("code", required=True)
    names = row.texts("name", required=True)
    unit = _unit(row)
    direction = row.choice("direction", DIRECTIONS, required=True)
    frequency = row.choice("frequency", FREQUENCIES, required=True)
    valid_min, valid_max = row.number("valid_min"), row.number("valid_max")
    if valid_min is not None and valid_max is not None and valid_min > valid_max:
        row.problem("valid_max", "range_reversed", min=f"{valid_min:g}", max=f"{valid_max:g}")
    decimals = row.integer("decimals", minimum=0)
    if decimals is not None and decimals > MAX_DECIMALS:
        row.problem("decimals", "number_invalid", value=row.text("decimals"))
    optional = given(row, {
        "regional": row.boolean("regional", default=DEFAULTS["regional"]),
        "aggregation": row.choice("aggregation", AGGREGATIONS, default=DEFAULTS["aggregation"]),
        "valid_min": valid_min, "valid_max": valid_max,
        "decimals": or_default(decimals, DEFAULTS["decimals"]),
        "seasonal": row.boolean("seasonal", default=DEFAULTS["seasonal"]),
        "grace_days": or_default(row.integer("grace_days", minimum=0), DEFAULTS["grace_days"]),
        "publication_lag_days": or_default(row.integer("publication_lag_days", minimum=0),
                                           DEFAULTS["publication_lag_days"]),
        "agency": known_code(row, "agency", reference.agencies, "agency_unknown"),
        "source": row.text("source"),
    })
    stored = reference.indicators.get(code) if code else None
    if stored is not None and unit is not None and frequency is not None \
            and (unit != stored.unit or frequency != stored.frequency) and _has_values(reference, code):
        column = "unit" if unit != stored.unit else "frequency"
        row.problem(column, "indicator_redefined", value=code, unit=stored.unit, frequency=stored.frequency)
    if row.problems:
        return None
    return {"code": code, "name": names, "unit": unit, "direction": direction, "frequency": frequency, **optional}


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    agencies = code_ids(ctx.conn, Agency)
    rows = []
    for record in records:
        row = {k: v for k, v in record.items() if k != "agency"}
        if "agency" in record:
            row["agency_id"] = agencies[record["agency"]] if record["agency"] else None
        rows.append(row)
    defaults = {**{k: v for k, v in DEFAULTS.items() if k != "agency"}, "agency_id": None, "synthetic": False}
    return upsert_by_code(ctx, Indicator.__table__, rows, defaults=defaults)


TEMPLATE = Template(
    name="indicators",
    title="Indicators with their metadata",
    columns=COLUMNS,
    key=("code",),
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("индикаторы", "индикаторлар", "паспорта индикаторов"),
    example=(("INFANT_MORTALITY", "Нәресте өлімі", "Младенческая смертность", "Infant mortality", "per_1000",
              "down", "Y", "yes", "none", "0", "50", "1", "no", "60", "120", "MH", "Bureau of National Statistics"),
             ("HOSPITAL_BEDS", "", "Койки в стационарах", "", "count", "рост", "год", "да", "сумма", "0", "",
              "0", "нет", "", "", "MH", "")),
)
