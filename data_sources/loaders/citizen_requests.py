"""The citizen requests template: a citizen's appeal or idea — when and where it came in, its topic,
channel, kind and status, votes, the program or project it concerns (docs/import.md,
"citizen_requests").

Keyed by the request's code: a new request is loaded, an equal one unchanged, a different one (a new
status, a decision date, ...) corrected by updating the stored row; an optional column the file lacks
keeps the stored value (a request open or in progress has no decision date). An unknown topic code is created
when the row names the topic (``topic_name_kk/_ru/_en``). Files can hold 100,000s of rows: the store is
read and written a chunk at a time (:mod:`data_sources.loaders.upserts`)."""

from __future__ import annotations

from typing import Any

from data_sources.loaders.template import Column, Counts, Reference, Row, Template, WriteContext
from data_sources.loaders.reference_rows import LOADED_TEXT_ORIGIN, code_ids, code_of, given, not_before
from data_sources.loaders.upserts import given_fields, program_or_project, upsert
from data_sources.store import CitizenRequest, Node, Region, RequestTopic

CODE_LENGTH = 32

#: Accepted spellings (English, Russian, Kazakh; any case) -> stored value.
CHANNELS = {
    "portal": "portal", "портал": "portal",
    "mobile": "mobile", "мобильное приложение": "mobile", "приложение": "mobile", "мобильді қосымша": "mobile",
    "қосымша": "mobile",
    "reception": "reception", "приём": "reception", "прием": "reception", "личный приём": "reception",
    "личный прием": "reception", "қабылдау": "reception", "жеке қабылдау": "reception",
    "phone": "phone", "телефон": "phone",
    "letter": "letter", "письмо": "letter", "хат": "letter",
}
KINDS = {
    "application": "application", "заявление": "application", "өтініш": "application",
    "inquiry": "inquiry", "запрос": "inquiry", "сұрау": "inquiry", "сұрау салу": "inquiry",
    "complaint": "complaint", "жалоба": "complaint", "шағым": "complaint",
    "proposal": "proposal", "предложение": "proposal", "ұсыныс": "proposal",
}
STATUSES = {
    "open": "open", "открыто": "open", "новое": "open", "ашық": "open", "жаңа": "open",
    "in_progress": "in_progress", "in progress": "in_progress", "в работе": "in_progress",
    "на рассмотрении": "in_progress", "қаралуда": "in_progress", "жұмыста": "in_progress",
    "resolved": "resolved", "решено": "resolved", "исполнено": "resolved", "шешілді": "resolved",
    "орындалды": "resolved",
    "rejected": "rejected", "отказано": "rejected", "отклонено": "rejected", "қабылданбады": "rejected",
    "бас тартылды": "rejected",
}
#: Statuses a request without a decision has (a decision date is refused with them).
PENDING = ("open", "in_progress")

