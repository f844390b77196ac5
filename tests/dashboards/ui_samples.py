"""Sample data and tree helpers for the dashboard tests (imported as ``ui_samples``).

Small frames built in code, with exactly the columns of ``services.overview`` (no store needed).

``sample_overview()`` builds an ``Overview`` with 9 cards (every status), 5 programs of three kinds,
and a few off-track goals, overdue instructions and stale indicators. Fixtures wrap the builders.
"""

from __future__ import annotations

import datetime as dt
import types

import pandas as pd

from services.goals import ASSESSED_COLUMNS, AssessedGoals
from services.i18n import translator
from services.overview import CARD_COLUMNS, OFF_TRACK_COLUMNS, PROGRAM_COLUMNS, STALE_COLUMNS, Overview, goal_cards

TODAY = dt.date(2025, 11, 15)
INSTRUCTION_COLUMNS = ("code", "text", "meeting", "meeting_date", "issued_by", "assignee", "assignee_name",
                       "assignee_post", "node", "region", "issued_date", "due_date", "done_date", "days_overdue")

_CARD_SPECS = [  # status, name, unit, unit_label, latest, target, progress, expected, freshness
    ("green", "Ожидаемая продолжительность жизни", "years", "лет", 75.1, 75.0, 0.97, 0.9, "fresh"),
    ("amber_green", "Рост реального ВВП", "percent", "%", 4.8, 6.0, 0.7, 0.8, "fresh"),
    ("amber", "Доля обрабатывающей промышленности в ВВП", "percent", "%", 12.4, 15.0, 0.5, 0.7, "late"),
    ("amber_red", "Уровень бедности", "percent", "%", 5.2, 4.0, 0.3, 0.6, "fresh"),
    ("red", "Инвестиции в основной капитал", "kzt", "₸", 1.6e13, 2.5e13, 0.1, 0.6, "stale"),
    ("achieved", "Охват детей дошкольным образованием", "percent", "%", 99.1, 98.0, 1.05, 1.0, "fresh"),
    ("missed", "Младенческая смертность на 1000 родившихся", "per_1000", "‰", 8.1, 7.0, 0.4, 1.0, "fresh"),
    ("no_data", "Индекс цифровизации", "index", "балл", None, 80.0, None, None, "stale"),
    ("green", "Производительность труда", "kzt_thousand", "тыс. ₸", 10234.5, 11000.0, 0.85, 0.8, "fresh"),
]


def sample_cards(n: int | None = None) -> pd.DataFrame:
    rows = []
    for i, (status, name, unit, unit_label, latest, target, progress, expected, fresh) in enumerate(_CARD_SPECS):
        base = latest if latest is not None else 50.0
        spark = [] if latest is None else [base * (0.9 + 0.02 * k) for k in range(6)]
        rows.append({
            "goal_id": 100 + i, "node": "NDP-2029", "indicator": f"IND_{i}", "name": name, "unit": unit,
            "unit_label": unit_label, "decimals": 1, "direction": "up", "latest_value": latest,
            "latest_period": None if latest is None else ("2024" if i % 3 == 0 else "2025-Q2" if i % 3 == 1 else "2025-09"),
            "target_value": target, "target_year": 2029, "baseline_value": base * 0.8, "baseline_period": "2021",
            "progress": progress, "expected_progress": expected, "status": status, "reason_code": "x",
            "reason_text": f"причина {status}", "forecast_value": None if latest is None else base * 1.05,
            "forecast_probability": None if latest is None else 0.42, "freshness": fresh,
            "next_due": dt.date(2025, 10, 1), "owner": f"OFF{i}", "owner_name": f"Иванов И. {i}",
            "owner_post": "Министр национальной экономики", "spark_periods": [str(2019 + k) for k in range(len(spark))],
            "spark_values": spark, "source": "Бюро национальной статистики",
        })
    frame = pd.DataFrame(rows, columns=list(CARD_COLUMNS))
    return frame if n is None else frame.head(n)


