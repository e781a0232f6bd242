"""A saved web page → Document: paragraphs from block elements in document order, ``<table>`` grids.

Government sites often lay a page out with tables: a table that holds other tables is read as layout
(its cells' content flows on as paragraphs and inner tables); a table without inner tables is a data
table. ``rowspan`` cells repeat below as ``continued`` cells with their text, ``colspan`` stays on the
cell, as the Word reader does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from core.model import Block, Document, GridCell, Location, Paragraph, Table

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
    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, Location(kind="html", line=self.paragraphs)))

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                self.flush()
            elif child.name == "table":
                self.flush()
                if child.find("table") is not None:
                    self.walk(child)  # a layout table: its content flows on
                else:
                    self.table(child)
            elif child.name in _BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def table(self, table: Tag) -> None:
        index = self.tables
        rows: list[list[GridCell]] = []
        pending: dict[int, _Span] = {}  # grid column → a rowspan cell still covering rows below
        for r, tr in enumerate(_own_rows(table)):
            row: list[GridCell] = []
            grid = _carry(row, pending, 0, index, r)
            for cell in tr.find_all(["td", "th"]):
                if cell.find_parent("tr") is not tr:
                    continue
                text, colspan, rowspan = _cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan")
                row.append(
                    GridCell(text, Location(kind="html", table=index, row=r, col=len(row)), colspan=colspan)
                )
                if rowspan > 1:
                    pending[grid] = _Span(text, rowspan - 1, colspan)
                grid = _carry(row, pending, grid + colspan, index, r)
            if row:
                rows.append(row)
        if rows:
            self.tables += 1
            self.blocks.append(Table(index=index, rows=rows))


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


def extract_html(html: str) -> Document:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    reader = _Reader()
    reader.walk(soup.body or soup)
    reader.flush()
    return Document(kind="html", blocks=reader.blocks)
