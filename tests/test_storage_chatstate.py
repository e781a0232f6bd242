"""Conversation state in the database (issue #17): any process reads what another one stored."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.storage import chatstate

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TTL = timedelta(hours=1)


async def test_a_state_is_read_back_by_key_chat_and_kind(sf):
    key = await chatstate.save(sf, "pick", 42, {"question": "定海区收到多少申请", "options": [1, 2]}, ttl=TTL, now=T0)
    state = await chatstate.load(sf, key, kind="pick", chat_id=42, now=T0 + timedelta(minutes=5))
    assert state is not None
    assert state.payload == {"question": "定海区收到多少申请", "options": [1, 2]}
    assert (state.kind, state.chat_id, state.blob) == ("pick", 42, None)


async def test_another_chat_another_kind_or_an_expired_state_reads_as_absent(sf):
    key = await chatstate.save(sf, "pick", 42, {}, ttl=TTL, now=T0)
    assert await chatstate.load(sf, key, kind="pick", chat_id=43, now=T0) is None
    assert await chatstate.load(sf, key, kind="upload", chat_id=42, now=T0) is None
    assert await chatstate.load(sf, key, kind="pick", chat_id=42, now=T0 + TTL) is None
    assert await chatstate.load(sf, "nonexistent", kind="pick", chat_id=42, now=T0) is None


async def test_files_waiting_for_a_choice_keep_their_bytes(sf):
    data = bytes(range(256)) * 40
    key = await chatstate.save(sf, "upload", -1001234567890, {"name": "报告.docx"}, blob=data, user_id=7, ttl=TTL)
    state = await chatstate.load(sf, key, kind="upload", chat_id=-1001234567890)
    assert state is not None and state.blob == data and state.user_id == 7


async def test_take_hands_a_state_to_exactly_one_of_many_takers(sf):
    key = await chatstate.save(sf, "upload", 42, {"n": 1}, ttl=TTL)
    taken = await asyncio.gather(*(chatstate.take(sf, key, kind="upload", chat_id=42) for _ in range(5)))
    assert [t.payload for t in taken if t is not None] == [{"n": 1}]
    assert await chatstate.load(sf, key, kind="upload", chat_id=42) is None


async def test_take_refuses_a_foreign_chat_and_leaves_the_state(sf):
    key = await chatstate.save(sf, "upload", 42, {}, ttl=TTL)
    assert await chatstate.take(sf, key, kind="upload", chat_id=99) is None
    assert await chatstate.load(sf, key, kind="upload", chat_id=42) is not None


async def test_a_group_comes_back_in_the_order_it_was_stored(sf):
    for i in range(3):
        await chatstate.save(sf, "album", 42, {"i": i}, group_key="g1", ttl=TTL, now=T0 + timedelta(seconds=i))
    await chatstate.save(sf, "album", 42, {"i": 9}, group_key="g2", ttl=TTL, now=T0)
    states = await chatstate.group(sf, "g1", kind="album", chat_id=42, now=T0 + timedelta(seconds=5))
    assert [s.payload["i"] for s in states] == [0, 1, 2]


async def test_purge_removes_only_expired_states(sf):
    old = await chatstate.save(sf, "pick", 42, {}, ttl=timedelta(minutes=1), now=T0)
    fresh = await chatstate.save(sf, "pick", 42, {}, ttl=TTL, now=T0)
    assert await chatstate.purge_expired(sf, now=T0 + timedelta(minutes=2)) == 1
    assert await chatstate.load(sf, fresh, kind="pick", chat_id=42, now=T0) is not None
    assert await chatstate.load(sf, old, kind="pick", chat_id=42, now=T0) is None


async def test_a_group_is_taken_whole_by_one_of_many_takers(sf):
    for i in range(4):
        await chatstate.save(sf, "album", 42, {"i": i}, group_key="g1", ttl=TTL, now=T0 + timedelta(seconds=i))
    await chatstate.save(sf, "album", 43, {"i": 9}, group_key="g1", ttl=TTL, now=T0)  # another chat's
    later = T0 + timedelta(seconds=10)
    taken = await asyncio.gather(*(chatstate.take_group(sf, "g1", kind="album", chat_id=42, now=later) for _ in range(3)))
    assert sorted(len(t) for t in taken) == [0, 0, 4]
    assert [s.payload["i"] for s in max(taken, key=len)] == [0, 1, 2, 3]
    assert len(await chatstate.group(sf, "g1", kind="album", chat_id=43, now=later)) == 1
