"""Web-page reports built from figures: HTML, and the text layouts people get when they copy one.

The tables come from :func:`builders.table_layouts` (the national format's grids with their merges), so
the same figures can be printed as .docx, .pdf, .html and every text layout and read back cell by cell.

Text layouts:

- ``"tab"``: what a browser copies — one cell per line behind a tab, rows separated by a blank line;
  a cell that a merge from above covers is a lone tab; a wrapped label continues without a tab.
- ``"pipe"``: ``| a | b |`` rows over the full grid (merged areas blank), with a markdown separator.
- ``"lines"``: one cell per line, no delimiter, blank cells as empty lines, no row separators.
- ``"paragraphs"``: one cell per paragraph (cells separated by a blank line).

Layouts seen in real page copies (``blanks="dropped"`` leaves empty cells out entirely, as many copies
do; ``labels="removed"`` drops the empty cells a merged label leaves in the rows below it):

- ``"pipe_rows"``: a row per line, `` | `` between the cells the row starts (no outer pipes).
- ``"cell_pipe"``: one cell per line, each ending in `` |``.
- ``"bar_lines"``: a cell, then a line holding only ``|``.
- ``"flipbook"``: a flip-book PDF's text: a row's label and figures space-separated on one line,
  header cells printed vertically, one character per line (blanks are always dropped).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from builders import DEFAULT_AGENCY, Layout, Value, table_layouts
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

from core.templates import TEMPLATES

TextLayout = Literal["tab", "pipe", "lines", "paragraphs", "pipe_rows", "cell_pipe", "bar_lines", "flipbook"]
Blanks = Literal["kept", "dropped"]
Labels = Literal["kept", "removed"]
_S2T = OpenCC("s2t")


def prose(values: Mapping[str, Value], agency: str, year: int) -> dict[str, str]:
    new = values.get("apply.new.total")
    return {
        "一": f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》。全年共收到政府信息公开申请{new}件。",
        "二": "主动公开政府信息情况如下。",
        "三": "收到和处理政府信息公开申请情况如下。",
        "四": "政府信息公开行政复议、行政诉讼情况如下。",
        "五": "存在的主要问题是公开内容的规范性有待提高。下一步将加强培训。",
        "六": "无其他需要报告的事项。",
    }


def _report_parts(
    values: Mapping[str, Value],
    template: str,
    agency: str,
    year: int | None,
    layout_options: Mapping[str, Any],
) -> tuple[str, list[tuple[str, str, list[Layout]]], int]:
    """Title, then per section (id, heading, text, its tables), and the year."""
    tpl = TEMPLATES[template]
    year = year or tpl.last_year or tpl.first_year
    layouts = table_layouts(values, template, **layout_options)
    n2 = len(layouts) - 2
    by_section = {"二": layouts[:n2], "三": [layouts[-2]], "四": [layouts[-1]]}
    texts = prose(values, agency, year)
    sections = [(f"{s.id}、{s.title}", texts[s.id], by_section.get(s.id, [])) for s in tpl.sections]
    return f"{agency}{year}年政府信息公开工作年度报告", sections, year


def _grid(layout: Layout) -> dict[tuple[int, int], tuple[str, bool]]:
    """(row, col) → (text, starts here) over the layout's whole grid."""
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for spot in layout.spots:
        for r in range(spot.row, spot.row + spot.rowspan):
            for c in range(spot.col, spot.col + spot.colspan):
                grid[(r, c)] = (spot.text, (r, c) == (spot.row, spot.col))
    return grid


# ---------------------------------------------------------------- html


