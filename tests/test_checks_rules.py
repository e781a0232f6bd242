"""Rules are data generated from the template definitions; blank cells; the Chinese summary."""

from __future__ import annotations

from dataclasses import replace

from builders import consistent_values
from checks_helpers import report_from_values

from core.checks import run_checks, summarize
from core.model import Finding
from core.templates import national
from core.templates.national import TEMPLATES
from core.templates.rules import Bound, Identity, rule_keys, rules_for
from core.templates.schema import ColumnDef


def test_every_printed_cell_of_tables_3_and_4_is_in_an_identity():
    for version, template in TEMPLATES.items():
        covered = {k for r in rules_for(version) if isinstance(r, Identity) for k in rule_keys(r)}
        for table in ("三", "四"):
            printed = {c.key for c in template.table(table).cells() if not c.derived}
            assert printed <= covered, (version, table, printed - covered)


def test_results_rows_come_from_the_group_data():
    for version in TEMPLATES:
        results = next(r for r in rules_for(version) if r.code == "table3.results_total" and r.scope == "「总计」列")
        assert results.lhs == ("apply.total.total",)
        # report-format.md: 20 / 22 rows under 三、本年度办理结果, one of them （七）总计 itself
        assert len(results.rhs) == (19 if version == "2019" else 21)
        assert ("apply.other.total" in results.rhs) == (version == "2019")  # 2021: its three sub-rows instead
        assert ("apply.other.other.total" in results.rhs) == (version == "2021")


def test_rules_differ_between_templates_only_through_data():
    codes19 = {r.code for r in rules_for("2019")}
    codes21 = {r.code for r in rules_for("2021")}
    assert codes19 - codes21 == {"table2.exceeds", "crossyear.prior_items"}
    assert codes21 - codes19 == {"table3.derived_row", "crossyear.in_force"}


def test_a_new_template_year_gets_rules_without_code_changes(monkeypatch):
    """A hypothetical later format adding a 小计 column to table 二 (一) with a declared bound."""
    t2021 = TEMPLATES["2021"]
    item1 = t2021.table("二").blocks[0]
    new_item1 = replace(
        item1,
        columns=(*item1.columns, ColumnDef("revised", "本年修订件数", "revised this year")),
        at_most=(("revised", "in_force"),),
    )
    table2 = replace(t2021.table("二"), blocks=(new_item1, *t2021.table("二").blocks[1:]))
    future = replace(
        t2021, version="2031", first_year=2031, tables=(table2, *t2021.tables[1:]), _index={}
    )
    monkeypatch.setitem(national.TEMPLATES, "2031", future)
    bounds = [r for r in rules_for("2031") if isinstance(r, Bound)]
    assert {r.lhs for r in bounds} == {("active.regulations.revised",), ("active.normative_docs.revised",)}
    values = consistent_values("2021", 2)
    values["active.normative_docs.revised"] = values["active.normative_docs.in_force"] + 1
    report = report_from_values(values, "2031", year=2031)
    found = [f for f in run_checks(report) if f.code == "table2.exceeds"]
    assert [f.cells for f in found] == [["active.normative_docs.revised", "active.normative_docs.in_force"]]


def test_blank_finding_lists_blank_cells_once():
    values = {k: v for k, v in consistent_values("2021", 1).items() if not k.startswith("apply.") or v}
    values.pop("review.other")
    report = report_from_values(values, "2021")
    blank = [f for f in run_checks(report) if f.code.startswith("blank.")]
    assert len(blank) == 1
    f = blank[0]
    assert f.severity == "info"
    assert "review.other" in f.cells and all(report.value(k) is None for k in f.cells)
    assert f.details["count"] == len(f.cells)
    assert "按 0 计算" in f.message and "表四" in f.message


def test_no_blank_finding_when_every_cell_is_filled():
    report = report_from_values(consistent_values("2019", 1), "2019")
    assert not [f for f in run_checks(report) if f.code.startswith("blank.")]


def test_summary_says_no_errors_plainly():
    text = summarize([Finding("blank.cells", "info", "共有 3 个空白单元格。")])
    assert text.splitlines()[0] == "未发现错误；提示 1 条。"
    assert "【提示】" in text and "共有 3 个空白单元格" in text
    assert summarize([]) == "未发现错误。"


def test_summary_groups_by_severity_errors_first():
    findings = [
        Finding("date.early", "warning", "日期早。"),
        Finding("table3.balance", "error", "不平衡一。"),
        Finding("table4.row_total", "error", "不平衡二。"),
    ]
    text = summarize(findings)
    assert text.splitlines()[0] == "发现 2 处错误；警告 1 条。"
    assert text.index("【错误】") < text.index("不平衡一") < text.index("不平衡二") < text.index("【警告】") < text.index("日期早")
    assert "[table3.balance]" in text and "[table3.balance]" not in summarize(findings, codes=False)
