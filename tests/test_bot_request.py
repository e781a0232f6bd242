"""The bot's Bot API client (bot.request, aiohttp): what Telegram receives, and its errors as PTB's."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.emulator import BotAPIEmulator
from bot.request import AiohttpRequest


async def test_files_keep_their_chinese_names_and_fields_their_values():
    async with BotAPIEmulator() as emu:
        emu.push_text(42, 42, "hi")  # the chat must exist
        bot = Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest())
        async with bot:
            await bot.send_document(42, b"PK\x03\x04data", filename='定海区 "2021" 年报.docx', caption="<b>草稿</b>",
                                    parse_mode="HTML")  # fmt: skip
            await bot.send_message(42, "a & b = 34 件")
        document, message = emu.chat_outputs(42)
    assert document.filename == '定海区 "2021" 年报.docx' and document.data == b"PK\x03\x04data"
    assert document.text == "草稿"
    assert message.text == "a & b = 34 件"


async def test_an_unreachable_server_is_a_network_error_and_a_slow_one_a_timeout():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    bot = Bot("1:x", base_url=f"http://127.0.0.1:{closed}/bot", request=AiohttpRequest())
    with pytest.raises(NetworkError):
        await bot.initialize()
    async with BotAPIEmulator() as emu:
        emu.fail_next("getMe", "delay", delay=2.0)
        slow = Bot(emu.token, base_url=emu.base_url, request=AiohttpRequest(read_timeout=0.5))
        with pytest.raises(TimedOut):
            await slow.initialize()
