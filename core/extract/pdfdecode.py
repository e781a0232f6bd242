"""Bounded, linear-time replacements for pdfminer's stream decoders.

pdfminer decodes a stream whole, with no limit on the output: a 200 KB PDF can hold a FlateDecode stream
that inflates to gigabytes (chained filters multiply the ratio), and RunLengthDecode grows data up to
64-fold through a list of Python ints. Its fallback for a Flate stream whose checksum is wrong feeds the
data one byte at a time into a growing ``bytes``: quadratic, a 2 MB stream takes over a minute, and one
flipped bit in a real file's font stream is enough to get there.

Importing this module routes pdfminer's decoding through the functions below. Inside :func:`budget`,
every decoded byte of one document counts against a limit and ReportError ends the read past it; outside
one they decode without a limit, as pdfminer does, but in linear time.
"""

from __future__ import annotations

import logging
import sys
import types
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from core.model import ReportError

log = logging.getLogger(__name__)
_MB = 1024 * 1024
_CHUNK = 1024 * 1024
_FLATE_MAX_RATIO = 1032  # deflate's ceiling: a 258-byte match coded in 2 bits
_LZW_MAX_RATIO = 4096 * 8 // 9  # one 9-bit code may stand for a 4096-byte table entry


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:  # stays exhausted: a caller that swallows this error gets it again next time
            raise ReportError(
                f"PDF 中的压缩数据解压后超过 {self.limit / _MB:.0f} MB 的上限，疑似压缩炸弹，拒绝读取。"
            )


_current: ContextVar[_Budget | None] = ContextVar("pdf_decode_budget", default=None)


@contextmanager
def budget(limit: int) -> Iterator[None]:
    """Cap what the streams decoded in this block may add up to, in bytes."""
    token = _current.set(_Budget(limit))
    try:
        yield
    finally:
        _current.reset(token)


def _room() -> int:
    """Bytes the next decoder may still produce before the budget is exceeded."""
    current = _current.get()
    return sys.maxsize if current is None else max(current.left, 0)


def _take(size: int) -> None:
    current = _current.get()
    if current is not None:
        current.take(size)


def _bounded(pieces: Callable[[], Iterable[bytes]], most: int) -> bytes:
    """The decoded stream, joined from ``pieces()``. When it could exceed the budget (``most`` is what
    the encoded size allows at the filter's best ratio), a first pass counts its size without keeping
    anything: a bomb is refused before the memory is spent."""
    room = _room()
    if most > room:
        size = 0
        for piece in pieces():
            size += len(piece)
            if size > room:
                _take(size)
    out = b"".join(pieces())
    _take(len(out))
    return out


def _flate_pieces(data: bytes, complete: bool = True) -> Iterator[bytes]:
    decoder = zlib.decompressobj()
    piece = decoder.decompress(data, _CHUNK)
    while piece:
        yield piece
        piece = decoder.decompress(decoder.unconsumed_tail, _CHUNK)
    if complete and not decoder.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")


def inflate(data: bytes) -> bytes:
    """``zlib.decompress``: the same result or the same ``zlib.error``."""
    return _bounded(lambda: _flate_pieces(data), len(data) * _FLATE_MAX_RATIO)


def salvage(data: bytes) -> bytes:
    """A Flate stream whose only fault is its Adler-32 checksum (the last 4 bytes), decoded anyway.

    Same outcome as pdfminer's ``decompress_corrupted``: damage before the checksum still raises.
    """
    log.debug("Flate stream with a bad checksum decoded anyway")
    return _bounded(lambda: _flate_pieces(data[:-4], complete=False), len(data) * _FLATE_MAX_RATIO)


def lzw(data: bytes) -> bytes:
    return _bounded(lambda: LZWDecoder(BytesIO(data)).run(), len(data) * _LZW_MAX_RATIO)


def _runs(data: bytes) -> Iterator[bytes]:
    """RunLengthDecode: a length byte n, then n + 1 literal bytes (n < 128) or one byte 257 - n times."""
    i = 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            yield data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            yield data[i + 1 : i + 2] * (257 - n)
            i += 2


def run_length(data: bytes) -> bytes:
    return _bounded(lambda: _runs(data), len(data) * 64)


# pdftypes looks these names up in its own namespace on every decode.
pdftypes.zlib = types.SimpleNamespace(decompress=inflate, decompressobj=zlib.decompressobj, error=zlib.error)  # type: ignore[attr-defined]
pdftypes.decompress_corrupted = salvage
pdftypes.lzwdecode = lzw
pdftypes.rldecode = run_length
