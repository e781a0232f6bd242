"""Header rows of one band → the value columns, each matched to a template column (and row group).

A band is one block's header and data rows. Its header is resolved by geometry when the source kept it,
by nesting otherwise (see :mod:`core.parse.grid`). The result is checked against the data: as many
value columns as the rows carry, in the template's column order. A header that fails (a text copy that
printed every header cell on its own line, say) is read as a flat list of labels, ordered as the
template orders them; a band without any usable header takes the template's columns by position.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.model import GridCell
from core.parse.grid import (
    Header,
    Leaf,
    PCell,
    PRow,
    geometric_header,
    is_regular,
    nested_header,
    prepare_cell,
    typical,
    value_suffix,
)
from core.parse.labels import CONTAINS, CORE, BlockLabels, TableLabels, best
from core.templates import ColumnDef, RowDef

SUBTOTAL = ("小计",)


def match_column(leaf: Leaf, block: BlockLabels) -> ColumnDef | None:
    for cell in reversed(leaf.stack):
        found = best(cell.label, block.columns, minimum=CONTAINS)
        if found:
            return found[0]
    return None


def match_group(leaf: Leaf, block: BlockLabels) -> RowDef | None:
    for cell in reversed(leaf.groups):
        found = best(cell.label, block.rows, minimum=CONTAINS)
        if len(found) == 1:
            return found[0]
    return None


def is_subtotal(leaf: Leaf) -> bool:
    cell = leaf.leaf
    return cell is not None and any(s in cell.text for s in SUBTOTAL)


@dataclass(eq=False)
class Columns:
    leaves: list[Leaf]  # value columns only, left to right
    geometric: bool
    width: int = 0
    value_start: int = 0
    header_cells: list[PCell] = field(default_factory=list)  # every header cell, in reading order
    positional: bool = False  # no usable header: the template's columns, in order
    flat: bool = False  # header labels read as a flat list in the template's order
    _columns: dict[str, list[ColumnDef | None]] = field(default_factory=dict)
    _groups: dict[str, list[RowDef | None]] = field(default_factory=dict)

    def columns(self, block: BlockLabels) -> list[ColumnDef | None]:
        key = block.block.key
        if key not in self._columns:
            if self.positional:
                cols = [c.target for c in block.columns]
                self._columns[key] = [cols[i] if i < len(cols) else None for i in range(len(self.leaves))]
            else:
                self._columns[key] = [match_column(leaf, block) for leaf in self.leaves]
        return self._columns[key]

    def group_rows(self, block: BlockLabels) -> list[RowDef | None]:
        """Rows named above the columns (table 四 prints its three row groups as column groups).

        A run of columns whose own header names no row takes the next row label printed in the header
        that no run has claimed, in reading order.
        """
        key = block.block.key
        if key in self._groups:
            return self._groups[key]
        cols = self.columns(block)
        direct = [match_group(leaf, block) for leaf in self.leaves]
        runs: list[list[int]] = []
        seen: set[str] = set()
        last: RowDef | None = None
        for i, col in enumerate(cols):
            restart = col is not None and col.key in seen
            switched = direct[i] is not None and last is not None and direct[i] is not last
            if not runs or restart or switched:
                runs.append([])
                seen = set()
            runs[-1].append(i)
            if col is not None:
                seen.add(col.key)
            last = direct[i] or last
        rows: list[RowDef | None] = [None] * len(self.leaves)
        leaf_cells = {id(leaf.leaf) for leaf in self.leaves}
        claimed = {r for r in direct if r is not None}
        spare = []
        for cell in self.header_cells:
            if id(cell) in leaf_cells:
                continue
            found = best(cell.label, block.rows, minimum=CONTAINS)
            if len(found) == 1 and found[0] not in claimed and found[0] not in spare:
                spare.append(found[0])
        for run in runs:
            named = next((direct[i] for i in run if direct[i] is not None), None)
            if named is None and spare:
                named = spare.pop(0)
            for i in run:
                rows[i] = named
        self._groups[key] = rows
        return rows


def _order_ok(cols: Sequence[ColumnDef | None], block_cols: Sequence[ColumnDef]) -> bool:
    index = {c.key: i for i, c in enumerate(block_cols)}
    seen: set[str] = set()
    last = -1
    for col in cols:
        if col is None or col.key not in index:
            continue
        if col.key in seen:  # a repeated set of columns (table 四): a new run
            seen, last = set(), -1
        if index[col.key] <= last:
            return False
        seen.add(col.key)
        last = index[col.key]
    return True


def _expected(rows: Sequence[PRow], table: TableLabels) -> set[int] | None:
    """How many value columns the data rows can hold.

    A row holds at least its cells up to the last filled one, and at most all the cells after its label
    (a text copy can add blank cells at the end). Rows whose label names a template row are trusted
    first (a row with a lost label carries one cell too many). When the rows disagree, the most common
    count, the fewest and the most (a copy that dropped empty cells) are all plausible.
    """
    labelled = [r for r in rows if _label_before_values(r, table)]
    rows = labelled or list(rows)
    if not rows:
        return None
    low, counts = 0, []
    for row in rows:
        n = value_suffix(row)
        tail = row.cells[len(row.cells) - n :]
        low = max(low, max((i + 1 for i, c in enumerate(tail) if not c.blank), default=0))
        counts.append(n)
    # A copy that dropped its empty cells leaves rows short: the fullest labelled row shows the width.
    fullest = {low} if labelled else set()
    if low <= min(counts):
        return set(range(low, min(counts) + 1)) | fullest
    return {typical(counts) or 0, min(counts)} | fullest


def _widest(rows: Sequence[PRow]) -> int:
    """The most value cells any row spans from its first figure to its last (blank cells kept before a
    row's first figure may be the rest of a merged label)."""
    widest = 0
    for row in rows:
        tail = row.cells[len(row.cells) - value_suffix(row) :]
        filled = [i for i, c in enumerate(tail) if not c.blank]
        if filled:
            widest = max(widest, filled[-1] - filled[0] + 1)
    return widest


def _label_before_values(row: PRow, table: TableLabels) -> bool:
    n = value_suffix(row)
    return n < len(row.cells) and "row" in table.kinds(row.cells[-n - 1].label)


def _header_cells(rows: Sequence[PRow]) -> list[PCell]:
    return [c for row in rows for c in row.cells if not c.blank and not c.continued]


def resolve(
    header_rows: Sequence[PRow], data_rows: Sequence[PRow], blocks: Sequence[BlockLabels], table: TableLabels
) -> Columns | None:
    """The value columns of a band, or None when it has no header rows (the caller decides)."""
    if not header_rows:
        return None
    pseudo = blocks[0] if len(blocks) == 1 else table.all_columns
    block_cols = [c.target for c in pseudo.columns]
    cells = _header_cells(header_rows)
    expected = _expected(data_rows, table)

    def fits(cols: Columns) -> bool:
        matched = cols.columns(pseudo)
        if not any(matched) or not _order_ok(matched, block_cols):
            return False
        if expected is None or len(cols.leaves) in expected:
            return True
        # Every row short of the width (a copy that dropped empty cells): a header naming each of the
        # template's columns equally often (table 四 names its five three times) is the width.
        counts = Counter(id(c) for c in matched if c is not None)
        whole = all(matched) and len(counts) == len(block_cols) and len(set(counts.values())) == 1
        return whole and len(cols.leaves) >= _widest(data_rows)

    every = [*header_rows, *data_rows]
    if is_regular(every):
        width = every[0].width
        value = _value_leaves(geometric_header(header_rows, width), pseudo, expected)
        start = value[0].start or 0 if value else width
        cols = Columns(value, geometric=True, width=width, value_start=start, header_cells=cells)
        # A text copy can come out rectangular by chance: its figures then sit left of the header's columns.
        if not any(c.numeric and c.start < start for r in data_rows for c in r.cells) and _order_ok(
            cols.columns(pseudo), block_cols
        ):
            return cols
    nested = Columns(
        _value_leaves(nested_header(header_rows), pseudo, expected), geometric=False, header_cells=cells
    )
    strict, loose = (
        Columns(_flat(cells, pseudo, keep), geometric=False, header_cells=cells, flat=True)
        for keep in (False, True)
    )
    complete = all(
        c is not None or is_subtotal(leaf)
        for c, leaf in zip(nested.columns(pseudo), nested.leaves, strict=True)
    )
    # A nested reading that lost header rows names fewer of the template's columns than the flat one
    # (商业企业…其他 without 自然人 and 总计, when a copy dropped the blank cells that nest them).
    covers = {id(c) for c in nested.columns(pseudo) if c is not None}
    fewer = len(covers) < len({id(c) for c in strict.columns(pseudo) if c is not None})
    ranked = [nested, strict] if complete and not fewer else [strict, nested]
    return next((c for c in [*ranked, loose] if c.leaves and fits(c)), nested)


def _value_leaves(header: Header, block: BlockLabels, expected: set[int] | None) -> list[Leaf]:
    """Drop the label columns on the left (信息内容, the 勾稽 note): those before the first template column."""
    leaves = header.leaves
    for i, leaf in enumerate(leaves):
        if match_column(leaf, block) is not None or is_subtotal(leaf):
            return leaves[i:]
    n = max(expected or (), default=0)
    if 0 < n <= len(leaves):
        return leaves[len(leaves) - n :]
    return leaves[1:] if len(leaves) > 1 else leaves


def _joined(cells: Sequence[PCell], block: BlockLabels) -> list[PCell]:
    """Neighbouring header cells that only name a column together: a label wrapped over two lines."""
    out: list[PCell] = []
    for cell in cells:
        prev = out[-1] if out else None
        if prev is not None and not best(prev.label, block.columns, minimum=CORE):
            whole = prepare_cell(GridCell(prev.raw + cell.raw, prev.src.loc, prev.span), prev.start)
            if best(whole.label, block.columns, minimum=CORE) and not best(
                cell.label, block.columns, minimum=CORE
            ):
                out[-1] = whole
                continue
        out.append(cell)
    return out


def _flat(cells: Sequence[PCell], block: BlockLabels, keep_unknown: bool) -> list[Leaf]:
    """Header cells that name a template column, in runs (a run ends where a column repeats), each run
    ordered as the template orders its columns. A 小计 — or, with ``keep_unknown``, any label after the
    first column (获取 beside 制作) — keeps its place after the column before it."""
    index = {c.target.key: i for i, c in enumerate(block.columns)}
    runs: list[list[tuple[float, PCell]]] = [[]]
    seen: set[str] = set()
    last = -1.0
    for cell in _joined(cells, block):
        found = best(cell.label, block.columns, minimum=CONTAINS)
        if not found:
            if is_subtotal(Leaf([cell])) or (keep_unknown and last >= 0):
                runs[-1].append((last + 0.5, cell))
            continue
        col = found[0]
        if col.key in seen:
            runs.append([])
            seen = set()
        seen.add(col.key)
        last = index[col.key]
        runs[-1].append((last, cell))
    return [Leaf([cell]) for run in runs for _, cell in sorted(run, key=lambda t: t[0])]


def positional(block: BlockLabels) -> Columns:
    return Columns([Leaf([]) for _ in block.columns], geometric=False, positional=True)
