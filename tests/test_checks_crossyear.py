"""Across consecutive years of one agency: X1 上年结转 = 结转下年度, X3 上一年项目数量 carry (2019 format),
X2 现行有效件数 carry (2021 format, warning)."""

from __future__ import annotations

from builders import consistent_values
from checks_helpers import report_from_values

from core.checks import run_checks

COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")


def cross(report, previous) -> list:
    return [f for f in run_checks(report, previous=previous) if f.code.startswith("crossyear.")]


def chained(template_prev: str, template_this: str, seed: int = 1):
    """Last year's figures, and this year's with 上年结转 taken from last year's 结转下年度 (all columns)."""
    prev = consistent_values(template_prev, seed)
    this = consistent_values(template_this, seed + 1)
    for c in COLUMNS:
        shift = prev[f"apply.carried_forward.{c}"] - this[f"apply.carried_over.{c}"]
        this[f"apply.carried_over.{c}"] += shift
        this[f"apply.new.{c}"] -= shift  # keep this year's own balance
        if this[f"apply.new.{c}"] < 0:
            this[f"apply.total.{c}"] -= this[f"apply.new.{c}"]
            this[f"apply.disclosed.{c}"] -= this[f"apply.new.{c}"]
            this[f"apply.new.{c}"] = 0
    return prev, this


def years(prev_values, this_values, t_prev, t_this, y_prev, y_this):
    return report_from_values(prev_values, t_prev, year=y_prev), report_from_values(this_values, t_this, year=y_this)


def test_x1_holds_within_and_across_the_template_change():
    for t_prev, t_this, y in (("2019", "2019", 2020), ("2019", "2021", 2021), ("2021", "2021", 2022)):
        prev, this = chained(t_prev, t_this)
        if t_prev == "2019" and t_this == "2019":
            for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
                this[f"active.{row}.prior_items"] = prev[f"active.{row}.prior_items"] + prev[f"active.{row}.change"]
        if t_prev == t_this == "2021":
            this["active.normative_docs.in_force"] = (
                prev["active.normative_docs.in_force"] + this["active.normative_docs.issued"] - this["active.normative_docs.repealed"]
            )
        p, r = years(prev, this, t_prev, t_this, y - 1, y)
        assert [f for f in run_checks(r) if f.severity == "error"] == []
        assert cross(r, p) == [], (t_prev, t_this)


def test_x1_mismatch_is_an_error_per_column():
    prev, this = chained("2019", "2021")
    prev["apply.carried_forward.commercial"] += 2
    prev["apply.carried_forward.total"] += 2
    prev["apply.total.commercial"] -= 2  # last year's own identities still hold
    prev["apply.total.total"] -= 2
    prev["apply.disclosed.commercial"] -= 2
    prev["apply.disclosed.total"] -= 2
    assert prev["apply.disclosed.commercial"] >= 0
    p, r = years(prev, this, "2019", "2021", 2020, 2021)
    found = cross(r, p)
    assert {f.code for f in found} == {"crossyear.carried_over"}
    assert sorted(f.cells[0] for f in found) == ["apply.carried_over.commercial", "apply.carried_over.total"]
    f = next(f for f in found if f.cells == ["apply.carried_over.total"])
    assert f.severity == "error"
    assert "2020年度报告" in f.message and "四、结转下年度继续办理" in f.message and "相差 2" in f.message
    assert f.details["previous"] == {"apply.carried_forward.total": prev["apply.carried_forward.total"]}


def test_x3_prior_items_carry_in_the_2019_format():
    prev, this = chained("2019", "2019")
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        this[f"active.{row}.prior_items"] = prev[f"active.{row}.prior_items"] + prev[f"active.{row}.change"]
    p, r = years(prev, this, "2019", "2019", 2019, 2020)
    assert cross(r, p) == []
    this["active.penalty.prior_items"] += 7
    p, r = years(prev, this, "2019", "2019", 2019, 2020)
    found = cross(r, p)
    assert [(f.code, f.cells) for f in found] == [("crossyear.prior_items", ["active.penalty.prior_items"])]
    assert found[0].severity == "error" and "行政处罚" in found[0].message and "本年增/减" in found[0].message


def test_x2_in_force_carry_is_a_warning():
    prev, this = chained("2021", "2021")
    this["active.normative_docs.in_force"] = (
        prev["active.normative_docs.in_force"] + this["active.normative_docs.issued"] - this["active.normative_docs.repealed"]
    )
    p, r = years(prev, this, "2021", "2021", 2021, 2022)
    assert cross(r, p) == []
    this["active.normative_docs.in_force"] += 10
    p, r = years(prev, this, "2021", "2021", 2021, 2022)
    found = cross(r, p)
    assert [f.code for f in found] == ["crossyear.in_force"]
    f = found[0]
    assert f.severity == "warning"
    assert set(f.cells) == {"active.normative_docs.in_force", "active.normative_docs.issued", "active.normative_docs.repealed"}


def test_x2_and_x3_do_not_apply_across_the_template_change():
    prev, this = chained("2019", "2021")
    this["active.normative_docs.in_force"] += 99
    p, r = years(prev, this, "2019", "2021", 2020, 2021)
    assert cross(r, p) == []


def test_not_consecutive_years_are_not_compared():
    prev, this = chained("2021", "2021")
    prev["apply.carried_forward.total"] += 5
    p, r = years(prev, this, "2021", "2021", 2020, 2022)
    assert cross(r, p) == []


def test_skipped_when_a_table_is_missing_in_either_year():
    prev, this = chained("2021", "2021")
    prev["apply.carried_forward.total"] += 5
    p = report_from_values(prev, "2021", year=2021, tables=("二", "四"))
    r = report_from_values(this, "2021", year=2022)
    assert [f for f in cross(r, p) if f.code == "crossyear.carried_over"] == []
