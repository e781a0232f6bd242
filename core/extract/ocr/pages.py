"""Image files and scanned PDF pages, page by page, into Document blocks (with progress)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from core import progress
from core.extract.ocr import overlap
from core.extract.ocr.load import image_frames, render_pdf_page
from core.extract.ocr.page import prepare
from core.extract.ocr.reader import read_page
from core.model import Block, Document, ReportError, SourceKind, Table
from core.settings import Settings

_BLANK_INK = 0.0005  # share of the page that is print, below which a page is blank


def read_image(image: np.ndarray, number: int, kind: SourceKind, first_table: int) -> list[Block]:
    """The blocks of one page image (page ``number``, 1-based); none for a blank page. Tables are
    numbered from ``first_table``."""
    page = prepare(image, number)
    if np.count_nonzero(page.ink) < _BLANK_INK * page.ink.size:
        return []
    return [block for _, block in read_page(page, kind, first_table)]


def read_images(images: Iterable[np.ndarray], kind: SourceKind, count: int) -> list[Block]:
    """Blocks of ``count`` page images, in order, reporting progress page by page."""
    pages: list[list[Block]] = []
    tables = 0
    for number, image in enumerate(images, start=1):
        if count > 1:
            progress.report(f"正在识别第 {number}/{count} 页…")
        pages.append(read_image(image, number, kind, tables))
        tables += sum(1 for b in pages[-1] if isinstance(b, Table))
    overlap.join(pages)
    return [block for page in pages for block in page]


def read_image_file(data: bytes, name: str, settings: Settings) -> Document:
    """A photo or scanned image (.jpg/.png/.webp/.tif …) → Document of kind "photo"."""
    frames = list(image_frames(data, name, settings.max_pages))
    blocks = read_images(frames, "photo", len(frames))
    if not blocks:
        raise ReportError("图片中没有可识别的文字，请拍清楚报告表格后重新发送。")
    return Document(kind="photo", blocks=blocks)


def read_pdf_page(page: object, number: int, pages: int, first_table: int, before: Sequence[Block] = ()) -> list[Block]:
    """A PDF page without a text layer (an open ``pypdfium2.PdfPage``), rendered at 200 dpi and read;
    ``before``: the blocks of the pages before it (a table photographed in parts continues there)."""
    progress.report(f"正在识别第 {number}/{pages} 页…")
    blocks = read_image(render_pdf_page(page, number), number, "scan", first_table)
    overlap.continue_from(before, blocks)
    return blocks
