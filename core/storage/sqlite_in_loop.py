"""SQLite for a program with one task (the CLI): each call runs at once on the event loop's thread.

aiosqlite gives every connection a thread of its own and hands it each call through a queue, so the
event loop can serve other tasks while SQLite works. SQLAlchemy makes three or four such calls per
statement (cursor, execute, fetch, close), and each round trip through the queue and back to the loop
costs more than most of our statements: about 0.45 ms against 0.002 ms for ``SELECT 1`` on sqlite3,
and storing a report takes a dozen statements. A command that awaits one thing at a time has nothing
to do meanwhile, so it gains nothing from the thread and pays for every round trip.

The connection is aiosqlite's own class, with its queue replaced by one that runs each call as it is
put: SQLAlchemy's aiosqlite adapter, which also puts calls on that queue itself, works unchanged.
The bot keeps aiosqlite's threads: there, other chats' updates go on while a long query runs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite


class _RunNow:
    """Stands in for aiosqlite's queue to its thread: runs the call and settles its future at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # as aiosqlite's thread does: the awaiting caller gets it
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class InLoopConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run on the calling thread; no thread is started."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # aiosqlite's starts its thread first


def connector(database: str, **kwargs: Any) -> Callable[[], InLoopConnection]:
    """``async_creator``-style factory for SQLAlchemy: a new in-loop connection to ``database``."""

    def connect() -> InLoopConnection:
        return InLoopConnection(lambda: sqlite3.connect(database, **kwargs))

    return connect
