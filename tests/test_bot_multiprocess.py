"""Two bot processes in webhook mode on one PostgreSQL (issue #17): whichever process gets an update can
finish what the other one started, and when one dies the other carries on."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import build_docx, consistent_values
from multiproc_support import BotProcess, ParityProxy, bot_env
from qa_support import Spec, store

from bot.emulator import BotAPIEmulator, Output
from core.storage.db import open_db
from core.storage.ingest import preload_samples
from core.storage.reports import list_reports

CHATS = list(range(7001, 7021))  # 20 private chats of admins; in a private chat the user id is the chat id
NON_ADMIN = 7500
TIMEOUT = 60.0


@dataclass
class Deployment:
    emu: BotAPIEmulator
    proxy: ParityProxy
    bots: list[BotProcess]
    url: str

    def push_question(self, chat: int, text: str) -> int:
        return self.emu.push_text(chat, chat, text)

    async def reply(self, chat: int, count: int = 1) -> list[Output]:
        return await self.emu.wait_for_replies(chat, count, timeout=TIMEOUT)

    async def flip_to(self, parity: int) -> None:
        """Make the next update id have ``parity``, by a /help from a spare chat if needed."""
        if (self.emu.last_update_id + 1) % 2 != parity:
            self.emu.push_text(7999, 7999, "/help")
            await self.reply(7999)


@pytest.fixture
async def shared_db(postgres_server) -> AsyncIterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    postgres_server.psql(f"CREATE DATABASE {name}")
    url = postgres_server.url(name)
    async with open_db(url) as sf:
        await preload_samples(sf)
        await store(
            sf,
            [
                Spec("宁波市鄞州区人民政府白鹤街道办事处", "白鹤街道", "宁波市鄞州区", 2020,
                     values={"apply.new.total": 11}),
                Spec("宁波市海曙区人民政府白鹤街道办事处", "白鹤街道", "宁波市海曙区", 2020, seed=1,
                     values={"apply.new.total": 22}),
            ],
        )  # fmt: skip
    yield url
    postgres_server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@asynccontextmanager
async def deployment(url: str, tmp_path: Path) -> AsyncIterator[Deployment]:
    async with BotAPIEmulator() as emu:
        bots: list[BotProcess] = []
        proxy = ParityProxy([])
        env = bot_env(
            token=emu.token,
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            database_url=url,
            webhook_url=proxy.url,
            admin_ids=[*CHATS, 7999],
        )
        bots = [BotProcess(env, tmp_path, name) for name in ("a", "b")]
        proxy.backends = [b.hook for b in bots]
        await proxy.start()
        try:
            for b in bots:
                b.start()
            for b in bots:
                await b.wait_healthy()
            assert emu.webhook_url == proxy.url
            yield Deployment(emu, proxy, bots, url)
        finally:
            codes = [b.stop() for b in bots]
            await proxy.stop()
            for b, code in zip(bots, codes, strict=True):
                assert code in (0, -9), f"bot {b.log_path.name} exited with {code}: {b.log()}"


async def _stored_uploads(url: str) -> int:
    async with open_db(url) as sf:
        rows, _ = await list_reports(sf, limit=100)
    return sum(r.agency.startswith("测试市") for r in rows)


def _docx(n: int) -> bytes:
    return build_docx(consistent_values("2021", seed=40 + n), "2021", agency=f"测试市第{n}区人民政府", year=2021)


async def test_twenty_chats_round_robin_over_two_processes_get_one_right_reply_each(shared_db, tmp_path):
    async with deployment(shared_db, tmp_path) as d:
        # 1. A question per chat.
        for chat in CHATS:
            d.push_question(chat, "定海区收到多少申请")
        for chat in CHATS:
            (reply,) = await d.reply(chat)
            assert "34" in reply.text, reply.text

        # 2. A question that needs a choice; each choice is pressed on the other process.
        asked = {chat: d.push_question(chat, "白鹤街道收到多少申请") for chat in CHATS}
        picks = {}
        for chat in CHATS:
            (picks[chat],) = await d.reply(chat)
            assert "请选择" in picks[chat].text and len(picks[chat].buttons) == 2
        await d.flip_to(1 - asked[CHATS[0]] % 2)
        pressed = {chat: None for chat in CHATS}
        for chat in CHATS:
            d.emu.press(picks[chat], "海曙区")
            pressed[chat] = d.emu.last_update_id
        for chat in CHATS:
            (reply,) = await d.reply(chat)
            assert "22 件" in reply.text and "11 件" not in reply.text, reply.text
        for chat in CHATS:
            assert d.proxy.routed[asked[chat]] != d.proxy.routed[pressed[chat]]

        # 3. Uploads by four chats, each undone from the other process.
        uploaders = CHATS[:4]
        uploaded = {}
        for n, chat in enumerate(uploaders):
            uploaded[chat] = d.emu.push_document(chat, chat, f"report{n}.docx", _docx(n))
        summaries = {}
        for chat in uploaders:
            ack, summaries[chat] = await d.reply(chat, 2)
            assert "正在解析" in ack.text and "已入库" in summaries[chat].text, summaries[chat].text
        assert await _stored_uploads(d.url) == 4
        await d.flip_to(1 - uploaded[uploaders[0]] % 2)
        undone = {}
        for chat in uploaders:
            d.emu.press(summaries[chat], "撤销上传")
            undone[chat] = d.emu.last_update_id
        for chat in uploaders:
            (reply,) = await d.reply(chat)
            assert "已撤销上传" in reply.text
            assert d.proxy.routed[uploaded[chat]] != d.proxy.routed[undone[chat]]
        assert await _stored_uploads(d.url) == 0

        # 4. A non-admin's file is offered for checking; the offer is taken on the other process.
        offered = d.emu.push_document(NON_ADMIN, NON_ADMIN, "draft.docx", _docx(9))
        (offer,) = await d.reply(NON_ADMIN)
        await d.flip_to(1 - offered % 2)
        d.emu.press(offer, "仅检查")
        checking, result = await d.reply(NON_ADMIN, 2)
        assert "正在检查" in checking.text and "仅检查，未入库" in result.text, result.text
        assert d.proxy.routed[offered] != d.proxy.routed[d.emu.last_update_id]
        assert await _stored_uploads(d.url) == 0

        # Exactly one reply per update: nothing more arrives.
        await asyncio.sleep(1.0)
        for chat in CHATS:
            messages = [o for o in d.emu.chat_outputs(chat) if o.kind in ("message", "document", "photo")]
            assert len(messages) == 1 + 2 + (3 if chat in uploaders else 0), [m.text[:40] for m in messages]
        assert set(d.proxy.routed.values()) == {0, 1}


async def test_when_one_process_dies_mid_conversation_the_other_carries_on(shared_db, tmp_path):
    async with deployment(shared_db, tmp_path) as d:
        chat = CHATS[0]
        await d.flip_to(1)  # odd ids go to the first process
        asked = d.push_question(chat, "白鹤街道收到多少申请")
        (pick,) = await d.reply(chat)
        assert d.proxy.routed[asked] == 1 % 2 and len(pick.buttons) == 2
        d.bots[1].kill()
        # The press goes to the dead process first; the proxy hands it to the living one, which finds
        # the pick-list in the database.
        await d.flip_to(1)
        d.emu.press(pick, "鄞州区")
        (reply,) = await d.reply(chat)
        assert "11 件" in reply.text and "22 件" not in reply.text, reply.text
        assert d.proxy.routed[d.emu.last_update_id] == 0
        for text in ("定海区收到多少申请", "/help"):
            d.push_question(chat, text)
            (reply,) = await d.reply(chat)
        assert set(list(d.proxy.routed.values())[-3:]) == {0}
        assert (await d.bots[0].wait_healthy())["ok"] is True
