"""The national format's printed labels as the recogniser's dictionary.

A photographed 7 pt label comes back with a character or two wrong (社会公益维织, （一）学以公开), beyond the
parser's fuzzy matching, and one wrong header loses a whole column. The format prints a known, small set
of labels (core.templates), so a table cell or heading that is close to exactly one of them — and much
closer to it than to any other — was printed as that label. Anything else (an agency's own extra row)
is left as read.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz, process

from core.extract.ocr.engine import EMPTY_BRACKETS
from core.templates import TEMPLATES

# Printed in the national tables but not a template label: table 三's column group and table 二's
# label-column header (report-format.md §2).
_PRINTED = ("法人或其他组织", "信息内容")
_NUMBERED = re.compile(r"^(\d)(?=[\u4e00-\u9fff])")
_MIN_SCORE = 75.0
_MARGIN = 8.0  # over the runner-up
_KNOWN_SCORE = 90.0
_FILL_SCORE = 50.0  # a gap in a header is filled only with a label the text still resembles


@cache
def _cell_labels() -> tuple[str, ...]:
    labels: set[str] = set(_PRINTED)
    for template in TEMPLATES.values():
        for table in template.tables:
            labels.add(table.title)
            for block in table.blocks:
                labels.add(block.label)
                labels.update(block.aliases)
                for row in block.rows:
                    labels.add(row.label)
                    if row.group:
                        labels.add(row.group)
                labels.update(c.label for c in block.columns)
    return tuple(sorted(labels))


@cache
def _headings() -> tuple[str, ...]:
    return tuple(f"{s.id}、{s.title}" for t in TEMPLATES.values() for s in t.sections)


def _snap(text: str, choices: tuple[str, ...]) -> str:
    flat = "".join(text.split())
    if len(flat) < 2:
        return text
    dotted = _NUMBERED.sub(r"\1.", flat)  # 3其他: the small print's full stop lost after an item number
    if dotted != flat and dotted in choices:
        return dotted
    found = process.extract(flat, choices, scorer=fuzz.ratio, limit=2)
    if not found or found[0][1] < _MIN_SCORE or found[0][1] == 100:
        return text
    if len(found) > 1 and found[1][1] > found[0][1] - _MARGIN:
        return text
    return found[0][0]


def cell_label(text: str) -> str:
    """A table cell's text, or the template label it was printed as."""
    return _snap(text, _cell_labels())


def is_label(text: str) -> bool:
    """Whether ``text`` is (or snaps to) a label the format prints in its tables."""
    snapped = cell_label(text)
    return "".join(snapped.split()) in _flat_labels()


@cache
def _flat_labels() -> frozenset[str]:
    return frozenset("".join(x.split()) for x in _cell_labels())


def is_block_title(text: str) -> bool:
    """Whether ``text`` is (or snaps to) the title of one of the format's blocks (第二十条第（五）项)."""
    return "".join(cell_label(text).split()) in _blocks()


def known(text: str) -> bool:
    """Whether a line reads as (a line of) a label or heading the format prints, closely enough that a
    sharper reading would change nothing that matters: it is snapped to that label anyway."""
    flat = "".join(text.split())
    if len(flat) < 3 or EMPTY_BRACKETS.search(flat):
        return False
    found = process.extractOne(flat, _known_lines(), scorer=fuzz.partial_ratio, score_cutoff=_KNOWN_SCORE)
    return found is not None


@cache
def _known_lines() -> tuple[str, ...]:
    return tuple("".join(x.split()) for x in (*_cell_labels(), *_headings()))


def heading(text: str) -> str:
    """A short line of text, or the section heading it was printed as."""
    return _snap(text, _headings()) if len(text) <= 30 else text


@cache
def _blocks() -> dict[str, set[str]]:
    """Block title → the labels of its rows, over both formats."""
    out: dict[str, set[str]] = {}
    for template in TEMPLATES.values():
        for table in template.tables:
            for block in table.blocks:
                out.setdefault(block.label, set()).update(r.label for r in block.rows)
    return out


def block_title(text: str, below: list[str]) -> str | None:
    """The block title ``text`` was printed as, when it could be several and a row label among ``below``
    (the first cells of the rows under it) belongs to exactly one of them; else None."""
    flat = "".join(text.split())
    blocks = _blocks()
    if flat in blocks:
        return None
    scored = process.extract(flat, list(blocks), scorer=fuzz.ratio, limit=None)
    close = {label for label, score, _ in scored if score >= _MIN_SCORE and score >= scored[0][1] - _MARGIN}
    if len(close) < 2:
        return None
    for label in below:
        owners = [b for b in close if label in blocks[b]]
        if len(owners) == 1:
            return owners[0]
    return None


@cache
def _column_runs() -> tuple[tuple[str, ...], ...]:
    """Each block's column labels in printed order, over both formats."""
    runs = (tuple(c.label for c in block.columns) for t in TEMPLATES.values() for table in t.tables for block in table.blocks)
    return tuple(dict.fromkeys(run for run in runs if len(run) >= 3))


def fill_header(texts: list[str], *, blanks: bool = True) -> list[str]:
    """A header row's texts, with labels read too badly to snap (社会公益组织 as 社会公益维, 总计 as eit)
    replaced by the labels the format prints there: a gap between two snapped labels of one block whose
    distance in the row is their distance in the block's column order (table 四 prints its five columns
    three times over), or a label just past the end of three or more snapped ones that it still resembles.
    ``blanks``: an empty cell in such a gap is a label not read at all (a ruled cell); without rules an
    empty place is only where no text stands."""
    out = list(texts)
    flat = ["".join(t.split()) for t in texts]
    known = set(_cell_labels())
    for run in _column_runs():
        n = len(run)
        at = {label: i for i, label in enumerate(run)}
        placed = [(k, at[t]) for k, t in enumerate(flat) if t in at]
        for (i, a), (j, b) in zip(placed, placed[1:], strict=False):
            if 2 <= j - i < n and (b - a) % n == j - i:
                for k in range(i + 1, j):
                    if (flat[k] or blanks) and flat[k] not in known:
                        out[k] = flat[k] = run[(a + k - i) % n]
        placed = [(k, at[t]) for k, t in enumerate(flat) if t in at]
        for edge in (1, -1):  # past the last snapped label, then before the first
            seq = placed if edge == 1 else [(len(flat) - 1 - k, n - 1 - a) for k, a in reversed(placed)]
            ordered = flat if edge == 1 else flat[::-1]
            streak = 1
            for (i, a), (j, b) in zip(seq, seq[1:], strict=False):
                streak = streak + 1 if (j, b) == (i + 1, a + 1) else 1
            if not seq or streak < 3:
                continue
            k, a = seq[-1][0] + 1, seq[-1][1] + 1
            if k < len(ordered) and a < n and ordered[k] and ordered[k] not in known:
                guess = run[a] if edge == 1 else run[n - 1 - a]
                if fuzz.ratio(ordered[k], guess) >= _FILL_SCORE:
                    target = k if edge == 1 else len(flat) - 1 - k
                    out[target] = flat[target] = guess
    return out
