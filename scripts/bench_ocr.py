"""``make bench`` OCR section: seconds per page, and the share of figures read right from scans and phone
photos of generated reports.

The set is held back: its reports, seeds, type size and scan resolution are never used while tuning (the
tests and development used seeds 31–39 and 100–103 at 7.5 pt, 200 dpi). Figures are compared after the
whole pipeline (OCR, parsing, the identities' corrections), over every template figure of every report.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from builders import consistent_values
from scan_builders import Print, add_seal, image_bytes, photo, print_pages, scan, scanned_pdf

from core.pipeline import read_report
from core.storage.photos import bundle

SEEDS = (9001, 9002, 9003)  # held back
STYLES = (Print(dpi=200, cell_pt=7.0), Print(dpi=150, cell_pt=8.0))


def _accuracy(values: dict, report_values: dict) -> tuple[int, int]:
    right = sum(1 for k, v in values.items() if report_values.get(k) == v)
    return right, len(values)


def _set(quick: bool) -> list[tuple[str, int, Print]]:
    items = [(tpl, seed, STYLES[i % len(STYLES)]) for i, seed in enumerate(SEEDS) for tpl in ("2019", "2021")]
    return items[:2] if quick else items


def bench_ocr(add: Callable[..., float], quick: bool = False) -> None:
    page_times: list[float] = []
    scans = [0, 0]
    photos = [0, 0]
    for template, seed, style in _set(quick):
        values = consistent_values(template, seed=seed)
        pages = print_pages(values, template, style=style)
        pages[-1] = add_seal(pages[-1], seed=seed)
        data = scanned_pdf([scan(p, seed=seed * 10 + i) for i, p in enumerate(pages)])
        start = time.perf_counter()
        report = read_report(data, "scan.pdf")
        page_times.append((time.perf_counter() - start) / len(pages))
        right, total = _accuracy(values, report.values)
        scans[0] += right
        scans[1] += total
        # An album of phone photos of every page, as Telegram delivers them.
        album = bundle([image_bytes(photo(p, seed=seed * 20 + i)) for i, p in enumerate(pages)])
        right, total = _accuracy(values, read_report(album, "album.pdf").values)
        photos[0] += right
        photos[1] += total
        print(f"   {template} seed {seed} {style.dpi} dpi {style.cell_pt} pt: scan {page_times[-1]:.2f} s/page", flush=True)
    add("ocr_page_s", statistics.median(page_times), "s", f"median over {len(page_times)} scanned reports")
    add("ocr_scan_cell_accuracy", 100 * scans[0] / scans[1], "%", f"{scans[1] - scans[0]} of {scans[1]} figures wrong")
    add("ocr_photo_cell_accuracy", 100 * photos[0] / photos[1], "%", f"{photos[1] - photos[0]} of {photos[1]} figures wrong")
