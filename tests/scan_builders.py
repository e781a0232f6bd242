"""Printed reports as pixels: the pages a scanner or a phone camera would deliver, built from figures.

Typical use::

    values = consistent_values("2021", seed=3)
    pages = print_pages(values, "2021")                 # PIL images of A4 pages at 200 dpi, no text layer
    data = scanned_pdf([scan(p, seed=1) for p in pages]) # an image-only PDF, as a scanner writes it
    jpeg = photo(pages[1], seed=2)                      # a phone photo of page 2: warped, lit, recompressed

The tables are the ones :func:`builders.table_layouts` gives the .docx and .pdf builders, drawn with ruling
lines (or without, ``ruled=False``) in Noto Sans CJK (the one CJK font a test machine can install from
PyPI: reportlab cannot embed its CFF outlines, so the pages are drawn here with Pillow). Everything is
seeded: the same arguments give the same pixels.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import cv2
import numpy as np
from builders import DEFAULT_AGENCY, Layout, Value, _date_text, _default_year, _prose, _title, table_layouts
from noto_cjk_sans_otc import FONT_PATH
from PIL import Image, ImageDraw, ImageFont

from core.templates.national import SECTIONS

A4_MM = (210.0, 297.0)
_MARGIN_MM = (22.0, 25.0)  # left/right, top/bottom


@cache
def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), px, index=2)  # index 2: Noto Sans CJK SC


@dataclass(frozen=True)
class Print:
    """How the report is printed: resolution, type sizes (points), and whether tables have ruling."""

    dpi: int = 200
    body_pt: float = 10.5
    title_pt: float = 15.0
    cell_pt: float = 7.5
    ruled: bool = True
    line_px: int = 2


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _wrap_text(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class _Pages:
    """Pages filled top to bottom; a block that does not fit starts a new page."""

    def __init__(self, style: Print) -> None:
        self.style = style
        self.size = (_px(A4_MM[0], style.dpi), _px(A4_MM[1], style.dpi))
        self.left = _px(_MARGIN_MM[0], style.dpi)
        self.top = _px(_MARGIN_MM[1], style.dpi)
        self.width = self.size[0] - 2 * self.left
        self.bottom = self.size[1] - self.top
        self.pages: list[Image.Image] = []
        self.y = 0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Image.new("L", self.size, 255))
        self.y = self.top

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.pages[-1])

    def pt(self, points: float) -> int:
        return round(points * self.style.dpi / 72)

    def paragraph(self, text: str, points: float, *, center: bool = False) -> None:
        font = _font(self.pt(points))
        leading = round(self.pt(points) * 1.6)
        indent = 0 if center else self.pt(points) * 2
        for i, line in enumerate(_wrap_text(text, font, self.width - indent)):
            if self.y + leading > self.bottom:
                self.new_page()
            x = self.left + (indent if i == 0 else 0)
            if center:
                x = self.left + (self.width - round(font.getlength(line))) // 2
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += leading

    def table(self, layout: Layout, rows: Sequence[int]) -> None:
        """Draw the layout rows ``rows`` (ascending) at the current position."""
        style = self.style
        font = _font(self.pt(style.cell_pt))
        total = sum(layout.widths)
        xs = [self.left]
        for w in layout.widths:
            xs.append(xs[-1] + round(self.width * w / total))
        pad = max(4, self.pt(style.cell_pt) // 3)
        line_h = round(self.pt(style.cell_pt) * 1.3)
        heights = {r: line_h + 2 * pad for r in rows}
        texts = {}
        for spot in layout.spots:
            if spot.row not in heights:
                continue
            width = xs[spot.col + spot.colspan] - xs[spot.col] - 2 * pad
            lines = _wrap_text(spot.text, font, width) if spot.text else []
            texts[id(spot)] = lines
            covered = [r for r in rows if spot.row <= r < spot.row + spot.rowspan]
            need = len(lines) * line_h + 2 * pad
            have = sum(heights[r] for r in covered)
            if need > have:
                heights[covered[-1]] += need - have
        if self.y + sum(heights.values()) > self.bottom:
            self.new_page()
        ys = {}
        y = self.y
        for r in rows:
            ys[r] = y
            y += heights[r]
        end = y
        draw = self.draw
        for spot in layout.spots:
            covered = [r for r in rows if spot.row <= r < spot.row + spot.rowspan]
            if not covered:
                continue
            x0, x1 = xs[spot.col], xs[spot.col + spot.colspan]
            y0 = ys[covered[0]]
            y1 = ys[covered[-1]] + heights[covered[-1]]
            lines = texts.get(id(spot), []) if spot.row == covered[0] else []
            block = len(lines) * line_h
            ty = y0 + (y1 - y0 - block) // 2
            for line in lines:
                tw = round(font.getlength(line))
                draw.text((x0 + (x1 - x0 - tw) // 2, ty), line, font=font, fill=0)
                ty += line_h
            if style.ruled:
                draw.rectangle((x0, y0, x1, y1), outline=0, width=style.line_px)
        self.y = end + self.pt(10)


def print_pages(
    values: Mapping[str, Value],
    template: str = "2021",
    *,
    agency: str = DEFAULT_AGENCY,
    year: int | None = None,
    published_on: date | None = date(2022, 1, 20),
    style: Print = Print(),
    break_table3_at: int | None = None,
) -> list[Image.Image]:
    """The report printed on A4 pages (grey-scale PIL images): title, sections, tables 二/三/四 where the
    format puts them, the agency and date at the end. ``break_table3_at`` starts a new page before that
    row of table 三's layout, without repeating its header: the later page starts mid-table."""
    year = year or _default_year(template)
    pages = _Pages(style)
    pages.paragraph(_title(agency, year, None), style.title_pt, center=True)
    texts = _prose(values, agency, year, None)
    layouts = {layout.name: layout for layout in table_layouts(values, template)}
    for section in SECTIONS:
        pages.paragraph(f"{section.id}、{section.title}", style.body_pt)
        pages.paragraph(texts[section.id], style.body_pt)
        layout = layouts.get(section.id)
        if layout is None:
            continue
        if section.id == "三" and break_table3_at is not None:
            pages.table(layout, range(break_table3_at))
            pages.new_page()
            pages.table(layout, range(break_table3_at, layout.n_rows))
        else:
            pages.table(layout, range(layout.n_rows))
    pages.paragraph(agency, style.body_pt)
    if published_on is not None:
        pages.paragraph(_date_text(published_on), style.body_pt)
    return pages.pages


