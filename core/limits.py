"""``read_report`` with a hard deadline and a memory cap: what the bot, ``ingest`` and the CLI call.

A thread cannot be stopped, so a parser stuck on a hostile file would keep its thread and a core busy
for good. Parsing therefore happens in worker processes, and a worker that overruns the deadline is
killed and replaced. Each worker caps its own address space (``RLIMIT_AS``): a decompression bomb that
slips past the size checks ends in ``MemoryError`` instead of starving the machine.

Workers are forked from a ``forkserver`` that has already imported the parsing libraries, and each serves
many files (its caches stay warm), so a normal upload pays only the pipe round trip. A fresh process per
file would be simpler but costs ~25 ms more per file (copy-on-write faults and cold caches).

At most ``parse_workers`` files are parsed at once: each waiter thread owns one worker. Further calls
queue, and their deadline starts when their own parse starts. A script that calls this must guard its
entry point with ``if __name__ == "__main__":``, as for any multiprocessing code: a new worker loads the
caller's main module.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from core import progress
from core.model import ParsedReport, ReportError
from core.settings import get_settings

log = logging.getLogger(__name__)

# Everything read_report imports, lazily or not: loaded once in the forkserver, shared by every worker.
_PRELOAD = [
    "core.pipeline",
    "core.extract",
    "core.extract.docx",
    "core.extract.pdf",
    "core.extract.html",
    "core.extract.text",
    "core.parse",
    "core.checks",
    "core.extract.ocr.pages",  # OpenCV, ONNX Runtime, pypdfium2; the model itself loads in each worker
    "core.extract.ocr.review",
]
_FILES_PER_WORKER = 200  # then a fresh process: whatever a long-lived parser accumulates is dropped
_lock = threading.Lock()
_waiters: ThreadPoolExecutor | None = None
_workers: set[_Worker] = set()
_local = threading.local()


Listener = Callable[[str], None]


def read_report_limited(
    data: bytes, filename: str, *, timeout: float | None = None, on_progress: Listener | None = None
) -> ParsedReport:
    """:func:`core.pipeline.read_report` in a killable worker process (blocking; for the CLI and scripts).

    Raises :class:`ReportError` as ``read_report`` does, and also when the parse overruns ``timeout``
    seconds (default ``parse_timeout_s``), exceeds ``max_parse_memory_mb``, dies or fails unexpectedly.
    ``on_progress`` receives the parse's progress messages (core.progress), in a waiter thread.
    """
    return _pool().submit(_run, data, filename, timeout, on_progress).result()


async def read_report_bounded(
    data: bytes, filename: str, *, timeout: float | None = None, on_progress: Listener | None = None
) -> ParsedReport:
    """:func:`read_report_limited` for the event loop: no loop thread waits for the worker, and
    ``on_progress`` is called on the loop."""
    listener = None
    if on_progress is not None:
        loop = asyncio.get_running_loop()
        callback = on_progress

        def listener(message: str) -> None:
            loop.call_soon_threadsafe(callback, message)

    return await asyncio.wrap_future(_pool().submit(_run, data, filename, timeout, listener))


def shutdown() -> None:
    """Stop every worker and the waiter threads (bot shutdown; tests that change the settings)."""
    global _waiters
    with _lock:
        waiters, _waiters = _waiters, None
    if waiters is not None:
        waiters.shutdown(wait=True)
    for worker in list(_workers):
        worker.stop()


def _pool() -> ThreadPoolExecutor:
    global _waiters
    with _lock:
        if _waiters is None:
            _waiters = ThreadPoolExecutor(get_settings().parse_workers, thread_name_prefix="parse")
        return _waiters


def _run(data: bytes, filename: str, timeout: float | None, on_progress: Listener | None = None) -> ParsedReport:
    """In a waiter thread: hand the file to this thread's worker and wait at most the deadline."""
    settings = get_settings()
    limit = settings.parse_timeout_s if timeout is None else timeout
    deadline = time.monotonic() + limit
    worker = _own_worker()
    try:
        try:
            worker.send(data, filename)
        except OSError:  # it died while idle (the OOM killer, an operator's signal): not the file's fault
            _retire(worker)
            worker = _own_worker()
            worker.send(data, filename)
        kind, payload = worker.receive(limit)
        while kind == "progress":  # the deadline is the whole parse's, however often it reports
            if on_progress is not None:
                on_progress(payload)
            kind, payload = worker.receive(max(0.0, deadline - time.monotonic()))
    except TimeoutError:  # before OSError, which it subclasses
        _retire(worker)
        raise ReportError(
            f"解析超时：处理该文件超过 {limit:g} 秒的上限，已中止，文件可能过大或已损坏。"
        ) from None
    except (EOFError, OSError):
        _retire(worker)
        raise ReportError(_death_message(worker.process.exitcode)) from None
    if kind in ("memory", "crash"):
        _retire(worker)  # it has quit: after MemoryError or a bug its state is not to be trusted
    return _answer(kind, payload, filename, worker.memory_mb)


