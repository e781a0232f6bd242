"""Saved web pages → Document: block paragraphs in order, table grids with rowspan/colspan."""

from __future__ import annotations

from core.extract.html import extract_html
from core.model import Paragraph, Table


def _rows(table: Table) -> list[list[tuple[str, int, bool]]]:
    return [[(c.text, c.colspan, c.continued) for c in row] for row in table.rows]


def test_rowspan_repeats_below_as_continued_and_colspan_stays_on_the_cell():
    html = """<table>
      <tr><th rowspan="2" colspan="2">勾稽</th><th colspan="3">申请人情况</th></tr>
      <tr><td>自然人</td><td rowspan="2">总计</td><td>其他</td></tr>
      <tr><td>一、本年新收</td><td>1</td><td>2</td><td>3</td></tr>
    </table>"""
    (table,) = extract_html(html).tables
    assert _rows(table) == [
        [("勾稽", 2, False), ("申请人情况", 3, False)],
        [("勾稽", 2, True), ("自然人", 1, False), ("总计", 1, False), ("其他", 1, False)],
        [("一、本年新收", 1, False), ("1", 1, False), ("2", 1, False), ("总计", 1, True), ("3", 1, False)],
    ]
    cell = table.rows[2][4]
    assert (cell.loc.kind, cell.loc.table, cell.loc.row, cell.loc.col) == ("html", 0, 2, 4)


def test_paragraphs_in_document_order_without_scripts_styles_or_comments():
    html = """<html><head><title>网站</title><style>p{color:red}</style></head><body>
      <h1>2021年某局政府信息公开工作年度报告</h1><!-- 注释 -->
      <div>一、总体情况<br>第一段<p>第二段 <span>续</span></p></div>
      <script>document.write("<p>脚本</p>")</script>
      <table><tr><td>规章</td><td>0</td></tr></table>
      <p>六、其他需要报告的事项</p></body></html>"""
    doc = extract_html(html)
    kinds = [type(b) for b in doc.blocks]
    assert kinds == [Paragraph, Paragraph, Paragraph, Paragraph, Table, Paragraph]
    assert [p.text for p in doc.paragraphs] == [
        "2021年某局政府信息公开工作年度报告",
        "一、总体情况",
        "第一段",
        "第二段 续",
        "六、其他需要报告的事项",
    ]
    assert [p.loc.line for p in doc.paragraphs] == [1, 2, 3, 4, 5]
    assert all(p.loc.kind == "html" for p in doc.paragraphs)


def test_layout_tables_flow_and_inner_tables_are_read():
    html = """<table><tr><td>导航</td></tr><tr><td>
        <p>二、主动公开政府信息情况</p>
        <table><tr><td>信息内容</td><td>本年新<br/>制作数量</td></tr><tr><td>规章</td><td>2</td></tr></table>
      </td></tr></table>"""
    doc = extract_html(html)
    assert [p.text for p in doc.paragraphs] == ["导航", "二、主动公开政府信息情况"]
    (table,) = doc.tables
    assert [[c.text for c in row] for row in table.rows] == [["信息内容", "本年新\n制作数量"], ["规章", "2"]]


def test_bad_spans_are_clamped():
    html = '<table><tr><td rowspan="abc" colspan="0">a</td><td colspan="99999">b</td></tr></table>'
    (table,) = extract_html(html).tables
    assert [(c.text, c.colspan) for c in table.rows[0]] == [("a", 1), ("b", 1000)]


def test_thead_and_tbody_rows_are_one_grid():
    html = "<table><thead><tr><th>行政复议</th></tr></thead><tbody><tr><td>3</td></tr></tbody></table>"
    (table,) = extract_html(html).tables
    assert [[c.text for c in row] for row in table.rows] == [["行政复议"], ["3"]]