def sample_programs() -> pd.DataFrame:
    rows = [
        ("NP-HEALTH", "Здоровая нация", "national_project", "KZ", "red", 6, 3, 1, 40),
        ("NP-EDU", "Качественное образование", "national_project", "KZ", "green", 5, 0, 0, 25),
        ("SP-DIGITAL", "Цифровой Казахстан", "state_program", "KZ", "amber", 4, 1, 2, 12),
        ("TP-AST", "Программа развития Астаны", "territorial_program", "AST", "amber_green", 8, 1, 1, 30),
        ("TP-ABY", "Программа развития области Абай", "territorial_program", "ABY", "no_data", 3, 0, 0, 9),
    ]
    return pd.DataFrame([
        {"code": c, "name": n, "kind": k, "region": r, "owner": "O" + c, "owner_name": "Сейітов А.",
         "owner_post": "Аким", "status": s, "reason_text": f"причина {s}", "score": 0.5, "goals": g,
         "off_track": off, "at_risk": risk, "projects": p}
        for c, n, k, r, s, g, off, risk, p in rows
    ], columns=list(PROGRAM_COLUMNS))


def sample_off_track() -> pd.DataFrame:
    return pd.DataFrame([
        {"node": "NP-HEALTH", "node_name": "Здоровая нация", "indicator": "IND_4", "name": "Инвестиции",
         "status": "red", "reason_text": "прогноз ниже цели", "owner_name": "Иванов И."},
        {"node": "NDP-2029", "node_name": "НПР-2029", "indicator": "IND_6", "name": "Младенческая смертность",
         "status": "missed", "reason_text": "цель не достигнута", "owner_name": "Петров П."},
    ], columns=list(OFF_TRACK_COLUMNS))


def sample_overdue(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame([
        {"code": f"INS-{i:04d}", "text": f"Обеспечить ввод объектов {i}", "meeting": "Заседание Правительства",
         "meeting_date": dt.date(2025, 6, 1), "issued_by": "PM", "assignee": f"A{i}", "assignee_name": f"Ахметов {i}",
         "assignee_post": "Вице-министр", "node": "NP-HEALTH", "region": "KZ", "issued_date": dt.date(2025, 6, 2),
         "due_date": dt.date(2025, 9, 1 + i), "done_date": None, "days_overdue": 75 - i}
        for i in range(n)
    ], columns=list(INSTRUCTION_COLUMNS))


def sample_stale() -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator": "IND_4", "name": "Инвестиции в основной капитал", "latest_period": "2025-Q1",
         "next_due": dt.date(2025, 8, 15), "freshness": "stale", "agency_name": "БНС АСПР"},
        {"indicator": "IND_2", "name": "Доля обрабатывающей промышленности", "latest_period": "2024",
         "next_due": dt.date(2025, 10, 1), "freshness": "late", "agency_name": "МНЭ"},
    ], columns=list(STALE_COLUMNS))


def sample_overview(**changes) -> Overview:
    values = dict(
        portfolio={"code": "NDP-2029", "name": "Национальный план развития до 2029 года",
                   "start_date": dt.date(2024, 1, 1), "end_date": dt.date(2029, 12, 31),
                   "owner_name": "Бектенов О.", "owner_post": "Премьер-министр"},
        portfolios=pd.DataFrame([{"code": "NDP-2029", "name": "НПР до 2029"}, {"code": "NDP-2025", "name": "НПР до 2025"}]),
        cards=sample_cards(), programs=sample_programs(), off_track=sample_off_track(), overdue=sample_overdue(),
        stale=sample_stale(), today=TODAY, data_version=7, is_demo=True,
    )
    values.update(changes)
    return Overview(**values)


def sample_goals() -> pd.DataFrame:
    """Assessed goals (``services.goals.ASSESSED_COLUMNS``) made from the first three sample cards."""
    cards = sample_cards(3)
    rows = []
    for i, card in cards.iterrows():
        row = {col: card[col] if col in card else None for col in ASSESSED_COLUMNS}
        row.update(frequency="Y", headline=i == 1, region="KZ")
        rows.append(row)
    return pd.DataFrame(rows, columns=list(ASSESSED_COLUMNS))