def html_table(layout: Layout, merged: bool = True) -> str:
    rows = []
    if merged:
        starts: dict[int, list] = {}
        for spot in layout.spots:
            starts.setdefault(spot.row, []).append(spot)
        for r in range(layout.n_rows):
            cells = []
            for spot in sorted(starts.get(r, []), key=lambda s: s.col):
                attrs = (f' rowspan="{spot.rowspan}"' if spot.rowspan > 1 else "") + (
                    f' colspan="{spot.colspan}"' if spot.colspan > 1 else ""
                )
                cells.append(f"<td{attrs}>{html.escape(spot.text).replace(chr(10), '<br>')}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    else:
        grid = _grid(layout)
        for r in range(layout.n_rows):
            cells = [
                f"<td>{html.escape(grid[(r, c)][0]) if grid.get((r, c), ('', False))[1] else ''}</td>"
                for c in range(layout.n_cols)
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


def build_html(
    values: Mapping[str, Value],
    template: str = "2019",
    *,
    agency: str = DEFAULT_AGENCY,
    year: int | None = None,
    published_on: date | None = None,
    layout_table: bool = False,
    merged: bool = True,
    **layout_options: Any,
) -> str:
    """A report page. ``layout_table=True`` wraps the content in a page-layout table, as many sites do;
    ``merged=False`` writes every grid cell (merged areas left blank) instead of rowspan/colspan."""
    title, sections, year = _report_parts(values, template, agency, year, layout_options)
    body = [f"<h1>{html.escape(title)}</h1>"]
    for heading, text, tables in sections:
        body.append(f"<p><strong>{html.escape(heading)}</strong></p><p>{html.escape(text)}</p>")
        body.extend(html_table(t, merged) for t in tables)
    body.append(f'<p style="text-align:right">{html.escape(agency)}</p>')
    if published_on:
        body.append(f"<p>{published_on.year}年{published_on.month}月{published_on.day}日</p>")
    content = "\n".join(body)
    if layout_table:
        content = f'<table width="100%"><tr><td>导航</td></tr><tr><td><div class="article">{content}</div></td></tr></table>'
    return (
        "<!DOCTYPE html><html><head><title>政务公开</title><style>td{border:1px}</style>"
        '<script>var x = "<table><tr><td>脚本</td></tr></table>";</script></head>'
        f"<body><!-- 统计代码 --><div id='main'>{content}</div><script>track();</script></body></html>"
    )


# ---------------------------------------------------------------- text copies


def _copied_rows(layout: Layout) -> list[list[str]]:
    """Rows as a browser copies them: a cell per spot starting in the row, a blank one per spot that
    continues down into it."""
    rows: list[list[str]] = []
    for r in range(layout.n_rows):
        spots = sorted(
            (s for s in layout.spots if s.row <= r < s.row + s.rowspan),
            key=lambda s: s.col,
        )
        rows.append([s.text if s.row == r else "" for s in spots])
    return rows


def _real_rows(layout: Layout, blanks: Blanks, labels: Labels) -> list[list[str]]:
    """Copied rows as real copies print them: header rows and data rows (those holding a figure's spot)."""
    data_rows = {s.row for s in layout.spots if s.key}
    out = []
    for r, row in enumerate(_copied_rows(layout)):
        spots = sorted((s for s in layout.spots if s.row <= r < s.row + s.rowspan), key=lambda s: s.col)
        cells = [
            text.replace("\n", "")
            for text, spot in zip(row, spots, strict=True)
            if not (labels == "removed" and r in data_rows and spot.row < r)
        ]
        if blanks == "dropped":
            cells = [c for c in cells if c]
        out.append(cells)
    return out


def _vertical(text: str) -> list[str]:
    return [ch for ch in text.replace("\n", "") if not ch.isspace()]


def text_table(layout: Layout, style: TextLayout, blanks: Blanks = "kept", labels: Labels = "kept") -> list[str]:
    real = style in ("lines", "paragraphs") and (blanks, labels) != ("kept", "kept")
    if style in ("pipe_rows", "cell_pipe", "bar_lines", "flipbook") or real:
        rows = _real_rows(layout, "dropped" if style == "flipbook" else blanks, labels)
        data_rows = {s.row for s in layout.spots if s.key}
        if style == "pipe_rows":
            return [" | ".join(row) for row in rows if row]
        if style == "lines":
            return [cell for row in rows for cell in row]
        if style == "paragraphs":
            return [line for row in rows for cell in row for line in (cell, "")]
        if style == "cell_pipe":
            return [f"{cell} |" if cell else " |" for row in rows for cell in row]
        if style == "bar_lines":
            return [line for row in rows for cell in row for line in (cell, "|")]
        titles = {s.row for s in layout.spots if s.colspan == layout.n_cols}
        lines = []
        for r, row in enumerate(rows):
            if r in data_rows or r in titles:
                lines.append(" ".join(row))  # a row of figures, or a block title across the table
            else:
                lines += [ch for cell in row for ch in _vertical(cell)]
        return lines
    if style == "pipe":
        grid = _grid(layout)
        lines = []
        for r in range(layout.n_rows):
            cells = [
                grid[(r, c)][0].replace("\n", "<br>") if grid.get((r, c), ("", False))[1] else ""
                for c in range(layout.n_cols)
            ]
            lines.append("| " + " | ".join(cells) + " |")
            if r == 0:
                lines.append("|" + "---|" * layout.n_cols)
        return lines
    rows = _copied_rows(layout)
    if style == "tab":
        lines = []
        for row in rows:
            lines.extend("\t" + cell for cell in row)
            lines.append("")
        return lines
    cells = [cell.replace("\n", "") for row in rows for cell in row]
    if style == "lines":
        return cells
    return [line for cell in cells for line in (cell, "")]


def build_text(
    values: Mapping[str, Value],
    template: str = "2019",
    *,
    style: TextLayout = "tab",
    agency: str = DEFAULT_AGENCY,
    year: int | None = None,
    published_on: date | None = None,
    traditional: bool = False,
    pinyin: bool = False,
    blanks: Blanks = "kept",
    labels: Labels = "kept",
    blocks_as_paragraphs: bool = False,
    **layout_options: Any,
) -> str:
    """A report copied from a web page as text. ``blocks_as_paragraphs`` (with ``split_table2``) prints
    each 第二十条 block title as a paragraph above its table instead of as the table's first row.
    ``pinyin`` (with ``traditional``) leaves the reading of some characters behind them, as copies from
    pages with a pinyin annotation do: 數(shù)."""
    title, sections, year = _report_parts(values, template, agency, year, layout_options)
    lines = [title, ""]
    for heading, text, tables in sections:
        lines += [heading, text]
        for table in tables:
            if blocks_as_paragraphs and table.name.startswith("二"):
                title_spot = table.spots[0]
                lines.append(title_spot.text)
                table = _without_first_row(table)
            lines += text_table(table, style, blanks, labels)
            lines += ["", ""]
    lines.append(agency)
    if published_on:
        lines.append(f"{published_on.year}年{published_on.month}月{published_on.day}日")
    text = "\n".join(lines) + "\n"
    text = _S2T.convert(text) if traditional else text
    return _stray_pinyin(text) if pinyin else text


_ANNOTATED = set("數處說總請開單資項條據類")


def _stray_pinyin(text: str) -> str:
    return "".join(f"{ch}({lazy_pinyin(ch, style=Style.TONE)[0]})" if ch in _ANNOTATED else ch for ch in text)


def _without_first_row(layout: Layout) -> Layout:
    out = Layout(layout.name, layout.n_rows - 1, layout.n_cols, layout.widths)
    for spot in layout.spots:
        if spot.row > 0:
            out.add(spot.row - 1, spot.col, spot.text, spot.rowspan, spot.colspan, spot.key)
    return out


def printed_keys(template: str) -> Sequence[str]:
    """Every canonical key a report of ``template`` prints (derived sums excluded)."""
    return [c.key for c in TEMPLATES[template].cells() if not c.derived]
