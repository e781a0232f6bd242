"""Tables for deadline reminders: local rules, subscriptions, and the ledgers that make sending idempotent.

Telegram chat ids exceed 32 bits (supergroups are -100…), hence BigInteger. Timestamps are aware and
stored in UTC; they come from the caller's injected clock, never from a default. A ledger row is claimed (inserted) *before* its message is sent; its unique
constraint is what lets two bot processes share one database without double-sending.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

DEFAULT_OFFSETS: tuple[int, ...] = (30, 14, 7, 3, 1, 0)
# Ledger offset of the "deadline passed without a report" notice (positive offsets are days before).
OVERDUE = -1


class DeadlineRule(SQLModel, table=True):
    """A local deadline added by an admin; the statutory ones ship as data (core.tiers).

    Applies to one agency (``agency_id``; tier usually "custom"), or to a tier within a region
    ("宁波市鄞州区"), or to a tier everywhere; the most specific rule wins. The date is month/day of the
    year after the report year; ``report_year`` limits a rule to one season (local notices are often annual).
    """

    __tablename__ = "deadline_rule"

    id: int | None = Field(default=None, primary_key=True)
    tier: str = Field(index=True)  # department | government | township | custom
    month: int
    day: int
    region: str | None = None
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True, ondelete="CASCADE")
    report_year: int | None = None
    label: str = ""
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime


class Subscription(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("chat_id", "agency_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="CASCADE")
    tier: str | None = None  # None: the agency's own tier (core.tiers.classify)
    offsets: list[int] = Field(default_factory=lambda: list(DEFAULT_OFFSETS), sa_column=Column(JSON))
    working_days: bool = False  # offsets count Chinese working days instead of calendar days
    active: bool = Field(default=True, index=True)
    # Tracks every report whose deadline ends after this moment; reset when a subscription is renewed.
    created_at: datetime
    created_by: int | None = Field(default=None, sa_type=BigInteger)


class ReminderSent(SQLModel, table=True):
    """One reminder to one subscription for one report year and offset: claimed before sending."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("subscription_id", "report_year", "offset_days"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", index=True, ondelete="CASCADE")
    report_year: int
    offset_days: int  # days before the deadline; OVERDUE for the overdue notice
    kind: str  # upcoming | due | overdue
    deadline: date
    chat_id: int = Field(sa_type=BigInteger)
    missed: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = "claimed"  # claimed | sent | failed
    claimed_at: datetime
    sent_at: datetime | None = None
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    error: str | None = None


class Snooze(SQLModel, table=True):
    """Postpones a subscription's reminders for one report year until ``until``, then reminds once."""

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", index=True, ondelete="CASCADE")
    report_year: int
    until: datetime
    created_at: datetime
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    fired_at: datetime | None = None  # set when the postponed reminder is claimed
    message_id: int | None = Field(default=None, sa_type=BigInteger)


class EscalationSent(SQLModel, table=True):
    """An agency listed as overdue in an admin chat's escalation summary, once per report year."""

    __tablename__ = "escalation_sent"
    __table_args__ = (UniqueConstraint("chat_id", "report_year", "agency_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    report_year: int
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="CASCADE")
    kind: str = "overdue"
    deadline: date
    status: str = "claimed"  # claimed | sent | failed
    claimed_at: datetime
    sent_at: datetime | None = None
    message_id: int | None = Field(default=None, sa_type=BigInteger)
