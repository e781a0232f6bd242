"""Identities across consecutive reports of one agency (report-format.md §4.3 X1–X3).

A rule applies when both reports found its table and both templates define its cells, so X1 holds across
the 2020→2021 template change while X3 (2019 format) and X2 (2021 format) apply within their format only.
"""

from __future__ import annotations

from core.checks.evidence import fmt, number, shown, term_names
from core.model import Finding, ParsedReport
from core.templates.national import TEMPLATES
from core.templates.rules import CrossYear, Rule, Term
from core.templates.schema import TemplateDef

_EPS = 1e-6


def _side(
    terms: tuple[Term, ...], report: ParsedReport, previous: ParsedReport, names: dict[Term, str]
) -> tuple[str, float]:
    parts, total = [], 0.0
    for i, t in enumerate(terms):
        source = previous if t.previous else report
        value = number(source, t.key) * t.sign
        total += value
        sign = "" if i == 0 and t.sign > 0 else (" − " if t.sign < 0 else " + ")
        parts.append(f"{sign}{names[t]} {shown(source, t.key)}")
    text = "".join(parts)
    return (text + f" = {fmt(total)}" if len(terms) > 1 else text), total


def check(report: ParsedReport, previous: ParsedReport, template: TemplateDef, rules: list[Rule]) -> list[Finding]:
    if report.year is None or previous.year != report.year - 1 or previous.template not in TEMPLATES:
        return []
    prev_template = TEMPLATES[previous.template]
    findings = []
    for rule in rules:
        if not isinstance(rule, CrossYear):
            continue
        if rule.table not in report.tables_found or rule.table not in previous.tables_found:
            continue
        terms = (*rule.lhs, *rule.rhs)
        if any(not (prev_template if t.previous else template).cell(t.key) for t in terms):
            continue
        this_names = term_names(report, template, tuple(t.key for t in terms if not t.previous))
        prev_names = term_names(previous, prev_template, tuple(t.key for t in terms if t.previous))
        names = {
            t: (f"{previous.year}年度报告" if t.previous else "本年") + (prev_names if t.previous else this_names)[t.key]
            for t in terms
        }
        left, lhs = _side(rule.lhs, report, previous, names)
        right, rhs = _side(rule.rhs, report, previous, names)
        if abs(lhs - rhs) <= _EPS:
            continue
        verb = "通常应相等" if rule.severity == "warning" else "两者应相等"
        message = (
            f"跨年度核对（表{rule.table}{rule.scope}）：{left}，而{right}，{verb}，相差 {fmt(abs(lhs - rhs))}"
            f"（规则：{rule.rule}）。"
        )
        findings.append(
            Finding(
                rule.code,
                rule.severity,
                message,
                list(dict.fromkeys(t.key for t in terms if not t.previous)),
                {
                    "rule": rule.rule,
                    "scope": rule.scope,
                    "previous_year": previous.year,
                    "this": {t.key: report.value(t.key) for t in terms if not t.previous},
                    "previous": {t.key: previous.value(t.key) for t in terms if t.previous},
                    "actual": lhs,
                    "expected": rhs,
                },
            )
        )
    return findings