def sample_node_view(level: str = "program", goals: pd.DataFrame | None = None):
    """A ``services.nodes.NodeView``-shaped object for the program NP-HEALTH."""
    goals = (sample_goals() if goals is None else goals).assign(node="NP-HEALTH")
    series = pd.DataFrame({"indicator": ["IND_0"] * 3, "region": "KZ",
                           "period": ["2022", "2023", "2024"],
                           "period_start": [pd.Timestamp(y, 1, 1) for y in (2022, 2023, 2024)],
                           "value": [73.0, 74.2, 75.1], "state": "published", "version": 1})
    children = pd.DataFrame([{"code": "P-1", "name": "Больница в Астане", "level": "project", "region": "AST",
                              "region_name": "Астана", "state": "active", "start_date": dt.date(2024, 1, 1),
                              "end_date": dt.date(2026, 12, 31), "budget_kzt": 1e9, "owner_name": "Ким Л.",
                              "owner_post": "Руководитель проекта"}])
    overdue = pd.DataFrame([{"code": "INS-1", "text": "Сдать объект", "meeting": "Совещание", "meeting_date": None,
                             "issued_by": "PM", "assignee": "A", "assignee_name": "Ким Л.", "assignee_post": "Аким",
                             "node": "NP-HEALTH", "region": "KZ", "issued_date": dt.date(2025, 1, 1),
                             "due_date": dt.date(2025, 11, 5), "done_date": None, "days_overdue": 10}])
    owners = pd.DataFrame([{"node": "NP-HEALTH", "official": "O1", "name": "Альназарова А.",
                            "post": "Министр здравоохранения"}]).set_index("node")
    cards = goal_cards(types.SimpleNamespace(t=translator("en")), goals, series, owners)
    return types.SimpleNamespace(
        node={"code": "NP-HEALTH", "level": level, "kind": "national_project", "name": "Здоровая нация",
              "parent": "NDP-2029", "region": "KZ", "region_name": "Казахстан", "agency_name": "Минздрав",
              "start_date": dt.date(2024, 1, 1), "end_date": dt.date(2029, 12, 31), "owner": "O1",
              "owner_name": "Альназарова А.", "owner_post": "Министр здравоохранения",
              "status": "amber", "reason_text": "Amber: the worst goal's reason", "score": 0.4},
        path=pd.DataFrame([{"code": "NDP-2029", "level": "portfolio", "name": "НПР-2029"},
                           {"code": "NP-HEALTH", "level": "program", "name": "Здоровая нация"}]),
        goals=AssessedGoals(goals, series, pd.DataFrame(columns=["goal_id", "year", "value"])),
        cards=cards, children=children, overdue_instructions=overdue,
    )



# --- walking Dash component trees --------------------------------------------------------------------

def walk(component):
    """Every component in a tree (depth first), the root included."""
    if component is None or isinstance(component, (str, int, float)):
        return
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from walk(child)
        return
    yield component
    for name in ("children",):
        yield from walk(getattr(component, name, None))
    # components held in other props (popover bodies are children, graphs hold figures: skip those)


def text_of(component) -> str:
    """All text of a tree, joined by spaces (what a reader would see, hidden text included)."""
    parts: list[str] = []

    def visit(node):
        if node is None:
            return
        if isinstance(node, (str, int, float)):
            parts.append(str(node))
            return
        if isinstance(node, (list, tuple)):
            for child in node:
                visit(child)
            return
        visit(getattr(node, "children", None))

    visit(component)
    return " ".join(p for p in parts if p.strip())


def find(component, *, cls: str | None = None, type_: type | None = None, id_=None) -> list:
    """Components of a tree whose className contains ``cls`` / that are ``type_`` / have id ``id_``."""
    out = []
    for node in walk(component):
        if cls is not None and cls not in (getattr(node, "className", None) or "").split():
            continue
        if type_ is not None and not isinstance(node, type_):
            continue
        if id_ is not None and getattr(node, "id", None) != id_:
            continue
        out.append(node)
    return out


