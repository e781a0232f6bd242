"""A whole reporting season (2020-12-01 → 2021-04-30) simulated sweep by sweep with an injected clock.

The bot sweeps at 09:00 and 21:00 every day plus at two random moments, restarts (a new engine) every
Monday and after two outages, and subscriptions, uploads and a snooze happen along the way. The test
asserts exactly which messages went out on which day: no duplicates, nothing missed.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta

from deadlines_support import ADMIN_CHAT, CONFIG, Outbox, add_agency, add_report, at
from sqlalchemy import select

from core.deadlines.models import OVERDUE, ReminderSent
from core.deadlines.rules import RuleSpec, add_rule
from core.deadlines.subscriptions import snooze, subscribe
from core.deadlines.sweep import Outgoing, run_sweep
from core.storage.db import open_db

AGENCIES = {
    "A": ("舟山市定海区卫生健康局", "定海区卫生健康局", "浙江省舟山市定海区"),  # department, reports in time
    "B": (
        "宁波市鄞州区市场监督管理局",
        "鄞州区市场监管局",
        "浙江省宁波市鄞州区",
    ),  # department, never reports
    "C": ("舟山市定海区人民政府", "定海区", "浙江省舟山市定海区"),  # 本级政府 (3月31日), never reports
    "D": ("宁波市鄞州区白鹤街道办事处", "白鹤街道", "浙江省宁波市鄞州区"),  # township + 鄞州区 rule, late
    "E": ("宁波市海曙区石碶街道办事处", "石碶街道", "浙江省宁波市海曙区"),  # township, no rule: no deadline
}
OUTAGES = [(at(2021, 1, 10, 0), at(2021, 1, 29, 8)), (at(2021, 3, 30, 0), at(2021, 4, 1, 7))]


def sweep_moments(rng: random.Random) -> list[datetime]:
    moments = set()
    day = at(2020, 12, 1, 0)
    while day < at(2021, 5, 1, 0):
        moments |= {day + timedelta(hours=9), day + timedelta(hours=21)}
        moments |= {day + timedelta(minutes=rng.randrange(24 * 60)) for _ in range(2)}
        day += timedelta(days=1)
    moments |= {end for _, end in OUTAGES}  # the bot sweeps as soon as it is back
    return sorted(m for m in moments if not any(start <= m < end for start, end in OUTAGES))


def row(when: datetime, out: Outgoing, names: dict[str, str]) -> tuple:
    day = when.date().isoformat()
    if out.kind == "escalation":
        return (
            day,
            out.chat_id,
            "escalation",
            tuple(names[o.agency] for o in out.overdue),
            tuple(names[o.agency] for o in out.still_overdue),
        )
    return (day, out.chat_id, names[out.agency], out.kind, out.offset, out.missed)


EXPECTED = [
    ("2021-01-01", 100, "A", "upcoming", 30, ()),
    ("2021-01-01", 300, "B", "upcoming", 30, ()),
    # back after the outage: the latest reminder due, naming the ones missed meanwhile
    ("2021-01-29", 100, "A", "upcoming", 3, (14, 7)),
    ("2021-01-29", 300, "B", "upcoming", 3, (14, 7)),
    ("2021-01-29", 100, "B", "upcoming", 3, (7,)),  # subscribed during the outage, on 01-20
    ("2021-01-30", 100, "A", "upcoming", 1, ()),  # A's report arrives that afternoon: no more for A
    ("2021-01-30", 300, "B", "upcoming", 1, ()),
    ("2021-01-30", 100, "B", "upcoming", 1, ()),
    ("2021-01-31", 300, "B", "due", 0, ()),
    ("2021-01-31", 100, "B", "due", 0, ()),
    ("2021-02-01", 300, "B", "overdue", OVERDUE, ()),
    ("2021-02-01", 100, "B", "overdue", OVERDUE, ()),
    ("2021-02-01", ADMIN_CHAT, "escalation", ("B",), ()),  # one line for B, though two chats follow it
    # D: 鄞州区 rule (次年2月20日, a 调休 Saturday), 5/1/0 *working* days before: 春节 is skipped
    ("2021-02-08", 200, "D", "upcoming", 5, ()),
    ("2021-02-19", 200, "D", "upcoming", 1, ()),
    ("2021-02-20", 200, "D", "due", 0, ()),
    ("2021-02-21", 200, "D", "overdue", OVERDUE, ()),
    ("2021-02-21", ADMIN_CHAT, "escalation", ("D",), ("B",)),
    ("2021-03-17", 200, "C", "upcoming", 14, ()),  # snoozed for 3 days at 10:00
    ("2021-03-20", 200, "C", "upcoming", None, ()),  # the postponed reminder
    ("2021-04-01", 200, "C", "overdue", OVERDUE, (1,)),  # back at 07:00: the day-before reminder was missed
    ("2021-04-01", ADMIN_CHAT, "escalation", ("C",), ("B",)),
]


async def test_reporting_season_day_by_day(db_url: str) -> None:
    names: dict[str, str] = {}
    ids: dict[str, int] = {}
    subs: dict[str, int] = {}
    async with open_db(db_url) as sf:
        for key, (name, short, region) in AGENCIES.items():
            ids[key] = await add_agency(sf, name, short, region)
            names[name] = key
        await add_rule(
            sf,
            RuleSpec("township", 2, 20, region="宁波市鄞州区", label="区政府通知"),
            agency_id=None,
            created_by=1,
            now=at(2020, 11, 30),
        )

    def subscribing(label: str, chat: int, key: str, **options: object) -> Callable[..., Awaitable[None]]:
        async def act(sf, now: datetime) -> None:
            sub, _ = await subscribe(sf, chat, ids[key], now, **options)  # type: ignore[arg-type]
            subs[label] = sub.id  # type: ignore[assignment]

        return act

    def upload(key: str, published: date | None = None) -> Callable[..., Awaitable[None]]:
        async def act(sf, now: datetime) -> None:
            await add_report(sf, ids[key], 2020, now, published)

        return act

    async def snooze_c(sf, now: datetime) -> None:
        await snooze(sf, 200, subs["S3"], 2020, 3, now)

    actions = [
        (at(2020, 12, 1, 10), subscribing("S1", 100, "A")),
        (at(2020, 12, 1, 10), subscribing("S3", 200, "C", offsets=[14, 1])),
        (at(2020, 12, 1, 10), subscribing("S6", 400, "E")),
        (at(2020, 12, 15, 10), subscribing("S2", 300, "B")),
        (at(2021, 1, 5, 10), subscribing("S4", 200, "D", offsets=[5, 1, 0], working_days=True)),
        (at(2021, 1, 20, 12), subscribing("S5", 100, "B")),  # while the bot is down
        (at(2021, 1, 30, 15), upload("A", date(2021, 1, 29))),
        (at(2021, 2, 25, 11), upload("D")),  # late
        (at(2021, 3, 17, 10), snooze_c),
    ]
    timeline = [(m, "sweep", None) for m in sweep_moments(random.Random(20210131))]
    timeline += [(m, "act", a) for m, a in actions]
    timeline.sort(key=lambda t: (t[0], t[1] == "sweep"))  # an action at a sweep's moment goes first

    outbox = Outbox()
    async with AsyncExitStack() as stack:
        bot_sf = None
        booted_on = None
        for moment, what, act in timeline:
            if what == "act":
                async with open_db(db_url) as cli_sf:  # another process, e.g. the CLI
                    await act(cli_sf, moment)
                continue
            week = moment.isocalendar()[:2]
            if bot_sf is None or week != booted_on or any(end == moment for _, end in OUTAGES):
                await stack.aclose()  # restart: a new engine and session factory
                bot_sf = await stack.enter_async_context(open_db(db_url))
                booted_on = week
            outbox.clock = moment
            await run_sweep(bot_sf, moment, outbox.send, CONFIG)

    got = [row(when, out, names) for when, out in outbox.sent]  # type: ignore[arg-type]
    assert got == EXPECTED
    assert len(got) == len(set(got))

    by_row = {row(when, out, names): (when, out) for when, out in outbox.sent}  # type: ignore[arg-type]
    when, out = by_row[("2021-04-01", 200, "C", "overdue", OVERDUE, (1,))]
    assert when == at(2021, 4, 1, 7)  # sent on the first sweep after the outage, before 09:00
    assert "已逾期1天" in out.text and "1天前的提醒未能按时发出" in out.text
    when, out = by_row[("2021-01-29", 100, "A", "upcoming", 3, (14, 7))]
    assert "还有2天" in out.text and "14天前、7天前的提醒未能按时发出" in out.text
    when, out = by_row[("2021-02-08", 200, "D", "upcoming", 5, ())]
    assert (
        "2021年2月20日" in out.text and "还有12天（其中5个工作日）" in out.text and "区政府通知" in out.text
    )
    when, out = by_row[("2021-03-20", 200, "C", "upcoming", None, ())]
    assert out.text.startswith("（已推迟的提醒）") and "还有11天" in out.text
    assert when.date().isoformat() == "2021-03-20" and when >= at(2021, 3, 20, 10)
    _, out = by_row[("2021-04-01", ADMIN_CHAT, "escalation", ("C",), ("B",))]
    assert "定海区人民政府（本级政府，截止2021年3月31日）：已逾期1天" in out.text
    assert "鄞州区市场监督管理局（县级以上人民政府部门，截止2021年1月31日）：已逾期60天" in out.text

    async with open_db(db_url) as sf, sf() as session:
        ledger = list((await session.execute(select(ReminderSent))).scalars())
    assert {r.status for r in ledger} == {"sent"}
    assert len(ledger) == len([r for r in EXPECTED if r[1] != ADMIN_CHAT and r[4] is not None])
