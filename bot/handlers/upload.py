"""Uploading a report file: refuse early what cannot work, acknowledge at once, parse off the event loop,
store, and answer with a summary. Every path ends in a reply; the chat never goes silent."""

from __future__ import annotations

import io
import logging
import os

from telegram import Document, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, FileSizeLimit
from telegram.error import BadRequest, TelegramError

from bot.auth import addressed_to_bot
from bot.context import Context, Lang, lang_of, session_factory, settings_of
from bot.handlers import precheck
from bot.handlers.precheck import PendingUpload
from bot.render import esc, keep_typing, reply_long
from bot.reportview import local_time, report_keyboard, summary_html
from core.extract import SUPPORTED
from core.precheck import Unpublished, store_or_ask
from core.qa.wording import tr
from core.settings import Settings
from core.storage.ingest import IngestResult, ingest_bytes

log = logging.getLogger(__name__)

EXTENSIONS = (".docx", ".doc", ".wps", ".pdf", ".xlsx", ".txt", ".html", ".htm", ".mht", ".mhtml")
# A file sent without an extension is judged by its MIME type.
MIME_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/plain",
    "text/html",
    "multipart/related",
    "message/rfc822",
)
MB = 1024 * 1024


def refusal(document: Document, settings: Settings, lang: Lang) -> str | None:
    """Why this file will not be read, decided before downloading it; None if it may be."""
    name = document.file_name or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS and not (not ext and document.mime_type in MIME_TYPES):
        kind = ext or document.mime_type or tr(lang, "未知", "unknown")
        return tr(
            lang,
            f"不支持的文件类型（{kind}）：{SUPPORTED}。",
            f"Unsupported file type ({kind}): please send the report as .docx, .doc, .wps, .pdf, .xlsx, .txt or .html.",
        )
    size = document.file_size
    if size is not None and size > FileSizeLimit.FILESIZE_DOWNLOAD:
        return tr(
            lang,
            f"文件太大（{size / MB:.1f} MB）：Telegram 只允许机器人下载 20 MB 以内的文件。"
            "请压缩图片或拆分后重新发送，或请管理员用命令行导入（nianbao ingest）。",
            f"The file is too large ({size / MB:.1f} MB): Telegram lets bots download at most 20 MB. "
            "Please make it smaller, or ask an administrator to import it with the command line (nianbao ingest).",
        )
    if size is not None and size > settings.max_file_mb * MB:
        return tr(
            lang,
            f"文件太大（{size / MB:.1f} MB），超过本机器人的上限 {settings.max_file_mb:g} MB。",
            f"The file is too large ({size / MB:.1f} MB); this bot accepts up to {settings.max_file_mb:g} MB.",
        )
    if size == 0:
        return tr(
            lang, "文件是空的，请检查后重新发送。", "The file is empty; please check it and send it again."
        )
    return None


async def on_document(update: Update, context: Context) -> None:
    message = update.effective_message
    if message.chat.type != ChatType.PRIVATE and not addressed_to_bot(update, context):
        return  # files shared in a group are not for the bot unless it is mentioned
    if precheck.check_only(update, context):  # 仅检查，不入库
        await precheck.on_document(update, context)
        return
    lang = lang_of(update)
    document = message.document
    name = document.file_name or "report"
    reason = refusal(document, settings_of(context), lang)
    if reason:
        await message.reply_text(esc(reason))
        return
    await message.reply_text(tr(lang, f"正在解析 <b>{esc(name)}</b>…", f"Parsing <b>{esc(name)}</b>…"))
    async with keep_typing(context.bot, message.chat_id):
        data = await download(context, message.chat_id, document.file_id, lang)
        if data is None:
            return
        # Parsed in a worker process (core.limits): polling and reminders keep running. A report whose
        # deadline is still ahead may be a draft: unless the caption says 入库, the uploader chooses.
        sf, user = session_factory(context), update.effective_user.id
        if precheck.wants_store(message):
            result = await ingest_bytes(sf, data, name, uploaded_by=user, chat_id=message.chat_id)
        else:
            today = settings_of(context).now().date()
            result = await store_or_ask(sf, data, name, today, uploaded_by=user, chat_id=message.chat_id)
    if isinstance(result, Unpublished):
        await precheck.offer_choice(update, context, result, PendingUpload(message.chat_id, document.file_id, name))
        return
    await reply_long(
        message, result_html(result, lang, settings_of(context)), reply_markup=result_keyboard(result, lang)
    )


async def download(context: Context, chat_id: int, file_id: str, lang: Lang) -> bytes | None:
    """The file's bytes; None once the chat was told why it could not be downloaded."""
    try:
        file = await context.bot.get_file(file_id)
        buffer = io.BytesIO()
        await file.download_to_memory(buffer)
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            text = tr(
                lang,
                "文件太大：Telegram 只允许机器人下载 20 MB 以内的文件。",
                "The file is too large: Telegram lets bots download at most 20 MB.",
            )
        else:
            text = tr(lang, f"无法下载文件：{exc}", f"Could not download the file: {exc}")
        await context.bot.send_message(chat_id, esc(text))
        return None
    except TelegramError as exc:
        log.warning("Download failed: %s", exc)
        await context.bot.send_message(
            chat_id,
            tr(
                lang,
                "下载文件失败，请稍后重新发送。",
                "Downloading the file failed; please send it again later.",
            )
        )
        return None
    return buffer.getvalue()


def result_html(result: IngestResult, lang: Lang, settings: Settings) -> str:
    name = esc(result.filename)
    if result.status == "failed":
        return tr(lang, f"❌ 无法读取 <b>{name}</b>：", f"❌ Could not read <b>{name}</b>: ") + esc(
            result.error or ""
        )
    assert result.report is not None
    when = local_time(result.uploaded_at, settings.tz) if result.uploaded_at else "?"
    if result.status == "duplicate":
        head = tr(
            lang,
            f"该报告已存在，上传于 {when}（编号 {result.report_id}），未重复入库。",
            f"This report is already stored: uploaded {when} (id {result.report_id}); not stored again.",
        )
    else:
        head = tr(
            lang,
            f"✅ 已入库 <b>{name}</b>（编号 {result.report_id}）",
            f"✅ Stored <b>{name}</b> (id {result.report_id})",
        )
        if result.superseded:
            head += tr(
                lang, "，替换了同一年度的旧版本。", "; it replaces an earlier version for the same year."
            )
    return f"{head}\n\n{summary_html(result.report, lang)}"


def result_keyboard(result: IngestResult, lang: Lang) -> InlineKeyboardMarkup | None:
    if result.report_id is None:
        return None
    return report_keyboard(result.report_id, lang, undo=result.status == "stored")
