"""One file in, one checked report out: extract → parse → single-report checks.

Storage adds the checks that need other reports (previous year, same-year peers) when it ingests.
"""

from __future__ import annotations

from core.model import ParsedReport


def read_report(data: bytes, filename: str) -> ParsedReport:
    """Raises :class:`core.model.ReportError` with a one-line Chinese message when the file is unusable."""
    from core.checks import report_checks
    from core.extract import extract
    from core.parse import parse_document

    report = parse_document(extract(data, filename))
    report.findings.extend(report_checks(report))
    report.checked = True
    return report
