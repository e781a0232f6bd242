"""Reports for the checks tests, built straight from figures (no file, no parser)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from builders import DEFAULT_AGENCY, fmt

from core.model import Cell, Location, ParsedReport
from core.templates.national import TEMPLATES
from core.values import parse_value


def report_from_values(
    values: Mapping[str, int | float | str | None],
    template: str = "2021",
    *,
    agency: str = DEFAULT_AGENCY,
    year: int | None = None,
    tables: Iterable[str] = ("二", "三", "四"),
    text: str = "",
    sections: Mapping[str, str] | None = None,
    published_on: date | None = None,
    title: str | None = None,
) -> ParsedReport:
    """A ParsedReport printing ``values`` (numbers or raw strings) in the found ``tables``; keys missing
    from ``values`` are blank cells; derived (unprinted) keys are left out, as a parser reading a file would."""
    tpl = TEMPLATES[template]
    tables = tuple(tables)
    cells = {}
    for t in tpl.tables:
        if t.id not in tables:
            continue
        for c in t.cells():
            if c.derived:
                continue
            raw = fmt(values.get(c.key))
            parsed = parse_value(raw, c.unit)
            cells[c.key] = Cell(c.key, raw, parsed.value, parsed.unit, t.id, c.row.label, c.column.label, Location("text"))
    year = year or (tpl.last_year or tpl.first_year)
    return ParsedReport(
        agency=agency,
        short_name=None,
        region=None,
        year=year,
        template=template,  # type: ignore[arg-type]
        published_on=published_on,
        title=title or f"{agency}{year}年政府信息公开工作年度报告",
        source_kind="text",
        sections=dict(sections or {}),
        cells=cells,
        tables_found=list(tables),
        text=text,
    )

