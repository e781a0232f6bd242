"""The terminal chat: type messages to the bot as a Telegram user would, through the emulator.

It is only a client of the emulator; the bot on the other side is the production Application. Lines are
read until EOF, so it can be scripted: ``printf '定海区收到多少申请\\n' | python -m bot``.

- ``/upload PATH`` sends a file (``/upload PATH 仅检查``: to be checked only); ``/quit`` (or end of input) leaves.
- Buttons under the bot's last message with buttons are numbered; typing the number presses it.
- Files and pictures the bot sends are saved to a temporary folder and their paths printed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from pathlib import Path
from typing import TextIO

from bot.emulator import BotAPIEmulator, Output
from bot.processor import ChatOrderedProcessor

REPLY_TIMEOUT_S = 300.0  # parsing a large PDF may take a while; the parse limit is a setting


class TerminalChat:
    def __init__(
        self,
        emulator: BotAPIEmulator,
        processor: ChatOrderedProcessor,
        *,
        user_id: int,
        language_code: str = "zh-hans",
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        downloads: Path | None = None,
    ) -> None:
        self.emu = emulator
        self.processor = processor
        self.chat_id = self.user_id = user_id
        self.language_code = language_code
        self.stdin = stdin
        self.out = stdout
        self.interactive = stdin.isatty()
        self.buttons: list[tuple[Output, dict[str, str]]] = []
        self.printed = 0
        self._downloads = downloads

    @property
    def downloads(self) -> Path:
        """Where files the bot sends are saved for the user to open; made on the first one only."""
        if self._downloads is None:
            self._downloads = Path(tempfile.mkdtemp(prefix="nianbao-chat-"))
        return self._downloads

    # ------------------------------------------------------------ output

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, output: Output) -> None:
        if output.kind == "delete":
            self.say("（机器人删除了一条消息）")
            return
        prefix = "（已编辑）" if output.kind == "edit" else ""
        if output.data is not None:
            name = output.filename or f"photo_{output.message_id}.png"
            path = self.downloads / name
            path.write_bytes(output.data)
            label = "图片" if output.kind == "photo" else "文件"
            self.say(f"🤖 [{label}] {path}")
        if output.text:
            self.say(f"🤖 {prefix}{output.text}")
        buttons = [b for b in output.buttons if "callback_data" in b]
        if buttons:
            self.buttons = [(output, b) for b in buttons]
            self.say("   " + "  ".join(f"[{i}] {b['text']}" for i, b in enumerate(buttons, 1)))
        self.say("")

    async def print_outputs(self) -> None:
        """Print everything the bot does in this chat, as it happens (reminders included)."""
        kinds = ("message", "document", "photo", "edit", "delete")
        while True:
            try:
                outputs = await self.emu.wait_for_replies(self.chat_id, kinds=kinds, timeout=3600)
            except TimeoutError:  # an idle hour; keep listening
                continue
            for output in outputs:
                self.show(output)
                self.printed += 1

    async def _caught_up(self) -> None:
        while self.printed < len(self.emu.chat_outputs(self.chat_id)):
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------ input

    def push(self, line: str) -> str | None:
        """Turn a typed line into an update; returns an error to print instead, if any."""
        if line.startswith("/upload"):
            arg = line[len("/upload") :].strip()
            caption = next((w for w in ("仅检查", "check") if arg.endswith(" " + w)), None)
            arg = arg.removesuffix(" " + caption).strip() if caption else arg  # a check only, not stored
            arg = arg.strip("'\"")
            if not arg:
                return "用法：/upload 文件路径 [仅检查]"
            path = Path(arg).expanduser()
            if not path.is_file():
                return f"找不到文件：{path}"
            self.emu.push_document(
                self.chat_id,
                self.user_id,
                path.name,
                path.read_bytes(),
                caption=caption,
                language_code=self.language_code,
            )
            return None
        if line.isdigit() and self.buttons:
            index = int(line) - 1
            if not 0 <= index < len(self.buttons):
                return f"没有第 {line} 个按钮（共 {len(self.buttons)} 个）。"
            output, button = self.buttons[index]
            self.emu.push_callback(
                self.chat_id,
                self.user_id,
                output.message_id,
                button["callback_data"],
                language_code=self.language_code,
            )
            return None
        self.emu.push_text(self.chat_id, self.user_id, line, language_code=self.language_code)
        return None

    def _read_lines(self, queue: asyncio.Queue[str | None], loop: asyncio.AbstractEventLoop) -> None:
        # A daemon thread: a blocked readline() must not keep the process alive after /quit or Ctrl-C.
        for line in self.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    async def run(self, stop: asyncio.Event) -> None:
        if self.interactive:
            self.say(
                "终端聊天已连接到机器人（本地模拟的 Telegram）。直接输入问题；/upload 文件路径 上传报告（末尾加“仅检查”则只检查不入库）；"
            )
            self.say("输入按钮前的数字按下按钮；/start 查看说明；/quit 退出。\n")
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        threading.Thread(
            target=self._read_lines, args=(lines, asyncio.get_running_loop()), daemon=True
        ).start()
        printer = asyncio.create_task(self.print_outputs())
        stopping = asyncio.create_task(stop.wait())
        try:
            while True:
                if self.interactive:
                    print("你：", end="", file=self.out, flush=True)
                getting = asyncio.create_task(lines.get())
                await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not getting.done():
                    getting.cancel()
                    break
                line = getting.result()
                if line is None or line.strip() in ("/quit", "/exit"):
                    break
                line = line.strip()
                if not line:
                    continue
                if not self.interactive:
                    self.say(f"» {line}")
                error = self.push(line)
                if error:
                    self.say(error)
                    continue
                await self._wait_for_bot(self.emu.last_update_id)
        finally:
            printer.cancel()
            stopping.cancel()

    async def _wait_for_bot(self, update_id: int) -> None:
        try:
            await self.processor.wait_done(update_id, timeout=REPLY_TIMEOUT_S)
        except TimeoutError:
            self.say(f"（{REPLY_TIMEOUT_S:g} 秒内没有处理完，继续等待回复时可以接着输入）")
            return
        await self._caught_up()
