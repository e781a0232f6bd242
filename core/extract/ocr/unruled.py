"""Text outside ruled tables → paragraphs, and tables printed without rules, laid out from how their text
aligns.

A line of several pieces with figures (or a header of known column labels) is a row of an unruled table.
A row label wrapped over two or three lines is centred on its figures, so its other lines stand alone
above and below them; those lines, lying left of every figure, join the row whose figures are nearest.
Columns are the clusters of the pieces' centres right of the labels; a header wrapped over two lines puts
two pieces in one column, which are one cell (結果维 / 持). Left of the figures, labels side by side (a
group's 不予公开 beside its 1.属于国家秘密) are separate cells, the innermost next to the figures, as a ruled
table gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.extract.ocr.grid import Box, Piece
from core.extract.ocr.lexicon import cell_label, fill_header, heading, is_block_title, is_label
from core.model import Block, GridCell, Location, Paragraph, SourceKind, Table

_FIGURE = re.compile(r"[-+]?\d[\d,.]*%?|/|—|-")
_MIN_ROWS = 2
_NEAR = 1.6  # line heights: a lone label line this close to a row's figures is part of that row
_LEADING = 0.45  # line heights between two lines of one wrapped cell (rows are further apart)
_ONE_COLUMN = 4.5  # line heights: a header piece wider than this spans several columns


@dataclass
class Line:
    box: Box
    pieces: list[Piece]


def figure(text: str) -> bool:
    return bool(_FIGURE.fullmatch(text))


def min_conf(pieces: list[Piece]) -> float:
    return round(min((p.confidence for p in pieces), default=1.0), 3)


def place(lines: list[Line], page: int, kind: SourceKind, first_table: int) -> list[tuple[int, Block]]:
    """(top y, block) for every line: paragraphs, and tables numbered from ``first_table``."""
    placed: list[tuple[int, Block]] = []
    run: list[Line] = []
    pending: list[Line] = []  # lone label lines after the run's last row: of that row, or of the next?

    def flush() -> None:
        nonlocal run, pending
        if run and pending and _near(pending[0], run[-1]):
            _attach(pending, [run[-1]])
        elif pending:
            placed.extend(_paragraph(line, page, kind) for line in pending)
        placed.extend(_table(run, page, kind, first_table + sum(1 for _, b in placed if isinstance(b, Table))))
        run, pending = [], []

    for line in lines:
        if run and _label_only(line, run) and (_near(line, run[-1]) or (pending and _near(line, pending[-1]))):
            pending.append(line)  # also a line of several labels side by side: a row needs figures
        elif _row_like(line.pieces):
            if pending:
                _attach(pending, [run[-1], line])
                pending = []
            run.append(line)
        elif run and not any(_figures(row) for row in run) and all(is_label(p.text) for p in line.pieces) and _near(line, run[-1]):
            run.append(line)  # a header's lone label (其他 between wrapped ones), before any figures
        else:
            flush()
            placed.append(_paragraph(line, page, kind))
    flush()
    return [(y, b) for y, b in placed if not isinstance(b, Paragraph) or b.text]


def _row_like(pieces: list[Piece]) -> bool:
    if len(pieces) >= 3:
        return True
    return len(pieces) == 2 and (figure(pieces[1].text) or is_label(pieces[0].text) or is_label(pieces[1].text))


def _figures(line: Line) -> list[Piece]:
    return [p for p in line.pieces if figure(p.text)]


def _label_only(line: Line, run: list[Line]) -> bool:
    """Text left of every figure of the table so far, and not the title of the next block."""
    if any(figure(p.text) for p in line.pieces) or any(is_block_title(p.text) for p in line.pieces):
        return False
    edge = min((p.box.x0 for row in run for p in _figures(row)), default=None)
    return edge is not None and max(p.box.x1 for p in line.pieces) < edge


def _height(line: Line) -> int:
    return max(p.box.height for p in line.pieces)


def _near(line: Line, other: Line) -> bool:
    gap = max(line.box.y0 - other.box.y1, other.box.y0 - line.box.y1, 0)
    return gap <= _NEAR * min(_height(line), _height(other))


def _attach(labels: list[Line], rows: list[Line]) -> None:
    """Each lone label line into the row (of ``rows``) whose figures' middle is nearest to it."""
    for label in labels:
        middle = (label.box.y0 + label.box.y1) / 2

        def distance(row: Line, middle: float = middle) -> float:
            anchor = _figures(row) or row.pieces
            return abs(np.mean([(p.box.y0 + p.box.y1) / 2 for p in anchor]) - middle)

        row = min(rows, key=distance)
        row.pieces = sorted([*row.pieces, *label.pieces], key=lambda p: p.box.x0)
        row.box = Box(min(row.box.x0, label.box.x0), min(row.box.y0, label.box.y0), max(row.box.x1, label.box.x1), max(row.box.y1, label.box.y1))


