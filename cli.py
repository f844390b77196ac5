"""The ``natije`` command: thin — parse, call data_sources/services, print."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import socket
import sys
import time
from pathlib import Path

import click

from data_sources import admin, migrate, queries
from data_sources.atomic_files import write_atomically
from data_sources.settings import SettingsError, load_settings, today_in_almaty
from data_sources.store import make_engine

#: Exit statuses (public interface: scripts depend on them).
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_NOT_FOUND = 4


def _engine():
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    return settings, make_engine(settings.database_url)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """natije — a live decision dashboard: goals, programs, projects and who is accountable."""


@main.command("migrate")
def migrate_command() -> None:
    """Create the store or bring its schema to the newest revision."""
    settings, engine = _engine()
    migrate.upgrade(engine)
    click.echo(f"{admin.mask_url(settings.database_url)}: revision {migrate.current_revision(engine)}")


@main.command()
@click.option("--seed", type=int, default=None, help="Seed of the generator (default: NATIJE_SEED).")
@click.option("--today", "today_text", default=None, metavar="YYYY-MM-DD",
              help="Reference date the data is built around (default: NATIJE_TODAY, else today in Almaty).")
@click.option("--force", is_flag=True, help="Recreate a store that already holds demo data.")
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the store already holds data.")
def demo(seed: int | None, today_text: str | None, force: bool, if_empty: bool) -> None:
    """Build the deterministic demo dataset (real facts + synthetic detail) into the store."""
    from data_sources.demo import build_demo
    from data_sources.viewer import Viewer
    from services.commentary import seed_demo_commentary
    from services.context import make_context

    settings, engine = _engine()
    seed = settings.seed if seed is None else seed
    try:
        today = dt.date.fromisoformat(today_text) if today_text else (settings.today or today_in_almaty())
    except ValueError as exc:
        raise click.BadParameter(f"--today must be YYYY-MM-DD, not {today_text!r}") from exc
    migrate.upgrade(engine)
    if not admin.is_empty(engine):
        if if_empty:
            click.echo("The store already holds data; nothing to do.")
            return
        if not force:
            click.echo("The store is not empty: use --force to recreate a demo store.", err=True)
            sys.exit(EXIT_REFUSED)
        if not admin.holds_only_demo(engine):
            click.echo("Refused: the store holds data that is not demo data; --force only recreates demo stores.",
                       err=True)
            sys.exit(EXIT_REFUSED)
        admin.recreate(engine)
    started = time.perf_counter()
    summary = build_demo(engine, seed=seed, today=today, actor=settings.actor)
    # the owners' words on the demo's goals, assessed as the pages assess them (services, not data_sources)
    national = make_context(engine, settings, viewer=Viewer())
    summary["goal_commentary"] = seed_demo_commentary(dataclasses.replace(national, today=today))
    click.echo(f"Demo data built in {time.perf_counter() - started:.1f} s (seed {seed}, today {today}): "
               + ", ".join(f"{k} {v}" for k, v in summary.items() if isinstance(v, int)))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def info(as_json: bool) -> None:
    """What the store holds: schema revision, demo marker, counts, latest period, content hash."""
    settings, engine = _engine()
    revision = migrate.current_revision(engine)
    if revision is None:
        counts, demo_meta, latest, digest = {}, None, None, None
    else:
        counts = queries.table_counts(engine)
        demo_meta = queries.store_meta(engine).get("demo")
        latest = queries.latest_observation_period(engine)
        digest = admin.content_hash(engine)
    report = {
        "database": admin.mask_url(settings.database_url),
        "revision": revision,
        "demo": {"seed": demo_meta["seed"], "today": demo_meta["today"]} if demo_meta else False,
        "counts": counts,
        "latest_observation": latest,
        "content_hash": digest,
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"database            {report['database']}")
    click.echo(f"revision            {revision or '(empty: run natije migrate)'}")
    click.echo(f"demo                {report['demo'] or 'no'}")
    for name, value in counts.items():
        click.echo(f"{name:<20}{value:>12,}")
    click.echo(f"latest observation  {latest or '-'}")
    click.echo(f"content hash        {digest or '-'}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON (the data API's schema).")
@click.option("--node", default=None, help="A portfolio, program or project code: its whole subtree.")
@click.option("--region", default=None, help="A region code: the region's values and its own targets.")
@click.option("--as-of", "as_of_text", default=None, metavar="YYYY-MM-DD",
              help="Figures as known at the end of that day (Asia/Almaty); also the reference date.")
@click.option("--lang", default=None, help="Language of names and reasons: kk, ru or en (default: NATIJE_LANG).")
def kpi(as_json: bool, node: str | None, region: str | None, as_of_text: str | None, lang: str | None) -> None:
    """Every goal's progress, forecast, status and reason (docs/kpi.md)."""
    from services.context import make_context
    from services.kpi_records import UnknownCode, kpi_records

    settings, engine = _engine()
    try:
        as_of = dt.date.fromisoformat(as_of_text) if as_of_text else None
    except ValueError as exc:
        raise click.BadParameter(f"--as-of must be YYYY-MM-DD, not {as_of_text!r}") from exc
    ctx = make_context(engine, settings, lang=lang, as_of=as_of)
    try:
        records = kpi_records(ctx, node=node, region=region)
    except UnknownCode as exc:
        click.echo(f"Not found: {exc}", err=True)
        sys.exit(EXIT_NOT_FOUND)
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    t = ctx.t
    click.echo(f"as of {records['as_of']}")
    for rec in records["indicators"]:
        latest = rec["latest"]["value"]
        target = rec["target"]["value"] if rec["target"] else None
        status = t(f"status.{rec['status']}")
        click.echo(f"{rec['node']:<22} {rec['code']:<32} {status:<14} "
                   f"{t.number(latest, 1):>12} / {t.number(target, 1):<12} {rec['reason']['text']}")


