"""The terminal chat and ``python -m bot`` itself: scripted input, production polling mode, shutdown."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sys
from pathlib import Path

from bot_support import ADMIN, bot_harness
from conftest import ROOT, seed

from bot.emulator import BotAPIEmulator
from bot.terminal import TerminalChat


async def test_terminal_chat_types_uploads_and_presses_buttons(seeded_sf, tmp_path):
    script = "\n".join(
        [
            "定海区收到多少申请",
            "/start",
            "1",
            f"/upload {seed('001')}",
            f"/upload {seed('001')} 仅检查",
            "/upload /no/such/file",
            "/export",
            "/quit",
            "never sent",
        ]
    )
    out = io.StringIO()
    async with bot_harness(seeded_sf) as bot:
        chat = TerminalChat(
            bot.emu, bot.app.update_processor, user_id=ADMIN, stdin=io.StringIO(script + "\n"), stdout=out,
            downloads=tmp_path,
        )
        await chat.run(asyncio.Event())
    text = out.getvalue()
    assert "» 定海区收到多少申请\n🤖 定海区 2020 年" in text and "34 件" in text
    assert "[1] 定海区收到多少申请" in text  # /start's example buttons, numbered
    assert text.count("34 件") == 2  # pressing 1 asked the example
    assert "该报告已存在，上传于" in text  # seed 001 was preloaded
    assert "仅检查，未入库：001_" in text  # the same file checked only
    assert "找不到文件：/no/such/file" in text
    saved = next(line for line in text.splitlines() if "[文件]" in line).split("] ", 1)[1]
    assert Path(saved).read_bytes().startswith(b"\xef\xbb\xbfreport_id")
    assert "never sent" not in text


async def _run_bot(env: dict[str, str], stdin: bytes | None = None) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env={**os.environ, **env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_without_token_the_terminal_chat_answers_from_the_preloaded_seeds(tmp_path):
    proc = await _run_bot({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "TELEGRAM_BOT_TOKEN": ""})
    out, err = await asyncio.wait_for(proc.communicate("定海区收到多少申请\n".encode()), 120)
    assert proc.returncode == 0, err.decode()
    assert "34 件" in out.decode()
    log = err.decode()
    assert "local emulator" in log and "5 seed reports preloaded" in log and "Asia/Shanghai" in log


async def test_with_a_token_it_polls_the_configured_server_and_stops_on_sigterm(tmp_path):
    async with BotAPIEmulator() as emu:
        proc = await _run_bot(
            {
                "TELEGRAM_BOT_TOKEN": emu.token,
                "TELEGRAM_BASE_URL": emu.base_url,
                "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
                "ADMIN_IDS": str(ADMIN),
            }
        )
        emu.push_text(ADMIN, ADMIN, "/help")
        (reply,) = await emu.wait_for_replies(ADMIN, timeout=60)
        assert "您是管理员" in reply.text
        emu.release_polls()
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    log = err.decode()
    assert proc.returncode == 0, log
    assert "long polling http://127.0.0.1" in log and "Asia/Shanghai" in log and "Stopped" in log
    assert emu.token not in log and emu.token.split(":")[1] not in log
