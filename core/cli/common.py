"""Pieces every subcommand shares: the --db option, running coroutines, JSON output.

The modules of this package import at the top only what declaring their commands needs (typer, the
standard library); what a command works with is imported when it runs. ``nianbao --help`` then starts in
a fraction of the time, and a one-shot command loads only its own part of the project (issue #17).
"""

from __future__ import annotations

import json
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

T = TypeVar("T")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL: sqlite:///path.db, sqlite+aiosqlite:///…, postgresql://… or postgresql+asyncpg://… "
        "(default: DATABASE_URL).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def db_url(db: str | None) -> str:
    from core.settings import get_settings

    return db or get_settings().database_url


def open_cli_db(url: str) -> AbstractAsyncContextManager[async_sessionmaker[AsyncSession]]:
    """The database as every command opens it: a command awaits one thing at a time, so SQLite runs on
    the loop's thread instead of paying a thread round trip per call (core.storage.sqlite_in_loop)."""
    from core.storage.db import open_db

    return open_db(url, in_loop=True)


def run(coro: Coroutine[Any, Any, T]) -> T:
    import asyncio

    return asyncio.run(coro)


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error on stderr; ``raise fail(...)`` ends the command."""
    typer.echo(message, err=True)
    return typer.Exit(code)
