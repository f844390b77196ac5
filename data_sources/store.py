"""The store: SQLAlchemy 2 models of natije's model (DESIGN.md) and the engine.

Conventions every table follows:

* Every entity has a stable, human-readable ``code`` (upper-case ASCII, unique within its code space);
  URLs, files and the API use codes, never ``id``. Portfolios, programs and projects share one code
  space (the ``nodes`` table). Lookups by code are case-insensitive: codes are stored upper-case and
  callers upper-case what they are given (:func:`normalise_code`).
* Texts shown to people are stored per locale in a JSON object ``{"kk": ..., "ru": ..., "en": ...}``
  (a fourth locale such as Kazakh in Latin script is a new key, no migration). ``name_origin`` says
  per locale where a text came from: ``official``, ``translation`` (natije's own translation, not an
  official one) or ``synthetic`` (demo data).
* The nation is the region ``KZ`` (level ``country``), so operational rows always carry a region and
  scope checks are a plain ``region_id IN (...)``.
* Observations are append-only versions; ``observation_current`` is the summary kept at load time.
* The ledger table is append-only, guarded by database triggers (see the first migration).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    CheckConstraint,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NATION = "KZ"


class UtcDateTime(TypeDecorator):
    """An instant, stored in UTC. SQLite keeps no offset, so every value is converted to UTC on the way
    in and read back as an aware UTC datetime; PostgreSQL (timestamptz) behaves the same. Naive values
    are refused: an instant without a time zone is a bug waiting for the 5-hour Almaty offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201 - SQLAlchemy hook
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: natije stores instants with a time zone")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201 - SQLAlchemy hook
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict: JSON}


def normalise_code(code: str) -> str:
    """Codes are upper-case ASCII; a lookup by ``abc-1`` finds ``ABC-1``."""
    return code.strip().upper()


class StoreMeta(Base):
    """Key/value facts about the store: ``data_version`` (a counter bumped by every data change),
    ``demo`` (``{"seed", "today"}`` while the store holds demo data)."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class Region(Base):
    """A first-level unit, or the nation (``KZ``). Codes name the region whatever its borders."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    level: Mapped[str] = mapped_column(String(16))  # country | oblast | city
    name: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)
    centre: Mapped[dict] = mapped_column(JSON, default=dict)
    area_km2: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (CheckConstraint("level IN ('country','oblast','city')", name="level"),)


class RegionPredecessor(Base):
    """``region`` was carved out of ``predecessor`` on ``since`` (e.g. Abai from East Kazakhstan)."""

    __tablename__ = "region_predecessors"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    since: Mapped[dt.date] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("region_id", "predecessor_id"),)


class RegionPopulation(Base):
    """Resident population on 1 January of ``year`` (people)."""

    __tablename__ = "region_population"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    year: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(BigInteger)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("region_id", "year"),)


