"""Layouts of text copied from report pages that the line reader (core.extract.text) does not take as is.

- one cell per line, each ending in `` |``, and a cell followed by a line holding only ``|``: both
  become one cell per line (an empty cell an empty line), which the reader recovers by the labels;
- a flip-book PDF's text: a row's labels and figures space-separated on one line, header cells printed
  vertically one character per line. The characters are joined again and cut into the template's labels;
- stray readings left by pages that annotate characters with pinyin: 數(shù) → 數.
"""

from __future__ import annotations

import re
from functools import cache

from core.parse.grid import analyse
from core.parse.labels import Label, looks_like_block_title, vocabulary
from core.textnorm import squash, to_simplified

_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,6}[1-5]?\s*[)）]"
)
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|[a-z][1-5]")
_CELL_PIPE = re.compile(r"^(?P<cell>[^|]*?)\s*\|\s*$")
_ONE_CHAR = re.compile(r"^\s*[^\sA-Za-z0-9|]\s*$")
_MIN_RUN = 6  # lines of a layout before it is taken for one
# Header words the national format prints over several columns, which name no column themselves.
_HEADER_WORDS = ("法人或其他组织", "申请人情况", "信息内容", "行政诉讼")


def strip_pinyin(text: str) -> str:
    """Drop pinyin readings glued behind characters: 數(shù)據(jù) → 數據. Only readings with a tone mark
    (or a tone number) go: a bracketed latin word after a character is otherwise left alone."""
    if "(" not in text and "（" not in text:
        return text
    return _PINYIN.sub(lambda m: "" if _TONED.search(m.group()) else m.group(), text)


def unpipe(lines: list[str]) -> list[str]:
    """Runs of cells ending in `` |`` or separated by ``|`` lines, as one cell per line."""
    out = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _CELL_PIPE.match(lines[j]) and lines[j].count("|") == 1:
            j += 1
        if j - i >= _MIN_RUN and sum(1 for k in range(i, j) if lines[k].strip() != "|") * 2 >= j - i:
            for k in range(i, j):
                m = _CELL_PIPE.match(lines[k])
                out[k] = m["cell"].strip() if m else lines[k]
            i = j
            continue
        j = _bar_run(lines, i)
        if j - i >= _MIN_RUN:
            _unbar(lines, out, i, j)
            i = j
            continue
        i += 1
    return out


def _bar_run(lines: list[str], i: int) -> int:
    """End of a run of (cell line, ``|`` line) pairs starting at ``i``; ``i`` when there is none."""
    j = i
    while j + 1 < len(lines) and lines[j].strip() != "|" and lines[j + 1].strip() == "|" and "|" not in lines[j]:
        j += 2
    return j


def _unbar(lines: list[str], out: list[str], i: int, j: int) -> None:
    """Cell lines keep their place; the ``|`` lines become nothing (dropped from the reading)."""
    for k in range(i, j):
        if lines[k].strip() == "|":
            out[k] = "\x00"  # marker: not a line at all (text.py removes it)


# ---------------------------------------------------------------- flip-book text


def is_flip_line(text: str) -> bool:
    """A header character alone on its line."""
    return bool(_ONE_CHAR.match(text)) and not text.strip().isdigit()


def flip_row(text: str) -> list[str] | None:
    """A row of a flip-book table: labels then figures, space-separated (``规章 0 0 0``), or figures alone
    (table 四's one row); None otherwise."""
    tokens = text.split()
    if len(tokens) >= 3 and all(analyse(t)[1] in ("number", "placeholder") for t in tokens):
        return tokens
    if len(tokens) < 2:
        return None
    values = 0
    for token in reversed(tokens):
        if analyse(token)[1] not in ("number", "placeholder"):
            break
        values += 1
    if not values or values == len(tokens):
        return None
    labels = tokens[: len(tokens) - values]
    if not any(_is_label(t) for t in labels):
        return None
    return [*labels, *tokens[len(tokens) - values :]]


def looks_like_flipbook(texts: list[str]) -> bool:
    singles = sum(1 for t in texts if is_flip_line(t))
    rows = sum(1 for t in texts if flip_row(t))
    return singles >= _MIN_RUN and rows >= 1


def segment(chars: str) -> list[str]:
    """Vertical header text joined again, cut into the template's labels (longest first): the labels are
    all that tells where one header cell ends. Characters no label covers stay together as one cell."""
    text = to_simplified(chars)
    known = _known()
    n = len(text)
    # best[i]: (characters covered by labels, -pieces) for text[i:], and where the first piece ends
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    cut = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = [((best[i + 1][0], best[i + 1][1] - 1), i + 1)]
        for length in _lengths():
            if i + length <= n and squash(text[i : i + length]) in known:
                options.append(((best[i + length][0] + length, best[i + length][1] - 1), i + length))
        best[i], cut[i] = max(options)
    pieces, i, loose = [], 0, ""
    while i < n:
        j = cut[i]
        piece = text[i:j]
        if j - i == 1 and squash(piece) not in known:
            loose += piece
        else:
            if loose:
                pieces.append(loose)
                loose = ""
            pieces.append(piece)
        i = j
    if loose:
        pieces.append(loose)
    return pieces


@cache
def _known() -> frozenset[str]:
    return frozenset(k for k in vocabulary() if len(k) >= 2) | frozenset(_HEADER_WORDS)


@cache
def _lengths() -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in _known()}, reverse=True))


def flip_like(text: str) -> bool:
    """A line that can belong to a flip-book table: a row whose cells were all empty is its labels alone."""
    if not text.strip() or is_flip_line(text) or flip_row(text) is not None:
        return True
    return looks_like_block_title(Label.of(text)) or all(_is_label(t) for t in text.split())


def _is_label(token: str) -> bool:
    label = Label.of(token)
    vocab = vocabulary()
    return label.norm in vocab or label.core in vocab


def flip_table(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A flip-book region, (line number, text) per line, as rows of (line number, cell): each run of
    vertical characters is one header row."""
    rows: list[list[tuple[int, str]]] = []
    chars, first = "", 0
    for no, text in lines:
        if is_flip_line(text):
            chars, first = chars + text.strip(), first or no
            continue
        if chars:
            rows.append([(first, cell) for cell in segment(chars)])
            chars, first = "", 0
        if not text.strip():
            continue
        row = flip_row(text)
        rows.append([(no, cell) for cell in (row if row is not None else [text.strip()])])
    if chars:
        rows.append([(first, cell) for cell in segment(chars)])
    return rows
