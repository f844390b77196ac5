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