COLUMNS = (
    Column("code", "код", "коды", required=True, help="the request's code (its registration number)"),
    Column("received_date", "дата поступления", "түскен күні", required=True, help="date received"),
    Column("region", "регион", "өңір", required=True, help="region code or name in kk/ru/en; empty = national"),
    Column("topic", "тема", "тақырып", required=True, help="topic code"),
    *(Column(f"topic_name_{loc}", f"наименование темы_{loc}", f"тақырып атауы_{loc}",
             help=f"the topic's name in {label}: creates a topic code the store does not have")
      for loc, label in (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English"))),
    Column("channel", "канал", "арна", required=True, help="portal, mobile, reception, phone or letter"),
    Column("kind", "вид", "түрі", required=True, help="application, inquiry, complaint or proposal"),
    Column("status", "статус", "мәртебесі", required=True, help="open, in_progress, resolved or rejected"),
    Column("votes", "голоса", "дауыстар", help="supporting votes (integer ≥ 0; empty = 0)"),
    Column("node", "программа/проект", "бағдарлама/жоба", help="code of the program or project it concerns (optional)"),
    Column("due_date", "срок", "мерзімі", required=True, help="date an answer is due (not before received)"),
    Column("resolved_date", "дата решения", "шешім күні",
           help="date decided (not before received); required when resolved, refused while open or in progress"),
)

ROW_CODES = ("topic_unknown", "node_unknown", "node_is_portfolio", "date_too_early", "resolved_date_missing",
             "resolved_date_unexpected", "code_too_long")

#: Record fields two rows of one code must agree on (the topic's name only matters for a new topic).
COMPARED = ("received_date", "region", "topic", "channel", "kind", "status", "votes", "node", "due_date",
            "resolved_date")


def parse(row: Row, reference: Reference) -> dict[str, Any] | None:
    """One row -> ``{code, received_date, region, topic, topic_names, channel, kind, status, votes, node,
    due_date, resolved_date}``; ``topic_names`` only for a topic the store does not have."""
    code = code_of(row, "code", limit=CODE_LENGTH, required=True)
    received = row.date("received_date", required=True)
    region = row.region("region", reference)
    topic = code_of(row, "topic", limit=CODE_LENGTH, required=True)
    topic_names = None
    if topic is not None and topic not in reference.topics:
        topic_names = row.texts("topic_name")
        if not topic_names:
            row.problem("topic", "topic_unknown", value=topic)
    channel = row.choice("channel", CHANNELS, required=True)
    kind = row.choice("kind", KINDS, required=True)
    status = row.choice("status", STATUSES, required=True)
    votes = row.integer("votes", minimum=0)
    node = program_or_project(row, reference)
    due = row.date("due_date", required=True)
    resolved = row.date("resolved_date")
    not_before(row, "due_date", due, "received_date", received)
    not_before(row, "resolved_date", resolved, "received_date", received)
    if status == "resolved" and not row.present("resolved_date"):
        row.problem("resolved_date", "resolved_date_missing", "")
    if status in PENDING and resolved is not None:
        row.problem("resolved_date", "resolved_date_unexpected", value=resolved.isoformat())
    if row.problems:
        return None
    record = {"code": code, "received_date": received, "region": region, "topic": topic, "topic_names": topic_names,
              "channel": channel, "kind": kind, "status": status, "due_date": due,
              **given(row, {"votes": votes or 0, "node": node, "resolved_date": resolved})}
    if status in PENDING:
        record["resolved_date"] = None  # a reopened request loses its decision date
    return record


def _topic_ids(ctx: WriteContext, records: list[dict[str, Any]]) -> dict[str, int]:
    """code -> id of the records' topics, creating those the store lacks (named by their first row)."""
    table = RequestTopic.__table__
    ids = code_ids(ctx.conn, RequestTopic, (r["topic"] for r in records))
    new: dict[str, dict[str, str]] = {}
    for r in records:
        if r["topic"] not in ids and r["topic_names"]:
            new.setdefault(r["topic"], r["topic_names"])
    if new:
        ctx.conn.execute(table.insert(), [{"code": code, "name": names,
                                           "name_origin": {loc: LOADED_TEXT_ORIGIN for loc in names}}
                                          for code, names in new.items()])
        ids.update(code_ids(ctx.conn, RequestTopic, new))
    return ids


def write(ctx: WriteContext, records: list[dict[str, Any]]) -> Counts:
    topics = _topic_ids(ctx, records)
    regions = code_ids(ctx.conn, Region, {r["region"] for r in records})
    nodes = code_ids(ctx.conn, Node, {r["node"] for r in records if r.get("node")})
    rows = [{"code": r["code"], "received_date": r["received_date"], "region_id": regions[r["region"]],
             "topic_id": topics[r["topic"]], "channel": r["channel"], "kind": r["kind"], "status": r["status"],
             "due_date": r["due_date"], **given_fields(r, "votes", "resolved_date"),
             **({"node_id": nodes.get(r["node"])} if "node" in r else {})} for r in records]
    return upsert(ctx, CitizenRequest.__table__, rows, key=("code",),
                  defaults={"votes": 0, "node_id": None, "resolved_date": None}).counts


TEMPLATE = Template(
    name="citizen_requests",
    title="Citizens' requests",
    columns=COLUMNS,
    key=("code",),
    compare=COMPARED,
    parse=parse,
    write=write,
    row_codes=ROW_CODES,
    sheet_names=("обращения", "өтініштер"),
    example=(("CR-2026-000001", "2026-01-05", "ALA", "ROADS", "", "", "", "portal", "complaint", "resolved", "12",
              "", "2026-01-26", "2026-01-20"),
             ("CR-2026-000002", "05.01.2026", "Астана", "SNOW_REMOVAL", "Қар тазалау", "Уборка снега", "Snow removal",
              "мобильное приложение", "заявление", "в работе", "", "", "26.01.2026", "")),
)
