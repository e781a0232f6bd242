"""Telegram HTML output: escaping, CJK-aligned tables in <pre>, and splitting long replies.

Telegram rejects messages over 4096 characters (counted in UTF-16 code units) and PTB has no splitter,
so every reply that may be long goes through :func:`send_long`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, MessageLimit
from telegram.error import TelegramError

from core.render import text_table, truncate

LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096
ECHO_COLUMNS = 60  # user text quoted back in a reply (a name, a format, a command)
ERROR_COLUMNS = 600  # a one-line error that may quote the user's arguments
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


def esc(value: object) -> str:
    """Escape report or user text for parse_mode=HTML."""
    return html.escape(str(value), quote=False)


def clip(text: str, columns: int = ECHO_COLUMNS) -> str:
    """User text to quote back, cut short: however long the message (Telegram allows 4096 characters,
    a client of the emulator more), the reply that quotes it still fits in one message."""
    return truncate(text, columns)


def pre(text: str) -> str:
    """Preformatted block; ``text`` is plain (it is escaped here)."""
    return f"<pre>{esc(text)}</pre>"


def pre_table(rows: Sequence[Sequence[object]], header: Sequence[object] | None = None) -> str:
    """A table aligned for CJK (core.render), escaped, in a <pre> block."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    return pre(text_table(cells, [str(h) for h in header] if header else None))


# ---------------------------------------------------------------- splitting


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _tag_stack(line: str, stack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Open tags (name, opening text) after ``line``, given those open before it."""
    stack = list(stack)
    for m in _TAG.finditer(line):
        closing, name = m.group(1), m.group(2).lower()
        if not closing:
            stack.append((name, m.group(0)))
        else:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
    return stack


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: list[tuple[str, str]]) -> str:
    return "".join(opening for _, opening in stack)


def _hard_split(line: str, size: int) -> list[str]:
    """Cut a line longer than ``size`` without cutting through a tag or an entity."""
    pieces = []
    while units(line) > size:
        cut = size
        while units(line[:cut]) > size:
            cut -= 1
        head = line[:cut]
        lt, amp = head.rfind("<"), head.rfind("&")
        if lt > head.rfind(">"):
            cut = lt
        elif amp > head.rfind(";"):
            cut = amp
        cut = max(cut, 1)
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split HTML on line boundaries into chunks of at most ``limit`` units.

    Tags open at a cut (typically a <pre> table) are closed at the end of one chunk and reopened at the
    start of the next, so every chunk is valid HTML on its own. Lines longer than a chunk are cut too.
    """
    if units(text) <= limit:
        return [text]
    reserve = min(64, limit // 4)  # room for closing and reopening tags around a cut
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_hard_split(line, limit - reserve) if units(line) > limit - reserve else [line])

    chunks: list[str] = []
    current = ""
    stack: list[tuple[str, str]] = []  # tags open at the end of ``current``
    for line in lines:
        after = _tag_stack(line, stack)
        candidate = f"{current}\n{line}" if current else line
        if current and units(candidate) + units(_closers(after)) > limit:
            chunks.append(current + _closers(stack))
            candidate = _openers(stack) + line
        current, stack = candidate, after
    if current.strip():
        chunks.append(current + _closers(stack))
    return [c for c in chunks if _TAG.sub("", c).strip()]


async def send_long(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> list[Message]:
    """Send ``text`` as one or more messages; the keyboard goes on the last one."""
    chunks = split_message(text)
    sent = []
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        sent.append(
            await bot.send_message(chat_id, chunk, reply_markup=reply_markup if last else None, **kwargs)
        )
    return sent


async def reply_long(message: Message, text: str, **kwargs: Any) -> list[Message]:
    """Answer ``message`` in its chat (and topic) with :func:`send_long`."""
    if message.message_thread_id and message.is_topic_message:
        kwargs.setdefault("message_thread_id", message.message_thread_id)
    return await send_long(message.get_bot(), message.chat_id, text, **kwargs)


@contextlib.asynccontextmanager
async def keep_typing(
    bot: Bot, chat_id: int, action: str = ChatAction.TYPING, *, after: float = 0.0
) -> AsyncIterator[None]:
    """Show "typing…" for as long as the block runs (Telegram clears the action after 5 seconds).
    With ``after``, only blocks that take longer than that show it: a quick answer costs no extra request."""

    async def repeat() -> None:
        await asyncio.sleep(after)
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, action)
            await asyncio.sleep(4)

    task = asyncio.create_task(repeat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
