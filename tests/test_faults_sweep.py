"""Killing the bot during a reminder sweep (issue #8): nothing is ever sent twice.

The semantics are the sweep's (core/deadlines/sweep.py): each reminder is claimed in the database before
it is sent, and only a send that certainly did not reach Telegram gives the claim back. So a process that
dies between claiming and sending loses that one message rather than risking a duplicate, and one that dies
after sending but before recording the outcome does not send it again either. The next reminder point of
the same subscription still goes out.

Three real processes sweep in turn against the Bot API emulator, the clock frozen at the reminder time:
two runs of the bot's sweep job, SIGKILLed at chosen points (tests/faults_support.py), then the bot itself
(``python -m bot``), whose job sweeps once after it starts.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot_support import ADMIN
from deadlines_support import CONFIG, Outbox, add_agency, at
from faults_support import kill_when_paused, spawn
from sqlalchemy import select

from bot.emulator import BotAPIEmulator
from core.deadlines.models import ReminderSent
from core.deadlines.subscriptions import subscribe
from core.deadlines.sweep import plan_sweep
from core.storage.db import open_db

CHATS = (101, 102, 103, 104)  # subscribed in this order: the sweep sends in this order
NOW = at(2021, 1, 1, 9)  # the 30-days-before reminder of a department's 2020 report (due 2021-01-31)
SWEPT = "deadline sweep:"  # the bot's log line at the end of a sweep that sent something


async def _statuses(db_url: str) -> dict[int, tuple[str, int | None]]:
    async with open_db(db_url) as sf, sf() as session:
        rows = (await session.execute(select(ReminderSent))).scalars()
        return {r.chat_id: (r.status, r.message_id) for r in rows}


def _delivered(emu: BotAPIEmulator, chat: int) -> int:
    return sum(o.kind == "message" for o in emu.chat_outputs(chat))


async def test_a_sweep_killed_after_claiming_or_after_sending_never_sends_twice(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with open_db(db_url) as sf:
        agency = await add_agency(sf, "舟山市定海区卫生健康局", "定海区卫生健康局", "舟山市定海区")
        for chat in CHATS:
            await subscribe(sf, chat, agency, at(2020, 12, 1, 10))
    c1, c2, c3, c4 = CHATS

    async with BotAPIEmulator() as emu:
        env = {
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_BASE_URL": emu.base_url,
            "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
            "DATABASE_URL": db_url,
            "ADMIN_IDS": str(ADMIN),
            "NIANBAO_NOW": NOW.isoformat(),
        }
        # 1. Dies right after claiming the second reminder, before sending it.
        first = tmp_path / "first.log"
        await kill_when_paused(
            await spawn(["sweep", "after:core.deadlines.sweep._claim:2"], env, first), first
        )
        assert [_delivered(emu, c) for c in CHATS] == [1, 0, 0, 0]
        assert await _statuses(db_url) == {c1: ("sent", 1), c2: ("claimed", None)}

        # 2. Dies after Telegram took the next reminder, before recording it.
        second = tmp_path / "second.log"
        await kill_when_paused(
            await spawn(["sweep", "before:core.deadlines.sweep._record:1"], env, second), second
        )
        assert [_delivered(emu, c) for c in CHATS] == [1, 0, 1, 0]
        assert (await _statuses(db_url))[c3] == ("claimed", None)

        # 3. Runs to the end of its sweep.
        third = tmp_path / "third.log"
        proc = await spawn(["bot"], env, third)
        try:
            async with asyncio.timeout(60):
                while SWEPT not in third.read_text():
                    await asyncio.sleep(0.1)
        finally:
            emu.release_polls()
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
        assert proc.returncode == 0, third.read_text()

    # Nothing twice; the one claimed-but-unsent reminder is lost, as chosen.
    assert [_delivered(emu, c) for c in CHATS] == [1, 0, 1, 1]
    assert "1 sent, 0 failed, 0 to retry" in third.read_text()
    assert await _statuses(db_url) == {
        c1: ("sent", 1),
        c2: ("claimed", None),
        c3: ("claimed", None),
        c4: ("sent", 1),
    }
    async with open_db(db_url) as sf:
        outbox = Outbox()
        assert (await outbox.sweep(sf, NOW)).planned == 0 and outbox.sent == []  # a later sweep: nothing
        async with sf() as session:
            later = await plan_sweep(session, at(2021, 1, 17, 9), CONFIG)
    assert sorted((o.chat_id, o.offset) for o in later) == [(c, 14) for c in CHATS]  # c2 is reminded again
