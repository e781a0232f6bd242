"""The reminder sweep: plan what is due at a moment, then claim, send and record each message.

Planning is pure reading. For each subscription and tracked deadline it picks at most one message: the
latest reminder point that has come due and was not sent yet (naming the earlier ones that never went out,
e.g. while the bot was down), or, once a snooze has run out, the postponed reminder. After the deadline a
pending reminder becomes the overdue notice. A current report for the agency and year closes it all.

Sending is at most once. Each message is first *claimed* in its own transaction: a ledger row whose unique
constraint admits one writer (or, for a snoozed reminder, an UPDATE guarded by ``fired_at IS NULL``). Only
the process whose claim succeeded sends. A send that certainly did not reach Telegram (SendError with
retryable=True) releases the claim so a later sweep retries; any other failure keeps it, because the
message may have gone out. For the same reason a process that dies between claiming and sending loses
that one message rather than risking a duplicate.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.deadlines.messages import Overdue, escalation_text, reminder_text
from core.deadlines.models import OVERDUE, EscalationSent, ReminderSent, Snooze
from core.deadlines.occurrences import Occurrence, Snapshot, load_snapshot
from core.deadlines.schedule import Kind, Point, Timing, kind_on, overdue_at, points, to_db
from core.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepConfig:
    timing: Timing
    admin_chats: tuple[int, ...] = ()  # where escalation summaries go

    @classmethod
    def from_settings(cls, settings: Settings) -> SweepConfig:
        chats = (settings.admin_chat_id,) if settings.admin_chat_id is not None else tuple(settings.admin_ids)
        return cls(Timing.from_settings(settings), chats)


@dataclass(frozen=True)
class Outgoing:
    """One message a sweep sends: a reminder to a subscribed chat or an escalation to an admin chat."""

    chat_id: int
    kind: Kind
    report_year: int
    deadline: date
    text: str
    agency: str  # the agency's name; for an escalation, the overdue agencies' names
    agency_id: int | None = None
    subscription_id: int | None = None
    offset: int | None = None  # the ledger offset claimed (None for a snoozed reminder and escalations)
    snooze_id: int | None = None
    missed: tuple[int, ...] = ()
    overdue: tuple[Overdue, ...] = ()  # escalation: agencies reported for the first time
    still_overdue: tuple[Overdue, ...] = ()  # escalation: reported before, still missing

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "chat": self.chat_id,
            "agency": self.agency,
            "deadline": self.deadline.isoformat(),
            "kind": self.kind,
            "report_year": self.report_year,
        }
        if self.kind == "escalation":
            data["agencies"] = [
                {"agency": o.agency, "deadline": o.deadline.isoformat(), "days_overdue": o.days}
                for o in self.overdue
            ]
        else:
            data.update(offset=self.offset, missed=list(self.missed), snoozed=self.snooze_id is not None)
        data["text"] = self.text
        return data


class SendError(Exception):
    """Raised by a send function. ``retryable``: the message certainly was not delivered (flood limit,
    connection refused), so the claim is released and a later sweep tries again."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


Send = Callable[[Outgoing], Awaitable[int | None]]


@dataclass
class SweepResult:
    planned: int = 0
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    retry: list[Outgoing] = field(default_factory=list)  # released: a later sweep sends them
    taken: int = 0  # planned here but claimed first by another process (or an earlier sweep)


# ---------------------------------------------------------------- planning


@dataclass
class _Ledger:
    sent: dict[tuple[int, int], dict[int, ReminderSent]]  # (subscription, year) → offset → row
    snoozes: dict[tuple[int, int], list[Snooze]]  # oldest first
    escalated: set[tuple[int, int, int]]  # (chat, year, agency)


async def _load_ledger(session: AsyncSession, sub_ids: list[int], chats: Iterable[int]) -> _Ledger:
    sent: dict[tuple[int, int], dict[int, ReminderSent]] = defaultdict(dict)
    rows = await session.execute(select(ReminderSent).where(ReminderSent.subscription_id.in_(sub_ids)))  # type: ignore[attr-defined]
    for row in rows.scalars():
        sent[(row.subscription_id, row.report_year)][row.offset_days] = row
    snoozes: dict[tuple[int, int], list[Snooze]] = defaultdict(list)
    rows = await session.execute(
        select(Snooze).where(Snooze.subscription_id.in_(sub_ids)).order_by(Snooze.created_at, Snooze.id)  # type: ignore[attr-defined]
    )
    for s in rows.scalars():
        snoozes[(s.subscription_id, s.report_year)].append(s)
    escalated = {
        (c, y, a)
        for c, y, a in await session.execute(
            select(EscalationSent.chat_id, EscalationSent.report_year, EscalationSent.agency_id).where(
                EscalationSent.chat_id.in_(list(chats)),
                EscalationSent.kind == "overdue",  # type: ignore[attr-defined]
            )
        )
    }
    return _Ledger(sent, snoozes, escalated)


