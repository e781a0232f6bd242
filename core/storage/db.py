"""Engine and sessions. ``DATABASE_URL`` may name a sync driver; the async one is substituted."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Dialect, Table, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.storage import revision
from core.storage.sqlite_in_loop import connector

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
}
# Execution option naming the SQLite BEGIN mode ("IMMEDIATE" takes the write lock up front).
SQLITE_BEGIN = "nianbao_sqlite_begin"
# Ids are INTEGER columns: PostgreSQL's end here (SQLite's at 2**63 - 1). Larger numbers make the driver
# raise instead of finding nothing.
MAX_ID = 2**31 - 1


def async_url(url: str) -> str:
    """``sqlite:///x.db`` → ``sqlite+aiosqlite:///x.db``, ``postgresql://`` → ``postgresql+asyncpg://``."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def parse_id(text: str) -> int | None:
    """A positive number as a user typed it or a button carries it (a row id, a page number); None for
    anything else, including numbers beyond any row id."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def json_text(value: Any) -> str:
    """JSON columns as orjson writes them: the json module took 6% of an ingest, mostly on the location of
    each of a report's ~200 cells. Chinese stays unescaped (smaller rows). What orjson refuses, such as an
    integer beyond 64 bits quoted in a finding about a hostile file, goes through json as before."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


def has_database(url: str) -> bool:
    """Whether there is a database to read at ``url`` (an SQLite file that exists; any server URL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return bool(parsed.database) and parsed.database != ":memory:" and Path(parsed.database).is_file()


def make_engine(url: str, *, in_loop: bool = False) -> AsyncEngine:
    """``in_loop``: SQLite statements run on the event loop's thread (core.storage.sqlite_in_loop), for a
    program with a single task; PostgreSQL's driver is asynchronous by itself and ignores it."""
    url = async_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_async_engine(url, pool_pre_ping=True, json_serializer=json_text)
        revision.track(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    connect: dict[str, Any] = {"timeout": 30}
    # Pages cached per connection (KiB). The single connection of a command (in_loop) gets 64 MB: storing a
    # report updates index leaves spread over the whole cell table, and with SQLite's default 2 MB nearly
    # each of them was read back from the file. The bot keeps a pool of up to 15 connections, which at 64 MB
    # each took a quarter of its memory at 100,000 reports: 478 MB peak with 64 MB, 344 MB with 8 MB and its
    # answers as fast (the operating system caches the file anyway; scripts/bench_bot.py, 600 questions).
    cache_kib = 65536 if in_loop else 8192
    if in_loop:
        how: dict[str, Any] = {"async_creator": connector(parsed.database or ":memory:", **connect)}
    else:
        how = {"connect_args": connect}
    engine = create_async_engine(url, json_serializer=json_text, **how)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The sqlite3 module begins transactions lazily, only before DML: DDL and reads would run
        # outside them and SAVEPOINTs break. Turn that off and emit BEGIN ourselves (SQLAlchemy's
        # documented recipe), so a transaction here means the same as on PostgreSQL.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Switching to WAL needs an exclusive lock. Waiting for it can deadlock with a connection that
        # holds a write transaction on a brand-new database, so try without waiting: the mode is stored
        # in the file, and the next connection tries again if this one could not.
        cur.execute("PRAGMA busy_timeout=0")
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except Exception as exc:  # the driver's OperationalError, wrapped differently per adapter
            if "locked" not in str(exc):
                raise
        cur.execute("PRAGMA busy_timeout=30000")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit stays atomic and survives
        # the process being killed; only a power cut may lose the last commits, never corrupt the file
        # (a lost upload is sent again). FULL made every stored report wait for an fsync.
        cur.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint (copy the WAL into the file, with an fsync) every 10,000 pages (40 MB) instead of 1,000:
        # a stored report dirties ~300 pages, mostly leaves of ix_cell_key_value, so by default every third
        # upload paid for an fsync; a larger WAL also writes a leaf shared by many reports only once.
        cur.execute("PRAGMA wal_autocheckpoint=10000")
        cur.execute(f"PRAGMA cache_size=-{cache_kib}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    revision.track(engine)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def write_session(sf: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for one read-then-write unit of work, committed at the end, rolled back on error.

    On SQLite the transaction starts holding the write lock: one that began as a reader cannot wait for
    the lock later and fails at once with "database is locked" when another process wrote meanwhile. On
    PostgreSQL row locks (``with_for_update``) serialise writers instead.
    """
    async with sf() as session:
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        yield session
        await session.commit()


async def ensure_schema(engine: AsyncEngine) -> None:
    """Create or upgrade the schema to the newest Alembic revision, and put back an index a killed bulk load
    had dropped (core.storage.deferred_index); idempotent and safe to run concurrently."""
    from core.storage.deferred_index import restore

    if await _at_head(engine):
        async with engine.begin() as conn:
            await conn.run_sync(restore)
        return
    from core.storage.migrate import upgrade

    async with engine.connect() as conn:
        conn = await conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        async with conn.begin():
            await conn.run_sync(upgrade)
            await conn.run_sync(restore)


async def _at_head(engine: AsyncEngine) -> bool:
    """Whether the database is at the newest revision already (one query, no Alembic)."""
    from core.storage.schema_version import head_revision

    try:
        async with engine.connect() as conn:
            found = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # no such table yet: a new database
        return False
    return found == [head_revision()]


async def insert_many(
    session: AsyncSession, table: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT ``rows`` (values in ``columns`` order) with one executemany of the driver.

    SQLAlchemy's own executemany builds and processes a parameter dict per row in Python: for the ~200
    cells of every stored report that was a fifth of an ingest's time in the main process. Here the
    statement is compiled once per dialect and a row goes only through the bind processors its column
    types have (JSON, Boolean), as SQLAlchemy would apply them.
    """
    if not rows:
        return
    conn = await session.connection()
    sql, processors = _compiled_insert(conn.dialect, table, columns)
    params = []
    for row in rows:
        values = list(row)
        for i, process in processors:
            values[i] = process(values[i])
        params.append(tuple(values))
    await conn.exec_driver_sql(sql, params)


@lru_cache(maxsize=64)
def _compiled_insert(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[str, list[tuple[int, Callable[[Any], Any]]]]:
    # inline(): no RETURNING of generated ids, which PostgreSQL would add and executemany cannot use.
    compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(columns))
    order = compiled.positiontup or []
    assert tuple(order) == columns, f"{table.name}: give every column the statement needs ({order})"
    processors = [
        (i, process)
        for i, name in enumerate(columns)
        if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    return str(compiled), processors


@asynccontextmanager
async def open_db(url: str, *, in_loop: bool = False) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Engine + schema + session factory for one command or one bot process (``in_loop``: make_engine)."""
    engine = make_engine(url, in_loop=in_loop)
    try:
        await ensure_schema(engine)
        yield session_factory(engine)
    finally:
        await engine.dispose()
