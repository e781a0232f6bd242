"""Reading stored reports back: a whole report as a ParsedReport, the current version, listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.model import Cell, Finding, Location, ParsedReport
from core.storage.models import Agency, CellRecord, FindingRecord, Report


@dataclass
class ReportRow:
    """One line of a listing: what is stored, without cells."""

    id: int
    agency_id: int
    agency: str
    short_name: str
    region: str | None
    year: int | None
    template: str | None
    published_on: date | None
    filename: str
    uploaded_at: datetime
    is_current: bool
    errors: int
    warnings: int


async def load_report(sf: async_sessionmaker[AsyncSession], report_id: int) -> ParsedReport:
    """Rebuild the ParsedReport of a stored report. Raises LookupError when there is none."""
    async with sf() as session:
        row = await session.get(Report, report_id)
        if row is None:
            raise LookupError(f"没有编号为 {report_id} 的报告")
        return await load_parsed(session, row)


# Cells and findings come back as plain rows, not ORM objects: a report has hundreds of cells, and the
# ingest of each report reads its previous year's (core.storage.rechecks).
_CELL_FIGURES = (
    CellRecord.key,
    CellRecord.raw,
    CellRecord.value,
    CellRecord.unit,
    CellRecord.table_id,
    CellRecord.row_label,
    CellRecord.col_label,
    CellRecord.extra,
)
_FINDING_COLUMNS = select(
    FindingRecord.code,
    FindingRecord.severity,
    FindingRecord.message,
    FindingRecord.cells,
    FindingRecord.details,
)


async def load_parsed(
    session: AsyncSession, row: Report, agency: Agency | None = None, *, full: bool = True
) -> ParsedReport:
    """The stored report as the parser made it, with its stored findings. ``full=False``: only what the
    checks of another report compare (figures, labels, text), without findings or where cells were printed."""
    agency = agency or await session.get(Agency, row.agency_id)
    assert agency is not None
    report = ParsedReport(
        agency=row.agency_name or agency.name,
        short_name=agency.short_name,
        region=agency.region,
        year=row.year,
        template=row.template,
        published_on=row.published_on,
        title=row.title,
        source_kind=row.source_kind,
        sections=dict(row.sections or {}),
        tables_found=list(row.tables_found or []),
        text=row.text,
    )
    columns = [*_CELL_FIGURES, CellRecord.loc] if full else _CELL_FIGURES
    cells = await session.execute(
        select(*columns).where(CellRecord.report_id == row.id).order_by(CellRecord.id)
    )
    unknown = {"kind": row.source_kind}
    for key, raw, value, unit, table_id, row_label, col_label, extra, *loc in cells:
        cell = Cell(
            key=key.split("#")[0] if extra else key,
            raw=raw,
            value=_number(value),
            unit=unit,
            table=table_id,
            row_label=row_label,
            col_label=col_label,
            loc=Location(**((loc[0] if loc else None) or unknown)),
        )
        if extra:
            report.extra_cells.append(cell)
        else:
            report.cells[key] = cell
    if full:
        stored = await session.execute(
            _FINDING_COLUMNS.where(FindingRecord.report_id == row.id).order_by(FindingRecord.id)
        )
        report.findings = [
            Finding(code, severity, message, list(keys or []), dict(details or {}))
            for code, severity, message, keys, details in stored
        ]
    return report


def _number(value: float | None) -> int | float | None:
    """Figures are stored as floats; whole numbers come back as ints, as the parser made them."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


async def current_report(session: AsyncSession, agency_id: int, year: int | None = None) -> Report | None:
    """The current version of an agency's report for ``year``, or for its latest stored year."""
    query = select(Report).where(Report.agency_id == agency_id, Report.is_current)
    if year is not None:
        query = query.where(Report.year == year)
    return (await session.scalars(query.order_by(Report.year.desc()).limit(1))).first()


async def report_years(session: AsyncSession, agency_id: int) -> list[int]:
    """Years with a current report for the agency, newest first."""
    years = await session.scalars(
        select(Report.year)
        .where(Report.agency_id == agency_id, Report.is_current, Report.year.is_not(None))
        .order_by(Report.year.desc())
    )
    return [y for y in years if y is not None]


async def list_reports(
    sf: async_sessionmaker[AsyncSession],
    offset: int = 0,
    limit: int = 20,
    year: int | None = None,
    *,
    current_only: bool = False,
) -> tuple[list[ReportRow], int]:
    """A page of stored reports (newest year first, then by agency) and the total count."""
    counts = (
        select(
            FindingRecord.report_id,
            func.sum(case((FindingRecord.severity == "error", 1), else_=0)).label("errors"),
            func.sum(case((FindingRecord.severity == "warning", 1), else_=0)).label("warnings"),
        )
        .group_by(FindingRecord.report_id)
        .subquery()
    )
    where = []
    if year is not None:
        where.append(Report.year == year)
    if current_only:
        where.append(Report.is_current)
    async with sf() as session:
        total = await session.scalar(select(func.count(Report.id)).where(*where))
        result = await session.execute(
            select(Report, Agency, counts.c.errors, counts.c.warnings)
            .join(Agency, Agency.id == Report.agency_id)
            .outerjoin(counts, counts.c.report_id == Report.id)
            .where(*where)
            .order_by(Report.year.desc(), Agency.short_name, Report.uploaded_at.desc(), Report.id.desc())
            .offset(offset)
            .limit(limit)
        )
        rows = [
            ReportRow(
                id=r.id,
                agency_id=a.id,
                agency=a.name,
                short_name=a.short_name,
                region=a.region,
                year=r.year,
                template=r.template,
                published_on=r.published_on,
                filename=r.filename,
                uploaded_at=r.uploaded_at,
                is_current=r.is_current,
                errors=int(errors or 0),
                warnings=int(warnings or 0),
            )
            for r, a, errors, warnings in result.all()
        ]
    return rows, int(total or 0)
