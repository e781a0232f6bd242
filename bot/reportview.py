"""A stored report in the chat: the upload summary, its findings with their cells, its tables, its buttons.

Findings messages come from core.checks in Chinese; the frame around them follows the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import Lang
from bot.render import esc, pre
from core.checks.render import headline
from core.model import SEVERITIES, Finding, ParsedReport
from core.qa.wording import tr
from core.render import display_width, render_tables, truncate
from core.render.summary import KEY_FIGURES, TEMPLATE_NAMES, format_number
from core.render.tables import template_of

# Callback data prefixes of the buttons under a report (the report id follows the colon).
FINDINGS, TABLES, UNDO = "fnd", "tbl", "undo"
SUMMARY_PER_SEVERITY = 8  # findings listed per severity in the upload summary; the button shows all

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "error": ("❌ 错误", "❌ Errors"),
    "warning": ("⚠️ 警告", "⚠️ Warnings"),
    "info": ("ℹ️ 提示", "ℹ️ Notes"),
}
_LABEL_COLUMNS = 14  # display width of a row or column label in a cell reference


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A stored (naive UTC) time in the configured timezone, to the minute."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _short(labels: Sequence[str]) -> str:
    """The printed label when it is short, else its shortest alias (本年新收 for 一、本年新收政府信息公开申请数量)."""
    label = labels[0]
    if display_width(label) <= _LABEL_COLUMNS:
        return label
    return truncate(min(labels, key=display_width), _LABEL_COLUMNS)


def cell_reference(report: ParsedReport, key: str) -> str:
    """Where a cell sits and what it says: 表三 本年新收×总计 = 12 (plain text)."""
    cell = report.cells.get(key)
    template = template_of(report)
    definition = template.cell(key)
    if definition is not None:
        place = f"{_short(definition.row.labels)}×{_short(definition.column.labels)}"
        table = next(t.id for t in template.tables if definition.block in t.blocks)
    elif cell is not None:  # a cell outside the template (an extra row or column)
        place = "×".join(truncate(p, _LABEL_COLUMNS) for p in (cell.row_label, cell.col_label) if p) or key
        table = cell.table
    else:
        return key
    shown = (cell.raw or "空白") if cell else "缺失"
    return f"表{table} {place} = {shown}"


def _finding_lines(report: ParsedReport, finding: Finding, n: int, lang: Lang) -> list[str]:
    lines = [f"{n}. {esc(finding.message)} <code>{esc(finding.code)}</code>"]
    if finding.cells:
        refs = "；".join(cell_reference(report, k) for k in finding.cells[:6])
        more = (
            tr(lang, f" 等 {len(finding.cells)} 格", f" … {len(finding.cells)} cells")
            if len(finding.cells) > 6
            else ""
        )
        lines.append(f"   <i>{tr(lang, '单元格', 'Cells')}：{esc(refs)}{more}</i>")
    return lines


def findings_html(report: ParsedReport, lang: Lang, *, limit: int | None = None) -> str:
    """Findings grouped by severity, errors first, each with its cells; ``limit`` per severity."""
    lines = [f"<b>{tr(lang, '检查结果', 'Checks')}</b>：{esc(headline(report.findings))}"]
    for severity in SEVERITIES:
        mine = [f for f in report.findings if f.severity == severity]
        if not mine:
            continue
        zh, en = SEVERITY_LABELS[severity]
        lines.append(f"\n<b>{tr(lang, zh, en)}（{len(mine)}）</b>")
        shown = mine if limit is None else mine[:limit]
        for i, finding in enumerate(shown, 1):
            lines.extend(_finding_lines(report, finding, i, lang))
        if len(shown) < len(mine):
            rest = len(mine) - len(shown)
            lines.append(
                tr(lang, f"……另有 {rest} 条，点“查看全部问题”", f"… {rest} more: tap “All findings”")
            )
    return "\n".join(lines)


def describe_html(report: ParsedReport, lang: Lang) -> str:
    """Agency, year, template, tables found and the key figures."""
    name = esc(report.agency or tr(lang, "（未识别单位）", "(agency not recognised)"))
    if report.short_name and report.short_name != report.agency:
        name += f"（{esc(report.short_name)}）"
    template = TEMPLATE_NAMES.get(report.template or "")
    lines = [
        f"<b>{name}</b>",
        f"{tr(lang, '年度', 'Year')}：{report.year or tr(lang, '未识别', 'unknown')}　"
        f"{tr(lang, '格式', 'Format')}：{esc(tr(lang, *template)) if template else tr(lang, '未识别', 'unknown')}",
        f"{tr(lang, '表格', 'Tables')}：{'、'.join(f'表{t}' for t in report.tables_found) or tr(lang, '无', 'none')}"
        + tr(lang, f"（{len(report.cells)} 个单元格）", f" ({len(report.cells)} cells)"),
    ]
    if report.published_on:
        lines.append(f"{tr(lang, '落款日期', 'Dated')}：{report.published_on.isoformat()}")
    figures = [
        f"{tr(lang, zh, en)} <b>{format_number(report.value(key))}</b>"
        for key, zh, en in KEY_FIGURES
        if key in report.cells
    ]
    if figures:
        lines.append(f"{tr(lang, '主要数字', 'Key figures')}：" + tr(lang, "，", ", ").join(figures))
    return "\n".join(lines)


def summary_html(report: ParsedReport, lang: Lang) -> str:
    return f"{describe_html(report, lang)}\n\n{findings_html(report, lang, limit=SUMMARY_PER_SEVERITY)}"


def tables_html(report: ParsedReport) -> str:
    """Tables 二, 三 and 四 as printed, in <pre> blocks (narrow labels for a phone screen)."""
    return "\n\n".join(pre(block) for block in render_tables(report, compact=True).split("\n\n"))


def report_keyboard(report_id: int, lang: Lang, *, undo: bool = True) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(
            tr(lang, "查看全部问题", "All findings"), callback_data=f"{FINDINGS}:{report_id}"
        ),
        InlineKeyboardButton(tr(lang, "查看表格", "Tables"), callback_data=f"{TABLES}:{report_id}"),
    ]
    if undo:
        row.append(
            InlineKeyboardButton(tr(lang, "撤销上传", "Undo upload"), callback_data=f"{UNDO}:{report_id}")
        )
    return InlineKeyboardMarkup([row])
