"""Telegram errors (issue #8), injected by the Bot API emulator into answers, upload summaries and reminder
sends: 429 with retry_after, 5xx, timeouts and a blocked user. Each is retried (when Telegram certainly did
not take the message) or recorded, and the bot goes on handling the next update as usual.

Chosen semantics (bot.delivery): 429 is waited out, 5xx and refused connections are retried a few times;
a timeout is never retried, because the message may have arrived and would show twice; a blocked user is
never retried. A reminder that still failed is released for the next sweep only when Telegram certainly did
not take it, and is otherwise recorded as failed and never sent again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import httpx
import pytest
from bot_support import ADMIN, USER, Harness, bot_harness
from conftest import seed
from deadlines_support import add_agency, at
from sqlalchemy import select
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery import SERVER_RETRIES, undelivered
from core.deadlines.models import ReminderSent
from core.deadlines.subscriptions import subscribe
from core.storage.reports import list_reports

QUESTION = "定海区收到多少申请"
OTHER = 4004
BLOCKED, FLAKY, FLOOD, DOWN, SLOW = 5005, 6006, 7007, 8008, 9009  # chats that meet one fault each
APOLOGY = "出错了"


@pytest.fixture(autouse=True)
def short_backoff(monkeypatch):
    """Retry pauses of 10 ms instead of half a second: the same retries, sooner."""
    monkeypatch.setattr("bot.delivery.BACKOFF_S", 0.01)


@pytest.fixture
async def bot(seeded_sf):
    async with bot_harness(seeded_sf) as harness:
        yield harness


def sends(bot: Harness, chat: int) -> list[str | None]:
    """The fault each sendMessage to ``chat`` met (None: delivered), in order."""
    return [c.fault for c in bot.emu.calls_of("sendMessage") if c.params.get("chat_id") == chat]


async def _sweep(bot: Harness, moment: datetime) -> None:
    """The repeating sweep job, run once at ``moment``."""
    bot.settings.nianbao_now = moment
    [job] = bot.app.job_queue.get_jobs_by_name("deadline-sweep")  # type: ignore[union-attr]
    await job.run(bot.app)


async def _ledger(sf) -> dict[int, tuple[str, str | None]]:
    async with sf() as session:
        rows = (await session.execute(select(ReminderSent))).scalars()
        return {r.chat_id: (r.status, r.error) for r in rows}


def _raised(exc: Exception, cause: BaseException | None = None) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (RetryAfter(3), True),
        (_raised(NetworkError("Bad Gateway")), True),  # Telegram answered 502
        (_raised(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), True),
        (_raised(TimedOut(), httpx.ConnectTimeout("no connection")), True),
        (_raised(TimedOut(), httpx.PoolTimeout("no free connection")), True),
        (_raised(TimedOut(), httpx.ReadTimeout("sent, no answer")), False),  # may have arrived
        (_raised(NetworkError("httpx.ReadError"), httpx.ReadError("dropped")), False),
        (_raised(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("x")), False),
        (BadRequest("Message is too long"), False),
        (Forbidden("bot was blocked by the user"), False),
    ],
)
def test_only_what_telegram_certainly_did_not_take_counts_as_undelivered(error, retry):
    assert undelivered(error) is retry


# ---------------------------------------------------------------- answers


async def test_a_flood_limit_on_an_answer_is_waited_out(bot: Harness):
    bot.emu.fail_next("sendMessage", "429", retry_after=1, chat_id=USER)
    (reply,) = await bot.say(USER, QUESTION)
    assert "34" in reply.text
    assert sends(bot, USER) == ["429", None]


async def test_server_errors_on_an_answer_are_retried(bot: Harness):
    bot.emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES, chat_id=USER)
    (reply,) = await bot.say(USER, QUESTION)
    assert "34" in reply.text
    assert sends(bot, USER) == ["5xx"] * SERVER_RETRIES + [None]


async def test_an_answer_telegram_keeps_refusing_is_logged_and_the_bot_carries_on(bot: Harness, caplog):
    bot.emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES + 1, chat_id=USER)
    with caplog.at_level(logging.WARNING):
        (apology,) = await bot.say(USER, QUESTION)
    assert APOLOGY in apology.text  # the retries ran out; the user is told rather than left waiting
    assert sends(bot, USER) == ["5xx"] * (SERVER_RETRIES + 1) + [None]
    assert "Error while handling an update" in caplog.text and "Bad Gateway" in caplog.text
    (reply,) = await bot.say(USER, QUESTION)
    assert "34" in reply.text


async def test_a_blocked_user_is_not_retried_and_others_are_still_answered(bot: Harness):
    bot.emu.fail_next("sendMessage", "403", times=100, chat_id=USER)
    assert await bot.say(USER, QUESTION) == []
    assert sends(bot, USER) == ["403"]  # no retry, and no apology to a chat that blocked the bot
    (reply,) = await bot.say(OTHER, QUESTION)
    assert "34" in reply.text


async def test_timeouts_are_not_retried_and_other_chats_go_on_meanwhile(bot: Harness):
    """Telegram answers after the client gave up (5 s): the answer and the reminder did arrive, so neither
    is sent again; the reminder is recorded as failed. Other chats are served meanwhile."""
    sf = bot.app.bot_data["sf"]
    agency = await add_agency(sf, "舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区")
    await subscribe(sf, SLOW, agency, at(2020, 12, 1, 10))
    bot.emu.fail_next("sendMessage", "delay", delay=5.5, chat_id=USER)
    bot.emu.fail_next("sendMessage", "delay", delay=5.5, chat_id=SLOW)
    bot.emu.push_text(USER, USER, QUESTION)
    waiting = bot.emu.last_update_id
    sweeping = asyncio.create_task(_sweep(bot, at(2021, 1, 1, 9)))
    (other,) = await bot.say(OTHER, QUESTION)  # answered while USER's answer and the reminder hang
    assert "34" in other.text
    await bot.app.update_processor.wait_done(waiting, timeout=30)  # type: ignore[attr-defined]
    await sweeping
    late = await bot.emu.wait_for_replies(USER, 2, timeout=10)
    assert sorted(APOLOGY in o.text for o in late) == [False, True]  # the answer, late, and the apology
    assert sends(bot, USER) == ["delay", None]  # the answer was sent once
    (reminder,) = await bot.emu.wait_for_replies(SLOW, timeout=10)
    assert "还有30天" in reminder.text
    assert {c: s for c, (s, _) in (await _ledger(sf)).items()} == {SLOW: "failed"}
    await _sweep(bot, at(2021, 1, 1, 9, 1))
    assert sends(bot, SLOW) == ["delay"]  # never sent again


# ---------------------------------------------------------------- upload summaries


async def test_an_upload_summary_is_retried_after_429_and_5xx(sf):
    async with bot_harness(sf) as bot:
        bot.emu.fail_next("sendMessage", "429", retry_after=1, chat_id=ADMIN, skip=1)
        ack, summary = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
        assert ack.text.startswith("正在解析") and "已入库" in summary.text
        bot.emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES, chat_id=ADMIN, skip=1)
        ack, summary = await bot.upload(ADMIN, seed("001").name, seed("001").read_bytes())
        assert "已入库" in summary.text
        assert sends(bot, ADMIN) == [None, "429", None, None, *["5xx"] * SERVER_RETRIES, None]


async def test_a_lost_upload_summary_leaves_the_report_stored_once_and_a_resend_shows_it(sf):
    async with bot_harness(sf) as bot:
        bot.emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES + 1, chat_id=ADMIN, skip=1)
        ack, apology = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
        assert ack.text.startswith("正在解析") and APOLOGY in apology.text
        assert (await list_reports(sf))[1] == 1  # stored: only the telling failed
        *_, summary = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
        assert "该报告已存在" in summary.text and "定海区" in summary.text
        assert (await list_reports(sf))[1] == 1


async def test_a_failed_download_is_reported_and_the_next_upload_works(sf):
    async with bot_harness(sf) as bot:
        bot.emu.fail_next("getFile", "5xx", times=SERVER_RETRIES + 1)
        ack, reply = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
        assert "下载文件失败" in reply.text
        assert (await list_reports(sf))[1] == 0
        bot.emu.fail_next("getFile", "5xx", times=SERVER_RETRIES)  # retried within the limit
        *_, summary = await bot.upload(ADMIN, seed("003").name, seed("003").read_bytes())
        assert "已入库" in summary.text


# ---------------------------------------------------------------- reminder sends


async def test_reminders_survive_telegram_errors_and_none_is_sent_twice(sf):
    agency = await add_agency(sf, "舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区")
    chats = (USER, BLOCKED, FLAKY, FLOOD, DOWN)
    for chat in chats:
        await subscribe(sf, chat, agency, at(2020, 12, 1, 10))
    async with bot_harness(sf) as bot:
        emu = bot.emu
        emu.fail_next("sendMessage", "403", times=100, chat_id=BLOCKED)
        emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES, chat_id=FLAKY)
        emu.fail_next("sendMessage", "429", retry_after=1, chat_id=FLOOD)
        emu.fail_next("sendMessage", "5xx", times=SERVER_RETRIES + 1, chat_id=DOWN)
        await _sweep(bot, at(2021, 1, 1, 9))
        ledger = await _ledger(sf)
        assert {c: s for c, (s, _) in ledger.items()} == {
            USER: "sent",
            FLAKY: "sent",  # 5xx retried within the send
            FLOOD: "sent",  # 429 waited out
            BLOCKED: "failed",  # recorded, never retried
        }  # DOWN: still 5xx after the retries, released for the next sweep
        assert "blocked" in (ledger[BLOCKED][1] or "")

        await _sweep(bot, at(2021, 1, 1, 9, 1))
        await _sweep(bot, at(2021, 1, 1, 18))
        assert (await _ledger(sf))[DOWN][0] == "sent"
        assert sends(bot, BLOCKED) == ["403"]  # one attempt in all
        assert sends(bot, DOWN) == ["5xx"] * (SERVER_RETRIES + 1) + [None]
        for chat in (USER, FLAKY, FLOOD, DOWN):
            delivered = [o for o in emu.chat_outputs(chat) if o.kind == "message"]
            assert len(delivered) == 1 and "还有30天" in delivered[0].text, chat
        assert emu.chat_outputs(BLOCKED) == []

        emu.take(USER)
        (reply,) = await bot.say(USER, "/deadlines")  # the bot still answers
        assert "定海区卫生健康局" in reply.text
