"""Excel workbooks (.xlsx) → Document, with openpyxl.

Some agencies fill the three tables of the national format in a workbook, a sheet per table or all in
one. Each sheet is read top to bottom: a run of rows is a table, merged ranges become colspans and
``continued`` cells as in the Word reader; a row holding one text alone (the report's title, a section
heading, a note) is a paragraph, unless it is a 第二十条 block title, which belongs to its table.
Figures are written as the workbook shows them: a formula's cached result, 555.06 not 555.0600000001.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.parse.labels import Label, looks_like_block_title
from core.settings import Settings


def extract_xlsx(data: bytes, settings: Settings) -> Document:
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReportError("Excel 文件（.xlsx）已损坏，无法读取。") from exc
    reader = _Reader(settings)
    for sheet in book.worksheets:
        reader.sheet(sheet)
    if not reader.blocks:
        raise ReportError("Excel 文件（.xlsx）是空的，没有任何内容。")
    return Document(kind="xlsx", blocks=reader.blocks, title=book.properties.title or None)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".")  # float noise of a formula (0.1 + 0.2) is dropped
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class _Reader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.blocks: list[Block] = []
        self.tables = 0
        self.cells = 0
        self.paragraphs = 0

    def sheet(self, sheet: Worksheet) -> None:
        spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left (row, col) → (rowspan, colspan)
        covered: dict[tuple[int, int], tuple[int, int]] = {}  # covered (row, col) → its top-left
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row, merged.min_col
            spans[(top, left)] = (merged.max_row - top + 1, merged.max_col - left + 1)
            for r in range(top, merged.max_row + 1):
                for c in range(left, merged.max_col + 1):
                    if (r, c) != (top, left):
                        covered[(r, c)] = (top, left)
        values = {(c.row, c.column): cell_text(c.value) for row in sheet.iter_rows() for c in row}
        width = sheet.max_column
        rows: list[list[GridCell]] = []
        for r in range(1, sheet.max_row + 1):
            texts = [(c, values.get((r, c), "")) for c in range(1, width + 1) if (r, c) not in covered]
            filled = [t for _, t in texts if t]
            continuing = any(covered.get((r, c), (r, 0))[0] < r for c in range(1, width + 1))
            if not filled and not continuing:
                self._table(rows)
                rows = []
                continue
            alone = len(filled) == 1 and not continuing and not looks_like_block_title(Label.of(filled[0]))
            if alone and (not rows or len(filled[0]) > 30):  # a title, heading or note; not a label in a table
                self._table(rows)
                rows = []
                self._paragraph(filled[0], r)
                continue
            rows.append(self._row(r, width, values, spans, covered))
        self._table(rows)

    def _row(
        self,
        r: int,
        width: int,
        values: dict[tuple[int, int], str],
        spans: dict[tuple[int, int], tuple[int, int]],
        covered: dict[tuple[int, int], tuple[int, int]],
    ) -> list[GridCell]:
        row: list[GridCell] = []
        c = 1
        while c <= width:
            loc = Location(kind="xlsx", table=self.tables, row=None, col=len(row))
            origin = covered.get((r, c))
            if origin is not None and origin[0] < r:  # below the top of a vertical merge
                _, colspan = spans[origin]
                row.append(GridCell(values.get(origin, ""), loc, colspan=colspan, continued=True))
                c = origin[1] + colspan
                continue
            colspan = spans.get((r, c), (1, 1))[1]
            row.append(GridCell(values.get((r, c), ""), loc, colspan=colspan))
            c += colspan
        while len(row) > 1 and not row[-1].text and not row[-1].continued:
            row.pop()  # the sheet's used range reaches past the table
        return row

    def _table(self, rows: list[list[GridCell]]) -> None:
        if not rows:
            return
        width = max(sum(c.colspan for c in row) for row in rows)
        for r, row in enumerate(rows):
            have = sum(c.colspan for c in row)
            for _ in range(width - have):  # trimmed rows are padded back to the table's width
                row.append(GridCell("", Location(kind="xlsx", col=len(row))))
            for cell in row:
                cell.loc.table, cell.loc.row = self.tables, r
        self.cells += sum(len(row) for row in rows)
        if self.cells > self.settings.max_cells:
            raise ReportError(f"表格单元格过多（超过 {self.settings.max_cells} 个），超过上限。")
        self.blocks.append(Table(index=self.tables, rows=rows))
        self.tables += 1

    def _paragraph(self, text: str, row: int) -> None:
        self.paragraphs += 1
        self.blocks.append(Paragraph(" ".join(text.split()), Location(kind="xlsx", line=row)))
