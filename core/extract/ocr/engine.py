"""Text-line recognition: the PP-OCRv4 Chinese recogniser that ships inside the ``rapidocr-onnxruntime``
wheel, run directly on ONNX Runtime (CPU).

Only the recogniser is used. Pages are printed documents: their text lines and table cells are found from
the pixels (core.extract.ocr.layout, core.extract.ocr.grid), which is faster than the detection model and
does not miss a lone ``1`` in a tall cell, as the detector does.

Each line comes back with its confidence and, where the recogniser hesitated, its next-best readings:
the 勾稽 identities later choose among them (core.extract.ocr.review). Nothing is downloaded: the model
file is read from the installed package.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import distribution

import cv2
import numpy as np

# Input heights. The model was trained at 48; most print reads as well at 32 in less than half the time,
# but at 32 a lone digit in a blurred photo or a thin character (八 in 第二十条第（八）项) can be lost.
HEIGHT = 48
SHORT_HEIGHT = 32
_MODEL = "models/ch_PP-OCRv4_rec_infer.onnx"
_DIGITS = "0123456789"
_NUMBER_CHARS = set(_DIGITS + ".,-%")
# What a short printed figure is misread as (11 → n, 0 → o or 。): no table cell prints such a fragment.
_DIGIT_LOOKALIKES = set("oODQlI|iJzZsSbBgqnuUhHLTtAEG。")
_LOOKALIKE_LEN = 4
_ALTERNATIVE_MIN = 0.02  # a second reading less likely than this is noise
_INSERTION_MIN = 0.05  # a character this likely where a blank won may be print the recogniser skipped
_MAX_READINGS = 4
_BATCH = 8
_SURE = 0.9  # a figure read at least this surely is not read again
_SURE_TEXT = 0.95  # nor is text
_REREAD_CHARS = 8  # crops wider than this many of their heights are not read again
EMPTY_BRACKETS = re.compile(r"[（(]\s*[)）]")  # never printed: a character the reading skipped


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # the least certain character's probability (1.0 for an empty line)
    alternatives: tuple[str, ...] = ()  # other whole-line readings, most likely first


class Recogniser:
    def __init__(self) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False  # the parse worker's memory cap counts every arena it keeps
        # Idle threads wait instead of spinning: on a shared 2-core machine spinning took 60% more CPU and
        # twice the wall time (2 scanned pages: 22 s → 12 s at a load of 4).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Located, not imported: rapidocr's own code (and the GUI OpenCV it asks for) is never loaded.
        path = distribution("rapidocr-onnxruntime").locate_file(f"rapidocr_onnxruntime/{_MODEL}")
        self.session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.chars = ["", *meta["character"].splitlines(), " "]  # CTC blank first, space last
        self.input = self.session.get_inputs()[0].name
        index = {c: i for i, c in enumerate(self.chars)}
        self.digit_ids = np.array([index[d] for d in _DIGITS])
        number_ids = [0, *(index[c] for c in ".,-%" if c in index), *self.digit_ids]
        self.number_mask = np.full(len(self.chars), -np.inf, np.float32)
        self.number_mask[number_ids] = 0.0

    def read(self, crops: list[np.ndarray], settled: Callable[[Reading], bool] | None = None) -> list[Reading]:
        """Read grey-scale line crops (dark text on light paper, a few pixels of paper around the text).

        Every crop is read small first, which takes less than half the time; whatever does not come out
        confident (a blurred digit, a thin character the small reading lost) is read again at full height,
        unless ``settled`` says the small reading is good enough for its use (a label the template knows)."""
        out = self._run(crops, SHORT_HEIGHT)
        again = [
            i
            for i, r in enumerate(out)
            if not _confident(r) and not (settled and settled(r)) and (_short(crops[i]) or not r.text or EMPTY_BRACKETS.search(r.text))
        ]
        for i, r in zip(again, self._run([crops[i] for i in again], HEIGHT), strict=True):
            if r.text and (not out[i].text or r.confidence >= out[i].confidence):
                out[i] = r
        return out

    def plausibility(self, crops: list[np.ndarray]) -> list[float]:
        """How much each crop looks like print the model knows, 0–1: the mean probability of the
        characters it reads (a single character counts half). Turned or mirrored print reads as unsure
        fragments or nothing (core.extract.ocr.orient)."""
        out = []
        for crop in crops:
            probs = self.session.run(None, {self.input: _normalise(crop, SHORT_HEIGHT)[None]})[0][0]
            best = probs.argmax(axis=1)
            emitted = best != 0
            n = int(emitted.sum())
            out.append(float(probs[emitted, best[emitted]].mean()) * min(1.0, n / 2) if n else 0.0)
        return out

    def _run(self, crops: list[np.ndarray], height: int) -> list[Reading]:
        lines = [_normalise(c, height) for c in crops]
        by_size: dict[tuple[int, int], list[int]] = {}
        for i, line in enumerate(lines):
            by_size.setdefault(line.shape[1:], []).append(i)
        out: list[Reading] = [Reading("", 1.0)] * len(crops)
        # Batches of equal size only: padding a short crop out to a longer one's width (as batching
        # usually does) makes the recogniser lose lone digits, and large batches run slower per line.
        for same in by_size.values():
            for start in range(0, len(same), _BATCH):
                chunk = same[start : start + _BATCH]
                probs = self.session.run(None, {self.input: np.stack([lines[i] for i in chunk])})[0]
                for i, p in zip(chunk, probs, strict=True):
                    out[i] = self._decode(p)
        return out

    def _decode(self, probs: np.ndarray) -> Reading:
        best = probs.argmax(axis=1)
        text = self._collapse(best)
        if text and len(text) <= _LOOKALIKE_LEN and all(c in _NUMBER_CHARS or c in _DIGIT_LOOKALIKES for c in text):
            probs = probs * np.exp(self.number_mask)  # zero every non-number character
            probs = probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-9)
            best = probs.argmax(axis=1)
            text = self._collapse(best)
            if text.strip(".,") == "":  # a lone 0 read as 。 or . (never a printed figure): the likeliest digit
                frame = int(probs[:, self.digit_ids].max(axis=1).argmax())
                best = best.copy()
                best[frame] = self.digit_ids[int(probs[frame, self.digit_ids].argmax())]
                best[best != best[frame]] = 0
                text = self._collapse(best)
        alternatives = self._alternatives(probs, best, text)
        # The least certain frame, blanks included: a character the recogniser nearly saw makes the line
        # doubtful even when everything it did emit is certain.
        confidence = float(probs[np.arange(len(best)), best].min()) if len(best) else 1.0
        return Reading(text, confidence, alternatives)

    def _collapse(self, ids: np.ndarray) -> str:
        out = []
        prev = -1
        for i in ids:
            if i != prev and i != 0:
                out.append(self.chars[i])
            prev = i
        return "".join(out)

    def _alternatives(self, probs: np.ndarray, best: np.ndarray, text: str) -> tuple[str, ...]:
        """Other readings, most likely first: one character changed to its runner-up, one dropped where a
        blank nearly won, or one inserted where a character nearly beat the blank (a thin 八, a lone 1)."""
        options: dict[str, float] = {}
        chars = list(text)
        emitted = 0
        # Runners-up only where one can matter: a frame whose best reading has 98% leaves less for any other.
        runners = np.zeros(len(best), dtype=np.int64)
        unsure = np.flatnonzero(probs[np.arange(len(best)), best] < 1 - _ALTERNATIVE_MIN)
        if len(unsure):
            top = np.argpartition(probs[unsure], -2, axis=1)[:, -2:]  # the top two, in either order
            top_p = np.take_along_axis(probs[unsure], top, axis=1)
            runners[unsure] = top[np.arange(len(top)), top_p.argmin(axis=1)]
        for t in range(len(best)):
            row = probs[t]
            runner = int(runners[t])
            p = float(row[runner]) if runner != best[t] else 0.0
            if best[t] != 0 and (t == 0 or best[t] != best[t - 1]):
                pos = emitted
                emitted += 1
                if p < _ALTERNATIVE_MIN:
                    continue
                if runner == 0:
                    changed = chars[:pos] + chars[pos + 1 :]
                else:
                    changed = chars[:pos] + [self.chars[runner]] + chars[pos + 1 :]
            elif best[t] == 0 and runner != 0 and p >= _INSERTION_MIN:
                char = self.chars[runner]
                if (emitted and chars[emitted - 1] == char) or (emitted < len(chars) and chars[emitted] == char):
                    continue
                changed = chars[:emitted] + [char] + chars[emitted:]
            else:
                continue
            alt = "".join(changed)
            score = p / max(float(row[best[t]]), 1e-9)
            if alt != text and score > options.get(alt, 0.0):
                options[alt] = score
        ranked = sorted(options, key=lambda a: -options[a])
        return tuple(ranked[:_MAX_READINGS])


def _normalise(crop: np.ndarray, height: int) -> np.ndarray:
    """The crop scaled to ``height``, widened to a multiple of 8 with its own edge (paper), in the
    recogniser's value range, three channels."""
    h, w = crop.shape[:2]
    width = max(8, int(math.ceil(height * w / max(h, 1))))
    line = cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC if h < height else cv2.INTER_AREA)
    extra = -width % 8
    if extra:
        line = cv2.copyMakeBorder(line, 0, 0, extra // 2, extra - extra // 2, cv2.BORDER_REPLICATE)
    return np.repeat((line.astype(np.float32) / 127.5 - 1.0)[None], 3, axis=0)


def _short(crop: np.ndarray) -> bool:
    """A crop of a few characters. A long line read again at full height costs 150 ms and on the tuning
    scans changed none of 26 such lines for the better: only figures and short labels are read again."""
    h, w = crop.shape[:2]
    return w <= _REREAD_CHARS * h


def _confident(reading: Reading) -> bool:
    if not reading.text or reading.confidence < _SURE:
        return False
    if all(c in _NUMBER_CHARS for c in reading.text):
        return True
    return reading.confidence >= _SURE_TEXT and not EMPTY_BRACKETS.search(reading.text)


@cache
def recogniser() -> Recogniser:
    """One per process: the model takes ~0.2 s to load, and the parse worker reads many files."""
    return Recogniser()