class Agency(Base):
    """A ministry, an akimat or another state body: owns nodes, indicators and instructions."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # ministry | akimat | agency
    name: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))


class Node(Base):
    """A portfolio, program or project: one tree, one code space.

    Portfolios have no parent; programs hang under a portfolio; projects under a program.
    ``region_id`` is the nation for national nodes, else the region the node belongs to.
    """

    __tablename__ = "nodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    level: Mapped[str] = mapped_column(String(16))  # portfolio | program | project
    kind: Mapped[str | None] = mapped_column(String(32))  # national_plan, national_project, territorial_program, ...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"), index=True)
    name: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    state: Mapped[str] = mapped_column(String(16), default="active")  # planned | active | completed | suspended
    budget_kzt: Mapped[float | None] = mapped_column(Float)
    legal_act: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("level IN ('portfolio','program','project')", name="level"),
        CheckConstraint("state IN ('planned','active','completed','suspended')", name="state"),
    )


class Indicator(Base):
    """A KPI: unit, direction, frequency, source agency and how regional values make the national one.

    ``aggregation``: ``sum`` (counts: national = sum of regions; per-capita views apply),
    ``population_weighted_mean`` or ``none`` (national published separately).
    ``grace_days``: days after a value is due before it counts as stale.
    """

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)
    unit: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(4))
    frequency: Mapped[str] = mapped_column(String(1))
    regional: Mapped[bool] = mapped_column(Boolean, default=False)
    aggregation: Mapped[str] = mapped_column(String(32), default="none")
    valid_min: Mapped[float | None] = mapped_column(Float)
    valid_max: Mapped[float | None] = mapped_column(Float)
    seasonal: Mapped[bool] = mapped_column(Boolean, default=False)
    grace_days: Mapped[int] = mapped_column(Integer, default=30)
    publication_lag_days: Mapped[int] = mapped_column(Integer, default=30)
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("direction IN ('up','down')", name="direction"),
        CheckConstraint("frequency IN ('Y','Q','M')", name="frequency"),
        CheckConstraint("aggregation IN ('sum','population_weighted_mean','none')", name="aggregation"),
    )


class Goal(Base):
    """An indicator as a goal of a node, with its baseline. One indicator can be a goal of several
    nodes with different targets. Targets live in :class:`Target` (versioned)."""

    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[str | None] = mapped_column(String(16))
    baseline_start: Mapped[dt.date | None] = mapped_column(Date)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    headline: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("node_id", "indicator_id"),)


class Target(Base):
    """A target value for a goal in a year, nationally (region = KZ) or for one region.

    Append-only history: a change adds a row; the current target for (goal, region, year) is the row
    with the latest ``recorded_at``. At least / at most follows the indicator's direction.
    """

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[str] = mapped_column(String(128))
    source: Mapped[str | None] = mapped_column(Text)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index("ix_targets_goal_region_year", "goal_id", "region_id", "year", "recorded_at"),)


class LoadBatch(Base):
    """One load of values (a file, the demo generator): counts and the hash of what it inserted."""

    __tablename__ = "load_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    source: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(128))
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    loaded: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    corrected: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    templates: Mapped[str | None] = mapped_column(String(200))  # comma-separated template names
    report: Mapped[dict | None] = mapped_column(JSON)  # problems and warnings (codes, params), docs/import.md


class StoredFile(Base):
    """A loaded file's bytes, kept once by their SHA-256. ``content`` is null when the file lives in
    ``NATIJE_FILES_DIR`` (``<dir>/<sha256[:2]>/<sha256>``) instead of the store."""

    __tablename__ = "stored_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Observation(Base):
    """One version of an indicator's value for a period and region (region KZ = national).

    Append-only: a correction adds ``version + 1``. ``known_at`` is when the value became known
    (answers "what did we know on date X"). ``state`` is ``draft`` or ``published``.
    ``period`` is in the loader's syntax (``2024``, ``2024-Q3``, ``2024-09``); ``period_start`` its
    first day.
    """

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="published")
    known_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batches.id"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        UniqueConstraint("indicator_id", "region_id", "period", "version", name="uq_observation_version"),
        Index("ix_observations_series", "indicator_id", "region_id", "period_start", "known_at"),
        CheckConstraint("state IN ('draft','published')", name="state"),
    )


class ObservationCurrent(Base):
    """Summary kept up to date at load time: the current version of every (indicator, region, period),
    and the latest published one (what the ``public`` role sees)."""

    __tablename__ = "observation_current"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    known_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    published_value: Mapped[float | None] = mapped_column(Float)
    published_version: Mapped[int | None] = mapped_column(Integer)


class Official(Base):
    """A political servant (owns portfolio and program goals) or an administrative servant (projects)."""

    __tablename__ = "officials"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[dict]
    post: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)
    kind: Mapped[str] = mapped_column(String(16))  # political | administrative
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (CheckConstraint("kind IN ('political','administrative')", name="kind"),)


class Responsibility(Base):
    """``official`` is accountable for ``node`` (or for one goal of it) from ``valid_from`` until
    ``valid_to`` (open-ended when null). Each row is recorded in the ledger."""

    __tablename__ = "responsibilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="accountable")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    ledger_seq: Mapped[int | None] = mapped_column(Integer)


class Milestone(Base):
    """A project milestone with its weight (for earned value) and planned / actual dates."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[dict]
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    planned_date: Mapped[dt.date] = mapped_column(Date)
    actual_date: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("node_id", "seq"),)


class BudgetLine(Base):
    """Money of a project for a month, in tenge (KZT): planned, allocated, spent."""

    __tablename__ = "budget_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    planned_kzt: Mapped[float] = mapped_column(Float, default=0.0)
    allocated_kzt: Mapped[float] = mapped_column(Float, default=0.0)
    spent_kzt: Mapped[float] = mapped_column(Float, default=0.0)
    __table_args__ = (UniqueConstraint("node_id", "period_start"),)


class Instruction(Base):
    """An instruction (поручение) from a meeting or protocol: who issued it, who must do it, by when."""

    __tablename__ = "instructions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    meeting: Mapped[dict]
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[dict]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    issued_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    done_date: Mapped[dt.date | None] = mapped_column(Date)
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_instructions_due", "region_id", "done_date", "due_date"),)


class RequestTopic(Base):
    """A topic of citizens' requests (housing and utilities, roads, healthcare, ...)."""

    __tablename__ = "request_topics"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[dict]
    name_origin: Mapped[dict] = mapped_column(JSON, default=dict)


