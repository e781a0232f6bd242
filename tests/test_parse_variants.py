"""The parser on reports built from known figures, in every text layout and as HTML, for both templates,
with the deviations real reports show: extra rows, a 小计 column, wrapped labels, split tables, lost
labels, traditional characters, the wrong template for the year."""

from __future__ import annotations

import re
from datetime import date

import pytest
from builders import Layout, consistent_values, table_layouts
from text_builders import build_html, build_text, html_table, printed_keys

from core.extract.html import extract_html
from core.extract.text import extract_text
from core.model import Document, ParsedReport, ReportError
from core.parse import parse_document
from core.parse.meta import find_date, regions, short_name
from core.templates import TEMPLATES

TEMPLATE_IDS = ("2019", "2021")


def values_for(template: str, seed: int = 11) -> dict[str, int | float]:
    return consistent_values(template, seed=seed)


def assert_every_cell(report: ParsedReport, values: dict, template: str) -> None:
    got = {k: report.value(k) for k in printed_keys(template)}
    want = {k: values.get(k) for k in printed_keys(template)}
    assert got == want
    assert report.template == template


def codes(report: ParsedReport) -> dict[str, str]:
    return {f.code: f.severity for f in report.findings}


def serious(report: ParsedReport) -> list[str]:
    return [f.code for f in report.findings if f.severity != "info"]


@pytest.mark.parametrize("template", TEMPLATE_IDS)
@pytest.mark.parametrize("style", ["tab", "pipe", "lines", "paragraphs"])
def test_text_layouts_read_every_cell(template, style):
    values = values_for(template)
    report = parse_document(
        extract_text(build_text(values, template, style=style, published_on=date(2022, 1, 10)))
    )
    assert_every_cell(report, values, template)
    assert serious(report) == []
    assert (report.agency, report.short_name) == ("舟山市定海区人民政府办公室", "定海区人民政府办公室")
    assert report.year == (2020 if template == "2019" else 2021)
    assert report.published_on == date(2022, 1, 10)
    assert set(report.sections) == set("一二三四五六")
    assert all(c.loc.kind == "text" and c.loc.line for c in report.cells.values() if c.loc.kind != "derived")


@pytest.mark.parametrize("template", TEMPLATE_IDS)
@pytest.mark.parametrize(("merged", "layout_table"), [(True, False), (False, False), (True, True)])
def test_html_pages_read_every_cell(template, merged, layout_table):
    values = values_for(template, seed=12)
    page = build_html(values, template, merged=merged, layout_table=layout_table, wrap_headers=True)
    report = parse_document(extract_html(page))
    assert_every_cell(report, values, template)
    assert serious(report) == []
    assert report.tables_found == ["二", "三", "四"]
    cell = report.cells["review.total"]
    assert (cell.loc.kind, cell.loc.row) == ("html", 3)
    assert "脚本" not in report.text and "统计代码" not in report.text


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_traditional_copy_reads_the_same(template):
    values = values_for(template, seed=13)
    plain = parse_document(extract_text(build_text(values, template, published_on=date(2022, 1, 5))))
    trad = parse_document(
        extract_text(build_text(values, template, published_on=date(2022, 1, 5), traditional=True))
    )
    assert "數" in build_text(values, template, traditional=True)
    assert trad.values == plain.values
    assert (trad.agency, trad.year, trad.template, trad.published_on) == (
        plain.agency,
        plain.year,
        plain.template,
        plain.published_on,
    )
    assert trad.sections == plain.sections


