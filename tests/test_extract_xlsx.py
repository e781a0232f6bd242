"""Workbooks (.xlsx) with the three tables filled in: a sheet per table, or all on one sheet."""

from __future__ import annotations

import pytest
from builders import consistent_values
from office_builders import build_xlsx
from text_builders import printed_keys

from core.extract import extract
from core.model import ReportError
from core.pipeline import read_report


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("one_sheet", [False, True])
@pytest.mark.parametrize("numbers", [True, False])
def test_workbook_reports_read_every_cell(template, one_sheet, numbers):
    values = consistent_values(template, seed=41)
    report = read_report(build_xlsx(values, template, one_sheet=one_sheet, numbers=numbers), "report.xlsx")
    assert {k: report.value(k) for k in printed_keys(template)} == {k: values[k] for k in printed_keys(template)}
    assert report.template == template and report.source_kind == "xlsx"
    assert report.agency == "舟山市定海区人民政府办公室"
    assert not [f for f in report.findings if f.severity == "error"]
    cell = report.cells["apply.new.total"]
    assert cell.loc.kind == "xlsx" and cell.loc.table is not None and cell.loc.row is not None


def test_decimal_fee_in_a_workbook_is_exact():
    values = consistent_values("2021", seed=42) | {"active.fees.amount_wan": 555.06}
    report = read_report(build_xlsx(values, "2021"), "r.xlsx")
    assert report.cells["active.fees.amount_wan"].raw == "555.06"
    assert report.value("active.fees.amount_wan") == 555.06


def test_split_table2_blocks_on_their_own_sheets():
    values = consistent_values("2021", seed=43)
    report = read_report(build_xlsx(values, "2021", split_table2=True), "r.xlsx")
    assert report.tables_found == ["二", "三", "四"]
    assert report.value("active.licensing.decisions") == values["active.licensing.decisions"]


def test_a_damaged_workbook_is_a_one_line_error():
    data = build_xlsx(consistent_values("2021", seed=44))
    with pytest.raises(ReportError):
        extract(data[: len(data) // 2], "r.xlsx")
