"""Writing Word documents with python-docx: the page and fonts of the national template, printed grids
with Word's own merges (w:gridSpan / w:vMerge), notes set apart from the report's text.

The template is A4 portrait with 宋体 throughout and tables in 10 pt, centred; Chinese fonts are set on
the East Asian slot (w:eastAsia), which python-docx's ``font.name`` alone does not set.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from core.documents.layout import Layout

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
NOTE_COLOR = RGBColor(0x80, 0x80, 0x80)


def _east_asian(run_properties: object, font: str) -> None:
    fonts = run_properties.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), font)


def new_document(*, landscape: bool = False) -> Document:
    """An empty A4 document with the template's margins and 宋体 as the normal font."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(2.5 if not landscape else 2)
    section.top_margin = section.bottom_margin = Cm(2.54)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    return document


def _run(paragraph: Paragraph, text: str, *, size: float | None = None, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)


def title(document: Document, text: str) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, size=18, bold=True)
    _east_asian(p.runs[0]._r.get_or_add_rPr(), HEADING_FONT)


def heading(document: Document, text: str) -> None:
    p = document.add_paragraph()
    _run(p, text, size=14, bold=True)
    _east_asian(p.runs[0]._r.get_or_add_rPr(), HEADING_FONT)


def paragraph(document: Document, text: str, *, align_right: bool = False) -> Paragraph:
    p = document.add_paragraph(text)
    if align_right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def note(document: Document, text: str, *, indent: bool = False) -> Paragraph:
    """A grey, smaller paragraph: guidance for the writer, to be deleted before publishing."""
    p = document.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(10.5)
    run.font.color.rgb = NOTE_COLOR
    if indent:
        p.paragraph_format.left_indent = Cm(0.8)
    return p


def _set_cell(cell: _Cell, text: str, *, size: float, bold: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    for i, line in enumerate(text.split("\n")):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        if line:
            _run(p, line, size=size, bold=bold)


def _fixed_widths(table: Table, widths: Sequence[int]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.iterchildren(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)


def grid_table(document: Document, layout: Layout, *, size: float = 10) -> Table:
    """``layout`` as a bordered table; merged spots become Word merges (gridSpan, vMerge)."""
    table = document.add_table(rows=layout.n_rows, cols=layout.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, layout.widths)
    # Cells taken once from the unmerged grid (table.cell() rescans the table on every call).
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    merges = []
    for spot in layout.spots:
        _set_cell(cells[spot.row][spot.col], spot.text, size=size, bold=spot.header)
        if spot.rowspan > 1 or spot.colspan > 1:
            merges.append((spot, cells[spot.row + spot.rowspan - 1][spot.col + spot.colspan - 1]))
    for spot, last in merges:
        cells[spot.row][spot.col].merge(last)
    return table


def simple_table(
    document: Document,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    size: float = 9,
) -> Table:
    """A plain bordered table: a bold header row, then ``rows``."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _set_cell(cell, text, size=size, bold=True)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _set_cell(cell, text, size=size, bold=False)
    return table


def docx_bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