@main.command()
@click.option("--host", default=None, help="Bind address (default: NATIJE_HOST).")
@click.option("--port", type=int, default=None, help="Port (default: NATIJE_PORT).")
@click.option("--debug", is_flag=True, help="Dash dev tools and reloading (never in production).")
def run(host: str | None, port: int | None, debug: bool) -> None:
    """Serve the dashboard (development server; use gunicorn app:server in production)."""
    settings, engine = _engine()
    migrate.upgrade(engine)
    import app

    host, port = host or settings.host, port or settings.port
    if not debug:  # one line per request drowns real messages; gunicorn has its own access log
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    click.echo(f"natije is serving at http://{host}:{port}/", err=False)
    app.run(host=host, port=port, debug=debug)


#: Exit status of ``natije load`` when some rows were quarantined (the rest loaded).
EXIT_QUARANTINED = EXIT_REFUSED
#: ... and when a file was refused as a whole (nothing of it loaded).
EXIT_FILE_REFUSED = EXIT_NOT_FOUND


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--template", "template_name", default=None, metavar="NAME",
              help="Load every file with this template (default: recognised by sheet names and columns).")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default=None,
              help="Language of the messages (default: NATIJE_LANG).")
@click.option("--progress/--no-progress", default=None,
              help="Report progress on stderr (default: a bar when stderr is a terminal).")
