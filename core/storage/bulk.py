"""Storing many files at once (``nianbao ingest FOLDER``): parsing ahead while storing, and one commit per
group of reports instead of one per report. Each file gets the same result ``ingest_bytes`` would give."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import nullcontext
from itertools import islice

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.model import ParsedReport, ReportError
from core.settings import get_settings
from core.storage.db import write_session
from core.storage.deferred_index import deferred, worth_deferring
from core.storage.ingest import (
    IngestResult,
    duplicate_of,
    parse_bytes,
    sha256_of,
    store_in_session,
    store_report,
    stored_digests,
)

log = logging.getLogger(__name__)

GROUP = 8  # parsed reports stored in one transaction
Prepared = IngestResult | tuple[ParsedReport, str]  # a result already, or a parsed report and its sha256


async def ingest_many(
    sf: async_sessionmaker[AsyncSession],
    files: Iterable[tuple[str, Callable[[], bytes]]],
    *,
    expected: int | None = None,
) -> AsyncIterator[IngestResult]:
    """``ingest_bytes`` for many files (name, loader), one result each, in order. ``expected``: how many
    files there are, when known; a load large enough builds the cell value index once, at the end
    (core.storage.deferred_index).

    While reports are stored the next files are already read and parsed (``parse_workers`` at once, in
    the worker processes), so a folder costs about the storing alone. Parsed reports that are ready are
    stored together, up to ``GROUP``, each in its own savepoint of one transaction: a report is still
    stored completely or not at all, but the group shares one commit, which on SQLite writes the index
    pages its reports have in common once instead of once per report. A result is given only once its
    group is committed, and a run that is cancelled (Ctrl-C) finishes and reports the group it is storing
    first. A killed process may have committed one group it could not report: run again, those files come
    back as duplicates.

    A loader may raise ReportError or OSError; that file, and one that hits a bug, comes back ``failed``
    and the others go on.
    """
    large = expected is not None and await worth_deferring(sf, expected)
    async with deferred(sf) if large else nullcontext():
        async for result in _ingest(sf, files):
            yield result


async def _ingest(
    sf: async_sessionmaker[AsyncSession], files: Iterable[tuple[str, Callable[[], bytes]]]
) -> AsyncIterator[IngestResult]:
    source = iter(files)
    ahead: deque[tuple[str, asyncio.Future[Prepared]]] = deque()

    async def refill() -> None:
        batch = [
            (name, _read(name, load))
            for name, load in islice(source, get_settings().parse_workers + GROUP - len(ahead))
        ]
        digests = {name: sha256_of(data) for name, data in batch if isinstance(data, bytes)}
        known = await _stored(sf, set(digests.values()))
        for name, data in batch:
            if isinstance(data, IngestResult):
                ready: asyncio.Future[Prepared] = asyncio.get_running_loop().create_future()
                ready.set_result(data)
                ahead.append((name, ready))
            else:
                ahead.append((name, asyncio.create_task(_prepare(sf, name, data, digests[name], known))))

    try:
        await refill()
        while ahead:
            group: list[tuple[str, Prepared]] = []
            # The first file waited for, then those already parsed: a slow file is not held back.
            while ahead and len(group) < GROUP and (not group or ahead[0][1].done()):
                name, task = ahead.popleft()
                try:
                    group.append((name, await task))
                except Exception as exc:  # a bug: this file fails, the others go on
                    group.append((name, _internal_error(name, exc)))
            await refill()
            storing = asyncio.ensure_future(_store_group(sf, group))
            try:
                results = await asyncio.shield(storing)
            except asyncio.CancelledError:
                # Interrupted (Ctrl-C) while storing: the group is finished and reported, then the run stops,
                # so that what was stored is what was said. A second interruption stops at once.
                for result in await storing:
                    yield result
                raise
            for result in results:
                yield result
    finally:  # the caller stopped early: no parse left running for nobody
        for _, task in ahead:
            task.cancel()


def _read(name: str, load: Callable[[], bytes]) -> bytes | IngestResult:
    try:
        return load()
    except OSError as exc:
        return IngestResult("failed", name, "", error=f"无法读取文件（{exc.strerror or exc}）。")
    except ReportError as exc:
        return IngestResult("failed", name, "", error=str(exc))


async def _stored(sf: async_sessionmaker[AsyncSession], digests: set[str]) -> set[str]:
    """The digests stored already, asked once for the files read together (per file, it was an eighth of
    the time). Should the query fail, a duplicate is still recognised when it is stored."""
    if not digests:
        return set()
    try:
        return await stored_digests(sf, digests)
    except Exception:
        log.exception("Looking up %d files before parsing failed", len(digests))
        return set()


async def _prepare(
    sf: async_sessionmaker[AsyncSession], name: str, data: bytes, digest: str, known: set[str]
) -> Prepared:
    if digest in known and (duplicate := await duplicate_of(sf, digest, name)):
        return duplicate
    parsed = await parse_bytes(data, name, digest)
    return parsed if isinstance(parsed, IngestResult) else (parsed, digest)


async def _store_group(
    sf: async_sessionmaker[AsyncSession], group: list[tuple[str, Prepared]]
) -> list[IngestResult]:
    """Store the parsed reports of ``group`` in one transaction, one savepoint each; results in order."""
    if all(isinstance(prepared, IngestResult) for _, prepared in group):
        return [prepared for _, prepared in group if isinstance(prepared, IngestResult)]
    try:
        async with write_session(sf) as session:
            return await _each(group, lambda r, d, n: store_in_session(session, r, d, n, None, None))
    except Exception:  # the commit itself failed: each report on its own, as ingest_bytes does
        log.exception("Storing a group of %d reports failed; storing them one by one", len(group))
    return await _each(group, lambda r, d, n: store_report(sf, r, sha256=d, filename=n))


async def _each(
    group: list[tuple[str, Prepared]], store: Callable[[ParsedReport, str, str], Awaitable[IngestResult]]
) -> list[IngestResult]:
    """``store`` (report, sha256, name) on each parsed report; a failure is that file's result alone."""
    results = []
    for name, prepared in group:
        if isinstance(prepared, IngestResult):
            results.append(prepared)
            continue
        try:
            results.append(await store(*prepared, name))
        except Exception as exc:  # rolled back (to its savepoint in a group): the others are kept
            results.append(_internal_error(name, exc))
    return results


def _internal_error(name: str, exc: Exception) -> IngestResult:
    log.error("Ingesting %r failed", name, exc_info=exc)
    return IngestResult("failed", name, "", error=f"内部错误（{type(exc).__name__}），已记录。")
