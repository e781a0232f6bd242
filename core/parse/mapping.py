"""The rows of one template table → canonical cells, extra cells and structural findings.

Rows are cut into bands (a block title, its header rows, its data rows). A data row is anchored by its
own row label; table 四's single row takes its rows from the column groups above it. Rows whose label
is missing or unreadable get the template row at their position between the recognised rows around
them, with a warning. Cells that have no place in the template are kept as extra cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.model import Cell, Finding, GridCell, Location
from core.parse import findings as F
from core.parse.align import Line, align
from core.parse.columns import Columns, is_subtotal, positional, resolve
from core.parse.grid import PCell, PRow, display, prepare_cell, value_suffix
from core.parse.labels import (
    CONTAINS,
    CORE,
    BlockLabels,
    Label,
    TableLabels,
    best,
    looks_like_block_title,
    score,
)
from core.parse.tables import Group
from core.templates import ColumnDef, RowDef
from core.textnorm import squash
from core.values import parse_value


@dataclass(eq=False)
class Band:
    block: BlockLabels | None
    title: PCell | None = None
    unknown: bool = False  # titled like a block, but not one of the template's
    header: list[PRow] = field(default_factory=list)
    data: list[PRow] = field(default_factory=list)


@dataclass(eq=False)
class Entry:
    """One data row, read."""

    band: Band
    block: BlockLabels | None
    cols: Columns
    own: PCell | None  # the row's own label cell
    context: list[PCell]  # labels of the groups it sits in (merged cells to its left)
    values: list[tuple[int, PCell]]  # (value column, cell)
    row: RowDef | None = None
    by_position: bool = False

    @property
    def label_text(self) -> str:
        return display(self.own.raw) if self.own else ""


_MONEY_UNIT = re.compile(r"[（(][^）)]*?(亿元|万元|元)[^）)]*[）)]")
_PRINTED_UNIT = re.compile(r"[元万亿]")


def _trailing_blanks(values: list[tuple[int, PCell]]) -> int:
    n = 0
    for _, pc in reversed(values):
        if not pc.blank:
            break
        n += 1
    return n


class TableReader:
    def __init__(self, group: Group) -> None:
        self.group = group
        self.table: TableLabels = group.labels
        self.id = self.table.table.id
        self.cells: dict[str, Cell] = {}
        self.extra: list[Cell] = []
        self.findings: list[Finding] = []
        self._extra_rows: list[str] = []  # their labels
        self._extra_row_cells: list[str] = []
        self._extra_columns: list[Cell] = []
        self._subtotals: list[Cell] = []
        self._unknown_blocks: list[Cell] = []
        self._wrapped: list[str] = []
        self._joined: list[str] = []
        self._positional: list[str] = []
        self._positional_keys: list[str] = []
        self._flat = False
        self._duplicates: list[tuple[Cell, Cell]] = []
        self._aligned: list[str] = []  # rows that lost empty cells, placed by the identities
        self._guessed: list[str] = []  # … placed without every identity holding

    # ------------------------------------------------------------ bands

    def _block_title(self, row: PRow) -> tuple[BlockLabels | None, bool] | None:
        if len(self.table.blocks) == 1:
            return None
        texts = row.distinct_texts()
        if len(texts) != 1:
            return None
        cell = next(c for c in row.cells if not c.blank)
        if cell.valuelike:
            return None
        found = best(cell.label, self.table.named_blocks, minimum=CORE)
        if found:
            return found[0], False
        if looks_like_block_title(cell.label):
            return None, True
        return None

    def _column_and_row_hits(self, row: PRow) -> tuple[int, int, int]:
        """(column labels, row labels, index of the last row label) among the row's cells."""
        cols = rows = 0
        last = -1
        for i, cell in enumerate(row.cells):
            if cell.valuelike:
                continue
            kinds = self.table.printed_kinds(cell.label)
            if "column" in kinds:
                cols += 1
            elif kinds & {"row", "group"}:
                rows += 1
                last = i
        return cols, rows, last

    def _is_data(self, row: PRow, band: Band) -> bool:
        if row.numeric:
            return True
        if all(c.valuelike for c in row.cells):
            return bool(band.header)
        cols, rows, last = self._column_and_row_hits(row)
        if cols and cols >= rows:
            return False
        after = row.cells[last + 1 :]
        return rows > 0 and bool(after) and all(c.valuelike for c in after)

    def _repeats_header(self, row: PRow) -> bool:
        """A header row among data rows: a page's repeated header, or the next block's own header."""
        if row.numeric:
            return False
        first = next((c for c in row.cells if not c.blank), None)
        if first is None or self.table.printed_kinds(first.label) & {"row", "group"}:
            return False
        cols, rows, _ = self._column_and_row_hits(row)
        return cols >= 1 and cols > rows

    def bands(self) -> list[Band]:
        single = self.table.blocks[0] if len(self.table.blocks) == 1 else None
        bands = [Band(single)]
        for row in self.group.rows:
            band = bands[-1]
            title = self._block_title(row)
            if title is not None:
                block, unknown = title
                cell = next(c for c in row.cells if not c.blank)
                bands.append(Band(block, cell, unknown))
                continue
            if not band.data:
                if self._is_data(row, band) or (band.unknown and band.header):
                    band.data.append(row)
                elif not row.empty:
                    band.header.append(row)
            elif self._repeats_header(row):
                bands.append(Band(band.block, band.title, band.unknown, [row]))
            else:
                band.data.append(row)
        return [b for b in bands if b.data or b.title]

    # ------------------------------------------------------------ rows

    def read(self) -> None:
        entries: list[Entry] = []
        for band in self.bands():
            blocks = [band.block] if band.block else list(self.table.blocks)
            cols = resolve(band.header, band.data, blocks, self.table)
            if cols is None or (band.block is not None and self._unreadable(cols, band.block)):
                if band.block is None:
                    continue  # neither a header nor a block title: nothing to place the figures by
                cols = positional(band.block)
                self._positional.append(self._where(band))
            self._flat = self._flat or cols.flat
            self._note_wrapped(band.header)
            entries.extend(self._read_band(band, cols))
        self._fallback(entries)
        self._align(entries)
        for entry in entries:
            self._emit(entry)
        self._report()

    def _align(self, entries: list[Entry]) -> None:
        """Rows of a text copy that lost empty cells: place their figures by the table's identities."""
        for block in self.table.blocks:
            mine = [e for e in entries if e.block is block and not e.band.unknown]
            lines: list[Line] = []
            for e in mine:
                columns = e.cols.columns(block)
                groups = e.cols.group_rows(block)
                keys = []
                for i, column in enumerate(columns):
                    row = e.row or (groups[i] if i < len(groups) else None)
                    keys.append(block.block.key_for(row, column) if row and column else None)
                filled = [pc for _, pc in e.values if not pc.blank]
                inner_blank = any(pc.blank for _, pc in e.values[: len(e.values) - _trailing_blanks(e.values)])
                if not e.cols.geometric and filled and not inner_blank:
                    # A row that kept no empty cell dropped them all: blanks at its end are the blank lines
                    # after a copied table, not cells.
                    e.values = e.values[: len(e.values) - _trailing_blanks(e.values)]
                short = not e.cols.geometric and 0 < len(e.values) < len(columns)
                short = short and [i for i, _ in e.values] == list(range(len(e.values)))
                values = [parse_value(pc.raw).value for _, pc in e.values]
                lines.append(Line(keys, values, short))
            if not any(line.short for line in lines):
                continue
            held = align(lines, self.table.table)
            for e, line in zip(mine, lines, strict=True):
                if not line.short:
                    continue
                e.values = [(p, pc) for p, (_, pc) in zip(line.placement, e.values, strict=True)]
                label = e.label_text or (e.row.label if e.row else block.block.label)
                (self._aligned if held else self._guessed).append(label)

    @staticmethod
    def _unreadable(cols: Columns, block: BlockLabels) -> bool:
        """A header that names none of the block's columns, over as many columns as the template has."""
        return (
            len(cols.leaves) == len(block.block.columns)
            and not any(cols.columns(block))
            and not any(cols.group_rows(block))
        )

    def _where(self, band: Band) -> str:
        return display(band.title.raw) if band.title is not None else f"表{self.id}的表头"

    def _split(self, row: PRow, cols: Columns) -> tuple[list[PCell], list[tuple[int, PCell]]]:
        n = len(cols.leaves)
        if cols.geometric and row.width == cols.width:
            labels = [c for c in row.cells if c.start < cols.value_start]
            values = []
            for c in row.cells:
                if c.start < cols.value_start:
                    continue
                i = next(
                    (i for i, leaf in enumerate(cols.leaves) if leaf.start <= c.start < (leaf.end or 0)), None
                )
                if i is not None:
                    values.append((i, c))
            return labels, values
        cells = list(row.cells)
        suffix = value_suffix(row)
        while suffix > n and cells and cells[-1].blank:
            cells.pop()
            suffix -= 1
        if suffix >= n:
            cut = len(cells) - n
            return cells[:cut], list(enumerate(cells[cut:]))
        cut = len(cells) - suffix
        return cells[:cut], list(enumerate(cells[cut:]))

    def _read_band(self, band: Band, cols: Columns) -> list[Entry]:
        out: list[Entry] = []
        context: dict[int, PCell] = {}
        geometric = cols.geometric
        source = band.data[0].source if band.data else None
        for row in band.data:
            labels, values = self._split(row, cols)
            boundary = row.source != source
            source = row.source
            own: PCell | None = None
            # A label cut by a page break: a group label's halves join here, the row's own label's
            # halves join with the previous row (_merge_cut).
            last_filled = max((k for k, c in enumerate(labels) if not c.blank), default=-1)
            for depth, cell in enumerate(labels):
                d = cell.start if geometric else depth
                if cell.blank or cell.continued or cell.valuelike:
                    continue
                if boundary and depth < last_filled and d in context and self._joins(context[d], cell):
                    context[d] = self._joined_cell(context[d], cell)
                    continue
                context[d] = cell
                for deeper in [k for k in context if k > d]:
                    del context[deeper]
            # The row's own label is its last label cell; blanks after it are the rest of a merged
            # label cell copied without its span. A figure or a continued cell there means no label.
            # A group label (（六）其他处理 over its sub-rows) followed by a blank label cell is the group of
            # a sub-row whose own label was lost.
            filled = [(d, c) for d, c in enumerate(labels) if not c.blank]
            if filled and not (filled[-1][1].continued or filled[-1][1].valuelike):
                d, last = filled[-1]
                if d == len(labels) - 1 or "group" not in self.table.kinds(last.label):
                    own = context.get(last.start if geometric else d)
            ctx = [c for c in context.values() if c is not own]
            if not values and own is None:
                continue
            entry = Entry(band, band.block, cols, own, ctx, values)
            if boundary and out and own is not None and self._merge_cut(out[-1], entry):
                continue
            if band.unknown:
                out.append(entry)
                continue
            self._match(entry)
            out.append(entry)
        return out

    def _joins(self, head: PCell, tail: PCell) -> bool:
        """A merged label cut by a page break: its two halves read as one template label."""
        if self.table.kinds(tail.label) or self.table.kinds(head.label):
            return False
        return bool(self.table.kinds(Label.of(head.raw + tail.raw)))

    def _joined_cell(self, head: PCell, tail: PCell) -> PCell:
        joined = prepare_cell(GridCell(head.raw + tail.raw, head.src.loc, head.span), head.start)
        self._joined.append(display(joined.raw))
        return joined

    def _merge_cut(self, prev: Entry, entry: Entry) -> bool:
        """A row label cut by a page break (the row's two halves in two tables): read them as one row."""
        if prev.own is None or entry.own is None:
            return False
        if self._row_match(entry.own, Entry(entry.band, entry.block, entry.cols, None, [], []), CORE):
            return False  # the second half is a row label of its own
        joined = prepare_cell(
            GridCell(prev.own.raw + entry.own.raw, prev.own.src.loc, prev.own.span), prev.own.start
        )
        probe = Entry(prev.band, prev.block, prev.cols, joined, prev.context, prev.values)
        row = self._row_match(joined, probe, minimum=CORE)
        if row is None or (prev.row is not None and row is not prev.row):
            return False
        prev.own, prev.row = joined, row
        prev.block = probe.block
        filled = {i for i, c in prev.values if not c.blank}
        prev.values = [*prev.values, *((i, c) for i, c in entry.values if i not in filled and not c.blank)]
        self._joined.append(display(joined.raw))
        return True

    def _row_match(self, own: PCell, entry: Entry, minimum: int = CONTAINS) -> RowDef | None:
        blocks = [entry.block] if entry.block else []
        blocks += [b for b in self.table.blocks if b is not entry.block]
        for block in blocks:
            found = best(own.label, block.rows, minimum=minimum)
            if len(found) > 1:
                found = self._prefer_group(found, entry.context) or found[:1]
            if found:
                entry.block = block
                return found[0]
            if entry.band.title is not None and entry.block is not None:
                break  # a titled block's rows are its own: an unknown label there is an extra row
        return None

    def _prefer_group(self, rows: list[RowDef], context: list[PCell]) -> list[RowDef]:
        for cell in reversed(context):
            for row in rows:
                if row.group and score(cell.label, Label.of(row.group)) >= CORE:
                    return [row]
        return []

    def _match(self, entry: Entry) -> None:
        if entry.own is not None:
            entry.row = self._row_match(entry.own, entry)
        if entry.row is None and entry.block is None:
            for ctx in reversed(entry.context):  # a block title printed as a merged cell on the left
                found = best(ctx.label, self.table.named_blocks, minimum=CORE)
                if found:
                    entry.block = found[0]
                    break

    # ------------------------------------------------------------ broken labels

    def _status(self, entry: Entry) -> str:
        if entry.band.unknown:
            return "unknown"
        if entry.row is not None:
            return "row"
        if entry.block is not None and any(entry.cols.group_rows(entry.block)):
            return "grouped"
        if entry.own is not None and len(entry.own.text) >= 2 and not self._only_group(entry.own):
            return "extra"
        return "broken"

    def _only_group(self, cell: PCell) -> bool:
        """A merged group label (（三）不予公开) standing where a sub-row label is missing."""
        kinds = self.table.kinds(cell.label)
        return "group" in kinds and "row" not in kinds

    def _fallback(self, entries: list[Entry]) -> None:
        """Give label-less rows the template rows left free between the recognised rows around them."""
        single = len(self.table.blocks) == 1
        for block in self.table.blocks:
            mine = [e for e in entries if e.block is block or (e.block is None and single)]
            for e in mine:
                e.block = block
            order = {r.key: i for i, r in enumerate(block.block.rows)}
            used = {e.row.key for e in mine if e.row is not None}
            status = [self._status(e) for e in mine]
            # the template position of the nearest recognised row after each entry
            after, nxt = [0] * len(mine), len(order)
            for k in reversed(range(len(mine))):
                after[k] = nxt
                if mine[k].row is not None:
                    nxt = order[mine[k].row.key]
            before, i = -1, 0
            while i < len(mine):
                if status[i] != "broken":
                    if mine[i].row is not None:
                        before = order[mine[i].row.key]
                    i += 1
                    continue
                j = i
                while j < len(mine) and status[j] == "broken":
                    j += 1
                slots = [r for r in block.block.rows[before + 1 : after[j - 1]] if r.key not in used]
                if len(slots) != j - i:
                    printed = [r for r in slots if not r.sum_of]
                    slots = printed if len(printed) == j - i else slots
                for entry, row in zip(mine[i:j], slots, strict=False):
                    entry.row, entry.by_position = row, True
                    used.add(row.key)
                i = j

    # ------------------------------------------------------------ cells

    def _cell(
        self, key: str, pc: PCell, column: ColumnDef | None, row_label: str, col_label: str, header: str = ""
    ) -> Cell:
        """``header``: every header label above the value, for the unit it names; a unit wrapped over two
        lines (（单位：万 / 元）) must read as 万元, never as 元."""
        unit = column.unit if column else "count"
        raw = pc.raw
        hint = _MONEY_UNIT.search(squash(header or col_label)) if unit in ("yuan", "wan") else None
        if hint and parse_value(raw, unit).kind == "number" and not _PRINTED_UNIT.search(raw):
            raw += hint.group(1)  # a bare figure under a header that names its unit: 采购总金额（万元）
        parsed = parse_value(raw, unit)
        return Cell(
            key=key,
            raw=pc.raw,
            value=parsed.value,
            unit=parsed.unit,
            table=self.id,
            row_label=row_label,
            col_label=col_label,
            loc=pc.src.loc,
        )

    def _extra_cell(self, pc: PCell, row_label: str, col_label: str) -> Cell:
        n = len(self.extra) + 1
        cell = self._cell(f"extra.{self.id}.{n}", pc, None, row_label, col_label)
        self.extra.append(cell)
        return cell

    def _emit(self, entry: Entry) -> None:
        status = self._status(entry)
        if status == "unknown":
            title = display(entry.band.title.raw) if entry.band.title else ""
            row_label = f"{title} {entry.label_text}".strip()
            for i, pc in entry.values:
                self._unknown_blocks.append(self._extra_cell(pc, row_label, entry.cols.leaves[i].display()))
            return
        block = entry.block
        if block is None or status in ("extra", "broken"):
            if any(not pc.blank for _, pc in entry.values) or status == "extra":
                label = entry.label_text or "（无行标签）"
                self._extra_rows.append(label)
                for i, pc in entry.values:
                    extra = self._extra_cell(pc, label, self._col_label(entry.cols, i, None))
                    self._extra_row_cells.append(extra.key)
            return
        columns = entry.cols.columns(block)
        groups = entry.cols.group_rows(block)
        if entry.by_position:
            where = f"（{display(entry.band.title.raw)}）" if entry.band.title else ""
            self._positional.append(entry.row.label + where)
        for i, pc in entry.values:
            column = columns[i] if i < len(columns) else None
            row = entry.row or (groups[i] if i < len(groups) else None)
            leaf = entry.cols.leaves[i] if i < len(entry.cols.leaves) else None
            if row is None:
                continue
            row_label = entry.label_text if entry.row and not entry.by_position else row.label
            if entry.row is None and leaf is not None:
                group = next((c for c in reversed(leaf.groups) if best(c.label, block.rows)), None)
                row_label = display(group.raw) if group else row.label
            if column is None:
                if pc.blank and leaf is not None and not leaf.stack:
                    continue
                extra = self._extra_cell(pc, row_label, self._col_label(entry.cols, i, None))
                (self._subtotals if leaf is not None and is_subtotal(leaf) else self._extra_columns).append(
                    extra
                )
                continue
            key = block.block.key_for(row, column)
            header = "".join(c.raw for c in leaf.stack) if leaf is not None else ""
            cell = self._cell(key, pc, column, row_label, self._col_label(entry.cols, i, column), header)
            self._store(cell)
            if entry.by_position or entry.cols.positional:
                self._positional_keys.append(key)

    def _col_label(self, cols: Columns, i: int, column: ColumnDef | None) -> str:
        if i < len(cols.leaves) and cols.leaves[i].stack:
            leaf = cols.leaves[i].leaf
            return display(leaf.raw) if leaf else ""
        return column.label if column else ""

    def _store(self, cell: Cell) -> None:
        old = self.cells.get(cell.key)
        if old is None or (old.raw == "" and cell.raw != ""):
            self.cells[cell.key] = cell
            return
        if cell.raw and old.value != cell.value:
            self._duplicates.append((old, cell))

    def _note_wrapped(self, header: list[PRow]) -> None:
        for row in header:
            for cell in row.cells:
                if "\n" in cell.raw and self.table.kinds(cell.label):
                    self._wrapped.append(cell.raw.replace("\n", "/"))

    # ------------------------------------------------------------ findings

    def _report(self) -> None:
        t = f"表{self.id}"
        lost, code, how = (
            (self._guessed, F.GUESSED_ALIGNMENT, "任何排列都不能使行列合计全部成立，数字所在列是推测的，请核对原文。")
            if self._guessed
            else (self._aligned, F.ALIGNED, "已按行列合计（勾稽关系）确定各数字所在列。")
        )
        if lost:
            message = f"{t}有{len(lost)}行的空白单元格在复制时丢失：{F.listing(lost)}；{how}"
            self.findings.append(F.finding(code, message, rows=lost))
        if self._positional:
            self.findings.append(
                F.finding(
                    F.MALFORMED_TABLE,
                    f"{t}部分行或列的标签缺失或无法识别，已按模板位置读取：{F.listing(self._positional)}；请核对这些数据。",
                    self._positional_keys,
                    rows=self._positional,
                )
            )
        if self._flat:
            self.findings.append(
                F.finding(F.NONSTANDARD_LAYOUT, f"{t}的表头无法按位置对应，已按表头文字和模板列顺序读取。")
            )
        if self._extra_rows:
            self.findings.append(
                F.finding(
                    F.EXTRA_ROW,
                    f"{t}有模板以外的行：{F.listing(self._extra_rows)}，已作为附加数据保存。",
                    self._extra_row_cells,
                )
            )
        if self._subtotals:
            self.findings.append(
                F.finding(
                    F.SUBTOTAL_COLUMN,
                    f"{t}多了“{self._subtotals[0].col_label}”列（模板没有此列），已作为附加数据保存。",
                    [c.key for c in self._subtotals],
                )
            )
        extra = self._extra_columns + self._unknown_blocks
        if extra:
            what = [f"{c.row_label}/{c.col_label}" for c in extra]
            self.findings.append(
                F.finding(
                    F.EXTRA_CELLS,
                    f"{t}有{len(extra)}个单元格在模板中没有对应项目：{F.listing(what)}；已作为附加数据保存，未计入标准字段。",
                    [c.key for c in extra],
                )
            )
        if self._duplicates:
            what = [f"“{a.row_label}/{a.col_label}”（{a.raw} 与 {b.raw}）" for a, b in self._duplicates]
            self.findings.append(
                F.finding(
                    F.DUPLICATE_CELL,
                    f"{t}有单元格出现两次且数值不同：{F.listing(what, 3)}，采用第一次出现的数值。",
                    list(dict.fromkeys(a.key for a, _ in self._duplicates)),
                )
            )
        if self._wrapped:
            self.findings.append(
                F.finding(
                    F.WRAPPED_LABEL, f"{t}有标签被分成多行：{F.listing(self._wrapped, 3)}，已合并识别。"
                )
            )
        if self._joined:
            self.findings.append(
                F.finding(F.SPLIT_LABEL, f"{t}有被分页截断的标签：{F.listing(self._joined, 3)}，已拼接识别。")
            )


def read_table(group: Group) -> TableReader:
    reader = TableReader(group)
    reader.read()
    return reader


def derive_sums(cells: dict[str, Cell], table_id: str, blocks: list[BlockLabels]) -> list[str]:
    """Rows the template defines as a sum of printed rows (2021 （六）其他处理), when not printed."""
    made = []
    for b in blocks:
        for row in b.block.rows:
            if not row.sum_of:
                continue
            for col in b.block.columns:
                key = b.block.key_for(row, col)
                if key in cells:
                    continue
                parts = [cells.get(f"{b.block.prefix}{sub}.{col.key}") for sub in row.sum_of]
                if not any(parts):
                    continue
                values = [p.value for p in parts if p is not None and p.value is not None]
                total = sum(values) if values else None
                cells[key] = Cell(
                    key=key,
                    raw="" if total is None else str(total),
                    value=total,
                    unit="件" if total is not None else None,
                    table=table_id,
                    row_label=row.label,
                    col_label=col.label,
                    loc=Location(kind="derived"),
                )
                made.append(key)
    return made