def table_only_page(values: Mapping[str, Value], template: str, name: str, style: Print = Print()) -> Image.Image:
    """A page with one table on it (``name`` "三" or "四") and its section heading: the photo of one table."""
    pages = _Pages(style)
    layout = next(x for x in table_layouts(values, template) if x.name == name)
    section = next(s for s in SECTIONS if s.id == name)
    pages.paragraph(f"{section.id}、{section.title}", style.body_pt)
    pages.table(layout, range(layout.n_rows))
    return pages.pages[0]


# ---------------------------------------------------------------- what paper and cameras do


def _rgb(page: Image.Image) -> np.ndarray:
    return np.asarray(page.convert("RGB"), dtype=np.uint8).copy()


def add_seal(page: Image.Image, *, seed: int = 0) -> Image.Image:
    """The red round 公章 stamped over the agency name and date at the end of the report's last page."""
    rng = random.Random(seed)
    img = page.convert("RGB")
    gray = np.asarray(page.convert("L"))
    rows = np.where((gray < 128).sum(axis=1) > 0)[0]
    h, w = gray.shape
    cy = int(rows[-1]) - h // 50 if len(rows) else h // 2
    cx = int(w * rng.uniform(0.2, 0.4))
    r = int(w * 0.09)
    stamp = Image.new("L", img.size, 0)  # where the ink lands
    draw = ImageDraw.Draw(stamp)
    width = max(3, r // 14)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=width)
    star = [
        (cx + r * 0.3 * math.cos(math.pi / 2 + i * 4 * math.pi / 5), cy - r * 0.3 * math.sin(math.pi / 2 + i * 4 * math.pi / 5))
        for i in range(5)
    ]
    draw.polygon(star, fill=255)
    font = _font(max(10, r // 4))
    name = DEFAULT_AGENCY[:10]
    for i, ch in enumerate(name):
        angle = math.pi * (0.9 - 0.8 * i / max(1, len(name) - 1))
        x = cx + r * 0.7 * math.cos(angle) - font.size / 2
        y = cy - r * 0.7 * math.sin(angle) - font.size / 2
        draw.text((x, y), ch, font=font, fill=255)
    ink = np.asarray(stamp, np.float32)[..., None] / 255 * rng.uniform(0.7, 0.95)
    red = np.array([205, 35, 40], np.float32)
    base = np.asarray(img, np.float32)
    # Stamp ink over print: multiply, so black print stays black under the red.
    out = base * (1 - ink) + base * (red / 255) * ink
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def scan(page: Image.Image, *, seed: int = 0, tint: bool = True, jpeg: int = 80) -> Image.Image:
    """A flatbed scan: a small skew, a touch of blur and noise, a faint paper tint, JPEG compression."""
    rng = np.random.default_rng(seed)
    img = _rgb(page).astype(np.float32)
    if tint:
        img *= np.array([1.0, 0.97, 0.90], np.float32) * rng.uniform(0.93, 1.0)
    h, w = img.shape[:2]
    angle = rng.uniform(-1.2, 1.2)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 248, 240))
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.8))
    img += rng.normal(0, 5, img.shape).astype(np.float32)
    return _jpeg(Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)), jpeg)


