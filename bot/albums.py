"""Photos sent together as one album (one ``media_group_id``) arrive as separate updates, a few
milliseconds to a second apart, with no marker on the last one — and behind one webhook address they may
reach different bot processes. Each photo is written to the database as it comes (core.storage.chatstate,
one group per album); once no photo of the album has come for ``QUIET_S`` seconds, the album is taken in
one statement, so exactly one process reads it, with every photo whichever process received it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Message

from core.storage import chatstate

ALBUM = "album"  # the chat state kind of a photo waiting for the rest of its album
ALBUM_TTL = timedelta(minutes=10)
QUIET_S = 1.5


@dataclass(frozen=True)
class AlbumPhoto:
    message_id: int
    file_id: str
    caption: str | None


@dataclass(frozen=True)
class Album:
    chat_id: int
    photos: tuple[AlbumPhoto, ...]  # in the order sent

    @property
    def caption(self) -> str | None:
        return next((p.caption for p in self.photos if p.caption), None)

    @property
    def first_message_id(self) -> int:
        return self.photos[0].message_id


def album_photo(message: Message) -> AlbumPhoto:
    """A photo message as the album keeps it: the largest size, or the image sent as a file."""
    file_id = message.photo[-1].file_id if message.photo else message.document.file_id
    return AlbumPhoto(message.message_id, file_id, message.caption)


async def add(sf: async_sessionmaker[AsyncSession], chat_id: int, group: str, photo: AlbumPhoto) -> None:
    """Keep this photo with its album until the album is complete."""
    payload = {"message_id": photo.message_id, "file_id": photo.file_id, "caption": photo.caption}
    await chatstate.save(sf, ALBUM, chat_id, payload, group_key=group, ttl=ALBUM_TTL)


async def complete(
    sf: async_sessionmaker[AsyncSession], chat_id: int, group: str, *, quiet: float = QUIET_S
) -> Album | None:
    """Wait until the album has been quiet for ``quiet`` seconds and take it: the whole album for one
    caller, None for every other (in this process or another) and when it was taken already."""
    await asyncio.sleep(quiet)
    while True:
        states = await chatstate.group(sf, group, kind=ALBUM, chat_id=chat_id)
        if not states:
            return None
        wait = (max(s.created_at for s in states) - datetime.now(UTC)).total_seconds() + quiet
        if wait > 0.05:
            await asyncio.sleep(wait)
            continue
        taken = await chatstate.take_group(sf, group, kind=ALBUM, chat_id=chat_id)
        if not taken:
            return None
        photos = sorted(
            (AlbumPhoto(s.payload["message_id"], s.payload["file_id"], s.payload["caption"]) for s in taken),
            key=lambda p: p.message_id,
        )
        return Album(chat_id, tuple(photos))
