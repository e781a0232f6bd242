"""Agency, title and sections read from the whole document: the title, a heading, the 落款 and a web page's
<title>, in that order of trust, never a sentence of the body; section headings in their common wordings."""

from __future__ import annotations

import pytest
from builders import consistent_values, table_layouts
from text_builders import html_table

from core.extract.html import extract_html
from core.parse import parse_document

BODY = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布2025年度政府信息公开工作年度报告。"


def page(title: str, *, h1: str = "", body_first: str = BODY, signature: str = "", headings: dict | None = None) -> str:
    values = consistent_values("2021", seed=21)
    layouts = table_layouts(values, "2021")
    tables = {"二": "".join(html_table(t) for t in layouts[:-2]), "三": html_table(layouts[-2]), "四": html_table(layouts[-1])}
    heads = {
        "一": "一、总体情况",
        "二": "二、主动公开政府信息情况",
        "三": "三、收到和处理政府信息公开申请情况",
        "四": "四、政府信息公开行政复议、行政诉讼情况",
        "五": "五、存在的主要问题及改进情况",
        "六": "六、其他需要报告的事项",
    } | (headings or {})
    parts = [f"<h1>{h1}</h1>" if h1 else "", f"<p>{body_first}</p>"]
    for sid, head in heads.items():
        parts.append(f"<p>{head}</p><p>本部分正文。</p>{tables.get(sid, '')}")
    if signature:
        parts.append(f"<p>{signature}</p><p>2026年1月20日</p>")
    return f"<html><head><title>{title}</title></head><body>{''.join(parts)}</body></html>"


def test_agency_from_the_page_title_not_from_the_first_sentence():
    report = parse_document(extract_html(page("测试市2025年政府信息公开工作年度报告")))
    assert report.agency == "测试市人民政府" and report.short_name == "测试市"
    assert report.year == 2025 and report.title == "测试市2025年政府信息公开工作年度报告"
    assert not [f for f in report.findings if f.code == "structure.missing_meta"]


def test_the_site_name_around_the_page_title_is_dropped():
    report = parse_document(extract_html(page("测试县2025年政府信息公开工作年度报告_测试县人民政府门户网站")))
    assert report.agency == "测试县人民政府" and report.year == 2025


def test_the_printed_title_outranks_the_signature_and_the_page_title():
    html = page("首页 - 某某网站", h1="测试市民政局2025年政府信息公开工作年度报告", signature="测试市人民政府办公室")
    report = parse_document(extract_html(html))
    assert report.agency == "测试市民政局"


def test_the_signature_outranks_the_page_title_when_no_title_is_printed():
    html = page("测试市2025年政府信息公开工作年度报告", signature="测试市民政局")
    assert parse_document(extract_html(html)).agency == "测试市民政局"


def test_a_heading_under_the_title_outranks_the_signature():
    html = page("x", h1="2025年政府信息公开工作年度报告", body_first="测试市交通运输局", signature="测试市人民政府")
    assert parse_document(extract_html(html)).agency == "测试市交通运输局"


def test_no_agency_from_a_body_sentence():
    report = parse_document(extract_html(page("政务公开")))
    assert report.agency is None
    assert any(f.code == "structure.missing_meta" for f in report.findings)


@pytest.mark.parametrize(
    ("sid", "heading"),
    [
        ("五", "五、存在问题及改进情况"),
        ("五", "五、存在的主要问题和改进措施"),
        ("五", "五、政府信息公开工作存在的不足及改进情况"),
        ("四", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        ("三", "三、收到和处理政府信息公开申请的情况"),
        ("二", "二、主动公开政府信息的情况"),
        ("六", "六、其它需要报告事项"),
        ("一", "一、总体工作情况"),
    ],
)
def test_section_headings_in_their_common_wordings(sid, heading):
    report = parse_document(extract_html(page("测试市2025年政府信息公开工作年度报告", headings={sid: heading})))
    assert set(report.sections) == set("一二三四五六")
    assert report.sections[sid] == "本部分正文。"
    assert not [f for f in report.findings if f.code == "structure.missing_section"]
