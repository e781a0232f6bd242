"""Consistency checks (勾稽关系) over a parsed report, each finding with cell-level evidence.

``run_checks`` is pure: it reads the report (and, when given, the same agency's previous-year report and
same-year reports of other agencies) and returns findings; storing them is the caller's job. The parser
owns every ``structure.*`` finding (missing or malformed tables, template mismatch); these checks own
``table2.``/``table3.``/``table4.``, ``prose.``, ``date.``, ``crossyear.``, ``copy.`` and ``blank.``.
Rules come from the template definitions (core.templates.rules), so a new template year needs no change here.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.checks import blank, copies, crossyear, dates, identities, prose, values
from core.checks.render import summarize
from core.model import Finding, ParsedReport
from core.templates.national import TEMPLATES, template_for_year
from core.templates.rules import rules_for
from core.templates.schema import TemplateDef
from core.tiers import Tier

__all__ = ["CONTEXT_AREAS", "context_checks", "report_checks", "run_checks", "summarize"]

# The finding areas of context_checks: they change when another report does.
CONTEXT_AREAS = ("crossyear.", "copy.")


def _template(report: ParsedReport) -> TemplateDef | None:
    if report.template in TEMPLATES:
        return TEMPLATES[report.template]
    return template_for_year(report.year) if report.year else None


def run_checks(
    report: ParsedReport,
    previous: ParsedReport | None = None,
    peers: Sequence[ParsedReport] = (),
    tier_override: Tier | None = None,
) -> list[Finding]:
    """Findings for ``report``; ``previous`` is the same agency's report for year − 1 (ignored otherwise)."""
    return report_checks(report, tier_override) + context_checks(report, previous, peers)


def report_checks(report: ParsedReport, tier_override: Tier | None = None) -> list[Finding]:
    """The checks that read ``report`` alone (and its agency's tier): what ``read_report`` runs."""
    findings: list[Finding] = []
    template = _template(report)
    if template is not None:
        rules = rules_for(template.version)
        findings += identities.check(report, template, rules)
        findings += values.check(report, template, rules, tier_override)
        findings += prose.check(report, template, rules)
        findings += blank.check(report, template)
    return findings + dates.check(report, tier_override)


def context_checks(
    report: ParsedReport, previous: ParsedReport | None, peers: Sequence[ParsedReport]
) -> list[Finding]:
    """The checks that compare ``report`` with other reports (areas ``CONTEXT_AREAS``)."""
    findings: list[Finding] = []
    template = _template(report)
    if template is not None and previous is not None:
        findings += crossyear.check(report, previous, template, rules_for(template.version))
    return findings + copies.check(report, previous, peers)
