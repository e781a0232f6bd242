"""Concurrent update handling that keeps each chat in order, and can tell when an update is done.

Updates from different chats run side by side (a slow upload does not hold up other users); updates from
the same chat run one after another, so a question and the button pressed under its answer never race.
The terminal chat and the benchmark wait on :meth:`ChatOrderedProcessor.wait_done` to know that the bot
has finished with an update they pushed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_REMEMBER = 10_000  # finished update ids kept for wait_done()


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 16) -> None:
        super().__init__(max_concurrent_updates)
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}  # chat id → (lock, updates using it)
        self._done: set[int] = set()
        self._finished = asyncio.Condition()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        try:
            if chat is None:
                await coroutine
                return
            lock, users = self._chat_locks.get(chat.id) or (asyncio.Lock(), 0)
            self._chat_locks[chat.id] = (lock, users + 1)
            try:
                async with lock:
                    await coroutine
            finally:
                lock, users = self._chat_locks[chat.id]
                if users == 1:
                    del self._chat_locks[chat.id]
                else:
                    self._chat_locks[chat.id] = (lock, users - 1)
        finally:
            if isinstance(update, Update):
                await self._mark_done(update.update_id)

    async def _mark_done(self, update_id: int) -> None:
        self._done.add(update_id)
        if len(self._done) > _REMEMBER:
            for old in sorted(self._done)[: _REMEMBER // 2]:
                self._done.discard(old)
        async with self._finished:
            self._finished.notify_all()

    async def wait_done(self, update_id: int, timeout: float | None = None) -> None:
        """Return once the bot has finished handling update ``update_id`` (replies sent)."""
        async with self._finished:
            await asyncio.wait_for(self._finished.wait_for(lambda: update_id in self._done), timeout)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
