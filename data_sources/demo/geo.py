"""Regions (the nation and the 20 first-level units), their grammar forms for templated texts, and
population by year (real figures from the facts, synthesised years in between)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from data_sources.demo._common import FACTS_REF, FIRST_YEAR, NEW_REGIONS, REFORM, facts, texts

ORDER = ("ABY", "AKM", "AKT", "ALR", "ATY", "EKR", "JMB", "JTS", "KGD", "KST", "KZY", "MNG", "NKR",
         "PVD", "TRK", "ULY", "WKR", "ALA", "AST", "SHY")
CITIES = ("ALA", "AST", "SHY")

#: Russian genitive and prepositional of each region ("акимат Акмолинской области", "в городе Астане").
RU_CASES = {
    "ABY": ("области Абай", "области Абай"),
    "AKM": ("Акмолинской области", "Акмолинской области"),
    "AKT": ("Актюбинской области", "Актюбинской области"),
    "ALR": ("Алматинской области", "Алматинской области"),
    "ATY": ("Атырауской области", "Атырауской области"),
    "EKR": ("Восточно-Казахстанской области", "Восточно-Казахстанской области"),
    "JMB": ("Жамбылской области", "Жамбылской области"),
    "JTS": ("области Жетісу", "области Жетісу"),
    "KGD": ("Карагандинской области", "Карагандинской области"),
    "KST": ("Костанайской области", "Костанайской области"),
    "KZY": ("Кызылординской области", "Кызылординской области"),
    "MNG": ("Мангистауской области", "Мангистауской области"),
    "NKR": ("Северо-Казахстанской области", "Северо-Казахстанской области"),
    "PVD": ("Павлодарской области", "Павлодарской области"),
    "TRK": ("Туркестанской области", "Туркестанской области"),
    "ULY": ("области Улытау", "области Улытау"),
    "WKR": ("Западно-Казахстанской области", "Западно-Казахстанской области"),
    "ALA": ("города Алматы", "городе Алматы"),
    "AST": ("города Астаны", "городе Астане"),
    "SHY": ("города Шымкента", "городе Шымкенте"),
}

#: Synthetic annual growth where the facts give no second population figure (outflow regions named
#: in the facts get a negative rate).
GROWTH_GUESS = {"AKM": -0.003, "AKT": 0.013, "ATY": 0.015, "EKR": -0.005, "JTS": -0.002, "KST": -0.006,
                "KZY": 0.010, "PVD": -0.003, "WKR": 0.003}

#: Extra propensity of a region's residents to file appeals (facts: Astana, Almaty, Kostanay and
#: Pavlodar lead the Ombudsman's statistics).
APPEAL_PROPENSITY = {"AST": 1.5, "ALA": 1.25, "KST": 1.35, "PVD": 1.35, "TRK": 1.0, "KGD": 1.1}


def _clean(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


@dataclass
class RegionInfo:
    code: str
    level: str
    name: dict
    name_origin: dict
    centre: dict
    area_km2: float | None
    valid_from: dt.date | None
    source: str
    gen_ru: str = ""
    prep_ru: str = ""
    pop2023: int = 0
    latest: dict = field(default_factory=dict)  # year -> (value, source)

    # --- grammar for templates -------------------------------------------------------------
    @property
    def kk_loc(self) -> str:
        """"Абай облысында" (in the region)."""
        return re.sub(r"ы$", "ында", self.name["kk"])

    @property
    def kk_gen(self) -> str:
        """"Абай облысының" (of the region)."""
        return re.sub(r"ы$", "ының", self.name["kk"])

    @property
    def en_in(self) -> str:
        return self.name["en"]


def kazakhstan() -> RegionInfo:
    return RegionInfo(
        code="KZ", level="country",
        name=texts("Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan"),
        name_origin={"kk": "official", "ru": "official", "en": "official"},
        centre=texts("Астана", "Астана", "Astana"), area_km2=2724900.0, valid_from=None,
        source="Constitution of the Republic of Kazakhstan (names); area: general reference, not in the facts",
        gen_ru="Республики Казахстан", prep_ru="Республике Казахстан",
    )


def regions() -> list[RegionInfo]:
    """KZ first, then the 20 regions in :data:`ORDER`."""
    rows = {r["code"]: r for r in facts()["regions"]}
    out = [kazakhstan()]
    for code in ORDER:
        r = rows[code]
        latest = {}
        if r.get("population_latest"):
            pl = r["population_latest"]
            if str(pl["date"]).endswith("-01-01"):
                latest[int(str(pl["date"])[:4])] = (int(pl["value"]), pl["source"])
        if code == "MNG":  # the facts' note: 805,156 on 1 Jan 2025 (same source)
            latest[2025] = (805156, r["population_latest"]["source"])
        centre = {loc: _clean(r["center"][loc]) for loc in ("kk", "ru", "en")}
        info = RegionInfo(
            code=code, level="city" if code in CITIES else "oblast",
            name=texts(r["name_kk"], _clean(r["name_ru"]), _clean(r["name_en"])),
            name_origin={"kk": "official", "ru": "official", "en": "official"},
            centre=centre, area_km2=r.get("area_km2"),
            valid_from=REFORM if code in NEW_REGIONS else None,
            source=f"{FACTS_REF} (regions: {facts()['region_names_source'][:60]}...; population "
                   f"{facts()['regions_population_source_2023']}; area {r.get('area_source') or r.get('area_note', '')})",
            gen_ru=RU_CASES[code][0], prep_ru=RU_CASES[code][1],
            pop2023=int(r["population"]), latest=latest,
        )
        if code in CITIES:
            info.name["en"] = {"ALA": "Almaty", "AST": "Astana", "SHY": "Shymkent"}[code]
        out.append(info)
    return out


@dataclass
class Population:
    """Population on 1 January by year.

    ``own[code][year]``: the region in its post-2022 borders (an internal, unreported figure before
    2023 for the predecessors and the new regions); ``table``: what is reported — before 2023 the
    predecessors include the regions carved out of them and the new regions have no row.
    ``real[(code, year)]``: source of a real figure.
    """

    years: list[int]
    own: dict[str, dict[int, int]]
    table: dict[str, dict[int, int]]
    real: dict[tuple[str, int], str]

    def weights(self, codes: list[str], start: dt.date) -> np.ndarray:
        """Population weights of the reported regions ``codes`` for a period starting on ``start``.

        The year's 1 January figure; periods of the second half of 2022 (new borders, but the
        1 January 2022 count is in the old ones) use the 1 January 2023 count."""
        year = start.year
        if year == 2022 and start >= dt.date(2022, 7, 1):
            year = 2023
        year = min(max(year, self.years[0]), self.years[-1])
        return np.array([self.table[c].get(year) or self.own[c][year] for c in codes], dtype=float)

    def own_weights(self, codes: list[str], year: int) -> np.ndarray:
        year = min(max(year, self.years[0]), self.years[-1])
        return np.array([self.own[c][year] for c in codes], dtype=float)


def population(infos: list[RegionInfo], today: dt.date) -> Population:
    """Real 2023 figures for all 20 regions; real later figures where the facts have them; the
    country totals of 2025 and 2026 from the facts (synthetic regions scaled to match); years
    before 2023 synthesised backwards with each region's growth."""
    last_year = max(today.year, 2023)
    years = list(range(FIRST_YEAR, last_year + 1))
    country = {}
    for row in facts()["country_population"]:
        if str(row["date"]).endswith("-01-01") and "value" in row:
            country[int(str(row["date"])[:4])] = (int(row["value"]), row["source"])
    own: dict[str, dict[int, float]] = {}
    real: dict[tuple[str, int], str] = {}
    growth = {}
    regions_ = [i for i in infos if i.code != "KZ"]
    for info in regions_:
        g = GROWTH_GUESS.get(info.code, 0.008)
        if info.latest:
            year, (value, _src) = max(info.latest.items())
            g = (value / info.pop2023) ** (1 / (year - 2023)) - 1
        growth[info.code] = g
        series = {}
        for y in years:
            series[y] = info.pop2023 * (1 + g) ** (y - 2023)
        series[2023] = float(info.pop2023)
        real[(info.code, 2023)] = "github:open-data-kazakhstan/city-population data/city_population.csv (BNS, 1 Jan 2023)"
        for y, (value, src) in info.latest.items():
            if y in series:
                series[y] = float(value)
                real[(info.code, y)] = src
        own[info.code] = series
    # Calibrate the synthetic regions so the regions add up to the real country total.
    for y, (total, src) in country.items():
        if y not in years:
            continue
        fixed = sum(own[c][y] for c in own if (c, y) in real)
        free = [c for c in own if (c, y) not in real]
        scale = (total - fixed) / sum(own[c][y] for c in free)
        for c in free:
            own[c][y] *= scale
        real[("KZ", y)] = src
    real[("KZ", 2023)] = "derived: sum of the 20 regions on 1 Jan 2023 (" + FACTS_REF + ")"
    own_int = {c: {y: int(round(v)) for y, v in s.items()} for c, s in own.items()}
    for y, (total, _src) in country.items():  # exact totals after rounding
        if y in years:
            free = [c for c in own_int if (c, y) not in real]
            diff = total - sum(own_int[c][y] for c in own_int)
            own_int[max(free, key=lambda c: own_int[c][y])][y] += diff
    table: dict[str, dict[int, int]] = {c: {} for c in ["KZ", *own_int]}
    for y in years:
        for c, s in own_int.items():
            if c in NEW_REGIONS and y < 2023:
                continue
            value = s[y]
            if y < 2023 and c in NEW_REGIONS.values():
                value += sum(own_int[n][y] for n, p in NEW_REGIONS.items() if p == c)
            table[c][y] = value
        table["KZ"][y] = sum(table[c][y] for c in own_int if y in table[c])
    own_int["KZ"] = dict(table["KZ"])
    return Population(years=years, own=own_int, table=table, real=real)


def reported_regions(start: dt.date) -> list[str]:
    """Regions that report a period starting on ``start``: the three regions created on 8 June 2022
    report from the periods starting on or after 1 July 2022; before, their predecessors cover them."""
    from data_sources.demo._common import REFORM_REPORTING

    if start >= REFORM_REPORTING:
        return list(ORDER)
    return [c for c in ORDER if c not in NEW_REGIONS]
