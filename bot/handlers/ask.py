"""Questions: any text that is not a command (in groups, only when the bot is mentioned or replied to)
goes to the core Q&A. A clarification pick-list becomes an inline keyboard; pressing an option answers the
original question, which waits in the database under a short id (core.storage.chatstate), so any bot
process sharing it can take the press; callback data holds only that id and the option's index, far below
Telegram's 64 bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.auth import addressed_to_bot
from bot.context import Context, Lang, lang_of, session_factory
from bot.render import esc, keep_typing, send_long
from core.qa.answer import Answer, Option
from core.qa.cache import cached_answer
from core.qa.wording import tr
from core.storage import chatstate

CHOICE_PREFIX = "q"
PICK = "pick"  # the chat state kind of a pending pick-list
PICK_TTL = timedelta(days=2)  # an older pick-list asks to ask again
TYPING_AFTER_S = 0.5  # most answers take milliseconds; show "typing…" only for slow ones
# The line that starts the sources block of an answer's text (core.qa.wording.source_lines).
SOURCE_HEADS = ("来源：", "Sources:")


@dataclass(frozen=True)
class Pending:
    question: str
    options: tuple[Option, ...]
    chat_id: int
    lang: str | None


async def remember(context: Context, pending: Pending) -> str:
    payload = {
        "question": pending.question,
        "options": [[o.label, o.choice] for o in pending.options],
        "lang": pending.lang,
    }
    return await chatstate.save(session_factory(context), PICK, pending.chat_id, payload, ttl=PICK_TTL)


async def recall(context: Context, key: str, chat_id: int) -> Pending | None:
    state = await chatstate.load(session_factory(context), key, kind=PICK, chat_id=chat_id)
    if state is None:
        return None
    p = state.payload
    return Pending(p["question"], tuple(Option(label, choice) for label, choice in p["options"]), chat_id, p["lang"])


def answer_html(result: Answer) -> str:
    """The answer escaped; its sources folded into an expandable quote under it."""
    lines = result.text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() in SOURCE_HEADS), None)
    if start is None:
        return esc(result.text)
    body = esc("\n".join(lines[:start]).rstrip())
    sources = esc("\n".join(lines[start:]))
    return f"{body}\n<blockquote expandable>{sources}</blockquote>"


async def clarify_keyboard(
    context: Context, question: str, result: Answer, chat_id: int, lang: str | None
) -> InlineKeyboardMarkup:
    assert result.clarify
    key = await remember(context, Pending(question, tuple(result.clarify), chat_id, lang))
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
        result = await cached_answer(session_factory(context), question, choice=choice, lang=lang)
    markup = await clarify_keyboard(context, question, result, chat_id, lang) if result.clarify else None
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
    pending = await recall(context, key, update.effective_chat.id)
    if (
        pending is None
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
