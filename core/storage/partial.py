"""A partial report (a photo of table 三 only) completed from the version stored before it.

People photograph a report table by table. Each photo of the same agency and year is stored as a new
version; tables the new one lacks are taken from the current version, so the second photo (table 四)
completes the first (table 三) instead of replacing it, and the merged report is checked as a whole.
"""

from __future__ import annotations

from core.checks.evidence import table_of
from core.model import Finding, ParsedReport
from core.parse import findings as F
from core.templates import TEMPLATES, TemplateDef

MERGED = "structure.merged_tables"


def partial(report: ParsedReport) -> bool:
    """The report lacks a table of its format."""
    return report.template in TEMPLATES and any(
        t.id not in report.tables_found for t in TEMPLATES[report.template].tables
    )


def complete(report: ParsedReport, earlier: ParsedReport, earlier_id: int) -> list[str]:
    """Copy into ``report`` the tables it lacks and ``earlier`` has; the table ids copied."""
    if report.template not in TEMPLATES or earlier.template != report.template:
        return []
    missing = [t.id for t in TEMPLATES[report.template].tables if t.id not in report.tables_found]
    taken = [t for t in missing if t in earlier.tables_found]
    if not taken:
        return []
    for key, cell in earlier.cells.items():
        if cell.table in taken:
            report.cells[key] = cell
    report.extra_cells += [c for c in earlier.extra_cells if c.table in taken]
    report.tables_found = [t.id for t in TEMPLATES[report.template].tables if t.id in {*report.tables_found, *taken}]
    template = TEMPLATES[report.template]
    report.findings = [f for f in report.findings if not _about(f, taken, template)]
    report.findings += [
        f for f in earlier.findings if f.code.startswith(("structure.", "ocr.")) and _about(f, taken, template)
    ]
    names = "、".join(f"表{t}" for t in taken)
    report.findings.append(
        Finding(MERGED, "info", f"本次上传缺少{names}，已沿用此前上传的版本（编号 {earlier_id}）中的{names}合并核对。", [], {"tables": taken, "from": earlier_id})
    )
    report.checked = False  # the tables now check together: the storing runs every check again
    return taken


def _about(finding: Finding, tables: list[str], template: TemplateDef) -> bool:
    """A missing-table, missing-cells or OCR finding about one of ``tables`` (its table, or its cells)."""
    if finding.code in (F.MISSING_TABLE, F.MISSING_CELLS) or finding.code.startswith("ocr."):
        table = finding.details.get("table")
        if table is not None:
            return table in tables
        return bool(finding.cells) and all(table_of(template, k) in tables for k in finding.cells)
    return False
