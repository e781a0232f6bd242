"""The 勾稽 identities as a second reader of figures the recogniser read from pixels.

A figure read by OCR that breaks every identity it takes part in (at least two: its row's total and its
column's), where one of the recogniser's own other readings of that cell satisfies all of them, was
misread: the report keeps that reading and says so in an ``ocr.corrected`` finding with both readings.
Only the recogniser's readings are candidates, so a figure the agency really printed wrong stays wrong
(its own readings do not add up either) and is reported by the checks as usual.

Cells still read with little confidence are listed in one ``ocr.low_confidence`` finding, so the user
can look at them and correct them from the chat (core.storage.corrections).
"""

from __future__ import annotations

from core.checks.evidence import cell_name
from core.model import Cell, Finding, ParsedReport
from core.templates import TEMPLATES, TemplateDef
from core.templates.rules import Identity, rules_for
from core.values import parse_value

CORRECTED = "ocr.corrected"
LOW_CONFIDENCE = "ocr.low_confidence"
OCR_KINDS = ("scan", "photo")
LOW = 0.8  # a cell whose least certain character is below this is listed for checking
_EPS = 1e-6
_PASSES = 3  # a correction can complete the identities another cell needs


def review(report: ParsedReport) -> None:
    """Correct misread figures the identities single out, and list doubtful ones (in place)."""
    if report.template not in TEMPLATES or not any(c.loc.kind in OCR_KINDS for c in report.cells.values()):
        return
    template = TEMPLATES[report.template]
    rules = [r for r in rules_for(report.template) if isinstance(r, Identity) and r.table in report.tables_found]
    by_key: dict[str, list[Identity]] = {}
    for rule in rules:
        if all(k in report.cells for k in (*rule.lhs, *rule.rhs)):
            for key in (*rule.lhs, *rule.rhs):
                by_key.setdefault(key, []).append(rule)
    corrected: list[Finding] = []
    for _ in range(_PASSES):
        found = [f for key, mine in by_key.items() if (f := _correct(report, key, mine, template)) is not None]
        if not found:
            break
        corrected += found
    report.findings.extend(corrected)
    fixed = {k for f in corrected for k in f.cells}
    doubtful = [
        c
        for k, c in report.cells.items()
        if c.loc.kind in OCR_KINDS and c.loc.confidence is not None and c.loc.confidence < LOW and k not in fixed
    ]
    if doubtful:
        report.findings.append(low_confidence(report, doubtful))


def _holds(report: ParsedReport, rule: Identity, key: str, value: float) -> bool:
    def v(k: str) -> float:
        if k == key:
            return value
        x = report.value(k)
        return float(x) if x is not None else 0.0

    return abs(sum(v(k) for k in rule.lhs) - sum(v(k) for k in rule.rhs)) <= _EPS


def _correct(report: ParsedReport, key: str, rules: list[Identity], template: TemplateDef) -> Finding | None:
    cell = report.cells[key]
    if cell.loc.kind not in OCR_KINDS or not cell.loc.readings or len(rules) < 2:
        return None
    current = float(cell.value) if cell.value is not None else 0.0
    if any(_holds(report, r, key, current) for r in rules):
        return None  # not every identity of this cell is broken: the fault is elsewhere, if anywhere
    for reading in cell.loc.readings:
        parsed = parse_value(reading)
        value = parsed.value if parsed.kind == "number" else (None if parsed.kind in ("blank", "placeholder") else False)
        if value is False:
            continue
        if all(_holds(report, r, key, float(value or 0)) for r in rules):
            return _apply(report, cell, reading, value, rules, template)
    return None


def _apply(
    report: ParsedReport, cell: Cell, reading: str, value: float | int | None, rules: list[Identity], template: TemplateDef
) -> Finding:
    read = cell.raw
    name = cell_name(report, template, cell.key)
    shown_read = read or "空白"
    shown_new = reading or "空白"
    cell.loc.readings = [read, *(r for r in cell.loc.readings or [] if r not in (read, reading))]
    cell.raw = reading
    cell.value = value
    cell.unit = "件" if value is not None else None
    scopes = "、".join(f"{r.scope}（{r.rule}）" for r in rules)
    return Finding(
        CORRECTED,
        "info",
        f"表{cell.table}{name}识别为 {shown_read}，与它所在的{len(rules)}条勾稽关系都不符；识别时的另一读法 "
        f"{shown_new} 使这些关系全部成立，已采用 {shown_new}（原识别为 {shown_read}），请对照原件核对：{scopes}。",
        [cell.key],
        {"read": read, "corrected": reading, "rules": [r.code for r in rules]},
    )


def low_confidence(report: ParsedReport, cells: list[Cell]) -> Finding:
    """The one ``ocr.low_confidence`` finding listing ``cells`` (also rebuilt after a user's correction)."""
    template = TEMPLATES.get(report.template or "")
    names = [
        f"表{c.table}{cell_name(report, template, c.key) if template else c.key}（识别为 {c.raw or '空白'}）" for c in cells
    ]
    shown = "；".join(names[:8]) + (f" 等{len(names)}格" if len(names) > 8 else "")
    return Finding(
        LOW_CONFIDENCE,
        "warning",
        f"有{len(cells)}个单元格识别把握不大，请对照原件核对：{shown}。如有误，可直接回复更正，例如“表三 予以公开 总计 = 23”。",
        [c.key for c in cells],
        {"confidence": {c.key: c.loc.confidence for c in cells}},
    )
