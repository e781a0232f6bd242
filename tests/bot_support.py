"""The production bot (bot.app) running over real long polling against the Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application

from bot.app import build_application, running
from bot.emulator import BotAPIEmulator, Output
from bot.processor import ChatOrderedProcessor
from core.settings import Settings

ADMIN = 1001
USER = 2002
GROUP = -3003
TIMEOUT = 30.0


@dataclass
class Harness:
    emu: BotAPIEmulator
    app: Application
    settings: Settings

    async def _done(self, chat_id: int) -> list[Output]:
        """Wait until the bot has finished the update just pushed; what it did in ``chat_id`` meanwhile."""
        processor = self.app.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        await processor.wait_done(self.emu.last_update_id, timeout=TIMEOUT)
        return self.emu.take(chat_id)

    async def say(self, chat_id: int, text: str, *, user: int | None = None, **kwargs: Any) -> list[Output]:
        self.emu.push_text(chat_id, user or chat_id, text, **kwargs)
        return await self._done(chat_id)

    async def upload(
        self, chat_id: int, filename: str, data: bytes, *, user: int | None = None, **kwargs: Any
    ) -> list[Output]:
        self.emu.push_document(chat_id, user or chat_id, filename, data, **kwargs)
        return await self._done(chat_id)

    async def press(
        self, output: Output, label: str, *, user: int | None = None
    ) -> tuple[list[Output], dict[str, Any]]:
        """Press a button; the bot's outputs and its answerCallbackQuery."""
        query_id = self.emu.press(output, label, user_id=user or output.chat_id)
        outputs = await self._done(output.chat_id)
        return outputs, self.emu.callback_answers.get(query_id, {})

    async def callback(
        self, chat_id: int, message_id: int, data: str, *, user: int | None = None
    ) -> tuple[list[Output], dict[str, Any]]:
        """A callback with any data, as a forged or stale button would send."""
        query_id = self.emu.push_callback(chat_id, user or chat_id, message_id, data)
        outputs = await self._done(chat_id)
        return outputs, self.emu.callback_answers.get(query_id, {})


@asynccontextmanager
async def bot_harness(sf: async_sessionmaker[AsyncSession], **settings: Any) -> AsyncIterator[Harness]:
    async with BotAPIEmulator() as emu:
        config = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=emu.token,
            admin_ids=[ADMIN],
            **settings,
        )
        app = build_application(
            config, sf, base_url=emu.base_url, base_file_url=emu.base_file_url, throttle=False
        )
        for job in app.job_queue.jobs():  # type: ignore[union-attr]
            job.enabled = False  # reminder sweeps are tested with the reminders
        async with running(app, config, poll_timeout=1):
            yield Harness(emu, app, config)
            emu.release_polls()