def _paragraph(line: Line, page: int, kind: SourceKind) -> tuple[int, Block]:
    text = heading(" ".join(p.text for p in line.pieces).strip())
    loc = Location(kind, page=page, bbox=line.box.as_list(), confidence=min_conf(line.pieces))
    return (line.box.y0, Paragraph(text, loc))


def _table(run: list[Line], page: int, kind: SourceKind, index: int) -> list[tuple[int, Block]]:
    """A run of rows: an unruled table, or (too short, too few figures) plain lines."""
    if not run:
        return []
    figures = sum(len(_figures(line)) for line in run)
    headed = any(all(is_label(p.text) for p in line.pieces) for line in run)
    if len(run) < _MIN_ROWS or figures < 1 or (figures < 2 and not headed):
        return [_paragraph(line, page, kind) for line in run]
    grid = aligned([line.pieces for line in _stack_headers(run)])
    texts = [fill_header([(p.text if figure(p.text) else cell_label(p.text)) if p else "" for p in cells], blanks=False) for cells in grid]
    rows: list[list[GridCell]] = []
    for r, cells in enumerate(_spans(grid, texts)):
        row = []
        for piece, c, span in cells:
            loc = Location(kind, table=index, row=r, col=len(row), page=page)
            if piece is not None:
                loc.bbox = piece.box.as_list()
                loc.confidence = round(piece.confidence, 3)
                if piece.alternatives:
                    loc.readings = list(piece.alternatives)
            row.append(GridCell(texts[r][c], loc, colspan=span))
        rows.append(row)
    return [(run[0].box.y0, Table(index=index, rows=rows, page=page))]