@pytest.mark.parametrize("template", TEMPLATE_IDS)
@pytest.mark.parametrize("source", ["tab", "pipe", "html"])
def test_extra_rows_subtotal_column_wrapped_labels_and_split_table2(template, source):
    values = values_for(template, seed=14)
    options = {
        "split_table2": True,
        "subtotal_column": True,
        "wrap_headers": True,
        "extra_rows": {"item1": {"其他主动公开文件": [3, 3, 120]}},
    }
    if source == "html":
        doc = extract_html(build_html(values, template, **options))
    else:
        doc = extract_text(build_text(values, template, style=source, **options))
    report = parse_document(doc)
    assert_every_cell(report, values, template)
    found = codes(report)
    assert found["structure.extra_row"] == "info"
    assert found["structure.subtotal_column"] == "info"
    assert found["structure.split_table"] == "info"
    if source != "pipe":  # a pipe row cannot hold a line break
        assert found["structure.wrapped_label"] == "info"
    assert serious(report) == []
    extra_row = [c for c in report.extra_cells if c.row_label == "其他主动公开文件"]
    assert [c.value for c in extra_row][: len(TEMPLATES[template].table("二").blocks[0].columns)] == [
        3,
        3,
        120,
    ][: len(extra_row)]
    subtotals = {c.row_label: c.value for c in report.extra_cells if c.col_label == "小计"}
    orgs = ("commercial", "research", "nonprofit", "legal_service", "other_org")
    assert subtotals["一、本年新收政府信息公开申请数量"] == sum(values[f"apply.new.{o}"] for o in orgs)


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_block_titles_printed_above_each_block_table(template):
    values = values_for(template, seed=15)
    text = build_text(values, template, split_table2=True, blocks_as_paragraphs=True)
    report = parse_document(extract_text(text))
    assert_every_cell(report, values, template)
    assert codes(report)["structure.split_table"] == "info"


def _blank_sub_row_labels(text: str) -> str:
    """Lose the numbered sub-row labels of table 三 (1.属于国家秘密 …), as in seed 001."""
    return re.sub(r"(?m)^\t\d\.(?!\d).*$", "\t", text)


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_lost_row_labels_fall_back_to_template_position_with_a_warning(template):
    values = values_for(template, seed=16)
    text = _blank_sub_row_labels(build_text(values, template))
    assert "1.属于国家秘密" not in text
    report = parse_document(extract_text(text))
    assert_every_cell(report, values, template)
    (warning,) = [f for f in report.findings if f.code == "structure.malformed_table"]
    assert warning.severity == "warning" and "表三" in warning.message
    assert "apply.withheld.state_secret.total" in warning.cells
    assert "apply.new.total" not in warning.cells  # rows with labels are read by label
    assert report.cells["apply.unavailable.unclear.natural_person"].row_label == "3.补正后申请内容仍不明确"


def test_derived_other_rows_in_the_2021_format():
    values = values_for("2021", seed=17)
    report = parse_document(extract_text(build_text(values, "2021")))
    for col in ("natural_person", "total"):
        cell = report.cells[f"apply.other.{col}"]
        parts = [values[f"apply.other.{sub}.{col}"] for sub in ("no_correction", "unpaid_fee", "other")]
        assert cell.loc.kind == "derived" and cell.value == sum(parts)
    assert report.cells["active.fees.amount_wan"].unit == "万元"


def _split_layout(layout: Layout, at: int, cut: int) -> tuple[Layout, Layout]:
    """Cut a table before row ``at`` as a page break does: a merged label across the cut keeps its first
    ``cut`` characters above and the rest below."""
    top = Layout(layout.name, at, layout.n_cols, layout.widths)
    bottom = Layout(layout.name, layout.n_rows - at, layout.n_cols, layout.widths)
    for s in layout.spots:
        if s.row + s.rowspan <= at:
            top.add(s.row, s.col, s.text, s.rowspan, s.colspan, s.key)
        elif s.row >= at:
            bottom.add(s.row - at, s.col, s.text, s.rowspan, s.colspan, s.key)
        else:
            top.add(s.row, s.col, s.text[:cut], at - s.row, s.colspan)
            bottom.add(0, s.col, s.text[cut:], s.row + s.rowspan - at, s.colspan)
    return top, bottom


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_table_split_across_pages_with_a_label_cut_in_two(template):
    values = values_for(template, seed=18)
    table2, *_, table3, table4 = table_layouts(values, template)
    at = 3 + [r.key for r in TEMPLATES[template].table("三").blocks[0].rows].index(
        "unavailable.needs_creation"
    )
    top, bottom = _split_layout(table3, at, cut=6)
    assert any(s.text == "（四）无法提" for s in top.spots) and any(s.text == "供" for s in bottom.spots)
    page = "".join(
        [
            "<p>2021年某局政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p>",
            html_table(table2),
            "<p>三、收到和处理政府信息公开申请情况</p>",
            html_table(top),
            "<p>— 3 —</p>",
            html_table(bottom),
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
            html_table(table4),
        ]
    )
    report = parse_document(extract_html(page))
    assert_every_cell(report, values, template)
    found = codes(report)
    assert found["structure.split_table"] == "info" and found["structure.split_label"] == "info"
    assert "（四）无法提供" in next(f.message for f in report.findings if f.code == "structure.split_label")