# --- the drill-down pages: projects, the regions map, one region ---------------------------------------
# Frames with exactly the columns of the contracts of services.projects, services.regions and
# services.programs (the tests build them without a store).

def sample_trajectories() -> pd.DataFrame:
    """Yearly targets of the sample goals 100..102 (``AssessedGoals.trajectories``)."""
    return pd.DataFrame([{"goal_id": 100, "year": 2025, "value": 74.0}, {"goal_id": 100, "year": 2029, "value": 75.0},
                         {"goal_id": 101, "year": 2029, "value": 6.0}], columns=["goal_id", "year", "value"])


def sample_forecast() -> pd.DataFrame:
    """A forecast line (``services.goals.forecast_line``) from the latest fact to the deadline."""
    return pd.DataFrame({"period_start": [pd.Timestamp(y, 1, 1) for y in (2024, 2025, 2026, 2027, 2028, 2029)],
                         "value": [75.1, 75.3, 75.5, 75.7, 75.9, 76.1], "low": [74.9, 74.9, 74.9, 74.9, 74.9, 74.9],
                         "high": [75.3, 75.7, 76.1, 76.5, 76.9, 77.3]})


def sample_program_projects() -> pd.DataFrame:
    """``services.programs.PROGRAM_PROJECT_COLUMNS`` for two projects of NP-HEALTH."""
    from services.programs import PROGRAM_PROJECT_COLUMNS

    rows = [
        {"code": "P-1", "name": "Больница в Астане", "level": "project", "region": "AST", "region_name": "Астана",
         "state": "active", "start_date": dt.date(2024, 1, 1), "end_date": dt.date(2026, 12, 31), "budget_kzt": 1e9,
         "owner_name": "Ким Л.", "owner_post": "Руководитель проекта", "status": "red",
         "reason_text": "Red: over budget", "schedule_health": "green", "schedule_reason": "Green: on schedule",
         "budget_health": "red", "budget_reason": "Red: over budget", "spi": 1.0, "cpi": 0.48,
         "execution_to_date": 0.99, "spent_kzt": 4.5e8, "milestones_overdue": 0},
        {"code": "P-2", "name": "Поликлиника в Шымкенте", "level": "project", "region": "SHY", "region_name": "Шымкент",
         "state": "suspended", "start_date": dt.date(2024, 3, 1), "end_date": dt.date(2025, 12, 31), "budget_kzt": 5e8,
         "owner_name": None, "owner_post": None, "status": "no_data", "reason_text": None,
         "schedule_health": "no_data", "schedule_reason": None, "budget_health": "no_data", "budget_reason": None,
         "spi": None, "cpi": None, "execution_to_date": None, "spent_kzt": 0.0, "milestones_overdue": 2},
    ]
    return pd.DataFrame(rows, columns=list(PROGRAM_PROJECT_COLUMNS))


def sample_program_extras():
    from services.programs import ProgramExtras

    return ProgramExtras(projects=sample_program_projects(), instructions={"total": 9, "done": 5, "open": 4, "overdue": 2})


def sample_milestones() -> pd.DataFrame:
    from services.projects import MILESTONE_COLUMNS

    return pd.DataFrame([
        {"seq": 1, "name": "Проект утверждён", "weight": 0.2, "planned_date": dt.date(2024, 4, 1),
         "actual_date": dt.date(2024, 3, 28), "state": "done_on_time", "days_late": 0},
        {"seq": 2, "name": "Подрядчик выбран", "weight": 0.2, "planned_date": dt.date(2024, 9, 1),
         "actual_date": dt.date(2024, 10, 15), "state": "done_late", "days_late": 44},
        {"seq": 3, "name": "Каркас возведён", "weight": 0.3, "planned_date": dt.date(2025, 6, 1),
         "actual_date": None, "state": "overdue", "days_late": 167},
        {"seq": 4, "name": "Объект сдан", "weight": 0.3, "planned_date": dt.date(2026, 12, 1),
         "actual_date": None, "state": "upcoming", "days_late": 0},
    ], columns=list(MILESTONE_COLUMNS))


