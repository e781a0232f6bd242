"""PDF with a text layer → Document, read with PDFium (pypdfium2).

Per page, the characters and their boxes come from PDFium's text page, and the ruling lines from the
page's path objects, segment by segment. Ruled tables are found from those lines as pdfplumber's
``lines`` strategy finds them (its edge merging, intersections and cells are reused); the text outside
them becomes one Paragraph per line. Blocks keep reading order (top to bottom). A merged area is laid on
the table's grid: a cell spanning columns gets a colspan, a cell spanning rows repeats its text below
with ``continued=True``. A table cut by a page break stays two Tables (one per page); stitching them is
the parser's job.

PDFium skips a text object it measures as zero wide, and it measures text in a font that is not
embedded by a substitute font's glyphs: with no font at hand for CJK text, a one-character line wrapped in
a cell (商业企 / 业) would be lost. PDFium is therefore given the fonts matplotlib ships (present wherever
this project is installed), whose glyph boxes make every object measurable; and a page that still holds
a zero-wide text object is read with pdfplumber (pdfminer) instead, as every page was before: slower,
nothing lost.

PDFium decodes streams in C, beyond the decompression budget of :mod:`core.extract.pdfdecode`; so every
stream of the file is first decoded by that module, within the budget (a bomb is refused before PDFium
sees it, and a large stream meets the worker's memory cap in Python, as a MemoryError).

Scanned pages (no text layer) are where OCR plugs in: :meth:`_Reader.read_page` sees a page without
characters; :func:`extract_pdf` refuses a file none of whose pages has text.
"""

from __future__ import annotations

import ctypes
import importlib.util
import io
import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as fpdf
from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges
from pdfplumber.utils.text import chars_to_textmap

from core.extract import unpacked_limit
from core.extract.pdfdecode import budget, inflate, lzw, run_length
from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.settings import Settings

Bbox = tuple[float, float, float, float]
Char = dict[str, Any]
_TOLERANCE = 1.0  # points: lines snapped by the edge merging agree far better than this
_MARGIN = 0.12  # share of the page height at the top and bottom where headers and footers sit
_SNAP = 3.0  # pdfplumber's default snap / join / intersection tolerances
_MIN_EDGE = 3.0
_LINE_TOLERANCE = 3.0  # points: characters this close in height share a line; gaps wider are spaces
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_STREAM = re.compile(rb"stream\r?\n")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_DECODERS: dict[bytes, Callable[[bytes], bytes]] = {
    b"FlateDecode": inflate,
    b"Fl": inflate,
    b"LZWDecode": lzw,
    b"LZW": lzw,
    b"RunLengthDecode": run_length,
    b"RL": run_length,
}


def _give_pdfium_fonts() -> None:
    """Start PDFium again with matplotlib's font folder as a user font path (see the module notes).

    pypdfium2 starts PDFium when imported, without font paths, and offers no setting for them; this uses
    its own start/stop functions. Should they change, PDFium keeps its default start and the zero-wide
    pages take the slower path.
    """
    try:
        from pypdfium2 import _library_scope
        from pypdfium2.internal import bases

        spec = importlib.util.find_spec("matplotlib")  # found, not imported: that would take a second
        if spec is None or not spec.submodule_search_locations:
            return
        folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
        if not folder.is_dir() or not bases.LIBRARY_AVAILABLE or any(bases.ObjectTracker.values()):
            return
        _library_scope.destroy_lib()
        path = ctypes.cast(ctypes.create_string_buffer(str(folder).encode()), ctypes.POINTER(ctypes.c_char))
        _FONT_PATHS[:] = [path]  # PDFium keeps the pointers: they must outlive it
        paths = (ctypes.POINTER(ctypes.c_char) * 2)(path, None)
        _FONT_PATHS.append(paths)
        config = fpdf.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=paths, m_pIsolate=None, m_v8EmbedderSlot=0)
        fpdf.FPDF_InitLibraryWithConfig(config)
        bases.LIBRARY_AVAILABLE = True
    except (ImportError, AttributeError, AssertionError, TypeError):  # pypdfium2's internals moved on
        return


_FONT_PATHS: list[Any] = []
_give_pdfium_fonts()


