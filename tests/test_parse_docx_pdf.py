"""Generated Word and PDF reports read back through extract → parse_document, cell by cell, with provenance.

Every figure the builders print must come back with the same value, its raw text, and a location that
points at the exact docx table/row/cell (or pdf page/table/row/cell) where it was printed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from builders import (
    DEFAULT_AGENCY,
    TABLE3_HEADER_ROWS,
    Layout,
    build_docx,
    build_pdf,
    consistent_values,
    fill_template_2021,
    fmt,
    table_layouts,
)

from core.extract import extract
from core.model import Document, ParsedReport
from core.parse import parse_document
from core.templates import TEMPLATES
from core.textnorm import squash

LAYOUT_OPTIONS = ("split_table2", "subtotal_column", "extra_rows", "wrap_headers")
EXTRA_ROW = {"item1": {"其他主动公开文件": [5, 5, 120]}}
PUBLISHED = {"2019": date(2021, 1, 29), "2021": date(2022, 1, 27)}

DOCX_CASES = [
    ("2019", {}),
    ("2021", {}),
    ("2019", {"split_table2": True}),
    ("2021", {"split_table2": True}),
    ("2019", {"subtotal_column": True}),
    ("2021", {"subtotal_column": True}),
    ("2019", {"extra_rows": EXTRA_ROW}),
    ("2019", {"wrap_headers": True}),
    ("2021", {"wrap_headers": True}),
    ("2019", {"merge_style": "none"}),
    ("2021", {"merge_style": "none"}),
    ("2019", {"merge_style": "repeat"}),
    ("2021", {"merge_style": "repeat"}),
    ("2021", {"split_table2": True, "subtotal_column": True, "wrap_headers": True, "merge_style": "none"}),
]
PDF_CASES = [
    ("2019", {}),
    ("2021", {}),
    ("2019", {"split_across_pages": True}),
    ("2021", {"split_across_pages": True}),
    ("2021", {"split_across_pages": True, "split_before_row": "withheld.third_party"}),
    ("2019", {"split_across_pages": True, "repeat_header": True}),
    ("2021", {"split_across_pages": True, "split_before_row": "other.unpaid_fee", "repeat_header": True}),
    ("2019", {"subtotal_column": True, "wrap_headers": True, "extra_rows": EXTRA_ROW}),
    ("2021", {"split_table2": True, "subtotal_column": True}),
]


def case_id(case: tuple[str, dict[str, Any]]) -> str:
    template, options = case
    return "-".join([template, *(f"{k}={v}" if not isinstance(v, dict) else k for k, v in options.items())])


def read(data: bytes, filename: str) -> tuple[Document, ParsedReport]:
    doc = extract(data, filename)
    return doc, parse_document(doc)


def assert_values(report: ParsedReport, values: dict[str, Any], template: str) -> None:
    """Every printed key is read with its value and raw text; derived keys come out as their sums."""
    tpl = TEMPLATES[template]
    assert report.template == template
    wrong = {}
    for key, value in values.items():
        cell = report.cells.get(key)
        if cell is None:
            wrong[key] = ("missing", value)
        elif cell.value != value or (not tpl.cell(key).derived and cell.raw.strip() != fmt(value)):
            wrong[key] = (cell.raw, cell.value, value)
    assert not wrong, wrong
    assert not [f for f in report.findings if f.severity == "error"], report.findings


def docx_positions(layouts: list[Layout], merge_style: str) -> dict[str, tuple[int, int, int]]:
    return {key: (i, r, c) for i, layout in enumerate(layouts) for key, (r, c) in layout.positions(merge_style).items()}


@pytest.mark.parametrize("case", DOCX_CASES, ids=case_id)
def test_generated_docx_reads_back(case: tuple[str, dict[str, Any]]) -> None:
    template, options = case
    values = consistent_values(template, seed=len(str(options)))
    data = build_docx(values, template, published_on=PUBLISHED[template], **options)
    doc, report = read(data, "report.docx")
    assert_values(report, values, template)
    layouts = table_layouts(values, template, **{k: v for k, v in options.items() if k in LAYOUT_OPTIONS})
    expected = docx_positions(layouts, options.get("merge_style", "word"))
    for key, (table, row, col) in expected.items():
        loc = report.cells[key].loc
        assert (loc.kind, loc.table, loc.row, loc.col) == ("docx", table, row, col), key
    assert report.published_on == PUBLISHED[template]
    assert report.year == (TEMPLATES[template].last_year or TEMPLATES[template].first_year)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_zero_report(template: str) -> None:
    values = consistent_values(template, zero=True)
    _, report = read(build_docx(values, template), "zero.docx")
    assert_values(report, values, template)


def test_raw_texts_blanks_and_placeholders() -> None:
    values: dict[str, Any] = dict(consistent_values("2019", seed=21))
    values.update(
        {
            "active.licensing.change": "增284",
            "active.penalty.change": "减95",
            "active.procurement.amount_yuan": "266万元",
            "active.fees.change": "无变化",
            "apply.new.research": "/",
        }
    )
    del values["review.other"]
    _, report = read(build_docx(values, "2019"), "raw.docx")
    cells = report.cells
    assert (cells["active.licensing.change"].raw, cells["active.licensing.change"].value) == ("增284", 284)
    assert cells["active.penalty.change"].value == -95
    assert (cells["active.procurement.amount_yuan"].value, cells["active.procurement.amount_yuan"].unit) == (2660000, "元")
    assert cells["active.fees.change"].value == 0
    assert (cells["apply.new.research"].raw, cells["apply.new.research"].value) == ("/", None)
    assert cells["review.other"].raw.strip() == "" and cells["review.other"].value is None


def test_agency_and_title_are_read() -> None:
    values = consistent_values("2021", seed=2)
    _, report = read(build_docx(values, "2021", agency="宁波市鄞州区白鹤街道办事处"), "r.docx")
    assert report.agency == "宁波市鄞州区白鹤街道办事处"
    assert report.short_name == "白鹤街道"
    assert report.year == 2021
    assert set(report.sections) == {"一", "二", "三", "四", "五", "六"}


def test_filled_national_template_reads_back() -> None:
    values = consistent_values("2021", seed=13)
    doc, report = read(fill_template_2021(values, published_on=date(2022, 1, 25)), "filled.docx")
    assert_values(report, values, "2021")
    assert report.agency == DEFAULT_AGENCY and report.published_on == date(2022, 1, 25)
    table_of = {"二": 0, "三": 1, "四": 2}
    for key, cell in report.cells.items():
        cell_def = TEMPLATES["2021"].cell(key)
        if cell_def is None or cell_def.derived:
            continue
        loc = cell.loc
        assert (loc.kind, loc.table) == ("docx", table_of[cell.table]), key
        printed = doc.tables[loc.table].rows[loc.row]
        assert printed[loc.col].text == fmt(values[key]), key
        if cell.table != "四":  # the row's label is printed in the same row
            labels = {squash(c.text) for c in printed[: loc.col]}
            assert squash(cell_def.row.label) in labels, key


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_generated_pdf_reads_back(case: tuple[str, dict[str, Any]]) -> None:
    template, options = case
    values = consistent_values(template, seed=len(str(options)) + 1)
    data = build_pdf(values, template, published_on=PUBLISHED[template], **options)
    doc, report = read(data, "report.pdf")
    assert_values(report, values, template)
    assert report.published_on == PUBLISHED[template]
    layouts = table_layouts(values, template, **{k: v for k, v in options.items() if k in LAYOUT_OPTIONS})
    # Where each key was printed, with table 三 cut in two when it was split across pages.
    expected: dict[str, tuple[int, int, int]] = {}
    index = 0
    for layout in layouts:
        cut = layout.n_rows
        if layout.name == "三" and options.get("split_across_pages"):
            block = TEMPLATES[template].table("三").blocks[0]
            printed = [r.key for r in block.rows if not r.sum_of]
            cut = TABLE3_HEADER_ROWS + printed.index(options.get("split_before_row", "unavailable.needs_creation"))
        repeated = TABLE3_HEADER_ROWS if options.get("repeat_header") else 0
        for key, (r, c) in layout.positions().items():
            expected[key] = (index, r, c) if r < cut else (index + 1, r - cut + repeated, c)
        index += 1 if cut == layout.n_rows else 2
    assert len(doc.tables) == index
    for key, (table, row, col) in expected.items():
        loc = report.cells[key].loc
        assert (loc.kind, loc.table, loc.row, loc.col) == ("pdf", table, row, col), key
        assert loc.page == doc.tables[table].page, key
    if options.get("split_across_pages"):
        first, second = expected["apply.new.total"][0], expected["apply.carried_forward.total"][0]
        assert report.cells["apply.carried_forward.total"].loc.page == doc.tables[first].page + 1
        assert second == first + 1