def sample_budget() -> pd.DataFrame:
    from services.projects import BUDGET_COLUMNS

    months = pd.date_range("2025-01-01", periods=12, freq="MS")
    planned = [80e6] * 12
    spent = [70e6] * 10 + [float("nan")] * 2
    frame = pd.DataFrame({"period_start": months, "planned_kzt": planned, "allocated_kzt": planned, "spent_kzt": spent})
    frame["cumulative_planned_kzt"] = frame["planned_kzt"].cumsum()
    frame["cumulative_spent_kzt"] = frame["spent_kzt"].cumsum()
    return frame[list(BUDGET_COLUMNS)]


def sample_project_view(**changes):
    """A ``services.projects.ProjectView`` for project P-1 of NP-HEALTH in Astana."""
    from services.projects import ProjectView

    node = sample_node_view(level="project")
    node.node.update(code="P-1", name="Больница в Астане", region="AST", region_name="Астана", state="active",
                     budget_kzt=1e9, owner_name="Ким Л.", owner_post="Руководитель проекта", status="green",
                     reason_text="Green: on track")
    node.path = pd.DataFrame([{"code": "NDP-2029", "level": "portfolio", "name": "НПР-2029"},
                              {"code": "NP-HEALTH", "level": "program", "name": "Здоровая нация"},
                              {"code": "P-1", "level": "project", "name": "Больница в Астане"}])
    values = dict(
        node=node, milestones=sample_milestones(), budget=sample_budget(),
        earned_value={"bac": 1e9, "pv": 4e8, "ev": 3.6e8, "ac": 7e8, "spi": 0.9, "cpi": 0.514, "eac": 1.94e9,
                      "forecast_finish": dt.date(2027, 3, 1), "time_elapsed": 0.61, "spent_share": 0.7,
                      "planned_to_date": 8e8, "execution_to_date": 0.875,
                      "schedule_health": {"status": "amber_green", "reason_code": "behind_schedule",
                                          "reason_text": "Amber/green: behind schedule (SPI 0.90)"},
                      "budget_health": {"status": "red", "reason_code": "over_budget",
                                        "reason_text": "Red: over budget (CPI 0.51)"},
                      "health": {"status": "red", "reason_code": "over_budget",
                                 "reason_text": "Red: over budget (CPI 0.51)"}},
    )
    values.update(changes)
    return ProjectView(**values)


REGION_NAMES = {"ABY": "Abai Region", "AKM": "Akmola Region", "AKT": "Aktobe Region", "ALA": "Almaty",
                "ALR": "Almaty Region", "AST": "Astana", "ATY": "Atyrau Region", "EKR": "East Kazakhstan Region",
                "JMB": "Jambyl Region", "JTS": "Jetisu Region", "KGD": "Karaganda Region", "KST": "Kostanay Region",
                "KZY": "Kyzylorda Region", "MNG": "Mangystau Region", "NKR": "North Kazakhstan Region",
                "PVD": "Pavlodar Region", "SHY": "Shymkent", "TRK": "Turkistan Region", "ULY": "Ulytau Region",
                "WKR": "West Kazakhstan Region"}


def sample_geojson(codes=None) -> dict:
    """A tiny geometry: one square per region (feature id = code)."""
    features = []
    for i, code in enumerate(sorted(codes or REGION_NAMES)):
        x, y = 50 + (i % 5) * 7, 42 + (i // 5) * 3
        features.append({"type": "Feature", "id": code, "properties": {"code": code},
                         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 6, y], [x + 6, y + 2.5],
                                                                          [x, y + 2.5], [x, y]]]}})
    return {"type": "FeatureCollection", "features": features}


