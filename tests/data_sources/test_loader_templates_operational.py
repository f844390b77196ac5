"""The operational load templates (docs/import.md): milestones, budget lines, instructions and citizen
requests — good rows load, every row problem names its column, loading twice changes nothing, a
changed value is a correction (with its ledger entries for instructions), Russian and Kazakh headers,
recognition by columns, region scope, money as people type it, chunked writes — on a copy of the demo
store (SQLite, or PostgreSQL in the second stage of ``make test``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_sources.loaders import upserts
from data_sources.loaders.budget_lines import parse_money, parse_month
from data_sources.loaders.run import load_file
from data_sources.store import (
    Agency,
    BudgetLine,
    CitizenRequest,
    Instruction,
    LedgerEntry,
    Milestone,
    Node,
    Official,
    Region,
    RequestTopic,
)

pytestmark = pytest.mark.datalayer

ACTOR = "operational-test"


def write_csv(path: Path, lines: list[list[str]]) -> Path:
    path.write_bytes(("\r\n".join(";".join(cells) for cells in lines) + "\r\n").encode("utf-8"))
    return path


def adds_up(report) -> bool:
    return report.rows_read == report.loaded + report.unchanged + report.corrected + report.quarantined


def tallies(report) -> tuple[int, int, int, int, int]:
    return report.rows_read, report.loaded, report.unchanged, report.corrected, report.quarantined


def problems_by_row(report) -> dict[int, set[tuple[str, str | None]]]:
    found: dict[int, set[tuple[str, str | None]]] = {}
    for p in report.problems:
        found.setdefault(p.row, set()).add((p.code, p.column))
    return found


def ledger_after(engine, seq: int) -> list[tuple[str, dict]]:
    with engine.connect() as conn:
        return [(r.kind, json.loads(r.payload)) for r in conn.execute(
            select(LedgerEntry.kind, LedgerEntry.payload).where(LedgerEntry.seq > seq).order_by(LedgerEntry.seq))]


def ledger_head(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(LedgerEntry.seq), 0))).scalar_one()


@pytest.fixture
def codes(demo_engine):
    """Codes of the demo store the rows refer to, found by query."""
    with demo_engine.connect() as conn:
        projects = conn.execute(select(Node.code, Region.code).join(Region, Region.id == Node.region_id)
                                .where(Node.level == "project", Region.code != "KZ").order_by(Node.code)).all()
        first = projects[0]
        other = next(p for p in projects if p[1] != first[1])
        level = {lv: conn.execute(select(Node.code).where(Node.level == lv).order_by(Node.code).limit(1)).scalar_one()
                 for lv in ("program", "portfolio")}
        officials = conn.execute(select(Official.code).order_by(Official.code).limit(2)).scalars().all()
        return {"project": first[0], "region": first[1], "other_project": other[0], "other_region": other[1],
                "program": level["program"], "portfolio": level["portfolio"], "official": officials[0],
                "official2": officials[1],
                "agency": conn.execute(select(Agency.code).order_by(Agency.code).limit(1)).scalar_one(),
                "topic": conn.execute(select(RequestTopic.code).order_by(RequestTopic.code).limit(1)).scalar_one()}


# --------------------------------------------------------------------------------------------------
# milestones

MILESTONE_HEADER = ["project", "seq", "name_kk", "name_ru", "name_en", "weight", "planned_date", "actual_date"]


def milestone(engine, project: str, seq: int):
    with engine.connect() as conn:
        return conn.execute(select(Milestone.name, Milestone.weight, Milestone.planned_date, Milestone.actual_date)
                            .join(Node, Node.id == Milestone.node_id)
                            .where(Node.code == project, Milestone.seq == seq)).one_or_none()


def test_milestones_load_twice_and_correct(demo_engine, codes, tmp_path):
    project = codes["project"]
    rows = [MILESTONE_HEADER,
            [project.lower(), "90", "Кезең", "Этап", "Stage", "0,4", "2026-03-31", ""],
            [project, "91", "", "Приёмка", "", "0.6", "30.09.2026", "2026-09-15"]]
    path = write_csv(tmp_path / "milestones.csv", rows)
    first = load_file(demo_engine, path, actor=ACTOR)
    assert (first.templates, tallies(first)) == (("milestones",), (2, 2, 0, 0, 0)), first.problems
    assert milestone(demo_engine, project, 90) == ({"kk": "Кезең", "ru": "Этап", "en": "Stage"}, 0.4,
                                                   dt.date(2026, 3, 31), None)
    assert milestone(demo_engine, project, 91).actual_date == dt.date(2026, 9, 15)
    assert tallies(load_file(demo_engine, path, actor=ACTOR)) == (2, 0, 2, 0, 0)

    fix = write_csv(tmp_path / "fix.csv", [MILESTONE_HEADER,
                                           [project, "90", "", "Этап", "", "0,4", "2026-03-31", "2026-04-02"],
                                           [project, "91", "", "", "Acceptance", "0,6", "2026-09-30", ""]])
    corrected = load_file(demo_engine, fix, actor=ACTOR)
    assert tallies(corrected) == (2, 0, 0, 2, 0)
    assert milestone(demo_engine, project, 90).actual_date == dt.date(2026, 4, 2)
    # names add to the stored locales; an empty actual date keeps the recorded one
    assert milestone(demo_engine, project, 91)[0] == {"ru": "Приёмка", "en": "Acceptance"}
    assert milestone(demo_engine, project, 91).actual_date == dt.date(2026, 9, 15)


@pytest.mark.parametrize("header", [
    ["проект", "номер", "наименование_kk", "наименование_ru", "наименование_en", "вес", "плановая дата",
     "фактическая дата"],
    ["жоба", "нөмірі", "атауы_kk", "атауы_ru", "атауы_en", "салмағы", "жоспарлы күні", "нақты күні"],
])
def test_milestones_russian_and_kazakh_headers(demo_engine, codes, tmp_path, header):
    path = write_csv(tmp_path / "m.csv", [header, [codes["project"], "92", "Кезең", "", "", "1", "01.02.2027", ""]])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.templates, report.loaded) == (("milestones",), 1), report.problems


def test_milestones_every_row_problem(demo_engine, codes, tmp_path):
    p = codes["project"]
    path = write_csv(tmp_path / "bad.csv", [
        MILESTONE_HEADER,
        ["NO-SUCH-PROJECT", "1", "", "Этап", "", "1", "2026-01-01", ""],  # 2 project_unknown
        [codes["program"], "1", "", "Этап", "", "1", "2026-01-01", ""],  # 3 project_not_project
        [p, "93", "", "", "", "1", "2026-01-01", ""],                    # 4 names_missing
        [p, "94", "", "Этап", "", "0", "2026-01-01", ""],                # 5 weight_not_positive
        [p, "0", "", "Этап", "", "1", "2026-01-01", ""],                 # 6 number_invalid (seq)
        [p, "95", "", "Этап", "", "1", "someday", ""],                   # 7 date_invalid
        [p, "96", "", "Этап", "", "1", "", ""],                          # 8 cell_missing
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert problems_by_row(report) == {
        2: {("project_unknown", "project")}, 3: {("project_not_project", "project")},
        4: {("names_missing", "name_en")}, 5: {("weight_not_positive", "weight")}, 6: {("number_invalid", "seq")},
        7: {("date_invalid", "planned_date")}, 8: {("cell_missing", "planned_date")}}
    assert tallies(report) == (7, 0, 0, 0, 7) and adds_up(report)


# --------------------------------------------------------------------------------------------------
# budget lines

BUDGET_HEADER = ["project", "month", "planned_kzt", "allocated_kzt", "spent_kzt"]


def budget(engine, project: str, month: dt.date):
    with engine.connect() as conn:
        return conn.execute(select(BudgetLine.planned_kzt, BudgetLine.allocated_kzt, BudgetLine.spent_kzt)
                            .join(Node, Node.id == BudgetLine.node_id)
                            .where(Node.code == project, BudgetLine.period_start == month)).one_or_none()


@pytest.mark.parametrize("typed, amount", [
    ("1 234 567,8", 1234567.8), ("1\u00a0234\u00a0567", 1234567.0), ("₸ 1 234 567", 1234567.0),
    ("1 234 567 ₸", 1234567.0), ("1234567₸", 1234567.0), ("1 234 567 тг", 1234567.0), ("1 234 567 тг.", 1234567.0),
    ("1 234 567 ТЕНГЕ", 1234567.0), ("500 теңге", 500.0), ("1.234.567,5", 1234567.5), ("0", 0.0), (1500, 1500.0),
    (12.5, 12.5),
])
def test_money_as_people_type_it(typed, amount, database_url):
    assert parse_money(typed) == pytest.approx(amount)


@pytest.mark.parametrize("typed", ["-5", "−1 000", "abc", "₸", "12 $", "1,2,3", "тг 100", True])
def test_not_money(typed, database_url):
    with pytest.raises(ValueError):
        parse_money(typed)


@pytest.mark.parametrize("cell, month", [("2026-09", dt.date(2026, 9, 1)), ("09.2026", dt.date(2026, 9, 1)),
                                         ("2026-09-17", dt.date(2026, 9, 1)), ("17.09.2026", dt.date(2026, 9, 1)),
                                         (dt.datetime(2026, 9, 30), dt.date(2026, 9, 1))])
def test_months(cell, month, database_url):
    assert parse_month(cell) == month


def test_budget_lines_money_formats_load_twice_and_correct(demo_engine, codes, tmp_path):
    p = codes["project"]
    path = write_csv(tmp_path / "budget.csv", [
        BUDGET_HEADER,
        [p, "2031-01", "1 234 567,8", "₸ 1 000 000", "999 999 тг"],
        [p, "02.2031", "2 000 000 тенге", "1\u00a0500\u00a0000", "0"],
        [p, "2031-03-15", "3.000.000", "3 000 000 теңге", "1 234,5"],
    ])
    first = load_file(demo_engine, path, actor=ACTOR)
    assert (first.templates, tallies(first)) == (("budget_lines",), (3, 3, 0, 0, 0)), first.problems
    assert budget(demo_engine, p, dt.date(2031, 1, 1)) == pytest.approx((1234567.8, 1000000.0, 999999.0))
    assert budget(demo_engine, p, dt.date(2031, 2, 1)) == pytest.approx((2000000.0, 1500000.0, 0.0))
    assert budget(demo_engine, p, dt.date(2031, 3, 1)) == pytest.approx((3000000.0, 3000000.0, 1234.5))
    assert tallies(load_file(demo_engine, path, actor=ACTOR)) == (3, 0, 3, 0, 0)

    fix = write_csv(tmp_path / "fix.csv", [BUDGET_HEADER, [p, "2031-01-31", "1 234 567,8", "1 000 000", "1 100 000"]])
    assert tallies(load_file(demo_engine, fix, actor=ACTOR)) == (1, 0, 0, 1, 0)
    assert budget(demo_engine, p, dt.date(2031, 1, 1)).spent_kzt == pytest.approx(1100000.0)


@pytest.mark.parametrize("header", [["Проект", "Месяц", "Запланировано", "Выделено", "Освоено"],
                                    ["Жоба", "Ай", "Жоспарланған", "Бөлінген", "Игерілген"]])
def test_budget_lines_russian_and_kazakh_headers(demo_engine, codes, tmp_path, header):
    path = write_csv(tmp_path / "b.csv", [header, [codes["project"], "2032-05", "10", "10", "5"]])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.templates, report.loaded) == (("budget_lines",), 1), report.problems


def test_budget_lines_every_row_problem(demo_engine, codes, tmp_path):
    p = codes["project"]
    path = write_csv(tmp_path / "bad.csv", [
        BUDGET_HEADER,
        ["NO-SUCH-PROJECT", "2031-01", "1", "1", "1"],  # 2 project_unknown
        [codes["portfolio"], "2031-01", "1", "1", "1"],  # 3 project_not_project
        [p, "2031-Q1", "1", "1", "1"],                   # 4 month_invalid
        [p, "2031", "1", "1", "1"],                      # 5 month_invalid
        [p, "2031-04", "-1", "1", "1"],                  # 6 money_invalid (negative)
        [p, "2031-05", "1", "много", "1"],               # 7 money_invalid
        [p, "2031-06", "1", "1", ""],                    # 8 cell_missing
        [p, "2031-07", "1", "1", "1"],                   # 9 duplicate_conflict (with 10)
        [p, "07.2031", "1", "1", "2"],                   # 10
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert problems_by_row(report) == {
        2: {("project_unknown", "project")}, 3: {("project_not_project", "project")},
        4: {("month_invalid", "month")}, 5: {("month_invalid", "month")}, 6: {("money_invalid", "planned_kzt")},
        7: {("money_invalid", "allocated_kzt")}, 8: {("cell_missing", "spent_kzt")},
        9: {("duplicate_conflict", "spent_kzt")}, 10: {("duplicate_conflict", "spent_kzt")}}
    assert tallies(report) == (9, 0, 0, 0, 9) and adds_up(report)


# --------------------------------------------------------------------------------------------------
# instructions

INSTRUCTION_HEADER = ["code", "meeting_ru", "meeting_date", "text_ru", "text_en", "issued_by", "assignee", "agency",
                      "node", "region", "issued_date", "due_date", "done_date", "report_ru"]


def instruction_row(codes, code="INS-T-0001", **changes) -> list[str]:
    values = {"code": code, "meeting_ru": "Заседание", "meeting_date": "2026-01-13", "text_ru": "Обеспечить",
              "text_en": "Ensure", "issued_by": codes["official"], "assignee": codes["official2"],
              "agency": codes["agency"], "node": codes["project"], "region": codes["region"],
              "issued_date": "2026-01-14", "due_date": "2026-03-31", "done_date": "", "report_ru": ""}
    values.update(changes)
    return [values[c] for c in INSTRUCTION_HEADER]


def instruction(engine, code: str):
    with engine.connect() as conn:
        return conn.execute(select(Instruction).where(Instruction.code == code)).mappings().one_or_none()


def test_instructions_ledger_load_twice_and_corrections(demo_engine, codes, tmp_path):
    head = ledger_head(demo_engine)
    path = write_csv(tmp_path / "instructions.csv", [INSTRUCTION_HEADER, instruction_row(codes),
                                                     instruction_row(codes, "INS-T-0002", done_date="2026-02-01",
                                                                     report_ru="Исполнено", node="", region="")])
    first = load_file(demo_engine, path, actor=ACTOR)
    assert (first.templates, tallies(first)) == (("instructions",), (2, 2, 0, 0, 0)), first.problems
    entries = ledger_after(demo_engine, head)
    assert [kind for kind, _ in entries] == ["instruction.issued", "instruction.issued", "instruction.status",
                                             "batch.loaded"]
    assert entries[0][1] == {"instruction": "INS-T-0001", "issued_by": codes["official"],
                             "assignee": codes["official2"], "node": codes["project"], "region": codes["region"],
                             "issued_date": "2026-01-14", "due_date": "2026-03-31"}
    assert entries[1][1]["node"] is None and entries[1][1]["region"] == "KZ"
    assert entries[2][1] == {"instruction": "INS-T-0002", "status": "done", "date": "2026-02-01"}
    stored = instruction(demo_engine, "INS-T-0002")
    assert (stored["text"], stored["report"], stored["synthetic"]) == ({"ru": "Обеспечить", "en": "Ensure"},
                                                                       {"ru": "Исполнено"}, False)

    head = ledger_head(demo_engine)
    assert tallies(load_file(demo_engine, path, actor=ACTOR)) == (2, 0, 2, 0, 0)
    assert [kind for kind, _ in ledger_after(demo_engine, head)] == ["batch.loaded"]

    done = write_csv(tmp_path / "done.csv", [INSTRUCTION_HEADER, instruction_row(codes, done_date="15.03.2026")])
    head = ledger_head(demo_engine)
    assert tallies(load_file(demo_engine, done, actor=ACTOR)) == (1, 0, 0, 1, 0)
    assert ledger_after(demo_engine, head)[0] == ("instruction.status", {"instruction": "INS-T-0001",
                                                                         "status": "done", "date": "2026-03-15"})

    later = write_csv(tmp_path / "later.csv", [INSTRUCTION_HEADER, instruction_row(codes, due_date="2026-04-30")])
    head = ledger_head(demo_engine)
    assert tallies(load_file(demo_engine, later, actor=ACTOR)) == (1, 0, 0, 1, 0)
    assert [kind for kind, _ in ledger_after(demo_engine, head)] == ["batch.loaded"]
    stored = instruction(demo_engine, "INS-T-0001")
    assert (stored["due_date"], stored["done_date"]) == (dt.date(2026, 4, 30), dt.date(2026, 3, 15))  # not reopened


def test_instructions_a_missing_column_keeps_the_stored_value(demo_engine, codes, tmp_path):
    path = write_csv(tmp_path / "i.csv", [INSTRUCTION_HEADER, instruction_row(codes, done_date="2026-02-02")])
    assert load_file(demo_engine, path, actor=ACTOR).loaded == 1
    short_header = [c for c in INSTRUCTION_HEADER if c not in ("agency", "node", "done_date", "report_ru")]
    row = instruction_row(codes, due_date="2026-05-31")
    short = write_csv(tmp_path / "short.csv", [short_header, [row[INSTRUCTION_HEADER.index(c)] for c in short_header]])
    assert tallies(load_file(demo_engine, short, actor=ACTOR)) == (1, 0, 0, 1, 0)
    stored = instruction(demo_engine, "INS-T-0001")
    assert stored["due_date"] == dt.date(2026, 5, 31) and stored["done_date"] == dt.date(2026, 2, 2)
    assert stored["agency_id"] is not None and stored["node_id"] is not None


@pytest.mark.parametrize("header", [
    ["код", "совещание_ru", "дата совещания", "текст_ru", "кем дано", "исполнитель", "регион", "дата поручения",
     "срок"],
    ["коды", "кеңес_ru", "кеңес күні", "мәтін_ru", "тапсырма берген", "орындаушы", "өңір", "тапсырма күні",
     "мерзімі"],
])
def test_instructions_russian_and_kazakh_headers(demo_engine, codes, tmp_path, header):
    path = write_csv(tmp_path / "i.csv", [header, ["INS-T-0003", "Совещание", "2026-01-13", "Обеспечить",
                                                   codes["official"], codes["official2"], "", "2026-01-13",
                                                   "2026-02-13"]])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.templates, report.loaded) == (("instructions",), 1), report.problems


def test_instructions_every_row_problem(demo_engine, codes, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        INSTRUCTION_HEADER,
        instruction_row(codes, "B-1", issued_by="NOBODY"),                   # 2 official_unknown
        instruction_row(codes, "B-2", assignee="NOBODY"),                    # 3 official_unknown
        instruction_row(codes, "B-3", agency="NO-AGENCY"),                   # 4 agency_unknown
        instruction_row(codes, "B-4", node="NO-NODE"),                       # 5 node_unknown
        instruction_row(codes, "B-5", node=codes["portfolio"]),              # 6 node_is_portfolio
        instruction_row(codes, "B-6", due_date="2026-01-01"),                # 7 date_too_early
        instruction_row(codes, "B-7", done_date="2026-01-02"),               # 8 date_too_early
        instruction_row(codes, "B-8", text_ru="", text_en=""),               # 9 names_missing
        instruction_row(codes, "B-" + "9" * 40),                             # 10 code_too_long
        instruction_row(codes, "B-10", region="Atlantis"),                   # 11 region_unknown
        instruction_row(codes, "B-11", meeting_date=""),                     # 12 cell_missing
        instruction_row(codes, "B 12"),                                      # 13 code_invalid
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert problems_by_row(report) == {
        2: {("official_unknown", "issued_by")}, 3: {("official_unknown", "assignee")},
        4: {("agency_unknown", "agency")}, 5: {("node_unknown", "node")}, 6: {("node_is_portfolio", "node")},
        7: {("date_too_early", "due_date")}, 8: {("date_too_early", "done_date")}, 9: {("names_missing", "text_en")},
        10: {("code_too_long", "code")}, 11: {("region_unknown", "region")}, 12: {("cell_missing", "meeting_date")},
        13: {("code_invalid", "code")}}
    early = next(p for p in report.problems if p.row == 7)
    assert dict(early.params) == {"value": "2026-01-01", "after": "issued_date", "date": "2026-01-14"}
    assert tallies(report) == (12, 0, 0, 0, 12) and adds_up(report)


# --------------------------------------------------------------------------------------------------
# citizen requests

REQUEST_HEADER = ["code", "received_date", "region", "topic", "topic_name_ru", "channel", "kind", "status", "votes",
                  "node", "due_date", "resolved_date"]


def request_row(codes, code="CR-T-0001", **changes) -> list[str]:
    values = {"code": code, "received_date": "2026-01-05", "region": codes["region"], "topic": codes["topic"],
              "topic_name_ru": "", "channel": "portal", "kind": "complaint", "status": "open", "votes": "3",
              "node": "", "due_date": "2026-01-26", "resolved_date": ""}
    values.update(changes)
    return [values[c] for c in REQUEST_HEADER]


def request(engine, code: str):
    with engine.connect() as conn:
        return conn.execute(select(CitizenRequest.status, CitizenRequest.resolved_date, CitizenRequest.votes,
                                   CitizenRequest.channel, RequestTopic.code.label("topic"),
                                   Region.code.label("region"))
                            .join(RequestTopic, RequestTopic.id == CitizenRequest.topic_id)
                            .join(Region, Region.id == CitizenRequest.region_id)
                            .where(CitizenRequest.code == code)).one_or_none()


def test_citizen_requests_load_twice_status_change_and_new_topic(demo_engine, codes, tmp_path):
    path = write_csv(tmp_path / "requests.csv", [
        REQUEST_HEADER,
        request_row(codes),
        request_row(codes, "CR-T-0002", topic="snow_removal", topic_name_ru="Уборка снега", channel="мобильді қосымша",
                    kind="заявление", status="в работе", votes="", node=codes["program"]),
        request_row(codes, "CR-T-0003", topic="SNOW_REMOVAL", topic_name_ru="Уборка снега", status="resolved",
                    resolved_date="10.01.2026", region=""),
    ])
    first = load_file(demo_engine, path, actor=ACTOR)
    assert (first.templates, tallies(first)) == (("citizen_requests",), (3, 3, 0, 0, 0)), first.problems
    assert request(demo_engine, "CR-T-0002") == ("in_progress", None, 0, "mobile", "SNOW_REMOVAL", codes["region"])
    assert request(demo_engine, "CR-T-0003")[4:] == ("SNOW_REMOVAL", "KZ")
    with demo_engine.connect() as conn:
        topic = conn.execute(select(RequestTopic.name, RequestTopic.name_origin)
                             .where(RequestTopic.code == "SNOW_REMOVAL")).one()
    assert topic == ({"ru": "Уборка снега"}, {"ru": "official"})
    assert tallies(load_file(demo_engine, path, actor=ACTOR)) == (3, 0, 3, 0, 0)

    head = ledger_head(demo_engine)
    fix = write_csv(tmp_path / "fix.csv", [REQUEST_HEADER, request_row(codes, status="resolved",
                                                                       resolved_date="2026-01-20")])
    assert tallies(load_file(demo_engine, fix, actor=ACTOR)) == (1, 0, 0, 1, 0)
    assert request(demo_engine, "CR-T-0001")[:2] == ("resolved", dt.date(2026, 1, 20))
    assert [kind for kind, _ in ledger_after(demo_engine, head)] == ["batch.loaded"]


def test_citizen_requests_a_missing_column_keeps_the_stored_value(demo_engine, codes, tmp_path):
    decided = request_row(codes, node=codes["program"], votes="7", status="resolved", resolved_date="2026-01-09")
    full = write_csv(tmp_path / "full.csv", [REQUEST_HEADER, decided])
    assert load_file(demo_engine, full, actor=ACTOR).loaded == 1
    short_header = ["code", "received_date", "region", "topic", "channel", "kind", "status", "due_date"]
    reopened = request_row(codes, status="in_progress")
    short = write_csv(tmp_path / "short.csv", [short_header, [reopened[REQUEST_HEADER.index(c)] for c in short_header]])
    assert tallies(load_file(demo_engine, short, actor=ACTOR)) == (1, 0, 0, 1, 0)
    with demo_engine.connect() as conn:
        stored = conn.execute(select(CitizenRequest.status, CitizenRequest.resolved_date, CitizenRequest.votes,
                                     Node.code).join(Node, Node.id == CitizenRequest.node_id)
                              .where(CitizenRequest.code == "CR-T-0001")).one()
    assert tuple(stored) == ("in_progress", None, 7, codes["program"])  # reopened: no decision date


@pytest.mark.parametrize("header, status", [
    (["код", "дата поступления", "регион", "тема", "канал", "вид", "статус", "срок"], "в работе"),
    (["коды", "түскен күні", "өңір", "тақырып", "арна", "түрі", "мәртебесі", "мерзімі"], "қаралуда"),
])
def test_citizen_requests_russian_and_kazakh_headers(demo_engine, codes, tmp_path, header, status):
    path = write_csv(tmp_path / "r.csv", [header, ["CR-T-0004", "2026-02-01", "Астана", codes["topic"], "хат",
                                                   "шағым", status, "2026-02-20"]])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert (report.templates, report.loaded) == (("citizen_requests",), 1), report.problems
    assert request(demo_engine, "CR-T-0004")[:4] == ("in_progress", None, 0, "letter")


def test_citizen_requests_every_row_problem(demo_engine, codes, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        REQUEST_HEADER,
        request_row(codes, "B-1", topic="NO_SUCH_TOPIC"),                          # 2 topic_unknown
        request_row(codes, "B-2", channel="pigeon"),                               # 3 choice_invalid
        request_row(codes, "B-3", status="resolved"),                              # 4 resolved_date_missing
        request_row(codes, "B-4", status="open", resolved_date="2026-01-10"),      # 5 resolved_date_unexpected
        request_row(codes, "B-5", due_date="2025-12-31"),                          # 6 date_too_early
        request_row(codes, "B-6", status="rejected", resolved_date="2026-01-01"),  # 7 date_too_early
        request_row(codes, "B-7", votes="-1"),                                     # 8 number_invalid
        request_row(codes, "B-8", node="NO-NODE"),                                 # 9 node_unknown
        request_row(codes, "B-9", node=codes["portfolio"]),                        # 10 node_is_portfolio
        request_row(codes, "B-10", region="Atlantis"),                             # 11 region_unknown
        request_row(codes, "B-11", kind=""),                                       # 12 cell_missing
        request_row(codes, "B-12", votes="2,5"),                                   # 13 number_invalid
    ])
    report = load_file(demo_engine, path, actor=ACTOR)
    assert problems_by_row(report) == {
        2: {("topic_unknown", "topic")}, 3: {("choice_invalid", "channel")},
        4: {("resolved_date_missing", "resolved_date")}, 5: {("resolved_date_unexpected", "resolved_date")},
        6: {("date_too_early", "due_date")}, 7: {("date_too_early", "resolved_date")},
        8: {("number_invalid", "votes")}, 9: {("node_unknown", "node")}, 10: {("node_is_portfolio", "node")},
        11: {("region_unknown", "region")}, 12: {("cell_missing", "kind")}, 13: {("number_invalid", "votes")}}
    assert tallies(report) == (12, 0, 0, 0, 12) and adds_up(report)


def test_citizen_requests_are_written_in_chunks_with_progress(demo_engine, codes, tmp_path, monkeypatch):
    monkeypatch.setattr(upserts, "CHUNK", 2)
    path = write_csv(tmp_path / "many.csv", [REQUEST_HEADER] + [request_row(codes, f"CR-C-{i}") for i in range(5)])
    written: list[tuple[int, int]] = []
    report = load_file(demo_engine, path, actor=ACTOR,
                       progress=lambda phase, done, total: written.append((done, total)) if phase == "write" else None)
    assert report.loaded == 5
    assert [(2, 5), (4, 5), (5, 5)] == written[:3]
    second = write_csv(tmp_path / "again.csv", [REQUEST_HEADER] + [request_row(codes, f"CR-C-{i}", status="in_progress")
                                                                   for i in range(5)])
    assert tallies(load_file(demo_engine, second, actor=ACTOR)) == (5, 0, 0, 5, 0)


# --------------------------------------------------------------------------------------------------
# all four: recognition by columns, region scope


def test_each_template_is_recognised_by_its_columns(demo_engine, codes, tmp_path):
    files = {
        "milestones": [MILESTONE_HEADER, [codes["project"], "97", "", "Этап", "", "1", "2026-01-01", ""]],
        "budget_lines": [BUDGET_HEADER, [codes["project"], "2033-01", "1", "1", "1"]],
        "instructions": [INSTRUCTION_HEADER, instruction_row(codes, "INS-T-0005")],
        "citizen_requests": [REQUEST_HEADER, request_row(codes, "CR-T-0005")],
    }
    for name, lines in files.items():
        report = load_file(demo_engine, write_csv(tmp_path / "upload.csv", lines), actor=ACTOR)
        assert (report.templates, report.loaded) == ((name,), 1), (name, report.problems)


def test_a_region_scoped_load_quarantines_other_regions_rows(demo_engine, codes, tmp_path):
    mine, theirs = codes["project"], codes["other_project"]
    scope, other = codes["region"], codes["other_region"]
    files = {
        "milestones": (MILESTONE_HEADER, [[mine, "98", "", "Этап", "", "1", "2026-01-01", ""],
                                          [theirs, "98", "", "Этап", "", "1", "2026-01-01", ""]], "project"),
        "budget_lines": (BUDGET_HEADER, [[mine, "2034-01", "1", "1", "1"], [theirs, "2034-01", "1", "1", "1"]],
                         "project"),
        "instructions": (INSTRUCTION_HEADER, [instruction_row(codes, "INS-S-1"),
                                              instruction_row(codes, "INS-S-2", region=other)], "region"),
        "citizen_requests": (REQUEST_HEADER, [request_row(codes, "CR-S-1"), request_row(codes, "CR-S-2", region="")],
                             "region"),
    }
    for name, (header, rows, column) in files.items():
        report = load_file(demo_engine, write_csv(tmp_path / f"{name}.csv", [header, *rows]), actor=ACTOR,
                           scope_region=scope)
        assert tallies(report)[1:] == (1, 0, 0, 1), (name, report.problems)
        (problem,) = report.problems
        assert (problem.row, problem.code, problem.column, problem.params["scope"]) == (
            3, "region_out_of_scope", column, scope), name
