"""A prefilled draft of an agency's annual report, as a Word file in the national format of its year.

What is filled in comes from the agency's stored report of the year before, through the cross-year rules
(core.templates.rules, report-format.md §4.3): a cell whose rule reads only last year's figures (表三
上年结转 = last year's 结转下年度继续办理, column by column) is filled with them; a cell whose rule also
needs this year's figures (表二 现行有效件数 = last year's + 本年制发 − 本年废止) stays empty, and a note
under the table gives last year's figure as the starting point. Every other figure cell is empty. Section
五 reminds the writer that last year's problems must be reported on, quoting last year's section 五.

Notes are grey paragraphs starting with :data:`NOTE_MARK`, for the writer to delete; the check before
publishing (core.precheck) says so when one is left in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docx.document import Document
from sqlalchemy.ext.asyncio import AsyncSession

from core.checks.evidence import fmt
from core.deadlines.rules import report_deadline
from core.documents import word
from core.documents.layout import table_layouts
from core.model import ParsedReport
from core.storage.models import Agency
from core.storage.reports import current_report, load_parsed
from core.templates.national import TEMPLATES, template_for_year
from core.templates.rules import CrossYear, row_name, rules_for
from core.templates.schema import TemplateDef

NOTE_MARK = "【填写提示】"
_QUOTE_CHARS = 1500  # last year's section 五 quoted up to this length
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
# What 总体情况 covers (国办公开办函〔2021〕30号, report-format.md §2.1).
_OVERVIEW = "主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障"


@dataclass(frozen=True)
class Carried:
    """A cell filled from last year's report."""

    key: str
    value: float | int
    source: tuple[str, ...]  # last year's keys it adds up


@dataclass(frozen=True)
class StartingPoint:
    """A figure that starts from last year's: the note under its table."""

    key: str
    name: str  # the row, as the note names it
    previous: float | int | None  # None: last year's report has no such figure (another format)
    rule: str


@dataclass
class Draft:
    agency: str
    year: int
    template: TemplateDef
    title: str
    previous: ParsedReport | None = None
    carried: list[Carried] = field(default_factory=list)
    starting_points: list[StartingPoint] = field(default_factory=list)
    deadline: date | None = None

    @property
    def figures(self) -> dict[str, str]:
        return {c.key: fmt(c.value) for c in self.carried}


async def build_draft(session: AsyncSession, agency: Agency, year: int) -> Draft:
    """The draft of ``agency``'s ``year`` report, from its stored report for ``year`` − 1 (if any), with
    the date it must be published by (local deadline rules included)."""
    assert agency.id is not None
    template = template_for_year(year)
    row = await current_report(session, agency.id, year - 1)
    previous = await load_parsed(session, row, agency) if row is not None else None
    draft = Draft(agency.name, year, template, _title(agency.name, year, previous), previous)
    draft.deadline, _ = await report_deadline(session, agency, agency.name, draft.title, year)
    if previous is not None:
        _carry(draft, previous)
    return draft


def _title(agency: str, year: int, previous: ParsedReport | None) -> str:
    """Last year's title with this year in it (the same wording keeps the same deadline tier), else the
    agency's name and the year."""
    if previous and previous.title and previous.year and str(previous.year) in previous.title:
        return _YEAR.sub(
            lambda m: str(year) if m.group(1) == str(previous.year) else m.group(1), previous.title
        )
    return f"{agency}{year}年政府信息公开工作年度报告"


def _carry(draft: Draft, previous: ParsedReport) -> None:
    last = TEMPLATES.get(previous.template or "") or template_for_year(previous.year or draft.year - 1)
    for rule in rules_for(draft.template.version):
        if not isinstance(rule, CrossYear) or len(rule.lhs) != 1 or rule.table not in previous.tables_found:
            continue
        target = rule.lhs[0].key
        from_last = [t for t in rule.rhs if t.previous]
        if len(from_last) == len(rule.rhs):
            values = [previous.value(t.key) for t in from_last]
            if all(last.cell(t.key) for t in from_last) and all(v is not None for v in values):
                total = sum(v * t.sign for v, t in zip(values, from_last, strict=True))  # type: ignore[operator]
                draft.carried.append(Carried(target, total, tuple(t.key for t in from_last)))
        elif len(from_last) == 1:
            cell = draft.template.cell(target)
            assert cell is not None
            known = last.cell(from_last[0].key) is not None
            draft.starting_points.append(
                StartingPoint(
                    target,
                    row_name(cell.block, cell.row),
                    previous.value(from_last[0].key) if known else None,
                    rule.rule,
                )
            )


