"""The Bot API emulator answers python-telegram-bot's real requests the way Telegram does."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.emulator import BotAPIEmulator


@pytest.fixture
async def emu():
    async with BotAPIEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu):
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


async def test_get_me_and_unknown_method(emu, bot):
    assert bot.username == "nianbao_bot"
    with pytest.raises(BadRequest, match="(?i)not implemented"):
        await bot.do_api_request("fooBar", api_kwargs={"chat_id": 1})
    assert [c.method for c in emu.calls] == ["getMe", "fooBar"]


async def test_wrong_token_is_rejected(emu):
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=emu.base_url):
            pass


async def test_send_message_validates_html_and_length(emu, bot):
    sent = await bot.send_message(7, "<b>定海区</b> &lt;表&gt;", parse_mode="HTML")
    assert sent.text == "定海区 <表>"
    with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
        await bot.send_message(7, "1 < 2 & 3", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)end tag"):
        await bot.send_message(7, "<pre>open", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)too long"):
        await bot.send_message(7, "字" * 4097)
    await bot.send_message(7, "字" * 4096)
    assert [o.text[:3] for o in emu.chat_outputs(7)] == ["定海区", "字字字"]


async def test_callback_data_limit_and_edits(emu, bot):
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="a" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(7, "hi", reply_markup=too_long)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("查看", callback_data="fnd:1")]])
    sent = await bot.send_message(7, "hi", reply_markup=ok)
    with pytest.raises(BadRequest, match="(?i)not modified"):
        await bot.edit_message_text("hi", 7, sent.message_id, reply_markup=ok)
    edited = await bot.edit_message_text("bye", 7, sent.message_id)
    assert edited.text == "bye" and edited.reply_markup is None
    with pytest.raises(BadRequest, match="(?i)not found"):
        await bot.edit_message_text("x", 7, 999)
    assert await bot.delete_message(7, sent.message_id)


async def test_document_roundtrip_and_download_limit(emu, bot):
    sent = await bot.send_document(
        7, b"a,b\n1,2\n", filename="data.csv", caption="<b>导出</b>", parse_mode="HTML"
    )
    assert sent.document.file_name == "data.csv" and sent.caption == "导出"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a,b\n1,2\n"
    emu.push_document(7, 7, "big.pdf", b"%PDF", file_size=25 * 1024 * 1024)
    (update,) = await bot.get_updates()
    assert update.message.document.file_size == 25 * 1024 * 1024
    with pytest.raises(BadRequest, match="(?i)too big"):
        await bot.get_file(update.message.document.file_id)


async def test_get_updates_long_polls_and_confirms_offset(emu, bot):
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    emu.push_text(7, 7, "/start")
    (update,) = await poll
    assert update.message.text == "/start" and update.message.entities[0].type == "bot_command"
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [update.update_id]  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_injected_faults(emu, bot):
    emu.fail_next("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(7, "x")
    assert "Retry in 3 seconds" in str(caught.value)
    emu.fail_next("sendMessage", "5xx")
    with pytest.raises(NetworkError):
        await bot.send_message(7, "x")
    emu.fail_next("sendMessage", "403", chat_id=8)
    await bot.send_message(7, "reaches 7")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(8, "x")
    assert [c.fault for c in emu.calls_of("sendMessage")] == ["429", "5xx", None, "403"]
    assert [o.text for o in emu.outputs] == ["reaches 7"]


async def test_injected_delay_times_out_the_client(emu):
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as slow:
        emu.fail_next("sendMessage", "delay", delay=1.0)
        with pytest.raises(TimedOut):
            await slow.send_message(7, "x")


async def test_wait_for_replies_reports_what_it_saw(emu, bot):
    await bot.send_message(7, "first")
    (reply,) = await emu.wait_for_replies(7)
    assert reply.text == "first"
    with pytest.raises(TimeoutError, match="first"):
        await emu.wait_for_replies(7, timeout=0.1)
