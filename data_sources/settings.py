"""natije settings: every ``NATIJE_*`` variable declared once, read once into a frozen object.

Each setting is declared in :data:`SETTINGS` with its default and help text; ``docs/settings.md``
and the README table are checked against this list by a test, so nothing goes undocumented.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")
LANGUAGES = ("kk", "ru", "en")
ROLES = ("minister", "akim", "analyst", "project_manager", "public", "kiosk")


@dataclass(frozen=True)
class SettingSpec:
    """One environment variable: its name, default (as written in the docs) and help text."""

    name: str
    default: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("NATIJE_DATABASE_URL", "sqlite:///<NATIJE_DATA_DIR>/natije.sqlite3",
                "SQLAlchemy URL of the store. PostgreSQL: postgresql+psycopg://user:pass@host:5432/db."),
    SettingSpec("NATIJE_DATA_DIR", "the user's data directory (~/.local/share/natije)",
                "Where the SQLite store, ledger keys and checkpoints live."),
    SettingSpec("NATIJE_HOST", "127.0.0.1", "Address the web server binds to."),
    SettingSpec("NATIJE_PORT", "8050", "Port the web server listens on."),
    SettingSpec("NATIJE_LANG", "ru", "Interface language when the URL has no ?lang= (kk, ru or en)."),
    SettingSpec("NATIJE_TODAY", "today in Asia/Almaty (the demo's own date while the store holds demo data)",
                "Reference date (YYYY-MM-DD) for overdue, stale and due-this-week."),
    SettingSpec("NATIJE_SEED", "2025", "Seed of the demo data generator."),
    SettingSpec("NATIJE_VIEWER_ROLE", "minister",
                "Role of the viewer until sign-in exists: minister, akim, analyst, project_manager, public, kiosk."),
    SettingSpec("NATIJE_VIEWER_REGION", "(empty: national)",
                "Region code the viewer is scoped to (e.g. AST); empty means the whole country."),
    SettingSpec("NATIJE_VIEWER_OFFICIAL", "(empty: none)", "Code of the official the viewer acts as."),
    SettingSpec("NATIJE_ACTOR", "the OS user name", "Who the ledger records for command-line actions."),
    SettingSpec("NATIJE_FILES_DIR", "(empty: in the store)",
                "Directory where loaded files are kept by their SHA-256 (shared by several hosts); "
                "empty keeps them in the store."),
    SettingSpec("NATIJE_MAX_UPLOAD_MB", "100", "Largest file natije load and the /data upload accept, in MB."),
    SettingSpec("NATIJE_LEDGER_KEY", "<NATIJE_DATA_DIR>/ledger.key",
                "Private Ed25519 key that signs ledger checkpoints (public key beside it, .pub); readable "
                "only by the signing account, never by the web server."),
    SettingSpec("NATIJE_CHECKPOINT_DIR", "<NATIJE_DATA_DIR>/checkpoints",
                "Where natije ledger checkpoint writes signed checkpoints and natije ledger verify reads them."),
    SettingSpec("NATIJE_EXPORT_WARM", "0",
                "1: each web process starts its headless Chromium for chart exports at its first request, so "
                "even the first export is fast; 0: at the first export (about 2 s once per process)."),
)


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "natije"


@dataclass(frozen=True)
class Settings:
    """The resolved settings. Build with :func:`load_settings`; never mutate."""

    database_url: str
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8050
    lang: str = "ru"
    today: dt.date | None = None
    seed: int = 2025
    viewer_role: str = "minister"
    viewer_region: str | None = None
    viewer_official: str | None = None
    actor: str = field(default_factory=lambda: _os_user())
    files_dir: Path | None = None
    max_upload_mb: int = 100
    ledger_key: Path | None = None
    checkpoint_dir: Path | None = None
    export_warm: int = 0  # NATIJE_EXPORT_WARM: 1 starts the chart-export browser at a process's first request

    @property
    def ledger_key_path(self) -> Path:
        """The private checkpoint-signing key (``NATIJE_LEDGER_KEY``, default ``<data dir>/ledger.key``)."""
        return self.ledger_key or self.data_dir / "ledger.key"

    @property
    def checkpoint_path(self) -> Path:
        """The checkpoint directory (``NATIJE_CHECKPOINT_DIR``, default ``<data dir>/checkpoints``)."""
        return self.checkpoint_dir or self.data_dir / "checkpoints"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers)
        return "unknown"


class SettingsError(ValueError):
    """A NATIJE_* variable holds a value natije cannot use."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every ``NATIJE_*`` variable once and validate it."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str:
        return env.get(name, "").strip()

    data_dir = Path(get("NATIJE_DATA_DIR") or _default_data_dir()).expanduser()
    database_url = get("NATIJE_DATABASE_URL") or f"sqlite:///{data_dir / 'natije.sqlite3'}"
    lang = get("NATIJE_LANG") or "ru"
    if lang not in LANGUAGES:
        raise SettingsError(f"NATIJE_LANG must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    role = get("NATIJE_VIEWER_ROLE") or "minister"
    if role not in ROLES:
        raise SettingsError(f"NATIJE_VIEWER_ROLE must be one of {', '.join(ROLES)}, not {role!r}")
    today = None
    if get("NATIJE_TODAY"):
        try:
            today = dt.date.fromisoformat(get("NATIJE_TODAY"))
        except ValueError as exc:
            raise SettingsError(f"NATIJE_TODAY must be YYYY-MM-DD, not {get('NATIJE_TODAY')!r}") from exc
    try:
        port = int(get("NATIJE_PORT") or 8050)
        seed = int(get("NATIJE_SEED") or 2025)
    except ValueError as exc:
        raise SettingsError(f"NATIJE_PORT and NATIJE_SEED must be integers: {exc}") from exc
    try:
        max_upload_mb = int(get("NATIJE_MAX_UPLOAD_MB") or 100)
    except ValueError:
        max_upload_mb = 0
    export_warm = get("NATIJE_EXPORT_WARM") or "0"
    if export_warm not in ("0", "1"):
        raise SettingsError(f"NATIJE_EXPORT_WARM must be 0 or 1, not {export_warm!r}")
    if max_upload_mb < 1:
        raise SettingsError(f"NATIJE_MAX_UPLOAD_MB must be a whole number of megabytes (1 or more), "
                            f"not {get('NATIJE_MAX_UPLOAD_MB')!r}")
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        host=get("NATIJE_HOST") or "127.0.0.1",
        port=port,
        lang=lang,
        today=today,
        seed=seed,
        viewer_role=role,
        viewer_region=(get("NATIJE_VIEWER_REGION").upper() or None),
        viewer_official=(get("NATIJE_VIEWER_OFFICIAL").upper() or None),
        actor=get("NATIJE_ACTOR") or _os_user(),
        files_dir=Path(get("NATIJE_FILES_DIR")).expanduser() if get("NATIJE_FILES_DIR") else None,
        max_upload_mb=max_upload_mb,
        ledger_key=Path(get("NATIJE_LEDGER_KEY")).expanduser() if get("NATIJE_LEDGER_KEY") else None,
        checkpoint_dir=Path(get("NATIJE_CHECKPOINT_DIR")).expanduser() if get("NATIJE_CHECKPOINT_DIR") else None,
        export_warm=int(export_warm),
    )


def today_in_almaty(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in Asia/Almaty (UTC+5) at ``now`` (default: the current instant)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(ALMATY).date()
