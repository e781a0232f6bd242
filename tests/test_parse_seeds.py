"""The five seed reports (real text copies of web pages), read cell by cell."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest
from conftest import seed

from core.extract.text import extract_text
from core.model import ParsedReport
from core.templates import TEMPLATE_2019


@cache
def parsed(prefix: str) -> ParsedReport:
    from core.parse import parse_document

    return parse_document(extract_text(seed(prefix).read_text(encoding="utf-8")))


def codes(report: ParsedReport, severity: str | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity == severity]


def test_000_ninghai_office():
    r = parsed("000")
    assert (r.agency, r.short_name, r.region, r.year, r.template) == (
        "宁海县政务服务办公室",
        "宁海县政务服务办公室",
        "宁海县",
        2020,
        "2019",
    )
    assert r.published_on is None
    assert r.value("apply.new.total") == 1
    assert r.value("apply.new.natural_person") == 1
    assert r.cells["apply.new.commercial"].raw == "" and r.value("apply.new.commercial") is None
    assert r.value("apply.total.total") == 1 and r.value("apply.disclosed.total") == 1
    assert r.value("active.procurement.count") == 3
    assert r.value("active.procurement.amount_yuan") == 2660000
    assert r.cells["active.procurement.amount_yuan"].raw == "266万元"
    assert r.cells["active.procurement.amount_yuan"].unit == "元"
    assert r.value("review.total") == 0 and r.cells["review.total"].raw == "0"
    assert r.tables_found == ["二", "三", "四"]
    assert codes(r, "error") == [] and codes(r, "warning") == []
    assert set(r.sections) == set("一二三四五六")
    assert r.sections["六"] == "本年度无其他需要报告的事项。"


def test_001_baihe_street_with_broken_table3_labels():
    r = parsed("001")
    assert (r.agency, r.short_name, r.region) == (
        "宁波市鄞州区人民政府白鹤街道办事处",
        "白鹤街道",
        "宁波市鄞州区",
    )
    assert (r.year, r.template, r.published_on) == (2020, "2019", date(2020, 12, 31))
    assert r.value("active.penalty.prior_items") == 315
    assert r.value("active.penalty.change") == -30
    assert r.value("active.penalty.decisions") == 285
    assert r.value("active.procurement.amount_yuan") == 290583.88
    malformed = [f for f in r.findings if f.code == "structure.malformed_table"]
    assert len(malformed) == 1 and malformed[0].severity == "warning"
    assert "表三" in malformed[0].message and "1.属于国家秘密" in malformed[0].message
    # the 16 label-less rows take the template rows between （二） and （六）, 7 values each
    assert "apply.withheld.state_secret.total" in malformed[0].cells
    assert "apply.not_processed.confirm_existing.natural_person" in malformed[0].cells
    assert "apply.other.total" not in malformed[0].cells
    for row in ("withheld.state_secret", "unavailable.unclear", "not_processed.confirm_existing"):
        assert r.value(f"apply.{row}.total") == 0
        assert r.cells[f"apply.{row}.total"].row_label.endswith(
            TEMPLATE_2019.cell(f"apply.{row}.total").row.label[2:]
        )
    assert r.value("apply.other.total") == 0 and r.value("apply.carried_forward.total") == 0
    assert not r.extra_cells


def test_002_zhanqi_town_without_tables_3_and_4():
    r = parsed("002")
    assert (r.agency, r.short_name, r.region) == ("瞻岐镇人民政府", "瞻岐镇", "宁波市鄞州区")
    assert (r.year, r.template, r.published_on) == (2020, "2019", date(2020, 12, 30))
    assert r.tables_found == ["二"]
    missing = {f.details["table"]: f for f in r.findings if f.code == "structure.missing_table"}
    assert set(missing) == {"三", "四"}
    assert all(f.severity == "error" for f in missing.values())
    assert "apply.new.total" in missing["三"].cells and "review.total" in missing["四"].cells
    unknown = [f for f in r.findings if f.code == "structure.unknown_table"]
    assert len(unknown) == 1 and unknown[0].severity == "info" and "栏目名称" in unknown[0].message
    assert r.value("active.other_services.decisions") == 78500
    assert r.value("active.licensing.change") == 1
    assert r.cells["active.licensing.change"].raw == "新增1条"
    assert r.value("active.other_services.change") == 8
    assert r.value("active.procurement.amount_yuan") == 3006000
    assert r.value("active.regulations.total_published") == 3  # printed as 对外公开数量
    assert "未接到群众主动要求公开政府信息的申请" in r.sections["三"]


def test_003_dinghai_government():
    r = parsed("003")
    assert (r.agency, r.short_name, r.region) == ("舟山市定海区人民政府", "定海区", "舟山市定海区")
    assert (r.year, r.template, r.published_on) == (2020, "2019", date(2021, 2, 3))
    assert r.title == "2020年定海区政府信息公开工作年度报告"
    expected = {
        "apply.new.total": 34,
        "apply.new.natural_person": 34,
        "apply.carried_over.total": None,
        "apply.disclosed.total": 18,
        "apply.partial.total": 1,
        "apply.withheld.process_info.total": 2,
        "apply.withheld.enforcement_file.total": 5,
        "apply.unavailable.not_held.total": 4,
        "apply.not_processed.petition.total": 1,
        "apply.total.total": 33,
        "apply.carried_forward.total": 1,
        "review.upheld": 2,
        "review.corrected": 1,
        "review.other": None,
        "review.total": 3,
        "litigation.direct.total": None,
        "active.normative_docs.new_made": 44,
        "active.normative_docs.total_published": 142,
        "active.licensing.prior_items": 940,
        "active.licensing.change": -95,
        "active.licensing.decisions": 16065,
        "active.other_services.change": 284,
        "active.penalty.change": 143,
        "active.coercion.change": -15,
        "active.fees.change": -1,
        "active.procurement.count": 1418,
        "active.procurement.amount_yuan": 89188339.32,
    }
    assert {k: r.value(k) for k in expected} == expected
    assert r.cells["apply.carried_forward.total"].raw == "1"
    cell = r.cells["apply.withheld.enforcement_file.total"]
    assert (cell.table, cell.row_label, cell.col_label) == ("三", "7.属于行政执法案卷", "总计")
    assert cell.loc.kind == "text" and cell.loc.line is not None and cell.loc.row is not None
    assert r.cells["review.total"].row_label == "行政复议"
    assert codes(r, "error") == [] and codes(r, "warning") == []
    assert r.sections["六"] == "无"  # the signature and the date are not part of section 六


def test_004_jiaojiang_center_with_older_table2_headers():
    r = parsed("004")
    assert (r.agency, r.short_name, r.region) == (
        "椒江区人民政府行政服务中心",
        "椒江区行政服务中心",
        "椒江区",
    )
    assert (r.year, r.template, r.published_on) == (2020, "2019", None)
    assert r.value("active.procurement.count") == 8
    assert r.value("active.procurement.amount_yuan") == 6323013
    assert r.cells["active.regulations.new_made"].col_label == "制作"
    assert r.cells["active.licensing.prior_items"].col_label == "原有项目数量"
    assert r.cells["active.licensing.change"].col_label == "本年更新"
    assert r.value("active.fees.change") == 0
    assert "active.regulations.new_published" not in r.cells
    extra = {(c.row_label, c.col_label): c for c in r.extra_cells}
    assert set(extra) == {
        ("规章", "获取"),
        ("规范性文件", "获取"),
        ("第二十条第（七）项 财政预算、决算", "公开渠道"),
    }
    assert extra[("第二十条第（七）项 财政预算、决算", "公开渠道")].raw == "椒江区政府门户网站"
    assert all(c.key.startswith("extra.二.") for c in r.extra_cells)
    (warning,) = [f for f in r.findings if f.code == "structure.extra_cells"]
    assert warning.severity == "warning" and set(warning.cells) == {c.key for c in r.extra_cells}
    assert r.value("apply.new.total") == 0 and r.value("apply.disclosed.total") is None
    assert r.sections["一"].startswith("（一）统一思想")  # "1、 总体情况" is section 一's heading


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_cells_know_their_source(prefix):
    r = parsed(prefix)
    assert r.cells
    for cell in r.cells.values():
        assert cell.loc.kind == "text" and cell.loc.line and cell.loc.table is not None
        assert cell.row_label and cell.col_label
    assert "第二十条第（五）项" not in r.text  # prose only: table cells stay out of the text
    assert r.sections["一"] and r.sections["一"] in r.text
