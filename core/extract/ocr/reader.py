"""One prepared page → Document blocks: ruled tables cell by cell, then the text around them line by line,
in reading order, each with its page, bounding box (page pixels at 200 dpi) and OCR confidence.

Text lines are found from the ink's row profile, not by the detection model: on a straightened printed
page that is exact, ~50× faster, and it cannot overlook a cell holding a lone ``1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from core.extract.ocr.engine import EMPTY_BRACKETS, Reading, recogniser
from core.extract.ocr.grid import Box, Grid, Piece, ruled
from core.extract.ocr.lexicon import block_title, cell_label, fill_header, known
from core.extract.ocr.page import Page
from core.extract.ocr.unruled import Line, figure, place
from core.model import Block, GridCell, Location, SourceKind, Table

_PAD = (8, 4)  # px of paper kept left/right and above/below a line crop: a lone digit needs the room
_MIN_INK = 12  # pixels: less is dust, not print
_MARGIN = 0.07  # share of the page height at top and bottom where page numbers sit
_FURNITURE = re.compile(r"^[\s\-—–_－0-9/第页共Pp.]*$")
_SLASH_SLANT = 0.18  # horizontal drift per pixel down: ~0.3 for a printed "/", below 0.1 for a "1"



@dataclass
class _Line:
    box: Box
    pieces: list[Box]


def read_page(page: Page, kind: SourceKind, first_table: int) -> list[tuple[int, Block]]:
    """(top y, block) pairs for the page; tables are numbered from ``first_table``."""
    grids, rule_mask = ruled(page.ink)
    ink = cv2.bitwise_and(page.ink, cv2.bitwise_not(rule_mask))
    placed: list[tuple[int, Block]] = []
    for grid in grids:
        placed.append((grid.box.y0, _table(page, ink, grid, kind, first_table + len(placed))))
    outside = ink.copy()
    for grid in grids:
        b = grid.box
        outside[max(0, b.y0 - 2) : b.y1 + 2, max(0, b.x0 - 2) : b.x1 + 2] = 0
    lines = _lines(outside, Box(0, 0, outside.shape[1], outside.shape[0]))
    texts = [
        Line(line.box, pieces)
        for line, pieces in zip(lines, _read_lines(page, lines), strict=True)
        if pieces and not _furniture(line, pieces, page)
    ]
    placed += place(texts, page.number, kind, first_table + len(placed))
    placed.sort(key=lambda item: item[0])
    return placed


# ---------------------------------------------------------------- ruled tables


def _table(page: Page, ink: np.ndarray, grid: Grid, kind: SourceKind, index: int) -> Table:
    crops: list[np.ndarray] = []
    owners: list[int] = []
    line_boxes: dict[int, list[Box]] = {}
    for i, cell in enumerate(grid.cells):
        inner = Box(cell.box.x0 + 2, cell.box.y0 + 2, cell.box.x1 - 2, cell.box.y1 - 2)
        boxes = _lines(ink, inner, split=False)
        line_boxes[i] = [b for line in boxes for b in line.pieces]
        for b in line_boxes[i]:
            crops.append(_crop(page.gray, b))
            owners.append(i)
    readings = recogniser().read(crops, settled=lambda r: known(r.text)) if crops else []
    texts: dict[int, list[Reading]] = {}
    for owner, reading in zip(owners, readings, strict=True):
        box = line_boxes[owner][len(texts.get(owner, []))]
        texts.setdefault(owner, []).append(_minus(_slash(_filled(reading), ink, box), ink, box))
    owner_at: dict[tuple[int, int], int] = {}
    for i, cell in enumerate(grid.cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner_at.setdefault((r, c), i)
    rows: list[list[GridCell]] = []
    for r in range(grid.n_rows):
        row: list[GridCell] = []
        c = 0
        while c < grid.n_cols:
            i = owner_at.get((r, c))
            loc = Location(kind, table=index, row=r, col=len(row), page=page.number)
            if i is None:  # a slot no region covers (a rule broken into it): keep the grid aligned
                row.append(GridCell("", loc))
                c += 1
                continue
            cell = grid.cells[i]
            lines = texts.get(i, [])
            loc.bbox = cell.box.as_list()
            loc.confidence = round(min((x.confidence for x in lines), default=1.0), 3)
            if len(lines) == 1 and lines[0].alternatives:
                loc.readings = list(lines[0].alternatives)
            width = cell.col + cell.colspan - c
            text = "\n".join(x.text for x in lines)
            if not figure(text):
                text = cell_label(text)
            row.append(GridCell(text, loc, colspan=width, continued=cell.row < r))
            c += width
        rows.append(row)
    _name_blocks(rows)
    for row in rows:
        for cell, text in zip(row, fill_header([c.text for c in row]), strict=True):
            cell.text = text
    return Table(index=index, rows=rows, page=page.number)


def _name_blocks(rows: list[list[GridCell]]) -> None:
    """A block title that reads as several (第二十条第（）项) is the one whose rows follow it."""
    for r, row in enumerate(rows):
        texts = {c.text for c in row if c.text}
        if len(texts) != 1:
            continue
        below = [rows[k][0].text for k in range(r + 1, min(len(rows), r + 6)) if rows[k]]
        named = block_title(texts.pop(), below)
        if named is not None:
            for cell in row:
                cell.text = named


def _filled(reading: Reading) -> Reading:
    """A bracket pair printed empty is a character the recogniser skipped (第二十条第（八）项): take the
    most likely reading that fills it."""
    if not EMPTY_BRACKETS.search(reading.text):
        return reading
    for alt in reading.alternatives:
        if not EMPTY_BRACKETS.search(alt) and len(alt) > len(reading.text):
            return Reading(alt, reading.confidence, (reading.text,))
    return reading


def _slash(reading: Reading, ink: np.ndarray, box: Box) -> Reading:
    """A lone ``/`` (printed for "none") reads as ``1``: tell them apart by the stroke's slant."""
    if reading.text not in ("1", "/", "l", "I", "|", "7"):
        return reading
    mask = ink[box.y0 : box.y1, box.x0 : box.x1]
    ys, xs = np.nonzero(mask)
    if len(xs) < _MIN_INK:
        return reading
    if np.ptp(ys) < 4:
        return reading
    slant = -float(np.polyfit(ys, xs, 1)[0])  # x drifts left going down a "/"; a "1" stands upright
    if slant > _SLASH_SLANT:
        return Reading("/", reading.confidence, tuple(a for a in ("1", *reading.alternatives) if a != "/"))
    if reading.text == "/":
        return Reading("1", reading.confidence * 0.5, ("/",))
    return reading


