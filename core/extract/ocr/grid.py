"""Table grids from pixels: ruled tables from their ruling lines, unruled ones from how their text aligns.

A ruled table is found as a connected web of long horizontal and vertical strokes. Its cells are the
paper regions the rules enclose, so a merged cell is simply a larger region; the grid's column and row
boundaries are the cells' edges, clustered, and every cell gets its row/column span on that grid, as the
PDF reader lays pdfplumber's cells on its grid.

Tables without rules are laid out from their text (core.extract.ocr.unruled).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

_MIN_TABLE_WIDTH = 0.25  # of the page width
_EDGE_TOLERANCE = 12  # px: cell edges on the same rule, at 200 dpi, after a photo's perspective is undone


@dataclass
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    def as_list(self) -> list[int]:
        return [self.x0, self.y0, self.x1, self.y1]


@dataclass
class GridBox:
    box: Box  # the cell's paper inside its rules
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    box: Box  # the whole table
    n_rows: int
    n_cols: int
    cells: list[GridBox] = field(default_factory=list)


def rules(ink: np.ndarray) -> np.ndarray:
    """Long horizontal and vertical strokes: the ruling of tables (and underlines, which form no grid)."""
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(40, w // 30), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 30)))
    # Bridge the small breaks blur and JPEG leave in a printed rule.
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))
    return cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))


def ruled(ink: np.ndarray) -> tuple[list[Grid], np.ndarray]:
    """The ruled tables on a page, top to bottom, and the mask of their rules."""
    lines = rules(ink)
    h, w = ink.shape
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if bw < _MIN_TABLE_WIDTH * w or bh < 20:
            continue
        grid = _grid(lines[y : y + bh, x : x + bw], x, y)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.box.y0)
    return grids, lines


def _grid(lines: np.ndarray, ox: int, oy: int) -> Grid | None:
    h, w = lines.shape
    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - lines, connectivity=4)
    boxes = []
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue  # paper outside the outer rule
        if bw < 8 or bh < 8 or area < 0.6 * bw * bh:
            continue
        boxes.append(Box(int(x + ox), int(y + oy), int(x + bw + ox), int(y + bh + oy)))
    if len(boxes) < 2:
        return None
    xs = _cluster([b.x0 for b in boxes] + [b.x1 for b in boxes])
    ys = _cluster([b.y0 for b in boxes] + [b.y1 for b in boxes])
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells = []
    for b in boxes:
        c0, c1 = _nearest(xs, b.x0), _nearest(xs, b.x1)
        r0, r1 = _nearest(ys, b.y0), _nearest(ys, b.y1)
        if c1 <= c0 or r1 <= r0:
            continue
        cells.append(GridBox(b, r0, c0, r1 - r0, c1 - c0))
    table = Box(ox, oy, ox + w, oy + h)
    return Grid(table, len(ys) - 1, len(xs) - 1, cells)


def _cluster(values: list[int]) -> list[float]:
    """Boundaries: the edges of neighbouring cells lie a rule's width apart, so edges closer than the
    tolerance are one boundary."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= _EDGE_TOLERANCE:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _nearest(bounds: list[float], value: int) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - value))


@dataclass
class Piece:
    """A run of text on one line, read (core.extract.ocr.unruled lays them out)."""

    box: Box
    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()
