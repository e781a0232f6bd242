"""The webhook receiver: Telegram (or a reverse proxy in front of several bot processes) POSTs updates here.

Our own aiohttp server rather than PTB's built-in one, for three things a deployment of several processes
behind one address needs: ``GET /healthz`` (the database reachable, the last update's time), a secret
token checked on every POST in constant time, and a graceful stop — new POSTs get 503 (a proxy passes
them on to another process, Telegram retries them) while the updates in hand are finished.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application

from core.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
HEALTH_DB_TIMEOUT_S = 2.0
MAX_UPDATE_BYTES = 1024 * 1024  # an update is a few KB; files come by getFile, not in the POST


def webhook_secret(settings: Settings) -> str:
    """``WEBHOOK_SECRET``, or one derived from the token: every process of a deployment agrees on it."""
    if settings.webhook_secret is not None and settings.webhook_secret.get_secret_value():
        return settings.webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    return hashlib.sha256(settings.telegram_bot_token.get_secret_value().encode()).hexdigest()[:48]


class WebhookServer:
    def __init__(
        self, application: Application, settings: Settings, sf: async_sessionmaker[AsyncSession]
    ) -> None:
        assert settings.webhook_url
        self.application = application
        self.sf = sf
        self.secret = webhook_secret(settings).encode()
        self.listen = settings.webhook_listen
        self.port = settings.webhook_port
        self.path = "/" + urlparse(settings.webhook_url).path.lstrip("/")
        self.last_update_at: datetime | None = None
        self.draining = False
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.path, self._on_update)
        app.router.add_get(HEALTH_PATH, self._health)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)

    async def start(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        log.info("Webhook receiver on %s:%d%s (health: %s)", self.listen, self.port, self.path, HEALTH_PATH)

    def drain(self) -> None:
        """Refuse new updates from now on; those already queued are still handled."""
        self.draining = True

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _on_update(self, request: web.Request) -> web.Response:
        if self.draining:
            return web.Response(status=503, text="shutting down")
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except Exception:  # not JSON, or not an update: Telegram never sends that
            return web.Response(status=400)
        self.last_update_at = datetime.now(UTC)
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def _health(self, request: web.Request) -> web.Response:
        database = "ok"
        try:
            async with asyncio.timeout(HEALTH_DB_TIMEOUT_S), self.sf() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means "not healthy", with the reason
            database = f"{type(exc).__name__}: {exc}"[:200]
        healthy = database == "ok" and not self.draining
        body: dict[str, Any] = {
            "ok": healthy,
            "database": database,
            "draining": self.draining,
            "last_update_at": self.last_update_at.isoformat() if self.last_update_at else None,
            "queued_updates": self.application.update_queue.qsize(),
            "pid": os.getpid(),
        }
        return web.json_response(body, status=200 if healthy else 503)
