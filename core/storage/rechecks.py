"""Checks that compare a stored report with other stored reports, and redoing them when those change.

``core.checks.run_checks`` takes the same agency's previous-year report, same-year peers (copy detection)
and the agency's tier override. Stored findings are the parser's own (``structure.`` and any other area the
checks do not own) plus what the checks return with that context; a recheck replaces the latter. A freshly
parsed report already carries its single-report findings (``ParsedReport.checked``): unless the agency's
tier is overridden, storing it runs only ``context_checks``.

Peers are not every same-year report: copy detection (core.checks.copies) flags tables whose non-zero
figures are identical, so only reports sharing a table fingerprint (:func:`table_digests`) can be flagged,
and an index finds them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Select, delete, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from core.checks import CONTEXT_AREAS, context_checks, report_checks
from core.model import Finding, ParsedReport
from core.storage.db import insert_many
from core.storage.models import Agency, FindingRecord, Report
from core.storage.reports import load_parsed
from core.tiers import Tier

# Finding areas core.checks owns (its module docstring); anything else came from the parser.
CHECK_AREAS = ("table2.", "table3.", "table4.", "prose.", "date.", "crossyear.", "copy.", "blank.")
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


def _current(agency_id: int, years: Iterable[int]) -> Select[tuple[Report]]:
    return select(Report).where(
        Report.agency_id == agency_id, Report.year.in_(list(years)), Report.is_current
    )


def _peers(row: Report) -> Select[tuple[Report]] | None:
    """Same-year reports of other agencies that share a table fingerprint with ``row``, current or not."""
    same = [getattr(Report, col) == getattr(row, col) for col in _DIGEST_TABLES.values() if getattr(row, col)]
    if not same or row.year is None:
        return None
    # Only the fingerprints are searchable ("year + 0"; being current is tested by the caller): otherwise
    # SQLite, without statistics, walked the index of the year or of current reports and read every one
    # of them, wide rows with their text, for each report stored (1.8 ms at 5,000 reports, growing).
    return select(Report).where(Report.year + 0 == row.year, Report.agency_id != row.agency_id, or_(*same))


async def neighbours(
    session: AsyncSession, row: Report, years: Iterable[int]
) -> tuple[list[Report], list[Report]]:
    """The current reports of ``row``'s agency in ``years``, and ``row``'s peers (same year, other agencies,
    a table fingerprint in common): one query, as each is a round trip. Both by id."""
    queries = [_current(row.agency_id, years)]
    if (peers := _peers(row)) is not None:
        queries.append(peers)
    statement = queries[0] if len(queries) == 1 else select(Report).from_statement(union_all(*queries))
    rows = sorted(await session.scalars(statement), key=lambda r: r.id or 0)
    own = [r for r in rows if r.agency_id == row.agency_id]
    return own, [r for r in rows if r.agency_id != row.agency_id and r.is_current]


@dataclass
class Context:
    """The stored reports a report's checks read: its agency's previous year and its same-year peers."""

    previous: Report | None
    peers: list[Report]


async def context_of(session: AsyncSession, row: Report) -> Context:
    assert row.year is not None
    previous, peers = await neighbours(session, row, [row.year - 1])
    return Context(previous[0] if previous else None, peers)


async def checked_findings(
    session: AsyncSession, row: Report, report: ParsedReport, context: Context | None = None
) -> list[Finding]:
    """The parser's findings plus every check, run with the previous year, the peers and the tier override
    (``context``: already looked up by the caller)."""
    context = context or await context_of(session, row)
    agency = await session.get(Agency, row.agency_id)
    assert agency is not None
    previous = await load_parsed(session, context.previous, full=False) if context.previous else None
    peers = [await load_parsed(session, p, full=False) for p in context.peers]
    tier = cast(Tier | None, agency.tier_override)
    if report.checked and tier is None:  # a fresh parse: its single-report findings stand as they are
        own = [f for f in report.findings if not f.code.startswith(CONTEXT_AREAS)]
    else:
        own = _parser_findings(report) + report_checks(report, tier)
    return own + context_checks(report, previous, peers)


async def store_findings(session: AsyncSession, report_id: int, findings: list[Finding]) -> None:
    rows = [
        (
            report_id,
            f.code,
            f.severity,
            f.message,
            list(f.cells),
            f.details,
            "cross" if f.code.startswith(CONTEXT_AREAS) else "report",
        )
        for f in findings
    ]
    await insert_many(session, FindingRecord.__table__, _FINDING_COLUMNS, rows)


_FINDING_COLUMNS = ("report_id", "code", "severity", "message", "cells", "details", "scope")


async def recheck(session: AsyncSession, row: Report) -> list[Finding]:
    """Run the checks again on a stored report and replace its check findings."""
    assert row.id is not None
    report = await load_parsed(session, row)
    findings = await checked_findings(session, row, report)
    await session.execute(delete(FindingRecord).where(FindingRecord.report_id == row.id))
    await store_findings(session, row.id, findings)
    return findings


async def related_rows(session: AsyncSession, rows: Iterable[Report]) -> dict[int, Report]:
    """The reports whose checks read any of ``rows``: the same agency's next year and same-year peers
    sharing a table, by id."""
    related: dict[int, Report] = {}
    for row in rows:
        if row.year is not None:  # always, for a stored report
            following, peers = await neighbours(session, row, [row.year + 1])
            related |= {r.id or 0: r for r in [*following, *peers]}
    return related


async def recheck_all(session: AsyncSession, related: dict[int, Report], done: set[int]) -> list[int]:
    """Redo the checks of ``related`` except ``done``; the ids redone."""
    redone = sorted(set(related) - done)
    for report_id in redone:
        await recheck(session, related[report_id])
    return redone


async def recheck_related(session: AsyncSession, rows: list[Report], done: set[int]) -> list[int]:
    """Redo the reports whose checks read any of ``rows`` (a new, replaced, restored or deleted version).
    Skips ``done``; returns the ids."""
    return await recheck_all(session, await related_rows(session, rows), done)
