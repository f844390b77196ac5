"""Briefing packs kept in the store: served only while the store's stamp (data version, last
verification, ledger head) is the one they were rendered at, pruned when it moves on, never part of
the content hash or the data version, and harmless on a store without the table."""

from __future__ import annotations

import datetime as dt

import pytest

from data_sources import admin, briefing_cache, queries
from data_sources.briefing_cache import Stamp
from data_sources.ledger_verify import verify_ledger
from data_sources.store import bump_data_version, writing

pytestmark = pytest.mark.datalayer

KEY, OTHER = "a" * 64, "b" * 64
WHEN = dt.datetime(2025, 11, 15, 9, 30, tzinfo=dt.timezone.utc)


def keep(engine, key: str, stamp: Stamp, content: bytes = b"%PDF-1.7 pack") -> bool:
    return briefing_cache.keep_pack(engine, key, stamp, file_name=f"natije_briefing_{key[:4]}.pdf", content=content,
                                    meta={"node": "NDP-2029", "region": None, "pages": 3}, rendered_at=WHEN)


def test_the_stamp_is_the_data_version_the_last_verification_and_the_ledger_head(demo_engine):
    stamp = briefing_cache.current_stamp(demo_engine)
    assert stamp.data_version == queries.data_version(demo_engine) > 0
    assert stamp.verification_id == 0  # the demo store was never verified
    assert stamp.ledger_seq > 5000


def test_a_kept_pack_is_served_while_the_stamp_holds(demo_engine):
    stamp = briefing_cache.current_stamp(demo_engine)
    assert briefing_cache.cached_pack(demo_engine, KEY) is None
    assert keep(demo_engine, KEY, stamp)
    kept = briefing_cache.cached_pack(demo_engine, KEY)
    assert kept is not None and kept.content == b"%PDF-1.7 pack" and kept.stamp == stamp
    assert kept.file_name == "natije_briefing_aaaa.pdf" and kept.meta["pages"] == 3 and kept.rendered_at == WHEN
    assert briefing_cache.cached_pack(demo_engine, OTHER) is None
    assert keep(demo_engine, KEY, stamp, b"%PDF-1.7 again")  # the key's row is replaced, not duplicated
    assert briefing_cache.cached_pack(demo_engine, KEY).content == b"%PDF-1.7 again"
    assert briefing_cache.kept_packs(demo_engine) == 1


def test_keeping_a_pack_is_not_data(demo_engine):
    digest, version = admin.content_hash(demo_engine), queries.data_version(demo_engine)
    assert keep(demo_engine, KEY, briefing_cache.current_stamp(demo_engine))
    assert admin.content_hash(demo_engine) == digest and queries.data_version(demo_engine) == version


def test_a_data_write_makes_every_pack_stale_and_the_next_keep_prunes_them(demo_engine):
    old = briefing_cache.current_stamp(demo_engine)
    assert keep(demo_engine, KEY, old) and keep(demo_engine, OTHER, old)
    with writing(demo_engine) as conn:
        bump_data_version(conn)
    assert briefing_cache.cached_pack(demo_engine, KEY) is None
    assert briefing_cache.cached_pack(demo_engine, OTHER) is None
    new = briefing_cache.current_stamp(demo_engine)
    assert new.data_version == old.data_version + 1
    assert keep(demo_engine, KEY, new)
    assert briefing_cache.kept_packs(demo_engine) == 1  # OTHER was of the old data
    assert briefing_cache.cached_pack(demo_engine, KEY) is not None


def test_a_verification_run_makes_packs_stale(demo_engine, tmp_path):
    stamp = briefing_cache.current_stamp(demo_engine)
    assert keep(demo_engine, KEY, stamp)
    verify_ledger(demo_engine, tmp_path / "checkpoints", actor="test")  # recorded in ledger_verifications
    assert briefing_cache.cached_pack(demo_engine, KEY) is None
    after = briefing_cache.current_stamp(demo_engine)
    assert after.verification_id > 0 and after.data_version == stamp.data_version


def test_a_pack_rendered_before_a_change_is_kept_stale_and_never_served(demo_engine):
    before = briefing_cache.current_stamp(demo_engine)
    with writing(demo_engine) as conn:  # the data changed while the pack was rendering
        bump_data_version(conn)
    assert keep(demo_engine, KEY, before)
    assert briefing_cache.cached_pack(demo_engine, KEY) is None


def test_a_store_without_the_table_renders_every_time(empty_database_url):
    from data_sources.store import make_engine

    engine = make_engine(empty_database_url)  # not migrated: no tables at all
    try:
        assert briefing_cache.cached_pack(engine, KEY) is None
        assert not keep(engine, KEY, Stamp(1, 0, 1))
    finally:
        engine.dispose()
