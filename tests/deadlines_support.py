"""Shared pieces for the deadline-reminder tests: a local clock, stored agencies and reports, an outbox."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.deadlines.schedule import Timing
from core.deadlines.sweep import Outgoing, SendError, SweepConfig, SweepResult, run_sweep
from core.storage.agencies import match_key
from core.storage.models import Agency, Report

TZ = ZoneInfo("Asia/Shanghai")
ADMIN_CHAT = 999
CONFIG = SweepConfig(Timing(TZ, time(9, 0)), (ADMIN_CHAT,))
_hashes = itertools.count()


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """A moment in Asia/Shanghai."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


async def add_agency(
    sf: async_sessionmaker[AsyncSession], name: str, short: str, region: str | None = None
) -> int:
    stamp = at(2020, 1, 1)
    async with sf() as session:
        agency = Agency(
            name=name,
            short_name=short,
            region=region,
            match_key=match_key(name, region),
            created_at=stamp,
            updated_at=stamp,
        )
        session.add(agency)
        await session.commit()
        return agency.id  # type: ignore[return-value]


async def add_report(
    sf: async_sessionmaker[AsyncSession],
    agency_id: int,
    year: int,
    uploaded: datetime,
    published_on: date | None = None,
    title: str | None = None,
) -> int:
    async with sf() as session:
        report = Report(
            agency_id=agency_id,
            year=year,
            title=title,
            published_on=published_on,
            sha256=hashlib.sha256(str(next(_hashes)).encode()).hexdigest(),
            filename=f"{agency_id}-{year}.docx",
            source_kind="docx",
            uploaded_at=uploaded,
        )
        session.add(report)
        await session.commit()
        return report.id  # type: ignore[return-value]


@dataclass
class Outbox:
    """A send function that records what went out (and can be told to fail)."""

    sent: list[tuple[datetime | None, Outgoing]] = field(default_factory=list)
    fail_with: SendError | Exception | None = None
    clock: datetime | None = None  # the sweep moment, set by the caller, recorded with each message
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def sweep(self, sf: async_sessionmaker[AsyncSession], now: datetime) -> SweepResult:
        """One sweep at ``now`` sending through this outbox."""
        self.clock = now
        return await run_sweep(sf, now, self.send, CONFIG)

    async def send(self, out: Outgoing) -> int:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((self.clock, out))
        return next(self._ids)
