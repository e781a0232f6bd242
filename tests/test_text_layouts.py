"""Text copied from report pages in every layout seen in real copies (built by tests/text_builders.py):
a row per line with `` | ``, a cell per line ending in `` |``, a cell then a ``|`` line, a cell per line or
paragraph, flip-book text; empty cells kept or dropped, merged label cells removed, 繁体 with pinyin."""

from __future__ import annotations

import pytest
from builders import consistent_values
from text_builders import build_text, printed_keys

from core.extract.copies import segment, strip_pinyin
from core.extract.text import extract_text
from core.parse import parse_document

LAYOUTS = ["pipe_rows", "cell_pipe", "bar_lines", "lines", "paragraphs", "flipbook"]


def read(text: str):
    return parse_document(extract_text(text))


def wrong(report, values, template) -> dict:
    return {k: (values.get(k), report.value(k)) for k in printed_keys(template) if report.value(k) != values.get(k)}


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("style", LAYOUTS)
@pytest.mark.parametrize(("blanks", "labels"), [("kept", "kept"), ("kept", "removed"), ("dropped", "removed")])
def test_every_layout_reads_every_cell(template, style, blanks, labels):
    values = consistent_values(template, seed=81)
    report = read(build_text(values, template, style=style, blanks=blanks, labels=labels))
    assert wrong(report, values, template) == {}
    assert report.agency == "舟山市定海区人民政府办公室"
    assert not [f for f in report.findings if f.severity == "error"]


@pytest.mark.parametrize("style", LAYOUTS)
def test_traditional_copies_with_stray_pinyin(style):
    values = consistent_values("2021", seed=82)
    text = build_text(values, "2021", style=style, traditional=True, pinyin=True)
    assert "數(shù)" in text
    report = read(text)
    assert wrong(report, values, "2021") == {}
    assert report.year == 2021 and set(report.sections) == set("一二三四五六")


def test_stray_pinyin_goes_and_other_brackets_stay():
    assert strip_pinyin("申請(qǐng)數(shù)量") == "申請數量"
    assert strip_pinyin("总计(zong3)") == "总计"
    assert strip_pinyin("行政许可(a)与 ISO(9001)") == "行政许可(a)与 ISO(9001)"


def test_a_row_of_two_figures_is_placed_by_the_sums():
    """``二、上年结转… | 3 | 3``: 自然人 3 and 总计 3, the five empty cells between them dropped."""
    values = consistent_values("2019", seed=83)
    others = ("commercial", "research", "nonprofit", "legal_service", "other_org")
    for column in others:  # carried-over requests only from natural persons: 一+二 = 三+四 still holds per column
        over = values.pop(f"apply.carried_over.{column}")
        values[f"apply.new.{column}"] += over
        values["apply.new.natural_person"] -= over
        values["apply.carried_over.natural_person"] += over
    values["apply.carried_over.total"] = values["apply.carried_over.natural_person"]
    assert values["apply.new.natural_person"] >= 0
    text = build_text(values, "2019", style="pipe_rows", blanks="dropped")
    over = values["apply.carried_over.natural_person"]
    assert f"二、上年结转政府信息公开申请数量 | {over} | {over}" in text
    report = read(text)
    assert report.value("apply.carried_over.natural_person") == over
    assert report.value("apply.carried_over.total") == over
    assert report.value("apply.carried_over.commercial") is None
    assert any(f.code == "structure.aligned_by_sums" for f in report.findings)


def test_pipe_row_with_blank_leading_cells_is_not_read_one_column_off():
    """The issue's copy: the header rows dropped their empty cells, a data row kept the blanks after its
    label (the rest of the three label columns, then 自然人 and 商业企业 empty). Read one column off, the
    row total check then reported a false error."""
    header = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
        "自然人 | 法人或其他组织 | 总计",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他",
    ]
    rows = [
        "一、本年新收政府信息公开申请数量 |  |  |  |  | 1 | 1 | 1 | 1 | 4",
        "三、本年度办理结果 | （一）予以公开 |  |  |  | 1 | 1 | 1 | 1 | 4",
        "（七）总计 |  |  |  |  | 1 | 1 | 1 | 1 | 4",
    ]
    report = read("\n".join(["三、收到和处理政府信息公开申请情况", *header, *rows]))
    for row in ("new", "disclosed", "total"):
        got = [report.value(f"apply.{row}.{c}") for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")]
        assert got == [None, None, 1, 1, 1, 1, 4], row
    assert not [f for f in report.findings if f.code == "table3.row_total"]


def test_when_no_placement_satisfies_the_sums_the_alignment_is_said_to_be_guessed():
    values = consistent_values("2019", seed=84)
    values = {k: v for k, v in values.items() if v != 0}
    values["apply.partial.total"] = values.get("apply.partial.total", 0) + 50  # a total no placement can match
    report = read(build_text(values, "2019", style="pipe_rows", blanks="dropped"))
    guessed = [f for f in report.findings if f.code == "structure.guessed_alignment"]
    assert guessed and guessed[0].severity == "warning" and "推测" in guessed[0].message


def test_vertical_header_text_is_cut_into_the_template_labels():
    assert segment("信息内容本年新制作数量本年新公开数量对外公开总数量") == [
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
    ]
    assert segment("自然人法人或其他组织总计") == ["自然人", "法人或其他组织", "总计"]
