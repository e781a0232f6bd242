"""The SQL behind the answers. Each function is one indexed query; nothing loads all reports.

Index use: a single-key ranking walks ``ix_cell_key_value`` in value order and stops at the limit (ties
broken by the cell id, which the index also orders); a report's cells come through the unique
(report_id, key) index; reports by agency through ``ix_report_agency_year``; missing tables through the
``structure.missing_table`` findings (``finding.code`` is indexed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.qa.parse import Condition
from core.storage.models import Agency, CellRecord, FindingRecord, Report

MISSING_TABLE_CODE = "structure.missing_table"


@dataclass(frozen=True)
class ReportRef:
    id: int
    agency_id: int
    year: int
    template: str | None
    tables_found: tuple[str, ...]
    published_on: date | None = None


@dataclass(frozen=True)
class CellRow:
    report_id: int
    key: str
    raw: str
    value: float | None
    unit: str | None
    table: str
    row_label: str
    col_label: str


@dataclass(frozen=True)
class FindingRow:
    report_id: int
    code: str
    severity: str
    message: str
    cells: tuple[str, ...]
    details: dict[str, Any]


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    short_name: str
    region: str | None


@dataclass(frozen=True)
class Ranked:
    report_id: int
    agency_id: int
    value: float


_REPORT_COLS = (
    Report.id, Report.agency_id, Report.year, Report.template, Report.tables_found, Report.published_on
)  # fmt: skip
# The agencies a question is limited to: ids, a query selecting ids (a region), or None for all.
Agencies = Sequence[int] | Select[Any] | None


def _report(row: Any) -> ReportRef:
    return ReportRef(row[0], row[1], row[2], row[3], tuple(row[4] or ()), row[5])


def _scope(
    query: Select[Any], year: int | None, agency_ids: Agencies, *, by_year: bool = True
) -> Select[Any]:
    """Current reports, of ``year`` and ``agency_ids`` when given. ``by_year=False``: the year is tested
    without its index ("+ 0"), so that SQLite starts from the cells instead."""
    query = query.where(Report.is_current)
    if year is not None:
        query = query.where((Report.year if by_year else Report.year + 0) == year)
    if agency_ids is not None:
        query = query.where(Report.agency_id.in_(agency_ids))
    return query


def _test(value: Any, condition: Condition | None) -> ColumnElement[bool] | None:
    if condition is None:
        return None
    n = condition.value
    if condition.op == "blank":
        return false()  # a figure printed is not blank: blank cells are found by blank_reports
    return {"=": value == n, ">": value > n, ">=": value >= n, "<": value < n, "<=": value <= n}[condition.op]


async def agency_reports(session: AsyncSession, agency_id: int) -> list[ReportRef]:
    """The agency's current reports, oldest year first."""
    rows = await session.execute(
        select(*_REPORT_COLS).where(Report.agency_id == agency_id, Report.is_current).order_by(Report.year)
    )
    return [_report(r) for r in rows]


async def latest_year(session: AsyncSession, agency_ids: Agencies = None) -> int | None:
    query = _scope(select(func.max(Report.year)), None, agency_ids)
    return (await session.execute(query)).scalar_one_or_none()


async def cells(
    session: AsyncSession, report_ids: Sequence[int], keys: Sequence[str]
) -> dict[tuple[int, str], CellRow]:
    if not report_ids or not keys:
        return {}
    rows = await session.execute(
        select(
            CellRecord.report_id,
            CellRecord.key,
            CellRecord.raw,
            CellRecord.value,
            CellRecord.unit,
            CellRecord.table_id,
            CellRecord.row_label,
            CellRecord.col_label,
        ).where(CellRecord.report_id.in_(report_ids), CellRecord.key.in_(keys))
    )
    return {(r[0], r[1]): CellRow(*r) for r in rows}


