"""``make bench`` OCR section: seconds per page, and the share of figures read right from scans and phone
photos of generated reports.

The set is held back: drawn like the tuning set of scripts/tune_ocr.py (tests/ocr_corpus.py: type of
6–9 pt, scans at 120–300 dpi, photos at 1280 px seeing the print at 120–300 dpi, quarter-turned, bowed,
lit unevenly) from seeds the tuning never uses, and only its totals are printed. Figures are compared after
the whole pipeline (OCR, parsing, the identities' corrections), over every template figure of every report.

make bench runs this section as its own process (``python scripts/bench_ocr.py RESULT.json [--quick]``), as
the product reads images in parse worker processes: the recogniser's models and page images (about 0.7 GB)
are not counted in the memory of the benchmark process, and are reported as ``ocr_peak_rss_mb``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import bench_paths  # noqa: F401  (sys.path first)
from ocr_corpus import Case, photo_case, scan_case

from core.model import ReportError
from core.pipeline import read_report

HELD_BACK_FIRST = 9101  # the tuning set starts at 100
SCANS = 12
PHOTOS = 12


def _right(case: Case, name: str) -> tuple[int, int]:
    try:
        got = read_report(case.data, name).values
    except ReportError:  # the whole report lost counts as every figure wrong
        got = {}
    return sum(1 for k, v in case.values.items() if got.get(k) == v), len(case.values)


def bench_ocr(add: Callable[..., float], quick: bool = False) -> None:
    n_scans, n_photos = (1, 1) if quick else (SCANS, PHOTOS)
    wall: list[float] = []
    cpu: list[float] = []
    scans = [0, 0]
    for seed in range(HELD_BACK_FIRST, HELD_BACK_FIRST + n_scans):
        case = scan_case(seed, ("2019", "2021")[seed % 2])
        start, start_cpu = time.perf_counter(), time.process_time()
        right, total = _right(case, "scan.pdf")
        wall.append((time.perf_counter() - start) / case.pages)
        cpu.append((time.process_time() - start_cpu) / case.pages)
        scans[0] += right
        scans[1] += total
    photos = [0, 0]
    n_images = 0
    for seed in range(HELD_BACK_FIRST, HELD_BACK_FIRST + n_photos):
        case = photo_case(seed, ("2021", "2019")[seed % 2])
        right, total = _right(case, "album.pdf")
        photos[0] += right
        photos[1] += total
        n_images += case.pages
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    add("ocr_page_s", statistics.median(wall), "s", f"median over {len(wall)} scanned reports; load average now {load}")
    add("ocr_page_cpu_s", statistics.median(cpu), "s", "CPU seconds per page (all threads of this process)")
    add("ocr_scan_cell_accuracy", 100 * scans[0] / scans[1], "%", f"{scans[1] - scans[0]} of {scans[1]} figures wrong, {n_scans} scanned reports")
    add(
        "ocr_photo_cell_accuracy",
        100 * photos[0] / photos[1],
        "%",
        f"{photos[1] - photos[0]} of {photos[1]} figures wrong, {n_photos} albums of {n_images} photos",
    )


if __name__ == "__main__":
    found: list[tuple[str, float, str, str]] = []

    def _keep(name: str, value: float, unit: str = "", note: str = "") -> float:
        found.append((name, value, unit, note))
        return value

    bench_ocr(_keep, quick="--quick" in sys.argv)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found.append(("ocr_peak_rss_mb", peak_mb, "MB", "(this OCR process: models and page images)"))
    Path(sys.argv[1]).write_text(json.dumps(found))