def extract_pdf(data: bytes, settings: Settings) -> Document:
    with budget(unpacked_limit(settings)):
        _decode_streams(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == fpdf.FPDF_ERR_PASSWORD:
            raise ReportError("PDF 文件已加密（需要密码才能打开），无法读取，请取消密码保护后重新上传。") from exc
        raise ReportError("PDF 文件已损坏或不完整，无法读取。") from exc
    try:
        pages = len(pdf)
        if pages > settings.max_pages:
            raise ReportError(f"PDF 页数过多（{pages} 页），超过上限 {settings.max_pages} 页。")
        reader = _Reader(settings, data, pages)
        for number in range(1, pages + 1):
            page = pdf[number - 1]
            try:
                reader.read_page(page, number)
            finally:
                page.close()
    finally:
        pdf.close()
    if reader.chars == 0 and not reader.blocks:
        raise ReportError("PDF 没有文字层（可能是扫描件或图片），无法读取文字，请上传带文字的 PDF 或 Word 文件。")
    if reader.unmapped * 2 > reader.chars > 0:
        raise ReportError("PDF 的文字无法解码（字体缺少编码信息，复制出来是乱码），请上传 Word 文件或重新导出的 PDF。")
    return Document(kind="pdf" if reader.chars else "scan", blocks=reader.blocks)


def _decode_streams(data: bytes) -> None:
    """Decode every Flate/LZW/RunLength stream in the file once, within the decompression budget."""
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 1024) : m.start()]
        filters = _FILTERS.findall(head[head.rfind(b"obj") + 1 :] if b"obj" in head else head)
        if not filters:
            continue
        names = re.findall(rb"/([A-Za-z0-9]+)", filters[-1])
        end = data.find(b"endstream", m.end())
        body = data[m.end() : end if end >= 0 else len(data)]
        for name in names:
            decode = _DECODERS.get(name)
            if decode is None:
                break  # images and the like: PDFium decodes them only to render
            try:
                body = decode(body)
            except (zlib.error, ValueError, IndexError):
                break  # damaged (a bad checksum, say): PDFium decides what it can read


class _Reader:
    def __init__(self, settings: Settings, data: bytes, pages: int = 0) -> None:
        self.settings = settings
        self.data = data
        self.pages = pages
        self.plumber: pdfplumber.PDF | None = None  # opened for the pages PDFium cannot read whole
        self.blocks: list[Block] = []
        self.tables = 0
        self.cells = 0
        self.chars = 0
        self.unmapped = 0

    def read_page(self, page: pdfium.PdfPage, number: int) -> None:
        height = page.get_height()
        if _loses_text(page):
            chars, edges = self._plumber_page(number)
        else:
            textpage = page.get_textpage()
            try:
                chars = _chars(textpage, height)
            finally:
                textpage.close()
            edges = _edges(page, height)
        if not chars and _scanned(page):  # a page with no text layer: read its pixels
            from core.extract.ocr.pages import read_pdf_page

            scanned = read_pdf_page(page, number, self.pages, self.tables, self.blocks)
            self.tables += sum(1 for b in scanned if isinstance(b, Table))
            self.blocks.extend(scanned)
            return
        self.chars += len(chars)
        self.unmapped += sum(1 for c in chars if c["unmapped"])
        if self.chars > self.settings.max_text_chars:
            raise ReportError(f"文字过多（超过 {self.settings.max_text_chars} 字），超过上限。")
        tables = [cells for cells in _tables(edges) if len(cells) > 1]
        placed: list[tuple[float, Block]] = []
        bboxes = [_bbox(cells) for cells in tables]
        for cells, bbox in zip(tables, bboxes, strict=True):
            placed.append((bbox[1], self._table(cells, bbox, chars, number)))
        outside = [c for c in chars if not _inside_any(c, bboxes)]
        line_no = 0
        for line in chars_to_textmap(outside).extract_text_lines(return_chars=False) if outside else []:
            text = line["text"]
            if text.strip() and not _page_number(line, height):
                line_no += 1
                placed.append((line["top"], Paragraph(text, Location(kind="pdf", page=number, line=line_no))))
        placed.sort(key=lambda item: item[0])  # stable: equal tops keep table-then-text order
        self.blocks.extend(block for _, block in placed)

    def _plumber_page(self, number: int) -> tuple[list[Char], list[dict[str, Any]]]:
        if self.plumber is None:
            self.plumber = pdfplumber.open(io.BytesIO(self.data))
        page = self.plumber.pages[number - 1].dedupe_chars()
        chars = [c | {"unmapped": c["text"].startswith("(cid:")} for c in page.chars]
        edges = list(page.edges)
        page.close()
        return chars, edges

    def _table(self, boxes: list[Bbox], bbox: Bbox, chars: Sequence[Char], page: int) -> Table:
        index = self.tables
        self.tables += 1
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
        texts, hole_texts = _cell_texts(bbox, xs, tops, owner, len(boxes), chars)
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