async def findings(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, list[FindingRow]]:
    found: dict[int, list[FindingRow]] = {}
    if not report_ids:
        return found
    rows = await session.execute(
        select(
            FindingRecord.report_id,
            FindingRecord.code,
            FindingRecord.severity,
            FindingRecord.message,
            FindingRecord.cells,
            FindingRecord.details,
        )
        .where(FindingRecord.report_id.in_(report_ids))
        .order_by(FindingRecord.id)
    )
    for r in rows:
        found.setdefault(r[0], []).append(
            FindingRow(r[0], r[1], r[2], r[3], tuple(r[4] or ()), dict(r[5] or {}))
        )
    return found


async def report_text(session: AsyncSession, report_id: int) -> str:
    return (
        await session.execute(select(Report.text).where(Report.id == report_id))
    ).scalar_one_or_none() or ""


async def agencies(session: AsyncSession, ids: Sequence[int]) -> dict[int, AgencyRow]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Agency.id, Agency.name, Agency.short_name, Agency.region).where(Agency.id.in_(list(set(ids))))
    )
    return {r[0]: AgencyRow(*r) for r in rows}


def agencies_in(place: str, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Select[Any]:
    """Ids of agencies whose region or name contains ``place`` and whose name is LIKE one of ``include``
    (when given) and none of ``exclude``."""
    query = select(Agency.id)
    if place:
        query = query.where(or_(Agency.region.like(f"%{place}%"), Agency.name.like(f"%{place}%")))
    if include:
        query = query.where(or_(*(Agency.name.like(p) for p in include)))
    for pattern in exclude:
        query = query.where(Agency.name.not_like(pattern))
    return query


async def agency_rows(session: AsyncSession, ids: Select[Any]) -> list[AgencyRow]:
    rows = await session.execute(
        select(Agency.id, Agency.name, Agency.short_name, Agency.region)
        .where(Agency.id.in_(ids))
        .order_by(Agency.short_name, Agency.id)
    )
    return [AgencyRow(*r) for r in rows]


async def count_of(session: AsyncSession, ids: Select[Any]) -> int:
    return (await session.execute(select(func.count()).select_from(ids.subquery()))).scalar_one()


def _summed(keys: Sequence[str]) -> Any:
    """(report_id, value) per report, the value being the sum of the cells ``keys``."""
    return (
        select(
            CellRecord.report_id.label("report_id"),
            func.sum(CellRecord.value).label("value"),
            CellRecord.report_id.label("tie"),
        )
        .where(CellRecord.key.in_(keys), CellRecord.value.is_not(None))
        .group_by(CellRecord.report_id)
        .subquery()
    )


def _ranked_query(keys: Sequence[str], *, by_value: bool = True) -> tuple[Select[Any], Any, Any]:
    """(report_id, agency_id, value) per report, the value of one key or the sum of several; the value
    and the tie-breaker to order by. ``by_value=False``: the value is tested without ix_cell_key_value."""
    if len(keys) == 1:
        # Plain columns (no subquery) so the planner can walk ix_cell_key_value in order.
        value, tie = CellRecord.value, CellRecord.id
        query = (
            select(CellRecord.report_id, Report.agency_id, value)
            .join(Report, Report.id == CellRecord.report_id)
            .where(CellRecord.key == keys[0], (value if by_value else value + 0).is_not(None))
        )
        return query, (value if by_value else value + 0), tie
    sub = _summed(keys)
    query = select(sub.c.report_id, Report.agency_id, sub.c.value).join(Report, Report.id == sub.c.report_id)
    return query, sub.c.value, sub.c.tie


async def ranked(
    session: AsyncSession,
    keys: Sequence[str],
    year: int | None,
    agency_ids: Agencies = None,
    *,
    ascending: bool = False,
    limit: int | None = 10,
    condition: Condition | None = None,
) -> list[Ranked]:
    """Reports ordered by their figure (ties: deterministic, by cell id)."""
    query, value, tie = _ranked_query(keys)
    query = _scope(query, year, agency_ids)
    test = _test(value, condition)
    if test is not None:
        query = query.where(test)
    if agency_ids is not None:
        # Some agencies only: start from their reports (ix_report_current_year) and sort their figures.
        # Ordering by the bare column lets SQLite (no statistics) walk ix_cell_key_value in value order
        # instead, reading every report of the key until it finds theirs: seconds at 100k reports.
        value = value + 0
    order = (value.asc(), tie.asc()) if ascending else (value.desc(), tie.desc())
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [Ranked(r[0], r[1], float(r[2])) for r in await session.execute(query)]


@dataclass(frozen=True)
class Totals:
    total: float
    count: int  # reports with a figure


async def totals(
    session: AsyncSession,
    keys: Sequence[str],
    year: int | None,
    agency_ids: Agencies = None,
    condition: Condition | None = None,
) -> Totals:
    exact = condition is not None and condition.op == "=" and len(keys) == 1 and agency_ids is None
    query, value, _ = _ranked_query(keys, by_value=exact)
    # SQLite has no statistics to choose where to start, and guessed wrong both ways at 100k reports (50 ms
    # for an exact value, 400 ms for a range). An exact value of one key narrows the cells most through
    # ix_cell_key_value; anything else reads the year's reports (ix_report_current_year) and their cells.
    # "+ 0" keeps the other index out of the race.
    query = _scope(query, year, agency_ids, by_year=not exact)
    test = _test(value, condition)
    if test is not None:
        query = query.where(test)
    sub = query.subquery()
    row = (
        await session.execute(select(func.coalesce(func.sum(sub.c.value), 0), func.count()).select_from(sub))
    ).one()
    return Totals(float(row[0]), int(row[1]))


async def reports_missing_table(
    session: AsyncSession, table: str, year: int | None = None, agency_ids: Agencies = None
) -> list[ReportRef]:
    """Current reports without table ``table``, found through the parser's missing-table findings."""
    flagged = select(FindingRecord.report_id).where(FindingRecord.code == MISSING_TABLE_CODE)
    query = _scope(select(*_REPORT_COLS).where(Report.id.in_(flagged)), year, agency_ids)
    rows = [_report(r) for r in await session.execute(query.order_by(Report.year, Report.id))]
    return [r for r in rows if table not in r.tables_found]


async def reports_with_findings(
    session: AsyncSession,
    *,
    prefixes: Sequence[str] = (),
    severities: Sequence[str] = ("error",),
    year: int | None = None,
    agency_ids: Agencies = None,
    codes: Sequence[str] = (),
    limit: int = 200,
    without: bool = False,
) -> tuple[list[ReportRef], int]:
    """Current reports having findings of these severities (and code prefixes, or exact codes), or with
    ``without`` the reports in scope having none; a page and the total."""
    conditions = [FindingRecord.severity.in_(severities)]
    if prefixes:
        conditions.append(or_(*(FindingRecord.code.startswith(p) for p in prefixes)))
    if codes:
        conditions.append(FindingRecord.code.in_(codes))
    matching = _scope(
        select(Report.id).join(FindingRecord, FindingRecord.report_id == Report.id).where(*conditions),
        year,
        agency_ids,
    )
    # The total as a window over the same rows: one pass over the findings instead of two.
    counted = select(*_REPORT_COLS, func.count().over())
    query = (
        _scope(counted, year, agency_ids).where(Report.id.not_in(matching))
        if without
        else counted.where(Report.id.in_(matching))
    )
    rows = (await session.execute(query.order_by(Report.year, Report.id).limit(limit))).all()
    return [_report(r) for r in rows], int(rows[0][-1]) if rows else 0


async def stored_agencies(
    session: AsyncSession, year: int | None = None, agency_ids: Agencies = None, limit: int = 200
) -> tuple[list[tuple[AgencyRow, list[int]]], int]:
    """Agencies with current reports (and their years), by short name; a page and the total."""
    ids = _scope(select(Report.agency_id).distinct(), year, agency_ids).subquery()
    total = (await session.execute(select(func.count()).select_from(ids))).scalar_one()
    page = (
        await session.execute(
            select(Agency.id, Agency.name, Agency.short_name, Agency.region)
            .where(Agency.id.in_(select(ids.c.agency_id)))
            .order_by(Agency.short_name, Agency.id)
            .limit(limit)
        )
    ).all()
    agency_rows = [AgencyRow(*r) for r in page]
    years_of: dict[int, list[int]] = {}
    if agency_rows:
        rows = await session.execute(
            _scope(select(Report.agency_id, Report.year), year, [a.id for a in agency_rows]).order_by(
                Report.year
            )
        )
        for agency_id, y in rows:
            years_of.setdefault(agency_id, []).append(y)
    return [(a, years_of.get(a.id, [])) for a in agency_rows], int(total)


async def blank_reports(
    session: AsyncSession, keys: Sequence[str], year: int | None, agency_ids: Agencies = None
) -> dict[int, int]:
    """Report id → agency id of current reports that print the figure ``keys`` blank (every one of the
    keys present in the report is blank): such a figure counts 0 in sums, rankings and counts."""
    # Blank cells are few: start from them (ix_cell_key_value), not from the year's reports ("+ 0").
    blank = _scope(
        select(CellRecord.report_id, Report.agency_id)
        .join(Report, Report.id == CellRecord.report_id)
        .where(CellRecord.key.in_(keys), CellRecord.value.is_(None)),
        year,
        agency_ids,
        by_year=False,
    )
    found = {r: a for r, a in await session.execute(blank)}
    if len(keys) > 1 and found:  # a report with some of the keys filled in is not blank
        filled = await session.execute(
            select(CellRecord.report_id).where(
                CellRecord.report_id.in_(list(found)), CellRecord.key.in_(keys), CellRecord.value.is_not(None)
            )
        )
        for (report_id,) in filled:
            found.pop(report_id, None)
    return found


async def scope_cells(
    session: AsyncSession, keys: Sequence[str], year: int | None, agency_ids: Agencies = None
) -> dict[int, tuple[int, dict[str, float | None]]]:
    """Report id → (agency id, key → value) for the current reports in scope that have any of ``keys``
    (blank cells as None): what a rate across agencies is computed from."""
    query = _scope(
        select(CellRecord.report_id, Report.agency_id, CellRecord.key, CellRecord.value)
        .join(Report, Report.id == CellRecord.report_id)
        .where(CellRecord.key.in_(keys)),
        year,
        agency_ids,
        by_year=True,
    )
    found: dict[int, tuple[int, dict[str, float | None]]] = {}
    for report_id, agency_id, key, value in await session.execute(query):
        found.setdefault(report_id, (agency_id, {}))[1][key] = value
    return found


async def scope_reports(
    session: AsyncSession, year: int | None, agency_ids: Agencies = None
) -> list[ReportRef]:
    """The current reports in scope (of ``year``, or every year)."""
    query = _scope(select(*_REPORT_COLS), year, agency_ids).order_by(Report.year, Report.id)
    return [_report(r) for r in await session.execute(query)]


async def finding_counts(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Report id → severity → number of findings ("table" counts table errors)."""
    found: dict[int, dict[str, int]] = {}
    if not report_ids:
        return found
    rows = await session.execute(
        select(FindingRecord.report_id, FindingRecord.severity, FindingRecord.code).where(
            FindingRecord.report_id.in_(list(report_ids))
        )
    )
    for report_id, severity, code in rows:
        counts = found.setdefault(report_id, {})
        counts[severity] = counts.get(severity, 0) + 1
        if severity == "error" and code.startswith(("table2.", "table3.", "table4.")):
            counts["table"] = counts.get("table", 0) + 1
    return found
