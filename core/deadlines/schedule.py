"""When reminders fire, in local time (Asia/Shanghai unless configured).

A subscription's reminders for one deadline are *points*: each offset (N days, or N Chinese working days,
before the deadline) at the reminder time of day, plus the overdue point the morning after the deadline.
Nothing here reads a clock: every function takes the moment it reasons about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import chinese_calendar

from core.deadlines.models import DEFAULT_OFFSETS, OVERDUE
from core.model import ReportError
from core.settings import Settings

Kind = Literal["upcoming", "due", "overdue", "escalation"]
# Keeps every reminder of a report year within that year (deadlines fall in the following year), which
# bounds the report years a sweep has to look at.
MAX_OFFSET = 180


@dataclass(frozen=True)
class Timing:
    tz: ZoneInfo
    reminder_time: time

    @classmethod
    def from_settings(cls, settings: Settings) -> Timing:
        return cls(settings.tz, settings.reminder_time)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def today(self, moment: datetime) -> date:
        return self.local(moment).date()

    def at(self, day: date, clock: time | None = None) -> datetime:
        return datetime.combine(day, clock or self.reminder_time, tzinfo=self.tz)

    def deadline_end(self, deadline: date) -> datetime:
        """The moment a deadline has passed: "by 1月31日" includes the whole of 1月31日."""
        return self.at(deadline + timedelta(days=1), time(0))


def to_db(moment: datetime) -> datetime:
    """Aware UTC, as the tables store and return it; a naive moment is a caller's bug."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware moment (settings.now())")
    return moment.astimezone(UTC)


def is_workday(day: date) -> bool:
    """Chinese working day (调休 included); beyond chinese_calendar's data, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def reminder_day(deadline: date, offset: int, working_days: bool) -> date:
    """The day of the reminder ``offset`` days (or working days) before ``deadline``."""
    if not working_days or offset <= 0:
        return deadline - timedelta(days=offset)
    day, counted = deadline, 0
    while counted < offset:
        day -= timedelta(days=1)
        counted += is_workday(day)
    return day


def working_days_left(today: date, deadline: date) -> int:
    """Working days from tomorrow up to and including the deadline."""
    return sum(is_workday(today + timedelta(days=i)) for i in range(1, (deadline - today).days + 1))


@dataclass(frozen=True, order=True)
class Point:
    at: datetime
    offset: int  # days before the deadline; OVERDUE for the day after


def points(deadline: date, offsets: Iterable[int], working_days: bool, timing: Timing) -> list[Point]:
    """Every reminder point for one deadline, earliest first, the overdue point last."""
    found = {Point(timing.at(reminder_day(deadline, o, working_days)), o) for o in offsets}
    found.add(Point(overdue_at(deadline, timing), OVERDUE))
    return sorted(found)


def overdue_at(deadline: date, timing: Timing) -> datetime:
    """The overdue notice (and the escalation) go out at reminder time on the day after the deadline."""
    return timing.at(deadline + timedelta(days=1))


def candidate_years(since: datetime, now: datetime, timing: Timing) -> range:
    """Report years whose deadline may end after ``since`` and whose first reminder may be due by ``now``."""
    return range(timing.today(since).year - 1, timing.today(now).year + 1)


def kind_on(today: date, deadline: date) -> Kind:
    if today < deadline:
        return "upcoming"
    return "due" if today == deadline else "overdue"


def parse_offsets(text: str | Iterable[int] | None) -> list[int]:
    """Days before the deadline, "30,14,7,0" → [30, 14, 7, 0] (0 = on the day); None → the defaults."""
    if text is None:
        return list(DEFAULT_OFFSETS)
    raw = text.replace("，", ",").replace(" ", ",").split(",") if isinstance(text, str) else list(text)
    try:
        values = {int(v) for v in raw if str(v).strip()}
    except ValueError:
        raise ReportError(f"提醒天数应为逗号分隔的整数，例如 30,14,7,3,1,0：{text}") from None
    if not values or any(not 0 <= v <= MAX_OFFSET for v in values):
        raise ReportError(f"提醒天数须在 0 到 {MAX_OFFSET} 之间：{text}")
    return sorted(values, reverse=True)
