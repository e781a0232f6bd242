"""The Application: built in one place, with every handler registered here.

The same Application runs against Telegram (long polling or webhook) and against the built-in emulator;
only ``base_url`` differs.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import auth
from bot.context import SETTINGS_KEY, SF_KEY, Context, lang_of
from bot.delivery import RetryingRateLimiter
from bot.handlers import (
    ask,
    callbacks,
    corrections,
    deadlines,
    documents,
    links,
    photos,
    precheck,
    reports,
    start,
    upload,
)
from bot.processor import ChatOrderedProcessor
from bot.request import AiohttpRequest
from bot.webhook import WebhookServer, webhook_secret
from core.settings import Settings
from core.storage import chatstate
from core.storage.agencies import warm_agency_index

log = logging.getLogger(__name__)

# (command, Chinese description, English description), in menu order.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "开始使用", "Get started"),
    ("help", "使用说明和示例问题", "How to use the bot, with example questions"),
    ("reports", "已存储的报告", "Stored reports"),
    ("check", "检查某单位的报告，如 /check 定海区", "Check an agency's report, e.g. /check 定海区"),
    ("export", "导出数据：/export csv 或 /export xlsx", "Export data: /export csv or /export xlsx"),
    ("chart", "指标柱状图，如 /chart 收到申请", "Bar chart of a figure, e.g. /chart requests"),
    ("draft", "预填的年度报告草稿（Word），如 /draft 定海区 2021", "Prefilled report draft (Word), e.g. /draft 定海区 2021"),
    ("compare", "两个年度的报告对比，如 /compare 定海区 2020 2021", "Two years compared, e.g. /compare 定海区 2020 2021"),
    ("subscribe", "订阅报告截止日期提醒", "Subscribe to report deadline reminders"),
    ("unsubscribe", "取消订阅", "Unsubscribe"),
    ("deadlines", "即将到期的截止日期", "Upcoming deadlines"),
    ("ics", "下载截止日期日历文件", "Download the deadlines as a calendar file"),
)
MAX_RETRIES = 3  # for 429 Too Many Requests, after waiting retry_after
CORRECTION = r"^\s*表\s*[二三四2-4].*[=＝:：]"  # "表三 予以公开 总计 = 23" (core.storage.corrections)
PURGE_INTERVAL_S = 3600  # expired conversation state is removed hourly (by whichever process runs it first)


def build_application(
    settings: Settings,
    sf: async_sessionmaker[AsyncSession],
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    throttle: bool = True,
) -> Application:
    """The bot, wired to ``sf``. ``throttle=False`` lifts Telegram's flood limits (for the emulator);
    429 and 5xx answers are retried either way (bot.delivery)."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    limiter = (
        RetryingRateLimiter(max_retries=MAX_RETRIES)
        if throttle
        else RetryingRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=MAX_RETRIES)
    )
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(base_url or settings.telegram_base_url)
        .base_file_url(base_file_url or settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(ChatOrderedProcessor())
        .rate_limiter(limiter)
        .request(AiohttpRequest(media_write_timeout=60))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SF_KEY] = sf
    application.bot_data[SETTINGS_KEY] = settings
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, auth.gate), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", start.start),
            CommandHandler("help", start.help_command),
            CommandHandler("reports", reports.list_command),
            CommandHandler("check", reports.check_command),
            CommandHandler("export", reports.export_command),
            CommandHandler("chart", reports.chart_command),
            MessageHandler(filters.PHOTO | filters.Document.IMAGE, photos.on_photo),
            MessageHandler(filters.Document.ALL, upload.on_document),
            MessageHandler(links.FILTER, links.on_link),
        ]
    )
    deadlines.register(application)
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _purge_chat_states, interval=PURGE_INTERVAL_S, first=PURGE_INTERVAL_S, name="chat-state-purge"
    )
    application.add_handlers(
        [
            *callbacks.handlers(),
            *documents.handlers(),
            *precheck.handlers(),
            MessageHandler(filters.Regex(CORRECTION), corrections.on_correction),
            MessageHandler(filters.TEXT & ~filters.COMMAND, ask.on_text),
            MessageHandler(filters.COMMAND, start.unknown_command),
            CallbackQueryHandler(callbacks.stale_button),
        ]
    )
    application.add_error_handler(on_error)


async def _purge_chat_states(context: Context) -> None:
    removed = await chatstate.purge_expired(context.bot_data[SF_KEY])
    if removed:
        log.info("Removed %d expired conversation states", removed)


async def _post_init(application: Application) -> None:
    bot = application.bot
    await bot.set_my_commands([BotCommand(c, zh) for c, zh, _ in COMMANDS])
    await bot.set_my_commands([BotCommand(c, en) for c, _, en in COMMANDS], language_code="en")
    # Built now, not on the first question that names an agency.
    agencies = await warm_agency_index(application.bot_data[SF_KEY])
    log.info("Bot @%s ready (%d agencies indexed)", bot.username, agencies)


async def _post_shutdown(application: Application) -> None:
    sf: async_sessionmaker[AsyncSession] = application.bot_data[SF_KEY]
    engine = sf.kw.get("bind")
    if engine is not None:
        await engine.dispose()


async def on_error(update: object, context: Context) -> None:
    """Log every failure and tell the user something went wrong: the chat never goes silent."""
    log.error("Error while handling an update", exc_info=context.error)
    if (
        not isinstance(update, Update)
        or update.effective_chat is None
        or isinstance(context.error, Forbidden)
    ):
        return  # a job, or a user who blocked the bot
    text = (
        "Sorry, something went wrong while handling your request. Please try again later."
        if lang_of(update) == "en"
        else "抱歉，处理您的请求时出错了，请稍后再试。"
    )
    if update.callback_query:
        with contextlib.suppress(TelegramError):  # stop the button's spinner, if not answered yet
            await update.callback_query.answer()
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("Could not tell chat %s about the error", update.effective_chat.id)


@asynccontextmanager
async def running(
    application: Application, settings: Settings, *, poll_interval: float = 0.0, poll_timeout: int = 10
) -> AsyncIterator[Application]:
    """Initialize, start receiving updates (webhook if configured, else long polling), and on exit stop
    and shut down in order, as ``Application.run_polling`` would, but inside the caller's event loop.

    Stopping a webhook process first refuses new updates (503, so a proxy or Telegram sends them
    elsewhere or again), then finishes every update it has accepted before it shuts down."""
    await application.initialize()
    receiver: WebhookServer | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        assert application.updater is not None
        if settings.webhook_url:
            receiver = WebhookServer(application, settings, application.bot_data[SF_KEY])
            await receiver.start()
            await application.bot.set_webhook(settings.webhook_url, secret_token=webhook_secret(settings))
        else:
            await application.updater.start_polling(poll_interval=poll_interval, timeout=poll_timeout)
        await application.start()
        try:
            yield application
        finally:
            if receiver is not None:
                receiver.drain()
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        if receiver is not None:
            await receiver.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
