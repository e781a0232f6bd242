"""A report's tables as a person reads them: plain fixed-width text, CJK characters two columns wide.

Rows and columns come from the template definition (labels, merged group labels such as （三）不予公开,
table 二 as one grid per 第二十条 item); the figures are the raw text as printed. The output is plain text,
for a terminal (``nianbao show``) or a Telegram ``<pre>`` block (``compact=True`` keeps it narrow).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from wcwidth import wcswidth

from core.model import Cell, ParsedReport
from core.templates import TEMPLATES
from core.templates.national import template_for_year
from core.templates.schema import BlockDef, RowDef, TableDef, TableId, TemplateDef
from core.textnorm import clean

_NOTE = re.compile(r"（[^）]{6,}）$")  # 部分公开（区分处理的，只计这一情形，不计其他情形）
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")
_NUMERIC = re.compile(r"[-+]?[\d,]+(?:\.\d+)?%?")
_LABEL_WIDTH = {False: 60, True: 16}  # widest row label, in display columns
_VALUE_WIDTH = {False: 40, True: 10}  # widest column header


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace font: CJK characters take two."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def pad(text: str, columns: int, *, right: bool = False) -> str:
    fill = " " * max(columns - display_width(text), 0)
    return fill + text if right else text + fill


def truncate(text: str, columns: int) -> str:
    """Cut ``text`` to ``columns`` display columns, marking the cut with …."""
    if display_width(text) <= columns:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


def text_table(
    rows: Sequence[Sequence[str]], header: Sequence[str] | None = None, *, gap: int = 2, figures: bool = False
) -> str:
    """Rows of text as aligned columns: the first column left-aligned, numbers right-aligned.

    ``figures=True`` right-aligns every column after the first (cells such as "8批次" or "减95" too).
    """
    everything = [list(header)] if header else []
    everything += [list(r) for r in rows]
    ncols = max((len(r) for r in everything), default=0)
    widths = [max((display_width(r[i]) for r in everything if i < len(r)), default=0) for i in range(ncols)]
    sep = " " * gap
    lines = []
    for n, row in enumerate(everything):
        is_header = header is not None and n == 0
        cells = [
            pad(v, widths[i], right=i > 0 and (figures or is_header or bool(_NUMERIC.fullmatch(v))))
            for i, v in enumerate(row)
        ]
        lines.append(sep.join(cells).rstrip())
        if is_header:
            lines.append(sep.join("-" * w for w in widths))
    return "\n".join(lines)


def template_of(report: ParsedReport) -> TemplateDef:
    if report.template in TEMPLATES:
        return TEMPLATES[report.template]
    return template_for_year(report.year or TEMPLATES["2021"].first_year)


def _raw(cell: Cell | None) -> str:
    return clean(cell.raw) if cell else ""


def _short(label: str, aliases: Sequence[str], width: int) -> str:
    """The printed label when it fits, else the shortest alias that does (numbering kept), else cut."""
    label = _NOTE.sub("", clean(label))
    if display_width(label) <= width:
        return label
    number = m.group() if (m := _NUMBERING.match(label)) else ""
    fitting = [number + clean(a) for a in aliases if display_width(number + clean(a)) <= width]
    return min(fitting, key=display_width) if fitting else truncate(label, width)


def _row_label(row: RowDef, compact: bool) -> str:
    if compact:
        return _short(row.label, row.aliases, _LABEL_WIDTH[True])
    return truncate(clean(row.label), _LABEL_WIDTH[False])


def _block_rows(report: ParsedReport, block: BlockDef, compact: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    shown_groups: set[str] = set()
    for row in block.rows:
        if (
            row.sum_of
        ):  # a total the template derives (2021 （六）其他处理); the printed table has no such row
            continue
        indent = ""
        if row.group:
            # Sub-groups are numbered （三）…; they sit under 三、本年度办理结果.
            depth = 1 if row.group.startswith("（") else 0
            if row.group not in shown_groups:
                shown_groups.add(row.group)
                rows.append(["  " * depth + _short(row.group, (), _LABEL_WIDTH[compact])])
            indent = "  " * (depth + 1)
        values = [_raw(report.cells.get(block.key_for(row, col))) for col in block.columns]
        rows.append([indent + _row_label(row, compact), *values])
    return rows


def _header(block: BlockDef, compact: bool) -> list[str]:
    return ["", *(_short(c.label, c.aliases, _VALUE_WIDTH[compact]) for c in block.columns)]


def _extra_lines(cells: Iterable[Cell]) -> list[str]:
    lines = []
    for cell in cells:
        where = " / ".join(p for p in (clean(cell.row_label), clean(cell.col_label)) if p)
        lines.append(f"  {where or cell.key}：{_raw(cell) or '（空白）'}")
    return lines


def render_table(report: ParsedReport, table: TableDef, *, compact: bool = False) -> str:
    title = f"表{table.id} {table.title}"
    if table.id not in report.tables_found and not any(
        k in report.cells for k in (c.key for c in table.cells())
    ):
        return f"{title}\n（报告中没有此表）"
    parts = [title]
    for block in table.blocks:
        if len(table.blocks) > 1:
            parts.append(f"【{clean(block.label)}】")
        parts.append(text_table(_block_rows(report, block, compact), _header(block, compact), figures=True))
    extra = [c for c in report.extra_cells if c.table == table.id]
    if extra:
        parts.append("模板外的单元格：")
        parts.extend(_extra_lines(extra))
    return "\n".join(parts)


def render_tables(
    report: ParsedReport, *, tables: Sequence[TableId] | None = None, compact: bool = False
) -> str:
    """Tables 二, 三 and 四 (or those asked for), separated by a blank line."""
    template = template_of(report)
    chosen = [t for t in template.tables if tables is None or t.id in tables]
    return "\n\n".join(render_table(report, t, compact=compact) for t in chosen)
