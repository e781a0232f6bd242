"""Facts about stored reports rather than their figures: publication date, deadline (core.deadlines: the
agency's tier and the most specific rule), on time or days late, template version, tables, findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.qa import queries
from core.qa.figures import template_of
from core.qa.queries import ReportRef
from core.storage.models import Agency
from core.tiers import TIER_NAMES

TABLES = ("二", "三", "四")


@dataclass(frozen=True)
class ReportFacts:
    report: ReportRef
    published: date | None  # as printed in the report
    deadline: date | None  # None: no rule applies (乡镇/街道 without a local rule)
    tier: str
    errors: int
    warnings: int
    table_errors: int

    @property
    def template(self) -> int:
        return int(template_of(self.report))

    @property
    def on_time(self) -> bool | None:
        if self.deadline is None or self.published is None:
            return None
        return self.published <= self.deadline

    @property
    def days_late(self) -> int | None:
        if self.deadline is None or self.published is None:
            return None
        return max(0, (self.published - self.deadline).days)

    @property
    def missing_tables(self) -> tuple[str, ...]:
        return tuple(t for t in TABLES if t not in self.report.tables_found)

    def tier_name(self, lang: str) -> str:
        return TIER_NAMES.get(self.tier, self.tier) if lang == "zh" else self.tier  # type: ignore[call-overload]


async def report_facts(session: AsyncSession, reports: Sequence[ReportRef]) -> dict[int, ReportFacts]:
    """Facts of ``reports``, read in a few queries whatever their number."""
    if not reports:
        return {}
    # Only publication questions need the deadline rules: a one-shot `nianbao ask` for a figure skips
    # importing them and their tables (50–80 ms).
    from core.deadlines.rules import deadline_for, load_rules
    from core.deadlines.subscriptions import agency_tiers

    ids = list({r.agency_id for r in reports})
    agencies = list((await session.execute(select(Agency).where(Agency.id.in_(ids)))).scalars())  # type: ignore[attr-defined]
    tiers = await agency_tiers(session, agencies)
    by_id = {a.id: a for a in agencies}
    rules = await load_rules(session)
    counts = await queries.finding_counts(session, [r.id for r in reports])
    out = {}
    for r in reports:
        agency = by_id[r.agency_id]
        tier = tiers[r.agency_id]
        c = counts.get(r.id, {})
        out[r.id] = ReportFacts(
            r, r.published_on, deadline_for(agency, tier, r.year, rules), tier,
            c.get("error", 0), c.get("warning", 0), c.get("table", 0),
        )  # fmt: skip
    return out
