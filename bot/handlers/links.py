"""A report's web address sent in a private chat: fetched (core.fetch) and read like an uploaded file.

Only admins may add reports; the reply says what is happening at each step (downloading, the attachment
the page links to, parsing) and ends with the same summary an upload gets.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters

from bot.auth import ensure_admin
from bot.context import Context, lang_of, session_factory, settings_of
from bot.handlers.upload import result_html, result_keyboard
from bot.render import esc, keep_typing, reply_long
from core.fetch import fetch_report, find_url
from core.model import ReportError
from core.qa.wording import tr
from core.storage.ingest import ingest_bytes

# A private message holding a web address (questions never do).
FILTER = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & filters.Regex(r"(?i)https?://")


async def on_link(update: Update, context: Context) -> None:
    message = update.effective_message
    url = find_url(message.text or "")
    if url is None:
        return
    if not await ensure_admin(update, context, "通过链接添加报告", "add reports from links"):
        return
    lang = lang_of(update)
    settings = settings_of(context)
    await message.reply_text(tr(lang, f"正在下载 {esc(url)} …", f"Downloading {esc(url)} …"))

    async def attachment(found: str) -> None:
        await message.reply_text(
            tr(lang, f"页面附有报告文件，正在下载 {esc(found)} …", f"The page attaches the report; downloading {esc(found)} …")
        )

    async with keep_typing(context.bot, message.chat_id):
        try:
            fetched = await fetch_report(url, settings, attachment)
        except ReportError as exc:
            await message.reply_text(tr(lang, "❌ 无法读取链接：", "❌ Could not read the link: ") + esc(str(exc)))
            return
        await message.reply_text(
            tr(lang, f"正在解析 <b>{esc(fetched.filename)}</b>…", f"Parsing <b>{esc(fetched.filename)}</b>…")
        )
        result = await ingest_bytes(
            session_factory(context),
            fetched.data,
            fetched.filename,
            uploaded_by=update.effective_user.id,
            chat_id=message.chat_id,
        )
    await reply_long(message, result_html(result, lang, settings), reply_markup=result_keyboard(result, lang))
