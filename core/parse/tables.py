"""Find the template's tables among a document's tables.

Each extracted table is scored against tables 二/三/四 by the template labels it prints. Tables that
belong to the same template table are gathered in order: table 二 printed as one table per block, a
table continued on the next PDF page (a headerless remainder right after it), a block title printed as a
paragraph just above its table. Tables that match nothing (an agency's own 栏目 statistics) are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.model import Document, Finding, GridCell, Paragraph, Table
from core.parse import findings as F
from core.parse.grid import PRow, prepare_cell, prepare_rows, value_suffix
from core.parse.labels import CORE, Label, TableLabels, TemplateLabels, best, looks_like_block_title

# Page numbers between the two halves of a table split by a page break ("- 3 -", "第3页 共8页").
_PAGE_FURNITURE = re.compile(r"^[\s\-—–_/第页共Pp.0-9]*$")


@dataclass
class Group:
    """The rows of one template table, gathered from one or more source tables."""

    labels: TableLabels
    rows: list[PRow] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.labels.table.id


def _hits(rows: list[PRow], table: TableLabels) -> tuple[int, int]:
    heads = body = 0
    seen: set[str] = set()
    for row in rows:
        for cell in row.cells:
            if cell.valuelike or cell.text in seen:
                continue
            seen.add(cell.text)
            kinds = table.kinds(cell.label)
            if kinds & {"column", "block", "alias"}:  # 总计 names a column and a row: it counts once
                heads += 1
            elif kinds & {"row", "group"}:
                body += 1
    return heads, body


def classify(rows: list[PRow], template: TemplateLabels) -> TableLabels | None:
    best_table, best_total = None, 0
    for table in template.tables:
        heads, body = _hits(rows, table)
        qualifies = (heads >= 1 and body >= 1) or body >= 3 or heads >= 3
        if qualifies and heads + body > best_total:
            best_table, best_total = table, heads + body
    return best_table


def _block_title(paragraph: Paragraph, template: TemplateLabels) -> bool:
    label = Label.of(paragraph.text)
    if len(label.norm) > 20:
        return False
    blocks = [nb for t in template.tables if len(t.blocks) > 1 for nb in t.named_blocks]
    return bool(best(label, blocks, minimum=CORE)) or looks_like_block_title(label)


def _continues(rows: list[PRow]) -> bool:
    """A headerless table of figures: the rest of the table before it, carried over a page break."""
    figures = sum(1 for r in rows if value_suffix(r) and r.numeric)
    return bool(rows) and figures * 2 >= len(rows)


@dataclass
class Source:
    """An extracted table with its rows prepared, and the paragraph just before it (if any)."""

    table: Table
    rows: list[PRow]
    before: Paragraph | None
    adjacent: bool  # directly after another table, no text in between


def prepare(doc: Document) -> list[Source]:
    out: list[Source] = []
    before: Paragraph | None = None
    adjacent = False
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip() and not _PAGE_FURNITURE.match(block.text):
                before, adjacent = block, False
            continue
        out.append(Source(block, prepare_rows(block, block.index), before, adjacent))
        before, adjacent = None, True
    return out


def gather(sources: list[Source], template: TemplateLabels) -> tuple[dict[str, Group], list[Finding]]:
    groups: dict[str, Group] = {}
    found: list[Finding] = []
    previous_group: Group | None = None
    for source in sources:
        table, rows = source.table, list(source.rows)
        if source.before is not None and _block_title(source.before, template):
            before = source.before
            title = GridCell(before.text.strip(), before.loc, colspan=max((r.width for r in rows), default=1))
            rows.insert(0, PRow([prepare_cell(title, 0)], table.index))
        labels = classify(rows, template)
        if labels is None and previous_group is not None and source.adjacent and _continues(rows):
            labels = previous_group.labels
        if labels is None:
            previous_group = None
            if rows:
                sample = "、".join(dict.fromkeys(c.raw for r in rows[:2] for c in r.cells if c.raw))[:30]
                found.append(
                    F.finding(
                        F.UNKNOWN_TABLE,
                        f"第{table.index + 1}个表格不是年度报告格式中的表格（{sample}…），未读取其中的数据。",
                        table=table.index,
                    )
                )
            continue
        group = groups.setdefault(labels.table.id, Group(labels))
        group.rows.extend(rows)
        group.sources.append(table.index)
        previous_group = group
    for group in groups.values():
        if len(group.sources) > 1:
            found.append(
                F.finding(
                    F.SPLIT_TABLE,
                    f"表{group.id}分成了{len(group.sources)}个表格（第"
                    + "、".join(str(i + 1) for i in group.sources)
                    + "个），已合并读取。",
                    tables=group.sources,
                )
            )
    return groups, found
