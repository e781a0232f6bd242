"""Webhook mode (issue #17): the secret on every POST, /healthz, and a stop that finishes what it accepted."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from bot_support import ADMIN, USER
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bot.app import build_application, running
from bot.emulator import BotAPIEmulator
from bot.webhook import HEALTH_PATH, SECRET_HEADER, WebhookServer, webhook_secret
from core.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _update(update_id: int, chat_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "u", "language_code": "zh"},
        },
    }


@asynccontextmanager
async def webhook_bot(sf, **extra) -> AsyncIterator[tuple[BotAPIEmulator, Settings, str]]:
    port = _free_port()
    async with BotAPIEmulator() as emu:
        settings = Settings(
            _env_file=None,
            telegram_bot_token=emu.token,
            admin_ids=[ADMIN],
            webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
            webhook_listen="127.0.0.1",
            webhook_port=port,
            **extra,
        )
        app = build_application(settings, sf, base_url=emu.base_url, base_file_url=emu.base_file_url, throttle=False)
        async with running(app, settings):
            yield emu, settings, f"http://127.0.0.1:{port}"


async def test_updates_come_by_webhook_with_the_secret_and_forgeries_are_refused(sf):
    async with webhook_bot(sf) as (emu, settings, _), aiohttp.ClientSession() as session:
        assert emu.webhook_url == settings.webhook_url
        assert emu.webhook_secret == webhook_secret(settings)
        emu.push_text(USER, USER, "/help")
        (reply,) = await emu.wait_for_replies(USER)
        assert "/check" in reply.text
        forged = _update(77, USER, "/start")
        async with session.post(settings.webhook_url, json=forged) as response:
            assert response.status == 403
        wrong = {SECRET_HEADER: "x" * 48}
        async with session.post(settings.webhook_url, json=forged, headers=wrong) as response:
            assert response.status == 403
        right = {SECRET_HEADER: webhook_secret(settings)}
        async with session.post(settings.webhook_url, data=b"not json", headers=right) as response:
            assert response.status == 400
    assert emu.calls_of("getUpdates") == []


async def test_a_configured_secret_is_the_one_telegram_is_given(sf):
    async with webhook_bot(sf, webhook_secret="shared-by-every-process_1") as (emu, _, _):
        assert emu.webhook_secret == "shared-by-every-process_1"


async def test_healthz_reports_the_database_and_the_last_update(sf):
    async with webhook_bot(sf) as (emu, _, base), aiohttp.ClientSession() as session:
        async with session.get(base + HEALTH_PATH) as response:
            before = await response.json()
        assert response.status == 200
        assert before["ok"] is True and before["database"] == "ok" and before["last_update_at"] is None
        emu.push_text(USER, USER, "/help")
        await emu.wait_for_replies(USER)
        async with session.get(base + HEALTH_PATH) as response:
            after = await response.json()
        assert after["last_update_at"] is not None


async def test_healthz_fails_when_the_database_is_unreachable(sf):
    port = _free_port()
    settings = Settings(
        _env_file=None,
        telegram_bot_token="123:abc",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_port=port,
    )
    unreachable = async_sessionmaker(create_async_engine(f"postgresql+asyncpg://u@127.0.0.1:{_free_port()}/x"))
    receiver = WebhookServer(build_application(settings, sf), settings, unreachable)
    await receiver.start()
    try:
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{HEALTH_PATH}") as r:
            body = await r.json()
        assert r.status == 503 and body["ok"] is False and "Error" in body["database"]
        receiver.drain()
        update = _update(1, USER, "/help")
        async with aiohttp.ClientSession() as session, session.post(f"http://127.0.0.1:{port}/hook", json=update) as r:
            assert r.status == 503
    finally:
        await receiver.stop()


async def test_stopping_finishes_every_accepted_update_and_refuses_new_ones(sf):
    chats = list(range(5001, 5021))
    async with webhook_bot(sf) as (emu, settings, base), aiohttp.ClientSession() as session:
        headers = {SECRET_HEADER: webhook_secret(settings)}
        for n, chat in enumerate(chats):
            async with session.post(settings.webhook_url, json=_update(900 + n, chat, "/help"), headers=headers) as r:
                assert r.status == 200
        # Leaving the block stops the bot at once, with most of the 20 updates still queued or running.
    for chat in chats:
        outputs = emu.chat_outputs(chat)
        assert len(outputs) == 1 and "/check" in outputs[0].text, (chat, outputs)


def test_an_empty_secret_setting_means_the_derived_one():
    derived = webhook_secret(Settings(_env_file=None, telegram_bot_token="1:abc"))
    assert webhook_secret(Settings(_env_file=None, telegram_bot_token="1:abc", webhook_secret="")) == derived
    assert len(derived) == 48 and derived != webhook_secret(Settings(_env_file=None, telegram_bot_token="1:abd"))
