"""Which way up a photo or a scanned page is: a phone held sideways delivers the table turned by a quarter,
a sheet fed the wrong way round comes out of the scanner upside down (EXIF, where a photo has it, is
applied when the file is decoded; Telegram photos and scans have none).

The recogniser is the judge: runs of print (characters closed into words) are read as they lie and turned
by one, two and three quarters; upright Chinese reads with near-certain characters, turned print as
unsure fragments or nothing (tuning photos: upright 0.36–1.0, the best wrong turn ≤ 0.22). Reading the
runs as they lie settles most pages, so the turned readings are only tried when that is not convincing.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.extract.ocr.engine import recogniser
from core.extract.ocr.grid import rules

_RUNS = 10  # the largest runs of print read
_UPRIGHT = 0.7  # mean score as they lie that settles it without trying the turns
_MIN_SCORE = 0.25  # a best turn scoring less is no evidence: leave the page as it is


def quarter_turns(gray: np.ndarray, ink: np.ndarray) -> int:
    """How many times ``np.rot90`` must turn the page (``gray``: paper light; ``ink``: its print mask)
    to make it upright."""
    crops = _runs(gray, ink)
    if not crops:
        return 0
    scores = np.zeros(4)
    scores[0] = float(np.mean(recogniser().plausibility(crops)))
    if scores[0] >= _UPRIGHT:
        return 0
    for k in (1, 2, 3):
        scores[k] = float(np.mean(recogniser().plausibility([np.ascontiguousarray(np.rot90(c, k)) for c in crops])))
    best = int(scores.argmax())
    return best if scores[best] >= _MIN_SCORE else 0


def _runs(gray: np.ndarray, ink: np.ndarray) -> list[np.ndarray]:
    """Crops of the largest runs of print (not table rules), characters closed into words."""
    text = cv2.bitwise_and(ink, cv2.bitwise_not(rules(ink)))
    _, _, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    sizes = np.maximum(stats[1:, 2], stats[1:, 3])
    sizes = sizes[(sizes >= 4) & (sizes < 80)]
    if len(sizes) == 0:
        return []
    size = float(np.median(sizes))  # about a character (or a digit) in pixels
    k = max(2, round(size * 0.4))
    closed = cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    runs = [s for s in stats[1:] if max(s[2], s[3]) >= 1.5 * size and s[4] >= 0.5 * size * size]
    runs.sort(key=lambda s: -int(s[4]))
    pad = round(size * 0.3)
    h, w = gray.shape
    return [gray[max(0, y - pad) : min(h, y + bh + pad), max(0, x - pad) : min(w, x + bw + pad)] for x, y, bw, bh, _ in runs[:_RUNS]]