def _minus(reading: Reading, ink: np.ndarray, box: Box) -> Reading:
    """A minus sign (本年增/减 −3) is a short thin dash that the recogniser drops at small sizes: a
    figure read without it whose print starts with a dash at the digits' mid-height had one."""
    if not re.fullmatch(r"\d[\d,.]*", reading.text):
        return reading
    mask = ink[box.y0 : box.y1, box.x0 : box.x1]
    runs = _runs(np.count_nonzero(mask, axis=0) > 0, gap=0)  # runs of ink columns: the dash comes first
    if len(runs) < 2:
        return reading
    (x0, x1), digits_x = runs[0], runs[1][0]
    rows = np.flatnonzero(mask[:, x0:x1].any(axis=1))
    digit_rows = np.flatnonzero(mask[:, digits_x:].any(axis=1))
    if np.count_nonzero(mask[:, x0:x1]) < 3 or len(digit_rows) == 0:
        return reading
    top, height = int(digit_rows[0]), int(digit_rows[-1] - digit_rows[0] + 1)
    w, h = x1 - x0, int(rows[-1] - rows[0] + 1)
    middle = rows[0] + h / 2
    # Level, at the digits' mid-height; at 6 pt in a photo the dash is a 2-px speck, believed when the
    # recogniser itself nearly read it.
    level = w >= 1.5 * h or (w >= h and "-" + reading.text in reading.alternatives)
    if level and h <= 0.3 * height and w <= height and top + 0.3 * height <= middle <= top + 0.75 * height:
        return Reading("-" + reading.text, reading.confidence, (reading.text, *reading.alternatives))
    return reading


# ---------------------------------------------------------------- text lines


def _lines(ink: np.ndarray, area: Box, *, split: bool = True) -> list[_Line]:
    """Text lines in ``area`` of the ink mask, top to bottom; with ``split``, each line cut into pieces
    at gaps wider than two characters (the columns of an unruled table, a date set off to the right),
    and a piece that holds several lines of text (a label wrapped beside its figures, which are centred
    on it and so make the band as tall as the label) cut into one piece per line."""
    region = ink[area.y0 : area.y1, area.x0 : area.x1]
    if region.size == 0 or int(np.count_nonzero(region)) < _MIN_INK:
        return []
    rows = np.count_nonzero(region, axis=1)
    bands = [(y0, y1) for y0, y1 in _runs(rows > 0, gap=2) if y1 - y0 >= 4 and int(rows[y0:y1].sum()) >= _MIN_INK]
    line = float(np.median([y1 - y0 for y0, y1 in bands])) if bands else 0.0  # the commonest: one line
    out = []
    for y0, y1 in bands:
        if split and y1 - y0 > 1.6 * line:
            out += _side_by_side(region, area, y0, y1, line)
            continue
        cols = np.count_nonzero(region[y0:y1], axis=0)
        gap = max(6, 2 * (y1 - y0)) if split else max(6, (y1 - y0))
        pieces = [
            Box(area.x0 + x0, area.y0 + y0, area.x0 + x1, area.y0 + y1)
            for x0, x1 in _runs(cols > 0, gap=gap)
            if int(cols[x0:x1].sum()) >= _MIN_INK // 2
        ]
        if not pieces:
            continue
        if not split:
            pieces = [Box(pieces[0].x0, pieces[0].y0, pieces[-1].x1, pieces[0].y1)]
        out.append(_Line(Box(pieces[0].x0, area.y0 + y0, pieces[-1].x1, area.y0 + y1), pieces))
    return sorted(out, key=lambda x: x.box.y0)


