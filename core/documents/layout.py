"""The national tables as printed: grids of labels and figure cells with their merges, built from the
template definitions (core.templates.national), so a drafted report has the official template's rows,
columns, merged labels and column order without a second copy of any label.

Widths are the official 2021 Word template's (tests/data/template-2021.docx), in twentieths of a point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.templates.national import LITIGATION
from core.templates.schema import TableDef, TemplateDef

_TABLE2_WIDTHS = (2435, 2435, 2435, 2435)
_TABLE3_LABEL_WIDTHS = (754, 921, 3271)
_TABLE3_FIGURE_WIDTH = 685
_TABLE4_WIDTH = 650


@dataclass(frozen=True)
class Spot:
    """One printed cell; ``key`` is the canonical key of a figure cell, None for a label."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None
    header: bool = False


@dataclass
class Layout:
    table: str  # "二" | "三" | "四"
    n_rows: int
    widths: tuple[int, ...]
    spots: list[Spot] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def add(self, spot: Spot) -> None:
        self.spots.append(spot)


def table_layouts(template: TemplateDef, figures: Mapping[str, str]) -> list[Layout]:
    """Tables 二, 三 and 四 of ``template`` as printed, each figure cell holding ``figures.get(key, "")``."""
    builders = {"二": _table2, "三": _table3, "四": _table4}
    return [builders[t.id](t, figures) for t in template.tables]


def _spans(n: int, width: int) -> list[int]:
    """Grid spans of ``n`` columns over ``width`` grid columns: the last one takes what is left, as the
    template prints 本年处理决定数量 across the three figure columns."""
    return [1] * (n - 1) + [width - (n - 1)]


def _table2(table: TableDef, figures: Mapping[str, str]) -> Layout:
    width = len(_TABLE2_WIDTHS)
    layout = Layout(table.id, sum(2 + len(b.rows) for b in table.blocks), _TABLE2_WIDTHS)
    r = 0
    for block in table.blocks:
        layout.add(Spot(r, 0, block.label, colspan=width, header=True))
        layout.add(Spot(r + 1, 0, table.label_header, header=True))
        spans = _spans(len(block.columns), width - 1)
        c = 1
        for column, span in zip(block.columns, spans, strict=True):
            layout.add(Spot(r + 1, c, column.label, colspan=span, header=True))
            c += span
        for i, row in enumerate(block.rows, start=r + 2):
            layout.add(Spot(i, 0, row.label))
            c = 1
            for column, span in zip(block.columns, spans, strict=True):
                key = block.key_for(row, column)
                layout.add(Spot(i, c, figures.get(key, ""), colspan=span, key=key))
                c += span
        r += 2 + len(block.rows)
    return layout


def _table3(table: TableDef, figures: Mapping[str, str]) -> Layout:
    (block,) = table.blocks
    columns = block.columns
    printed = [row for row in block.rows if not row.sum_of]
    labels = len(_TABLE3_LABEL_WIDTHS)
    layout = Layout(
        table.id, 3 + len(printed), (*_TABLE3_LABEL_WIDTHS, *[_TABLE3_FIGURE_WIDTH] * len(columns))
    )
    note = next(a for a in block.aliases if "勾稽" in a)  # the header cell the template prints its rule in
    layout.add(Spot(0, 0, note, rowspan=3, colspan=labels, header=True))
    layout.add(Spot(0, labels, block.label, colspan=len(columns), header=True))
    for group, run in _runs([col.group for col in columns]):
        if group is None:
            for i in run:
                layout.add(Spot(1, labels + i, columns[i].label, rowspan=2, header=True))
        else:
            layout.add(Spot(1, labels + run[0], group, colspan=len(run), header=True))
            for i in run:
                layout.add(Spot(2, labels + i, columns[i].label, header=True))
    # 三、本年度办理结果 spans every grouped row; （三）不予公开 … span their own sub-rows.
    grouped = [i for i, row in enumerate(printed) if row.group]
    results = printed[grouped[0]].group
    layout.add(Spot(3 + grouped[0], 0, results or "", rowspan=len(grouped)))
    for group, run in _runs([row.group if row.group != results else None for row in printed]):
        if group is not None:
            layout.add(Spot(3 + run[0], 1, group, rowspan=len(run)))
    for i, row in enumerate(printed):
        r = 3 + i
        if row.group is None:
            layout.add(Spot(r, 0, row.label, colspan=labels))
        elif row.group == results:
            layout.add(Spot(r, 1, row.label, colspan=2))
        else:
            layout.add(Spot(r, 2, row.label))
        for j, column in enumerate(columns):
            key = block.key_for(row, column)
            layout.add(Spot(r, labels + j, figures.get(key, ""), key=key))
    return layout


def _runs(groups: list[str | None]) -> list[tuple[str | None, list[int]]]:
    """Consecutive equal entries as (entry, their indexes), in order."""
    runs: list[tuple[str | None, list[int]]] = []
    for i, group in enumerate(groups):
        if runs and runs[-1][0] == group:
            runs[-1][1].append(i)
        else:
            runs.append((group, [i]))
    return runs


def _table4(table: TableDef, figures: Mapping[str, str]) -> Layout:
    """One printed row of figures: 行政复议 first, then 行政诉讼 over its two groups."""
    (block,) = table.blocks
    n = len(block.columns)
    review, *lawsuits = block.rows
    layout = Layout(table.id, 4, tuple([_TABLE4_WIDTH] * n * len(block.rows)))
    layout.add(Spot(0, 0, review.label, colspan=n, header=True))
    layout.add(Spot(0, n, LITIGATION, colspan=n * len(lawsuits), header=True))
    for g, row in enumerate(lawsuits, start=1):
        layout.add(Spot(1, g * n, row.label, colspan=n, header=True))
    for i, column in enumerate(block.columns):
        layout.add(Spot(1, i, column.label, rowspan=2, header=True))
        for g in range(1, len(block.rows)):
            layout.add(Spot(2, g * n + i, column.label, header=True))
    for g, row in enumerate(block.rows):
        for i, column in enumerate(block.columns):
            key = block.key_for(row, column)
            layout.add(Spot(3, g * n + i, figures.get(key, ""), key=key))
    return layout
