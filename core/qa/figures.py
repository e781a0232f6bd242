"""Reading a measure from one stored report: the cells with their sources and open findings, or, when the
table is missing, the figure the prose states (core.prose)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.prose import ProseFact, extract_prose_facts
from core.qa import queries
from core.qa.metrics import Item, Measure, metrics
from core.qa.queries import AgencyRow, CellRow, FindingRow, ReportRef
from core.qa.wording import UNIT_TEXT, plain
from core.templates.national import template_for_year
from core.templates.rules import prose_links

Origin = Literal["table", "blank", "prose", "missing"]


@dataclass
class Figure:
    item: Item
    value: float | int | None
    unit: str | None
    origin: Origin
    sources: list[dict[str, Any]] = field(default_factory=list)


def table_of(keys: Sequence[str]) -> str | None:
    m = metrics().get(keys[0]) if keys else None
    return m.table if m else None


def unit_of(keys: Sequence[str], cell_units: Sequence[str | None] = ()) -> str:
    for u in cell_units:
        if u in ("元", "万元"):
            return u
    m = metrics().get(keys[0]) if keys else None
    return UNIT_TEXT[m.unit] if m else "件"


def finding_dicts(rows: Sequence[FindingRow]) -> list[dict[str, str]]:
    return [{"code": f.code, "severity": f.severity, "message": f.message} for f in rows]


def cell_source(
    agency: AgencyRow, report: ReportRef, cell: CellRow, open_findings: Sequence[FindingRow]
) -> dict[str, Any]:
    m = metrics().get(cell.key)
    source: dict[str, Any] = {
        "kind": "cell",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
        "table": cell.table,
        "row_label": cell.row_label or (m.zh if m else ""),
        "col_label": cell.col_label,
        "key": cell.key,
        "raw": cell.raw,
        "value": plain(cell.value),
        "unit": cell.unit,
    }
    related = [f for f in open_findings if cell.key in f.cells]
    if related:
        source["findings"] = finding_dicts(related)
    return source


def prose_source(agency: AgencyRow, report: ReportRef, fact: ProseFact, table: str | None) -> dict[str, Any]:
    return {
        "kind": "prose",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
        "table": None,
        "missing_table": table,
        "row_label": "",
        "col_label": "",
        "key": fact.key,
        "raw": fact.snippet,
        "value": plain(fact.value),
        "unit": "件",
    }


def _template(report: ReportRef) -> str:
    return report.template or template_for_year(report.year).version


def prose_value(facts: Sequence[ProseFact], keys: Sequence[str], template: str) -> ProseFact | None:
    """The first stated figure that answers exactly these cells (``litigation.total`` answers both
    lawsuit totals together)."""
    composite = {link.key: link.readings[0] for link in prose_links(template).values()}
    wanted = tuple(keys)
    for fact in facts:
        if (fact.key,) == wanted or composite.get(fact.key) == wanted:
            return fact
    return None


class ReportReader:
    """Reads measures from one report; cells, findings and prose facts are fetched once."""

    def __init__(self, session: AsyncSession, agency: AgencyRow, report: ReportRef) -> None:
        self.session = session
        self.agency = agency
        self.report = report
        self._findings: list[FindingRow] | None = None
        self._facts: list[ProseFact] | None = None

    async def findings(self) -> list[FindingRow]:
        if self._findings is None:
            self._findings = (await queries.findings(self.session, [self.report.id])).get(self.report.id, [])
        return self._findings

    async def facts(self) -> list[ProseFact]:
        if self._facts is None:
            text = await queries.report_text(self.session, self.report.id)
            self._facts = extract_prose_facts(text, _template(self.report))
        return self._facts

    async def read(self, measure: Measure) -> list[Figure]:
        found = await queries.cells(self.session, [self.report.id], measure.keys)
        open_findings = await self.findings()
        figures = []
        for item in measure.items:
            present = [found[(self.report.id, k)] for k in item.keys if (self.report.id, k) in found]
            unit = unit_of(item.keys, [c.unit for c in present])
            if present:
                numbers = [c.value for c in present if c.value is not None]
                value = plain(sum(numbers)) if numbers else None
                sources = [cell_source(self.agency, self.report, c, open_findings) for c in present]
                figures.append(Figure(item, value, unit, "table" if numbers else "blank", sources))
                continue
            table = table_of(item.keys)
            if table and table not in self.report.tables_found:
                fact = prose_value(await self.facts(), item.keys, _template(self.report))
                if fact is not None:
                    source = prose_source(self.agency, self.report, fact, table)
                    figures.append(Figure(item, plain(fact.value), "件", "prose", [source]))
                    continue
            figures.append(Figure(item, None, unit, "missing"))
        if measure.combine == "sum" and all(f.origin == "missing" for f in figures):
            # Prose states some sums as one figure ("无行政诉讼" covers both kinds of lawsuit).
            whole = Item(measure.zh, measure.en, measure.keys)
            fact = prose_value(await self.facts(), whole.keys, _template(self.report))
            if fact is not None:
                source = prose_source(self.agency, self.report, fact, table_of(whole.keys))
                return [Figure(whole, plain(fact.value), "件", "prose", [source])]
        return figures
