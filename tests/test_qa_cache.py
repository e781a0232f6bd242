"""Answers served again from a process's store (issue #17) — and never once another process has changed
the data they came from."""

from __future__ import annotations

import asyncio
import gc
import weakref
from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import SAMPLES

import core.qa.cache as cache
from core.storage.corrections import correct_cell
from core.storage.db import open_db
from core.storage.ingest import ingest_bytes

NOW = datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
Q = "定海区收到多少申请"


async def test_a_repeated_question_is_served_from_the_store_until_another_process_writes(db_url, monkeypatch):
    calls = []
    real = cache.answer

    async def counting(*args, **kwargs):
        calls.append(args[1])
        return await real(*args, **kwargs)

    monkeypatch.setattr(cache, "answer", counting)
    async with open_db(db_url) as bot, open_db(db_url) as other:  # two processes on one database
        stored = [await ingest_bytes(other, p.read_bytes(), p.name) for p in sorted(SAMPLES.glob("*.txt"))]
        first = await cache.cached_answer(bot, Q, now=NOW)
        again = await cache.cached_answer(bot, Q, now=NOW)
        assert first.value == again.value == 34 and len(calls) == 1
        # Another language, another day: answered anew.
        await cache.cached_answer(bot, Q, lang="en", now=NOW)
        await cache.cached_answer(bot, Q, now=NOW.replace(year=2023))
        assert len(calls) == 3
        # The other process corrects the figure: the next answer is computed again and shows it.
        dinghai = next(r for r in stored if r.agency and "定海区" in r.agency)
        assert dinghai.report_id is not None
        await correct_cell(other, dinghai.report_id, "表三 本年新收 总计 = 35", user_id=1)
        fresh = await cache.cached_answer(bot, Q, now=NOW)
        assert fresh.value == 35 and len(calls) == 4
        hits, misses = cache.stats(bot)
        assert (hits, misses) == (1, 4)


async def test_the_same_question_asked_at_once_is_answered_once(sf, monkeypatch):
    calls = []
    real = cache.answer

    async def slow(*args, **kwargs):
        calls.append(args[1])
        await asyncio.sleep(0.2)
        return await real(*args, **kwargs)

    monkeypatch.setattr(cache, "answer", slow)
    for path in sorted(SAMPLES.glob("*.txt")):
        await ingest_bytes(sf, path.read_bytes(), path.name)
    answers = await asyncio.gather(*(cache.cached_answer(sf, Q, now=NOW) for _ in range(20)))
    assert {a.value for a in answers} == {34} and calls == [Q]


async def test_the_store_goes_with_its_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'gone.db'}"
    async with open_db(url) as sf:
        await cache.cached_answer(sf, Q, now=NOW)
        engine = weakref.ref(sf.kw["bind"].sync_engine)
        assert engine() in cache._stores
    del sf
    gc.collect()
    assert engine() is None  # the engine, its store and the reader's file handle are not kept alive