# ---------------------------------------------------------------- the Word file


def draft_docx(draft: Draft) -> bytes:
    document = word.new_document()
    word.title(document, draft.title)
    layouts = iter(table_layouts(draft.template, draft.figures))
    last = f"{draft.year - 1}年度报告"
    for section in draft.template.sections:
        word.heading(document, f"{section.id}、{section.title}")
        if section.id == "一":
            word.paragraph(document, "（文字描述）")
            word.note(document, f"{NOTE_MARK}总体情况主要包括{_OVERVIEW}等方面的情况。")
        elif section.id in ("二", "三", "四"):
            word.grid_table(document, next(layouts))
            word.paragraph(document, "")
            for text in _table_notes(draft, section.id, last):
                word.note(document, f"{NOTE_MARK}{text}")
        elif section.id == "五":
            word.paragraph(document, "（文字描述）")
            _problems_note(document, draft, last)
        else:
            fees = "，收取信息处理费情况在此处报告" if draft.template.version == "2021" else ""
            word.paragraph(document, f"（文字描述{fees}。）" if fees else "（文字描述）")
    word.paragraph(document, "")
    word.paragraph(document, draft.agency, align_right=True)
    when = (
        f"须于{draft.deadline.year}年{draft.deadline.month}月{draft.deadline.day}日前公布；"
        if draft.deadline
        else ""
    )
    word.note(document, f"{NOTE_MARK}{when}落款日期请填写实际公布的日期。公布前请删除所有灰色的填写提示。")
    return word.docx_bytes(document)


def _table_notes(draft: Draft, table: str, last: str) -> list[str]:
    notes = []
    carried = [c for c in draft.carried if draft.template.cell(c.key) and _table_of(draft, c.key) == table]
    if carried:
        cell = draft.template.cell(carried[0].key)
        assert cell is not None
        source = draft.previous.cells.get(carried[0].source[0]) if draft.previous else None
        row = source.row_label if source and source.row_label else carried[0].source[0]
        notes.append(f"「{row_name(cell.block, cell.row)}」一行已按{last}「{row}」逐列填入，请核对。")
    elif table == "三":
        notes.append(
            f"未找到本单位已入库的{last}，「上年结转」请按上年报告「结转下年度继续办理」一行逐列填写。"
            if draft.previous is None
            else f"{last}未印出「结转下年度继续办理」的数字，「上年结转」请按实际情况填写。"
        )
    for point in (p for p in draft.starting_points if _table_of(draft, p.key) == table):
        cell = draft.template.cell(point.key)
        assert cell is not None
        column = cell.column.label
        if point.previous is None:
            notes.append(f"「{point.name}」的「{column}」：{last}的格式没有这一栏，请按实际清理结果填写。")
        else:
            notes.append(
                f"「{point.name}」的「{column}」：{last}为 {fmt(point.previous)}，"
                f"以此为起点（{point.rule}）。"
            )
    return notes


def _table_of(draft: Draft, key: str) -> str:
    return next(t.id for t in draft.template.tables if any(c.key == key for c in t.cells()))


def _problems_note(document: Document, draft: Draft, last: str) -> None:
    word.note(
        document,
        f"{NOTE_MARK}本节须报告上一年度报告所列问题的改进情况，并如实写明本年度存在的问题，"
        "不得照搬上年内容（内容雷同，国办公开办函〔2021〕30号）。",
    )
    text = (draft.previous.sections.get("五") or "").strip() if draft.previous else ""
    if not text:
        return
    word.note(document, f"{NOTE_MARK}{last}所列问题及改进措施（原文）：")
    if len(text) > _QUOTE_CHARS:
        text = text[:_QUOTE_CHARS] + "……（以下从略，见上年报告）"
    for line in (line.strip() for line in text.split("\n")):
        if line:
            # In quotes: a line starting "一、…" must not read as a section heading of this report.
            word.note(document, f"「{line}」", indent=True)
