"""An iCalendar (.ics) file of subscribed deadlines: one all-day event per deadline, one alarm per reminder.

Alarms are relative to the event's start (the deadline day's midnight, local to whoever imports it), which
calendar clients support more widely than absolute UTC triggers: "-P29DT15H" is 30 days before at 09:00.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from core.deadlines.messages import REPORT, basis, offset_name
from core.deadlines.occurrences import load_snapshot
from core.deadlines.schedule import Timing, reminder_day, to_db

PRODID = "-//nianbao//deadline reminders//ZH"
YEARS_AHEAD = 2  # deadlines per subscription: the next ones, so the calendar stays useful for a while


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    agency: str
    report_year: int
    deadline: date
    description: str
    alarms: tuple[timedelta, ...]  # before the deadline day's 00:00 (negative)
    alarm_names: tuple[str, ...]


def build_ics(deadlines: Iterable[CalendarEntry], *, stamp: datetime, name: str = "年报截止日期") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for entry in deadlines:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", to_db(stamp))
        event.add("dtstart", entry.deadline)
        event.add("dtend", entry.deadline + timedelta(days=1))
        event.add("summary", f"截止：{entry.agency} {entry.report_year}年度{REPORT}")
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        for trigger, label in zip(entry.alarms, entry.alarm_names, strict=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{entry.agency} {entry.report_year}年度年报截止提醒（{label}）")
            alarm.add("trigger", trigger)
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


async def chat_calendar(
    session: AsyncSession, chat_id: int, now: datetime, timing: Timing
) -> list[CalendarEntry]:
    """The chat's upcoming subscribed deadlines (not yet passed, next few report years)."""
    snapshot = await load_snapshot(session, timing, chat_id)
    today = timing.today(now)
    horizon = now + timedelta(days=366 * YEARS_AHEAD)
    entries = []
    for sub, agency in snapshot.subscriptions:
        upcoming = [o for o in snapshot.occurrences(sub, agency, timing, horizon) if o.deadline >= today]
        for occ in upcoming[:YEARS_AHEAD]:
            days = [(reminder_day(occ.deadline, o, sub.working_days), o) for o in sub.offsets]
            start = datetime.combine(occ.deadline, datetime.min.time())
            alarms = tuple(datetime.combine(d, timing.reminder_time) - start for d, _ in days)
            entries.append(
                CalendarEntry(
                    uid=f"nianbao-{chat_id}-{agency.id}-{occ.report_year}@nianbao",
                    agency=agency.name,
                    report_year=occ.report_year,
                    deadline=occ.deadline,
                    description=f"{agency.name}的{occ.report_year}年度{REPORT}应于当日前公布。依据：{basis(occ.rule, occ.tier)}。",
                    alarms=alarms,
                    alarm_names=tuple(offset_name(o, sub.working_days) for _, o in days),
                )
            )
    return sorted(entries, key=lambda e: (e.deadline, e.agency))
