"""Words that set a figure aside: 部分公开的 不是全部公开那种, 直接起诉的（复议后起诉的不算）, 新公开的，不是制作的.

People add them to make sure they are understood. When what they set aside is no part of the figure asked
(全部公开 is not part of 部分公开), the clause says nothing new: it is read as explained, and the answer says
so. When it is part of it (除了个人以外的申请: 自然人 is part of 本年新收), the figure asked is another one,
which the reports do not print; the clause is left unexplained and the question refused, never answered
with the whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.qa.lexicon import Token
from core.qa.match import match
from core.qa.parse import Chunk, Reading
from core.templates.catalogue import RESULT_ROWS, Entry

# 不算X, 不是X, 除了X以外; X不算, X除外; not counting X, excluding X, except X
_BEFORE = re.compile(
    r"(?:不算|不包括|不包含|不含|不是|不要|除了|除掉|除去|去掉|排除|not counting|excluding|except(?: for)?|"
    r"other than|apart from|not the)\s*(?P<x>[^，,。;；：:（）()?？!！]{1,14}?)\s*(?:以外|之外|那种|那些|的那种|的)?"
    r"(?:哈|啊|呀|哦|啦|呢)?"
    r"(?=$|[，,。;；：:（）()?？!！\s])"
)
_AFTER = re.compile(
    r"(?P<x>[^，,。;；：:（）()?？!！\s]{1,14}?)(?:的)?(?:不算|除外|不计|不算在内|不包括在内|doesn'?t count|not counted|excluded)"
)
_NUMBERS = re.compile(r"^[零〇0-9一二两三四五六七八九十百]+[件个]?$")


def _column(token: Token) -> bool:
    return any(v.startswith("col:") for v in token.values("concept"))


def _cells(entry: Entry) -> set[str]:
    if entry.rate is not None:
        return {*entry.rate.numerator, *entry.rate.denominator, *entry.rate.less}
    return {k for keys in entry.keys.values() for k in keys}


def _covers(asked: Entry, aside: Entry) -> bool:
    """Whether the figure asked counts what is set aside: the same cells, a column of its row when it is the
    row's total (尚未审结 of 行政复议), a row of its group (国家秘密 of 不予公开), a result of 办理结果总计."""
    if _cells(aside) & _cells(asked):
        return True
    if asked.table != aside.table or not asked.row or not aside.row:
        return False
    row_within = (
        aside.row == asked.row
        or aside.row.startswith(asked.row + ".")
        or (asked.row == "apply.total" and aside.row.startswith(RESULT_ROWS))
    )
    return row_within and asked.column in ("total", aside.column)


def set_aside(reading: Reading, unexplained: Sequence[Chunk]) -> tuple[list[Chunk], list[Entry]]:
    """Read the clauses that set aside a figure outside the one asked (their words leave ``reading``); the
    chunks still unexplained and the figures set aside, for the answer to name."""
    found = [*_BEFORE.finditer(reading.text), *_AFTER.finditer(reading.text)]
    if not found:
        return list(unexplained), []
    aside_of: list[Entry] = []
    for m in found:
        whole, said = m.span(), m.span("x")
        if _NUMBERS.match(m.group("x").strip()):
            continue  # 不是零: a condition, read elsewhere
        inside = [t for t in reading.tokens if said[0] <= t.start and t.end <= said[1] and t.has("concept")]
        rest = [
            t for t in reading.tokens if not (whole[0] <= t.start and t.end <= whole[1]) and t.has("concept")
        ]
        asked = match(rest).entry
        # 新公开的，不是新制作的: the column set aside, of the row asked
        aside = match(inside).entry or match([*inside, *(t for t in rest if not _column(t))]).entry
        if aside is None or asked is None or not _cells(aside) or _covers(asked, aside):
            continue
        reading.tokens = [t for t in reading.tokens if not (whole[0] <= t.start and t.end <= whole[1])]
        unexplained = [c for c in unexplained if not (whole[0] <= c.span[0] and c.span[1] <= whole[1])]
        aside_of.append(aside)
    return list(unexplained), aside_of