def _reminder(occ: Occurrence, now: datetime, timing: Timing, ledger: _Ledger) -> Outgoing | None:
    """The one message for this subscription and deadline at ``now``, if any."""
    sub = occ.subscription
    due = [
        p
        for p in points(occ.deadline, sub.offsets, sub.working_days, timing)
        if sub.created_at <= p.at <= now
    ]
    if not due:
        return None
    key = (sub.id, occ.report_year)
    sent = ledger.sent.get(key, {})  # type: ignore[call-overload]
    snoozes = ledger.snoozes.get(key, [])  # type: ignore[call-overload]
    last = snoozes[-1] if snoozes else None
    # A snooze is used up by its own postponed reminder or by any reminder claimed after it was made.
    snooze_open = (
        last is not None
        and last.fired_at is None
        and all(r.claimed_at <= last.created_at for r in sent.values())
    )
    if snooze_open and now < last.until:  # type: ignore[union-attr]
        return None
    today = timing.today(now)
    latest = due[-1]
    if latest.offset not in sent and today > occ.deadline:
        latest = Point(latest.at, OVERDUE)  # came due before the deadline passed, but it has passed now
    kind: Kind = "overdue" if latest.offset == OVERDUE else kind_on(today, occ.deadline)
    if latest.offset not in sent:
        last_sent = max((p.at for p in due if p.offset in sent), default=None)
        missed = tuple(
            p.offset
            for p in due
            if p.offset not in sent
            and p.offset not in (latest.offset, OVERDUE)
            and (last_sent is None or p.at > last_sent)
            and not any(s.created_at <= p.at < s.until for s in snoozes)
        )
        return _reminder_outgoing(occ, today, kind, offset=latest.offset, missed=missed)
    if snooze_open:
        return _reminder_outgoing(occ, today, kind_on(today, occ.deadline), snooze=last)
    return None


def _reminder_outgoing(
    occ: Occurrence,
    today: date,
    kind: Kind,
    *,
    offset: int | None = None,
    missed: tuple[int, ...] = (),
    snooze: Snooze | None = None,
) -> Outgoing:
    sub = occ.subscription
    text = reminder_text(
        agency=occ.agency.name,
        report_year=occ.report_year,
        deadline=occ.deadline,
        today=today,
        kind=kind,
        rule=occ.rule,
        tier=occ.tier,
        working_days=sub.working_days,
        missed=missed,
        snoozed=snooze is not None,
    )
    return Outgoing(
        chat_id=sub.chat_id,
        kind=kind,
        report_year=occ.report_year,
        deadline=occ.deadline,
        text=text,
        agency=occ.agency.name,
        agency_id=occ.agency.id,
        subscription_id=sub.id,
        offset=offset,
        snooze_id=snooze.id if snooze else None,
        missed=missed,
    )


def _escalations(
    overdue: dict[tuple[int, int], Overdue], chats: Iterable[int], ledger: _Ledger
) -> list[Outgoing]:
    """Per admin chat and report year, one summary of the agencies not yet reported to that chat."""
    out = []
    years = sorted({y for _, y in overdue})
    for chat in chats:
        for year in years:
            group = sorted(
                (o for (_, y), o in overdue.items() if y == year), key=lambda o: (-o.days, o.agency)
            )
            new = tuple(o for o in group if (chat, year, o.agency_id) not in ledger.escalated)
            if new:
                still = tuple(o for o in group if o not in new)
                out.append(_escalation_outgoing(chat, year, new, still))
    return out


def _escalation_outgoing(
    chat: int, year: int, new: tuple[Overdue, ...], still: tuple[Overdue, ...]
) -> Outgoing:
    return Outgoing(
        chat_id=chat,
        kind="escalation",
        report_year=year,
        deadline=min(o.deadline for o in new),
        text=escalation_text(year, new, still),
        agency="、".join(o.agency for o in new),
        overdue=new,
        still_overdue=still,
    )


def _plan(snapshot: Snapshot, ledger: _Ledger, now: datetime, config: SweepConfig) -> list[Outgoing]:
    timing = config.timing
    today = timing.today(now)
    reminders: list[Outgoing] = []
    overdue: dict[tuple[int, int], Overdue] = {}
    for sub, agency in snapshot.subscriptions:
        for occ in snapshot.occurrences(sub, agency, timing, now):
            if (agency.id, occ.report_year) in snapshot.submitted:
                continue  # the report is in: nothing more to say about this deadline
            message = _reminder(occ, now, timing, ledger)
            if message:
                reminders.append(message)
            if now >= overdue_at(occ.deadline, timing):
                key = (agency.id, occ.report_year)
                entry = Overdue(agency.id, agency.name, occ.tier, occ.deadline, (today - occ.deadline).days)  # type: ignore[arg-type]
                if key not in overdue or entry.deadline < overdue[key].deadline:
                    overdue[key] = entry
    return reminders + _escalations(overdue, config.admin_chats, ledger)


