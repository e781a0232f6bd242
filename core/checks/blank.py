"""Blank cells: stored as unknown (null), counted as 0 by the arithmetic checks, and said so here.

One info finding per report lists them: the message groups rows by which columns are blank (a few row
names, then a count), ``cells`` has every key. Cells of a found table that the parser did not produce at
all are listed too, as 未读取到. A cell holding text that is no figure ("1e308", "--5") is unknown as
well, but not blank: a warning quotes what was written there.
"""

from __future__ import annotations

from core.checks.evidence import cell_name, col_label, row_label
from core.model import Finding, ParsedReport
from core.templates.schema import TemplateDef
from core.values import parse_value

_ROWS_NAMED = 3
_UNREADABLE_QUOTED = 5


def _rows_text(names: list[str]) -> str:
    shown = "".join(f"「{n}」" for n in names[:_ROWS_NAMED])
    return shown + (f"等 {len(names)} 行" if len(names) > _ROWS_NAMED else "")


def _unreadable(report: ParsedReport, template: TemplateDef) -> list[str]:
    return [
        cell.key
        for cell in report.cells.values()
        if cell.value is None and template.cell(cell.key) is not None and parse_value(cell.raw).kind == "invalid"
    ]


def _unreadable_finding(report: ParsedReport, template: TemplateDef, keys: list[str]) -> Finding:
    quoted = "；".join(
        f"{cell_name(report, template, k)}填写为「{' '.join(report.cells[k].raw.split())[:30]}」"
        for k in keys[:_UNREADABLE_QUOTED]
    )
    more = f"等 {len(keys)} 处" if len(keys) > _UNREADABLE_QUOTED else ""
    message = f"有 {len(keys)} 个单元格的内容不是可识别的数字，已按未知保存，勾稽核对时按 0 计算：{quoted}{more}。"
    return Finding("blank.unreadable", "warning", message, keys, {"raw": {k: report.cells[k].raw for k in keys}})


def check(report: ParsedReport, template: TemplateDef) -> list[Finding]:
    unreadable = _unreadable(report, template)
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
                empty = [k for k in keys if report.value(k) is None and k not in unreadable]
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
    out = [_unreadable_finding(report, template, unreadable)] if unreadable else []
    if not blank and not missing:
        return out
    counts = f"{len(blank)} 个空白单元格" + (f"、{len(missing)} 个未读取到的单元格" if missing else "")
    message = f"共有 {counts}，勾稽核对时按 0 计算（空白不等于填写了 0，已按未知保存）。" + "。".join(parts) + "。"
    details = {"blank": blank, "missing": missing, "count": len(blank) + len(missing)}
    return [*out, Finding("blank.cells", "info", message, blank + missing, details)]
