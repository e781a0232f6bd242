"""One agency's reports of two years side by side: every figure both formats define, with the difference
and the change in %, the figures only one format has, the derived rates (core.templates.rates), the
findings of both reports, and the sentences of sections 五 and 六 that are the same in both years.

Which keys exist in which format comes from the template definitions, so a 2020 (2019 format) report
compares with a 2021 one on the figures they share, and says which exist in one format only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Finding, ParsedReport
from core.render.tables import template_of
from core.storage.models import Agency
from core.storage.reports import current_report, load_parsed, report_years
from core.templates.rates import RATES, RateDef, RateValue, compute
from core.templates.rules import row_name
from core.templates.schema import CellDef, TemplateDef
from core.textnorm import squash

COMPARED_SECTIONS = ("五", "六")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_MIN_SENTENCE = 8  # shorter pieces ("无。", "一是") are the same by nature


@dataclass(frozen=True)
class FigureRow:
    key: str
    table: str
    row: str
    column: str
    first: float | int | None
    second: float | int | None

    @property
    def difference(self) -> float | int | None:
        if self.first is None or self.second is None:
            return None
        return self.second - self.first

    @property
    def change_percent(self) -> float | None:
        diff = self.difference
        if diff is None or not self.first:
            return None
        return round(100 * diff / self.first, 1)


@dataclass(frozen=True)
class RateRow:
    rate: RateDef
    first: RateValue
    second: RateValue

    @property
    def points(self) -> float | None:
        """The change in percentage points, when both years define the rate."""
        if self.first.percent is None or self.second.percent is None:
            return None
        return round(self.second.percent - self.first.percent, 1)


@dataclass(frozen=True)
class OneFormatOnly:
    """Figures one report's format has and the other's does not, with that report's values."""

    year: int
    version: str
    rows: list[FigureRow]


@dataclass(frozen=True)
class SameSentence:
    section: str
    text: str  # as the later report prints it
    numbers_differ: bool  # the same sentence except for its figures or years


@dataclass
class Comparison:
    agency: Agency
    first: ParsedReport
    second: ParsedReport
    figures: dict[str, list[FigureRow]] = field(default_factory=dict)  # table id → rows, print order
    one_format_only: list[OneFormatOnly] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)
    same_sentences: list[SameSentence] = field(default_factory=list)

    @property
    def years(self) -> tuple[int, int]:
        assert self.first.year is not None and self.second.year is not None
        return self.first.year, self.second.year

    @property
    def findings(self) -> tuple[list[Finding], list[Finding]]:
        return self.first.findings, self.second.findings


class ComparisonError(LookupError):
    """Why no comparison can be made; one line, in Chinese, for the user."""


async def build_comparison(
    session: AsyncSession, agency: Agency, first: int | None, second: int | None
) -> Comparison:
    """Compare ``agency``'s current reports of ``first`` and ``second`` (default: its last two years)."""
    assert agency.id is not None
    years = await report_years(session, agency.id)
    if first is None or second is None:
        if len(years) < 2:
            raise ComparisonError(
                f"{agency.name} 只有 {len(years)} 个年度的报告，无法对比（已存年度：{_years(years)}）。"
            )
        first, second = years[1], years[0]
    if first == second:
        raise ComparisonError("请给出两个不同的年度，例如 2020 2021。")
    first, second = sorted((first, second))
    reports = []
    for year in (first, second):
        row = await current_report(session, agency.id, year)
        if row is None:
            raise ComparisonError(f"{agency.name} 没有 {year} 年度的报告（已存年度：{_years(years)}）。")
        reports.append(await load_parsed(session, row, agency))
    return compare_reports(agency, *reports)


def _years(years: list[int]) -> str:
    return "、".join(map(str, sorted(years))) or "无"


def compare_reports(agency: Agency, first: ParsedReport, second: ParsedReport) -> Comparison:
    comparison = Comparison(agency, first, second)
    older, newer = template_of(first), template_of(second)
    for table in newer.tables:
        comparison.figures[table.id] = [
            _row(cell, table.id, first, second)
            for cell in table.cells()
            if (theirs := older.cell(cell.key)) and not (cell.derived and theirs.derived)
        ]
    for report, mine, theirs in ((first, older, newer), (second, newer, older)):
        only = [
            _row(
                cell,
                _table_id(mine, cell),
                report if report is first else None,
                report if report is second else None,
            )
            for cell in mine.cells()
            if not theirs.cell(cell.key) and not cell.derived
        ]
        if only:
            assert report.year is not None
            comparison.one_format_only.append(OneFormatOnly(report.year, mine.version, only))
    comparison.rates = [RateRow(r, compute(r, first.values), compute(r, second.values)) for r in RATES]
    comparison.same_sentences = same_sentences(first, second)
    return comparison


def _table_id(template: TemplateDef, cell: CellDef) -> str:
    return next(t.id for t in template.tables if cell.block in t.blocks)


def _row(cell: CellDef, table: str, first: ParsedReport | None, second: ParsedReport | None) -> FigureRow:
    return FigureRow(
        cell.key,
        table,
        row_name(cell.block, cell.row),
        cell.column.label,
        first.value(cell.key) if first else None,
        second.value(cell.key) if second else None,
    )


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(squash(s)) >= _MIN_SENTENCE]


def same_sentences(first: ParsedReport, second: ParsedReport) -> list[SameSentence]:
    """Sentences of sections 五 and 六 printed in both reports: word for word, or with only their numbers
    (years, figures) changed."""
    found = []
    for sid in COMPARED_SECTIONS:
        before = {squash(s) for s in _sentences(first.sections.get(sid, ""))}
        masked = {_DIGITS.sub("#", s) for s in before}
        for sentence in _sentences(second.sections.get(sid, "")):
            key = squash(sentence)
            if key in before:
                found.append(SameSentence(sid, sentence, False))
            elif _DIGITS.search(key) and _DIGITS.sub("#", key) in masked:
                found.append(SameSentence(sid, sentence, True))
    return found


# ---------------------------------------------------------------- shared by the Word and Excel files


def signed(value: float | int | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):+,}" if value else "0"
    return f"{value:+,.2f}"


def percent(value: float | None, unit: str = "%") -> str:
    return "—" if value is None else f"{value:+.1f}{unit}" if value else f"0{unit}"


def rate_text(value: RateValue) -> str:
    return "—" if value.percent is None else f"{value.percent:.1f}%"


def key_figures_chart(comparison: Comparison) -> bytes:
    """The key figures of both years as grouped bars (PNG)."""
    from core.render.charts import grouped_bar_chart, png
    from core.render.summary import KEY_FIGURES

    first, second = comparison.years
    shown = [
        (key, zh)
        for key, zh, _ in KEY_FIGURES
        if key in comparison.first.cells or key in comparison.second.cells
    ]
    series = {
        f"{first}年": [comparison.first.value(k) for k, _ in shown],
        f"{second}年": [comparison.second.value(k) for k, _ in shown],
    }
    title = f"{comparison.agency.short_name} {first}年与{second}年主要数字"
    return png(grouped_bar_chart([zh for _, zh in shown], series, title=title))
