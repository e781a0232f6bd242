"""Questions: any text that is not a command (in groups, only when the bot is mentioned or replied to)
goes to the core Q&A. A clarification pick-list becomes an inline keyboard; pressing an option answers the
original question, which waits server-side under a short id (callback data holds only that id and the
option's index, far below Telegram's 64 bytes)."""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.auth import addressed_to_bot
from bot.context import Context, Lang, lang_of, session_factory
from bot.render import esc, keep_typing, send_long
from core.qa.answer import Answer, Option, answer
from core.qa.wording import tr

CHOICE_PREFIX = "q"
PENDING_KEY = "pending_questions"
TYPING_AFTER_S = 0.5  # most answers take milliseconds; show "typing…" only for slow ones
MAX_PENDING = 5000  # oldest pick-lists are forgotten first; pressing one then asks to ask again
# The line that starts the sources block of an answer's text (core.qa.wording.source_lines).
SOURCE_HEADS = ("来源：", "Sources:")


@dataclass(frozen=True)
class Pending:
    question: str
    options: tuple[Option, ...]
    chat_id: int
    lang: str | None


def _pending(context: Context) -> OrderedDict[str, Pending]:
    return context.bot_data.setdefault(PENDING_KEY, OrderedDict())


def remember(context: Context, pending: Pending) -> str:
    store = _pending(context)
    key = secrets.token_urlsafe(6)
    store[key] = pending
    while len(store) > MAX_PENDING:
        store.popitem(last=False)
    return key


def answer_html(result: Answer) -> str:
    """The answer escaped; its sources folded into an expandable quote under it."""
    lines = result.text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() in SOURCE_HEADS), None)
    if start is None:
        return esc(result.text)
    body = esc("\n".join(lines[:start]).rstrip())
    sources = esc("\n".join(lines[start:]))
    return f"{body}\n<blockquote expandable>{sources}</blockquote>"


def clarify_keyboard(
    context: Context, question: str, result: Answer, chat_id: int, lang: str | None
) -> InlineKeyboardMarkup:
    assert result.clarify
    key = remember(context, Pending(question, tuple(result.clarify), chat_id, lang))
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(o.label, callback_data=f"{CHOICE_PREFIX}:{key}:{i}")]
            for i, o in enumerate(result.clarify)
        ]
    )


async def reply_answer(
    update: Update, context: Context, question: str, *, choice: str | None = None, lang: str | None = None
) -> None:
    """Answer ``question`` in the update's chat (typing shown meanwhile)."""
    chat_id = update.effective_chat.id
    async with keep_typing(context.bot, chat_id, after=TYPING_AFTER_S):
        result = await answer(session_factory(context), question, choice=choice, lang=lang)
    markup = clarify_keyboard(context, question, result, chat_id, lang) if result.clarify else None
    await send_long(context.bot, chat_id, answer_html(result), reply_markup=markup)


def _question_text(update: Update, context: Context) -> str:
    text = update.effective_message.text or ""
    if context.bot.username:
        text = re.sub(rf"@{re.escape(context.bot.username)}\b", " ", text, flags=re.IGNORECASE)
    return text.strip()


async def on_text(update: Update, context: Context) -> None:
    if not addressed_to_bot(update, context):
        return
    question = _question_text(update, context)
    if not question:
        await update.effective_message.reply_text(
            tr(
                lang_of(update),
                "请直接提问，例如：定海区收到多少申请",
                "Ask me something, e.g. how many requests did 定海区 receive",
            )
        )
        return
    await reply_answer(update, context, question)


async def on_choice(update: Update, context: Context) -> None:
    """A pick-list option was pressed: answer the original question with it."""
    query = update.callback_query
    lang: Lang = lang_of(update)
    _, key, index = (query.data or "").split(":")
    pending = _pending(context).get(key)
    if (
        pending is None
        or pending.chat_id != update.effective_chat.id
        or not index.isdigit()
        or int(index) >= len(pending.options)
    ):
        await query.answer(
            tr(lang, "这个选项已过期，请重新提问。", "This choice has expired; please ask again."),
            show_alert=True,
        )
        return
    await query.answer()
    option = pending.options[int(index)]
    if query.message and query.message.text:  # keep the question, drop the buttons, show the choice
        await query.edit_message_text(f"{esc(query.message.text)}\n→ {esc(option.label)}")
    await reply_answer(update, context, pending.question, choice=option.choice, lang=pending.lang)