def _side_by_side(region: np.ndarray, area: Box, y0: int, y1: int, line: float) -> list[_Line]:
    """A band taller than a line: lines of text side by side at different heights (a table's labels
    wrapped beside its figures, a header over two lines beside one over one). Words are the print
    joined across gaps narrower than half a line; words whose middles share a height are a line, cut
    into pieces at gaps wider than most of a character (table 四's narrow columns)."""
    band = region[y0:y1]
    k = max(2, round(0.5 * line))
    joined = cv2.dilate(band, np.ones((1, k), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    words = []
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        ink = band[y : y + h, x : x + w] & (labels[y : y + h, x : x + w] == i)
        cols = np.flatnonzero(ink.any(axis=0))
        if np.count_nonzero(ink) < _MIN_INK // 2 or len(cols) == 0:
            continue
        # Kept a line high: a lone 0 cropped to its own height reads as 。
        grow = max(0, round(line) - int(h)) // 2
        top, bottom = max(0, int(y) - grow), min(band.shape[0], int(y + h) + grow)
        words.append(Box(area.x0 + int(x + cols[0]), area.y0 + y0 + top, area.x0 + int(x + cols[-1]) + 1, area.y0 + y0 + bottom))
    out = []
    for group in _by_line(words):
        pieces: list[Box] = []
        for word in group.pieces:
            if pieces and word.x0 - pieces[-1].x1 <= 0.8 * line:
                last = pieces[-1]
                pieces[-1] = Box(last.x0, min(last.y0, word.y0), word.x1, max(last.y1, word.y1))
            else:
                pieces.append(word)
        out.append(_Line(group.box, pieces))
    return out


def _by_line(pieces: list[Box]) -> list[_Line]:
    """Pieces of one line each, grouped into lines: those whose middles lie within each other's height."""
    lines: list[list[Box]] = []
    for piece in sorted(pieces, key=lambda p: (p.y0 + p.y1) / 2):
        middle = (piece.y0 + piece.y1) / 2
        if lines and lines[-1][0].y0 <= middle <= lines[-1][0].y1:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out = []
    for group in lines:
        group.sort(key=lambda p: p.x0)
        box = Box(group[0].x0, min(p.y0 for p in group), max(p.x1 for p in group), max(p.y1 for p in group))
        out.append(_Line(box, group))
    return out


def _runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True, bridging gaps of up to ``gap`` False."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = [int(idx[0]), *(int(idx[b + 1]) for b in breaks)]
    ends = [*(int(idx[b]) + 1 for b in breaks), int(idx[-1]) + 1]
    return list(zip(starts, ends, strict=True))


def _crop(gray: np.ndarray, box: Box) -> np.ndarray:
    h, w = gray.shape
    px, py = _PAD
    return gray[max(0, box.y0 - py) : min(h, box.y1 + py), max(0, box.x0 - px) : min(w, box.x1 + px)]


def _read_lines(page: Page, lines: list[_Line]) -> list[list[Piece]]:
    boxes = [b for line in lines for b in line.pieces]
    readings = recogniser().read([_crop(page.gray, b) for b in boxes]) if boxes else []
    out: list[list[Piece]] = []
    i = 0
    for line in lines:
        pieces = []
        for b in line.pieces:
            r = _filled(readings[i])
            i += 1
            if r.text.strip():
                pieces.append(Piece(b, r.text.strip(), r.confidence, r.alternatives))
        out.append(pieces)
    return out


def _furniture(line: _Line, pieces: list[Piece], page: Page) -> bool:
    """A page number in the top or bottom margin."""
    h = page.gray.shape[0]
    in_margin = line.box.y0 > h * (1 - _MARGIN) or line.box.y1 < h * _MARGIN
    text = "".join(p.text for p in pieces)
    return in_margin and bool(_FURNITURE.match(text))