def sample_map_rows(per_capita: bool = False) -> pd.DataFrame:
    """``services.regions.MAP_ROW_COLUMNS``: 19 regions ranked, ABY without a value (and a note)."""
    from services.regions import MAP_ROW_COLUMNS

    rows = []
    ranked = [c for c in REGION_NAMES if c != "ABY"]
    for rank, code in enumerate(ranked, start=1):
        value = 80.0 - rank * (0.05 if per_capita else 1.0)
        rows.append({"region": code, "name": REGION_NAMES[code], "value": value, "raw_value": value * 100,
                     "period": "2024", "population": 500000 + rank, "rank": rank, "gap": value - 70.0, "note": None})
    rows.append({"region": "ABY", "name": "Abai Region", "value": None, "raw_value": None, "period": "2024",
                 "population": None, "rank": None, "gap": None,
                 "note": "Abai Region was formed on 8 June 2022 from part of East Kazakhstan Region."})
    frame = pd.DataFrame(rows, columns=list(MAP_ROW_COLUMNS))
    for column in ("rank", "population", "note"):
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def sample_region_map(indicator: str = "LIFE_EXPECTANCY", per_capita: bool = False, year: int = 2024):
    """A ``services.regions.RegionMap`` with two indicator options."""
    from services.regions import INDICATOR_OPTION_COLUMNS, RegionMap

    options = pd.DataFrame([
        {"code": "LIFE_EXPECTANCY", "name": "Life expectancy at birth", "unit": "years", "unit_label": "years",
         "direction": "up", "frequency": "Y", "per_capita_available": False},
        {"code": "CRIMES", "name": "Registered crimes", "unit": "count", "unit_label": "units", "direction": "down",
         "frequency": "Y", "per_capita_available": True},
    ], columns=list(INDICATOR_OPTION_COLUMNS))
    option = options.set_index("code").loc[indicator]
    return RegionMap(
        options=options,
        indicator={"code": indicator, **option.to_dict(), "source": "https://stat.gov.kz", "agency_name": "BNS",
                   "decimals": 2, "aggregation": "sum" if option["per_capita_available"] else "mean",
                   "period": str(year), "value_unit_label": "per 10,000 people" if per_capita else option["unit_label"],
                   "value_decimals": 2},
        years=[2024, 2023, 2022], year=year, per_capita=per_capita, national=70.0,
        rows=sample_map_rows(per_capita), geojson=sample_geojson(), today=TODAY,
    )


