"""Toneless pinyin of Chinese text, from a table that ships with the package (core/pinyin.txt).

The readings are pypinyin's: every character's usual reading, and the words its phrase dictionary reads
otherwise (重复 chong fu, 银行 yin hang). pypinyin itself takes 0.2–0.35 s to import — most of a one-shot
``nianbao ask`` — because it loads all 47,000 phrases; only the 3,400 whose reading differs from their
characters' usual readings change anything, so the table keeps just those (``scripts/make_pinyin_table.py``
writes it; tests/test_pinyin.py checks it against the installed pypinyin).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin.txt")
LONGEST_PHRASE = 10  # characters: pypinyin's longest phrases that matter for names and terms


@cache
def _table() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    # line 1: the characters; line 2: their readings, in the same order; then one phrase a line
    chars, readings, *lines = TABLE.read_text(encoding="utf-8").splitlines()
    phrases = {}
    for line in lines:
        phrase, _, spelled = line.partition("\t")
        phrases[phrase] = tuple(spelled.split(" "))
    return dict(zip(chars, readings.split(" "), strict=True)), phrases


def reading(char: str) -> str:
    """The usual toneless reading of one character (行 xing, 重 zhong); anything else is itself."""
    return _table()[0].get(char, char)


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """``text`` read left to right, the longest phrase of the table first, else character by character:
    what pypinyin.lazy_pinyin gives (characters without a reading are kept as they are)."""
    chars, phrases = _table()
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
            out.append(chars.get(text[i], text[i]))
            i += 1
    return tuple(out)


def spell(text: str) -> str:
    """``text`` in pinyin, syllables run together (鄞州区 → yinzhouqu)."""
    return "".join(syllables(text))
