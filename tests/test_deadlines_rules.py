"""Deadline rules (statutory and local, most specific wins) and reminder timing (calendar and working days)."""

from __future__ import annotations

from datetime import date

import pytest
from deadlines_support import CONFIG, at

from core.deadlines.models import OVERDUE
from core.deadlines.rules import Rule, applicable_rule, deadline_for, parse_rule_spec, statutory_rules
from core.deadlines.schedule import parse_offsets, points, reminder_day, working_days_left
from core.model import ReportError
from core.storage.models import Agency
from core.tiers import classify, parse_tier

BAIHE = Agency(id=1, name="宁波市鄞州区白鹤街道办事处", short_name="白鹤街道", region="浙江省宁波市鄞州区")
SHIQI = Agency(id=2, name="宁波市海曙区石碶街道办事处", short_name="石碶街道", region="浙江省宁波市海曙区")
GULOU_FZ = Agency(id=3, name="福州市鼓楼区东街街道办事处", short_name="东街街道", region="福州市鼓楼区")
HEALTH = Agency(id=4, name="舟山市定海区卫生健康局", short_name="定海区卫生健康局", region="舟山市定海区")


def test_statutory_deadlines_come_from_core_tiers() -> None:
    rules = statutory_rules()
    assert deadline_for(HEALTH, "department", 2020, rules) == date(2021, 1, 31)
    assert deadline_for(HEALTH, "government", 2020, rules) == date(2021, 3, 31)
    assert deadline_for(BAIHE, "township", 2020, rules) is None  # the 条例 sets none
    assert classify("舟山市定海区人民政府") == "government"
    assert classify(BAIHE.name) == "township"


def test_regional_rule_overrides_statutory_and_the_most_specific_wins() -> None:
    rules = [
        *statutory_rules(),
        Rule("township", 2, 28, region="浙江省", id=1),
        Rule("township", 2, 20, region="宁波市鄞州区", id=2),
        Rule("department", 1, 20, id=3),  # a tier-wide local rule beats the statute
        Rule("custom", 1, 26, agency_id=HEALTH.id, id=4),  # one agency beats everything
        Rule("township", 2, 10, region="宁波市鄞州区", report_year=2021, id=5),  # one season only
    ]
    assert deadline_for(BAIHE, "township", 2020, rules) == date(2021, 2, 20)
    assert deadline_for(BAIHE, "township", 2021, rules) == date(2022, 2, 10)
    assert deadline_for(SHIQI, "township", 2020, rules) == date(2021, 2, 28)  # the province's rule
    assert deadline_for(HEALTH, "department", 2020, rules) == date(2021, 1, 26)
    assert deadline_for(HEALTH, "government", 2020, rules) == date(2021, 1, 26)
    other = Agency(id=9, name="宁波市鄞州区教育局", short_name="鄞州区教育局", region="宁波市鄞州区")
    assert deadline_for(other, "department", 2020, rules) == date(2021, 1, 20)
    assert deadline_for(other, "government", 2020, rules) == date(2021, 3, 31)
    assert applicable_rule(BAIHE, "township", 2020, rules).id == 2  # type: ignore[union-attr]


def test_region_rule_does_not_apply_to_a_namesake_district_elsewhere() -> None:
    rules = [Rule("township", 2, 15, region="南京市鼓楼区", id=1)]
    assert deadline_for(GULOU_FZ, "township", 2020, rules) is None
    assert deadline_for(GULOU_FZ, "township", 2020, [Rule("township", 2, 15, region="鼓楼区", id=1)]) == date(
        2021, 2, 15
    )


def test_newer_rule_wins_a_tie_and_feb_29_falls_back_in_common_years() -> None:
    rules = [Rule("township", 2, 29, region="鄞州区", id=1), Rule("township", 2, 25, region="鄞州区", id=7)]
    assert deadline_for(BAIHE, "township", 2020, rules) == date(2021, 2, 25)
    leap = [Rule("township", 2, 29, region="鄞州区", id=1)]
    assert deadline_for(BAIHE, "township", 2020, leap) == date(2021, 2, 28)
    assert deadline_for(BAIHE, "township", 2023, leap) == date(2024, 2, 29)


def test_parse_rule_spec_in_any_order() -> None:
    spec = parse_rule_spec("乡镇 2月20日 宁波市鄞州区 2021 区政府通知")
    assert (spec.tier, spec.month, spec.day, spec.region, spec.report_year, spec.label) == (
        "township",
        2,
        20,
        "宁波市鄞州区",
        2021,
        "区政府通知",
    )
    spec = parse_rule_spec("custom 1-26 定海区卫生健康局")
    assert (spec.tier, spec.month, spec.day, spec.agency) == ("custom", 1, 26, "定海区卫生健康局")
    assert parse_rule_spec("department 01/20").region is None
    for bad in ("2月20日 鄞州区", "乡镇 鄞州区", "乡镇 2月30日", "custom 1-26"):
        with pytest.raises(ReportError):
            parse_rule_spec(bad)
    assert parse_tier("本级政府") == "government" and parse_tier("街道") == "township"


def test_working_day_offsets_skip_the_spring_festival() -> None:
    # 2021: 春节 holidays 2月11日–17日; Saturday 2月20日 and Sunday 2月7日 were working days (调休).
    deadline = date(2021, 2, 20)
    assert reminder_day(deadline, 1, working_days=True) == date(2021, 2, 19)
    assert reminder_day(deadline, 3, working_days=True) == date(2021, 2, 10)
    assert reminder_day(deadline, 5, working_days=True) == date(2021, 2, 8)
    assert reminder_day(deadline, 6, working_days=True) == date(2021, 2, 7)  # a Sunday, but worked
    assert reminder_day(deadline, 5, working_days=False) == date(2021, 2, 15)
    assert reminder_day(deadline, 0, working_days=True) == deadline
    assert working_days_left(date(2021, 2, 8), deadline) == 5  # 9, 10, 18, 19, 20
    # beyond chinese_calendar's data, Monday to Friday
    assert reminder_day(date(2031, 1, 31), 2, working_days=True) == date(2031, 1, 29)


def test_points_are_at_the_reminder_time_with_the_overdue_point_last() -> None:
    found = points(date(2021, 1, 31), [30, 14, 7, 3, 1, 0], False, CONFIG.timing)
    assert [p.offset for p in found] == [30, 14, 7, 3, 1, 0, OVERDUE]
    assert found[0].at == at(2021, 1, 1, 9) and found[-1].at == at(2021, 2, 1, 9)


def test_parse_offsets() -> None:
    assert parse_offsets("7，30, 0 7") == [30, 7, 0]
    assert parse_offsets(None) == [30, 14, 7, 3, 1, 0]
    for bad in ("", "a,b", "-1", "400"):
        with pytest.raises(ReportError):
            parse_offsets(bad)
