"""Scans and photos → :class:`core.model.Document`, read offline (see engine.py for the model).

A page goes through: page.py (find the sheet, undo perspective, flatten, straighten), grid.py (ruled or
aligned tables), reader.py (cells and lines recognised, with page, box and confidence). The Document is
the same shape the .docx and .pdf readers make, so parsing, checks and storage need nothing else; after
parsing, review.py lets the 勾稽 identities choose among the recogniser's readings of a doubtful figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core import progress
from core.extract.ocr.load import image_frames, render_pdf_page
from core.extract.ocr.page import prepare
from core.extract.ocr.reader import read_page
from core.model import Block, Document, ReportError, SourceKind, Table
from core.settings import Settings

__all__ = ["PdfPages", "read_image", "read_image_file", "read_images"]

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
    blocks: list[Block] = []
    for number, image in enumerate(images, start=1):
        if count > 1:
            progress.report(f"正在识别第 {number}/{count} 页…")
        blocks += read_image(image, number, kind, sum(1 for b in blocks if isinstance(b, Table)))
    return blocks


def read_image_file(data: bytes, name: str, settings: Settings) -> Document:
    """A photo or scanned image (.jpg/.png/.webp/.tif …) → Document of kind "photo"."""
    frames = list(image_frames(data, name, settings.max_pages))
    blocks = read_images(frames, "photo", len(frames))
    if not blocks:
        raise ReportError("图片中没有可识别的文字，请拍清楚报告表格后重新发送。")
    return Document(kind="photo", blocks=blocks)


class PdfPages:
    """The pages of a PDF without a text layer, rendered (pypdfium2) and read one at a time."""

    def __init__(self, data: bytes, pages: int) -> None:
        import pypdfium2 as pdfium

        self.pdf = pdfium.PdfDocument(data)
        self.pages = pages

    def read(self, number: int, first_table: int) -> list[Block]:
        progress.report(f"正在识别第 {number}/{self.pages} 页…")
        return read_image(render_pdf_page(self.pdf, number), number, "scan", first_table)
