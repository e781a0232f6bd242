"""Text vs tables (report-format.md §4.2 R8): figures stated in the prose must match the table cells.

A stated number passes when it equals any reading the rule allows (e.g. 受理N件 may be new requests or
new + carried over); only a number matching none of them is an error.
"""

from __future__ import annotations

from core.checks.evidence import cell_name, fmt, number, shown, term_names
from core.model import Finding, ParsedReport
from core.prose import ProseFact, extract_prose_facts
from core.templates.rules import ProseLink, Rule
from core.templates.schema import TemplateDef


def _where(report: ParsedReport, fact: ProseFact) -> str:
    """Which section of the report the sentence sits in, when the parser split the sections."""
    for sid, text in report.sections.items():
        if fact.snippet and fact.snippet in text:
            return f"正文第{sid}部分"
    return "正文"


def _reading_text(report: ParsedReport, template: TemplateDef, reading: tuple[str, ...]) -> str:
    if len(reading) == 1:
        return f"{cell_name(report, template, reading[0])}为 {shown(report, reading[0])}"
    names = term_names(report, template, reading)
    total = sum(number(report, k) for k in reading)
    return " + ".join(f"{names[k]}{shown(report, k)}" for k in reading) + f" = {fmt(total)}"


def check(report: ParsedReport, template: TemplateDef, rules: list[Rule]) -> list[Finding]:
    links = {r.topic: r for r in rules if isinstance(r, ProseLink)}
    findings = []
    seen: set[tuple[str, float]] = set()
    for fact in extract_prose_facts(report.text or "\n".join(report.sections.values()), template.version):
        link = links.get(fact.topic)
        if link is None or link.table not in report.tables_found or (fact.topic, fact.value) in seen:
            continue
        seen.add((fact.topic, fact.value))
        readings = [sum(number(report, k) for k in reading) for reading in link.readings]
        if any(abs(fact.value - r) < 1e-6 for r in readings):
            continue
        cells = list(dict.fromkeys(k for reading in link.readings for k in reading))
        tables = "；或".join(f"表{link.table}{_reading_text(report, template, reading)}" for reading in link.readings)
        message = (
            f"正文与表格不一致（{link.label}）：{_where(report, fact)}写「{fact.snippet}」，即 {fmt(fact.value)}；"
            f"而{tables}。两处应一致。"
        )
        findings.append(
            Finding(
                link.code,
                "error",
                message,
                cells,
                {
                    "prose": {"value": fact.value, "snippet": fact.snippet, "start": fact.start},
                    "table": {"+".join(reading): value for reading, value in zip(link.readings, readings, strict=True)},
                    "actual": fact.value,
                    "expected": readings[0],
                },
            )
        )
    return findings
