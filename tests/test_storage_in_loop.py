"""SQLite with its calls on the event loop's thread (core.storage.sqlite_in_loop), as the CLI opens it.

The ingest and recheck tests run on it as well (conftest.IN_LOOP_TOO); these cover what is particular
to it: no thread, errors reaching the caller, a rolled-back transaction leaving nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import seed
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from core.storage.db import open_db, write_session
from core.storage.ingest import ingest_bytes
from core.storage.models import Agency, Report


def _sqlite_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if "_connection_worker_thread" in t.name]


@pytest.mark.parametrize("in_loop", [True, False])
async def test_a_thread_per_connection_only_when_not_in_loop(tmp_path: Path, in_loop: bool) -> None:
    async with open_db(f"sqlite:///{tmp_path / 'x.db'}", in_loop=in_loop) as sf, sf() as session:
        assert await session.scalar(text("PRAGMA journal_mode")) == "wal"  # the same connection set-up
        assert await session.scalar(text("PRAGMA foreign_keys")) == 1
        assert bool(_sqlite_threads()) is not in_loop


async def test_errors_reach_the_caller_and_the_connection_goes_on(tmp_path: Path) -> None:
    async with open_db(f"sqlite:///{tmp_path / 'x.db'}", in_loop=True) as sf, sf() as session:
        with pytest.raises(OperationalError, match="no such table"):
            await session.execute(text("SELECT * FROM no_such_table"))
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(Report)) == 0


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    async with open_db(f"sqlite:///{tmp_path / 'x.db'}", in_loop=True) as sf:
        with pytest.raises(RuntimeError, match="stop"):
            async with write_session(sf) as session:
                session.add(Agency(name="某某县财政局", short_name="某某县财政局", match_key="财政局"))
                await session.flush()
                raise RuntimeError("stop")
        result = await ingest_bytes(sf, seed("001").read_bytes(), "001.txt")
        assert result.status == "stored"
        async with sf() as session:
            names = list(await session.scalars(select(Agency.name)))
        assert names == [result.agency]
