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


@dataclass(frozen=True)
class Region:
    """A table on a printed page: its name, its box with the section heading above it (page pixels), and
    the y of each of its printed rows' top edges followed by the table's bottom edge."""

    name: str
    box: tuple[int, int, int, int]
    rows: tuple[int, ...]


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
        self.regions: list[list[Region]] = []
        self.y = 0
        self.new_page()
        self.mark()

    def new_page(self) -> None:
        self.pages.append(Image.new("L", self.size, 255))
        self.regions.append([])
        self.y = self.top

    def mark(self) -> None:
        """Where the next table's region starts (its section heading), if on the same page."""
        self.heading = (len(self.pages), self.y)

    def done(self) -> list[Image.Image]:
        """The pages, each with the regions of the tables printed on it in ``info["tables"]``."""
        for page, regions in zip(self.pages, self.regions, strict=True):
            page.info["tables"] = regions
        return self.pages

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
        heading_top = self.heading[1] if self.heading[0] == len(self.pages) else self.y
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
        bounds = tuple(ys[r] for r in rows) + (end,)
        self.regions[-1].append(Region(layout.name, (self.left, heading_top, xs[-1], end), bounds))
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
        pages.mark()
        pages.paragraph(f"{section.id}、{section.title}", style.body_pt)
        pages.paragraph(texts[section.id], style.body_pt)
        layout = layouts.get(section.id)
        if layout is None:
            continue
        if section.id == "三" and break_table3_at is not None:
            pages.table(layout, range(break_table3_at))
            pages.new_page()
            pages.mark()
            pages.table(layout, range(break_table3_at, layout.n_rows))
        else:
            pages.table(layout, range(layout.n_rows))
    pages.paragraph(agency, style.body_pt)
    if published_on is not None:
        pages.paragraph(_date_text(published_on), style.body_pt)
    return pages.done()


def table_only_page(values: Mapping[str, Value], template: str, name: str, style: Print = Print()) -> Image.Image:
    """A page with one table on it (``name`` "三" or "四") and its section heading: the photo of one table."""
    pages = _Pages(style)
    layout = next(x for x in table_layouts(values, template) if x.name == name)
    section = next(s for s in SECTIONS if s.id == name)
    pages.paragraph(f"{section.id}、{section.title}", style.body_pt)
    pages.table(layout, range(layout.n_rows))
    return pages.done()[0]


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


def scan(
    page: Image.Image,
    *,
    seed: int = 0,
    tint: bool = True,
    jpeg: int = 80,
    blur: float | None = None,
    noise: float = 5.0,
    upside_down: bool = False,
) -> Image.Image:
    """A flatbed scan: a small skew, a touch of blur (``blur`` px, drawn when None) and noise, a faint paper
    tint, JPEG compression; ``upside_down``: the sheet was fed the wrong way round."""
    rng = np.random.default_rng(seed)
    img = _rgb(page).astype(np.float32)
    if tint:
        img *= np.array([1.0, 0.97, 0.90], np.float32) * rng.uniform(0.93, 1.0)
    h, w = img.shape[:2]
    angle = rng.uniform(-1.2, 1.2) + (180 if upside_down else 0)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 248, 240))
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.8) if blur is None else blur)
    img += rng.normal(0, noise, img.shape).astype(np.float32)
    return _jpeg(Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)), jpeg)


@dataclass(frozen=True)
class Shot:
    """How a phone photographs printed paper, and how Telegram delivers the photo (JPEG, ``long_side`` px).

    The camera frames ``region`` of the page (the whole page by default) so that it spans ``fill`` of the
    frame (4:3, turned to suit the region); the page lies on a desk, and what the frame shows beyond the
    page is desk."""

    seed: int = 0  # the directions: which corners the perspective pulls, where the light falls from
    long_side: int = 1280
    fill: float = 0.8
    tilt: float = 0.05  # how far each page corner moves in perspective, as a share of the page's side
    turn: float = 0.0  # degrees the phone is turned
    quarter: int = 0  # quarter turns (counter-clockwise) the photo arrives in: a phone held sideways
    curl: float = 0.0  # the sheet bows: a row's middle is displaced by this share of the page height
    blur: float = 0.6  # Gaussian sigma in delivered pixels: focus and a shaking hand
    noise: float = 4.0
    light: float = 0.18  # brightness falling off across the frame
    shadow: float = 0.0  # a soft shadow (the phone, a hand) this much darker
    jpeg: int = 82