# ---------------------------------------------------------------- characters


def _chars(textpage: pdfium.PdfTextPage, height: float) -> list[Char]:
    """The page's characters as pdfplumber-style dicts (top-left origin), fake bold removed: the same
    glyph drawn twice, slightly offset, would read every character twice."""
    raw = textpage.raw
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for i in range(fpdf.FPDFText_CountChars(raw)):
        if fpdf.FPDFText_IsGenerated(raw, i):
            continue  # spaces and line breaks PDFium adds; the layout below decides those
        code = fpdf.FPDFText_GetUnicode(raw, i)
        if code in (0, 0x20, 0x0A, 0x0D, 0xFFFE, 0xFFFF):
            continue
        text = chr(code)
        box = fpdf.FS_RECTF()
        if not fpdf.FPDFText_GetLooseCharBox(raw, i, box):
            continue
        key = (text, round(box.left), round(box.top))
        if key in seen:
            continue
        seen.add(key)
        y_top = height - box.top
        out.append(
            {
                "text": text,
                "x0": box.left,
                "x1": box.right,
                "top": y_top,
                "bottom": height - box.bottom,
                "doctop": y_top,
                "upright": True,
                "unmapped": code == 0xFFFD or 0xE000 <= code <= 0xF8FF or bool(fpdf.FPDFText_HasUnicodeMapError(raw, i)),
            }
        )
    return out


def _scanned(page: pdfium.PdfPage) -> bool:
    """The page is (or holds) an image: a scan."""
    return any(obj.type == fpdf.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def _loses_text(page: pdfium.PdfPage) -> bool:
    """A text object PDFium measures as zero wide: its text page leaves it out (see the module notes)."""
    for obj in page.get_objects(filter=[fpdf.FPDF_PAGEOBJ_TEXT], max_depth=4):
        left, _, right, _ = obj.get_bounds()
        if right - left < 0.01:
            return True
    return False


def _page_number(line: dict[str, Any], height: float) -> bool:
    """A page number printed in the top or bottom margin ("— 2 —", "第2页 共5页", "2/5"): page furniture
    that would otherwise split a section's text, or a table from its continuation, in two."""
    in_margin = line["top"] > height * (1 - _MARGIN) or line["bottom"] < height * _MARGIN
    return in_margin and bool(_PAGE_NUMBER.match(line["text"].strip()))


# ---------------------------------------------------------------- ruling lines → tables


def _edges(page: pdfium.PdfPage, height: float) -> list[dict[str, Any]]:
    """Horizontal and vertical segments of the page's paths (lines, rectangles), in pdfplumber's form."""
    edges: list[dict[str, Any]] = []
    for obj in page.get_objects(filter=[fpdf.FPDF_PAGEOBJ_PATH], max_depth=4):
        for (x0, y0), (x1, y1) in _segments(obj.raw):
            a, b = (x0, height - y0), (x1, height - y1)
            if abs(a[1] - b[1]) < 0.5 and abs(a[0] - b[0]) >= 1:
                edges.append(_edge("h", min(a[0], b[0]), max(a[0], b[0]), a[1], a[1]))
            elif abs(a[0] - b[0]) < 0.5 and abs(a[1] - b[1]) >= 1:
                edges.append(_edge("v", a[0], a[0], min(a[1], b[1]), max(a[1], b[1])))
    return edges


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _segments(path: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object in page coordinates (curves are not table rules)."""
    matrix = fpdf.FS_MATRIX()
    if not fpdf.FPDFPageObj_GetMatrix(path, matrix):
        return []
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f

    def page_point(x: float, y: float) -> tuple[float, float]:
        return (a * x + c * y + e, b * x + d * y + f)

    out = []
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for i in range(fpdf.FPDFPath_CountSegments(path)):
        segment = fpdf.FPDFPath_GetPathSegment(path, i)
        if not fpdf.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = page_point(x.value, y.value)
        kind = fpdf.FPDFPathSegment_GetType(segment)
        if kind == fpdf.FPDF_SEGMENT_MOVETO:
            start = current = point
        elif kind == fpdf.FPDF_SEGMENT_LINETO and current is not None:
            out.append((current, point))
            current = point
        else:
            current = point  # a curve: its end is where the next segment starts
        if fpdf.FPDFPathSegment_GetClose(segment) and start is not None and current is not None:
            out.append((current, start))
            current = start
    return out


def _tables(edges: list[dict[str, Any]]) -> list[list[Bbox]]:
    """pdfplumber's ``lines`` strategy on these edges: merged, intersected, cells, cells grouped."""
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= 1]
    edges = merge_edges(edges, snap_x_tolerance=_SNAP, snap_y_tolerance=_SNAP, join_x_tolerance=_SNAP, join_y_tolerance=_SNAP)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= _MIN_EDGE]
    if not edges:
        return []
    cells = _cells(edges_to_intersections(edges, _SNAP, _SNAP))
    return [list(group) for group in cells_to_tables(cells)]


