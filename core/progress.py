"""Progress of a long parse (an OCR of several pages) for whoever waits for it: the chat shows
"正在识别第 2/6 页…". The parse worker forwards each message to the caller (core.limits); outside a worker,
and when nobody listens, a message goes nowhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_listener: ContextVar[Callable[[str], None] | None] = ContextVar("progress_listener", default=None)


def report(message: str) -> None:
    listener = _listener.get()
    if listener is not None:
        listener(message)


@contextmanager
def listening(callback: Callable[[str], None]) -> Iterator[None]:
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)
