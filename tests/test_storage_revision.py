"""The data revision (issue #17): every committed write of answered data changes it, whatever wrote it;
conversation state and reminder bookkeeping do not; a rolled-back write leaves it as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import seed
from sqlalchemy import text

from core.deadlines.rules import add_rule, parse_rule_spec
from core.deadlines.subscriptions import subscribe
from core.storage import chatstate, revision
from core.storage.corrections import correct_cell
from core.storage.db import write_session
from core.storage.ingest import delete_report, ingest_bytes, set_tier_override

NOW = datetime(2021, 1, 5, 9, 0, tzinfo=UTC)


async def _rev(sf) -> int:
    async with sf() as session:
        return await revision.current(session)


def test_the_written_table_is_read_from_the_statement():
    assert revision.written_table('INSERT INTO cell (report_id, "key") VALUES (?, ?)') == "cell"
    assert revision.written_table("insert or replace into agency values (1)") == "agency"
    assert revision.written_table(' UPDATE "report" SET is_current=0') == "report"
    assert revision.written_table("DELETE FROM finding WHERE report_id = 3") == "finding"
    assert revision.written_table("SELECT * FROM report") is None
    assert revision.written_table("CREATE INDEX ix ON cell (key)") is None


async def test_each_write_of_answered_data_counts_once_and_bookkeeping_does_not(sf):
    start = await _rev(sf)
    stored = await ingest_bytes(sf, seed("003").read_bytes(), "003.txt")  # report, agency, hundreds of cells
    assert stored.status == "stored" and stored.report_id is not None
    after_store = await _rev(sf)
    assert after_store == start + 1  # one transaction, one count, however many rows
    await chatstate.save(sf, "pick", 42, {"q": 1}, ttl=timedelta(hours=1))
    assert await subscribe(sf, 42, stored.agency_id, NOW)
    assert await _rev(sf) == after_store
    await correct_cell(sf, stored.report_id, "表三 予以公开 总计 = 23", user_id=7)
    assert await _rev(sf) == after_store + 1
    agency_id = stored.agency_id
    assert agency_id is not None
    await set_tier_override(sf, agency_id, "department")
    await add_rule(sf, parse_rule_spec("乡镇 2月20日"), agency_id=None, created_by=None, now=NOW)
    await delete_report(sf, stored.report_id)
    assert await _rev(sf) == after_store + 4


async def test_a_rolled_back_write_leaves_the_revision(sf):
    start = await _rev(sf)
    with pytest.raises(RuntimeError):
        async with write_session(sf) as session:
            await session.execute(
                text(
                    "INSERT INTO agency (name, short_name, match_key, created_at, updated_at) "
                    "VALUES ('甲', '甲', '甲', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
                )
            )
            raise RuntimeError("abandon")
    assert await _rev(sf) == start
    async with write_session(sf) as session:  # the next transaction counts again
        await session.execute(
            text(
                "INSERT INTO agency (name, short_name, match_key, created_at, updated_at) "
                "VALUES ('乙', '乙', '乙', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
        )
    assert await _rev(sf) == start + 1
