"""Text copies of web pages → Document: tab, pipe, tab-separated and undelimited layouts."""

from __future__ import annotations

from conftest import seed

from core.extract.text import extract_text
from core.model import Paragraph, Table


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def test_tab_layout_cells_blanks_and_wrapped_labels():
    text = "标题\n\t信息内容\n\t本年新\n制作数量\n\t\n\n\t规章\n\t0\n\t 3\n\n\n后文\n"
    doc = extract_text(text)
    assert [type(b) for b in doc.blocks] == [Paragraph, Table, Paragraph]
    (table,) = doc.tables
    assert _rows(table) == [["信息内容", "本年新\n制作数量", ""], ["规章", "0", " 3"]]
    wrapped = table.rows[0][1]
    assert (wrapped.loc.kind, wrapped.loc.table, wrapped.loc.row, wrapped.loc.col, wrapped.loc.line) == (
        "text",
        0,
        0,
        1,
        3,
    )
    assert table.rows[1][2].loc.line == 9
    assert [p.loc.line for p in doc.paragraphs] == [1, 12]


def test_tab_layout_two_blank_lines_end_a_table_and_figures_do_not_wrap():
    text = "\t采购项目数量\n\t3\n注：金额单位为元\n\n\n\t行政复议\n"
    doc = extract_text(text)
    first, second = doc.tables
    assert _rows(first) == [["采购项目数量", "3"]]  # a figure never continues onto the next line
    assert _rows(second) == [["行政复议"]]
    assert [p.text for p in doc.paragraphs] == ["注：金额单位为元"]


def test_section_heading_right_after_a_cell_is_a_paragraph():
    doc = extract_text("\t其他对外管理服务事项\n五、存在的主要问题及改进情况\n正文")
    assert _rows(doc.tables[0]) == [["其他对外管理服务事项"]]
    assert [p.text for p in doc.paragraphs] == ["五、存在的主要问题及改进情况", "正文"]


def test_bookmark_artifacts_and_crlf_are_cleaned():
    doc = extract_text("[bookmark: _GoBack]一、总体情况\r\n正文\r\n")
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", "正文"]


def test_pipe_rows_with_markdown_separator_and_line_breaks():
    text = "前言 | 不是表格\n\n| 信息内容 | 本年新<br>制作数量 | 对外公开总数量 |\n|---|:---:|---|\n| 规章 | 0 |  |\n"
    doc = extract_text(text)
    assert doc.paragraphs[0].text == "前言 | 不是表格"  # a lone pipe line stays prose
    assert _rows(doc.tables[0]) == [["信息内容", "本年新\n制作数量", "对外公开总数量"], ["规章", "0", ""]]
    assert doc.tables[0].rows[1][0].loc.line == 5


def test_tab_separated_rows():
    doc = extract_text("行政许可\t5\t新增1条\t6\n行政处罚\t3\t\t0\n")
    assert _rows(doc.tables[0]) == [["行政许可", "5", "新增1条", "6"], ["行政处罚", "3", "", "0"]]


def test_undelimited_cells_are_recovered_from_template_labels():
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（五）项",
        "信息内容",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "行政许可",
        "5",
        "",
        "6",
        "其他对外管理服务事项",
        "121",
        "新增8条",
        "78500",
        "三、收到和处理政府信息公开申请情况",
    ]
    doc = extract_text("\n".join(lines))
    assert [p.text for p in doc.paragraphs] == [lines[0], lines[-1]]
    assert _rows(doc.tables[0]) == [
        ["第二十条第（五）项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "5", "", "6"],
        ["其他对外管理服务事项", "121", "新增8条", "78500"],
    ]
    assert doc.tables[0].rows[2][0].loc.line == 7


def test_undelimited_traditional_cells_and_one_cell_per_paragraph():
    cells = [
        "第二十條第（一）項",
        "信息內容",
        "本年新製作數量",
        "本年新公開數量",
        "對外公開總數量",
        "規章",
        "1",
        "",
        "3",
    ]
    doc = extract_text("\n\n".join(cells))
    assert _rows(doc.tables[0]) == [
        ["第二十條第（一）項"],
        ["信息內容", "本年新製作數量", "本年新公開數量", "對外公開總數量"],
        ["規章", "1", "", "3"],
    ]


def test_short_prose_lines_are_not_taken_for_a_table():
    text = "六、其他需要报告的事项\n无\n\n舟山市定海区人民政府办公室\n2021年2月3日\n"
    doc = extract_text(text)
    assert not doc.tables
    assert [p.text for p in doc.paragraphs] == [
        "六、其他需要报告的事项",
        "无",
        "舟山市定海区人民政府办公室",
        "2021年2月3日",
    ]


def test_seed_tables_keep_blank_leading_cells_and_every_row():
    doc = extract_text(seed("000").read_text(encoding="utf-8"))
    table2, table3, table4 = doc.tables
    assert _rows(table2)[:3] == [
        ["第二十条第（一）项"],
        ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
    ]
    assert len(table3.rows) == 3 + 23  # 3 header rows, 23 printed rows of the 2019 format
    assert _rows(table3)[7][:3] == ["", "（三）不予公开", "1.属于国家秘密"]
    assert _rows(table4)[-1] == ["0"] * 15
    assert doc.paragraphs[0].text == "2020年宁海县政务服务办公室"
    assert doc.paragraphs[1].text == "信息公开工作年度报告"  # the [bookmark: …] marker is gone