def _spans(grid: list[list[Piece | None]], texts: list[list[str]]) -> list[list[tuple[Piece | None, int, int]]]:
    """Each row as (piece, column, span) cells. Without rules a header over several columns shows only
    its middle; where the column labels below repeat (table 四 prints its five three times), each header
    above them spans the repeats its middle falls in, and those after it up to the next header's."""
    plain = [[(piece, c, 1) for c, piece in enumerate(row)] for row in grid]
    cycle = next((found for row, t in zip(grid, texts, strict=True) if (found := _repeats(row, t))), None)
    if cycle is None:
        return plain
    start, length, count = cycle
    label_row = next(r for r, t in enumerate(texts) if _repeats(grid[r], t) == cycle)
    out = []
    for r, row in enumerate(grid):
        claimed = [(c - start) // length for c, piece in enumerate(row) if piece is not None]
        if r >= label_row or any(p is not None and figure(p.text) for p in row) or not claimed:
            out.append(plain[r])
            continue
        if any(not 0 <= k < count for k in claimed) or len(set(claimed)) != len(claimed):
            out.append(plain[r])  # a header outside the repeats, or two over one: leave it as read
            continue
        cells: list[tuple[Piece | None, int, int]] = [(None, c, 1) for c in range(start + claimed[0] * length)]
        for i, k in enumerate(claimed):
            end = claimed[i + 1] if i + 1 < len(claimed) else count
            column = next(c for c, piece in enumerate(row) if piece is not None and (c - start) // length == k)
            cells.append((row[column], column, (end - k) * length))
        cells += [(None, c, 1) for c in range(start + count * length, len(row))]
        out.append(cells)
    return out


def _repeats(row: list[Piece | None], texts: list[str]) -> tuple[int, int, int] | None:
    """(first column, length, count) when the row's labels repeat at a fixed step, two times or more."""
    if any(p is not None and figure(p.text) for p in row):
        return None
    flat = ["".join(t.split()) for t in texts]
    first = next((c for c, t in enumerate(flat) if t), None)
    if first is None:
        return None
    at = [c for c, t in enumerate(flat) if t == flat[first]]
    if len(at) < 2:
        return None
    length = at[1] - at[0]
    if length < 2 or any(b - a != length for a, b in zip(at, at[1:], strict=False)):
        return None
    if any(flat[c : c + length] != flat[first : first + length] for c in at):
        return None
    return first, length, len(at)


def _stack_headers(run: list[Line]) -> list[Line]:
    """Header lines of no figures that sit one under the other within a cell's leading (a header
    wrapped over two lines, 结果维 over 持) are one header row."""
    out: list[Line] = []
    for line in run:
        last = out[-1] if out else None
        if (
            last is not None
            and _stackable(last)
            and _stackable(line)
            and line.box.y0 - last.box.y1 < _LEADING * min(_height(line), _height(last))
        ):
            box = Box(min(last.box.x0, line.box.x0), last.box.y0, max(last.box.x1, line.box.x1), line.box.y1)
            out[-1] = Line(box, sorted([*last.pieces, *line.pieces], key=lambda p: p.box.x0))
        else:
            out.append(Line(line.box, list(line.pieces)))
    return out


def _stackable(line: Line) -> bool:
    """Header text of single columns: no figures, and no piece as wide as a header over several columns
    (未经复议直接起诉 over five), which is a header row of its own."""
    return not _figures(line) and all(p.box.width <= _ONE_COLUMN * _height(line) for p in line.pieces)


def aligned(lines: list[list[Piece]]) -> list[list[Piece | None]]:
    """Rows of pieces → rows of one width: label cells first (right-aligned: the innermost label next to
    the figures), then each other piece in the column whose centre cluster it belongs to (pieces sharing
    a column, a header wrapped over two lines, are one cell); ``None`` where a row has nothing."""
    pieces = [p for line in lines for p in line]
    numbers = [p for p in pieces if figure(p.text)]
    edge = min((p.box.x0 for p in numbers), default=max(p.box.x1 for p in pieces) + 1)
    labels = [_label_columns([p for p in line if not figure(p.text) and p.box.x1 <= edge]) for line in lines]
    width = max((len(x) for x in labels), default=0)
    rest = [[p for p in line if figure(p.text) or p.box.x1 > edge] for line in lines]
    # The figures make the columns; a header over several of them goes to the one nearest its middle.
    centres = sorted((p.box.x0 + p.box.x1) / 2 for p in numbers or [p for line in rest for p in line])
    gap = max(20.0, float(np.median([p.box.height for p in pieces])) * 1.5)
    columns: list[list[float]] = []
    for c in centres:
        if columns and c - columns[-1][-1] <= gap:
            columns[-1].append(c)
        else:
            columns.append([c])
    middles = [sum(c) / len(c) for c in columns]
    rows: list[list[Piece | None]] = []
    for label, line in zip(labels, rest, strict=True):
        slots: list[list[Piece]] = [[] for _ in columns]
        for piece in line:
            centre = (piece.box.x0 + piece.box.x1) / 2
            slots[min(range(len(middles)), key=lambda i: abs(middles[i] - centre))].append(piece)
        row: list[Piece | None] = [None] * (width - len(label)) + list(label)
        row += [_merge(slot) if slot else None for slot in slots]
        rows.append(row)
    return rows


def _label_columns(pieces: list[Piece]) -> list[Piece]:
    """Label pieces of one row, side by side: those overlapping in x (a label's wrapped lines) are one."""
    out: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: p.box.x0):
        if out and piece.box.x0 < max(p.box.x1 for p in out[-1]):
            out[-1].append(piece)
        else:
            out.append([piece])
    return [_merge(group, joiner="") for group in out]


def _merge(pieces: list[Piece], joiner: str = "\n") -> Piece:
    if len(pieces) == 1:
        return pieces[0]
    ordered = sorted(pieces, key=lambda p: (p.box.y0, p.box.x0))
    box = Box(min(p.box.x0 for p in pieces), min(p.box.y0 for p in pieces), max(p.box.x1 for p in pieces), max(p.box.y1 for p in pieces))
    return Piece(box, joiner.join(p.text for p in ordered), min(p.confidence for p in pieces), ())
