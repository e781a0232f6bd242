"""A number that changes whenever data an answer could depend on changes, in any process.

Answers can then be cached (core.qa.cache) without ever serving one computed from older data: every
INSERT, UPDATE or DELETE on a table answers read — through the ORM, Core or the driver, by any code path
present or future — first adds one to ``data_revision`` in the same transaction, so the change and the
new revision commit or roll back together. Only tables that no answer reads (conversation state, reminder
subscriptions and their ledgers) are left out; a table added later counts until it is listed here.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Connection, event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import Field, SQLModel

# Written without changing any answer: conversation state, and what the reminder side keeps per chat.
NOT_ANSWERED_FROM = frozenset(
    {
        "chat_state",
        "subscription",
        "snooze",
        "reminder_sent",
        "escalation_sent",
        "data_revision",
        "alembic_version",
    }
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_BUMPED = "nianbao_revision_bumped"  # connection.info flag: this transaction has counted already
BUMP = "UPDATE data_revision SET value = value + 1 WHERE id = 1"


class DataRevision(SQLModel, table=True):
    __tablename__ = "data_revision"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_type=BigInteger)


def written_table(statement: str) -> str | None:
    """The table a DML statement writes, or None for anything else."""
    found = _WRITE.match(statement)
    return found.group(1).lower() if found else None


def track(engine: AsyncEngine) -> None:
    """Count every transaction of ``engine`` that writes answered data (once per transaction)."""
    sync = engine.sync_engine

    @event.listens_for(sync, "before_cursor_execute")
    def _count(conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
        table = written_table(statement)
        if table is None or table in NOT_ANSWERED_FROM or conn.info.get(_BUMPED):
            return
        # A cursor of its own: the statement's cursor may still hold rows (RETURNING) when it runs again.
        bump = conn.connection.cursor()
        try:
            bump.execute(BUMP)
        finally:
            bump.close()
        conn.info[_BUMPED] = True

    def _reset(conn: Connection, *_: Any) -> None:
        conn.info.pop(_BUMPED, None)

    # A savepoint rolled back takes its count with it: the next write of the transaction counts again.
    for name in ("commit", "rollback", "rollback_savepoint"):
        event.listen(sync, name, _reset)


async def current(session: AsyncSession) -> int:
    return (await session.execute(select(DataRevision.value).where(DataRevision.id == 1))).scalar_one()


class Reader:
    """Reads the revision as cheaply as the database allows, for a check before every cached answer.

    SQLite: a read-only connection of the sqlite3 module used on the event loop's thread — a one-row
    indexed read takes microseconds, while a pooled aiosqlite connection cost 1.2 ms in thread round trips
    (BEGIN, SELECT, ROLLBACK). In autocommit mode each read sees the latest commit of any process (WAL).
    PostgreSQL: one statement on a pooled connection (asyncpg is asynchronous by itself).
    """

    _SQL = "SELECT value FROM data_revision WHERE id = 1"

    def __init__(self, engine: AsyncEngine) -> None:
        # No reference to the engine is kept: the reader lives as long as the engine, in a weak mapping.
        database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
        self._path = Path(database) if database and database != ":memory:" else None
        self._sqlite: sqlite3.Connection | None = None

    async def read(self, engine: AsyncEngine) -> int:
        if self._path is not None:
            if self._sqlite is None:
                uri = f"{self._path.resolve().as_uri()}?mode=ro"
                self._sqlite = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            return self._sqlite.execute(self._SQL).fetchone()[0]
        async with engine.connect() as conn:
            return (await conn.exec_driver_sql(self._SQL)).scalar_one()

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