def _answer(kind: str, payload: Any, filename: str, memory_mb: int) -> ParsedReport:
    """The worker's reply as a report, or as the one-line ReportError the caller shows."""
    if kind == "ok":
        return payload
    if kind == "error":
        raise ReportError(payload)
    if kind == "memory":
        raise ReportError(
            f"解析该文件所需内存超过 {memory_mb} MB 的上限，已中止，文件可能是压缩炸弹或已损坏。"
        )
    log.error("Parsing %r failed unexpectedly:\n%s", filename, payload)
    name = payload.strip().rsplit("\n", 1)[-1].split(":", 1)[0]
    raise ReportError(f"解析文件时程序出错（{name}），已记录，请把文件发给管理员。")


def _own_worker() -> _Worker:
    worker: _Worker | None = getattr(_local, "worker", None)
    if worker is None or not worker.process.is_alive() or worker.files >= _FILES_PER_WORKER:
        if worker is not None:
            _retire(worker)
        worker = _Worker(get_settings().max_parse_memory_mb)
        _local.worker = worker
        with _lock:
            _workers.add(worker)
    return worker


def _retire(worker: _Worker) -> None:
    worker.stop()
    if getattr(_local, "worker", None) is worker:
        _local.worker = None


def _death_message(exitcode: int | None) -> str:
    how = f"信号 {-exitcode}" if exitcode is not None and exitcode < 0 else f"退出码 {exitcode}"
    return f"解析文件时处理进程意外退出（{how}），文件可能已损坏或过于复杂。"


class _Worker:
    """One parse process and the pipe to it."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.files = 0
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)  # read when the server starts; later calls change nothing
        self.conn, child_end = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child_end, memory_mb), name="nianbao-parse", daemon=True
        )
        self.process.start()
        child_end.close()  # the worker holds the only other end: its death reads as EOF here

    def send(self, data: bytes, filename: str) -> None:
        self.files += 1
        self.conn.send((filename, data))

    def receive(self, timeout: float) -> tuple[str, Any]:
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def stop(self) -> None:
        with _lock:
            _workers.discard(self)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _serve(conn: Connection, memory_mb: int) -> None:
    """The worker: cap memory, then parse files from the pipe until it closes."""
    from core.pipeline import read_report

    if memory_mb > 0:
        # On top of what the worker already maps (the loaded libraries): the cap is the parse's own use.
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
        cap = mapped + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        try:
            filename, data = conn.recv()
        except EOFError:
            return
        result: tuple[str, Any]
        try:
            with progress.listening(lambda message: conn.send(("progress", message))):
                result = ("ok", read_report(data, filename))
        except ReportError as exc:
            result = ("error", str(exc))
        except MemoryError:
            result = ("memory", "")
        except Exception:  # a parser bug: the caller logs it and answers the user, instead of a silent death
            result = ("crash", traceback.format_exc())
        del data
        try:
            conn.send(result)
        except Exception:  # a report that does not pickle is a bug like any other
            result = ("crash", traceback.format_exc())
            conn.send(result)
        if result[0] in ("memory", "crash"):
            return
