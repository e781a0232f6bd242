"""Single-cell rules: non-negative integer counts, money units, 规章 only where 规章 can be made."""

from __future__ import annotations

import pytest
from builders import consistent_values
from checks_helpers import report_from_values

from core.checks import run_checks
from core.checks.values import agency_level


def by_code(report, code: str) -> list:
    return [f for f in run_checks(report) if f.code == code]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_negative_count_is_an_error(template):
    values = consistent_values(template, 1)
    values["active.penalty.decisions"] = -4
    found = by_code(report_from_values(values, template), "table2.negative")
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].cells == ["active.penalty.decisions"]
    assert "-4" in found[0].message and "行政处罚" in found[0].message


def test_negative_change_is_allowed_in_2019():
    values = consistent_values("2019", 1)
    values["active.licensing.change"] = "减95"
    report = report_from_values(values, "2019")
    assert report.value("active.licensing.change") == -95
    assert not [f for f in run_checks(report) if f.severity == "error"]


def test_fractional_count_is_an_error():
    values = consistent_values("2021", 2)
    values["active.licensing.decisions"] = 12.5
    found = by_code(report_from_values(values, "2021"), "table2.not_integer")
    assert [f.cells for f in found] == [["active.licensing.decisions"]]
    assert found[0].severity == "error"


def test_money_unit_in_a_count_cell_is_a_warning():
    values = consistent_values("2019", 3)
    values["active.procurement.count"] = "6323013元"
    found = by_code(report_from_values(values, "2019"), "table2.money_in_count")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "6323013元" in found[0].message


@pytest.mark.parametrize(
    ("raw", "flagged"),
    [
        ("251000元", True),  # printed in 元: converted, but the column is 万元
        ("25.1", False),
        ("25.1万元", False),
        ("2510000", True),  # 251亿元 for a county department: surely 元
        ("2510000万元", False),  # the unit is explicit: an unusual figure, not a unit slip
    ],
)
def test_2021_fees_must_be_in_wan(raw, flagged):
    values = consistent_values("2021", 4)
    values["active.fees.amount_wan"] = raw
    found = by_code(report_from_values(values, "2021"), "table2.money_unit")
    assert bool(found) == flagged
    if flagged:
        assert found[0].severity == "warning" and found[0].cells == ["active.fees.amount_wan"]
        assert "万元" in found[0].message


def test_fee_threshold_depends_on_agency_level():
    values = consistent_values("2021", 4)
    values["active.fees.amount_wan"] = "5000"  # 5000万元
    county = report_from_values(values, "2021", agency="宁波市鄞州区财政局")
    city = report_from_values(values, "2021", agency="宁波市财政局")
    township = report_from_values(values, "2021", agency="宁波市鄞州区瞻岐镇人民政府")
    assert not by_code(county, "table2.money_unit")
    assert not by_code(city, "table2.money_unit")
    assert by_code(township, "table2.money_unit")


def test_tiny_procurement_amount_without_unit_is_doubtful():
    values = consistent_values("2019", 5)
    values["active.procurement.amount_yuan"] = "300.6"
    assert by_code(report_from_values(values, "2019"), "table2.money_unit")
    values["active.procurement.amount_yuan"] = "300.6万"
    assert not by_code(report_from_values(values, "2019"), "table2.money_unit")


@pytest.mark.parametrize(
    ("agency", "level"),
    [
        ("宁波市鄞州区瞻岐镇人民政府", "township"),
        ("宁波市鄞州区人民政府白鹤街道办事处", "township"),
        ("宁海县政务服务办公室", "county"),
        ("舟山市定海区人民政府办公室", "county"),
        ("舟山市定海区人民政府", "county"),
        ("宁波市教育局", "higher"),
        ("宁波市市场监督管理局", "higher"),
        ("浙江省自然资源厅", "higher"),
        ("宁波市人民政府", "higher"),
    ],
)
def test_agency_level(agency, level):
    report = report_from_values({}, "2021", agency=agency, tables=())
    assert agency_level(report) == level


@pytest.mark.parametrize(
    ("agency", "flagged"),
    [
        ("宁波市鄞州区瞻岐镇人民政府", True),
        ("宁海县政务服务办公室", True),
        ("舟山市定海区人民政府", True),
        ("宁波市人民政府", False),
        ("宁波市司法局", False),
    ],
)
def test_regulations_at_an_agency_without_rule_making_power(agency, flagged):
    values = consistent_values("2019", 6)
    values.update({"active.regulations.new_made": 3, "active.regulations.new_published": 3})
    values["active.regulations.total_published"] = 3
    found = by_code(report_from_values(values, "2019", agency=agency), "table2.regulations")
    assert bool(found) == flagged
    if flagged:
        f = found[0]
        assert f.severity == "warning"
        assert set(f.cells) == {"active.regulations.new_made", "active.regulations.new_published", "active.regulations.total_published"}
        assert "规章" in f.message and agency in f.message


def test_zero_regulations_are_fine_anywhere():
    values = consistent_values("2021", 6)
    report = report_from_values(values, "2021", agency="宁波市鄞州区瞻岐镇人民政府")
    assert not by_code(report, "table2.regulations")


def test_tier_override_changes_regulations_judgement():
    values = consistent_values("2021", 6)
    values["active.regulations.issued"] = 1
    report = report_from_values(values, "2021", agency="某某管理委员会")
    assert not by_code(report, "table2.regulations")
    found = [f for f in run_checks(report, tier_override="township") if f.code == "table2.regulations"]
    assert found and found[0].cells == ["active.regulations.issued"]
