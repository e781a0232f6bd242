"""How the checks read a cell and name it in a message: printed labels first, template labels otherwise.

Blank cells (value None) and cells the parser did not produce count as 0 in arithmetic; the ``blank``
check lists them so that is never silent.
"""

from __future__ import annotations

from core.model import ParsedReport
from core.templates.rules import row_name, tidy_label
from core.templates.schema import TableId, TemplateDef


def number(report: ParsedReport, key: str) -> int | float:
    value = report.value(key)
    return value if value is not None else 0


def is_blank(report: ParsedReport, key: str) -> bool:
    return report.value(key) is None


def fmt(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 100_000 else str(round(value, 6))


def shown(report: ParsedReport, key: str) -> str:
    """The figure as a message quotes it: the number, or "空白(按0计)"."""
    return "空白(按0计)" if is_blank(report, key) else fmt(number(report, key))


def row_label(report: ParsedReport, template: TemplateDef, key: str) -> str:
    """The printed row label (else the template's), with its merged parent where the label is ambiguous."""
    cell = report.cells.get(key)
    printed = cell.row_label if cell and cell.row_label.strip() else None
    cdef = template.cell(key)
    if cdef is None:
        return tidy_label(printed or key)
    return row_name(cdef.block, cdef.row, printed)


def col_label(report: ParsedReport, template: TemplateDef, key: str) -> str:
    cell = report.cells.get(key)
    if cell and cell.col_label.strip():
        return tidy_label(cell.col_label)
    cdef = template.cell(key)
    return cdef.column.label if cdef else key


def table_of(template: TemplateDef, key: str) -> TableId | None:
    cdef = template.cell(key)
    if cdef is None:
        return None
    return next((t.id for t in template.tables if any(b is cdef.block for b in t.blocks)), None)


def cell_name(report: ParsedReport, template: TemplateDef, key: str) -> str:
    """「row」行「column」列; table 四 is printed as one row whose "rows" here are column groups."""
    row, col = row_label(report, template, key), col_label(report, template, key)
    if table_of(template, key) == "四":
        return f"「{row}·{col}」"
    return f"「{row}」行「{col}」列"


def term_names(report: ParsedReport, template: TemplateDef, keys: tuple[str, ...]) -> dict[str, str]:
    """Short names for the terms of one rule: whatever varies between them (row, column, or both)."""
    defs = {k: template.cell(k) for k in keys}
    rows = {d.row.key for d in defs.values() if d}
    cols = {d.column.key for d in defs.values() if d}
    names = {}
    for k in keys:
        if len(cols) == 1 and len(rows) > 1:
            names[k] = f"「{row_label(report, template, k)}」"
        elif len(rows) == 1 and len(cols) > 1:
            names[k] = f"「{col_label(report, template, k)}」"
        else:
            names[k] = cell_name(report, template, k)
    return names
