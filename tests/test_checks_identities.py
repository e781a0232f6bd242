"""Identities inside one report: 表三 balance, results total, row totals, 2021 （六） sub-rows, 表四 totals,
表二 bounds — each violated and satisfied, plus the mutation test over every cell of 表三 and 表四."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import consistent_values
from checks_helpers import report_from_values

from core.checks import run_checks
from core.templates.national import TEMPLATES

TEMPLATE_VERSIONS = ("2019", "2021")
IDENTITY_CODES = {
    "table3.balance",
    "table3.results_total",
    "table3.row_total",
    "table3.derived_row",
    "table4.row_total",
}


def errors(report, code_prefix: str = "") -> list:
    return [f for f in run_checks(report) if f.severity == "error" and f.code.startswith(code_prefix)]


def printed_keys(template: str, table: str) -> list[str]:
    return [c.key for c in TEMPLATES[template].table(table).cells() if not c.derived]


@pytest.mark.parametrize("template", TEMPLATE_VERSIONS)
@pytest.mark.parametrize("seed", [0, 7])
def test_consistent_report_has_no_error(template, seed):
    report = report_from_values(consistent_values(template, seed), template)
    assert errors(report) == []


@pytest.mark.parametrize("template", TEMPLATE_VERSIONS)
def test_balance_identity_message_names_both_sides(template):
    values = consistent_values(template, 1)
    values["apply.carried_forward.natural_person"] += 2
    values["apply.carried_forward.total"] += 2  # the row still adds up: only the column balance breaks
    found = errors(report_from_values(values, template), "table3.balance")
    assert len(found) == 2  # 自然人 and 总计 columns
    f = next(f for f in found if "apply.new.total" in f.cells)
    assert set(f.cells) == {"apply.new.total", "apply.carried_over.total", "apply.total.total", "apply.carried_forward.total"}
    assert f.message.startswith("表三「总计」列：")
    assert "一、本年新收政府信息公开申请数量" in f.message and "四、结转下年度继续办理" in f.message
    assert "相差 2" in f.message
    assert f.details["actual"] - f.details["expected"] == -2
    assert f.details["lhs"]["apply.new.total"] == values["apply.new.total"]


@pytest.mark.parametrize("template", TEMPLATE_VERSIONS)
def test_results_total_identity(template):
    values = consistent_values(template, 2)
    values["apply.total.commercial"] += 1
    values["apply.total.total"] += 1
    values["apply.new.commercial"] += 1
    values["apply.new.total"] += 1  # balance and row totals still hold; only the results sum breaks
    found = errors(report_from_values(values, template))
    assert {f.code for f in found} == {"table3.results_total"}
    assert len(found) == 2
    f = next(f for f in found if "apply.total.commercial" in f.cells)
    assert "apply.disclosed.commercial" in f.cells and "apply.withheld.state_secret.commercial" in f.cells
    assert "（七）总计" in f.message and "「商业企业」列" in f.message


def test_results_total_uses_the_three_2021_sub_rows():
    values = consistent_values("2021", 3)
    values["apply.other.other.research"] += 1
    found = errors(report_from_values(values, "2021"))
    results = next(f for f in found if f.code == "table3.results_total")
    assert "apply.other.other.research" in results.cells
    assert "apply.other.research" not in results.cells  # derived, not printed
    assert results.details["suspect"]["key"] == "apply.other.other.research"


def test_2021_derived_row_checked_when_printed():
    values = consistent_values("2021", 3)
    report = report_from_values(values, "2021")
    assert errors(report) == []
    derived = TEMPLATES["2021"].cell("apply.other.natural_person")
    sample = report.cells["apply.disclosed.natural_person"]
    printed = values["apply.other.natural_person"]
    report.cells[derived.key] = replace(sample, key=derived.key, raw=str(printed + 1), value=printed + 1)
    found = errors(report, "table3.derived_row")
    assert len(found) == 1 and found[0].cells[0] == derived.key


@pytest.mark.parametrize("template", TEMPLATE_VERSIONS)
def test_row_total_identity(template):
    values = consistent_values(template, 4)
    values["apply.partial.total"] += 3
    found = errors(report_from_values(values, template), "table3.row_total")
    assert len(found) == 1
    f = found[0]
    assert f.cells[0] == "apply.partial.total"
    assert set(f.cells[1:]) == {f"apply.partial.{c}" for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")}
    assert "「（二）部分公开」行" in f.message and "相差 3" in f.message


@pytest.mark.parametrize("group", ["review", "litigation.direct", "litigation.after_review"])
def test_table4_group_totals(group):
    values = consistent_values("2019", 5)
    values[f"{group}.pending"] += 1
    found = errors(report_from_values(values, "2019"), "table4.")
    assert len(found) == 1
    f = found[0]
    assert set(f.cells) == {f"{group}.{c}" for c in ("total", "upheld", "corrected", "other", "pending")}
    assert "表四" in f.message and "尚未审结" in f.message


def test_table2_new_published_at_most_total_published():
    values = consistent_values("2019", 6)
    ok = report_from_values(values, "2019")
    assert not [f for f in run_checks(ok) if f.code == "table2.exceeds"]
    values["active.normative_docs.new_published"] = values["active.normative_docs.total_published"] + 5
    found = [f for f in run_checks(report_from_values(values, "2019")) if f.code == "table2.exceeds"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].cells == ["active.normative_docs.new_published", "active.normative_docs.total_published"]
    assert "本年新公开数量" in found[0].message and "对外公开总数量" in found[0].message


def test_identities_skipped_for_missing_table():
    values = consistent_values("2019", 1)
    values["apply.new.total"] += 9
    report = report_from_values(values, "2019", tables=("二",))
    assert not [f for f in run_checks(report) if f.code.startswith(("table3.", "table4."))]


def test_blank_cells_count_as_zero_in_identities():
    values = consistent_values("2019", 0, zero=True)
    values.update({"apply.new.natural_person": 2, "apply.new.total": 2, "apply.disclosed.natural_person": 2})
    values.update({"apply.disclosed.total": 2, "apply.total.natural_person": 2, "apply.total.total": 2})
    blanked = {k: v for k, v in values.items() if v}  # every zero printed as a blank cell
    report = report_from_values(blanked, "2019")
    assert errors(report) == []
    blanks = [f for f in run_checks(report) if f.code == "blank.cells"]
    assert len(blanks) == 1 and blanks[0].severity == "info"
    assert "apply.carried_over.total" in blanks[0].cells and "apply.new.total" not in blanks[0].cells


# ---------------------------------------------------------------- mutation: every cell of 表三 and 表四


MUTATION_CASES = [
    pytest.param(template, blank_zeros, id=f"{template}-{'blank' if blank_zeros else 'zero'}")
    for template in TEMPLATE_VERSIONS
    for blank_zeros in (False, True)
]


@pytest.mark.parametrize(("template", "blank_zeros"), MUTATION_CASES)
def test_every_single_cell_change_is_flagged(template, blank_zeros):
    base = consistent_values(template, 11)
    if blank_zeros:
        base = {k: v for k, v in base.items() if v}
    assert errors(report_from_values(base, template)) == []
    keys = printed_keys(template, "三") + printed_keys(template, "四")
    missed = []
    unidentified = []
    for key in keys:
        for delta in (1, -1):
            values = dict(base)
            values[key] = values.get(key, 0) + delta
            found = errors(report_from_values(values, template))
            identity = [f for f in found if f.code in IDENTITY_CODES and key in f.cells]
            if not identity:
                missed.append((key, delta))
            if key.startswith("apply.") and not all(f.details.get("suspect", {}).get("key") == key for f in identity):
                unidentified.append((key, delta))
            if values[key] < 0:
                assert any(f.code == f"table{'3' if key.startswith('apply.') else '4'}.negative" for f in found)
    assert missed == [], f"{len(missed)} single-cell changes not flagged, e.g. {missed[:5]}"
    # In 表三 every cell is in two or more identities, so the wrong cell is pinned down.
    assert unidentified == [], unidentified[:5]
