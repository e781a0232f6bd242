"""A long table photographed in parts: the photos overlap, and the rows both show must count once.

When the first table of a page repeats rows of the last table of the page before (by their row labels),
it is that table's continuation: rows it repeats are dropped from it (or replace the earlier copy when the
later one is more complete: a row cut by the frame's edge in one photo is whole in the other), and rows cut
so far that their labels are out of the frame, at the seam, are dropped from both. A table at the bottom of
a photo that the next photo shows whole, header first (the top of table 四 below table 三), was only
glimpsed there: it is emptied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.model import Block, GridCell, Table

_FIGURE = re.compile(r"[-+]?\d[\d,.]*%?|/|—|-")
_LOOK = 4  # rows at the start of the later table in which the first repeated label must appear


def join(pages: list[list[Block]]) -> None:
    """Remove the repeated rows wherever one page's first table continues the previous page's (in place)."""
    for before, after in zip(pages, pages[1:], strict=False):
        continue_from(before, after)


def continue_from(before: Sequence[Block], page: list[Block]) -> None:
    """``page`` read after ``before`` (the blocks so far): when ``before`` ends with a table and ``page``
    starts with one repeating its rows, remove the repeats (in place)."""
    last = before[-1] if before and isinstance(before[-1], Table) else None
    if last is not None and any(_seen_in(last, table) for table in page if isinstance(table, Table)):
        last.rows = []  # the top of the next photo's table, cut by this one's bottom edge
        last = next((b for b in reversed(before) if isinstance(b, Table) and b.rows), None)
    if last is None or not page or not isinstance(page[0], Table):
        return
    first = page[0]
    _join(last, first)
    if not first.rows:
        page.remove(first)


def _seen_in(part: Table, whole: Table) -> bool:
    """Whether ``part`` is a glimpse of ``whole``: ``whole`` starts with its header (so it is not the rest
    of a table broken over a page, which starts mid-table), ``part`` shows at least two of that header's
    texts, and fewer figures."""
    header: set[str] = set()
    for row in whole.rows:
        if any(_FIGURE.fullmatch(c.text.strip()) for c in row):
            break
        header |= {"".join(c.text.split()) for c in row if c.text.strip()}
    shown = {"".join(c.text.split()) for row in part.rows for c in row if c.text.strip()}
    return len(header & shown) >= 2 and _figures(part) < _figures(whole)


def _figures(table: Table) -> int:
    return sum(1 for row in table.rows for c in row if _FIGURE.fullmatch(c.text.strip()))


def _key(row: list[GridCell]) -> str | None:
    """A row's own label: its last cell of text before its figures (None if the frame cut it off)."""
    labels = [c.text for c in row if c.text.strip() and not _FIGURE.fullmatch(c.text.strip())]
    figures = [c for c in row if _FIGURE.fullmatch(c.text.strip())]
    return "".join(labels[-1].split()) if labels and figures else None


def _filled(row: list[GridCell]) -> int:
    return sum(1 for c in row if c.text.strip())


def _join(last: Table, first: Table) -> None:
    earlier = {k: i for i, row in enumerate(last.rows) if (k := _key(row)) is not None}
    keys = [_key(row) for row in first.rows]
    head = [k for k in keys if k is not None][:_LOOK]
    if not any(k in earlier for k in head):
        return
    kept = []
    for row, key in zip(first.rows, keys, strict=True):
        if key is None and not kept:
            continue  # cut by the frame's top edge, above the first repeated row
        if key in earlier:
            i = earlier[key]
            if _filled(row) > _filled(last.rows[i]) and len(row) == len(last.rows[i]):
                last.rows[i] = row
            continue
        kept.append(row)
    while last.rows and _key(last.rows[-1]) is None and any(c.text.strip() for c in last.rows[-1]):
        last.rows.pop()  # cut by the frame's bottom edge; the next photo shows it whole
    first.rows = kept
