"""``python -m bot`` (``make run``).

With ``TELEGRAM_BOT_TOKEN``: long polling against ``TELEGRAM_BASE_URL`` (Telegram, or any Bot API server),
or a webhook when ``WEBHOOK_URL`` is set. Without a token: the same Application against the built-in Bot
API emulator on 127.0.0.1, the seed reports preloaded on first run, and a terminal chat to talk to it.
SIGINT and SIGTERM stop it cleanly in every mode.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.app import build_application, running
from bot.emulator import BotAPIEmulator
from bot.processor import ChatOrderedProcessor
from bot.terminal import TerminalChat
from core.settings import Settings, get_settings
from core.storage.db import open_db
from core.storage.ingest import preload_samples

log = logging.getLogger("bot")

TERMINAL_USER_ID = 10001  # the person at the terminal; an admin, so /upload works


class RedactToken(logging.Filter):
    """Belt and braces: no log line may carry the token, whatever library wrote it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if settings.telegram_bot_token is not None and settings.telegram_bot_token.get_secret_value():
        handler.addFilter(RedactToken(settings.telegram_bot_token.get_secret_value()))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # httpx logs every request URL at INFO, and the URL contains the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def database_label(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Run against Telegram (or the configured Bot API server) until ``stop`` is set."""
    mode = (
        f"webhook {settings.webhook_url}"
        if settings.webhook_url
        else f"long polling {settings.telegram_base_url}"
    )
    log.info(
        "Starting: %s; database %s; timezone %s",
        mode,
        database_label(settings.database_url),
        settings.timezone,
    )
    async with open_db(settings.database_url) as sf:
        application = build_application(settings, sf)
        async with running(application, settings):
            await stop.wait()


async def local_chat(settings: Settings, stop: asyncio.Event) -> None:
    """No token: the built-in emulator, the seeds preloaded, and the terminal chat."""
    async with open_db(settings.database_url) as sf:
        stored = await preload_samples(sf)
        async with BotAPIEmulator() as emulator:
            local = settings.model_copy(
                update={
                    "telegram_bot_token": SecretStr(emulator.token),
                    "webhook_url": None,
                    "admin_ids": [*settings.admin_ids, TERMINAL_USER_ID],
                }
            )
            log.info(
                "Starting: local emulator at %s (no TELEGRAM_BOT_TOKEN); database %s%s; timezone %s",
                emulator.base_url.removesuffix("/bot"),
                database_label(settings.database_url),
                f", {stored} seed reports preloaded" if stored else "",
                settings.timezone,
            )
            application = build_application(
                local, sf, base_url=emulator.base_url, base_file_url=emulator.base_file_url, throttle=False
            )
            processor = application.update_processor
            assert isinstance(processor, ChatOrderedProcessor)
            async with running(application, local, poll_timeout=1):
                await TerminalChat(emulator, processor, user_id=TERMINAL_USER_ID).run(stop)
                emulator.release_polls()


async def main() -> None:
    settings = get_settings()
    configure_logging(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        await local_chat(settings, stop)
    else:
        await serve(settings, stop)
    log.info("Stopped")


if __name__ == "__main__":
    asyncio.run(main())
