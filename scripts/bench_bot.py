"""Bot throughput: the production Application (bot.app) over real long polling against the Bot API
emulator (tests/bot_support.bot_harness), counting updates the bot finished and answered per second."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import bench_paths  # noqa: F401  (sys.path first)
from bench_data import agency_meta, agency_names, report_values, template_of
from bot_support import ADMIN, bot_harness
from builders import build_docx
from multiproc_support import BotProcess, bot_env
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.emulator import BotAPIEmulator
from bot.processor import ChatOrderedProcessor

FIRST_CHAT = 100_000  # private chats of ordinary users: chat id = user id
DONE_TIMEOUT = 600.0


@dataclass
class Throughput:
    updates: int
    answered: int  # updates that got at least one message back
    seconds: float

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds


_FIGURES = ("收到多少申请", "办结了多少件", "的申请人构成", "行政复议多少件", "予以公开多少件", "的实质公开率")


def distinct_questions(agency_count: int, year: int, count: int) -> list[str]:
    """``count`` questions no two alike (agencies × figures × the two years before ``year``), none of them
    in :func:`questions`' mix: a kept answer never helps."""
    shorts = list(dict.fromkeys(agency_meta(n).short_name for n in agency_names(agency_count)))
    combos = ((s, f, y) for y in (year - 1, year - 2) for f in _FIGURES for s in shorts)
    return [f"{s}{y}年{f}" for s, f, y in itertools.islice(combos, count)]


def questions(agency_count: int, year: int) -> list[str]:
    """A mix of what users ask: single figures about many agencies, breakdowns, rankings, comparisons."""
    names = agency_names(agency_count)
    shorts = [agency_meta(n).short_name for n in names[:: max(1, len(names) // 20)]]
    asked = [f"{s}{year}年收到多少申请" for s in shorts]
    asked += [f"{s}的申请人构成" for s in shorts[:5]]
    asked += [f"比较{a}和{b}的行政复议" for a, b in zip(shorts[:5], shorts[5:10], strict=False)]
    asked += [
        f"{year}年哪个单位收到的申请最多",
        "top 3 by 行政处罚",
        f"how many requests did {shorts[0]} receive",
    ]
    return asked


async def _finish(processor: ChatOrderedProcessor, update_ids: Sequence[int]) -> None:
    for update_id in update_ids:
        await processor.wait_done(update_id, timeout=DONE_TIMEOUT)


async def ask_throughput(
    sf: async_sessionmaker[AsyncSession], asked: Sequence[str], chats: int, total: int
) -> Throughput:
    """``total`` questions from ``chats`` users at once; the clock runs from the first push to the last
    update handled. One question beforehand warms the agency name index (built once per process)."""
    async with bot_harness(sf) as bot:
        processor = bot.app.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        await bot.say(FIRST_CHAT, asked[0])
        pushed: Counter[int] = Counter()
        start = time.perf_counter()
        ids = []
        for i in range(total):
            chat = FIRST_CHAT + i % chats
            ids.append(bot.emu.push_text(chat, chat, asked[i % len(asked)]))
            pushed[chat] += 1
        await _finish(processor, ids)
        seconds = time.perf_counter() - start
        replies = {chat: sum(o.kind == "message" for o in bot.emu.take(chat)) for chat in pushed}
    return Throughput(total, sum(min(n, replies[chat]) for chat, n in pushed.items()), seconds)


def upload_files(first_index: int, count: int, year: int) -> list[tuple[str, bytes]]:
    """Word reports (generated with python-docx, Word's merged cells) of agencies not stored yet."""
    names = agency_names(first_index + count)[first_index:]
    template = template_of(year)
    return [
        (f"{agency_meta(name).short_name}{year}年报.docx",
         build_docx(report_values(first_index + i, year), template, agency=name, year=year,
                    published_on=date(year + 1, 1, 20)))
        for i, name in enumerate(names)
    ]  # fmt: skip


async def upload_throughput(
    sf: async_sessionmaker[AsyncSession], files: Sequence[tuple[str, bytes]]
) -> Throughput:
    """An administrator sends the files one after another in a private chat (the bot handles one
    chat's updates in order); an upload is answered when the bot replied that it was stored."""
    async with bot_harness(sf) as bot:
        processor = bot.app.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        start = time.perf_counter()
        ids = [bot.emu.push_document(ADMIN, ADMIN, name, data) for name, data in files]
        await _finish(processor, ids)
        seconds = time.perf_counter() - start
        stored = sum("已入库" in o.text for o in bot.emu.take(ADMIN))
    return Throughput(len(files), stored, seconds)


@dataclass
class ProcessRun:
    throughput: Throughput
    peak_rss_mb: float  # the bot process's high-water mark (VmHWM), start-up and every question included


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


async def bot_process(url: str, asked: Sequence[str], chats: int, total: int, workdir: Path) -> ProcessRun:
    """The bot as it is deployed — its own process (``python -m bot``), webhook mode — over the database at
    ``url``, with this process playing Telegram (the emulator): ``total`` questions from ``chats`` chats at
    once. Its memory is read from /proc before it is stopped."""
    async with BotAPIEmulator() as emu:
        env = bot_env(
            token=emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, database_url=url,
            webhook_url="", admin_ids=[ADMIN],
        )  # fmt: skip
        bot = BotProcess(env, workdir, "bench-bot")
        bot.env["WEBHOOK_URL"] = bot.hook
        bot.start()
        try:
            await bot.wait_healthy()
            emu.push_text(FIRST_CHAT, FIRST_CHAT, asked[0])
            await emu.wait_for_replies(FIRST_CHAT, timeout=DONE_TIMEOUT)
            pushed: Counter[int] = Counter()
            start = time.perf_counter()
            for i in range(total):
                chat = FIRST_CHAT + i % chats
                emu.push_text(chat, chat, asked[i % len(asked)])
                pushed[chat] += 1
            for chat, n in pushed.items():
                await emu.wait_for_replies(chat, n, timeout=DONE_TIMEOUT)
            seconds = time.perf_counter() - start
            assert bot.process is not None
            peak = _peak_rss_mb(bot.process.pid)
        finally:
            bot.stop()
    return ProcessRun(Throughput(total, total, seconds), peak)