class CitizenRequest(Base):
    """A citizen's appeal or idea: when, where, about what, through which channel, and what became of it."""

    __tablename__ = "citizen_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    received_date: Mapped[dt.date] = mapped_column(Date)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("request_topics.id"))
    channel: Mapped[str] = mapped_column(String(16))  # portal | mobile | reception | phone | letter
    kind: Mapped[str] = mapped_column(String(16))  # application | inquiry | complaint | proposal
    status: Mapped[str] = mapped_column(String(16))  # open | in_progress | resolved | rejected
    votes: Mapped[int] = mapped_column(Integer, default=0)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    resolved_date: Mapped[dt.date | None] = mapped_column(Date)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_citizen_requests_region_date", "region_id", "received_date"),
        Index("ix_citizen_requests_node", "node_id"),
    )


class GoalCommentary(Base):
    """The accountable official's word on a goal: a dated commentary and, when the status is amber or
    worse, a recovery action with its due date. Append-only: the newest row of a (node, indicator) is
    the current word; ``indicator_id`` null means the node as a whole. ``entered_by`` is who typed it
    (the official, or an analyst ``on_behalf`` of them); each row is a ``commentary.set`` ledger entry."""

    __tablename__ = "goal_commentary"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    entered_by: Mapped[str] = mapped_column(String(128))
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str | None] = mapped_column(String(16))  # the goal's status when the word was given
    text: Mapped[dict] = mapped_column(JSON, default=dict)  # per locale
    recovery_action: Mapped[dict | None] = mapped_column(JSON)  # per locale
    recovery_due: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index("ix_goal_commentary_goal", "node_id", "indicator_id", "recorded_at"),)


class LedgerVerification(Base):
    """One run of ``natije ledger verify``: when, the chain's size and head, the outcome, and what was
    wrong (the first bad entry's sequence number or the contradicted checkpoint)."""

    __tablename__ = "ledger_verifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    verified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    entries: Mapped[int] = mapped_column(Integer)
    head_seq: Mapped[int | None] = mapped_column(Integer)
    head_hash: Mapped[str | None] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    problem: Mapped[str | None] = mapped_column(String(48))  # a code (docs/ledger.md) when not ok
    first_bad_seq: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict | None] = mapped_column(JSON)
    covered_rows: Mapped[int] = mapped_column(Integer, default=0)
    checkpoints: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    actor: Mapped[str] = mapped_column(String(128))


class BriefingPack(Base):
    """A rendered briefing pack (PDF) kept for the next request with the same parameters: the request's
    ``request_key`` (SHA-256 of node, region, language, viewer, reference and as-of days, and what the
    pack is made from) and the store's stamp it was rendered at — ``data_version``, the newest
    ``ledger_verifications`` id and the ledger head ``ledger_seq`` (0 when none). A row whose stamp is
    not the store's current one is stale: never served, pruned on the next write (data_sources/briefing_cache.py).
    Not content: left out of the content hash."""

    __tablename__ = "briefing_cache"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_key: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    data_version: Mapped[int] = mapped_column(Integer, index=True)
    verification_id: Mapped[int] = mapped_column(Integer)
    ledger_seq: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[dict] = mapped_column(JSON)  # node, region, lang, day, pages ... (services/briefing.py)
    rendered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class LedgerEntry(Base):
    """The responsibility ledger: append-only, hash-chained (see data_sources/ledger.py, docs/ledger.md).

    ``payload`` is stored as the exact canonical JSON text that was hashed. ``prev`` is unique, so two
    writers can never both extend the same head; database triggers refuse UPDATE and DELETE.
    """

    __tablename__ = "ledger"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    time: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(48), index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys, busy timeout) or PostgreSQL (psycopg 3)."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(database_url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001 - DBAPI hook
            # Let SQLAlchemy issue BEGIN itself (so the ledger can take BEGIN IMMEDIATE).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001 - SQLAlchemy hook
            # Writers serialise on the database lock from the first statement: no lost updates of
            # the ledger head or the data version.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

        return engine
    return create_engine(database_url, pool_pre_ping=True)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction. On SQLite it starts with ``BEGIN IMMEDIATE`` (the database write lock
    is taken up front, so concurrent writers queue on the busy timeout instead of failing late);
    readers keep deferred ``BEGIN`` and are never blocked (WAL)."""
    with engine.connect() as conn:
        conn.info["write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("write", None)


def bump_data_version(conn: Connection) -> int:
    """Add one to the store's data version (in the caller's transaction) and return the new value.

    Pages and the situation room poll this number: unchanged means nothing to re-query."""
    table = StoreMeta.__table__
    current = conn.execute(
        table.select().where(table.c.key == "data_version").with_for_update()
    ).one_or_none()
    version = (current.value["version"] if current else 0) + 1
    if current is None:
        conn.execute(table.insert().values(key="data_version", value={"version": version}))
    else:
        conn.execute(table.update().where(table.c.key == "data_version").values(value={"version": version}))
    return version
