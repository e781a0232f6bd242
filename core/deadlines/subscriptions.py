"""Subscribing chats to agencies, snoozing, and each agency's tier (core.tiers decides; users may choose)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.deadlines.models import Snooze, Subscription
from core.deadlines.schedule import parse_offsets, to_db
from core.model import ReportError
from core.storage.db import write_session
from core.storage.models import Agency, Report
from core.tiers import TIERS, Tier, classify

SNOOZE_DAYS = (1, 3)


async def agency_tiers(session: AsyncSession, agencies: Iterable[Agency]) -> dict[int, Tier]:
    """Each agency's tier from its override, its name and the title of its latest report."""
    agencies = list(agencies)
    ids = [a.id for a in agencies]
    rows = await session.execute(
        select(Report.agency_id, Report.title)
        .where(Report.agency_id.in_(ids), Report.is_current)  # type: ignore[attr-defined]
        .order_by(Report.year.desc(), Report.uploaded_at.desc())  # type: ignore[union-attr]
    )
    titles: dict[int, str | None] = {}
    for agency_id, title in rows:
        titles.setdefault(agency_id, title)
    return {
        a.id: classify(a.name, titles.get(a.id), a.tier_override)  # type: ignore[arg-type, misc]
        for a in agencies
    }


def check_tier(tier: str | None) -> Tier | None:
    if tier is not None and tier not in TIERS:
        raise ReportError(f"未知层级：{tier}（可选 department / government / township）")
    return tier  # type: ignore[return-value]


async def subscribe(
    sf: async_sessionmaker[AsyncSession],
    chat_id: int,
    agency_id: int,
    now: datetime,
    *,
    tier: str | None = None,
    offsets: Sequence[int] | None = None,
    working_days: bool = False,
    created_by: int | None = None,
) -> tuple[Subscription, bool]:
    """Subscribe (or update) ``chat_id`` to ``agency``; True when the subscription is new or renewed.

    A renewed subscription starts tracking from ``now``, like a new one: deadlines that ended while it was
    cancelled are not reminded of.
    """
    check_tier(tier)
    chosen = parse_offsets(offsets)
    async with write_session(sf) as session:
        sub = (
            await session.execute(
                select(Subscription).where(
                    Subscription.chat_id == chat_id, Subscription.agency_id == agency_id
                )
            )
        ).scalar_one_or_none()
        fresh = sub is None or not sub.active
        if sub is None:
            sub = Subscription(chat_id=chat_id, agency_id=agency_id, created_at=to_db(now))
            session.add(sub)
        elif not sub.active:
            sub.active, sub.created_at = True, to_db(now)
        sub.tier, sub.offsets, sub.working_days = tier, chosen, working_days
        sub.created_by = created_by if fresh else sub.created_by
    return sub, fresh


async def unsubscribe(sf: async_sessionmaker[AsyncSession], chat_id: int, agency_id: int) -> bool:
    """Deactivate (the ledger keeps its history); False when there was nothing to cancel."""
    async with write_session(sf) as session:
        result = await session.execute(
            update(Subscription)
            .where(Subscription.chat_id == chat_id, Subscription.agency_id == agency_id, Subscription.active)
            .values(active=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def subscriptions(
    session: AsyncSession, chat_id: int | None = None
) -> list[tuple[Subscription, Agency]]:
    """Active subscriptions with their agencies (of one chat, or all), oldest first."""
    query = (
        select(Subscription, Agency)
        .join(Agency, Agency.id == Subscription.agency_id)  # type: ignore[arg-type]
        .where(Subscription.active)
        .order_by(Subscription.id)
    )
    if chat_id is not None:
        query = query.where(Subscription.chat_id == chat_id)
    return [(s, a) for s, a in (await session.execute(query)).all()]


async def snooze(
    sf: async_sessionmaker[AsyncSession],
    chat_id: int,
    subscription_id: int,
    report_year: int,
    days: int,
    now: datetime,
    *,
    created_by: int | None = None,
) -> Snooze:
    """Postpone the reminders of one subscription and report year by ``days``.

    ``chat_id`` is the chat the request came from: only that chat's own active subscription can be
    snoozed, whatever ids a (possibly forged) button carries.
    """
    if days not in SNOOZE_DAYS:
        raise ReportError(f"只能推迟 {' 或 '.join(map(str, SNOOZE_DAYS))} 天")
    async with write_session(sf) as session:
        sub = await session.get(Subscription, subscription_id)
        if sub is None or sub.chat_id != chat_id or not sub.active:
            raise ReportError("找不到本聊天的这项订阅，可能已取消。")
        row = Snooze(
            subscription_id=subscription_id,
            report_year=report_year,
            until=to_db(now + timedelta(days=days)),
            created_at=to_db(now),
            created_by=created_by,
        )
        session.add(row)
    return row
