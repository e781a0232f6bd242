"""Copied reports (内容雷同, 国办公开办函〔2021〕30号): narrative or tables repeated from last year, or tables
identical to another agency's report of the same year.

Narrative similarity is rapidfuzz's normalised Indel ratio over the squashed section texts. Reports of
different agencies in one county and year score 20–45 against each other (the seeds); last year's report
with only the years and a few figures changed scores above 99, one half rewritten about 70. At 90 or more
at most about a tenth of the text is new, which is what 内容雷同 means. Texts under 200 characters are
left out: "无" or a one-line section is legitimately the same every year.

Tables: identical figures are only telling when there are enough of them. A table with fewer than
``_MIN_FIGURES`` non-zero cells (an agency with no or one request, all-zero or blank tables) is left out,
as two such tables are the same by nature rather than by copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from core.model import Finding, ParsedReport
from core.textnorm import squash

NARRATIVE_THRESHOLD = 90.0
_MIN_CHARS = 200
_MIN_FIGURES = 8


def section_similarity(report: ParsedReport, previous: ParsedReport, sid: str, min_chars: int = _MIN_CHARS) -> float | None:
    """How alike one section is in the two reports (0–100), None when either is too short to tell."""
    this, last = squash(report.sections.get(sid, "")), squash(previous.sections.get(sid, ""))
    if len(this) < min_chars or len(last) < min_chars:
        return None
    return fuzz.ratio(this, last)


def _narrative(report: ParsedReport) -> str:
    return squash("".join(report.sections.values()) or report.text)


def _narrative_finding(report: ParsedReport, previous: ParsedReport) -> list[Finding]:
    this, last = _narrative(report), _narrative(previous)
    if len(this) < _MIN_CHARS or len(last) < _MIN_CHARS:
        return []
    score = fuzz.ratio(this, last)
    if score < NARRATIVE_THRESHOLD:
        return []
    same = [
        sid
        for sid in report.sections
        if (section_similarity(report, previous, sid) or 0) >= NARRATIVE_THRESHOLD
    ]
    sections = f"（雷同的部分：{'、'.join(same)}）" if same else ""
    return [
        Finding(
            "copy.narrative_previous_year",
            "warning",
            f"正文与本机关{previous.year}年度报告的相似度为 {score:.0f}%{sections}，"
            f"基本照搬上年内容（内容雷同），请核对是否如实反映{report.year}年度的工作。",
            details={"similarity": round(score, 1), "threshold": NARRATIVE_THRESHOLD, "previous_year": previous.year,
                     "sections": same},
        )
    ]  # fmt: skip


def _figures(report: ParsedReport, table: str) -> dict[str, float | int]:
    """Blank counts as 0 here too: a blank and a 0 cell print the same information."""
    return {k: c.value or 0 for k, c in report.cells.items() if c.table == table}


def _same_tables(report: ParsedReport, other: ParsedReport) -> list[tuple[str, list[str]]]:
    """(table, keys) for each table found in both whose figures are identical and telling.

    Across a template change only the cells both templates define are compared; a non-zero cell that only
    one of them has makes the tables differ.
    """
    same = []
    for table in report.tables_found:
        if table not in other.tables_found:
            continue
        mine, theirs = _figures(report, table), _figures(other, table)
        common = mine.keys() & theirs.keys()
        if any(v for k, v in (*mine.items(), *theirs.items()) if k not in common):
            continue
        if all(mine[k] == theirs[k] for k in common) and sum(1 for k in common if mine[k]) >= _MIN_FIGURES:
            same.append((table, sorted(k for k in common if mine[k])))
    return same


def check(report: ParsedReport, previous: ParsedReport | None, peers: Sequence[ParsedReport]) -> list[Finding]:
    findings = _narrative_finding(report, previous) if previous else []
    if previous:
        for table, keys in _same_tables(report, previous):
            findings.append(
                Finding(
                    "copy.tables_previous_year",
                    "warning",
                    f"表{table}与本机关{previous.year}年度报告的数字完全相同（含 {len(keys)} 个非零数字），疑似照搬上年数据（数据雷同）。",
                    keys,
                    {"previous_year": previous.year, "table": table},
                )
            )
    for peer in peers:
        if peer is report or (peer.agency and peer.agency == report.agency):
            continue
        for table, keys in _same_tables(report, peer):
            who = peer.agency or peer.short_name or "另一机关"
            findings.append(
                Finding(
                    "copy.tables_peer",
                    "warning",
                    f"表{table}与{who}同年度报告的数字完全相同（含 {len(keys)} 个非零数字），疑似套用其他机关的数据。",
                    keys,
                    {"peer": who, "peer_year": peer.year, "table": table},
                )
            )
    return findings
