"""Table grids prepared for label reading: each cell normalised once, header rows resolved into columns.

Two kinds of source reach the parser. Word, PDF and HTML grids keep their geometry (colspans, and
``continued`` cells below a vertical merge), so every row spans the same width and a value sits under
its header by position. Text copies lose it: a merged cell is printed once, cells a merge covers in
later rows come out blank, and rows have as many cells as they have starts. For those, header rows are
resolved by how their cells nest (a blank below a cell continues it; a run of cells below splits it),
and values are read from the right end of a row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.model import GridCell, Table
from core.parse.labels import Label
from core.values import ValueKind, parse_value


@dataclass(eq=False)
class PCell:
    src: GridCell
    raw: str
    label: Label
    kind: ValueKind
    start: int  # first grid column it covers
    span: int
    continued: bool

    @property
    def blank(self) -> bool:
        return self.kind == "blank"

    @property
    def valuelike(self) -> bool:
        """A figure, a placeholder or nothing: what a value cell holds."""
        return self.kind != "invalid"

    @property
    def numeric(self) -> bool:
        return self.kind == "number"

    @property
    def text(self) -> str:
        return self.label.norm


def display(text: str) -> str:
    """A label for messages: a wrapped label rejoined (本年新/制作数量 → 本年新制作数量), spaces tidied."""
    out = ""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if out and line and (out[-1].isascii() and line[0].isascii()):
            out += " "
        out += line
    return out


def prepare_cell(cell: GridCell, start: int) -> PCell:
    raw = cell.text.strip()
    label, kind = analyse(raw)
    return PCell(cell, raw, label, kind, start, max(cell.colspan, 1), cell.continued)


@lru_cache(maxsize=65536)
def analyse(raw: str) -> tuple[Label, ValueKind]:
    """A cell's text normalised once: most cell texts ("0", "", the template's labels) recur."""
    label = Label.of(raw)
    kind = parse_value(label.norm).kind if len(label.norm) <= 40 else "invalid"
    return label, kind


@dataclass(eq=False)
class PRow:
    cells: list[PCell]
    source: int  # index of the source table in the document

    @property
    def width(self) -> int:
        return sum(c.span for c in self.cells)

    def distinct_texts(self) -> list[str]:
        return list(dict.fromkeys(c.text for c in self.cells if not c.blank))

    @property
    def numeric(self) -> bool:
        return any(c.numeric for c in self.cells)

    @property
    def empty(self) -> bool:
        return all(c.blank for c in self.cells)


def prepare_rows(table: Table, source: int) -> list[PRow]:
    rows = []
    for row in table.rows:
        cells, pos = [], 0
        for cell in row:
            pc = prepare_cell(cell, pos)
            cells.append(pc)
            pos += pc.span
        if cells:
            rows.append(PRow(cells, source))
    return rows


def value_suffix(row: PRow) -> int:
    """How many cells at the end of the row could be values."""
    n = 0
    for cell in reversed(row.cells):
        if not cell.valuelike:
            break
        n += 1
    return n


# ---------------------------------------------------------------- header → columns


@dataclass(eq=False)
class Leaf:
    """One column of values, with the header labels above it (outermost first)."""

    stack: list[PCell]
    start: int | None = None  # grid position range, when the source kept its geometry
    end: int | None = None

    @property
    def labels(self) -> list[Label]:
        return [c.label for c in self.stack]

    @property
    def leaf(self) -> PCell | None:
        return self.stack[-1] if self.stack else None

    @property
    def groups(self) -> list[PCell]:
        return self.stack[:-1]

    def display(self) -> str:
        return "/".join(dict.fromkeys(display(c.raw) for c in self.stack))


@dataclass(eq=False)
class Header:
    leaves: list[Leaf]


def is_regular(rows: Sequence[PRow]) -> bool:
    widths = {r.width for r in rows}
    return len(widths) == 1 and next(iter(widths)) > 1


def geometric_header(rows: Sequence[PRow], width: int) -> Header:
    """Columns from grid positions: a leaf is a run of positions covered by the same header cells."""
    grid: list[list[PCell | None]] = []
    for row in rows:
        line: list[PCell | None] = [None] * width
        for c in row.cells:
            for p in range(c.start, min(c.start + c.span, width)):
                line[p] = c
        grid.append(line)
    # A header row copied without spans (pipe tables, some PDFs) leaves the positions a wide cell covers
    # blank; such a blank over a labelled cell belongs to the label on its left.
    for r in reversed(range(len(grid) - 1)):  # bottom-up, so a filled blank lets the one above fill too
        for p in range(1, width):
            cell, below, left = grid[r][p], grid[r + 1][p], grid[r][p - 1]
            spanned = cell is not None and cell.blank and not cell.continued
            if spanned and below is not None and not below.blank and left is not None and not left.blank:
                grid[r][p] = left
    leaves: list[Leaf] = []
    signature: tuple[int, ...] | None = None
    for p in range(width):
        sig = tuple(id(grid[r][p]) for r in range(len(grid)))
        if sig == signature:
            leaves[-1].end = p + 1
            continue
        signature = sig
        stack: list[PCell] = []
        for r in range(len(grid)):
            c = grid[r][p]
            if c is not None and not c.blank and (not stack or stack[-1].text != c.text):
                stack.append(c)
        leaves.append(Leaf(stack, p, p + 1))
    return Header(leaves)


@dataclass(eq=False)
class _Node:
    stack: list[PCell]


def nested_header(rows: Sequence[PRow]) -> Header:
    """Columns of a text copy's header, from how each row's cells sit under the row above.

    Below a cell, either one blank (the cell continues down) or a run of labelled cells (its
    sub-columns). When two neighbours both split and the split point cannot be told, the row above is
    dropped and the lower cells carry on without it (the column groups are then found by name, see
    :meth:`core.parse.columns.Columns.group_rows`).
    """
    nodes = [_Node([c] if not c.blank else []) for c in rows[0].cells]
    for row in rows[1:]:
        placed = _nest(nodes, row.cells)
        nodes = placed if placed is not None else [_Node([c] if not c.blank else []) for c in row.cells]
    return Header([Leaf(n.stack) for n in nodes])


def _nest(upper: list[_Node], lower: list[PCell]) -> list[_Node] | None:
    units: list[list[PCell]] = []
    for c in lower:
        if c.blank:
            units.append([c])
        elif units and not units[-1][0].blank:
            units[-1].append(c)
        else:
            units.append([c])
    blanks = sum(1 for u in units if u[0].blank)
    runs = len(units) - blanks
    spare = len(upper) - blanks - runs
    if spare < 0 or (spare and runs != 1):
        return None  # more cells above than this row can hang from, or several runs to share them
    out: list[_Node] = []
    i = 0
    for unit in units:
        if unit[0].blank:
            out.append(_Node(list(upper[i].stack)))
            i += 1
            continue
        parts = _split(unit, 1 + spare)
        if parts is None:
            return None
        for part in parts:
            parent = upper[i].stack
            out.extend(_Node([*parent, c]) for c in part)
            i += 1
    return out


def _split(run: list[PCell], parts: int) -> list[list[PCell]] | None:
    """Split a run of sub-column labels among ``parts`` parents: where the first label repeats, else evenly."""
    if parts == 1:
        return [run]
    first = run[0].text
    cuts = [i for i, c in enumerate(run) if i and c.text == first]
    if len(cuts) == parts - 1:
        bounds = [0, *cuts, len(run)]
        return [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    if len(run) % parts == 0:
        size = len(run) // parts
        return [run[i : i + size] for i in range(0, len(run), size)]
    return None


def typical(counts: Sequence[int]) -> int | None:
    if not counts:
        return None
    return Counter(counts).most_common(1)[0][0]
