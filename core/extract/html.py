"""A saved web page → Document: paragraphs from block elements in document order, ``<table>`` grids.

Government sites often lay a page out with tables: a table that holds other tables is read as layout
(its cells' content flows on as paragraphs and inner tables); a table without inner tables is a data
table. ``rowspan`` cells repeat below as ``continued`` cells with their text, ``colspan`` stays on the
cell, as the Word reader does.

Each repeated cell costs as much as a written one, so a short page of ``rowspan="1000"`` cells would
describe a huge grid: rowspans end at the table's last row, and the reader stops at ``max_cells`` while it
builds the grid. The tree is walked with an explicit stack: generated pages nest elements thousands deep.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from core.model import Block, Document, GridCell, Location, Paragraph, ReportError, Table
from core.settings import get_settings

_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg", "button", "select")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "ul",
        "caption",
    ]
)
_MAX_SPAN = 1000  # a rowspan="99999" must not make a huge grid


def _span(tag: Tag, name: str) -> int:
    try:
        return min(max(int(str(tag.get(name, "1")).strip() or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _cell_text(cell: Tag) -> str:
    """The text of a table cell, with line breaks where the cell breaks lines (<br>, <p>, <div>)."""
    parts: list[str] = []
    for node in cell.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                parts.append(str(node))
        elif isinstance(node, Tag) and (node.name == "br" or node.name in _BLOCKS) and parts:
            parts.append("\n")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _own_rows(table: Tag) -> list[Tag]:
    """The table's rows, not those of tables nested in it."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


@dataclass
class _Reader:
    max_cells: int
    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0
    cells: int = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, Location(kind="html", line=self.paragraphs)))

    def walk(self, root: Tag) -> None:
        # Open elements, each with whether it is a block (its end also ends a paragraph).
        stack: list[tuple[Iterator[PageElement], bool]] = [(iter(root.children), False)]
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    self.flush()
            elif isinstance(child, Comment):
                continue
            elif isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                self.flush()
            elif child.name == "table":
                self.flush()
                if child.find("table") is not None:
                    stack.append((iter(child.children), False))  # a layout table: its content flows on
                else:
                    self.table(child)
            elif child.name in _BLOCKS:
                self.flush()
                stack.append((iter(child.children), True))
            else:
                stack.append((iter(child.children), False))

    def table(self, table: Tag) -> None:
        index = self.tables
        rows: list[list[GridCell]] = []
        pending: dict[int, _Span] = {}  # grid column → a rowspan cell still covering rows below
        own_rows = _own_rows(table)
        for r, tr in enumerate(own_rows):
            row: list[GridCell] = []
            grid = _carry(row, pending, 0, index, r)
            for cell in tr.find_all(["td", "th"]):
                if cell.find_parent("tr") is not tr:
                    continue
                text, colspan = _cell_text(cell), _span(cell, "colspan")
                rowspan = min(_span(cell, "rowspan"), len(own_rows) - r)
                row.append(
                    GridCell(text, Location(kind="html", table=index, row=r, col=len(row)), colspan=colspan)
                )
                if rowspan > 1:
                    pending[grid] = _Span(text, rowspan - 1, colspan)
                grid = _carry(row, pending, grid + colspan, index, r)
            self.count_cells(len(row))
            if row:
                rows.append(row)
        if rows:
            self.tables += 1
            self.blocks.append(Table(index=index, rows=rows))

    def count_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.max_cells:
            raise ReportError(f"表格单元格过多（超过 {self.max_cells} 个），超过上限。")


@dataclass
class _Span:
    text: str
    rows_left: int
    colspan: int


def _carry(row: list[GridCell], pending: dict[int, _Span], grid: int, table: int, r: int) -> int:
    """Put the continuations of rowspan cells that cover this row from ``grid`` on; the next free column."""
    while grid in pending:
        span = pending[grid]
        loc = Location(kind="html", table=table, row=r, col=len(row))
        row.append(GridCell(span.text, loc, colspan=span.colspan, continued=True))
        span.rows_left -= 1
        if not span.rows_left:
            del pending[grid]
        grid += span.colspan
    return grid


def extract_html(html: str, max_cells: int | None = None) -> Document:
    """Read a web page; ``max_cells`` (default: the setting) bounds the table cells, repeated ones included."""
    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    reader = _Reader(get_settings().max_cells if max_cells is None else max_cells)
    reader.walk(soup.body or soup)
    reader.flush()
    return Document(kind="html", blocks=reader.blocks, title=" ".join(title.split()) or None if title else None)
