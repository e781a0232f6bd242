"""Deadline overviews (/deadlines, admin status) and the .ics calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from deadlines_support import CONFIG, add_agency, add_report, at
from icalendar import Calendar

from core.deadlines.ics import build_ics, chat_calendar
from core.deadlines.rules import RuleSpec, add_rule
from core.deadlines.status import chat_deadlines, confirmation, overview, season_year
from core.deadlines.subscriptions import subscribe
from core.storage.db import open_db

AGENCIES = {
    "ontime": ("舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区"),
    "late": ("宁波市鄞州区教育局", "鄞州区教育局", "宁波市鄞州区"),
    "missing": ("宁波市鄞州区市场监督管理局", "鄞州区市场监管局", "宁波市鄞州区"),
    "pending": ("舟山市定海区人民政府", "定海区", "舟山市定海区"),
    "township": ("宁波市海曙区石碶街道办事处", "石碶街道", "宁波市海曙区"),
}


async def _seed(sf) -> dict[str, int]:  # noqa: ANN001
    ids = {k: await add_agency(sf, *v) for k, v in AGENCIES.items()}
    await add_report(
        sf, ids["ontime"], 2020, at(2021, 2, 3), published_on=date(2021, 1, 28)
    )  # printed date counts
    await add_report(sf, ids["late"], 2020, at(2021, 2, 3))
    await add_report(sf, ids["late"], 2019, at(2020, 1, 10))
    return ids


async def test_admin_overview_says_who_is_on_time_late_missing_or_pending(db_url: str) -> None:
    async with open_db(db_url) as sf:
        await _seed(sf)
        async with sf() as session:
            rows = await overview(session, at(2021, 2, 10), CONFIG.timing)
            earlier = await overview(session, at(2021, 2, 10), CONFIG.timing, report_year=2019)
    got = {r.agency: (r.report_year, r.status, r.deadline, r.days_left) for r in rows}
    assert got == {
        AGENCIES["ontime"][0]: (2020, "on-time", date(2021, 1, 31), -10),
        AGENCIES["late"][0]: (2020, "late", date(2021, 1, 31), -10),
        AGENCIES["missing"][0]: (2020, "missing", date(2021, 1, 31), -10),
        AGENCIES["pending"][0]: (2020, "pending", date(2021, 3, 31), 49),
        AGENCIES["township"][0]: (2020, "no-deadline", None, None),
    }
    assert rows[0].status == "missing" and "已逾期10天" in rows[0].line()
    assert {r.agency: r.status for r in earlier}[AGENCIES["late"][0]] == "on-time"


def test_the_season_stays_current_for_a_quarter_after_march() -> None:
    assert season_year(date(2020, 12, 1)) == 2020
    assert season_year(date(2021, 2, 1)) == 2020
    assert season_year(date(2021, 6, 30)) == 2020
    assert season_year(date(2021, 7, 1)) == 2021


async def test_chat_deadlines_show_the_open_one_then_the_next(db_url: str) -> None:
    async with open_db(db_url) as sf:
        ids = await _seed(sf)
        await subscribe(sf, 100, ids["ontime"], at(2020, 12, 1))
        await subscribe(sf, 100, ids["missing"], at(2020, 12, 1))
        sub, fresh = await subscribe(sf, 100, ids["township"], at(2020, 12, 1), tier="department")
        await subscribe(sf, 200, ids["pending"], at(2020, 12, 1))
        async with sf() as session:
            rows = await chat_deadlines(session, at(2021, 2, 10), CONFIG.timing, 100)
            text = await confirmation(
                session, sub, AGENCIES["township"][0], fresh, at(2021, 2, 10), CONFIG.timing
            )
    got = [(r.agency, r.report_year, r.status, r.days_left) for r in rows]
    assert got == [
        (AGENCIES["ontime"][0], 2020, "on-time", -10),
        (AGENCIES["ontime"][0], 2021, "pending", 355),  # settled: the next one is shown too
        (AGENCIES["missing"][0], 2020, "missing", -10),
        (AGENCIES["township"][0], 2020, "missing", -10),  # tier chosen at subscription: department
    ]
    assert text.startswith(
        "已订阅：宁波市海曙区石碶街道办事处。将在截止日期提前30、14、7、3、1天及截止当天的 09:00 提醒"
    )


async def test_ics_has_one_event_per_deadline_with_an_alarm_per_reminder(db_url: str) -> None:
    now = at(2021, 1, 10, 12)
    async with open_db(db_url) as sf:
        ids = await _seed(sf)
        await add_rule(
            sf, RuleSpec("township", 2, 20, region="宁波市海曙区"), agency_id=None, created_by=1, now=now
        )
        await subscribe(sf, 100, ids["missing"], at(2020, 12, 1))
        await subscribe(sf, 100, ids["pending"], at(2020, 12, 1), offsets=[14, 1])
        await subscribe(sf, 100, ids["township"], at(2020, 12, 1), offsets=[5, 0], working_days=True)
        await subscribe(sf, 200, ids["ontime"], at(2020, 12, 1))
        async with sf() as session:
            entries = await chat_calendar(session, 100, now, CONFIG.timing)
    data = build_ics(entries, stamp=now)

    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    got = sorted((str(e["SUMMARY"]), e["DTSTART"].dt) for e in events)
    assert got == sorted(
        [
            (f"截止：{AGENCIES['missing'][0]} 2020年度政府信息公开工作年度报告", date(2021, 1, 31)),
            (f"截止：{AGENCIES['missing'][0]} 2021年度政府信息公开工作年度报告", date(2022, 1, 31)),
            (f"截止：{AGENCIES['pending'][0]} 2020年度政府信息公开工作年度报告", date(2021, 3, 31)),
            (f"截止：{AGENCIES['pending'][0]} 2021年度政府信息公开工作年度报告", date(2022, 3, 31)),
            (f"截止：{AGENCIES['township'][0]} 2020年度政府信息公开工作年度报告", date(2021, 2, 20)),
            (f"截止：{AGENCIES['township'][0]} 2021年度政府信息公开工作年度报告", date(2022, 2, 20)),
        ]
    )
    assert len({str(e["UID"]) for e in events}) == len(events)
    by_day = {e["DTSTART"].dt: e for e in events}

    def alarm_moments(day: date) -> list[datetime]:
        start = datetime.combine(day, datetime.min.time())
        return sorted(start + a["TRIGGER"].dt for a in by_day[day].walk("VALARM"))

    assert alarm_moments(date(2021, 1, 31)) == [
        datetime(2021, 1, d, 9) for d in (1, 17, 24, 28, 30, 31)
    ]  # 30, 14, 7, 3, 1 days before and on the day, at 09:00
    assert alarm_moments(date(2021, 3, 31)) == [datetime(2021, 3, 17, 9), datetime(2021, 3, 30, 9)]
    # five working days before 2月20日 2021, across 春节, is 2月8日
    assert alarm_moments(date(2021, 2, 20)) == [datetime(2021, 2, 8, 9), datetime(2021, 2, 20, 9)]
    assert all(a["ACTION"] == "DISPLAY" for e in events for a in e.walk("VALARM"))
    assert by_day[date(2021, 1, 31)]["DTEND"].dt - by_day[date(2021, 1, 31)]["DTSTART"].dt == timedelta(
        days=1
    )