def load(files: tuple[str, ...], template_name: str | None, dry_run: bool, as_json: bool, lang: str | None,
         progress: bool | None) -> None:
    """Load CSV or XLSX files of the load templates (docs/import.md).

    Exit 0: every row loaded; 3: some rows quarantined (the rest loaded); 4: a file refused."""
    from data_sources.loaders.run import load_file, template_named, templates
    from services.i18n import translator
    from services.loads import ProgressReporter, file_record, report_lines

    settings, engine = _engine()
    if template_name is not None:
        try:
            template_named(template_name)
        except KeyError:
            raise click.BadParameter(f"{template_name!r} is not a template; choose one of "
                                     f"{', '.join(t.name for t in templates())}", param_hint="--template") from None
    migrate.upgrade(engine)
    t = translator(lang or settings.lang)
    show_progress = sys.stderr.isatty() if progress is None else progress
    reports = []
    for path in files:
        reporter = ProgressReporter(path, t, interactive=sys.stderr.isatty()) if show_progress else None
        reports.append(load_file(engine, path, actor=settings.actor, dry_run=dry_run, template=template_name,
                                 max_bytes=settings.max_upload_bytes, files_dir=settings.files_dir,
                                 progress=reporter))
        if reporter is not None:
            reporter.finish()
    records = [file_record(r, t) for r in reports]
    if as_json:
        click.echo(json.dumps({"files": records}, ensure_ascii=False, indent=2))
    else:
        for rec in records:
            click.echo("\n".join(report_lines(rec, t, name=rec["file"])))
        if dry_run:
            click.echo(t("load.dry_run"))
    status = EXIT_OK
    for report in reports:
        status = max(status, EXIT_FILE_REFUSED if report.status == "refused"
                     else EXIT_QUARANTINED if report.status == "partial" else EXIT_OK)
    sys.exit(status)


