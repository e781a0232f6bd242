"""Tables rendered as a person reads them: template labels, raw text, CJK-aligned columns."""

from __future__ import annotations

from parsed_reports import parsed_report

from core.model import Cell, Location
from core.render import display_width, render_table, render_tables, text_table
from core.templates.national import TEMPLATE_2019, TEMPLATE_2021


def _line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(label))


def test_every_figure_is_on_its_rows_line_in_its_columns_place():
    report = parsed_report(year=2021, seed=7)
    text = render_table(report, TEMPLATE_2021.table("四"))
    header = text.splitlines()[1]
    for row in ("行政复议", "未经复议直接起诉", "复议后起诉"):
        line = _line(text, row)
        fields = line.split()
        prefix = {
            "行政复议": "review",
            "未经复议直接起诉": "litigation.direct",
            "复议后起诉": "litigation.after_review",
        }[row]
        assert fields[1:] == [
            report.cells[f"{prefix}.{c}"].raw for c in ("upheld", "corrected", "other", "pending", "total")
        ]
        # Right-aligned under CJK headers: every figure ends where its header ends.
        assert display_width(line) == display_width(header)


def test_raw_text_blank_zero_and_placeholders_as_printed():
    values = {
        "apply.new.natural_person": "3",
        "apply.new.commercial": "0",
        "apply.new.research": "/",
        "apply.new.total": "3",
    }
    report = parsed_report(values=values)
    line = _line(render_table(report, TEMPLATE_2019.table("三")), "一、本年新收")
    assert line.split()[1:] == ["3", "0", "/", "3"]
    assert "增" not in line


def test_groups_and_blocks_follow_the_template():
    report = parsed_report(year=2021, seed=2)
    text = render_tables(report)
    lines = text.splitlines()
    assert lines.index("表二 主动公开政府信息情况") < lines.index("表三 收到和处理政府信息公开申请情况")
    assert "【第二十条第（一）项】" in lines and "【第二十条第（八）项】" in lines
    group = next(i for i, line in enumerate(lines) if line.strip() == "（三）不予公开")
    assert lines[group + 1].strip().startswith("1.属于国家秘密")
    assert display_width(lines[group + 1]) - display_width(lines[group + 1].lstrip()) == 4
    assert sum(1 for line in lines if line.strip() == "（六）其他处理") == 1  # the derived total is not a row
    assert "收费" in text and "处理决定" in text


def test_missing_table_and_extra_cells():
    report = parsed_report(seed=4)
    report.tables_found = ["二"]
    report.cells = {k: c for k, c in report.cells.items() if c.table == "二"}
    report.extra_cells = [Cell("extra.二.1", "12", 12, "件", "二", "规章", "获取", Location("text", line=5))]
    text = render_tables(report)
    assert "表三 收到和处理政府信息公开申请情况\n（报告中没有此表）" in text
    assert "规章 / 获取：12" in text


def test_compact_is_narrower_and_keeps_the_meaning():
    report = parsed_report(seed=9)
    wide, narrow = render_tables(report), render_tables(report, compact=True)
    width = lambda text: max(display_width(line) for line in text.splitlines())  # noqa: E731
    assert width(narrow) < width(wide) - 30
    assert "本年新收" in narrow and "国家秘密" in narrow and "（七）总计" in narrow


def test_text_table_aligns_cjk():
    text = text_table([["定海区", "34"], ["白鹤街道", "0"]], ["单位", "申请"])
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1
    assert lines[2].endswith("34") and lines[3].endswith(" 0")
