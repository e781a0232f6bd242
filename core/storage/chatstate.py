"""Conversation state that a later update may need, kept in the database with an expiry.

Several bot processes can share one database behind one webhook address: the press of a button may reach
another process than the one that drew it. Anything a later update needs — a pick-list and the question it
answers, a file waiting for the user's "store or only check" choice, the photos of an album, a correction
being typed — is a row here, read by whichever process gets that update. Callback data carries only the
row's key (Telegram allows 64 bytes).

A state belongs to one chat and one kind: a key presented from another chat, for another purpose, or after
its expiry reads as absent. :func:`take` deletes and returns in one statement, so when the same button
reaches two processes exactly one of them acts on it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import Field, SQLModel

from core.storage.models import utcnow


class ChatState(SQLModel, table=True):
    __tablename__ = "chat_state"
    __table_args__ = (Index("ix_chat_state_group", "chat_id", "kind", "group_key"),)

    key: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=32)  # "pick", "upload", "album", "correction", …
    chat_id: int = Field(sa_type=BigInteger)
    user_id: int | None = Field(default=None, sa_type=BigInteger)
    # States that belong together (the photos of one album): read back as a group, in key order.
    group_key: str | None = Field(default=None, max_length=128)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    blob: bytes | None = Field(default=None, sa_column=Column(LargeBinary))  # a file awaiting a choice
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


@dataclass(frozen=True)
class State:
    key: str
    kind: str
    chat_id: int
    user_id: int | None
    payload: dict[str, Any]
    blob: bytes | None
    created_at: datetime


def _state(row: ChatState) -> State:
    return State(row.key, row.kind, row.chat_id, row.user_id, row.payload, row.blob, row.created_at)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def new_key() -> str:
    """Short enough for callback data with a prefix and an index; 48 random bits."""
    return secrets.token_urlsafe(6)


async def save(
    sf: async_sessionmaker[AsyncSession],
    kind: str,
    chat_id: int,
    payload: dict[str, Any],
    *,
    ttl: timedelta,
    user_id: int | None = None,
    blob: bytes | None = None,
    group_key: str | None = None,
    key: str | None = None,
    now: datetime | None = None,
) -> str:
    """Store a state for ``ttl`` and return its key (a new random one unless ``key`` is given)."""
    moment = _now(now)
    row = ChatState(
        key=key or new_key(),
        kind=kind,
        chat_id=chat_id,
        user_id=user_id,
        group_key=group_key,
        payload=payload,
        blob=blob,
        created_at=moment,
        expires_at=moment + ttl,
    )
    async with sf() as session:
        session.add(row)
        await session.commit()
    return row.key


def _live(key: str, kind: str, chat_id: int, now: datetime) -> Any:
    return (
        (ChatState.key == key)
        & (ChatState.kind == kind)
        & (ChatState.chat_id == chat_id)
        & (ChatState.expires_at > now)
    )


async def load(
    sf: async_sessionmaker[AsyncSession], key: str, *, kind: str, chat_id: int, now: datetime | None = None
) -> State | None:
    """The live state under ``key`` for this chat and kind, or None (unknown, expired or not theirs)."""
    async with sf() as session:
        row = await session.execute(select(ChatState).where(_live(key, kind, chat_id, _now(now))))
        found = row.scalar_one_or_none()
        return _state(found) if found else None


async def take(
    sf: async_sessionmaker[AsyncSession], key: str, *, kind: str, chat_id: int, now: datetime | None = None
) -> State | None:
    """Delete and return the live state under ``key``: of two processes taking it, one gets it."""
    async with sf() as session:
        result = await session.execute(
            delete(ChatState).where(_live(key, kind, chat_id, _now(now))).returning(ChatState)
        )
        found = result.scalar_one_or_none()
        state = _state(found) if found else None
        await session.commit()
        return state


async def group(
    sf: async_sessionmaker[AsyncSession],
    group_key: str,
    *,
    kind: str,
    chat_id: int,
    now: datetime | None = None,
) -> list[State]:
    """The live states of one group (e.g. an album's photos), oldest first."""
    async with sf() as session:
        rows = await session.execute(
            select(ChatState)
            .where(
                (ChatState.group_key == group_key)
                & (ChatState.kind == kind)
                & (ChatState.chat_id == chat_id)
                & (ChatState.expires_at > _now(now))
            )
            .order_by(ChatState.created_at, ChatState.key)
        )
        return [_state(r) for r in rows.scalars()]


async def take_group(
    sf: async_sessionmaker[AsyncSession],
    group_key: str,
    *,
    kind: str,
    chat_id: int,
    now: datetime | None = None,
) -> list[State]:
    """Delete and return the live states of one group, oldest first: of two processes taking the same
    group, one gets all of it and the other nothing."""
    async with sf() as session:
        result = await session.execute(
            delete(ChatState)
            .where(
                (ChatState.group_key == group_key)
                & (ChatState.kind == kind)
                & (ChatState.chat_id == chat_id)
                & (ChatState.expires_at > _now(now))
            )
            .returning(ChatState)
        )
        states = [_state(r) for r in result.scalars()]
        await session.commit()
    return sorted(states, key=lambda st: (st.created_at, st.key))


async def purge_expired(sf: async_sessionmaker[AsyncSession], *, now: datetime | None = None) -> int:
    """Delete expired states; returns how many. Run now and then (the reminder sweep does)."""
    async with sf() as session:
        result = await session.execute(delete(ChatState).where(ChatState.expires_at <= _now(now)))
        await session.commit()
        return result.rowcount or 0
