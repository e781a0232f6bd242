"""The sweep: downtime, failures, snoozes, closing by upload, and two processes sharing one database."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

import pytest
from deadlines_support import ADMIN_CHAT, CONFIG, Outbox, add_agency, add_report, at
from sqlalchemy import select

from core.deadlines.models import OVERDUE, ReminderSent, Snooze
from core.deadlines.subscriptions import snooze, subscribe, unsubscribe
from core.deadlines.sweep import Outgoing, SendError, SweepConfig, plan_sweep, run_sweep
from core.model import ReportError
from core.settings import Settings
from core.storage.db import open_db

HEALTH = ("舟山市定海区卫生健康局", "定海区卫生健康局", "浙江省舟山市定海区")


async def _one_subscription(sf, chat: int = 100, **options: object) -> tuple[int, int]:  # noqa: ANN001
    agency = await add_agency(sf, *HEALTH)
    sub, _ = await subscribe(sf, chat, agency, at(2020, 12, 1, 10), **options)  # type: ignore[arg-type]
    return agency, sub.id  # type: ignore[return-value]


async def test_after_downtime_only_the_latest_due_reminder_goes_out_naming_the_missed(db_url: str) -> None:
    async with open_db(db_url) as sf:
        await _one_subscription(sf)
        box = Outbox()
        await box.sweep(sf, at(2021, 1, 30, 10))  # first sweep in two months
        await box.sweep(sf, at(2021, 1, 30, 11))
        await box.sweep(sf, at(2021, 2, 3, 9, 30))  # down again over the deadline
    reminders = [out for _, out in box.sent if out.chat_id == 100]
    assert [(o.kind, o.offset, o.missed) for o in reminders] == [
        ("upcoming", 1, (30, 14, 7, 3)),
        ("overdue", OVERDUE, (0,)),
    ]
    assert (
        "还有1天" in reminders[0].text
        and "30天前、14天前、7天前、3天前的提醒未能按时发出" in reminders[0].text
    )
    assert "已逾期3天" in reminders[1].text and "截止当天的提醒未能按时发出" in reminders[1].text
    [escalation] = [out for _, out in box.sent if out.chat_id == ADMIN_CHAT]
    assert [(o.agency, o.days) for o in escalation.overdue] == [(HEALTH[0], 3)]


async def test_dry_run_plans_without_recording_and_the_sweep_sends_exactly_the_plan(db_url: str) -> None:
    async with open_db(db_url) as sf:
        await _one_subscription(sf)
        now = at(2021, 2, 1, 9)
        async with sf() as session:
            first = await plan_sweep(session, now, CONFIG)
            again = await plan_sweep(session, now, CONFIG)
            assert list((await session.execute(select(ReminderSent))).scalars()) == []
        assert first == again
        assert [o.to_json() | {"text": ""} for o in first] == [
            {
                "chat": 100,
                "agency": HEALTH[0],
                "deadline": "2021-01-31",
                "kind": "overdue",
                "report_year": 2020,
                "offset": OVERDUE,
                "missed": [30, 14, 7, 3, 1, 0],
                "snoozed": False,
                "text": "",
            },
            {
                "chat": ADMIN_CHAT,
                "agency": HEALTH[0],
                "deadline": "2021-01-31",
                "kind": "escalation",
                "report_year": 2020,
                "agencies": [{"agency": HEALTH[0], "deadline": "2021-01-31", "days_overdue": 1}],
                "text": "",
            },
        ]
        box = Outbox()
        result = await box.sweep(sf, now)
        assert [out for _, out in box.sent] == first == result.sent
        async with sf() as session:
            assert await plan_sweep(session, now, CONFIG) == []


async def test_upload_closes_reminders_and_escalation(db_url: str) -> None:
    async with open_db(db_url) as sf:
        agency, _ = await _one_subscription(sf)
        box = Outbox()
        await box.sweep(sf, at(2021, 1, 24, 9))
        await add_report(sf, agency, 2020, at(2021, 1, 25, 15))
        for day in range(25, 32):
            await box.sweep(sf, at(2021, 1, day, 9))
        await box.sweep(sf, at(2021, 2, 1, 9))
    assert [(o.kind, o.offset) for _, o in box.sent] == [("upcoming", 7)]


async def test_retryable_failure_releases_the_claim_and_other_failures_never_resend(db_url: str) -> None:
    async with open_db(db_url) as sf:
        await _one_subscription(sf, chat=100)
        await _one_subscription_for(sf, chat=200)
        box = Outbox(fail_with=SendError("429 Too Many Requests", retryable=True))
        result = await box.sweep(sf, at(2021, 1, 1, 9))
        assert len(result.retry) == 2 and box.sent == []
        box.fail_with = None
        result = await box.sweep(sf, at(2021, 1, 1, 9, 1))
        assert sorted(o.chat_id for o in result.sent) == [100, 200]

        box.fail_with = SendError("Forbidden: bot was blocked by the user", retryable=False)
        result = await box.sweep(sf, at(2021, 1, 17, 9))
        assert len(result.failed) == 2
        box.fail_with = TimeoutError("timed out: maybe delivered")
        result = await box.sweep(sf, at(2021, 1, 24, 9))
        assert len(result.failed) == 2
        box.fail_with = None
        result = await box.sweep(sf, at(2021, 1, 24, 9, 1))
        assert result.sent == []  # neither the 14-day nor the 7-day reminder is sent twice
        async with sf() as session:
            rows = list((await session.execute(select(ReminderSent).order_by(ReminderSent.id))).scalars())
    assert Counter((r.offset_days, r.status) for r in rows) == {
        (30, "sent"): 2,
        (14, "failed"): 2,
        (7, "failed"): 2,
    }
    assert {r.error for r in rows if r.offset_days == 14} == {"Forbidden: bot was blocked by the user"}


async def _one_subscription_for(sf, chat: int) -> int:  # noqa: ANN001
    agency = await add_agency(sf, "宁波市鄞州区市场监督管理局", "鄞州区市场监管局", "宁波市鄞州区")
    sub, _ = await subscribe(sf, chat, agency, at(2020, 12, 1, 10))
    return sub.id  # type: ignore[return-value]


async def test_snooze_postpones_then_reminds_once_and_only_for_the_own_chat(db_url: str) -> None:
    async with open_db(db_url) as sf:
        _, sub_id = await _one_subscription(sf, offsets=[7, 1])
        box = Outbox()
        await box.sweep(sf, at(2021, 1, 24, 9))
        for forged in (200, -100123):  # another chat pressing a copied or forged button
            with pytest.raises(ReportError):
                await snooze(sf, forged, sub_id, 2020, 1, at(2021, 1, 24, 9, 5))
        with pytest.raises(ReportError):
            await snooze(sf, 100, sub_id, 2020, 7, at(2021, 1, 24, 9, 5))  # only 1 or 3 days
        await snooze(sf, 100, sub_id, 2020, 1, at(2021, 1, 24, 9, 5))
        for moment in (at(2021, 1, 24, 21), at(2021, 1, 25, 9), at(2021, 1, 25, 9, 10), at(2021, 1, 25, 21)):
            await box.sweep(sf, moment)
        # snoozed again at the 1-day reminder: the deadline-day nothing (no 0 offset), the overdue notice waits
        await box.sweep(sf, at(2021, 1, 30, 9))
        await snooze(sf, 100, sub_id, 2020, 3, at(2021, 1, 30, 9, 1))
        for moment in (at(2021, 1, 31, 9), at(2021, 2, 1, 9), at(2021, 2, 2, 9), at(2021, 2, 2, 9, 1)):
            await box.sweep(sf, moment)
        async with sf() as session:
            fired = list((await session.execute(select(Snooze.fired_at).order_by(Snooze.id))).scalars())
    sent = [(when, o.offset, o.snooze_id is not None, o.missed) for when, o in box.sent if o.chat_id == 100]
    assert sent == [
        (at(2021, 1, 24, 9), 7, False, ()),
        (at(2021, 1, 25, 9, 10), None, True, ()),  # the first sweep after 09:05 the next day
        (at(2021, 1, 30, 9), 1, False, ()),
        (at(2021, 2, 2, 9, 1), OVERDUE, False, ()),  # after the 3-day snooze: due since 02-01 09:00
    ]
    assert fired[0] == at(2021, 1, 25, 9, 10) and fired[1] is None  # the second was used up by the notice


async def test_unsubscribe_stops_and_renewing_tracks_from_then_on(db_url: str) -> None:
    async with open_db(db_url) as sf:
        agency, _ = await _one_subscription(sf)
        box = Outbox()
        await box.sweep(sf, at(2021, 1, 1, 9))
        assert await unsubscribe(sf, 100, agency) and not await unsubscribe(sf, 100, agency)
        await box.sweep(sf, at(2021, 1, 17, 9))
        _, fresh = await subscribe(sf, 100, agency, at(2021, 1, 26, 12))
        assert fresh
        for day in (26, 27, 28):
            await box.sweep(sf, at(2021, 1, day, 9, 30))
    assert [(o.offset, o.missed) for _, o in box.sent] == [(30, ()), (3, ())]


def test_escalations_go_to_the_admin_chat_or_else_to_each_admin() -> None:
    assert SweepConfig.from_settings(Settings(admin_ids=[5, 6], admin_chat_id=-1001)).admin_chats == (-1001,)
    assert SweepConfig.from_settings(Settings(admin_ids="5,6")).admin_chats == (5, 6)


# ---------------------------------------------------------------- two processes

AGENCIES = [
    ("舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区"),
    ("舟山市定海区人民政府", "定海区", "舟山市定海区"),
    ("宁波市鄞州区市场监督管理局", "鄞州区市场监管局", "宁波市鄞州区"),
    ("宁波市鄞州区教育局", "鄞州区教育局", "宁波市鄞州区"),
    ("宁海县政务服务办公室", "宁海县政务服务办公室", "宁波市宁海县"),
    ("宁波市鄞州区人民政府", "鄞州区", "宁波市鄞州区"),
]
MOMENTS = [
    at(2021, 1, 1, 9),
    at(2021, 1, 29, 9),
    at(2021, 1, 31, 9),
    at(2021, 2, 1, 9),
    at(2021, 3, 17, 9),
    at(2021, 4, 1, 9),
    at(2021, 4, 1, 9, 1),
]


def _keys(out: Outgoing) -> list[tuple]:
    """What a message claims: one reminder, or each agency listed in an escalation summary."""
    if out.kind == "escalation":
        return [(out.chat_id, out.report_year, "escalation", o.agency_id) for o in out.overdue]
    return [(out.subscription_id, out.report_year, out.offset)]


async def test_two_processes_sharing_one_database_send_each_message_exactly_once(db_url: str) -> None:
    async with open_db(db_url) as sf:
        for name, short, region in AGENCIES:
            agency = await add_agency(sf, name, short, region)
            for chat in range(100, 108):
                await subscribe(sf, chat, agency, at(2020, 12, 1, 10))

    planned: dict[int, list[Outgoing]] = {}
    boxes = [Outbox(), Outbox()]
    barrier = threading.Barrier(3)

    def process(box: Outbox | None) -> None:
        """One bot process: its own thread, event loop and engine, sweeping at the same moments."""

        async def main() -> None:
            async with open_db(db_url) as own:
                for i, moment in enumerate(MOMENTS):
                    if box is None:  # the observer: what a sweep at this moment should send
                        async with own() as session:
                            planned[i] = await plan_sweep(session, moment, CONFIG)
                    barrier.wait()
                    if box is not None:
                        box.clock = moment
                        await run_sweep(own, moment, box.send, CONFIG)
                    barrier.wait()

        asyncio.run(main())

    threads = [threading.Thread(target=process, args=(b,)) for b in (None, *boxes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    sent = [(when, out) for box in boxes for when, out in box.sent]
    keys = [k for _, out in sent for k in _keys(out)]
    assert len(keys) == len(set(keys))  # nothing twice
    for i, moment in enumerate(MOMENTS):
        expected = {k for o in planned[i] for k in _keys(o)}
        assert {k for when, out in sent if when == moment for k in _keys(out)} == expected  # nothing missed
    # 4 departments × 8 chats on 01-01, 01-29, 01-31 and 02-01; 2 governments × 8 on 03-17 and 04-01
    assert Counter(len(k) for k in keys) == {3: 4 * 8 * 4 + 2 * 8 * 2, 4: len(AGENCIES)}
