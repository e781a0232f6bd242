"""A large load builds the cell value index once, at the end, instead of with every report.

``ix_cell_key_value`` (key, value) is what rankings walk in value order. Keeping it current is most of
what the database does to store a report: the ~100 non-zero figures of a report land on as many leaves
spread over the whole index, and each leaf is written again at the commit. At 10,000 reports that was
about 40% of an ingest, while sorting every cell once takes a few seconds. So a load of at least
``BULK`` files that is no smaller than what is stored already (a first load, or an archive several
times the database) drops the index and creates it when the load ends, however it ends.

A load that is killed leaves the index missing until the next ``open_db``, which creates it again
(:func:`restore`, called by ``core.storage.db.ensure_schema``). Meanwhile answers stay right; rankings
only read more rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Connection, Index, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.schema import CreateIndex, DropIndex

from core.storage.db import write_session
from core.storage.models import CellRecord, Report

log = logging.getLogger(__name__)

BULK = 500  # files; a smaller load keeps the index (and the rankings of a running bot) as they are
VALUE_INDEX = "ix_cell_key_value"


def _index() -> Index:
    return next(i for i in CellRecord.__table__.indexes if i.name == VALUE_INDEX)


def restore(connection: Connection) -> None:
    """Create the value index if a load that deferred it stopped before it could. Looked up first:
    PostgreSQL's CREATE INDEX IF NOT EXISTS locks the table against writers even when there is nothing
    to create, and this runs whenever a command or the bot opens the database."""
    if VALUE_INDEX not in {ix["name"] for ix in inspect(connection).get_indexes(CellRecord.__tablename__)}:
        log.warning("%s is missing (a bulk load was stopped); building it", VALUE_INDEX)
        connection.execute(CreateIndex(_index()))


async def worth_deferring(sf: async_sessionmaker[AsyncSession], files: int) -> bool:
    if files < BULK:
        return False
    async with sf() as session:
        stored = await session.scalar(select(func.count(Report.id)))
    return files >= (stored or 0)


@asynccontextmanager
async def deferred(sf: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """Without the value index inside, with it again afterwards (also after an error or a break)."""
    async with write_session(sf) as session:
        await session.execute(DropIndex(_index(), if_exists=True))
    try:
        yield
    finally:
        start = time.perf_counter()
        async with write_session(sf) as session:
            await session.execute(CreateIndex(_index(), if_not_exists=True))
        log.info("Built %s after the load in %.1f s", VALUE_INDEX, time.perf_counter() - start)