def _cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[Bbox]:
    """pdfplumber's ``intersections_to_cells`` (the same cells, in the same order) with each point's
    edges as sets of ids and the points below and right of each looked up by column and row, instead of
    rescanning every later point: a 25-row table has ~300 points."""
    vertical = {p: {id(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {id(e) for e in found["h"]} for p, found in intersections.items()}
    points = sorted(intersections)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for point in points:
        by_x.setdefault(point[0], []).append(point)
        by_y.setdefault(point[1], []).append(point)
    cells: list[Bbox] = []
    for pt in points:
        below = [q for q in by_x[pt[0]] if q > pt and vertical[pt] & vertical[q]]
        right = [q for q in by_y[pt[1]] if q > pt and horizontal[pt] & horizontal[q]]
        found = next(
            (
                (pt[0], pt[1], r[0], b[1])
                for b in below
                for r in right
                if (r[0], b[1]) in intersections
                and vertical[(r[0], b[1])] & vertical[r]
                and horizontal[(r[0], b[1])] & horizontal[b]
            ),
            None,
        )
        if found is not None:
            cells.append(found)
    return cells


def _bbox(cells: list[Bbox]) -> Bbox:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


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


def _inside(obj: Char, bbox: Bbox) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _inside_any(obj: Char, bboxes: list[Bbox]) -> bool:
    return any(_inside(obj, b) for b in bboxes)


def _cell_texts(
    bbox: Bbox,
    xs: list[float],
    tops: list[float],
    owner: dict[tuple[int, int], int],
    count: int,
    chars: Sequence[Char],
) -> tuple[list[str], dict[tuple[int, int], str]]:
    """Text of each cell, lines joined by newlines, and the text of grid slots no cell covers (a box
    whose ruling is incomplete), so that no table text is lost.

    Each character goes to the grid slot under its centre: one lookup per character, not per cell.
    """
    by_cell: list[list[Char]] = [[] for _ in range(count)]
    holes: dict[tuple[int, int], list[Char]] = {}
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
    texts = [_join(cell_chars) for cell_chars in by_cell]
    return texts, {slot: _join(hole) for slot, hole in holes.items()}


def _join(chars: list[Char]) -> str:
    """A cell's characters as text: lines by their top, a space where a gap is wider than 3 points (what
    pdfplumber's extract_text does with its default tolerances, at a fraction of its cost per cell)."""
    lines: list[tuple[float, list[Char]]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and char["top"] - lines[-1][0] <= _LINE_TOLERANCE:
            lines[-1][1].append(char)
        else:
            lines.append((char["top"], [char]))
    out = []
    for _, line in lines:
        line.sort(key=lambda c: c["x0"])
        parts = [line[0]["text"]]
        for before, char in zip(line, line[1:], strict=False):
            if char["x0"] - before["x1"] > _LINE_TOLERANCE:
                parts.append(" ")
            parts.append(char["text"])
        out.append("".join(parts))
    return "\n".join(out)
