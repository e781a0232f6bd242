"""Copied reports: narrative or tables repeated from last year, tables identical to a peer's."""

from __future__ import annotations

from builders import consistent_values
from checks_helpers import report_from_values
from conftest import seed

from core.checks import run_checks


def copies(report, previous=None, peers=()) -> list:
    return [f for f in run_checks(report, previous=previous, peers=peers) if f.code.startswith("copy.")]


def narrative(year: int, variant: str = "") -> dict[str, str]:
    """Real report prose (seed 003) with the year changed, and optionally other prose mixed in."""
    text = seed("003").read_text(encoding="utf-8")
    overview = text.split("二、主动公开政府信息情况")[0].replace("2020", str(year))
    return {"一": overview + variant, "五": "存在的主要问题是公开内容的规范性有待提高。" * 3}


def test_narrative_copied_from_last_year_is_flagged():
    values = consistent_values("2019", 1)
    prev = report_from_values(values, "2019", year=2019, sections=narrative(2019))
    this = report_from_values(consistent_values("2019", 2), "2019", year=2020, sections=narrative(2020))
    found = copies(this, prev)
    assert [f.code for f in found] == ["copy.narrative_previous_year"]
    f = found[0]
    assert f.severity == "warning" and f.details["similarity"] >= 90
    assert "2019年度报告" in f.message and "一" in f.details["sections"]


def test_rewritten_narrative_is_not_flagged():
    prev = report_from_values({}, "2019", year=2019, sections=narrative(2019), tables=())
    other = seed("000").read_text(encoding="utf-8").split("二、主动公开政府信息情况")[0]
    this = report_from_values({}, "2019", year=2020, sections={"一": other}, tables=())
    assert copies(this, prev) == []


def test_short_boilerplate_sections_are_not_copies():
    prev = report_from_values({}, "2019", year=2019, sections={"六": "无。"}, tables=())
    this = report_from_values({}, "2019", year=2020, sections={"六": "无。"}, tables=())
    assert copies(this, prev) == []


def test_tables_identical_to_last_year():
    values = consistent_values("2019", 3)
    prev = report_from_values(values, "2019", year=2019)
    this = report_from_values(values, "2019", year=2020)
    found = copies(this, prev)
    assert {f.code for f in found} == {"copy.tables_previous_year"}
    assert {f.details["table"] for f in found} == {"二", "三", "四"}
    t3 = next(f for f in found if f.details["table"] == "三")
    assert "apply.new.total" in t3.cells and t3.severity == "warning"


def test_tables_differing_in_one_cell_are_not_copies():
    values = consistent_values("2019", 3)
    prev = report_from_values(values, "2019", year=2019)
    changed = dict(values, **{"review.upheld": values["review.upheld"] + 1, "review.total": values["review.total"] + 1})
    this = report_from_values(changed, "2019", year=2020)
    assert {f.details["table"] for f in copies(this, prev)} == {"二", "三"}


def test_identical_tables_of_a_peer_agency():
    values = consistent_values("2021", 4)
    mine = report_from_values(values, "2021", agency="宁波市鄞州区瞻岐镇人民政府")
    peer = report_from_values(values, "2021", agency="宁波市鄞州区咸祥镇人民政府")
    stranger = report_from_values(consistent_values("2021", 5), "2021", agency="宁波市鄞州区塘溪镇人民政府")
    found = copies(mine, peers=[peer, stranger, mine])
    assert {f.code for f in found} == {"copy.tables_peer"}
    assert all("咸祥镇" in f.message for f in found)


def test_all_zero_and_blank_tables_are_legitimately_identical():
    zero = consistent_values("2021", 0, zero=True)
    mine = report_from_values(zero, "2021", agency="甲镇人民政府")
    blank = report_from_values({}, "2021", agency="乙镇人民政府")
    assert copies(mine, peers=[blank]) == []
    assert copies(report_from_values(zero, "2021", year=2022), report_from_values(zero, "2021", year=2021)) == []


def test_small_identical_tables_are_not_telling():
    values = consistent_values("2021", 0, zero=True)
    values.update({"apply.new.natural_person": 1, "apply.new.total": 1, "apply.disclosed.natural_person": 1})
    values.update({"apply.disclosed.total": 1, "apply.total.natural_person": 1, "apply.total.total": 1})
    mine = report_from_values(values, "2021", agency="甲镇人民政府")
    peer = report_from_values(values, "2021", agency="乙镇人民政府")
    assert copies(mine, peers=[peer]) == []
