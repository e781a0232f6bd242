"""PDF with a text layer → Document, with pdfplumber.

Per page, ruled tables are found with pdfplumber's ``lines`` strategy; the text outside them becomes one
Paragraph per line. Blocks keep reading order (top to bottom). pdfplumber reports a merged area as one
cell bbox plus ``None`` holes; here the bboxes are laid on the table's grid instead, so a cell spanning
columns gets a colspan and a cell spanning rows repeats its text below with ``continued=True``.
A table cut by a page break stays two Tables (one per page); stitching them is the parser's job.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import islice
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from core.extract import unpacked_limit
from core.extract.pdfdecode import budget
from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.settings import Settings

Bbox = tuple[float, float, float, float]
_TOLERANCE = 1.0  # points: lines snapped by pdfplumber agree far better than this
_MARGIN = 0.12  # share of the page height at the top and bottom where headers and footers sit
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)


def extract_pdf(data: bytes, settings: Settings) -> Document:
    with budget(unpacked_limit(settings)):
        try:
            reader = _read(data, settings)
        except PdfminerException as exc:  # pdfplumber wraps whatever pdfminer raises, ours included
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, ReportError | MemoryError):
                raise cause from None
            if isinstance(cause, PDFEncryptionError):
                raise ReportError("PDF 文件已加密（需要密码才能打开），无法读取，请取消密码保护后重新上传。") from exc
            raise ReportError("PDF 文件已损坏或不完整，无法读取。") from exc
    if reader.chars == 0:
        raise ReportError("PDF 没有文字层（可能是扫描件或图片），无法读取文字，请上传带文字的 PDF 或 Word 文件。")
    if reader.cid_chars * 2 > reader.chars:
        raise ReportError("PDF 的文字无法解码（字体缺少编码信息，复制出来是乱码），请上传 Word 文件或重新导出的 PDF。")
    return Document(kind="pdf", blocks=reader.blocks)


def _read(data: bytes, settings: Settings) -> _Reader:
    pdf = pdfplumber.open(io.BytesIO(data))
    # pdfplumber builds a Page object for every page before it can count them (30 s for 50,000 pages in
    # an 8 MB file): count the page tree lazily, and refuse before that.
    if sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), settings.max_pages + 1)) > settings.max_pages:
        declared = resolve1(pdf.doc.catalog.get("Pages"))
        count = declared.get("Count") if isinstance(declared, dict) else None
        pages = f"（{count} 页）" if isinstance(count, int) and count > settings.max_pages else ""
        raise ReportError(f"PDF 页数过多{pages}，超过上限 {settings.max_pages} 页。")
    # No pdf.close(): it would build every Page object again only to close it. Each page is closed as soon
    # as it is read (memory stays flat on long files), and the stream is ours, in memory.
    reader = _Reader(settings)
    for number, page in enumerate(pdf.pages, start=1):
        reader.read_page(page, number)
        page.close()
    return reader


class _Reader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.blocks: list[Block] = []
        self.tables = 0
        self.cells = 0
        self.chars = 0
        self.cid_chars = 0

    def read_page(self, page: Page, number: int) -> None:
        # Fake bold (the same glyph drawn twice, slightly offset) would read every character twice.
        page = page.dedupe_chars()
        chars = page.chars
        self.chars += len(chars)
        self.cid_chars += sum(1 for c in chars if c["text"].startswith("(cid:"))
        if self.chars > self.settings.max_text_chars:
            raise ReportError(f"文字过多（超过 {self.settings.max_text_chars} 字），超过上限。")
        # A single-cell "table" is a box drawn around text (a frame, a note), not a grid.
        found = [t for t in page.find_tables() if len(t.cells) > 1]
        placed: list[tuple[float, Block]] = []
        bboxes = [t.bbox for t in found]
        for table in found:
            placed.append((table.bbox[1], self._table(table, chars, number)))
        outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside_any(obj, bboxes))
        line_no = 0
        for line in outside.extract_text_lines(return_chars=False):
            text = line["text"]
            if text.strip() and not _page_number(line, page.height):
                line_no += 1
                placed.append((line["top"], Paragraph(text, Location(kind="pdf", page=number, line=line_no))))
        placed.sort(key=lambda item: item[0])  # stable: equal tops keep table-then-text order
        self.blocks.extend(block for _, block in placed)

    def _table(self, table: PlumberTable, chars: Sequence[dict[str, Any]], page: int) -> Table:
        index = self.tables
        self.tables += 1
        boxes: list[Bbox] = [tuple(c) for c in table.cells]  # type: ignore[misc]
        self.cells += len(boxes)
        if self.cells > self.settings.max_cells:
            raise ReportError(f"表格单元格过多（超过 {self.settings.max_cells} 个），超过上限。")
        xs = _cluster([b[0] for b in boxes])
        tops = _cluster([b[1] for b in boxes])
        # Each cell's grid rectangle: first/last+1 column and row it covers.
        spans = [
            (_at(tops, b[1]), bisect_left(tops, b[3] - _TOLERANCE), _at(xs, b[0]), bisect_left(xs, b[2] - _TOLERANCE))
            for b in boxes
        ]
        owner: dict[tuple[int, int], int] = {}
        for i, (r0, r1, c0, c1) in enumerate(spans):
            for r in range(r0, max(r1, r0 + 1)):
                for c in range(c0, max(c1, c0 + 1)):
                    owner.setdefault((r, c), i)
        texts, hole_texts = _cell_texts(table.bbox, xs, tops, owner, len(boxes), chars)
        rows: list[list[GridCell]] = []
        for r in range(len(tops)):
            row: list[GridCell] = []
            c = 0
            while c < len(xs):
                loc = Location(kind="pdf", table=index, row=r, col=len(row), page=page)
                i = owner.get((r, c))
                if i is None:  # a hole the ruling does not close: keep the grid aligned
                    row.append(GridCell(hole_texts.get((r, c), ""), loc))
                    c += 1
                    continue
                r0, _, c0, c1 = spans[i]
                width = max(c1, c0 + 1) - c
                row.append(GridCell(texts[i], loc, colspan=width, continued=r0 < r))
                c += width
            rows.append(row)
        return Table(index=index, rows=rows, page=page)


def _page_number(line: dict[str, Any], height: float) -> bool:
    """A page number printed in the top or bottom margin ("— 2 —", "第2页 共5页", "2/5"): page furniture
    that would otherwise split a section's text, or a table from its continuation, in two."""
    in_margin = line["top"] > height * (1 - _MARGIN) or line["bottom"] < height * _MARGIN
    return in_margin and bool(_PAGE_NUMBER.match(line["text"].strip()))


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, merging those closer than the tolerance."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOLERANCE:
            out.append(v)
    return out