def sample_region_view(**changes):
    """A ``services.regions.RegionView`` of Astana."""
    from services.regions import DEMAND_COLUMNS, REGION_KPI_COLUMNS, REGION_PROJECT_COLUMNS, RegionView

    kpis = pd.DataFrame([
        {"indicator": "AVERAGE_WAGE", "name": "Average monthly nominal wage", "unit": "kzt_th", "unit_label": "thousand ₸",
         "decimals": 1, "direction": "up", "period": "2025-Q3", "value": 603.9, "national_value": 415.2, "gap": 188.7,
         "rank": 2, "of_regions": 20, "status": "red", "reason_text": "Red: forecast 841.9 vs target 982.7",
         "target_value": 982.7, "target_year": 2029.0,
         "spark_periods": [pd.Timestamp(2024, m, 1) for m in (1, 4, 7, 10)] + [pd.Timestamp(2025, m, 1) for m in (1, 4, 7)],
         "spark_values": [480.0, 490.0, 510.0, 520.0, 550.0, 580.0, 603.9]},
        {"indicator": "INFANT_MORTALITY", "name": "Infant mortality per 1,000 live births", "unit": "per_1000",
         "unit_label": "per 1,000", "decimals": 2, "direction": "down", "period": "2024", "value": 8.46,
         "national_value": 7.04, "gap": -1.42, "rank": 18, "of_regions": 20, "status": "no_data",
         "reason_text": "No data: no target is set", "target_value": float("nan"), "target_year": float("nan"),
         "spark_periods": [pd.Timestamp(y, 1, 1) for y in (2022, 2023, 2024)], "spark_values": [8.7, 8.55, 8.46]},
    ], columns=list(REGION_KPI_COLUMNS))
    projects = pd.DataFrame([
        {"code": "P-1", "name": "Больница в Астане", "program": "NP-HEALTH", "program_name": "Здоровая нация",
         "state": "active", "status": "amber", "reason_text": "Amber: over budget", "spi": 1.0, "cpi": 0.82,
         "execution_to_date": 0.99, "milestones_overdue": 1, "owner_name": "Ким Л.", "owner_post": "Руководитель",
         "end_date": dt.date(2026, 2, 13)},
    ], columns=list(REGION_PROJECT_COLUMNS))
    demand = pd.DataFrame([
        {"topic": "HOUSING", "topic_name": "Housing and utilities", "requests": 872, "per_10k": 5.66, "growth": 0.108,
         "resolved_on_time_share": 0.91},
        {"topic": "ROADS", "topic_name": "Roads", "requests": 315, "per_10k": 2.05, "growth": -0.03,
         "resolved_on_time_share": 0.89},
    ], columns=list(DEMAND_COLUMNS))
    monthly = pd.DataFrame({"month": pd.date_range("2023-11-01", periods=24, freq="MS"),
                            "requests": [300 + i for i in range(24)]})
    values = dict(
        region={"code": "AST", "name": "Astana", "level": "city", "valid_from": None, "valid_to": None,
                "centre": "Astana", "area_km2": None, "population": 1539384, "population_year": 2025,
                "predecessor": None, "predecessor_name": None, "since": None},
        program={"code": "TDP-AST", "name": "Territorial development program of Astana", "status": "amber_red",
                 "reason_text": "Amber/red: forecast below target", "score": 0.2, "owner": "OF-AKIM-AST-01",
                 "owner_name": "Murat Baizhanov", "owner_post": "Akim of Astana"},
        kpis=kpis, projects=projects, instruction_counts={"total": 26, "done": 21, "open": 5, "overdue": 3},
        demand=demand, demand_monthly=monthly, today=TODAY,
    )
    values.update(changes)
    return RegionView(**values)


def sample_instructions(node: str = "P-1", node_level: str = "project") -> pd.DataFrame:
    """Instructions with their states (``services.instructions.LIST_COLUMNS``): one overdue (escalated to
    the program's owner), one done."""
    from services.instructions import LIST_COLUMNS

    common = {"meeting": "Совещание акимата", "issued_by": "OF-AKIM-AST-01", "issued_by_name": "Байжанов М.",
              "assignee": "OF-AST-HLT-01", "assignee_name": "Ким Л.", "assignee_post": "Руководитель проекта",
              "agency": "AKIMAT-AST", "agency_name": "Акимат Астаны", "node": node, "node_level": node_level,
              "node_name": "Больница в Астане", "region": "AST", "region_name": "Астана", "days_left": None}
    return pd.DataFrame([
        {**common, "code": "INS-7", "text": "Ускорить строительство", "meeting_date": dt.date(2025, 8, 1),
         "issued_date": dt.date(2025, 8, 1), "due_date": dt.date(2025, 9, 1), "done_date": None, "report": None,
         "escalation_owner": "OF-MOH-01", "escalation_owner_name": "Альназарова А.",
         "escalation_owner_post": "Министр здравоохранения", "escalation_node": "NP-HEALTH", "state": "overdue",
         "days_overdue": 75},
        {**common, "code": "INS-3", "text": "Провести конкурс", "meeting_date": dt.date(2024, 5, 1),
         "issued_date": dt.date(2024, 5, 1), "due_date": dt.date(2024, 8, 1), "done_date": dt.date(2024, 7, 20),
         "report": "Исполнено", "escalation_owner": "OF-MOH-01", "escalation_owner_name": "Альназарова А.",
         "escalation_owner_post": "Министр здравоохранения", "escalation_node": "NP-HEALTH", "state": "done",
         "days_overdue": 0},
    ], columns=list(LIST_COLUMNS))
