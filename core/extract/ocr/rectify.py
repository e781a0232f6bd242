"""Perspective undone from a table's own rules, for a photo whose sheet edges are not all in the frame.

A photo taken close enough to read a table rarely shows the whole sheet, so the sheet's outline cannot
say how the camera was tilted. The table's ruling can: its horizontal rules meet in one vanishing point,
its vertical rules in another (at infinity when the camera looked straight down). Sending both to infinity
along the page's axes makes every row straight and level and every column upright, which the grid finder
(core.extract.ocr.grid) needs: its cells' edges must line up across the whole table.
"""

from __future__ import annotations

import cv2
import numpy as np

_MIN_H_RULE = 0.15  # of the page width: a horizontal rule long enough to fit a line to
_MIN_V_RULE = 0.06  # of the page height
_MIN_RULES = 3  # of each direction
_MIN_SHIFT = 2.0  # px: a correction moving no corner further is not worth a warp (a scan)


def rectify(gray: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``gray`` with the perspective of its ruled tables undone (unchanged when it has too few rules).
    The rules are found and fitted at half size, which is as exact for lines this long and 4× cheaper."""
    h, w = gray.shape
    ink = cv2.resize(ink, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    ink = np.where(ink > 64, 255, 0).astype(np.uint8)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 60), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 80))))
    centre = np.array([w / 4, h / 4])
    unit = max(w, h) / 4
    rows = _lines(horizontal, _MIN_H_RULE * w / 2, along=0, centre=centre, unit=unit)
    cols = _lines(vertical, _MIN_V_RULE * h / 2, along=1, centre=centre, unit=unit)
    if len(rows) < _MIN_RULES or len(cols) < _MIN_RULES:
        return gray
    homography = _homography(_meet(rows), _meet(cols))
    if homography is None:
        return gray
    unit, centre = unit * 2, centre * 2  # back to full size: the normalised coordinates are the same
    to_norm = np.array([[1 / unit, 0, -centre[0] / unit], [0, 1 / unit, -centre[1] / unit], [0, 0, 1]])
    m = np.linalg.inv(to_norm) @ homography @ to_norm
    corners = np.float32([[[0, 0], [w, 0], [w, h], [0, h]]])
    moved = cv2.perspectiveTransform(corners, m)[0]
    if float(np.abs(moved - corners[0]).max()) < _MIN_SHIFT:
        return gray
    # Keep the page's width and its top-left where they were, so later steps see the scale they expect.
    x0, y0 = moved.min(axis=0)
    x1, _ = moved.max(axis=0)
    k = w / max(1.0, float(x1 - x0))
    fit = np.array([[k, 0, -x0 * k], [0, k, -y0 * k], [0, 0, 1]])
    m = fit @ m
    out_h = int(min(2 * h, round(float(cv2.perspectiveTransform(corners, m)[0][:, 1].max()))))
    return cv2.warpPerspective(gray, m, (w, max(1, out_h)), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _lines(mask: np.ndarray, min_length: float, along: int, centre: np.ndarray, unit: float) -> np.ndarray:
    """Homogeneous lines (a, b, c: ax + by + c = 0, normalised coordinates) fitted to the long strokes of
    ``mask`` that run along x (``along`` 0) or y (1), weighted by length."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if (bw if along == 0 else bh) < min_length:
            continue
        ys, xs = np.nonzero(labels[y : y + bh, x : x + bw] == i)
        px = (xs + x - centre[0]) / unit
        py = (ys + y - centre[1]) / unit
        if along == 0:
            slope, icpt = np.polyfit(px, py, 1)  # y = slope·x + icpt
            line = np.array([slope, -1.0, icpt])
        else:
            slope, icpt = np.polyfit(py, px, 1)  # x = slope·y + icpt
            line = np.array([-1.0, slope, icpt])
        out.append(line / np.linalg.norm(line[:2]) * np.sqrt((bw if along == 0 else bh) / unit))
    return np.array(out)


def _meet(lines: np.ndarray) -> np.ndarray:
    """The point closest to lying on every line (homogeneous; at infinity for parallel lines)."""
    return np.linalg.svd(lines)[2][-1]


def _homography(row_vanish: np.ndarray, col_vanish: np.ndarray) -> np.ndarray | None:
    """The projective map sending both vanishing points to infinity, rows along x and columns along y."""
    horizon = np.cross(row_vanish, col_vanish)
    if abs(horizon[2]) < 1e-9:
        return None
    project = np.array([[1, 0, 0], [0, 1, 0], horizon / horizon[2]])
    directions = []
    for point, axis in ((row_vanish, 0), (col_vanish, 1)):
        d = (project @ point)[:2]
        d = d / np.linalg.norm(d)
        if d[axis] < 0:
            d = -d
        directions.append(d)
    basis = np.column_stack(directions)
    if abs(np.linalg.det(basis)) < 0.5:  # the rules are not near a right angle: not a table seen in perspective
        return None
    affine = np.eye(3)
    affine[:2, :2] = np.linalg.inv(basis)
    return affine @ project
