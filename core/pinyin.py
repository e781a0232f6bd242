"""Toneless pinyin of Chinese text, from a table that ships with the package (core/pinyin.txt).

The readings are pypinyin's: every character's usual reading, and the words its phrase dictionary reads
otherwise (重复 chong fu, 银行 yin hang). pypinyin itself takes 0.2–0.35 s to import — most of a one-shot
``nianbao ask`` — because it loads all 47,000 phrases; only the 3,400 whose reading differs from their
characters' usual readings change anything, so the table keeps just those (``scripts/make_pinyin_table.py``
writes it; tests/test_pinyin.py checks it against the installed pypinyin).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin.txt")
LONGEST_PHRASE = 10  # characters: pypinyin's longest phrases that matter for names and terms


BLOCK = (0x3400, 0x9FFF)  # the common CJK characters: their readings are looked up by position


@cache
def _lines() -> list[str]:
    # 1: the readings of U+3400…U+9FFF in order ("" for none); 2: the other characters; 3: their readings;
    # then one phrase a line
    return TABLE.read_text(encoding="utf-8").split("\n")


@cache
def _block() -> list[str]:
    return _lines()[0].split(" ")


@cache
def _others() -> dict[str, str]:
    chars, readings = _lines()[1:3]
    return dict(zip(chars, readings.split(" "), strict=True))


@cache
def _phrases() -> dict[str, tuple[str, ...]]:
    out = {}
    for line in _lines()[3:]:
        if line:
            phrase, _, spelled = line.partition("\t")
            out[phrase] = tuple(spelled.split(" "))
    return out


def reading(char: str) -> str:
    """The usual toneless reading of one character (行 xing, 重 zhong); anything else is itself."""
    code = ord(char)
    found = _block()[code - BLOCK[0]] if BLOCK[0] <= code <= BLOCK[1] else _others().get(char)
    return found or char


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """``text`` read left to right, the longest phrase of the table first, else character by character:
    what pypinyin.lazy_pinyin gives (characters without a reading are kept as they are)."""
    return read_with(text, _phrases(), reading)


def read_with(
    text: str, phrases: Mapping[str, tuple[str, ...]], char: Callable[[str], str]
) -> tuple[str, ...]:
    """The walk of :func:`syllables` over given tables (scripts/make_pinyin_table.py decides with it which
    phrases the table must keep)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        for j in range(min(len(text), i + LONGEST_PHRASE), i + 1, -1):
            phrase = phrases.get(text[i:j])
            if phrase:
                out += phrase
                i = j
                break
        else:
            out.append(char(text[i]))
            i += 1
    return tuple(out)


def spell(text: str) -> str:
    """``text`` in pinyin, syllables run together (鄞州区 → yinzhouqu)."""
    return "".join(syllables(text))
