"""Pieces every subcommand shares: the --db option, running coroutines, JSON output."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer

from core.settings import get_settings

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
    return db or get_settings().database_url


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error on stderr; ``raise fail(...)`` ends the command."""
    typer.echo(message, err=True)
    return typer.Exit(code)
