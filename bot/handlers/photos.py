"""Photos of report tables (Telegram photos, or .jpg/.png/.webp sent as files), alone or as an album:
acknowledge, download, read them as one report with page progress in the acknowledgement, answer with
the same summary as an uploaded file. The caption may name the agency and year ("定海区 2023年")."""

from __future__ import annotations

import contextlib
import io
import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import albums
from bot.auth import addressed_to_bot, ensure_admin
from bot.context import Context, Lang, lang_of, session_factory, settings_of
from bot.handlers.upload import result_html, result_keyboard
from bot.render import esc, keep_typing, send_long
from core.qa.wording import tr
from core.storage.photos import ingest_photos

log = logging.getLogger(__name__)


async def on_photo(update: Update, context: Context) -> None:
    message = update.effective_message
    if message.chat.type != ChatType.PRIVATE and not addressed_to_bot(update, context) and not message.media_group_id:
        return  # photos shared in a group are not for the bot unless it is mentioned
    if not await ensure_admin(update, context, "上传报告", "upload reports"):
        return
    lang = lang_of(update)
    user = update.effective_user.id if update.effective_user else None
    if message.media_group_id:
        await albums.add(session_factory(context), message.chat_id, message.media_group_id, albums.album_photo(message))
        # Not awaited: the chat's other photos must reach the album while it waits for them.
        context.application.create_task(_read_album(context, message.chat_id, message.media_group_id, lang, user))
        return
    await _read(context, albums.Album(message.chat_id, (albums.album_photo(message),)), lang, user)


async def _read_album(context: Context, chat_id: int, group: str, lang: Lang, user: int | None) -> None:
    album = await albums.complete(session_factory(context), chat_id, group)
    if album is None:
        return  # another photo's wait (here or in another process) took the album
    try:
        await _read(context, album, lang, user)
    except Exception:  # outside the update's handler: nobody else would tell the user
        log.exception("Reading an album failed")
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                chat_id,
                tr(lang, "抱歉，识别照片时出错了，请稍后再试。", "Sorry, reading the photos failed."),
                reply_to_message_id=album.first_message_id,
            )


async def _read(context: Context, album: albums.Album, lang: Lang, user: int | None) -> None:
    chat_id, first = album.chat_id, album.first_message_id
    n = len(album.photos)
    status = await context.bot.send_message(
        chat_id,
        tr(lang, f"正在识别 {n} 张照片…" if n > 1 else "正在识别照片…", f"Reading {n} photo(s)…"),
        reply_to_message_id=first,
    )
    images = []
    async with keep_typing(context.bot, chat_id):
        for photo in album.photos:
            try:
                file = await context.bot.get_file(photo.file_id)
                buffer = io.BytesIO()
                await file.download_to_memory(buffer)
            except TelegramError as exc:
                log.warning("Photo download failed: %s", exc)
                await context.bot.send_message(
                    chat_id,
                    tr(lang, "下载照片失败，请稍后重新发送。", "Downloading the photo failed; please send it again."),
                    reply_to_message_id=first,
                )
                return
            images.append(buffer.getvalue())

        def progress(text: str) -> None:
            context.application.create_task(_edit(status, text))

        result = await ingest_photos(
            session_factory(context), images, album.caption, uploaded_by=user, chat_id=chat_id, on_progress=progress
        )
    html = result_html(result, lang, settings_of(context))
    await send_long(context.bot, chat_id, html, reply_markup=result_keyboard(result, lang))


async def _edit(status: Message, text: str) -> None:
    with contextlib.suppress(TelegramError):  # progress is a courtesy: a failed edit loses nothing
        await status.edit_text(esc(text))
