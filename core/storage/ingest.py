"""Store a report file: parse it, find or create its agency, keep versions, run the checks that need other
reports, all in one transaction — a report is stored completely or not at all.

The same file twice (same sha256) is a duplicate and changes nothing. A different file for the same
agency and year is kept as another version; the newest upload is current. Storing, replacing or deleting
a version redoes the checks of the reports that compare themselves with it (core.storage.rechecks).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.limits import Listener, read_report_bounded
from core.model import Cell, ParsedReport, ReportError
from core.storage.agencies import match_key, same_agency
from core.storage.db import insert_many, write_session
from core.storage.models import Agency, CellRecord, FindingRecord, Report, utcnow
from core.storage.partial import complete, partial
from core.storage.rechecks import (
    Context,
    checked_findings,
    neighbours,
    recheck,
    recheck_all,
    recheck_related,
    related_rows,
    store_findings,
    table_digests,
)
from core.storage.reports import load_parsed
from core.tiers import TIERS, Tier

log = logging.getLogger(__name__)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

Status = Literal["stored", "duplicate", "failed"]


@dataclass
class IngestResult:
    status: Status
    filename: str
    sha256: str
    report_id: int | None = None
    report: ParsedReport | None = None  # with every stored finding (also for a duplicate)
    agency_id: int | None = None
    agency: str | None = None  # full name
    short_name: str | None = None
    year: int | None = None
    error: str | None = None  # one line, Chinese, when failed
    uploaded_at: datetime | None = None  # UTC; for a duplicate, when the original was uploaded
    superseded: list[int] = field(default_factory=list)  # older versions that stopped being current
    rechecked: list[int] = field(default_factory=list)  # other reports whose checks were redone


@dataclass
class DeleteResult:
    report_id: int
    agency: str
    year: int | None
    restored_id: int | None  # the earlier version that is current again
    rechecked: list[int] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- ingest


async def ingest_bytes(
    sf: async_sessionmaker[AsyncSession],
    data: bytes,
    filename: str,
    *,
    uploaded_by: int | None = None,
    chat_id: int | None = None,
    on_progress: Listener | None = None,
) -> IngestResult:
    """Parse and store one file. An unreadable file comes back ``failed`` with the reason."""
    digest = sha256_of(data)
    if duplicate := await duplicate_of(sf, digest, filename):  # recognised before parsing
        return duplicate
    parsed = await parse_bytes(data, filename, digest, on_progress)
    if isinstance(parsed, IngestResult):
        return parsed
    return await store_report(
        sf, parsed, sha256=digest, filename=filename, uploaded_by=uploaded_by, chat_id=chat_id
    )


async def parse_bytes(
    data: bytes, filename: str, digest: str, on_progress: Listener | None = None
) -> ParsedReport | IngestResult:
    """The file parsed, or its ``failed`` result."""
    try:
        # In a worker process with a deadline and a memory cap: a hostile file cannot hang or starve the
        # bot, and the event loop (polling, job queue) stays responsive while a file is parsed.
        return await read_report_bounded(data, filename, on_progress=on_progress)
    except ReportError as exc:
        return IngestResult("failed", filename, digest, error=str(exc))


async def duplicate_of(
    sf: async_sessionmaker[AsyncSession], digest: str, filename: str
) -> IngestResult | None:
    """The ``duplicate`` result for a file already stored (same sha256), else None."""
    async with sf() as session:
        return await _duplicate(session, digest, filename)


async def stored_digests(sf: async_sessionmaker[AsyncSession], digests: Collection[str]) -> set[str]:
    """Which of ``digests`` are stored already: one query for many files."""
    async with sf() as session:
        return set(await session.scalars(select(Report.sha256).where(Report.sha256.in_(list(digests)))))


async def store_report(
    sf: async_sessionmaker[AsyncSession],
    report: ParsedReport,
    *,
    sha256: str,
    filename: str,
    uploaded_by: int | None = None,
    chat_id: int | None = None,
) -> IngestResult:
    """Store an already parsed report (``ingest_bytes`` after parsing; tests with built reports)."""
    async with write_session(sf) as session:
        return await store_in_session(session, report, sha256, filename, uploaded_by, chat_id)


async def store_in_session(
    session: AsyncSession,
    report: ParsedReport,
    digest: str,
    filename: str,
    uploaded_by: int | None,
    chat_id: int | None,
) -> IngestResult:
    """One report in an open write transaction (``store_report``; core.storage.bulk stores several in one),
    in a savepoint: on any error nothing of it remains."""
    if not report.agency or not report.agency.strip():
        return IngestResult("failed", filename, digest, error="未能识别报告的发布机关名称，未入库。")
    if report.year is None:
        return IngestResult("failed", filename, digest, error="未能识别报告所属年度，未入库。")
    for attempt in (1, 2):
        try:
            async with session.begin_nested():
                return await _store(session, report, digest, filename, uploaded_by, chat_id)
        except IntegrityError:
            # The same file was stored since we looked (by another process, or earlier in this group), or
            # another process created the same agency: both are visible now.
            if duplicate := await _duplicate(session, digest, filename):
                return duplicate
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _duplicate(session: AsyncSession, digest: str, filename: str) -> IngestResult | None:
    row = (await session.execute(select(Report, Agency).join(Agency).where(Report.sha256 == digest))).first()
    if row is None:
        return None
    stored, agency = row
    return IngestResult(
        "duplicate",
        filename,
        digest,
        report_id=stored.id,
        report=await load_parsed(session, stored, agency),
        agency_id=agency.id,
        agency=agency.name,
        short_name=agency.short_name,
        year=stored.year,
        uploaded_at=stored.uploaded_at,
    )


async def _store(
    session: AsyncSession,
    report: ParsedReport,
    digest: str,
    filename: str,
    uploaded_by: int | None,
    chat_id: int | None,
) -> IngestResult:
    agency = await _agency_for(session, report)
    year = report.year
    assert agency.id is not None and year is not None
    row = Report(
        agency_id=agency.id,
        agency_name=report.agency or agency.name,
        year=report.year,
        template=report.template,
        title=report.title,
        published_on=report.published_on,
        sha256=digest,
        filename=filename,
        source_kind=report.source_kind,
        is_current=True,
        uploaded_by=uploaded_by,
        chat_id=chat_id,
        sections=report.sections,
        tables_found=report.tables_found,
        text=report.text,
        **table_digests(report),
    )
    # Everything the checks of this version and of its neighbours read, in one query: the version it
    # replaces, the previous year (its checks compare with it), the next year and the same-year peers
    # (their checks compare with this one).
    own, peers = await neighbours(session, row, (year - 1, year, year + 1))
    older = [r for r in own if r.year == year]
    if older and partial(report) and complete(report, await load_parsed(session, older[-1]), older[-1].id or 0):
        for column, digest in table_digests(report).items():  # a partial upload completed by the last one
            setattr(row, column, digest)
        row.tables_found = report.tables_found
    if older:
        await session.execute(
            update(Report).where(Report.id.in_([o.id for o in older])).values(is_current=False)
        )
    session.add(row)
    await session.flush()
    assert row.id is not None
    await _insert_cells(session, row.id, report)
    previous = next((r for r in own if r.year == year - 1), None)
    report.findings = await checked_findings(session, row, report, Context(previous, peers))
    await store_findings(session, row.id, report.findings)
    # Reports whose checks read this version (next year, peers: known already) or the one it replaces.
    related = {r.id or 0: r for r in [*(r for r in own if r.year == year + 1), *peers]}
    related |= await related_rows(session, older)
    rechecked = await recheck_all(session, related, done={row.id})
    return IngestResult(
        "stored",
        filename,
        digest,
        report_id=row.id,
        report=report,
        agency_id=agency.id,
        agency=agency.name,
        short_name=agency.short_name,
        year=report.year,
        uploaded_at=row.uploaded_at,
        superseded=[o.id for o in older if o.id is not None],
        rechecked=rechecked,
    )


async def stored_agency(
    session: AsyncSession, report: ParsedReport, *, lock: bool = False
) -> tuple[Agency | None, str]:
    """The stored agency ``report`` belongs to, and its printed name (spaces normalised); None when it
    is new. ``lock``: rows read FOR UPDATE, as storing needs."""
    name = " ".join((report.agency or "").split())
    query = select(Agency).where(Agency.name == name)
    agency = await session.scalar(query.with_for_update() if lock else query)
    if agency is not None:
        return agency, name
    # The same agency printed with or without its city. Many agencies share a key (every county has a
    # 财政局), so this is read only for a name not seen yet.
    key = match_key(name, report.region)
    query = select(Agency).where(Agency.match_key == key)
    rows = await session.scalars(query.with_for_update() if lock else query)
    same = [
        a
        for a in rows
        if any(same_agency(n, a.region, name, report.region) for n in (a.name, *(a.aliases or [])))
    ]
    return (same[0] if len(same) == 1 else None), name


async def _agency_for(session: AsyncSession, report: ParsedReport) -> Agency:
    """The stored agency this report belongs to, created when new; short name and region kept fresh."""
    agency, name = await stored_agency(session, report, lock=True)
    changed = False
    if agency is None:
        agency = Agency(
            name=name,
            short_name=report.short_name or name,
            region=report.region,
            match_key=match_key(name, report.region),
        )
        session.add(agency)
        await session.flush()
        return agency
    if agency.name != name and name not in (agency.aliases or []):
        agency.aliases, changed = [*(agency.aliases or []), name], True
    if report.short_name and report.short_name != agency.short_name:
        agency.short_name, changed = report.short_name, True
    if report.region and not (agency.region or "").endswith(report.region):
        agency.region, changed = report.region, True
    if changed:
        agency.updated_at = utcnow()
        await session.flush()
    return agency


async def _insert_cells(session: AsyncSession, report_id: int, report: ParsedReport) -> None:
    """Every cell in one executemany; extra (non-template) cells flagged ``extra``."""
    rows = [_cell_row(report_id, c, c.key, extra=False) for c in report.cells.values()]
    taken = set(report.cells)
    for cell in report.extra_cells:
        key, n = cell.key, 1
        while key in taken:  # (report, key) is unique; a repeated extra key must not lose a cell
            n += 1
            key = f"{cell.key}#{n}"
        taken.add(key)
        rows.append(_cell_row(report_id, cell, key, extra=True))
    await insert_many(session, CellRecord.__table__, _CELL_COLUMNS, rows)


_CELL_COLUMNS = (
    "report_id",
    "key",
    "raw",
    "value",
    "unit",
    "table_id",
    "row_label",
    "col_label",
    "extra",
    "loc",
)


def _cell_row(report_id: int, cell: Cell, key: str, *, extra: bool) -> tuple[object, ...]:
    loc = {k: v for k, v in vars(cell.loc).items() if v is not None}
    return (
        report_id,
        key,
        cell.raw,
        cell.value,
        cell.unit,
        cell.table,
        cell.row_label,
        cell.col_label,
        extra,
        loc,
    )


# ---------------------------------------------------------------- delete, tier override


async def delete_report(sf: async_sessionmaker[AsyncSession], report_id: int) -> DeleteResult | None:
    """Remove a report with its cells and findings (撤销上传). When it was current, the latest earlier
    version of the same agency and year becomes current again. None when there is no such report."""
    async with write_session(sf) as session:
        row = await session.get(Report, report_id, with_for_update=True)
        if row is None:
            return None
        agency = await session.get(Agency, row.agency_id)
        assert agency is not None
        await session.execute(delete(CellRecord).where(CellRecord.report_id == report_id))
        await session.execute(delete(FindingRecord).where(FindingRecord.report_id == report_id))
        await session.delete(row)
        await session.flush()
        result = DeleteResult(report_id, agency.name, row.year, restored_id=None)
        if not row.is_current:
            return result
        restored = await session.scalar(
            select(Report)
            .where(Report.agency_id == row.agency_id, Report.year == row.year)
            .order_by(Report.uploaded_at.desc(), Report.id.desc())
            .limit(1)
        )
        done: set[int] = set()
        if restored is not None and restored.id is not None:
            restored.is_current = True
            await session.flush()
            await recheck(session, restored)
            result.restored_id = restored.id
            done.add(restored.id)
        result.rechecked = await recheck_related(session, [row, *filter(None, [restored])], done)
        return result


async def set_tier_override(
    sf: async_sessionmaker[AsyncSession], agency_id: int, tier: Tier | None
) -> Agency:
    """Set an agency's deadline tier by hand (None: classify automatically again, core.tiers) and redo
    the checks of its current reports, whose date findings depend on the tier."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"未知的层级：{tier}（可选：{'、'.join(TIERS)}）")
    async with write_session(sf) as session:
        agency = await session.get(Agency, agency_id)
        if agency is None:
            raise LookupError(f"没有编号为 {agency_id} 的单位")
        agency.tier_override = tier
        agency.updated_at = utcnow()
        await session.flush()
        current = list(
            await session.scalars(select(Report).where(Report.agency_id == agency_id, Report.is_current))
        )
        for row in current:
            await recheck(session, row)
    return agency


# ---------------------------------------------------------------- demo data


async def preload_samples(sf: async_sessionmaker[AsyncSession], folder: Path = SAMPLES) -> int:
    """Ingest the seed reports into a database with no reports (the ``make run`` demo); how many stored."""
    async with sf() as session:
        if await session.scalar(select(Report.id).limit(1)) is not None:
            return 0
    stored = 0
    for path in sorted(folder.glob("*.txt")):
        result = await ingest_bytes(sf, path.read_bytes(), path.name)
        if result.status == "stored":
            stored += 1
        elif result.status == "failed":
            log.warning("seed %s not stored: %s", path.name, result.error)
    return stored