def test_table4_printed_with_its_groups_as_rows():
    values = values_for("2019", seed=19)
    groups = (
        ("行政复议", "review"),
        ("未经复议直接起诉", "litigation.direct"),
        ("复议后起诉", "litigation.after_review"),
    )
    cols = ("upheld", "corrected", "other", "pending", "total")
    rows = [["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    rows += [[label] + [str(values[f"{key}.{c}"]) for c in cols] for label, key in groups]
    lines = ["四、政府信息公开行政复议、行政诉讼情况"]
    for row in rows:
        lines += ["\t" + cell for cell in row] + [""]
    text = build_text(values, "2019").split("四、政府信息公开行政复议")[0] + "\n".join(lines)
    report = parse_document(extract_text(text))
    assert {k: report.value(k) for k in values if k.startswith(("review", "litigation"))} == {
        k: v for k, v in values.items() if k.startswith(("review", "litigation"))
    }
    assert report.cells["litigation.after_review.total"].row_label == "复议后起诉"


@pytest.mark.parametrize(("template", "year"), [("2021", 2020), ("2019", 2022)])
def test_template_is_read_from_the_headers_and_checked_against_the_year(template, year):
    values = values_for(template, seed=20)
    report = parse_document(extract_text(build_text(values, template, year=year)))
    assert (report.template, report.year) == (template, year)
    assert_every_cell(report, values, template)
    (mismatch,) = [f for f in report.findings if f.code == "structure.template_mismatch"]
    assert mismatch.severity == "warning" and str(year) in mismatch.message


def test_missing_section_heading_is_a_warning():
    text = build_text(values_for("2021"), "2021").replace("五、存在的主要问题及改进情况\n", "")
    report = parse_document(extract_text(text))
    (finding,) = [f for f in report.findings if f.code == "structure.missing_section"]
    assert finding.severity == "warning" and "五、存在的主要问题及改进情况" in finding.message
    assert set(report.sections) == set("一二三四六")


def test_headings_numbered_with_arabic_numerals_and_a_chinese_date():
    text = build_text(values_for("2019"), "2019", published_on=date(2021, 1, 20))
    text = text.replace("一、总体情况", "1、 总体情况").replace("2021年1月20日", "二〇二一年一月二十日")
    report = parse_document(extract_text(text))
    assert set(report.sections) == set("一二三四五六")
    assert report.published_on == date(2021, 1, 20)


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步。\n公园里有很多人。\n",
        "\t姓名\n\t年龄\n\n\t张三\n\t30\n",
    ],
)
def test_not_an_annual_report(text):
    with pytest.raises(ReportError, match="不像政府信息公开工作年度报告"):
        parse_document(extract_text(text))


def test_empty_document_is_not_a_report():
    with pytest.raises(ReportError):
        parse_document(Document(kind="text", blocks=[]))


def test_report_without_tables_is_read_with_errors():
    text = "2020年某镇政府信息公开工作年度报告\n一、总体情况\n无。\n二、主动公开政府信息情况\n无。\n"
    report = parse_document(extract_text(text))
    assert report.tables_found == [] and not report.cells
    assert [f.details["table"] for f in report.findings if f.code == "structure.missing_table"] == [
        "二",
        "三",
        "四",
    ]


