"""Who may use the bot and who may change things, with polite refusals that say why.

- Admins (``settings.admin_ids``) upload and delete reports and manage everyone's subscriptions.
- Everyone else asks questions and subscribes.
- ``settings.allowed_chat_ids``, when set, restricts the whole bot to those chats (admins always pass).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import Context, Lang, lang_of, settings_of
from core.settings import Settings

R = TypeVar("R")
Callback = Callable[[Update, Context], Awaitable[R]]


def is_admin(settings: Settings, user_id: int | None) -> bool:
    return user_id is not None and user_id in settings.admin_ids


def chat_allowed(settings: Settings, chat_id: int | None, user_id: int | None) -> bool:
    if not settings.allowed_chat_ids or is_admin(settings, user_id):
        return True
    return chat_id is not None and chat_id in settings.allowed_chat_ids


def not_admin_text(lang: Lang, action_zh: str, action_en: str) -> str:
    if lang == "en":
        return (
            f"Sorry, only administrators can {action_en}. "
            "You can still ask questions and subscribe to deadline reminders."
        )
    return f"抱歉，只有管理员可以{action_zh}。您仍可以直接提问，或订阅截止日期提醒。"


def not_allowed_text(lang: Lang, chat_id: int | None) -> str:
    if lang == "en":
        return (
            f"Sorry, this bot is only available to authorised chats, and this chat (id {chat_id}) is not on "
            "the allow-list. Please ask an administrator to add it."
        )
    return f"抱歉，本机器人只对授权的聊天开放，当前聊天（ID {chat_id}）不在允许名单中。如需使用，请联系管理员添加。"


async def refuse(update: Update, text: str) -> None:
    """Say no where the user will see it: an alert for a button press, a reply for a message."""
    if update.callback_query:
        # Alerts are capped at 200 characters.
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text, parse_mode=None)


def addressed_to_bot(update: Update, context: Context) -> bool:
    """In groups only commands, mentions and replies to the bot deserve an answer (even a refusal)."""
    message = update.effective_message
    if update.callback_query or not message or message.chat.type == ChatType.PRIVATE:
        return True
    text = message.text or message.caption or ""
    if text.startswith("/"):
        return True
    if context.bot.username and f"@{context.bot.username}".lower() in text.lower():
        return True
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.id == context.bot.id)


async def gate(update: object, context: Context) -> None:
    """Runs before every handler (group -1): stops updates from chats outside the allow-list."""
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    user = update.effective_user
    if chat_allowed(settings_of(context), chat.id if chat else None, user.id if user else None):
        return
    if addressed_to_bot(update, context):
        await refuse(update, not_allowed_text(lang_of(update), chat.id if chat else None))
    raise ApplicationHandlerStop


async def ensure_admin(update: Update, context: Context, action_zh: str, action_en: str) -> bool:
    """True for admins; otherwise refuses politely (saying what only admins may do) and returns False."""
    user = update.effective_user
    if is_admin(settings_of(context), user.id if user else None):
        return True
    await refuse(update, not_admin_text(lang_of(update), action_zh, action_en))
    return False


def admin_only(action_zh: str, action_en: str) -> Callable[[Callback[R]], Callback[R | None]]:
    """Decorator for handler callbacks that change state: non-admins get the refusal instead."""

    def wrap(callback: Callback[R]) -> Callback[R | None]:
        @functools.wraps(callback)
        async def guarded(update: Update, context: Context) -> R | None:
            if not await ensure_admin(update, context, action_zh, action_en):
                return None
            return await callback(update, context)

        return guarded

    return wrap