def shoot(page: Image.Image, shot: Shot, region: tuple[int, int, int, int] | None = None) -> Image.Image:
    """``page`` photographed as ``shot`` says, framing ``region`` (page pixels: x0, y0, x1, y1)."""
    rng = np.random.default_rng(shot.seed)
    sheet = _rgb(page)
    h, w = sheet.shape[:2]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    moved = corners + rng.uniform(-shot.tilt, shot.tilt, (4, 2)).astype(np.float32) * np.float32([w, h])
    angle = math.radians(shot.turn)
    rot = np.float32([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    centre = np.float32([w / 2, h / 2])
    to_desk = cv2.getPerspectiveTransform(corners, ((moved - centre) @ rot.T + centre).astype(np.float32))
    x0, y0, x1, y1 = region or (0, 0, w, h)
    seen = cv2.perspectiveTransform(np.float32([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]), to_desk)[0]
    (bx0, by0), (bx1, by1) = seen.min(axis=0), seen.max(axis=0)
    landscape = bx1 - bx0 > by1 - by0
    out_w, out_h = (shot.long_side, shot.long_side * 3 // 4) if landscape else (shot.long_side * 3 // 4, shot.long_side)
    scale = min(out_w * shot.fill / (bx1 - bx0), out_h * shot.fill / (by1 - by0))
    cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
    ss = 2  # drawn at twice the size, then scaled down as the phone does
    to_frame = np.float64([[scale * ss, 0, (out_w / 2 - cx * scale) * ss], [0, scale * ss, (out_h / 2 - cy * scale) * ss], [0, 0, 1]])
    back = np.linalg.inv(to_frame @ to_desk).astype(np.float32)
    vv, uu = np.mgrid[0 : out_h * ss, 0 : out_w * ss].astype(np.float32)
    den = back[2, 0] * uu + back[2, 1] * vv + back[2, 2]
    px = (back[0, 0] * uu + back[0, 1] * vv + back[0, 2]) / den
    py = (back[1, 0] * uu + back[1, 1] * vv + back[1, 2]) / den
    # A bowed sheet: print is displaced along y most in the middle of the page's width, more further down.
    py -= (shot.curl * h * np.sin(np.pi * np.clip(px / w, 0, 1)) * (0.5 + 0.5 * np.clip(py / h, 0, 1))).astype(np.float32)
    desk = (int(rng.integers(90, 160)), int(rng.integers(80, 140)), int(rng.integers(60, 120)))
    img = cv2.remap(sheet, px, py, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=desk)
    img = cv2.GaussianBlur(img, (0, 0), max(0.3, shot.blur * ss))
    img = cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_AREA).astype(np.float32)
    img *= np.array([1.0, 0.97, 0.92], np.float32)  # paper under a lamp is warm
    hh, ww = img.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1.0 - shot.light * ((xx / ww - 0.5) * gx + (yy / hh - 0.5) * gy + 0.5)
    if shot.shadow:
        sx, sy = rng.uniform(0, ww), rng.uniform(0, hh)
        radius = rng.uniform(0.2, 0.5) * max(ww, hh)
        light *= 1.0 - shot.shadow * np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * radius**2)))
    img *= light[..., None]
    img += rng.normal(0, shot.noise, img.shape).astype(np.float32)
    img = np.rot90(np.clip(img, 0, 255).astype(np.uint8), shot.quarter)
    return _jpeg(Image.fromarray(np.ascontiguousarray(img)), shot.jpeg)


def photo(page: Image.Image, *, seed: int = 0, long_side: int = 1280) -> Image.Image:
    """A phone photo of the whole page as Telegram delivers it: the sheet on a desk, seen at an angle
    (perspective), turned a little, unevenly lit, slightly out of focus, scaled to ``long_side`` px and
    JPEG-compressed."""
    rng = np.random.default_rng(seed)
    shot = Shot(seed=seed, long_side=long_side, turn=float(rng.uniform(-6, 6)), blur=float(rng.uniform(0.33, 0.66)))
    return shoot(page, shot)


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
