"""仅检查，不入库: a report file checked before it is published, never stored or counted as published.

A file whose caption asks for it (仅检查 / check) is checked at once, by anyone. A file from someone who
may not store reports (not an admin) is no longer only refused: the reply offers the check as a button, and
the file waits for that choice in the database (:func:`offer`; not downloaded until the button is pressed).
core.precheck does the checking; this module reads the update and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.auth import ensure_admin, is_admin
from bot.context import Context, Lang, lang_of, session_factory, settings_of
from bot.render import esc, keep_typing, reply_long
from bot.reportview import describe_html, findings_html
from core.model import ParsedReport, ReportError
from core.precheck import Unpublished, check_file
from core.qa.wording import tr
from core.storage import chatstate
from core.storage.ingest import ingest_bytes

PREFIX = "pc"  # the button that checks a waiting file
STORE_PREFIX = "ps"  # the button that stores it (offered to admins for a report whose deadline is ahead)
STORE_WORDS = ("入库", "公开版", "正式", "store")
CHECK_WORDS = ("仅检查", "只检查", "检查", "不入库", "check")


@dataclass(frozen=True)
class PendingUpload:
    chat_id: int
    file_id: str
    filename: str


UPLOAD = "upload"  # the chat state kind of a file waiting for the check button
UPLOAD_TTL = timedelta(days=1)  # Telegram keeps a file id usable far longer; a day-old offer is stale


async def offer(context: Context, upload: PendingUpload) -> str:
    """Keep the file (its Telegram id, not its bytes) until the button is pressed; any bot process may
    take the press (core.storage.chatstate)."""
    payload = {"file_id": upload.file_id, "filename": upload.filename}
    return await chatstate.save(session_factory(context), UPLOAD, upload.chat_id, payload, ttl=UPLOAD_TTL)


async def take_offer(context: Context, token: str, chat_id: int) -> PendingUpload | None:
    """The upload waiting under ``token`` in ``chat_id``, once: pressed twice, or on two processes at
    once, the check runs one time."""
    state = await chatstate.take(session_factory(context), token, kind=UPLOAD, chat_id=chat_id)
    if state is None:
        return None
    return PendingUpload(chat_id, state.payload["file_id"], state.payload["filename"])


def wants_check_only(message: Message) -> bool:
    caption = (message.caption or "").strip().lower()
    return any(word in caption for word in CHECK_WORDS)


def check_only(update: Update, context: Context) -> bool:
    """Whether this upload is for 仅检查 rather than for storing."""
    user = update.effective_user
    return wants_check_only(update.effective_message) or not is_admin(
        settings_of(context), user.id if user else None
    )


def wants_store(message: Message) -> bool:
    caption = (message.caption or "").strip().lower()
    return any(word in caption for word in STORE_WORDS) and not wants_check_only(message)


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(on_check_button, pattern=rf"^{PREFIX}:[\w-]+$"),
        CallbackQueryHandler(on_store_button, pattern=rf"^{STORE_PREFIX}:[\w-]+$"),
    ]


async def offer_choice(update: Update, context: Context, unpublished: Unpublished, upload: PendingUpload) -> None:
    """An admin's report whose deadline is still ahead: store it as published, or only check it."""
    lang = lang_of(update)
    report = unpublished.report
    token = await offer(context, upload)
    who = esc(report.agency or tr(lang, "（未识别单位）", "(agency not recognised)"))
    day = unpublished.deadline
    text = tr(
        lang,
        f"<b>{esc(upload.filename)}</b>：{who} {report.year} 年度报告，公布期限 {day.year}年{day.month}月{day.day}日"
        "还没到。这是已公开的正式报告，还是要先检查的草稿？（发送时在说明里写“入库”或“仅检查”可省去这一步）",
        f"<b>{esc(upload.filename)}</b>: {who}, {report.year} report; its deadline ({day.isoformat()}) has not "
        "passed yet. Is this the published report, or a draft to check first? (Write \"store\" or \"check\" "
        "as the file's caption to skip this question.)",
    )
    buttons = [
        InlineKeyboardButton(tr(lang, "入库（已公开）", "Store (published)"), callback_data=f"{STORE_PREFIX}:{token}"),
        InlineKeyboardButton(tr(lang, "仅检查，不入库", "Check only, don't store"), callback_data=f"{PREFIX}:{token}"),
    ]
    await update.effective_message.reply_text(text, reply_markup=InlineKeyboardMarkup([buttons]))


