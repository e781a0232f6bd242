"""Publication dates: before the end of the statistics period, after the tier's statutory deadline."""

from __future__ import annotations

from datetime import date

import pytest
from checks_helpers import report_from_values

from core.checks import run_checks


def dated(published_on, agency="舟山市定海区人民政府办公室", title=None, year=2020, tier=None) -> dict:
    report = report_from_values({}, "2019", agency=agency, title=title, year=year, tables=(), published_on=published_on)
    return {f.code: f for f in run_checks(report, tier_override=tier) if f.code.startswith("date.")}


def test_dated_before_year_end_is_early():
    found = dated(date(2020, 12, 30), agency="宁波市鄞州区瞻岐镇人民政府")
    assert set(found) == {"date.early"}
    f = found["date.early"]
    assert f.severity == "warning"
    assert "2020年12月30日" in f.message and "2020年12月31日" in f.message


def test_dated_on_year_end_is_not_early():
    assert dated(date(2020, 12, 31)) == {}


@pytest.mark.parametrize(
    ("agency", "title", "on_time", "late"),
    [
        # a department (incl. a 人民政府办公室 on its own work): 1月31日
        ("舟山市定海区人民政府办公室", None, date(2021, 1, 31), date(2021, 2, 1)),
        # the 本级政府 report: 3月31日
        ("舟山市定海区人民政府办公室", "2020年定海区政府信息公开工作年度报告", date(2021, 3, 31), date(2021, 4, 1)),
        ("舟山市人民政府", None, date(2021, 3, 31), date(2021, 4, 2)),
    ],
)
def test_late_after_the_tier_deadline(agency, title, on_time, late):
    assert dated(on_time, agency, title) == {}
    found = dated(late, agency, title)
    assert set(found) == {"date.late"}
    f = found["date.late"]
    assert f.severity == "warning"
    assert f.details["deadline"] == on_time.isoformat()
    assert f"逾期 {(late - on_time).days} 天" in f.message


def test_township_has_no_statutory_deadline():
    assert dated(date(2021, 6, 30), agency="宁波市鄞州区人民政府白鹤街道办事处") == {}


def test_tier_override_applies():
    assert dated(date(2021, 2, 3), agency="舟山市定海区人民政府办公室", tier="government") == {}
    found = dated(date(2021, 2, 3), agency="宁波市鄞州区瞻岐镇人民政府", tier="department")
    assert set(found) == {"date.late"} and "已按设置的层级" in found["date.late"].message


def test_missing_date_is_only_noted():
    found = dated(None)
    assert set(found) == {"date.missing"} and found["date.missing"].severity == "info"
