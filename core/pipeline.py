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
    if any(c.loc.kind in ("scan", "photo") for c in report.cells.values()):
        from core.extract.ocr.review import review

        review(report)  # the identities as a second reader of figures read from pixels
    report.findings.extend(report_checks(report))
    report.checked = True
    return report