def photo(
    page: Image.Image, *, seed: int = 0, long_side: int = 1280, crop: tuple[float, float] | None = None
) -> Image.Image:
    """A phone photo of the page as Telegram delivers it: the sheet on a desk, seen at an angle (perspective),
    turned a little, unevenly lit, slightly out of focus, scaled to ``long_side`` px and JPEG-compressed.
    ``crop`` = (top, bottom) as page-height fractions photographs only that band of the page."""
    rng = np.random.default_rng(seed)
    sheet = _rgb(page)
    if crop is not None:
        h = sheet.shape[0]
        sheet = sheet[int(crop[0] * h) : int(crop[1] * h)]
    sh, sw = sheet.shape[:2]
    scale = 2600 / max(sh, sw)  # work at a high resolution, then downscale like the phone and Telegram do
    sheet = cv2.resize(sheet, (round(sw * scale), round(sh * scale)), interpolation=cv2.INTER_AREA)
    sh, sw = sheet.shape[:2]
    canvas_w, canvas_h = int(sw * 1.25), int(sh * 1.2)
    desk = np.array([rng.integers(90, 160), rng.integers(80, 140), rng.integers(60, 120)], np.float32)
    canvas = np.empty((canvas_h, canvas_w, 3), np.float32)
    canvas[:] = desk
    jitter = 0.05
    ox, oy = (canvas_w - sw) / 2, (canvas_h - sh) / 2
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    dst = np.float32(
        [
            [ox + rng.uniform(-jitter, jitter) * sw, oy + rng.uniform(-jitter, jitter) * sh],
            [ox + sw + rng.uniform(-jitter, jitter) * sw, oy + rng.uniform(-jitter, jitter) * sh],
            [ox + sw + rng.uniform(-jitter, jitter) * sw, oy + sh + rng.uniform(-jitter, jitter) * sh],
            [ox + rng.uniform(-jitter, jitter) * sw, oy + sh + rng.uniform(-jitter, jitter) * sh],
        ]
    )
    angle = math.radians(rng.uniform(-6, 6))
    centre = np.float32([canvas_w / 2, canvas_h / 2])
    rot = np.float32([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    dst = (dst - centre) @ rot.T + centre
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(sheet.astype(np.float32), m, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (canvas_w, canvas_h))[..., None]
    img = warped * mask + canvas * (1 - mask)
    # Light falls off towards one corner; paper under a lamp is warm.
    yy, xx = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1.0 - 0.18 * ((xx / canvas_w - 0.5) * gx + (yy / canvas_h - 0.5) * gy + 0.5)
    img *= light[..., None] * np.array([1.0, 0.97, 0.92], np.float32)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.8, 1.6))
    img += rng.normal(0, 4, img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    k = long_side / max(canvas_w, canvas_h)
    img = cv2.resize(img, (round(canvas_w * k), round(canvas_h * k)), interpolation=cv2.INTER_AREA)
    return _jpeg(Image.fromarray(img), 82)


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def image_bytes(img: Image.Image, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buf.getvalue()


def scanned_pdf(pages: Sequence[Image.Image]) -> bytes:
    """An image-only PDF (no text layer), one JPEG image per page, as a scanner writes it."""
    buf = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(buf, "PDF", save_all=True, append_images=rgb[1:], resolution=200.0)
    return buf.getvalue()
