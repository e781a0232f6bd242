"""Photos sent together as one album (one ``media_group_id``) arrive as separate updates, a few
milliseconds to a second apart, with no marker on the last one. They are collected here and handed over
together once no further photo of the album has come for ``quiet`` seconds.

The collection lives in this one object (in ``bot_data``), keyed by chat and album: moving conversation
state into the database later replaces this class, not its callers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Message

ALBUMS_KEY = "albums"


@dataclass
class Album:
    messages: list[Message] = field(default_factory=list)
    last: float = 0.0

    @property
    def caption(self) -> str | None:
        return next((m.caption for m in self.messages if m.caption), None)


class Albums:
    def __init__(self, quiet: float = 1.5) -> None:
        self.quiet = quiet
        self._open: dict[tuple[int, str], Album] = {}

    def add(self, message: Message, then: Callable[[Album], Awaitable[None]]) -> asyncio.Task[None] | None:
        """Add a photo of an album. The first photo starts the wait, which calls ``then`` with the whole
        album (photos in the order sent) and is returned; later photos only join it (None)."""
        assert message.media_group_id is not None
        key = (message.chat_id, message.media_group_id)
        album = self._open.get(key)
        first = album is None
        if album is None:
            album = self._open[key] = Album()
        album.messages.append(message)
        album.last = time.monotonic()
        if not first:
            return None
        return asyncio.get_running_loop().create_task(self._close(key, then))

    async def _close(self, key: tuple[int, str], then: Callable[[Album], Awaitable[None]]) -> None:
        album = self._open[key]
        while (wait := album.last + self.quiet - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        del self._open[key]
        album.messages.sort(key=lambda m: m.message_id)
        await then(album)