@pytest.mark.parametrize(
    ("name", "government", "short"),
    [
        ("舟山市定海区人民政府", True, "定海区"),
        ("宁波市鄞州区人民政府白鹤街道办事处", False, "白鹤街道"),
        ("瞻岐镇人民政府", False, "瞻岐镇"),
        ("宁海县政务服务办公室", False, "宁海县政务服务办公室"),
        ("椒江区人民政府行政服务中心", False, "椒江区行政服务中心"),
        ("杭州市余杭区人民政府办公室", False, "余杭区人民政府办公室"),
        ("苏州市市场监督管理局", False, "苏州市市场监督管理局"),
    ],
)
def test_short_names(name, government, short):
    assert short_name(name, government) == short


def test_regions_and_dates():
    assert regions("宁波市鄞州区人民政府白鹤街道办事处") == ["宁波市", "鄞州区"]
    assert regions("苏州市市场监督管理局") == ["苏州市"]
    assert find_date("二〇二一年一月二十日") == date(2021, 1, 20)
    assert find_date("2021 年 2 月 3 日") == date(2021, 2, 3)
    assert find_date("2021年2月30日") is None
    assert find_date("2022-01-20") == date(2022, 1, 20)
    assert find_date("索引号：11330/2021-00012") is None


@pytest.mark.parametrize("template", TEMPLATE_IDS)
@pytest.mark.parametrize("style", ["tab", "lines"])
def test_table2_blocks_without_titles_are_told_apart_by_their_headers(template, style):
    values = values_for(template, seed=21)
    text = re.sub(r"\t?第二十条第（.）项\n\n?", "", build_text(values, template, style=style))
    assert "第二十条" not in text
    report = parse_document(extract_text(text))
    assert_every_cell(report, values, template)


def test_money_unit_printed_in_the_header_applies_to_bare_figures():
    values = values_for("2019", seed=22)
    values["active.procurement.amount_yuan"] = "12.5"
    text = build_text(values, "2019").replace("\t采购总金额\n", "\t采购总金额（万元）\n")
    cell = parse_document(extract_text(text)).cells["active.procurement.amount_yuan"]
    assert (cell.raw, cell.value, cell.unit, cell.col_label) == ("12.5", 125000, "元", "采购总金额（万元）")


def test_web_page_metadata_above_the_title():
    values = values_for("2021", seed=23)
    page = build_text(values, "2021", agency="宁波市鄞州区审计局")
    page = "索引号：11330212/2022-00031\n发布机构：宁波市鄞州区审计局\n发布日期：2022-01-20\n" + page
    report = parse_document(extract_text(page))
    assert (report.agency, report.short_name, report.region) == (
        "宁波市鄞州区审计局",
        "鄞州区审计局",
        "宁波市鄞州区",
    )
    assert report.title == "宁波市鄞州区审计局2021年政府信息公开工作年度报告"
    assert (report.year, report.published_on) == (2021, date(2022, 1, 20))
    assert_every_cell(report, values, "2021")


def test_row_label_cut_by_a_page_break_is_joined():
    values = values_for("2019", seed=24)
    text = build_text(values, "2019")
    row = "\t\n\t\n\t2.没有现成信息需要另行制作\n"
    assert row in text
    # the row's label is cut after 需要; its figures stay above the break, the label's tail goes below
    head, tail = text.split(row)
    figures, rest = tail.split("\n\n", 1)
    text = (
        head
        + "\t\n\t\n\t2.没有现成信息需要\n"
        + figures
        + "\n\n\n\t\n\t\n\t另行制作\n"
        + "\t\n" * 7
        + "\n"
        + rest
    )
    report = parse_document(extract_text(text))
    assert_every_cell(report, values, "2019")
    assert report.cells["apply.unavailable.needs_creation.total"].row_label == "2.没有现成信息需要另行制作"
    found = codes(report)
    assert found["structure.split_label"] == "info" and found["structure.split_table"] == "info"
    assert not report.extra_cells


def test_a_table_that_only_shares_a_total_label_is_not_a_template_table():
    values = values_for("2019", seed=25)
    text = build_text(values, "2019").replace(
        "二、主动公开政府信息情况\n", "二、主动公开政府信息情况\n\t栏目\n\t条数\n\n\t总计\n\t56\n\n\n"
    )
    report = parse_document(extract_text(text))
    assert_every_cell(report, values, "2019")
    assert codes(report)["structure.unknown_table"] == "info"