def _at(grid: list[float], value: float) -> int:
    """Index of the grid line at ``value`` (within tolerance)."""
    return max(0, bisect_right(grid, value + _TOLERANCE) - 1)


def _inside(obj: dict[str, Any], bbox: Bbox) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _inside_any(obj: dict[str, Any], bboxes: list[Bbox]) -> bool:
    return any(_inside(obj, b) for b in bboxes)


def _cell_texts(
    bbox: Bbox,
    xs: list[float],
    tops: list[float],
    owner: dict[tuple[int, int], int],
    count: int,
    chars: Sequence[dict[str, Any]],
) -> tuple[list[str], dict[tuple[int, int], str]]:
    """Text of each cell, lines joined by newlines (as pdfplumber's Table.extract does), and the text of
    grid slots no cell covers (a box whose ruling is incomplete), so that no table text is lost.

    Each character goes to the grid slot under its centre: one lookup per character, not per cell.
    """
    by_cell: list[list[dict[str, Any]]] = [[] for _ in range(count)]
    holes: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for char in chars:
        if not _inside(char, bbox):
            continue
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        slot = (bisect_right(tops, y) - 1, bisect_right(xs, x) - 1)
        i = owner.get(slot)
        if i is None:
            holes.setdefault(slot, []).append(char)
        else:
            by_cell[i].append(char)
    texts = [extract_text(cell_chars) if cell_chars else "" for cell_chars in by_cell]
    return texts, {slot: extract_text(hole) for slot, hole in holes.items()}
