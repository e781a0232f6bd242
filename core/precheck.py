"""The check before publishing: a report (typically a filled-in draft) checked as storing it would check
it, compared with the agency's stored report of the year before, and nothing stored or counted as
published.

Beyond the checks a stored report gets (core.storage.rechecks.checked_findings: its own rules, last year's
carry-over, copies of last year's or a peer's tables), a draft is told what would go wrong at publication:
the agency printed differently or classified in another deadline tier than last year, a problems section
(五) copied from last year's, writing notes of the draft left in, and the deadline — already passed today,
or how many days are left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.checks.copies import NARRATIVE_THRESHOLD, section_similarity
from core.deadlines.rules import report_deadline
from core.limits import read_report_bounded
from core.model import Finding, ParsedReport
from core.storage.ingest import (
    IngestResult,
    duplicate_of,
    parse_bytes,
    sha256_of,
    store_report,
    stored_agency,
)
from core.storage.models import Agency, Report
from core.storage.rechecks import Context, checked_findings, neighbours, table_digests
from core.storage.reports import load_parsed
from core.tiers import TIER_NAMES, Tier, classify

PROBLEMS = "五"
_PROBLEMS_MIN_CHARS = 60  # a one-line "无" is legitimately the same every year


@dataclass
class Precheck:
    report: ParsedReport  # its findings: every check, with last year's report and the peers
    agency: Agency | None  # the stored agency it belongs to; None for an agency not stored yet
    previous: ParsedReport | None  # the agency's stored report of the year before
    deadline: date | None


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


async def precheck(sf: async_sessionmaker[AsyncSession], report: ParsedReport, today: date) -> Precheck:
    """``report`` checked against what is stored, without writing anything."""
    async with sf() as session:
        agency, _ = await stored_agency(session, report)
        if agency is None or report.year is None:
            report.findings += _unknown(report)
            return Precheck(report, agency, None, None)
        assert agency.id is not None
        # The row it would be stored as, never added to the session: the storing path's lookups and
        # checks read it as they would read a new upload.
        row = Report(
            agency_id=agency.id,
            year=report.year,
            sha256="",
            filename="",
            source_kind="",
            **table_digests(report),
        )
        own, peers = await neighbours(session, row, [report.year - 1])
        last = own[0] if own else None
        report.findings = await checked_findings(session, row, report, Context(last, peers))
        previous = await load_parsed(session, last, agency, full=False) if last else None
        deadline, tier = await report_deadline(session, agency, report.agency, report.title, report.year)
    report.findings += _comparison(report, previous, agency, tier)
    report.findings += _draft_notes(report) + _timing(report, deadline, today)
    return Precheck(report, agency, previous, deadline)


def _unknown(report: ParsedReport) -> list[Finding]:
    if report.year is None:
        why = "未能识别报告的年度"
    else:
        why = f"没有「{report.agency or '（未识别单位）'}」已入库的报告"
    return [
        Finding(
            "precheck.no_previous",
            "info",
            f"{why}，无法与上一年度报告比对（上年结转、内容雷同等）。",
        ),
        *_draft_notes(report),
    ]


def _comparison(
    report: ParsedReport, previous: ParsedReport | None, agency: Agency, tier: Tier
) -> list[Finding]:
    if previous is None:
        return [
            Finding(
                "precheck.no_previous",
                "info",
                f"未找到{agency.name}已入库的{(report.year or 0) - 1}年度报告，未能核对上年结转等跨年度关系。",
            )
        ]
    findings = []
    name, last_name = " ".join((report.agency or "").split()), " ".join((previous.agency or "").split())
    if name and last_name and name != last_name:
        findings.append(
            Finding(
                "precheck.agency_name",
                "info",
                f"发布机关名称与{previous.year}年度报告不同：上年为「{last_name}」，本年为「{name}」。"
                "如机构未调整，请统一名称。",
                details={"previous": last_name, "this": name},
            )
        )
    override: Tier | None = agency.tier_override  # type: ignore[assignment]
    last_tier = classify(previous.agency, previous.title, override)
    if last_tier != tier:
        findings.append(
            Finding(
                "precheck.tier",
                "warning",
                f"按标题和发布机关，本报告属于「{TIER_NAMES[tier]}」，而{previous.year}年度报告属于"
                f"「{TIER_NAMES[last_tier]}」，公布期限随之不同。请核对报告标题（如「××区政府信息公开工作年度报告」"
                "为本级政府报告）和发布机关。",
                details={"tier": tier, "previous_tier": last_tier},
            )
        )
    similarity = section_similarity(report, previous, PROBLEMS, _PROBLEMS_MIN_CHARS)
    if similarity is not None and similarity >= NARRATIVE_THRESHOLD:
        findings.append(
            Finding(
                "precheck.problems_copied",
                "warning",
                f"第五部分「存在的主要问题及改进情况」与{previous.year}年度报告的相似度为 {similarity:.0f}%，"
                "基本照搬上年内容（内容雷同）。请写明上年所列问题的改进情况和本年度的问题。",
                details={"similarity": round(similarity, 1), "previous_year": previous.year},
            )
        )
    return findings


def _draft_notes(report: ParsedReport) -> list[Finding]:
    from core.documents.draft import NOTE_MARK  # python-docx: not loaded by every upload's import

    text = report.text or "\n".join(report.sections.values())
    count = text.count(NOTE_MARK)
    if not count:
        return []
    return [
        Finding(
            "precheck.draft_notes",
            "warning",
            f"报告中还留有 {count} 处草稿的「{NOTE_MARK}」，公布前请删除。",
            details={"count": count},
        )
    ]


def _timing(report: ParsedReport, deadline: date | None, today: date) -> list[Finding]:
    if deadline is None:
        return []
    if today > deadline:
        return [
            Finding(
                "precheck.late",
                "warning",
                f"{report.year}年度报告的公布期限是{_cn(deadline)}，今天（{_cn(today)}）公布已逾期 "
                f"{(today - deadline).days} 天。落款日期应为实际公布日期。",
                details={"deadline": deadline.isoformat(), "days_late": (today - deadline).days},
            )
        ]
    return [
        Finding(
            "precheck.deadline",
            "info",
            f"{report.year}年度报告须于{_cn(deadline)}前公布，还有 {(deadline - today).days} 天。",
            details={"deadline": deadline.isoformat(), "days_left": (deadline - today).days},
        )
    ]


@dataclass(frozen=True)
class Unpublished:
    """A report whose publication deadline has not passed: it may be a draft being checked rather than the
    published report, so the uploader is asked before it is stored (and counted as published)."""

    report: ParsedReport
    deadline: date
    digest: str


async def open_deadline(sf: async_sessionmaker[AsyncSession], report: ParsedReport, today: date) -> date | None:
    """The report's publication deadline when it is still ahead of ``today`` (its season is open)."""
    if report.year is None:
        return None
    async with sf() as session:
        agency, name = await stored_agency(session, report)
        # A new agency's deadline comes from its name's tier and the rules for its region, as it will once stored.
        agency = agency or Agency(name=name, short_name=report.short_name or name, region=report.region)
        deadline, _ = await report_deadline(session, agency, report.agency, report.title, report.year)
    return deadline if deadline is not None and today <= deadline else None


async def store_or_ask(
    sf: async_sessionmaker[AsyncSession],
    data: bytes,
    filename: str,
    today: date,
    *,
    uploaded_by: int | None = None,
    chat_id: int | None = None,
) -> IngestResult | Unpublished:
    """An uploaded file stored as :func:`core.storage.ingest.ingest_bytes` stores it — unless it is a
    report of a season still open, which comes back :class:`Unpublished` for the uploader to choose."""
    digest = sha256_of(data)
    if duplicate := await duplicate_of(sf, digest, filename):
        return duplicate
    parsed = await parse_bytes(data, filename, digest)
    if isinstance(parsed, IngestResult):
        return parsed
    if deadline := await open_deadline(sf, parsed, today):
        return Unpublished(parsed, deadline, digest)
    return await store_report(sf, parsed, sha256=digest, filename=filename, uploaded_by=uploaded_by, chat_id=chat_id)


async def check_file(
    sf: async_sessionmaker[AsyncSession], data: bytes, filename: str, today: date
) -> Precheck:
    """Read a file (in a bounded worker, as uploads are) and :func:`precheck` it. Raises ReportError with a
    one-line reason when the file cannot be read as a report."""
    return await precheck(sf, await read_report_bounded(data, filename), today)
