"""Several real bot processes (``python -m bot`` in webhook mode) behind one address, for issue #17's tests.

:class:`ParityProxy` stands in for the reverse proxy in front of them: Telegram (the emulator) posts every
update to one URL, and the proxy passes odd update ids to the first process and even ones to the second,
so a test knows which process handles which update. Like nginx's ``proxy_next_upstream``, an update
whose process refuses the connection (killed) goes to the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.webhook import HEALTH_PATH

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ParityProxy:
    def __init__(self, backends: Sequence[str]) -> None:
        self.backends = list(backends)
        self.port = free_port()
        self.routed: dict[int, int] = {}  # update id → index of the backend that accepted it
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/hook"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram/hook", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        update = await request.json()
        first = update["update_id"] % len(self.backends)
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        for step in range(len(self.backends)):
            index = (first + step) % len(self.backends)
            try:
                async with self._session.post(
                    self.backends[index], data=body, headers={**headers, "Content-Type": "application/json"}
                ) as response:
                    if response.status < 500:
                        self.routed[update["update_id"]] = index
                        return web.Response(status=response.status)
            except aiohttp.ClientConnectionError:
                continue
        return web.Response(status=502)


class BotProcess:
    """``python -m bot`` with its own webhook port; its log goes to ``log_path``."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str) -> None:
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self.env = {**env, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(self.port)}
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def hook(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/hook"

    @property
    def health(self) -> str:
        return f"http://127.0.0.1:{self.port}{HEALTH_PATH}"

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            # cwd: a folder without a .env, so only the environment given here configures the bot.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    async def wait_healthy(self) -> dict:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        async with aiohttp.ClientSession() as session:
            while loop.time() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"bot process exited: {self.log()}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(self.health) as response:
                        if response.status == 200:
                            return await response.json()
                await asyncio.sleep(0.2)
        raise TimeoutError(f"bot process not healthy in {START_TIMEOUT_S}s: {self.log()}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; the exit code (None if it had to be killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""


def bot_env(*, token: str, base_url: str, base_file_url: str, database_url: str, webhook_url: str,
            admin_ids: Sequence[int]) -> dict[str, str]:  # fmt: skip
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "MPLCONFIGDIR")}
    return {
        **keep,
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": base_url,
        "TELEGRAM_BASE_FILE_URL": base_file_url,
        "DATABASE_URL": database_url,
        "WEBHOOK_URL": webhook_url,
        "ADMIN_IDS": ",".join(str(i) for i in admin_ids),
        "PARSE_WORKERS": "1",
    }
