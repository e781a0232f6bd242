"""Text normalisation shared by every reader: 繁体 → 简体, full-width → half-width, spacing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc
from opencc import OpenCC

from core.build_cache import cached

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_cc = OpenCC("t2s")

# NFKC would also turn full-width brackets （） into ASCII (), but the templates print （一） with
# full-width brackets and users type both, so only digits, latin letters and a few signs are folded.
_HALF = {chr(0xFF10 + i): str(i) for i in range(10)}
_HALF.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_HALF.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_HALF.update({"－": "-", "＋": "+", "．": ".", "，": "，", "％": "%", "／": "/"})
_HALF_TABLE = str.maketrans(_HALF)


_TS = [Path(opencc.__file__).parent / "dictionary" / name for name in ("TSCharacters.txt", "TSPhrases.txt")]


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters whose presence can make t2s change a text (most text has none: skip the slow converter)."""
    return cached("traditional-characters", [*_TS, Path(__file__)], _read_traditional)


def _read_traditional() -> frozenset[str]:
    found: set[str] = set()
    for path in _TS:
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, targets = line.partition("\t")
            target = targets.split(" ")[0]
            if target == key:
                continue
            if len(target) == len(key):
                found.update(k for k, t in zip(key, target, strict=True) if k != t)
            else:
                found.update(key)
    return frozenset(found)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    if text.isascii() or _traditional().isdisjoint(text):
        return text
    return _cc.convert(text)


def fold_width(text: str) -> str:
    return text.translate(_HALF_TABLE)


def clean(text: str) -> str:
    """Simplified characters, half-width digits, single spaces, no NULs or control characters."""
    if not text.isprintable():  # only then can it hold control characters (the per-character pass is slow)
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return _SPACES.sub(" ", fold_width(to_simplified(text))).strip()


def squash(text: str) -> str:
    """``clean`` without any spaces: for comparing labels that were wrapped or padded."""
    return clean(text).replace(" ", "")


CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """一百二十 → 120, 两千 → 2000, 三万五千 → 35000, 十五 → 15, 42 → 42; None if ``text`` is not a number."""
    if text.isdigit():
        return int(text)
    if not text:
        return None
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (current or 1) * _CN_UNITS[ch]
            current = 0
        elif ch == "万":
            total += (section + current) * 10_000
            section, current = 0, 0
        else:
            return None
    return total + section + current
