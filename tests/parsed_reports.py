"""ParsedReports built from figures, for storage tests that must not depend on the parser."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from builders import consistent_values

from core.model import Cell, Finding, Location, ParsedReport
from core.templates.national import template_for_year
from core.values import parse_value

Raw = int | float | str


def parsed_report(
    agency: str = "舟山市定海区财政局",
    *,
    short_name: str | None = None,
    region: str | None = "浙江省舟山市定海区",
    year: int = 2020,
    values: Mapping[str, Raw] | None = None,
    seed: int = 0,
    published_on: date | None = None,
    findings: list[Finding] | None = None,
    extra: list[Cell] | None = None,
    text: str = "",
) -> ParsedReport:
    """A report of ``year``'s template whose cells print ``values`` (default: consistent random figures).

    A value is printed as given: a string is the raw cell text ("", "/", "增5"), a number its digits.
    """
    template = template_for_year(year)
    printed = dict(values) if values is not None else consistent_values(template.version, seed=seed)
    cells: dict[str, Cell] = {}
    for line, (table, cdef) in enumerate(
        ((t, c) for t in template.tables for c in t.cells() if c.key in printed), start=1
    ):
        raw = printed[cdef.key]
        text_raw = raw if isinstance(raw, str) else str(raw)
        parsed = parse_value(text_raw, cdef.unit)
        cells[cdef.key] = Cell(
            key=cdef.key,
            raw=text_raw,
            value=parsed.value,
            unit=parsed.unit,
            table=table.id,
            row_label=cdef.row.label,
            col_label=cdef.column.label,
            loc=Location("text", line=line),
        )
    return ParsedReport(
        agency=agency,
        short_name=short_name or agency,
        region=region,
        year=year,
        template=template.version,
        published_on=published_on if published_on is not None else date(year + 1, 1, 20),
        title=f"{agency}{year}年政府信息公开工作年度报告",
        source_kind="text",
        sections={"一": f"{year}年，我单位认真贯彻落实《条例》。", "五": "存在的主要问题及改进情况：无。"},
        cells=cells,
        extra_cells=list(extra or []),
        findings=list(findings or []),
        tables_found=[t.id for t in template.tables],
        text=text or f"{year}年，我单位认真贯彻落实《条例》。",
    )
