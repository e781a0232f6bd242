"""Blank cells: stored as unknown (null), counted as 0 by the arithmetic checks, and said so here.

One info finding per report lists them: the message groups rows by which columns are blank (a few row
names, then a count), ``cells`` has every key. Cells of a found table that the parser did not produce at
all are listed too, as 未读取到.
"""

from __future__ import annotations

from core.checks.evidence import col_label, row_label
from core.model import Finding, ParsedReport
from core.templates.schema import TemplateDef

_ROWS_NAMED = 3


def _rows_text(names: list[str]) -> str:
    shown = "".join(f"「{n}」" for n in names[:_ROWS_NAMED])
    return shown + (f"等 {len(names)} 行" if len(names) > _ROWS_NAMED else "")


def check(report: ParsedReport, template: TemplateDef) -> list[Finding]:
    blank: list[str] = []
    missing: list[str] = []
    parts: list[str] = []
    for table in template.tables:
        if table.id not in report.tables_found:
            continue
        by_columns: dict[str, list[str]] = {}  # "整行" or the blank columns → row names, in print order
        for block in table.blocks:
            for row in block.rows:
                if row.sum_of:  # not printed in the template
                    continue
                keys = [block.key_for(row, c) for c in block.columns]
                empty = [k for k in keys if report.value(k) is None]
                missing += [k for k in empty if k not in report.cells]
                blank += [k for k in empty if k in report.cells]
                if empty:
                    what = "整行" if len(empty) == len(keys) else "、".join(col_label(report, template, k) for k in empty)
                    by_columns.setdefault(what, []).append(row_label(report, template, keys[0]))
        groups = [
            f"{_rows_text(rows)}整行" if what == "整行" else f"{_rows_text(rows)}的{what}"
            for what, rows in by_columns.items()
        ]
        if groups:
            parts.append(f"表{table.id}：" + "；".join(groups))
    if not blank and not missing:
        return []
    counts = f"{len(blank)} 个空白单元格" + (f"、{len(missing)} 个未读取到的单元格" if missing else "")
    message = f"共有 {counts}，勾稽核对时按 0 计算（空白不等于填写了 0，已按未知保存）。" + "。".join(parts) + "。"
    details = {"blank": blank, "missing": missing, "count": len(blank) + len(missing)}
    return [Finding("blank.cells", "info", message, blank + missing, details)]
