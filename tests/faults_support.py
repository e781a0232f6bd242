"""Killing a real process at a chosen point, and dumping a database to compare before and after.

The child is a fresh interpreter (``python -c "import faults_support; faults_support.child()" MODE …``)
that wraps one function with a pause before running the production code: when the wrapped function is
called for the ``nth`` time it prints ``PAUSED`` and blocks, and the parent SIGKILLs it there. Nothing in
the production code knows about this; the hook lives here and is installed by monkeypatching in the child.

Modes:
- ``ingest DB_URL FILE NAME [HOOK]``: ``core.storage.ingest.ingest_bytes`` on the file, then ``DONE status``.
- ``many DB_URL FOLDER [HOOK]``: ``core.storage.ingest.ingest_many`` on the folder's files (by name), as
  ``nianbao ingest FOLDER`` does; ``RESULT name status`` for each file as it is answered.
- ``bot [HOOK]``: ``python -m bot`` (settings from the environment).
- ``sweep [HOOK]``: one run of the bot's reminder job (``bot.handlers.deadlines.sweep_job``) with the
  production sender, as the job queue runs it; quicker to start than the whole bot.

A hook is ``before|after:module.function:nth``.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parent.parent
PAUSED = "PAUSED"
# Columns that differ between two runs of the same work (when it happened), left out of comparisons.
WHEN = frozenset({"created_at", "updated_at", "uploaded_at", "claimed_at", "sent_at"})

Dump = dict[str, list[dict[str, Any]]]


async def dump(sf: async_sessionmaker[AsyncSession], *, without: frozenset[str] = frozenset()) -> Dump:
    """Every row of every table (as dicts, in a stable order), leaving out the columns ``without``. The
    data revision is left out: it counts writes (core.storage.revision), it holds no data."""
    out: Dump = {}
    async with sf() as session:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "data_revision":
                continue
            rows = [
                {k: v for k, v in r._asdict().items() if k not in without}
                for r in (await session.execute(select(table))).all()
            ]
            out[table.name] = sorted(rows, key=repr)
    return out


# ---------------------------------------------------------------- the parent's side


async def spawn(args: Sequence[str], env: Mapping[str, str], log: Path) -> asyncio.subprocess.Process:
    """Start the child with ``args``; its stderr (the bot's log) goes to ``log``."""
    with log.open("ab") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import faults_support; faults_support.child()",
            *args,
            cwd=log.parent,  # no .env there
            env={
                **os.environ,
                **env,
                "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
        )


async def kill_when_paused(proc: asyncio.subprocess.Process, log: Path, timeout: float = 60) -> str:
    """Wait for the child to reach its hook, then SIGKILL it; what it printed before pausing."""
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(timeout):
            while not lines or not lines[-1].startswith(PAUSED):
                line = (await proc.stdout.readline()).decode()
                if not line:
                    raise AssertionError(f"the child ended before pausing: {lines}\n{log.read_text()}")
                lines.append(line.strip())
    finally:
        proc.kill()
        await proc.wait()
    return "\n".join(lines)


# ---------------------------------------------------------------- the child's side


def _pause(where: str) -> None:
    print(f"{PAUSED} {where}", flush=True)
    time.sleep(3600)  # blocks everything, the event loop included, until the parent kills the process


def install(hook: str) -> None:
    """Wrap the function a hook names so that its nth call pauses before or after running."""
    when, target, nth = hook.split(":")
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    calls = 0

    def count() -> bool:
        nonlocal calls
        calls += 1
        return calls == int(nth)

    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            hit = count()
            if hit and when == "before":
                _pause(hook)
            result = await original(*args, **kwargs)
            if hit and when == "after":
                _pause(hook)
            return result

    else:

        @functools.wraps(original)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            hit = count()
            if hit and when == "before":
                _pause(hook)
            result = original(*args, **kwargs)
            if hit and when == "after":
                _pause(hook)
            return result

    setattr(module, name, wrapped)


def child() -> None:
    mode, *args = sys.argv[1:]
    hooks = args[3:] if mode == "ingest" else args[2:] if mode == "many" else args
    for hook in hooks:
        install(hook)
    if mode == "ingest":
        db_url, path, filename = args[:3]
        status = asyncio.run(_ingest(db_url, Path(path).read_bytes(), filename))
        print(f"DONE {status}", flush=True)
    elif mode == "many":
        asyncio.run(_ingest_many(args[0], Path(args[1])))
    elif mode == "bot":
        from bot.__main__ import main

        asyncio.run(main())
    elif mode == "sweep":
        asyncio.run(_sweep())
    else:
        raise SystemExit(f"unknown mode {mode}")


async def _ingest(db_url: str, data: bytes, filename: str) -> str:
    from core.storage.db import open_db
    from core.storage.ingest import ingest_bytes

    async with open_db(db_url) as sf:
        return (await ingest_bytes(sf, data, filename)).status


async def _ingest_many(db_url: str, folder: Path) -> None:
    from core.storage.bulk import ingest_many
    from core.storage.db import open_db

    files = [(path.name, path.read_bytes) for path in sorted(folder.iterdir())]
    async with open_db(db_url) as sf:
        async for result in ingest_many(sf, files):
            print(f"RESULT {result.filename} {result.status}", flush=True)


async def _sweep() -> None:
    from telegram.constants import ParseMode
    from telegram.ext import Defaults, ExtBot

    from bot.context import SETTINGS_KEY, SF_KEY
    from bot.handlers.deadlines import sweep_job
    from core.settings import get_settings
    from core.storage.db import open_db

    settings = get_settings()
    assert settings.telegram_bot_token is not None
    bot = ExtBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz),
    )
    async with open_db(settings.database_url) as sf, bot:
        context = SimpleNamespace(bot=bot, bot_data={SF_KEY: sf, SETTINGS_KEY: settings})
        await sweep_job(context)  # type: ignore[arg-type]
