"""Reading figures from one stored report: the cells with their sources and open findings, or, when the
table is missing, the figure the prose states (core.prose).

A blank cell of a table the report has counts as 0 and is said to be blank; a figure whose table the report
does not have at all stays None (``missing``) unless its text states it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.qa import queries
from core.qa.queries import AgencyRow, CellRow, FindingRow, ReportRef
from core.qa.wording import plain
from core.templates.catalogue import UNIT_TEXT, cell, cell_name
from core.templates.national import template_for_year
from core.templates.rules import prose_links

if TYPE_CHECKING:
    from core.prose import ProseFact

Origin = Literal["table", "blank", "prose", "missing"]


@dataclass
class Figure:
    zh: str
    en: str
    value: float | int | None
    unit: str | None
    origin: Origin
    sources: list[dict[str, Any]] = field(default_factory=list)
    blank: int = 0  # cells printed blank, counted as 0

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def table_of(keys: Sequence[str]) -> str | None:
    found = cell(keys[0]) if keys else None
    return found.table if found else None


def unit_of(keys: Sequence[str], cell_units: Sequence[str | None] = ()) -> str:
    for u in cell_units:
        if u in ("元", "万元"):
            return u
    found = cell(keys[0]) if keys else None
    return found.unit or "件" if found else "件"


def finding_dicts(rows: Sequence[FindingRow]) -> list[dict[str, str]]:
    return [{"code": f.code, "severity": f.severity, "message": f.message} for f in rows]


def cell_source(
    agency: AgencyRow, report: ReportRef, row: CellRow, open_findings: Sequence[FindingRow]
) -> dict[str, Any]:
    source: dict[str, Any] = {
        "kind": "cell",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
        "table": row.table,
        "row_label": row.row_label or cell_name(row.key),
        "col_label": row.col_label,
        "key": row.key,
        "raw": row.raw,
        "value": plain(row.value),
        "unit": row.unit,
    }
    related = [f for f in open_findings if row.key in f.cells]
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


def finding_source(agency: AgencyRow, report: ReportRef, f: FindingRow) -> dict[str, Any]:
    """A finding as the source of a compliance answer."""
    return {
        "kind": "finding",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "cells": list(f.cells),
    }


def report_source(agency: AgencyRow, report: ReportRef) -> dict[str, Any]:
    """A report as the source of a fact about it (its date, template, tables)."""
    return {
        "kind": "report",
        "agency": agency.short_name,
        "agency_name": agency.name,
        "agency_id": agency.id,
        "year": report.year,
        "report_id": report.id,
    }


def template_of(report: ReportRef) -> str:
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
    """Reads figures from one report; cells, findings and prose facts are fetched once."""

    def __init__(self, session: AsyncSession, agency: AgencyRow, report: ReportRef) -> None:
        self.session = session
        self.agency = agency
        self.report = report
        self._findings: list[FindingRow] | None = None
        self._facts: list[ProseFact] | None = None

    @property
    def version(self) -> str:
        return template_of(self.report)

    async def findings(self) -> list[FindingRow]:
        if self._findings is None:
            self._findings = (await queries.findings(self.session, [self.report.id])).get(self.report.id, [])
        return self._findings

    async def facts(self) -> list[ProseFact]:
        if self._facts is None:
            text = await queries.report_text(self.session, self.report.id)
            from core.prose import extract_prose_facts  # only when a table is missing

            self._facts = extract_prose_facts(text, self.version)
        return self._facts

    async def cells(self, keys: Sequence[str]) -> dict[str, CellRow]:
        found = await queries.cells(self.session, [self.report.id], keys)
        return {k: found[(self.report.id, k)] for k in keys if (self.report.id, k) in found}

    async def figure(self, keys: Sequence[str], zh: str = "", en: str = "") -> Figure:
        """The sum of ``keys`` in this report (blank cells count 0), with its sources."""
        present = await self.cells(keys)
        unit = unit_of(keys, [c.unit for c in present.values()])
        if present:
            numbers = [c.value for c in present.values() if c.value is not None]
            blank = len(present) - len(numbers)
            value = plain(sum(numbers)) if numbers else 0
            open_findings = await self.findings()
            sources = [cell_source(self.agency, self.report, c, open_findings) for c in present.values()]
            return Figure(zh, en, value, unit, "table" if numbers else "blank", sources, blank)
        table = table_of(keys)
        if table and table not in self.report.tables_found:
            fact = prose_value(await self.facts(), keys, self.version)
            if fact is not None:
                source = prose_source(self.agency, self.report, fact, table)
                return Figure(zh, en, plain(fact.value), "件", "prose", [source])
        found = cell(keys[0]) if keys else None
        return Figure(zh, en, None, UNIT_TEXT.get("count") if found is None else found.unit, "missing")
