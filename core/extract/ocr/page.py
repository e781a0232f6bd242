"""A photo or a scanned page → a flat, upright, evenly lit page image ready for reading.

Steps: find the sheet of paper in a photo and undo the perspective (a scan is the sheet already); keep the
red channel, in which the red 公章 and a yellowish paper tint both vanish while black print stays black;
divide by the estimated paper brightness (uneven lighting, tint); turn it upright (core.extract.ocr.orient);
scale to a fixed page width (a 1280 px phone photo's 6–7 pt table print is upscaled on the way); straighten
the remaining skew; binarise.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.extract.ocr.orient import quarter_turns
from core.extract.ocr.rectify import rectify

WIDTH = 1654  # an A4 page at 200 dpi
_FIND_SIDE = 800  # the sheet is looked for in a copy this large
_EDGE = 0.01  # a sheet corner this close to the frame's edge (share of its long side) is the frame's
_SKEW_RANGE = 12.0  # degrees either way: a phone held askew over a table, its sheet's outline out of view
_SKEW_COARSE = 1.0
_SKEW_STEP = 0.2


@dataclass
class Page:
    number: int  # 1-based, in reading order of the upload
    gray: np.ndarray  # uint8, paper ≈ 255, print dark; upright and flat
    ink: np.ndarray  # uint8 mask, 255 where there is print


def prepare(image: np.ndarray, number: int) -> Page:
    """``image``: BGR uint8 as decoded (core.extract.ocr.load)."""
    sheet = _find_sheet(image)
    if sheet is None:
        sheet = image
    gray = _flatten(sheet[:, :, 2])  # OpenCV's BGR: index 2 is red
    turns = quarter_turns(gray, _binarise(gray))
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, turns))
    h, w = gray.shape
    scale = WIDTH / w
    gray = cv2.resize(gray, (WIDTH, max(1, round(h * scale))), interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    ink = _binarise(gray)
    angle = _skew(ink)
    if abs(angle) > _SKEW_STEP / 2:
        gray = _rotate(gray, angle)
        ink = _binarise(gray)
    flat = rectify(gray, ink)
    if flat is not gray:
        gray, ink = flat, _binarise(flat)
    return Page(number, gray, ink)


def _find_sheet(image: np.ndarray) -> np.ndarray | None:
    """The sheet of paper in a photo, perspective undone; None when the image is the sheet (a scan, or a
    photo filled by the page)."""
    h, w = image.shape[:2]
    k = _FIND_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    # Paper is bright and colourless; a desk, a hand or a shadow is darker or coloured.
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    paperness = hsv[:, :, 2].astype(np.int16) - hsv[:, :, 1].astype(np.int16)
    paperness = cv2.GaussianBlur(np.clip(paperness, 0, 255).astype(np.uint8), (5, 5), 0)
    _, mask = cv2.threshold(paperness, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline)
    frame = small.shape[0] * small.shape[1]
    if not 0.2 * frame < area < 0.95 * frame:
        return None
    hull = cv2.convexHull(outline)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        rect = cv2.minAreaRect(hull)
        if area < 0.85 * rect[1][0] * rect[1][1]:
            return None
        quad = cv2.boxPoints(rect)
    inside = np.asarray(quad, np.float32).reshape(4, 2)
    margin = _EDGE * max(small.shape[:2])
    if (inside.min(axis=0) < margin).any() or (inside > np.float32(small.shape[1::-1]) - margin).any():
        return None  # the sheet runs out of the frame: its outline here is partly the frame's (core.extract.ocr.rectify)
    corners = _order(inside / k)
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    if width < 50 or height < 50:
        return None
    out_w = WIDTH
    out_h = round(WIDTH * height / width)
    target = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    m = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = points.sum(axis=1)
    d = np.diff(points, axis=1).ravel()
    return np.float32([points[s.argmin()], points[d.argmin()], points[s.argmax()], points[d.argmax()]])


def _flatten(channel: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness, estimated by closing the print away on a small copy."""
    h, w = channel.shape
    small = cv2.resize(channel, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    paper = cv2.medianBlur(paper, 5)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = channel.astype(np.float32) * 255.0 / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


def _binarise(gray: np.ndarray) -> np.ndarray:
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    level = min(max(level, 120), 200)
    return np.where(gray < level, 255, 0).astype(np.uint8)


def _skew(ink: np.ndarray) -> float:
    """The angle (degrees) that makes text lines and table rules horizontal: the rotation whose row
    profile of ink is the most peaked, searched coarsely over the whole range and then finely."""
    h, w = ink.shape
    k = 600 / max(h, w)
    small = cv2.resize(ink, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    if small.sum() == 0:
        return 0.0

    def score(angle: float) -> float:
        rotated = _rotate(small, angle, fill=0) if angle else small
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-_SKEW_RANGE, _SKEW_RANGE + 1e-9, _SKEW_COARSE), key=lambda a: score(float(a)))
    fine = np.arange(coarse - _SKEW_COARSE, coarse + _SKEW_COARSE + 1e-9, _SKEW_STEP)
    return float(max(fine, key=lambda a: score(float(a))))


def _rotate(image: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)
