"""Scans and phone photos as users send them, drawn at random from one seed: the OCR corpus.

The tuning set (scripts/tune_ocr.py) and the held-back set (``make bench``) are drawn from the same
conditions with different seeds, so the held-back figure measures the same kind of input the reader was
tuned on without any of its items having been looked at.

Scans: a whole report printed with table type of 6–9 pt, scanned at 120–300 dpi, skewed up to 1.5°, with
scanner blur, noise, a paper tint (most), JPEG at quality 60–92, the red seal over the signature, now and
then a sheet fed upside down.

Photos: the report printed with table type of 6–9 pt, photographed with a phone and delivered by Telegram
at 1280 px on the long side (JPEG 70–90), the print seen at 120–300 dpi: either the printed area of every
page (its edges out of the frame: ~120–130 dpi), or every table on its own, or table 三 in two photos (the
second starting mid-table, without its header; a row or two of the first may show again at its top) and
the other tables on their own. Each photo: perspective, the phone turned up to 8°, sometimes held sideways
or upside down (a quarter turn the bot must undo), the sheet bowed slightly, out of focus, unevenly lit,
sometimes a shadow.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from builders import consistent_values
from PIL import Image
from scan_builders import Print, Region, Shot, add_seal, image_bytes, print_pages, scan, scanned_pdf, shoot

FRAMINGS = ("pages", "tables", "close")


@dataclass
class Case:
    template: str
    values: dict
    data: bytes  # what the user sends: a scanned PDF, or an album bundled as the bot bundles it
    images: list[bytes]  # the photos (empty for a scan)
    pages: int  # pages the reader goes through
    conditions: str  # for the tuning printout
    quarters: list[int]  # quarter turns each photo arrived in (none for a scan)


def scan_case(seed: int, template: str) -> Case:
    rng = random.Random(seed)
    values = consistent_values(template, seed=seed)
    dpi = rng.randint(120, 300)
    style = Print(dpi=dpi, cell_pt=round(rng.uniform(6.0, 9.0), 1), body_pt=round(rng.uniform(10.0, 12.0), 1), line_px=max(1, round(dpi / 110)))
    pages = print_pages(values, template, style=style)
    pages[-1] = add_seal(pages[-1], seed=seed)
    scans = [
        scan(
            page,
            seed=seed * 10 + i,
            tint=rng.random() < 0.7,
            jpeg=rng.randint(60, 92),
            blur=rng.uniform(0.3, 0.8) * dpi / 200,
            noise=rng.uniform(2, 7),
            upside_down=rng.random() < 0.08,
        )
        for i, page in enumerate(pages)
    ]
    return Case(template, values, scanned_pdf(scans), [], len(pages), f"scan {dpi} dpi {style.cell_pt} pt", [])


PRINT_DPI = 300
MAX_DPI = 300  # closer than this nobody holds a phone to a table


def _shot(rng: random.Random, fill: tuple[float, float], box: tuple[int, int, int, int]) -> Shot:
    turned = rng.random()
    width, height = box[2] - box[0], box[3] - box[1]
    long, short = Shot().long_side, Shot().long_side * 3 // 4
    framed = rng.uniform(*fill)
    # The frame (4:3) turned to suit the region, which spans ``framed`` of it (as shoot() frames it).
    scale = framed * min((long if width > height else short) / width, (short if width > height else long) / height)
    if scale * PRINT_DPI > MAX_DPI:
        framed *= MAX_DPI / (scale * PRINT_DPI)
    return Shot(
        seed=rng.randrange(1 << 30),
        fill=framed,
        tilt=rng.uniform(0.0, 0.06),
        turn=rng.uniform(-8, 8),
        quarter=0 if turned < 0.7 else 1 + int((turned - 0.7) / 0.1),
        curl=rng.uniform(0.0, 0.008),
        blur=rng.uniform(0.3, 1.0),
        noise=rng.uniform(2, 6),
        light=rng.uniform(0.05, 0.35),
        shadow=0.0 if rng.random() < 0.6 else rng.uniform(0.1, 0.35),
        jpeg=rng.randint(70, 90),
    )


def photo_case(seed: int, template: str) -> Case:
    rng = random.Random(seed)
    values = consistent_values(template, seed=seed)
    cell_pt = round(rng.uniform(6.0, 9.0), 1)
    pages = print_pages(values, template, style=Print(dpi=PRINT_DPI, cell_pt=cell_pt, line_px=3))
    framing = rng.choice(FRAMINGS)
    shots: list[tuple[Image.Image, tuple[int, int, int, int], tuple[float, float]]] = []
    if framing == "pages":
        shots = [(page, _printed_area(page), (0.9, 1.0)) for page in pages]
    else:
        for page in pages:
            for region in page.info["tables"]:
                if framing == "close" and region.name == "三":
                    shots += [(page, box, (0.85, 0.97)) for box in _halves(region, rng)]
                else:
                    shots.append((page, region.box, (0.8, 0.95)))
    taken = [(page, box, _shot(rng, fill, box)) for page, box, fill in shots]
    images = [image_bytes(shoot(page, shot, box)) for page, box, shot in taken]
    from core.storage.photos import bundle

    return Case(template, values, bundle(images), images, len(images), f"photo {framing} {cell_pt} pt", [s.quarter for _, _, s in taken])


def _printed_area(page: Image.Image) -> tuple[int, int, int, int]:
    ink = np.asarray(page.convert("L")) < 128
    ys, xs = np.nonzero(ink)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _halves(region: Region, rng: random.Random) -> list[tuple[int, int, int, int]]:
    """Table 三 in two photos cut at a row in its middle third: the second starts mid-table."""
    x0, y0, x1, y1 = region.box
    rows = region.rows
    cut = rows[rng.randint(len(rows) // 3, 2 * len(rows) // 3)]
    return [(x0, y0, x1, cut), (x0, cut, x1, y1)]