@main.command()
@click.argument("sources_file", metavar="SOURCES.yaml", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", "only", multiple=True, metavar="NAME", help="Sync only this source (repeatable).")
@click.option("--full", is_flag=True, help="Read every row again, ignoring the kept cursors.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing, move no cursor.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default=None,
              help="Language of the messages (default: NATIJE_LANG).")
def sync(sources_file: str, only: tuple[str, ...], full: bool, dry_run: bool, as_json: bool, lang: str | None) -> None:
    """Load rows from SQL databases, as SOURCES.yaml describes them (docs/import.md, "SQL sources").

    Exit 0: every row loaded; 3: some rows quarantined (the rest loaded); 4: a source refused."""
    import os
    from pathlib import Path

    from data_sources.loaders.sync import SourcesError, read_sources, sync_source
    from services.i18n import translator
    from services.loads import report_lines, source_record

    settings, engine = _engine()
    try:
        sources = read_sources(Path(sources_file), os.environ, only=only)
    except SourcesError as exc:
        raise click.UsageError(f"{sources_file}: {exc}") from None
    migrate.upgrade(engine)
    t = translator(lang or settings.lang)
    reports = [sync_source(engine, source, actor=settings.actor, dry_run=dry_run, full=full) for source in sources]
    records = [source_record(r, t) for r in reports]
    if as_json:
        click.echo(json.dumps({"sources": records}, ensure_ascii=False, indent=2))
    else:
        for rec in records:
            for line in report_lines(rec, t, name=rec["source"], refused_message="sync.refused_line"):
                click.echo(line)
            cursor = rec["cursor"]
            if cursor and not rec["refused"]:
                click.echo("  " + t("sync.cursor", column=cursor["column"],
                                    before="–" if cursor["before"] is None else cursor["before"],
                                    after="–" if cursor["after"] is None else cursor["after"]))
        if dry_run:
            click.echo(t("load.dry_run"))
    status = EXIT_OK
    for report in reports:
        status = max(status, EXIT_FILE_REFUSED if report.load.status == "refused"
                     else EXIT_QUARANTINED if report.load.status == "partial" else EXIT_OK)
    sys.exit(status)


#: ``natije ledger verify`` and ``checkpoint``: the ledger, a checkpoint or a covered row is not what
#: it should be (docs/ledger.md lists the problem codes).
EXIT_LEDGER_BROKEN = 5
#: Problems listed after the verdict line (all are in --json and in the recorded run).
LEDGER_PROBLEM_LINES = 20


def _passphrase(variable: str | None) -> bytes | None:
    """The key passphrase from the environment variable named by ``--passphrase-env``."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise click.UsageError(f"--passphrase-env {variable}: the variable is not set or empty")
    return value.encode("utf-8")


def _print_verification(result, as_json: bool) -> None:
    from data_sources.ledger_verify import KEPT_PROBLEMS

    if as_json:
        record = result.record()
        record["verified_at"] = record["verified_at"].isoformat()
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.message} ({result.seconds:.2f} s)")
    ordered = sorted(result.problems, key=lambda p: p.order)
    for problem in ordered[:LEDGER_PROBLEM_LINES]:
        where = f"checkpoint {problem.checkpoint}" if problem.checkpoint else (
            f"entry {problem.seq}" if problem.seq is not None else "-")
        click.echo(f"  {problem.code:<26} {where:<24} {problem.message}")
    if len(ordered) > LEDGER_PROBLEM_LINES:
        click.echo(f"  … {len(ordered) - LEDGER_PROBLEM_LINES} more (natije ledger verify --json lists "
                   f"the first {KEPT_PROBLEMS})")


@main.group("ledger")
def ledger_group() -> None:
    """The responsibility ledger: verify it, make the signing key, sign checkpoints (docs/ledger.md)."""


@ledger_group.command("verify")
@click.option("--checkpoints", "checkpoint_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory of signed checkpoints to check the chain against (default: NATIJE_CHECKPOINT_DIR).")
@click.option("--key", "key_texts", multiple=True, metavar="VERIFIER_KEY",
              help="Also trust this verifier key (name+id+base64, or a file holding one); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded result as JSON.")
@click.option("--no-record", is_flag=True, help="Do not record the run in the store (read-only replicas, audits).")
def ledger_verify_command(checkpoint_dir: Path | None, key_texts: tuple[str, ...], as_json: bool,
                          no_record: bool) -> None:
    """Recompute every hash, the chain, the covered rows; check the checkpoints. Exit 0 when all holds,
    5 when anything is wrong (the first bad entry or the checkpoint it contradicts is named)."""
    from data_sources import checkpoints
    from data_sources.ledger_verify import verify_ledger

    settings, engine = _engine()
    keys = []
    for text in key_texts:
        try:
            keys.append(checkpoints.VerifierKey.parse(Path(text).read_text(encoding="ascii")
                                                      if Path(text).is_file() else text))
        except checkpoints.CheckpointError as exc:
            raise click.BadParameter(str(exc), param_hint="--key") from exc
    result = verify_ledger(engine, checkpoint_dir or settings.checkpoint_path, actor=settings.actor,
                           ledger_key=settings.ledger_key_path, keys=keys, record=not no_record)
    _print_verification(result, as_json)
    sys.exit(EXIT_OK if result.ok else EXIT_LEDGER_BROKEN)


@ledger_group.command("keygen")
@click.option("--origin", default=None, metavar="NAME",
              help="Key name, also the checkpoints' origin line (default: natije.<host name>/ledger).")
@click.option("--force", is_flag=True, help="Replace an existing key (the old public key stays in the store, retired).")
@click.option("--passphrase-env", default=None, metavar="VAR",
              help="Encrypt the private key with the passphrase held in the environment variable VAR.")
def ledger_keygen_command(origin: str | None, force: bool, passphrase_env: str | None) -> None:
    """Make the Ed25519 key pair that signs checkpoints: the private key in NATIJE_LEDGER_KEY (mode 0600),
    the public key beside it (.pub) and in the store. Run it as the account that signs."""
    from data_sources import checkpoints

    settings, engine = _engine()
    name = origin or f"natije.{socket.gethostname().lower()}/ledger"
    try:
        verifier = checkpoints.generate_key(settings.ledger_key_path, name, force=force,
                                            passphrase=_passphrase(passphrase_env))
    except checkpoints.CheckpointError as exc:
        click.echo(f"Refused: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    checkpoints.publish_public_key(engine, verifier, dt.datetime.now(dt.timezone.utc))
    click.echo(f"private key   {settings.ledger_key_path} (mode 0600: keep it readable by the signing account only)")
    click.echo(f"public key    {checkpoints.public_key_path(settings.ledger_key_path)}, and in the store")
    click.echo(f"verifier key  {verifier.text}")


@ledger_group.command("checkpoint")
@click.option("--passphrase-env", default=None, metavar="VAR",
              help="The private key's passphrase is in the environment variable VAR.")
def ledger_checkpoint_command(passphrase_env: str | None) -> None:
    """Verify the ledger, then sign a checkpoint of it (size, head hash, time) into NATIJE_CHECKPOINT_DIR.
    Exit 5 (nothing signed) when the ledger does not verify; 3 when the key is missing or is not the
    store's public key."""
    from data_sources import checkpoints
    from data_sources.ledger import GENESIS
    from data_sources.ledger_verify import verify_ledger

    settings, engine = _engine()
    try:
        signer = checkpoints.load_signer(settings.ledger_key_path, _passphrase(passphrase_env))
    except checkpoints.CheckpointError as exc:
        click.echo(f"Refused: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    stored = checkpoints.public_verifier_key(engine)
    if stored != signer.verifier.text:
        click.echo(f"Refused: the store's public key is {stored or '(none)'}, not this key's "
                   f"({signer.verifier.text}). Someone replaced it, or the key was made for another store: "
                   "find out which before running `natije ledger keygen --force`.", err=True)
        sys.exit(EXIT_REFUSED)
    result = verify_ledger(engine, settings.checkpoint_path, actor=settings.actor,
                           ledger_key=settings.ledger_key_path)
    if not result.ok:
        _print_verification(result, as_json=False)
        click.echo("Refused to sign: a checkpoint must never vouch for a ledger that does not verify.", err=True)
        sys.exit(EXIT_LEDGER_BROKEN)
    path = checkpoints.write_checkpoint(settings.checkpoint_path, signer, result.head_seq or 0,
                                        result.head_hash or GENESIS, result.verified_at)
    click.echo(f"checkpoint {path}: {result.entries:,} entries, head {result.head_hash or GENESIS}")
    click.echo(path.read_text(encoding="utf-8"), nl=False)


@main.command()
@click.option("--node", default=None, help="A portfolio, program or project code (default: the national portfolio).")
@click.option("--region", default=None, help="A region code (default: the whole country; a region-scoped viewer's own region).")
@click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default=None,
              help="Language of the pack (default: NATIJE_LANG).")
@click.option("--as-of", "as_of_text", default=None, metavar="YYYY-MM-DD",
              help="Figures as known at the end of that day (Asia/Almaty); also the reference date.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write (replaced atomically).")
def briefing(node: str | None, region: str | None, lang: str | None, as_of_text: str | None, output: Path) -> None:
    """Write the briefing pack (PDF) of a node and region for a meeting (docs/export.md, "Briefing pack").

    Exit 0: written; 2: bad arguments; 4: unknown node or region, or outside the viewer's scope."""
    from dashboards._briefing_route import briefing as briefing_pack
    from services import api
    from services.briefing import BriefingNotFound, BriefingRequest
    from services.chart_images import RenderFailed
    from services.context import make_context

    try:
        wanted = BriefingRequest.from_query({"node": node or "", "region": region or "", "as_of": as_of_text or ""})
    except api.ApiError as exc:
        raise click.UsageError(exc.message) from exc
    settings, engine = _engine()
    migrate.upgrade(engine)
    ctx = make_context(engine, settings, lang=lang, as_of=wanted.as_of)
    try:
        pack = briefing_pack(ctx, wanted.node, wanted.region)
    except BriefingNotFound as exc:
        click.echo(f"Not found: {exc}", err=True)
        sys.exit(EXIT_NOT_FOUND)
    except RenderFailed as exc:
        click.echo(f"Failed: {exc}", err=True)
        sys.exit(1)
    write_atomically(output, pack.content)
    how = "kept in the store" if pack.cached else f"rendered in {pack.seconds:.1f} s"
    click.echo(f"{output}: {pack.pages} pages, {len(pack.content):,} bytes ({pack.file_name}; {how})")

if __name__ == "__main__":
    main()
