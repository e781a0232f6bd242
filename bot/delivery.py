"""Sending to Telegram when Telegram misbehaves: which failures are safe to retry, and the rate limiter
that retries them.

A request is retried only when Telegram certainly did not act on it: a 429 (after its retry_after, as
AIORateLimiter does), an answer with a 5xx status, or a connection that was never made. A timeout or a
connection dropped mid-request is not retried: the message may have arrived, and sending it again would
show it twice. A blocked user (403) is never retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

SERVER_RETRIES = 2  # after a 5xx answer or a refused connection
BACKOFF_S = 0.5  # doubled on each retry
_NEVER_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Result = bool | dict[str, Any] | list[dict[str, Any]]


def undelivered(exc: BaseException) -> bool:
    """True when Telegram certainly did not take the request, so sending it again cannot duplicate it."""
    if isinstance(exc, RetryAfter):
        return True
    if not isinstance(exc, NetworkError) or isinstance(exc, BadRequest):
        return False
    cause = exc.__cause__
    if isinstance(exc, TimedOut):
        return isinstance(cause, _NEVER_CONNECTED)
    # Without an httpx cause, Telegram answered with an error status (5xx); its body may not be JSON.
    return cause is None or isinstance(cause, (TelegramError, *_NEVER_CONNECTED))


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (flood limits, waiting out 429s) that also retries the other failures
    :func:`undelivered` recognises, a few times with a growing pause."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when built, so a test can shorten the pause.
        self._server_retries = SERVER_RETRIES
        self._backoff = BACKOFF_S

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        for attempt in range(self._server_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if attempt == self._server_retries or not undelivered(exc):
                    raise
                pause = self._backoff * 2**attempt
                log.warning("Telegram %s failed (%s); retrying in %.1f s", endpoint, exc, pause)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")