async def on_document(update: Update, context: Context) -> None:
    """An upload to check only: checked now when the caption asks, else the check is offered."""
    from bot.handlers.upload import refusal  # the same refusals as a stored upload

    message = update.effective_message
    lang = lang_of(update)
    document = message.document
    reason = refusal(document, settings_of(context), lang)
    if reason:
        await message.reply_text(esc(reason))
        return
    name = document.file_name or "report"
    if wants_check_only(message):
        await _check(update, context, document.file_id, name)
        return
    token = await offer(context, PendingUpload(message.chat_id, document.file_id, name))
    text = tr(
        lang,
        f"只有管理员可以将报告入库。可以<b>仅检查</b> <b>{esc(name)}</b>：查出问题并与上年报告比对，不入库，不计为已公布。",
        f"Only administrators can store reports. You can <b>check</b> <b>{esc(name)}</b> only: findings and a "
        "comparison with last year's report, nothing stored or counted as published.",
    )
    button = InlineKeyboardButton(
        tr(lang, "仅检查，不入库", "Check only, don't store"), callback_data=f"{PREFIX}:{token}"
    )
    await message.reply_text(text, reply_markup=InlineKeyboardMarkup([[button]]))


async def _pressed_offer(update: Update, context: Context) -> PendingUpload | None:
    """The file waiting under the pressed button, its buttons removed; None (said in an alert) when it has
    expired or was taken already."""
    query = update.callback_query
    upload = await take_offer(context, (query.data or "").split(":", 1)[1], update.effective_chat.id)
    if upload is None:
        await query.answer(
            tr(lang_of(update), "这个文件已过期，请重新发送。", "This file has expired; please send it again."),
            show_alert=True,
        )
        return None
    await query.answer()
    if query.message and query.message.reply_markup:
        await query.edit_message_reply_markup(None)
    return upload


async def on_check_button(update: Update, context: Context) -> None:
    upload = await _pressed_offer(update, context)
    if upload is not None:
        await _check(update, context, upload.file_id, upload.filename)


async def on_store_button(update: Update, context: Context) -> None:
    """Store the waiting file after all (an admin said it is the published report)."""
    from bot.handlers.upload import download, result_html, result_keyboard

    if not await ensure_admin(update, context, "上传报告", "upload reports"):
        return
    upload = await _pressed_offer(update, context)
    if upload is None:
        return
    lang = lang_of(update)
    chat_id = update.effective_chat.id
    async with keep_typing(context.bot, chat_id):
        data = await download(context, chat_id, upload.file_id, lang)
        if data is None:
            return
        user = update.effective_user.id if update.effective_user else None
        result = await ingest_bytes(session_factory(context), data, upload.filename, uploaded_by=user, chat_id=chat_id)
    await reply_long(
        update.effective_message,
        result_html(result, lang, settings_of(context)),
        reply_markup=result_keyboard(result, lang),
    )


async def _check(update: Update, context: Context, file_id: str, name: str) -> None:
    from bot.handlers.upload import download

    chat_id = update.effective_chat.id
    lang = lang_of(update)
    settings = settings_of(context)
    await context.bot.send_message(
        chat_id,
        tr(lang, f"正在检查 <b>{esc(name)}</b>（不入库）…", f"Checking <b>{esc(name)}</b> (not stored)…"),
    )
    async with keep_typing(context.bot, chat_id):
        data = await download(context, chat_id, file_id, lang)
        if data is None:
            return
        try:
            result = await check_file(session_factory(context), data, name, settings.now().date())
        except ReportError as exc:
            await context.bot.send_message(
                chat_id,
                tr(lang, f"❌ 无法读取 <b>{esc(name)}</b>：", f"❌ Could not read <b>{esc(name)}</b>: ")
                + esc(exc),
            )
            return
    await reply_long(
        update.effective_message, check_html(result.report, name, lang, result.previous is not None)
    )


def check_html(report: ParsedReport, name: str, lang: Lang, compared: bool) -> str:
    head = tr(lang, f"🔎 仅检查，未入库：<b>{esc(name)}</b>", f"🔎 Checked, not stored: <b>{esc(name)}</b>")
    if compared:
        head += tr(
            lang, f"（已与 {report.year - 1} 年度报告比对）", f" (compared with the {report.year - 1} report)"
        )
    return f"{head}\n\n{describe_html(report, lang)}\n\n{findings_html(report, lang)}"
