"""Answers kept per process and served again while the data they came from is unchanged.

Many people ask the same things (the example buttons, "定海区收到多少申请"), and an answer takes several
queries. A kept answer is served only while the database's data revision (core.storage.revision) — which
every committed write of answered data changes, in any process — is the one it was computed at, and only
for the same question, choice, language and date (今年 and 去年 are read against the clock). Checking
the revision is one indexed query (core.storage.revision.Reader).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.qa.answer import Answer, answer
from core.settings import get_settings
from core.storage import revision

SIZE = 2048  # answers kept per database; the least recently asked go first

_Key = tuple[str, str | None, str | None, str]  # question, choice, language, date


class _Kept:
    def __init__(self, engine: AsyncEngine) -> None:
        self.reader = revision.Reader(engine)
        self.revision: int | None = None
        self.answers: OrderedDict[_Key, Answer] = OrderedDict()
        # Questions being answered now: the same question asked meanwhile waits for that answer instead of
        # computing it again (fifty chats pressing the same example button at once).
        self.pending: dict[tuple[_Key, int], asyncio.Future[Answer]] = {}
        self.hits = self.misses = 0


# One store per database (tests and tools open several in one process); gone with its engine.
_stores: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()


def _store(sf: async_sessionmaker[AsyncSession]) -> _Kept:
    engine: AsyncEngine = sf.kw["bind"]
    kept = _stores.get(engine.sync_engine)
    if kept is None:
        kept = _stores[engine.sync_engine] = _Kept(engine)
        weakref.finalize(engine.sync_engine, kept.reader.close)
    return kept


async def cached_answer(
    sf: async_sessionmaker[AsyncSession],
    question: str,
    *,
    choice: str | None = None,
    lang: str | None = None,
    now: datetime | None = None,
) -> Answer:
    """:func:`core.qa.answer.answer`, served from the store when nothing it depends on has changed."""
    moment = now or get_settings().now()
    kept = _store(sf)
    current = await kept.reader.read(sf.kw["bind"])
    if current != kept.revision:
        kept.answers.clear()
        kept.revision = current
    key = (question.strip(), choice, lang, moment.date().isoformat())
    found = kept.answers.get(key)
    if found is not None:
        kept.answers.move_to_end(key)
        kept.hits += 1
        return found
    waiting = kept.pending.get((key, current))
    if waiting is not None:
        kept.hits += 1
        return await asyncio.shield(waiting)
    kept.misses += 1
    future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
    kept.pending[(key, current)] = future
    try:
        result = await answer(sf, question, choice=choice, lang=lang, now=moment)
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:
        future.set_exception(exc)
        future.exception()  # marked retrieved: nobody may be waiting for it
        raise
    finally:
        del kept.pending[(key, current)]
    future.set_result(result)
    # A write that committed while this answer was computed must not leave it kept under the old revision.
    if await kept.reader.read(sf.kw["bind"]) == current:
        kept.answers[key] = result
        while len(kept.answers) > SIZE:
            kept.answers.popitem(last=False)
    return result


def stats(sf: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """(hits, misses) of this process's store for ``sf``'s database."""
    kept = _store(sf)
    return kept.hits, kept.misses
