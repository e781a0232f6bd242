"""Correcting a stored figure from the chat: "表三 予以公开 总计 = 23", as a reply to a report's summary
(or, replying to nothing, for the report last uploaded in the chat). The checks run again and the answer
shows the report's findings now."""

from __future__ import annotations

from telegram import Message, Update

from bot.auth import ensure_admin
from bot.context import Context, lang_of, session_factory
from bot.render import esc, reply_long
from bot.reportview import FINDINGS, findings_html, report_keyboard
from core.qa.wording import tr
from core.storage.corrections import CorrectionError, correct_cell, latest_upload


def replied_report(message: Message) -> int | None:
    """The report a reply refers to: the one whose summary (with its buttons) it answers."""
    replied = message.reply_to_message
    markup = replied.reply_markup if replied else None
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            data = str(button.callback_data or "")
            if data.startswith(f"{FINDINGS}:"):
                return int(data.split(":", 1)[1])
    return None


async def on_correction(update: Update, context: Context) -> None:
    message = update.effective_message
    if not await ensure_admin(update, context, "更正报告数据", "correct report figures"):
        return
    lang = lang_of(update)
    report_id = replied_report(message) or await latest_upload(session_factory(context), message.chat_id)
    if report_id is None:
        await message.reply_text(
            tr(
                lang,
                "请回复要更正的报告的识别结果消息（带按钮的那条），例如：表三 予以公开 总计 = 23。",
                "Reply to the report's summary (the message with buttons), e.g. 表三 予以公开 总计 = 23.",
            )
        )
        return
    user = update.effective_user.id if update.effective_user else None
    try:
        done = await correct_cell(session_factory(context), report_id, message.text or "", user_id=user, chat_id=message.chat_id)
    except CorrectionError as exc:
        await message.reply_text(esc(str(exc)))
        return
    head = tr(
        lang,
        f"✅ 已更正{esc(done.name)}：{esc(done.old_raw or '空白')} → {esc(done.new_raw)}，已重新核对。",
        f"✅ Corrected {esc(done.name)}: {esc(done.old_raw or 'blank')} → {esc(done.new_raw)}; checks re-run.",
    )
    await reply_long(message, f"{head}\n\n{findings_html(done.report, lang, limit=8)}", reply_markup=report_keyboard(report_id, lang, undo=False))