async def plan_sweep(
    session: AsyncSession, now: datetime, config: SweepConfig | None = None
) -> list[Outgoing]:
    """Everything a sweep at ``now`` would send, without sending or recording anything."""
    config = config or SweepConfig.from_settings(get_settings())
    snapshot = await load_snapshot(session, config.timing)
    ledger = await _load_ledger(session, [s.id for s, _ in snapshot.subscriptions], config.admin_chats)  # type: ignore[misc]
    return _plan(snapshot, ledger, now, config)


# ---------------------------------------------------------------- claiming and recording


async def _claim(sf: async_sessionmaker[AsyncSession], out: Outgoing, now: datetime) -> Outgoing | None:
    """Claim ``out`` (or, for an escalation, the agencies nobody else has claimed); None if taken."""
    if out.kind == "escalation":
        won = tuple([o for o in out.overdue if await _claim_escalation(sf, out, o, now)])
        return _escalation_outgoing(out.chat_id, out.report_year, won, out.still_overdue) if won else None
    async with sf() as session:
        if out.snooze_id is not None:
            result = await session.execute(
                update(Snooze)
                .where(Snooze.id == out.snooze_id, Snooze.fired_at.is_(None))  # type: ignore[union-attr]
                .values(fired_at=to_db(now))
            )
            await session.commit()
            return out if result.rowcount == 1 else None  # type: ignore[attr-defined]
        session.add(
            ReminderSent(
                subscription_id=out.subscription_id,  # type: ignore[arg-type]
                report_year=out.report_year,
                offset_days=out.offset,  # type: ignore[arg-type]
                kind=out.kind,
                deadline=out.deadline,
                chat_id=out.chat_id,
                missed=list(out.missed),
                claimed_at=to_db(now),
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return None
    return out


async def _claim_escalation(
    sf: async_sessionmaker[AsyncSession], out: Outgoing, o: Overdue, now: datetime
) -> bool:
    async with sf() as session:
        session.add(
            EscalationSent(
                chat_id=out.chat_id,
                report_year=out.report_year,
                agency_id=o.agency_id,
                deadline=o.deadline,
                claimed_at=to_db(now),
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return False
    return True


def _ledger_rows(out: Outgoing) -> tuple[type[ReminderSent] | type[EscalationSent], Any]:
    if out.kind == "escalation":
        return EscalationSent, (
            (EscalationSent.chat_id == out.chat_id)
            & (EscalationSent.report_year == out.report_year)
            & EscalationSent.agency_id.in_([o.agency_id for o in out.overdue])  # type: ignore[attr-defined]
        )
    return ReminderSent, (
        (ReminderSent.subscription_id == out.subscription_id)
        & (ReminderSent.report_year == out.report_year)
        & (ReminderSent.offset_days == out.offset)
    )


async def _record(
    sf: async_sessionmaker[AsyncSession],
    out: Outgoing,
    now: datetime,
    *,
    message_id: int | None = None,
    error: SendError | Exception | None = None,
) -> None:
    """Write the outcome of a claimed send; a retryable failure gives the claim back."""
    retry = isinstance(error, SendError) and error.retryable
    async with sf() as session:
        if out.snooze_id is not None:
            values = {"fired_at": None} if retry else {"message_id": message_id}
            await session.execute(update(Snooze).where(Snooze.id == out.snooze_id).values(**values))
        else:
            table, where = _ledger_rows(out)
            if retry:
                await session.execute(delete(table).where(where))
            elif error is not None:
                values = {"status": "failed"} | ({"error": str(error)[:500]} if table is ReminderSent else {})
                await session.execute(update(table).where(where).values(**values))
            else:
                await session.execute(
                    update(table)
                    .where(where)
                    .values(status="sent", sent_at=to_db(now), message_id=message_id)
                )
        await session.commit()


async def run_sweep(
    sf: async_sessionmaker[AsyncSession], now: datetime, send: Send, config: SweepConfig | None = None
) -> SweepResult:
    """Plan at ``now``, then claim → send → record each message. Safe to run in several processes at once."""
    async with sf() as session:
        plan = await plan_sweep(session, now, config)
    result = SweepResult(planned=len(plan))
    for planned in plan:
        out = await _claim(sf, planned, now)
        if out is None:
            result.taken += 1
            continue
        try:
            message_id = await send(out)
        except Exception as exc:  # one unreachable chat must not stop the others
            log.warning("deadline reminder to chat %s failed: %s", out.chat_id, exc)
            await _record(sf, out, now, error=exc)
            if isinstance(exc, SendError) and exc.retryable:
                result.retry.append(out)
            else:
                result.failed.append((out, str(exc)))
            continue
        await _record(sf, out, now, message_id=message_id)
        result.sent.append(out)
    return result
