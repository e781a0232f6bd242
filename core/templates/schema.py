"""Shapes of a template definition.

A template is data: tables made of blocks, each block a grid of rows × columns. The canonical key of a
cell is ``prefix + row.key + "." + column.key`` (see :meth:`BlockDef.key`). Parsing, checks, storage,
answers and rendering all read these objects instead of branching on the template year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "delta", "yuan", "wan", "text"]
TableId = Literal["二", "三", "四"]


@dataclass(frozen=True)
class RowDef:
    key: str
    label: str
    en: str
    aliases: tuple[str, ...] = ()
    # A parent label printed as a merged cell to the left, e.g. （三）不予公开 for its 8 sub-rows.
    group: str | None = None
    # Rows whose value is the sum of other rows of the same block (2021 （六）其他处理).
    sum_of: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class ColumnDef:
    key: str
    label: str
    en: str
    unit: Unit = "count"
    aliases: tuple[str, ...] = ()
    # A parent label printed as a merged cell above, e.g. 法人或其他组织 over five applicant columns.
    group: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class BlockDef:
    """One grid of a table. Table 二 has one block per 第二十条 item; tables 三 and 四 have one block."""

    key: str
    label: str
    prefix: str
    rows: tuple[RowDef, ...]
    columns: tuple[ColumnDef, ...]
    aliases: tuple[str, ...] = ()
    # Arithmetic the printed grid implies; core.templates.rules turns it into per-cell rules.
    # A column equal to the sum of the block's other columns, in every row (表三/表四 总计).
    total_column: str | None = None
    # A row equal to the sum of the grouped, printed rows of the block, in every column (表三（七）总计).
    total_row: str | None = None
    # Σ left rows = Σ right rows in every column (the 勾稽 note printed in 表三's header cell).
    balance: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # (column a, column b): a ≤ b in every row (2019 本年新公开数量 ≤ 对外公开总数量).
    at_most: tuple[tuple[str, str], ...] = ()

    def key_for(self, row: RowDef, column: ColumnDef) -> str:
        return f"{self.prefix}{row.key}.{column.key}"

    def cells(self) -> list[CellDef]:
        return [
            CellDef(key=self.key_for(r, c), block=self, row=r, column=c)
            for r in self.rows
            for c in self.columns
        ]

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class CellDef:
    key: str
    block: BlockDef
    row: RowDef
    column: ColumnDef

    @property
    def unit(self) -> Unit:
        return self.column.unit

    @property
    def derived(self) -> bool:
        """A cell the template defines as a sum of other printed rows (not printed itself)."""
        return bool(self.row.sum_of)


@dataclass(frozen=True)
class TableDef:
    id: TableId
    title: str
    en: str
    blocks: tuple[BlockDef, ...]
    # Section heading fragments that introduce the table in the prose.
    heading_aliases: tuple[str, ...] = ()
    required: bool = True
    # The printed header of the label column (信息内容 in table 二), when it has one.
    label_header: str = ""

    def cells(self) -> list[CellDef]:
        return [c for b in self.blocks for c in b.cells()]


@dataclass(frozen=True)
class SectionDef:
    id: str  # 一 … 六
    title: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateDef:
    version: Literal["2019", "2021"]
    notice: str
    first_year: int
    last_year: int | None
    sections: tuple[SectionDef, ...]
    tables: tuple[TableDef, ...]
    # Header texts whose presence identifies this template (and whose absence in the other one does).
    markers: tuple[str, ...] = ()
    _index: dict[str, CellDef] = field(default_factory=dict, compare=False, repr=False)

    def cells(self) -> list[CellDef]:
        return [c for t in self.tables for c in t.cells()]

    def cell(self, key: str) -> CellDef | None:
        if not self._index:
            self._index.update({c.key: c for c in self.cells()})
        return self._index.get(key)

    def table(self, table_id: TableId) -> TableDef:
        return next(t for t in self.tables if t.id == table_id)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
