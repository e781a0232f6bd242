"""Reports as workbooks (.xlsx) built from figures, and the committed Word 97 (.doc) fixtures.

The .doc files in tests/data were written by LibreOffice from .docx reports built here; see
tests/data/make_doc_fixtures.py for how, and for the figures (seeds) they print.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from builders import DEFAULT_AGENCY, Value, table_layouts
from openpyxl import Workbook

from core.templates import TEMPLATES

DATA = Path(__file__).resolve().parent / "data"


def build_xlsx(
    values: Mapping[str, Value],
    template: str = "2021",
    *,
    agency: str = DEFAULT_AGENCY,
    year: int | None = None,
    one_sheet: bool = False,
    numbers: bool = True,
    **layout_options: Any,
) -> bytes:
    """The three tables filled in a workbook: a sheet per table (title in A1), or all on one sheet with
    the title and section headings between them. ``numbers=False`` types figures as text."""
    tpl = TEMPLATES[template]
    year = year or tpl.last_year or tpl.first_year
    layouts = table_layouts(values, template, **layout_options)
    book = Workbook()
    first = book.active
    title = f"{agency}{year}年政府信息公开工作年度报告"
    sheets = []
    for i, layout in enumerate(layouts):
        if one_sheet:
            sheets.append(first)
        else:
            sheet = first if i == 0 else book.create_sheet()
            sheet.title = f"表{layout.name[:1]}" if i == 0 or layout.name[:1] != layouts[i - 1].name[:1] else f"表{layout.name[:1]}{i}"
            sheets.append(sheet)
    row = {id(s): 1 for s in sheets}
    if one_sheet:
        first.cell(1, 1, title)
        row[id(first)] = 3
    headings = {"二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况", "四": "四、政府信息公开行政复议、行政诉讼情况"}
    for layout, sheet in zip(layouts, sheets, strict=True):
        top = row[id(sheet)]
        if not one_sheet:
            sheet.cell(top, 1, title if layout is layouts[0] else headings[layout.name[:1]])
            top += 2
        elif layout.name[:1] in headings:
            sheet.cell(top, 1, headings.pop(layout.name[:1]))
            top += 2
        for spot in layout.spots:
            text: object = spot.text
            if numbers and spot.key and spot.text:
                try:
                    text = int(spot.text)
                except ValueError:
                    try:
                        text = float(spot.text)
                    except ValueError:
                        text = spot.text
            sheet.cell(top + spot.row, 1 + spot.col, text)
            if spot.rowspan > 1 or spot.colspan > 1:
                sheet.merge_cells(
                    start_row=top + spot.row,
                    start_column=1 + spot.col,
                    end_row=top + spot.row + spot.rowspan - 1,
                    end_column=spot.col + spot.colspan,
                )
        row[id(sheet)] = top + layout.n_rows + 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
