"""Which deadlines each subscription tracks, read from the database in one go.

A subscription tracks every report year whose deadline ends after the moment it was made; the first is
the one due next. Its tier is the one chosen at subscription time, else the agency's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.deadlines.models import Subscription
from core.deadlines.rules import Rule, applicable_rule, load_rules
from core.deadlines.schedule import Timing, candidate_years
from core.deadlines.subscriptions import agency_tiers, subscriptions
from core.storage.models import Agency, Report


@dataclass(frozen=True)
class Occurrence:
    subscription: Subscription
    agency: Agency
    tier: str
    report_year: int
    deadline: date
    rule: Rule


@dataclass(frozen=True)
class Submission:
    """The current report of an agency for a year, and the day it counts as published."""

    report_id: int
    on: date


@dataclass
class Snapshot:
    subscriptions: list[tuple[Subscription, Agency]]
    tiers: dict[int, str]  # agency id → the agency's own tier
    rules: list[Rule]
    submitted: dict[tuple[int, int], Submission]  # (agency id, report year)

    def tier_of(self, sub: Subscription) -> str:
        return sub.tier or self.tiers[sub.agency_id]

    def occurrences(
        self, sub: Subscription, agency: Agency, timing: Timing, until: datetime
    ) -> Iterator[Occurrence]:
        """The report years ``sub`` tracks whose reminders can have started by ``until``, oldest first."""
        tier = self.tier_of(sub)
        for year in candidate_years(sub.created_at, until, timing):
            rule = applicable_rule(agency, tier, year, self.rules)
            if rule is None:
                continue
            deadline = rule.on(year)
            if timing.deadline_end(deadline) > sub.created_at:
                yield Occurrence(sub, agency, tier, year, deadline, rule)


async def submissions(
    session: AsyncSession, timing: Timing, agency_ids: list[int] | None = None
) -> dict[tuple[int, int], Submission]:
    """Current reports by (agency, year); published on the printed date, else the upload day."""
    query = select(Report.id, Report.agency_id, Report.year, Report.published_on, Report.uploaded_at).where(
        Report.is_current,
        Report.year.is_not(None),  # type: ignore[union-attr]
    )
    if agency_ids is not None:
        query = query.where(Report.agency_id.in_(agency_ids))  # type: ignore[attr-defined]
    found: dict[tuple[int, int], Submission] = {}
    for report_id, agency_id, year, published_on, uploaded_at in await session.execute(query):
        on = published_on or timing.today(_aware(uploaded_at))
        key = (agency_id, year)
        if key not in found or on < found[key].on:
            found[key] = Submission(report_id, on)
    return found


def _aware(moment: datetime) -> datetime:
    # Storage documents naive UTC for its own timestamps.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def load_snapshot(session: AsyncSession, timing: Timing, chat_id: int | None = None) -> Snapshot:
    subs = await subscriptions(session, chat_id)
    agencies = {a.id: a for _, a in subs}
    ids = list(agencies)
    return Snapshot(
        subscriptions=subs,
        tiers=await agency_tiers(session, agencies.values()),  # type: ignore[arg-type]
        rules=await load_rules(session),
        submitted=await submissions(session, timing, ids),  # type: ignore[arg-type]
    )
