"""The reminder commands, buttons and sweep job, against the Bot API emulator over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from deadlines_support import ADMIN_CHAT, add_agency, add_report, at
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.context import SETTINGS_KEY, SF_KEY
from bot.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.handlers import deadlines
from core.deadlines.models import DeadlineRule, ReminderSent, Snooze, Subscription
from core.settings import Settings
from core.storage.db import open_db

ADMIN = 1
USER = 100  # a private chat: chat id = user id
OTHER = 200


@dataclass
class Harness:
    api: BotAPIEmulator
    app: Application
    sf: async_sessionmaker[AsyncSession]
    settings: Settings

    def at(self, moment: datetime) -> None:
        self.settings.nianbao_now = moment

    async def sweep(self, moment: datetime) -> None:
        """What the repeating job does, run once at ``moment``."""
        self.at(moment)
        [job] = self.app.job_queue.get_jobs_by_name("deadline-sweep")  # type: ignore[union-attr]
        await job.run(self.app)

    async def say(self, chat: int, text: str, user: int | None = None) -> list:
        self.api.push_text(chat, user or chat, text)
        return await self.api.wait_for_replies(chat)

    async def rows(self, model: type) -> list:
        async with self.sf() as session:
            return list((await session.execute(select(model))).scalars())


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[Harness]:
    settings = Settings(
        telegram_bot_token=DEFAULT_TOKEN,
        admin_ids=[ADMIN],
        admin_chat_id=ADMIN_CHAT,
        nianbao_now=at(2020, 12, 1, 10),
    )
    async with BotAPIEmulator() as api, open_db(db_url) as sf:
        app = (
            ApplicationBuilder()
            .token(DEFAULT_TOKEN)
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
            .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
            .build()
        )
        app.bot_data[SF_KEY] = sf
        app.bot_data[SETTINGS_KEY] = settings
        deadlines.register(app)
        [job] = app.job_queue.get_jobs_by_name("deadline-sweep")  # type: ignore[union-attr]
        job.enabled = False  # the test runs it by hand, at chosen moments
        await app.initialize()
        await app.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
        await app.start()
        try:
            yield Harness(api, app, sf, settings)
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
            await app.shutdown()


async def _agencies(sf) -> dict[str, int]:  # noqa: ANN001
    return {
        "health": await add_agency(sf, "舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区"),
        "gov": await add_agency(sf, "舟山市定海区人民政府", "定海区", "舟山市定海区"),
        "baihe_nb": await add_agency(sf, "宁波市鄞州区白鹤街道办事处", "白鹤街道", "宁波市鄞州区"),
        "baihe_hz": await add_agency(sf, "杭州市上城区白鹤街道办事处", "白鹤街道", "杭州市上城区"),
    }


def test_one_repeating_sweep_job_with_explicit_misfire_handling(bot: Harness) -> None:
    [job] = bot.app.job_queue.jobs()  # type: ignore[union-attr]
    assert job.name == "deadline-sweep"
    assert job.job.trigger.interval.total_seconds() == 60
    assert (job.job.misfire_grace_time, job.job.coalesce, job.job.max_instances) == (None, True, 1)


async def test_subscribe_remind_snooze_and_forged_button(bot: Harness) -> None:
    await _agencies(bot.sf)
    [reply] = await bot.say(USER, "/subscribe 定海区卫生健康局")
    assert "已订阅：舟山市定海区卫生健康局" in reply.text and "还有61天" in reply.text

    await bot.sweep(at(2021, 1, 1, 9))
    [reminder] = await bot.api.wait_for_replies(USER)
    assert (
        reminder.text.startswith("⏰ 截止提醒：舟山市定海区卫生健康局的2020年度")
        and "还有30天" in reminder.text
    )
    assert [b["text"] for b in reminder.buttons] == ["推迟1天", "推迟3天", "📝 2020年度报告草稿"]
    [row] = await bot.rows(ReminderSent)
    assert (row.status, row.message_id, row.offset_days) == ("sent", reminder.message_id, 30)

    await bot.sweep(at(2021, 1, 1, 9, 1))  # the next minute: nothing new
    assert len(bot.api.chat_outputs(USER)) == 2

    # another chat replays the button's data: refused, nothing snoozed
    query = bot.api.push_callback(OTHER, OTHER, 1, reminder.buttons[0]["callback_data"])
    answer = await bot.api.wait_for_answer(query)
    assert answer.get("show_alert") and "找不到本聊天的这项订阅" in answer["text"]
    assert await bot.rows(Snooze) == []

    bot.at(at(2021, 1, 1, 9, 5))
    answer = await bot.api.wait_for_answer(bot.api.press(reminder, "推迟3天"))
    assert answer["text"] == "已推迟3天，将于 01月04日 09:05 再次提醒。"
    [snoozed] = await bot.rows(Snooze)
    assert snoozed.subscription_id == (await bot.rows(Subscription))[0].id

    await bot.sweep(at(2021, 1, 4, 9))
    await bot.sweep(at(2021, 1, 4, 9, 6))
    [again] = await bot.api.wait_for_replies(USER)
    assert again.text.startswith("（已推迟的提醒）") and "还有27天" in again.text
    assert len(bot.api.chat_outputs(USER)) == 3


async def test_ambiguous_subscribe_offers_a_pick_list(bot: Harness) -> None:
    await _agencies(bot.sf)
    [question] = await bot.say(USER, "/subscribe 白鹤街道 部门 7,1")
    assert "可能指以下单位" in question.text
    assert [b["text"] for b in question.buttons] == [
        "宁波市鄞州区白鹤街道办事处",
        "杭州市上城区白鹤街道办事处",
    ]
    bot.api.press(question, "宁波市鄞州区")
    [reply] = await bot.api.wait_for_replies(USER)
    assert "已订阅：宁波市鄞州区白鹤街道办事处" in reply.text and "提前7、1天" in reply.text
    [sub] = await bot.rows(Subscription)
    assert (sub.chat_id, sub.tier, sub.offsets) == (USER, "department", [7, 1])

    [listing] = await bot.say(USER, "/deadlines")
    assert "宁波市鄞州区白鹤街道办事处 · 县级以上人民政府部门 · 2020年度 · 截止2021-01-31" in listing.text

    [unknown] = await bot.say(USER, "/unsubscribe 鄞州区盐仓街道")  # only similar to the subscribed one
    assert "本聊天没有订阅" in unknown.text
    assert [s.active for s in await bot.rows(Subscription)] == [True]

    [choices] = await bot.say(USER, "/unsubscribe")
    bot.api.press(choices, "白鹤街道")
    await bot.api.wait_until(USER, lambda o: o.kind == "edit")
    assert [s.active for s in await bot.rows(Subscription)] == [False]


async def test_overdue_escalation_reaches_the_admin_chat_and_upload_stops_it(bot: Harness) -> None:
    ids = await _agencies(bot.sf)
    await bot.say(USER, "/subscribe 定海区卫生健康局")
    await bot.say(OTHER, "/subscribe 定海区")
    await bot.sweep(at(2021, 2, 1, 9, 30))
    [overdue] = await bot.api.wait_for_replies(USER)
    assert overdue.text.startswith("⚠️ 逾期提醒") and "已逾期1天" in overdue.text
    [summary] = await bot.api.wait_for_replies(ADMIN_CHAT)
    assert "舟山市定海区卫生健康局（县级以上人民政府部门，截止2021年1月31日）：已逾期1天" in summary.text
    assert bot.api.chat_outputs(OTHER)[1:] == []  # 定海区 is due 3月31日

    await add_report(bot.sf, ids["gov"], 2020, at(2021, 3, 1))
    await bot.sweep(at(2021, 4, 1, 9))
    assert bot.api.chat_outputs(OTHER)[1:] == [] and len(bot.api.chat_outputs(ADMIN_CHAT)) == 1


async def test_send_failures_retry_only_when_telegram_did_not_take_the_message(bot: Harness) -> None:
    await _agencies(bot.sf)
    await bot.say(USER, "/subscribe 定海区卫生健康局")
    await bot.say(OTHER, "/subscribe 定海区卫生健康局")
    bot.api.fail_next("sendMessage", "429", chat_id=USER)
    bot.api.fail_next("sendMessage", "403", chat_id=OTHER)
    await bot.sweep(at(2021, 1, 1, 9))
    assert {(r.chat_id, r.status) for r in await bot.rows(ReminderSent)} == {
        (OTHER, "failed")
    }  # 429 released
    await bot.sweep(at(2021, 1, 1, 9, 1))
    [reminder] = await bot.api.wait_for_replies(USER)
    assert "还有30天" in reminder.text
    assert {(r.chat_id, r.status) for r in await bot.rows(ReminderSent)} == {
        (OTHER, "failed"),
        (USER, "sent"),
    }
    assert bot.api.chat_outputs(OTHER)[1:] == []  # a blocked chat is not retried


async def test_ics_and_admin_commands(bot: Harness) -> None:
    await _agencies(bot.sf)
    await bot.say(USER, "/subscribe 定海区 14,1")
    bot.api.push_text(USER, USER, "/ics")
    [doc] = await bot.api.wait_for_replies(USER, kinds=("document",))
    assert doc.filename == "nianbao-deadlines.ics"
    events = Calendar.from_ical(doc.data).walk("VEVENT")
    assert [(e["DTSTART"].dt.isoformat(), len(e.walk("VALARM"))) for e in events] == [
        ("2021-03-31", 2),
        ("2022-03-31", 2),
    ]

    [refusal] = await bot.say(USER, "/deadline add 乡镇 2月20日 宁波市鄞州区")
    assert "只有管理员" in refusal.text and await bot.rows(DeadlineRule) == []
    [added] = await bot.say(ADMIN, "/deadline add 乡镇 2月20日 宁波市鄞州区 区政府通知")
    assert "次年2月20日前" in added.text and len(await bot.rows(DeadlineRule)) == 1
    [listing] = await bot.say(USER, "/deadline list")
    assert "条例第四十九条" in listing.text and "宁波市鄞州区" in listing.text

    [refusal] = await bot.say(USER, "/status")
    assert "只有管理员" in refusal.text
    bot.at(at(2021, 2, 10, 10))
    [status] = await bot.say(ADMIN, "/status")
    assert status.text.startswith("2020年度报告报送情况")
    assert (
        "宁波市鄞州区白鹤街道办事处 · 乡镇/街道 · 2020年度 · 截止2021-02-20 · 还有10天 · 待提交"
        in status.text
    )
    assert "杭州市上城区白鹤街道办事处 · 乡镇/街道 · 2020年度 · 无截止日期" in status.text
    missing = (
        "舟山市定海区卫生健康局 · 县级以上人民政府部门 · 2020年度 · 截止2021-01-31 · 已逾期10天 · 逾期未交"
    )
    assert missing in status.text
