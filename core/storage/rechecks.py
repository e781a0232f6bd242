"""Checks that compare a stored report with other stored reports, and redoing them when those change.

``core.checks.run_checks`` takes the same agency's previous-year report, same-year peers (copy detection)
and the agency's tier override. Stored findings are the parser's own (``structure.`` and any other area the
checks do not own) plus what ``run_checks`` returns with that context; a recheck replaces the latter.

Peers are not every same-year report: copy detection (core.checks.copies) flags tables whose non-zero
figures are identical, so only reports sharing a table fingerprint (:func:`table_digests`) can be flagged,
and an index finds them.
"""

from __future__ import annotations

import hashlib
import json
from typing import cast

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Finding, ParsedReport
from core.storage.models import Agency, FindingRecord, Report
from core.storage.reports import load_parsed
from core.tiers import Tier

# Finding areas core.checks owns (its module docstring); anything else came from the parser.
CHECK_AREAS = ("table2.", "table3.", "table4.", "prose.", "date.", "crossyear.", "copy.", "blank.")
# Areas that depend on other reports.
CROSS_AREAS = ("crossyear.", "copy.")
_DIGEST_TABLES = {"二": "table2_digest", "三": "table3_digest", "四": "table4_digest"}


def table_digests(report: ParsedReport) -> dict[str, str | None]:
    """Report column → fingerprint of that table's non-zero figures (None: table absent or all zero)."""
    digests: dict[str, str | None] = {}
    for table, column in _DIGEST_TABLES.items():
        figures = sorted((k, float(c.value)) for k, c in report.cells.items() if c.table == table and c.value)
        if table in report.tables_found and figures:
            digests[column] = hashlib.sha1(json.dumps(figures).encode()).hexdigest()[:20]
        else:
            digests[column] = None
    return digests


def _parser_findings(report: ParsedReport) -> list[Finding]:
    return [f for f in report.findings if not f.code.startswith(CHECK_AREAS)]


async def _current(session: AsyncSession, agency_id: int, year: int) -> Report | None:
    return await session.scalar(
        select(Report).where(Report.agency_id == agency_id, Report.year == year, Report.is_current)
    )


async def peer_rows(session: AsyncSession, row: Report) -> list[Report]:
    """Same-year current reports of other agencies that share a table fingerprint with ``row``."""
    same = [getattr(Report, col) == getattr(row, col) for col in _DIGEST_TABLES.values() if getattr(row, col)]
    if not same or row.year is None:
        return []
    return list(
        await session.scalars(
            select(Report)
            .where(Report.year == row.year, Report.is_current, Report.agency_id != row.agency_id, or_(*same))
            .order_by(Report.id)
        )
    )


async def checked_findings(session: AsyncSession, row: Report, report: ParsedReport) -> list[Finding]:
    """The parser's findings plus every check, run with the previous year, the peers and the tier override."""
    from core.checks import run_checks

    assert row.year is not None
    agency = await session.get(Agency, row.agency_id)
    assert agency is not None
    prev_row = await _current(session, row.agency_id, row.year - 1)
    previous = await load_parsed(session, prev_row) if prev_row else None
    peers = [await load_parsed(session, p) for p in await peer_rows(session, row)]
    tier = cast(Tier | None, agency.tier_override)
    return _parser_findings(report) + run_checks(report, previous=previous, peers=peers, tier_override=tier)


async def store_findings(session: AsyncSession, report_id: int, findings: list[Finding]) -> None:
    rows = [
        {
            "report_id": report_id,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "cells": list(f.cells),
            "details": f.details,
            "scope": "cross" if f.code.startswith(CROSS_AREAS) else "report",
        }
        for f in findings
    ]
    if rows:
        await session.execute(insert(FindingRecord.__table__), rows)


async def recheck(session: AsyncSession, row: Report) -> list[Finding]:
    """Run the checks again on a stored report and replace its check findings."""
    assert row.id is not None
    report = await load_parsed(session, row)
    findings = await checked_findings(session, row, report)
    await session.execute(delete(FindingRecord).where(FindingRecord.report_id == row.id))
    await store_findings(session, row.id, findings)
    return findings


async def recheck_related(session: AsyncSession, rows: list[Report], done: set[int]) -> list[int]:
    """Redo the reports whose checks read any of ``rows`` (a new, replaced, restored or deleted version):
    the same agency's next year, and same-year peers sharing a table. Skips ``done``; returns the ids."""
    related: dict[int, Report] = {}
    for row in rows:
        if row.year is not None and (following := await _current(session, row.agency_id, row.year + 1)):
            related[following.id or 0] = following
        for peer in await peer_rows(session, row):
            related[peer.id or 0] = peer
    for report_id, other in related.items():
        if report_id not in done:
            await recheck(session, other)
    return sorted(set(related) - done)
