"""Write core/pinyin.txt from the installed pypinyin: every character's usual toneless reading, and the
phrases whose reading differs from what the characters (and the shorter phrases already kept) give.

    .venv/bin/python scripts/make_pinyin_table.py
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.pinyin import BLOCK, LONGEST_PHRASE, TABLE, read_with  # noqa: E402


def toneless(syllable: str) -> str:
    s = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def table_lines() -> list[str]:
    """The table's lines: the readings of the common block, the other characters and their readings, then the phrases that matter, shortest first. Kept phrases are
    decided shortest first, so each is read against the shorter ones a reader of the table will have."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    chars = {chr(code): toneless(found.split(",")[0]) for code, found in sorted(PINYIN_DICT.items())}
    full = {p: tuple(toneless(s[0]) for s in r) for p, r in PHRASES_DICT.items() if len(p) <= LONGEST_PHRASE}
    kept: dict[str, tuple[str, ...]] = {}
    for phrase in sorted(full, key=lambda p: (len(p), p)):
        if read_with(phrase, kept, lambda c: chars.get(c, c)) != full[phrase]:
            kept[phrase] = full[phrase]
    block = " ".join(chars.get(chr(code), "") for code in range(BLOCK[0], BLOCK[1] + 1))
    others = {c: s for c, s in chars.items() if not BLOCK[0] <= ord(c) <= BLOCK[1]}
    phrases = (f"{p}\t{' '.join(s)}" for p, s in kept.items())
    return [block, "".join(others), " ".join(others.values()), *phrases]


if __name__ == "__main__":
    lines = table_lines()
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(lines)} lines")
